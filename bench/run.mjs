// Entry point: `npm start` (the default set), `npm run bench:quick` (--quick). Re-runs itself
// under --no-liftoff (below) and, when this Node needs the flag for relaxed SIMD, under
// --experimental-wasm-relaxed-simd, so that every build is measured in one process, interleaved
// with its peers.

import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { supportedBackends } from '../dist/index.js';
import { parseOptions } from './options.mjs';
import { runBenchmark } from './harness.mjs';
import { progressBar } from './progress.mjs';
import { textReport } from './report-text.mjs';
import { htmlReport } from './report-html.mjs';

const RELAXED_FLAG = '--experimental-wasm-relaxed-simd';
const argv = process.argv.slice(2);
const options = parseOptions(argv);
if (options.help) {
  console.log(options.help);
  process.exit(0);
}

// V8 runs new wasm code in its baseline compiler (Liftoff) and swaps in optimised code once a
// function is hot, compiled in the background: on a busy machine a kernel was measured in its
// baseline code for a whole cell (GELU at half its speed, steady across the cell's rounds).
// --no-liftoff compiles every module (this library's, TF.js's, ONNX Runtime's) optimised from
// the start, so that every wasm contestant is measured in the code it runs at steady state.
const NO_LIFTOFF = '--no-liftoff';
const wanted = [NO_LIFTOFF];
if (options.builds.includes('relaxed') && !supportedBackends().includes('relaxed')) wanted.push(RELAXED_FLAG);
const missing = wanted.filter((f) => !process.execArgv.includes(f));
if (missing.length > 0 && !process.env.BENCH_NO_REEXEC) {
  const child = spawnSync(process.execPath, [...process.execArgv, ...missing, fileURLToPath(import.meta.url), ...argv], {
    stdio: 'inherit',
    env: { ...process.env, BENCH_NO_REEXEC: '1' },
  });
  // If this Node refuses a flag (exit code 9), run here: without relaxed SIMD the relaxed build
  // is reported as failed; without --no-liftoff a cell may time baseline code.
  if (child.status !== 9 || child.error) process.exit(child.status ?? 1);
  console.error(`note: ${missing.join(' ')} refused by this Node; running without`);
}

const results = await runBenchmark(options, { log: (s) => console.error(`\n${s}`), progress: progressBar() });

const outDir = resolve(options.out);
mkdirSync(outDir, { recursive: true });
const stamp = results.started.replace(/[:.]/g, '-');
const base = join(outDir, `bench-${options.quick ? 'quick-' : ''}${stamp}`);
writeFileSync(`${base}.json`, JSON.stringify(results, null, 1));
writeFileSync(`${base}.html`, htmlReport(results));
writeFileSync(join(outDir, 'latest.json'), JSON.stringify(results, null, 1));
writeFileSync(join(outDir, 'latest.html'), htmlReport(results));
console.log(textReport(results, { tableSizes: options.quick ? undefined : [1000, 65536, 1000000, 10000000] }));
console.log(`\nSamples: ${base}.json\nReport:  ${base}.html`);
