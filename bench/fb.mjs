// Forward and backward kernels alone, resident buffers, several .wasm files side by side,
// interleaved round by round: prints each variant's median throughput per kernel and the
// backward/forward ratio of each variant (only ratios measured in one run mean anything).
//   node bench/fb.mjs silu,mish,geluTanh,sigmoid 65536,1e6 base=/tmp/base/simd.wasm new=build/simd.wasm
// A name ending in Backward is timed as the backward kernel alone (dy, x); others as the forward.
import { loadVariants, timeInterleaved } from './variants.mjs';
import { cellInputs } from './random.mjs';
const [opsArg, sizesArg, ...variants] = process.argv.slice(2);
const libs = await loadVariants(variants);
const ops = opsArg.split(',');
for (const size of sizesArg.split(',').map(Number)) {
  const data = cellInputs(size);
  const runners = [];
  for (const l of libs) {
    const x = l.act.from(data.x), dy = l.act.from(data.dy), out = l.act.alloc(size);
    for (const op of ops) {
      // NAME:tanh passes { approximate: 'tanh' } (GELU's tanh form).
      const [fn, variant] = op.split(':');
      const opts = variant ? { approximate: variant, out } : { out };
      const run = fn.endsWith('Backward') ? () => l.act[fn](dy, x, opts) : () => l.act[fn](x, opts);
      runners.push({ lib: l.name, op, run });
    }
  }
  const meds = timeInterleaved(runners, size);
  const rate = (i) => size / meds[i] / 1e3;
  for (const l of libs) {
    const line = [];
    for (const op of ops) {
      const i = runners.findIndex((c) => c.lib === l.name && c.op === op);
      let s = `${op} ${rate(i).toFixed(0)}M/s`;
      if (op.includes('Backward')) {
        const j = runners.findIndex((c) => c.lib === l.name && c.op === op.replace('Backward', ''));
        if (j >= 0) s += ` (${(meds[j] / meds[i]).toFixed(2)}x fwd)`;
      }
      line.push(s);
    }
    console.log(`${String(size).padStart(8)} ${l.name.padEnd(6)} ` + line.join('  '));
  }
}
