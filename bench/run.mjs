// Entry point: `npm start` (the default set), `npm run bench:quick` (--quick). Runs relaxed SIMD
// by re-running itself under --experimental-wasm-relaxed-simd when this Node needs the flag, so
// that every build is measured in one process, interleaved with its peers.

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

if (options.builds.includes('relaxed') && !supportedBackends().includes('relaxed') && !process.execArgv.includes(RELAXED_FLAG)) {
  const child = spawnSync(process.execPath, [...process.execArgv, RELAXED_FLAG, fileURLToPath(import.meta.url), ...argv], { stdio: 'inherit' });
  // If this Node does not know the flag, run here and report the relaxed build as failed.
  if (child.status !== 9 || child.error) process.exit(child.status ?? 1);
  console.error(`note: ${RELAXED_FLAG} was refused by this Node; the relaxed build will be reported as failed`);
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
