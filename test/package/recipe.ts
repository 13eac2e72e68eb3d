// The esbuild recipe exactly as README.md gives it (between the esbuild-recipe markers of the
// Loading section): its command line and its code, which the test builds and runs verbatim.

export interface Recipe {
  /** The arguments after `esbuild` on the README's command line. */
  args: string[];
  /** The entry file the command names, which the code block is saved as. */
  entry: string;
  code: string;
}

export function esbuildRecipe(readme: string): Recipe {
  const section = /<!-- esbuild-recipe -->([\s\S]*?)<!-- \/esbuild-recipe -->/.exec(readme)?.[1];
  if (section === undefined) throw new Error('README.md: no esbuild-recipe section');
  const command = /```sh\n(esbuild [^\n]*)\n```/.exec(section)?.[1];
  const code = /```js\n([\s\S]*?)```/.exec(section)?.[1];
  if (command === undefined || code === undefined) throw new Error('README.md: the esbuild recipe needs a ```sh esbuild command and a ```js block');
  const args = command.trim().split(/\s+/).slice(1);
  const entry = args.find((a) => !a.startsWith('-'));
  if (entry === undefined) throw new Error(`README.md: the esbuild command names no entry file: ${command}`);
  return { args, entry, code };
}
