#!/usr/bin/env node
// npm run accuracy [-- options]: sweeps float32 inputs through every elementwise kernel (forward,
// backward with a fixed dy, derivative) and building block, in every build the engine runs, and
// prints the maximum error in ULPs per function and build against the float64 references.
//
//   --all                every one of the 2^32 float32 inputs (hours per function; combine with --only)
//   --step N             every N-th bit pattern (default 4099: ~1 million inputs, a few minutes)
//   --from A --to B      only bit patterns in [A, B) (hex or decimal), for splitting a full sweep
//   --only a,b           only these kernels (names as in the table: sigmoid, geluTanh, exp, ...)
//   --markdown           also print the README's table (max ulp / bound per pass)
//   --builds simd,scalar which builds (default: all the engine supports; relaxed needs
//                        node --experimental-wasm-relaxed-simd on Node 20)
// The README's accuracy table is this script's output.
import { loadBuild, supportedBackends } from '../dist/loader.js';
import { ELEMENTWISE, ELEMENTWISE_NAMES, MATH_BLOCKS, kernelsOf } from '../dist/table.js';
import { Arena, compare, paramsOf, referenceOf, runKernel } from '../test/measure.mjs';
import { MATH_REFERENCE, REFERENCE } from '../test/reference.mjs';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i < 0 ? fallback : args[i + 1];
};
const step = args.includes('--all') ? 1 : Number(option('step', 4099));
const from = Number(option('from', 0));
const to = Number(option('to', 2 ** 32));
const only = option('only', null)?.split(',');
const builds = option('builds', supportedBackends().join(',')).split(',');
const CHUNK = 1 << 20;

const arenas = new Map();
for (const b of builds) arenas.set(b, new Arena(await loadBuild(b), CHUNK));

/** Float32 inputs with bit patterns from, from + step, ... below to, in chunks. */
function* inputs() {
  const bits = new Uint32Array(CHUNK);
  const floats = new Float32Array(bits.buffer);
  let n = 0;
  for (let p = from; p < to; p += step) {
    bits[n++] = p >>> 0;
    if (n === CHUNK) {
      yield floats;
      n = 0;
    }
  }
  if (n) yield floats.subarray(0, n);
}

const rows = [];
function sweep(label, bound, kinds) {
  const worst = new Map(builds.map((b) => [b, { maxUlp: 0, failures: 0, count: 0, worst: null }]));
  for (const xs of inputs()) {
    for (const kind of kinds) {
      const { refFn, exportName, inputsOf, extra } = kind;
      const ins = inputsOf(xs);
      const ref = referenceOf(refFn, ins);
      for (const b of builds) {
        const got = runKernel(arenas.get(b), exportName, ins.length === 2 ? ins : [ins[0]], kind.a, kind.b);
        const r = compare(got, ref, bound, extra(ins));
        const w = worst.get(b);
        w.count += r.count;
        w.failures += r.failures;
        if (r.maxUlp > w.maxUlp) {
          w.maxUlp = r.maxUlp;
          w.worst = r.worst && { ...r.worst, input: ins[ins.length - 1][r.worst.index] };
        }
      }
    }
  }
  for (const b of builds) {
    const w = worst.get(b);
    rows.push({ function: label, build: b, bound, maxUlp: w.maxUlp, failures: w.failures, points: w.count, worstAt: w.worst?.input });
    console.log(`${label.padEnd(30)} ${b.padEnd(8)} max ${String(w.maxUlp).padStart(2)} ulp (bound ${bound})  ${w.failures ? `FAILURES ${w.failures}` : 'ok'}  ${w.count} points${w.worst ? `, worst at ${w.worst.input}` : ''}`);
  }
}

const DY = 0.7853981852531433; // a fixed upstream gradient with a full mantissa
for (const [name, { bound }] of Object.entries(MATH_BLOCKS)) {
  if (only && !only.includes(name)) continue;
  sweep(`${name} value`, bound, [{ refFn: MATH_REFERENCE[name], exportName: `math_${name}`, inputsOf: (xs) => [xs], extra: () => ({}) }]);
}
for (const name of ELEMENTWISE_NAMES) {
  const spec = ELEMENTWISE[name];
  const { a, b, named } = paramsOf(spec);
  for (const kernel of kernelsOf(name)) {
    if (only && !only.includes(kernel)) continue;
    const ref = REFERENCE[kernel];
    const savedOf = (xs) => (spec.saved === 'output' ? referenceOf((x) => ref.forward(x, named), [xs]) : xs);
    sweep(`${kernel} forward`, spec.bounds.forward, [{ refFn: (x) => ref.forward(x, named), exportName: kernel, inputsOf: (xs) => [xs], extra: () => ({}), a, b }]);
    sweep(`${kernel} backward`, spec.bounds.backward, [{
      refFn: (dy, s) => ref.backward(dy, s, named), exportName: `${kernel}Backward`, a, b,
      inputsOf: (xs) => [new Float32Array(xs.length).fill(DY), savedOf(xs)],
      extra: (ins) => ({ kernel, dys: ins[0], saved: ins[1] }),
    }]);
    if (ref.backwardFromInput) {
      sweep(`${kernel} from-input`, spec.bounds.backward, [{
        refFn: (dy, x) => ref.backwardFromInput(dy, x), exportName: `${kernel}BackwardFromInput`, a, b,
        inputsOf: (xs) => [new Float32Array(xs.length).fill(DY), xs],
        extra: (ins) => ({ kernel, dys: ins[0], saved: ins[1] }),
      }]);
    }
    sweep(`${kernel} derivative`, spec.bounds.backward, [{
      refFn: (s) => ref.backward(1, s, named), exportName: `${kernel}Derivative`, a, b,
      inputsOf: (xs) => [savedOf(xs)],
      extra: (ins) => ({ kernel, saved: ins[0] }),
    }]);
  }
}
if (args.includes('--markdown')) {
  // One row per function: max ULP per pass (the largest over the builds; per build where they differ).
  const byFunction = new Map();
  for (const r of rows) {
    const [fn, pass] = r.function.split(' ');
    if (!byFunction.has(fn)) byFunction.set(fn, {});
    (byFunction.get(fn)[pass] ??= []).push(r);
  }
  const cell = (list) => {
    if (!list) return '';
    const values = [...new Set(list.map((r) => r.maxUlp))];
    const shown = values.length === 1 ? `${values[0]}` : list.map((r) => `${r.maxUlp} (${r.build})`).join(', ');
    return `${shown} / ${list[0].bound}`;
  };
  console.log('\n| function | forward | backward | derivative | backward from the input |\n|---|---|---|---|---|');
  for (const [fn, passes] of byFunction) {
    const fwd = passes.forward ?? passes[Object.keys(passes)[0]];
    console.log(`| ${fn} | ${cell(fwd)} | ${cell(passes.backward)} | ${cell(passes.derivative)} | ${cell(passes['from-input'])} |`);
  }
}
const failed = rows.filter((r) => r.failures > 0);
console.log(failed.length ? `\n${failed.length} function/build pairs exceed their bound` : '\nevery function within its bound');
process.exitCode = failed.length ? 1 : 0;
