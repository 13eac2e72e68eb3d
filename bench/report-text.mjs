// The readable end-of-run summary for the terminal: who ran (and who failed, loudly), a table of
// throughput and key ratios per cell, the accuracy table and the PASS/FAIL target lines.

import { speedup } from './stats.mjs';
import { scalingGrid } from './scaling.mjs';
import { THREAD_CELLS } from './options.mjs';

const THREAD_SIZES = THREAD_CELLS.map(([, size]) => size);

const pad = (s, n) => String(s).padStart(n);
const padEnd = (s, n) => String(s).padEnd(n);
const mel = (r) => (r?.status === 'ok' ? (r.melPerSec >= 100 ? r.melPerSec.toFixed(0) : r.melPerSec.toPrecision(3)) : r?.status === 'failed' ? 'FAIL' : '-');
const x = (v) => (Number.isFinite(v) ? `${v.toFixed(2)}` : '-');

const SHORT = {
  'lib-simd-resident': 'simd.res', 'lib-relaxed-resident': 'rlx.res', 'lib-scalar-resident': 'scal.res',
  'lib-simd-plain': 'simd.f32', 'lib-relaxed-plain': 'rlx.f32', 'lib-scalar-plain': 'scal.f32',
  'lib-relaxed-resident-t2': 'rlx.t2', 'lib-simd-resident-t2': 'simd.t2', 'lib-scalar-resident-t2': 'scal.t2',
  'lib-relaxed-resident-tauto': 'rlx.tA', 'lib-simd-resident-tauto': 'simd.tA', 'lib-scalar-resident-tauto': 'scal.tA',
  'lib-simd-plain-t2': 'f32.t2', 'lib-relaxed-plain-t2': 'rf32.t2', 'lib-scalar-plain-t2': 'sf32.t2',
  'lib-simd-new': 'simd.new', 'lib-relaxed-new': 'rlx.new', 'lib-scalar-new': 'scal.new',
  'plain-js': 'js', 'tfjs-wasm-op': 'tfw.op', 'tfjs-wasm-e2e': 'tfw.e2e', 'tfjs-cpu-op': 'tfc.op', 'tfjs-cpu-e2e': 'tfc.e2e',
  'ort-wasm': 'ort', 'copy-wasm': 'copy', 'copy-set': 'set',
};
export const shortName = (id) => SHORT[id] ?? id;

export function contestantLines(results) {
  return results.contestants.map((c) => `${c.status === 'failed' ? '!! FAILED ' : '   '}${padEnd(c.id, 22)} ${c.version ?? ''}${c.status === 'failed' ? ` -- ${c.reason}` : ''}`);
}

/** Throughput table (million elements/s) per cell; ratio columns of the simd resident build. */
export function throughputTable(results, { sizes } = {}) {
  const ids = results.contestants.map((c) => c.id);
  const header = [padEnd('function', 14), padEnd('work', 9), pad('n', 8), ...ids.map((id) => pad(shortName(id), 8)), pad('vs js', 6), pad('vs tfw', 6), pad('vs cpy', 6), pad('ns/el', 6), pad('iqr%', 5)].join(' ');
  const lines = ['Million elements per second (median); ratios and ns/element for simd.res', header];
  for (const cell of results.cells) {
    if (sizes && !sizes.includes(cell.size)) continue;
    const r = cell.results;
    const mine = r['lib-simd-resident'];
    const tf = cell.work === 'forward' ? r['tfjs-wasm-op'] : r['tfjs-wasm-op'];
    lines.push([
      padEnd(cell.fn, 14), padEnd(cell.work === 'backward-saved' ? 'bwd-saved' : cell.work, 9), pad(cell.elements, 8),
      ...ids.map((id) => pad(mel(r[id]), 8)),
      pad(x(speedup(mine, r['plain-js'])), 6), pad(x(speedup(mine, tf)), 6), pad(x(speedup(mine, r['copy-wasm'])), 6),
      pad(mine?.status === 'ok' ? mine.nsPerElement.toPrecision(2) : '-', 6),
      pad(mine?.status === 'ok' ? (100 * mine.relIqr).toFixed(0) : '-', 5),
    ].join(' '));
  }
  return lines;
}

export function accuracyTable(results) {
  if (!results.accuracy) return [];
  const ids = [...new Set(results.accuracy.errors.map((e) => e.contestant))];
  const lines = ['Max error in float32 ULPs against float64 (fixed sample)', [padEnd('function', 14), padEnd('work', 9), ...ids.map((id) => pad(shortName(id), 9))].join(' ')];
  const keys = [...new Set(results.accuracy.errors.map((e) => `${e.fn}|${e.work}`))];
  for (const key of keys) {
    const [fn, work] = key.split('|');
    const row = ids.map((id) => {
      const e = results.accuracy.errors.find((a) => a.fn === fn && a.work === work && a.contestant === id);
      return pad(!e ? '-' : e.error ? 'ERR' : e.maxUlp === Infinity ? 'Inf' : e.maxUlp > 99999 ? e.maxUlp.toExponential(1) : e.maxUlp, 9);
    });
    lines.push([padEnd(fn, 14), padEnd(work === 'backward-saved' ? 'bwd-saved' : work, 9), ...row].join(' '));
  }
  // Read beside the table: large 'backward' numbers where 'bwd-saved' is small are not a broken
  // kernel but the float32 output those backward passes start from.
  lines.push('Rules as the tests: subnormal and near-zero-of-g\' allowances; backward = (x, dy) -> dx against the exact',
    "derivative at x. Passes that start from the float32 output (TF.js's sigmoid, tanh, elu; softmax, logSoftmax)",
    'lose there: sigmoid(17) rounds to 1, so its slope comes out 0; this library\'s sigmoid and tanh take x (BackwardFromInput).',
    'bwd-saved: the backward pass alone, from the saved tensor.');
  return lines;
}

/** Time on one thread over time on N, per cell, for each threaded contestant (columns); `sizes` filters. */
export function scalingTable(results, { sizes } = {}) {
  const { ids, versions, rows } = scalingGrid(results, (r) => !sizes || sizes.includes(r.size));
  if (rows.length === 0) return [];
  return [
    `Thread scaling: time on 1 thread / time on N, same build and arguments (${ids.map((id) => `${shortName(id)} = ${versions.get(id)}`).join('; ')})`,
    [padEnd('function', 14), padEnd('work', 9), pad('n', 8), ...ids.map((id) => pad(shortName(id), 8))].join(' '),
    ...rows.map((row) => [padEnd(row.fn, 14), padEnd(row.work === 'backward-saved' ? 'bwd-saved' : row.work, 9), pad(row.elements, 8), ...ids.map((id) => pad(x(row.ratio(id)), 8))].join(' ')),
  ];
}

/** The paired ratios: two passes of the simd build timed in the same cell. */
export function pairLines(results) {
  if (!results.pairs?.length) return [];
  const name = ([fn, work]) => `${fn} ${work === 'backward-saved' ? 'bwd-saved' : work}`;
  return ['Paired ratios (simd, resident; both passes timed in the same interleaved rounds):',
    ...results.pairs.map((p) => `  ${padEnd(`${name(p.a)} / ${name(p.b)}`, 40)} ${pad(p.size, 8)}  ${Number.isFinite(p.ratio) ? p.ratio.toFixed(2) + 'x' : 'n/a'}`), ''];
}

export function targetLines(results) {
  return results.targets.map((t) => `${padEnd(t.status, 4)} ${t.label}: ${t.detail}`);
}

export function textReport(results, { tableSizes } = {}) {
  const m = results.machine;
  return [
    `simd-activations benchmark, ${results.started}, ${results.seconds.toFixed(0)} s`,
    `Machine: ${m.cpu}, ${m.cores} cores, ${m.os}; Node ${m.node} ${m.execArgv.join(' ')}; builds this engine runs: ${m.supportedBuilds.join(', ')}`,
    'Contestants:',
    ...contestantLines(results),
    '',
    ...throughputTable(results, { sizes: tableSizes }),
    '',
    ...scalingTable(results, { sizes: tableSizes && [...tableSizes, ...THREAD_SIZES] }),
    '',
    ...accuracyTable(results),
    '',
    ...pairLines(results),
    'Targets:',
    ...targetLines(results),
  ].join('\n');
}
