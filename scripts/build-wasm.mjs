// Builds the wasm targets of asconfig.json (simd, relaxed, scalar; `--debug` adds debug), each in
// its own process so that the two cores share the optimiser's work. Skips a target whose output is
// newer than every source file, so `npm install` after a build is quick.
import { spawn } from 'node:child_process';
import { readdirSync, statSync, existsSync, mkdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateAbi } from './generate-abi.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const targets = ['simd', 'relaxed', 'scalar', ...(process.argv.includes('--debug') ? ['debug'] : [])];
const force = process.argv.includes('--force');

function newestSource(dir) {
  let newest = statSync(join(root, 'asconfig.json')).mtimeMs;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}

// The elementwise exports come from the table (compiled by `npm run build:ts`, which runs first).
for (const path of await generateAbi()) console.log(`${path.slice(root.length + 1)} written from src/table.ts`);
const sourceTime = newestSource(join(root, 'assembly'));
mkdirSync(join(root, 'build'), { recursive: true });
const asc = join(root, 'node_modules', 'assemblyscript', 'bin', 'asc.js');

const runs = targets.map((target) => {
  const out = join(root, 'build', `${target}.wasm`);
  if (!force && existsSync(out) && statSync(out).mtimeMs > sourceTime) {
    console.log(`build/${target}.wasm is up to date`);
    return Promise.resolve();
  }
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [asc, 'assembly/index.ts', '--config', 'asconfig.json', '--target', target], {
      cwd: root,
      stdio: 'inherit',
    });
    child.on('exit', (code) => {
      if (code === 0) {
        console.log(`build/${target}.wasm built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
        resolve();
      } else reject(new Error(`asc failed for target ${target} (exit code ${code})`));
    });
  });
});

Promise.all(runs).catch((error) => {
  console.error(error.message);
  process.exit(1);
});
