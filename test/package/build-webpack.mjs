// Builds one app with the project's webpack 5 through its Node API, as `webpack --mode production`
// would with no configuration beyond the entry, and prints what webpack reports (assets,
// warnings, errors) as a user's terminal would show it. Exit code 1 on errors.
import { join, resolve } from 'node:path';
import webpack from 'webpack';

const app = resolve(process.argv[2]);
const compiler = webpack({
  context: app,
  entry: './main.js',
  mode: 'production',
  output: { path: join(app, 'dist'), filename: 'main.js' },
});
compiler.run((error, stats) => {
  if (error || !stats) {
    console.error(error);
    process.exit(1);
  }
  console.log(stats.toString({ colors: false, preset: 'normal' }));
  compiler.close(() => process.exit(stats.hasErrors() ? 1 : 0));
});
