// A/B of kernel variants: several .wasm files of the same build (e.g. main's and a branch's) and
// TF.js wasm's op, interleaved round by round on the same data; prints each one's median
// throughput and its ratio to TF.js (the last column). For kernel work on a shared, noisy
// machine, where only ratios measured in one run mean anything.
//   node bench/ab.mjs OPS SIZES NAME=PATH.wasm[:build] ...
//   node bench/ab.mjs softmax/10,softmax/1000 1e5,1e6 old=/tmp/old/simd.wasm new=build/simd.wasm
//   (relaxed files: add :relaxed and run node with --experimental-wasm-relaxed-simd on Node 20)
// OPS: forward names (elu, softmax/COLS) or NAMEBackward (timed as the forward pass + the backward
// pass, from the output y for softmax/logSoftmax and from x for elementwise ones such as elu: as
// the harness's 'backward' work and tf.grad do). ROUNDS=15 by default.
import { loadVariants, timeInterleaved } from './variants.mjs';
import { tfjsContestant } from './contestants/tfjs.mjs';
import { cellInputs } from './random.mjs';
const [opsArg, sizesArg, ...variants] = process.argv.slice(2);
const libs = await loadVariants(variants);
const tf = tfjsContestant('wasm', 'op');
await tf.setup();
for (const op of opsArg.split(',')) {
  const [name, colsS] = op.split('/');
  const cols = colsS ? Number(colsS) : undefined;
  for (const size of sizesArg.split(',').map(Number)) {
    const n = cols ? Math.round(size / cols) * cols : size;
    const data = cellInputs(n);
    const runners = [];
    for (const l of libs) {
      const x = l.act.from(data.x), out = l.act.alloc(n);
      const dy = l.act.from(data.dy);
      const opts = cols ? { cols, out } : { out };
      const y = l.act.alloc(n);
      const base = name.replace('Backward', '');
      const f = name.endsWith('Backward') ? () => { l.act[base](x, cols ? { cols, out: y } : { out: y }); l.act[name](dy, cols ? y : x, opts); } : () => l.act[name](x, opts);
      runners.push({ name: l.name, run: f });
    }
    const fn = cols ? { kernel: name.replace('Backward', ''), kind: 'rowwise', cols, params: {} } : { kernel: name.replace('Backward', ''), kind: 'elementwise', params: { alpha: 1 } };
    let tfr = null;
    try { tfr = await tf.prepare(fn, name.endsWith('Backward') ? 'backward' : 'forward', data); runners.push({ name: 'tfjs', run: tfr.run }); } catch (e) {}
    const meds = timeInterleaved(runners, n);
    const ref = meds[meds.length - 1];
    console.log(`${op.padEnd(16)} ${String(n).padStart(8)} ` + runners.map((c, i) => `${c.name} ${(n / meds[i] / 1e3).toFixed(0)}M/s ${(ref / meds[i]).toFixed(2)}x`).join('  '));
    tfr?.dispose();
  }
}
