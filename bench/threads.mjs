// Thread scaling: time of one call with 1 thread over its time with N threads (resident buffers,
// so that only the kernel is measured), for the cases of issue 11, and with --thresholds the
// sizes around the split thresholds (src/threads/thresholds.ts), each size forced to split.
//
//   node [--no-liftoff] bench/threads.mjs [--backend simd] [--threads 2] [--thresholds | --costs [--write]]
// --costs prints each kernel's time per element on one thread, the table behind the thresholds;
// --write (under --no-liftoff) writes it to src/generated/costs.ts.
// Ratios above 1 mean the threaded instance is faster. One run measures both instances
// alternately, so that the load of a shared machine falls on both alike.

import { init } from '../dist/index.js';
import { POOLS } from '../dist/threads/pool.js';
import { machineScaling } from './scaling.mjs';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? fallback : process.argv[i + 1];
};
const backend = arg('backend', 'simd');
const threads = Number(arg('threads', '2'));
const one = await init({ backend });
const many = await init({ backend, threads });
if (many.threads !== threads) console.log(`note: ${many.threads} threads in use (asked ${threads})`);

/** Median of per-call times, both instances measured in alternating rounds of ~20 ms. */
function ratio(run1, runN) {
  const t1 = [];
  const tN = [];
  const round = (f) => {
    let reps = 0;
    const start = performance.now();
    let now = start;
    while (now - start < 20 || reps < 3) {
      f();
      reps++;
      now = performance.now();
    }
    return (now - start) / reps;
  };
  round(run1);
  round(runN);
  for (let i = 0; i < 15; i++) {
    t1.push(round(run1));
    tN.push(round(runN));
  }
  const median = (a) => a.sort((x, y) => x - y)[a.length >> 1];
  return { one: median(t1), many: median(tN) };
}

function data(act, n) {
  const x = act.alloc(n);
  const a = x.array;
  for (let i = 0; i < n; i++) a[i] = Math.sin(i * 12.9898) * 8;
  return { x, out: act.alloc(n) };
}

function measure(label, n, call) {
  const d1 = data(one, n);
  const dN = data(many, n);
  const { one: t1, many: tN } = ratio(() => call(one, d1), () => call(many, dN));
  console.log(`${label.padEnd(34)} ${(t1 * 1000).toFixed(1).padStart(10)} us ${(tN * 1000).toFixed(1).padStart(10)} us   ${(t1 / tN).toFixed(2)}x`);
  for (const d of [d1, dN]) {
    d.x.free();
    d.out.free();
  }
}

/** A dense layer's forward or backward pass, [batch x inputs] . [inputs x outputs], resident. */
function measureDense(label, batch, inputs, outputs, work) {
  const shape = { batch, inputs, outputs };
  const setup = (act) => {
    const fill = (n, s) => {
      const b = act.alloc(n);
      b.array.set(new Float32Array(n).map((_, i) => Math.sin((i + s) * 12.9898)));
      return b;
    };
    return { x: fill(batch * inputs, 1), w: fill(inputs * outputs, 2), delta: fill(batch * outputs, 3), out: act.alloc(batch * outputs) };
  };
  const d1 = setup(one);
  const dN = setup(many);
  const call = work === 'forward'
    ? (act, d) => act.dense(d.x, d.w, { ...shape, activation: 'relu', out: d.out })
    : (act, d) => { for (const g of Object.values(act.denseBackward({ x: d.x, w: d.w, delta: d.delta, ...shape }))) g.free(); };
  const { one: t1, many: tN } = ratio(() => call(one, d1), () => call(many, dN));
  console.log(`${label.padEnd(34)} ${(t1 * 1000).toFixed(1).padStart(10)} us ${(tN * 1000).toFixed(1).padStart(10)} us   ${(t1 / tN).toFixed(2)}x`);
  for (const d of [d1, dN]) for (const b of Object.values(d)) b.free();
}

const sigmoid = (act, d) => act.sigmoid(d.x, { out: d.out });
const relu = (act, d) => act.relu(d.x, { out: d.out });
const gelu = (act, d) => act.gelu(d.x, { out: d.out });
const tanh = (act, d) => act.tanh(d.x, { out: d.out });
const softmax1000 = (act, d) => act.softmax(d.x, { cols: 1000, out: d.out });

if (process.argv.includes('--costs')) {
  // The costs set the shipped thresholds: measured in optimised code only (see bench/run.mjs).
  if (process.argv.includes('--write') && !process.execArgv.includes('--no-liftoff')) {
    console.error('--costs --write: run as node --no-liftoff bench/threads.mjs --costs --write, so that no kernel is timed in baseline code');
    process.exit(2);
  }
  // ns per element of every elementwise and row-wise kernel: 65536 elements (in cache), resident,
  // the least of 30 runs of 10 calls (the least is what the kernel costs without preemption).
  const n = 65536;
  const x = one.alloc(n);
  const dy = one.alloc(n);
  const out = one.alloc(n);
  x.array.set(new Float32Array(n).map((_, i) => Math.sin(i) * 8));
  dy.array.fill(0.3);
  // Least time per call in ms of 30 runs of 10 calls.
  const best = (f) => {
    let least = Infinity;
    for (let r = 0; r < 30; r++) {
      const t = performance.now();
      for (let i = 0; i < 10; i++) f();
      least = Math.min(least, (performance.now() - t) / 10);
    }
    return least;
  };
  const cost = (f) => +((best(f) * 1e6) / n).toFixed(2);
  const { ELEMENTWISE } = await import('../dist/table.js');
  const costs = {};
  for (const [name, spec] of Object.entries(ELEMENTWISE)) {
    const variants = spec.variants ? Object.entries(spec.variants.kernels) : [[undefined, name]];
    for (const [choice, kernel] of variants) {
      const o = spec.variants ? { out, [spec.variants.option]: choice } : { out };
      costs[kernel] = cost(() => one[name](x, o));
      costs[`${kernel}Backward`] = cost(() => one[`${name}Backward`](dy, x, o));
      costs[`${kernel}Derivative`] = cost(() => one[`${name}Derivative`](x, o));
      if (spec.saved === 'output') costs[`${kernel}BackwardFromInput`] = cost(() => one[`${name}BackwardFromInput`](dy, x, o));
    }
  }
  for (const name of ['softmax', 'logSoftmax']) {
    costs[name] = cost(() => one[name](x, { out, cols: 64 }));
    costs[`${name}Backward`] = cost(() => one[`${name}Backward`](dy, x, { out, cols: 64 }));
  }
  // Per multiply-add, at the fastest of a few layer shapes: every product split then has at least
  // SPLIT_WORK_NS of work.
  const perProduct = [[256, 256, 256], [64, 64, 64], [1000, 100, 10], [32, 784, 128]].map(([batch, inputs, outputs]) => {
    const xs = one.alloc(batch * inputs);
    const w = one.alloc(inputs * outputs);
    const z = one.alloc(batch * outputs);
    xs.array.fill(0.5);
    w.array.fill(0.25);
    const ms = best(() => one.dense(xs, w, { batch, inputs, outputs, out: z }));
    for (const b of [xs, w, z]) b.free();
    return (ms * 1e6) / (batch * inputs * outputs);
  });
  costs.matmul = +Math.min(...perProduct).toFixed(3);
  if (process.argv.includes('--write')) {
    const { writeFileSync } = await import('node:fs');
    const { cpus } = await import('node:os');
    const when = new Date().toISOString().slice(0, 10);
    const lines = Object.entries(costs).map(([k, v]) => `  ${k}: ${v},`).join('\n');
    writeFileSync(new URL('../src/generated/costs.ts', import.meta.url), `// Generated by \`node --no-liftoff bench/threads.mjs --costs --write\` (${backend} build, one thread, ${cpus()[0]?.model ?? 'unknown CPU'},
// ${cpus().length} cores, ${when}): measure again after a kernel changes, do not edit.
// ns per element of each kernel export (row-wise: per element over rows of 64; matmul: per
// multiply-add), the least of 30 runs of 10 calls on 65536 resident elements.

export const COSTS: Readonly<Record<string, number>> = {
${lines}
};
`);
    console.log('wrote src/generated/costs.ts');
  } else console.log(JSON.stringify(costs, null, 1));
  process.exit(0);
}

console.log(`${backend} build, ${many.threads} threads against 1; per call: 1 thread, ${many.threads} threads, ratio`);
if (!process.argv.includes('--thresholds')) {
  console.log(`${'machine check: a JS loop split'.padEnd(34)} ${''.padStart(24)}   ${(await machineScaling(many.threads)).toFixed(2)}x`);
}
if (process.argv.includes('--thresholds')) {
  // Every size split, to see where splitting starts to pay.
  POOLS.get(many).threshold = 0;
  // What a split costs: a call of 32 elements (16 per thread) split, against the same call unsplit.
  {
    const d1 = data(one, 32);
    const dN = data(many, 32);
    const t1 = [];
    const tN = [];
    for (let r = 0; r < 2000; r++) {
      let t = performance.now();
      sigmoid(one, d1);
      t1.push(performance.now() - t);
      t = performance.now();
      sigmoid(many, dN);
      tN.push(performance.now() - t);
    }
    const q = (a, p) => (a.sort((x, y) => x - y)[Math.floor(a.length * p)] * 1000).toFixed(1);
    console.log(`split round trip, 32 elements: median ${q(tN, 0.5)} us, p90 ${q(tN, 0.9)} us, p99 ${q(tN, 0.99)} us (unsplit: median ${q(t1, 0.5)} us)`);
  }
  const softmax64 = (act, d) => act.softmax(d.x, { cols: 64, out: d.out });
  for (const [name, call] of [['sigmoid', sigmoid], ['relu', relu], ['gelu', gelu], ['tanh', tanh], ['softmax/64', softmax64]]) {
    for (const n of [2048, 4096, 8192, 16384, 32768, 65536, 131072, 262144]) measure(`${name} ${n}`, n, call);
  }
} else {
  measure('sigmoid 4e6', 4e6, sigmoid);
  measure('gelu 2e6', 2e6, gelu);
  measure('softmax rows of 1000, 4e6', 4e6, softmax1000);
  measure('relu 1e7', 1e7, relu);
  measure('sigmoid 1000', 1000, sigmoid);
  measure('tanh 16384', 16384, tanh);
  measureDense('dense 256 x 512 -> 512, relu', 256, 512, 512, 'forward');
  measureDense('denseBackward 256 x 512 -> 512', 256, 512, 512, 'backward');
  measureDense('dense 32 x 784 -> 128 (not split)', 32, 784, 128, 'forward');
}
await many.close();
