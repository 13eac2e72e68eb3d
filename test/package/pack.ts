// `npm pack` of the checkout, once per content: the tarball is cached under
// node_modules/.cache keyed by a hash of everything it can contain, so reruns with the same
// build skip the pack, and any change to dist/, build/, package.json or README.md makes a new one.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { run } from './run.js';

export interface Packed {
  tarball: string;
  /** The paths inside the package, as `npm pack --json` lists them. */
  files: string[];
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

async function contentHash(root: string): Promise<string> {
  const paths = [join(root, 'package.json'), join(root, 'README.md'), ...(await listFiles(join(root, 'dist'))), ...(await listFiles(join(root, 'build')))].sort();
  const hash = createHash('sha256');
  for (const path of paths) hash.update(relative(root, path)).update('\0').update(await readFile(path)).update('\0');
  return hash.digest('hex').slice(0, 16);
}

export async function pack(root: string): Promise<Packed> {
  const cache = join(root, 'node_modules', '.cache', 'simd-activations-pack');
  const hash = await contentHash(root);
  const dir = join(cache, hash);
  const listing = join(dir, 'pack.json');
  if (!existsSync(listing)) {
    // Tarballs of earlier builds will not be asked for again.
    if (existsSync(cache)) for (const old of await readdir(cache)) await rm(join(cache, old), { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    // --ignore-scripts: `prepare` would rebuild what `npm test` has just built.
    const packed = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], root);
    if (packed.code !== 0) throw new Error(`npm pack failed:\n${packed.output}`);
    const [info] = JSON.parse(packed.stdout) as { filename: string; files: { path: string }[] }[];
    await writeFile(listing, JSON.stringify({ tarball: join(dir, info!.filename), files: info!.files.map((f) => f.path) }));
  }
  return JSON.parse(await readFile(listing, 'utf8')) as Packed;
}
