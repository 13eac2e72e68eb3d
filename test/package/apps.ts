// The consumer apps, made once per run: the packed tarball installed into a temporary directory
// (its node_modules holding only the package and its dependency, from npm's local cache where it
// can), the app sources of test/package/apps copied beside it, then every build and every Node
// consumer run at the same time, each with the project's own pinned tools pointed at that
// directory, so that nothing is downloaded and nothing resolves from the checkout.
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { esbuildRecipe } from './recipe.js';
import { run, type RunResult } from './run.js';
import { CSP } from './serve.js';

export interface Apps {
  dir: string;
  install: RunResult;
  builds: Record<'webpack' | 'vite' | 'esbuild' | 'tscNodenext' | 'tscBundler' | 'nodeEsm' | 'nodeCjs', RunResult>;
  remove(): Promise<void>;
}

export async function makeApps(root: string, tarball: string): Promise<Apps> {
  const dir = await mkdtemp(join(tmpdir(), 'simd-activations-consumers-'));
  await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'consumer-apps', private: true, type: 'module' }));
  const install = await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', '--no-package-lock', tarball], dir);
  if (install.code !== 0) throw new Error(`npm install of the tarball failed:\n${install.output}`);
  await cp(join(root, 'test', 'package', 'apps'), dir, { recursive: true });

  // Vite's dev server sends the same policy as the test's static server (the build ignores this).
  await writeFile(join(dir, 'vite', 'vite.config.js'), `export default { server: { headers: { 'content-security-policy': ${JSON.stringify(CSP)} } } };\n`);

  const recipe = esbuildRecipe(await readFile(join(root, 'README.md'), 'utf8'));
  const tail = await readFile(join(dir, 'esbuild', 'probe-tail.js'), 'utf8');
  await writeFile(join(dir, 'esbuild', recipe.entry), `${recipe.code}${tail}`);

  const bin = (path: string) => join(root, 'node_modules', path);
  const node = process.execPath;
  const relaxed = '--experimental-wasm-relaxed-simd';
  const [webpack, vite, esbuild, tscNodenext, tscBundler, nodeEsm, nodeCjs] = await Promise.all([
    run(node, [join(root, 'test', 'package', 'build-webpack.mjs'), join(dir, 'webpack')], dir),
    run(node, [bin('vite/bin/vite.js'), 'build', '--emptyOutDir'], join(dir, 'vite')),
    run(bin('.bin/esbuild'), recipe.args, join(dir, 'esbuild')),
    run(node, [bin('typescript/bin/tsc'), '-p', 'types/tsconfig.nodenext.json'], dir),
    run(node, [bin('typescript/bin/tsc'), '-p', 'types/tsconfig.bundler.json'], dir),
    run(node, [relaxed, 'node/esm.mjs'], dir),
    run(node, [relaxed, 'node/cjs.cjs'], dir),
  ]);
  // The bundlers write the scripts; the pages are the apps' own. A build that failed has no
  // dist/ to copy into, which its own test reports with the bundler's output.
  await cp(join(dir, 'webpack', 'index.html'), join(dir, 'webpack', 'dist', 'index.html')).catch(() => {});
  await cp(join(dir, 'esbuild', 'index.html'), join(dir, 'esbuild', 'dist', 'index.html')).catch(() => {});
  return {
    dir,
    install,
    builds: { webpack: webpack!, vite: vite!, esbuild: esbuild!, tscNodenext: tscNodenext!, tscBundler: tscBundler!, nodeEsm: nodeEsm!, nodeCjs: nodeCjs! },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}
