// Dense-layer benchmark: the output-layer gradient step (batch 256, 512 inputs, 128 outputs,
// sigmoid, squared error: loss, dW, db, dx) and the matrix product [256 x 512].[512 x 128] alone,
// for simd-activations, a plain-JavaScript triple-loop implementation and TensorFlow.js 4.22 on its
// wasm backend (SIMD, one thread, as this library runs). Contestants run interleaved in rounds on
// the same data after a warm-up; the report gives medians, the spread (min-max of the rounds) and
// ratios measured in this one run. Everything goes in and out as plain Float32Array ("end to end":
// copies and tensor creation included); the library is also measured on resident buffers.
//
//   node bench/dense.mjs [--rounds N]     (relaxed build: node --experimental-wasm-relaxed-simd)

import { register } from 'node:module';
import { init } from '../dist/index.js';

const args = process.argv.slice(2);
const ROUNDS = Number(args[args.indexOf('--rounds') + 1] || 15);
const B = 256;
const M = 512;
const K = 128;
const FLOP_MATMUL = 2 * B * M * K;
const FLOP_STEP = 3 * FLOP_MATMUL; // x.W, x^T.delta, delta.W^T; the elementwise work is O(B K)

// ---- data ----
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = rng(42);
const fill = (n, s) => Float32Array.from({ length: n }, () => (rand() * 2 - 1) * s);
const x = fill(B * M, 1);
const w = fill(M * K, 1 / Math.sqrt(M));
const bias = fill(K, 0.1);
const t = Float32Array.from({ length: B * K }, () => (rand() < 0.5 ? 0 : 1));

// ---- plain JavaScript: the textbook triple loops ----
function jsOutputLayer() {
  const y = new Float32Array(B * K);
  const delta = new Float32Array(B * K);
  let loss = 0;
  for (let i = 0; i < B; i++) {
    for (let k = 0; k < K; k++) {
      let z = bias[k];
      for (let j = 0; j < M; j++) z += x[i * M + j] * w[j * K + k];
      const g = 1 / (1 + Math.exp(-z));
      const d = g - t[i * K + k];
      y[i * K + k] = g;
      delta[i * K + k] = d * g * (1 - g);
      loss += 0.5 * d * d;
    }
  }
  const dW = new Float32Array(M * K);
  for (let j = 0; j < M; j++) {
    for (let k = 0; k < K; k++) {
      let s = 0;
      for (let i = 0; i < B; i++) s += x[i * M + j] * delta[i * K + k];
      dW[j * K + k] = s;
    }
  }
  const db = new Float32Array(K);
  for (let i = 0; i < B; i++) for (let k = 0; k < K; k++) db[k] += delta[i * K + k];
  const dx = new Float32Array(B * M);
  for (let i = 0; i < B; i++) {
    for (let j = 0; j < M; j++) {
      let s = 0;
      for (let k = 0; k < K; k++) s += delta[i * K + k] * w[j * K + k];
      dx[i * M + j] = s;
    }
  }
  return { loss, y, delta, dW, db, dx };
}

// ---- TensorFlow.js wasm ----
// tfjs-core's gradient registrations are ES modules without file extensions; the harness's resolve
// hook (bench/tfjs-resolve-hook.mjs) lets Node load them.
register('./tfjs-resolve-hook.mjs', import.meta.url);
const tf = await import('@tensorflow/tfjs-core');
await import('@tensorflow/tfjs-core/dist/register_all_gradients.js');
const tfwasm = await import('@tensorflow/tfjs-backend-wasm');
tfwasm.setThreadsCount(1);
if (!(await tf.setBackend('wasm'))) throw new Error('tf.setBackend("wasm") failed');
const tfSimd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
if (!tfSimd) throw new Error('tfjs-backend-wasm runs without SIMD here; refusing to compare with its scalar build');

// loss(x, w, b) = 1/2 sum (sigmoid(x.w + b) - t)^2; tf.valueAndGrads gives the loss and dx, dW, db.
const tT = tf.tensor2d(t, [B, K]);
const tfLoss = (xs, ws, bs) => tf.mul(0.5, tf.sum(tf.square(tf.sub(tf.sigmoid(tf.add(tf.matMul(xs, ws), bs)), tT))));
const tfValueAndGrads = tf.valueAndGrads(tfLoss);
function tfOutputLayer() {
  const xs = tf.tensor2d(x, [B, M]);
  const ws = tf.tensor2d(w, [M, K]);
  const bs = tf.tensor1d(bias);
  const { value, grads } = tfValueAndGrads([xs, ws, bs]);
  const loss = value.dataSync()[0];
  const [dx, dW, db] = grads.map((g) => g.dataSync());
  for (const tensor of [xs, ws, bs, value, ...grads]) tensor.dispose();
  return { loss, dW, db, dx };
}
const tfX = tf.tensor2d(x, [B, M]);
const tfW = tf.tensor2d(w, [M, K]);
function tfMatmulE2E() {
  const xs = tf.tensor2d(x, [B, M]);
  const ws = tf.tensor2d(w, [M, K]);
  const z = tf.matMul(xs, ws);
  const values = z.dataSync();
  for (const tensor of [xs, ws, z]) tensor.dispose();
  return values;
}
function tfMatmulResident() {
  const z = tf.matMul(tfX, tfW);
  z.dataSync(); // the wasm backend computes eagerly; this only reads the 128 KiB result back
  z.dispose();
}

// ---- simd-activations ----
const act = await init();
const shape = { batch: B, inputs: M, outputs: K };
const libOutputLayer = () => act.outputLayerGradient({ x, w, t, bias, activation: 'sigmoid', ...shape });
const rx = act.from(x);
const rw = act.from(w);
const rt = act.from(t);
const rb = act.from(bias);
const rOut = { y: act.alloc(B * K), delta: act.alloc(B * K), dW: act.alloc(M * K), db: act.alloc(K), dx: act.alloc(B * M) };
const rz = act.alloc(B * K);
const libOutputLayerResident = () => act.outputLayerGradient({ x: rx, w: rw, t: rt, bias: rb, activation: 'sigmoid', ...shape, out: rOut });
const libMatmul = () => act.dense(x, w, shape);
const libMatmulResident = () => act.dense(rx, rw, { ...shape, out: rz });

// ---- agreement first: the contestants compute the same thing ----
{
  const a = libOutputLayer();
  const j = jsOutputLayer();
  const f = tfOutputLayer();
  const rel = (p, q) => {
    let num = 0;
    let den = 0;
    for (let i = 0; i < p.length; i++) {
      num = Math.max(num, Math.abs(p[i] - q[i]));
      den = Math.max(den, Math.abs(q[i]));
    }
    return num / den;
  };
  const worst = Math.max(rel(a.dW, j.dW), rel(a.dx, j.dx), rel(a.db, j.db), rel(f.dW, j.dW), rel(f.dx, j.dx), rel(f.db, j.db));
  const lossGap = Math.max(Math.abs(a.loss - j.loss), Math.abs(f.loss - j.loss)) / j.loss;
  if (!(worst < 1e-4 && lossGap < 1e-5)) throw new Error(`contestants disagree: max relative gradient difference ${worst}, loss ${lossGap}`);
  console.log(`agreement: gradients within ${worst.toExponential(1)} of the plain-JS result (relative to the largest), loss within ${lossGap.toExponential(1)}`);
}

// ---- timing: interleaved rounds ----
function timeOnce(fn, minMs) {
  let reps = 0;
  const start = performance.now();
  let now = start;
  do {
    fn();
    reps++;
    now = performance.now();
  } while (now - start < minMs);
  return (now - start) / reps;
}
const median = (v) => {
  const s = [...v].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const contestants = {
  step: [
    ['simd-activations (Float32Array)', libOutputLayer, 60],
    ['simd-activations (resident F32Buffer)', libOutputLayerResident, 60],
    ['TF.js wasm, tf.valueAndGrads (Float32Array)', tfOutputLayer, 60],
    ['plain JS triple loops', jsOutputLayer, 150],
  ],
  matmul: [
    ['simd-activations dense (Float32Array)', libMatmul, 40],
    ['simd-activations dense (resident)', libMatmulResident, 40],
    ['TF.js wasm matMul (Float32Array)', tfMatmulE2E, 40],
    ['TF.js wasm matMul (tensors)', tfMatmulResident, 40],
  ],
};
const times = Object.fromEntries(Object.values(contestants).flat().map(([name]) => [name, []]));
for (const [, fn] of Object.values(contestants).flat()) timeOnce(fn, 200); // warm-up: tiers up the JIT
for (let round = 0; round < ROUNDS; round++) {
  for (const [name, fn, ms] of Object.values(contestants).flat()) times[name].push(timeOnce(fn, ms));
}

const fmt = (ms) => `${ms.toFixed(2)} ms`;
const spread = (v) => `${fmt(Math.min(...v))} .. ${fmt(Math.max(...v))}`;
console.log(`\nsimd-activations ${act.backend} build; TF.js ${tf.version_core} wasm (SIMD, ${tfwasm.getThreadsCount()} thread); Node ${process.version}; ${ROUNDS} rounds`);
console.log(`\noutputLayerGradient, batch ${B}, ${M} inputs, ${K} outputs, sigmoid (loss, y, delta, dW, db, dx):`);
for (const [name] of contestants.step) {
  const m = median(times[name]);
  console.log(`  ${name.padEnd(46)} ${fmt(m).padStart(10)}  (${spread(times[name])})  ${(FLOP_STEP / m / 1e6).toFixed(2)} GFLOP/s`);
}
console.log(`\nmatrix product [${B} x ${M}].[${M} x ${K}]:`);
for (const [name] of contestants.matmul) {
  const m = median(times[name]);
  console.log(`  ${name.padEnd(46)} ${fmt(m).padStart(10)}  (${spread(times[name])})  ${(FLOP_MATMUL / m / 1e6).toFixed(2)} GFLOP/s`);
}
const med = (name) => median(times[name]);
// Ratios per round (same round, same conditions), then their median: robust to a noisy neighbour.
const ratio = (a, b) => median(times[a].map((v, i) => times[b][i] / v));
console.log('\nratios (speed-up of simd-activations, median over rounds of the per-round ratio):');
console.log(`  outputLayerGradient vs plain JS:          ${ratio('simd-activations (Float32Array)', 'plain JS triple loops').toFixed(1)}x   (target >= 10x)`);
console.log(`  outputLayerGradient vs TF.js wasm:        ${ratio('simd-activations (Float32Array)', 'TF.js wasm, tf.valueAndGrads (Float32Array)').toFixed(2)}x  (target >= 1.0x; both from Float32Array)`);
console.log(`  resident outputLayerGradient vs TF.js:    ${ratio('simd-activations (resident F32Buffer)', 'TF.js wasm, tf.valueAndGrads (Float32Array)').toFixed(2)}x`);
console.log(`  matmul vs TF.js wasm matMul (arrays):     ${ratio('simd-activations dense (Float32Array)', 'TF.js wasm matMul (Float32Array)').toFixed(2)}x`);
console.log(`  matmul vs TF.js wasm matMul (resident):   ${ratio('simd-activations dense (resident)', 'TF.js wasm matMul (tensors)').toFixed(2)}x`);
console.log(`  matmul GFLOP/s: simd-activations ${(FLOP_MATMUL / med('simd-activations dense (resident)') / 1e6).toFixed(2)}, TF.js wasm ${(FLOP_MATMUL / med('TF.js wasm matMul (tensors)') / 1e6).toFixed(2)} (resident, medians)`);

for (const b of [rx, rw, rt, rb, rz, ...Object.values(rOut)]) b.free();
tfX.dispose();
tfW.dispose();
tT.dispose();
