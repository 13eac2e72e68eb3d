// Gradient checks for the dense-layer API, shared by test/dense.test.ts (simd and scalar builds,
// in process) and test/dense-relaxed-child.mjs (the relaxed build, in a child Node process).
//
// Method: every gradient the library returns is compared with a central finite difference
// (f(θ + h) - f(θ - h)) / 2h of the loss evaluated in float64 from the same float32 inputs, with
// the activations re-implemented here in float64. Central differences err by O(h^2 f''') from
// truncation and O(eps64 |f| / h) from rounding (e.g. Nocedal & Wright, Numerical Optimization,
// 2nd ed., section 8.1): with h = 1e-6 both stay near 1e-10, far below float32's 6e-8, so the
// difference measured is the kernels' float32 error (or a bug).
//
// Tolerance: |library - fd| <= (n + 16) 2^-24 scale + ATOL, where `scale` is the L1 size of the
// sum that forms the gradient element, each term taken in float64 with its delta factor measured
// as (|y| + |t|) (|g'(z)| + 1) (the size of the float32 quantities delta is computed from). A
// float32 sum of n terms errs by at most n 2^-24 of that size (gamma_n, Higham, Accuracy and
// Stability of Numerical Algorithms, 2nd ed., section 3.1); n counts the terms of the gradient's own
// sum plus the inputs summed into z (whose float32 error moves g'(z)), and 16 ulps cover the
// pointwise steps (y, g' within 4 ulps each, y - t, the products). ATOL = 2^-40 only absorbs the
// finite difference's own ~1e-10 where a gradient is 0. A misindexed, transposed or mis-scaled
// product errs by O(scale), 10^5 times more.

import erfcImport from '@stdlib/math-base-special-erfc';
import { rng } from './reference.mjs';

export { rng };

const erfc = erfcImport;
const ulps = (n) => (n + 16) * 2 ** -24;
export const ATOL = 2 ** -40;
const H = 1e-6;

const SELU_ALPHA = 1.6732632423543772848170429916717;
const SELU_SCALE = 1.0507009873554804934193349852946;
const sigmoid = (x) => 1 / (1 + Math.exp(-x));
const softplus1 = (x) => (x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x)));

/** Float64 forward of every activation the output layer accepts (kernel name, parameters p). */
export const FORWARD64 = {
  sigmoid: (x) => sigmoid(x),
  tanh: (x) => Math.tanh(x),
  relu: (x) => Math.max(x, 0),
  relu6: (x) => Math.min(Math.max(x, 0), 6),
  leakyRelu: (x, p) => (x > 0 ? x : x * p.alpha),
  elu: (x, p) => (x > 0 ? x : p.alpha * Math.expm1(x)),
  selu: (x) => SELU_SCALE * (x > 0 ? x : SELU_ALPHA * Math.expm1(x)),
  gelu: (x) => 0.5 * x * erfc(-x / Math.SQRT2),
  geluTanh: (x) => x * sigmoid(2 * Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)),
  silu: (x) => x * sigmoid(x),
  mish: (x) => x * Math.tanh(softplus1(x)),
  // beta x in float64 here (the kernel forms it in float32, a relative 2^-24 apart: within the tolerance).
  softplus: (x, p) => (x * p.beta > p.threshold ? x : softplus1(x * p.beta) / p.beta),
  hardSigmoid: (x) => (x <= -3 ? 0 : x >= 3 ? 1 : x / 6 + 0.5),
  hardSwish: (x) => (x * Math.min(Math.max(x + 3, 0), 6)) / 6,
  softsign: (x) => x / (1 + Math.abs(x)),
};

/**
 * Every output activation as the API names it, with the float64 forward it stands for:
 * [label, options for the call, kernel name, parameters].
 */
export const OUTPUT_ACTIVATIONS = [
  ['sigmoid', { activation: 'sigmoid' }, 'sigmoid', {}],
  ['tanh', { activation: 'tanh' }, 'tanh', {}],
  ['relu', { activation: 'relu' }, 'relu', {}],
  ['relu6', { activation: 'relu6' }, 'relu6', {}],
  ['leakyRelu alpha 0.2', { activation: 'leakyRelu', alpha: 0.2 }, 'leakyRelu', { alpha: 0.2 }],
  ['leakyRelu default', { activation: 'leakyRelu' }, 'leakyRelu', { alpha: 0.01 }],
  ['elu alpha 0.7', { activation: 'elu', alpha: 0.7 }, 'elu', { alpha: 0.7 }],
  ['selu', { activation: 'selu' }, 'selu', {}],
  ['gelu', { activation: 'gelu' }, 'gelu', {}],
  ['gelu tanh', { activation: 'gelu', approximate: 'tanh' }, 'geluTanh', {}],
  ['silu', { activation: 'silu' }, 'silu', {}],
  ['mish', { activation: 'mish' }, 'mish', {}],
  ['softplus beta 2', { activation: 'softplus', beta: 2, threshold: 20 }, 'softplus', { beta: 2, threshold: 20 }],
  ['hardSigmoid', { activation: 'hardSigmoid' }, 'hardSigmoid', {}],
  ['hardSwish', { activation: 'hardSwish' }, 'hardSwish', {}],
  ['softsign', { activation: 'softsign' }, 'softsign', {}],
];

/** [batch, inputs, outputs]: batch 1, a single output, sizes not divisible by 4, one full 4 x 8 tile
 * and its tails, more than 256 inputs (two k blocks of x.W) and a batch over 256 (two of x^T.delta). */
export const SHAPES = [
  [1, 1, 1], [1, 6, 1], [3, 5, 2], [4, 8, 8], [7, 9, 17], [5, 13, 4], [2, 300, 3], [260, 3, 2],
];

export function randomArray(rand, n, scale = 1) {
  return Float32Array.from({ length: n }, () => (rand() * 2 - 1) * scale);
}

/** Largest |got - want| / (rtol * scale + ATOL) over a tensor (a value <= 1 passes). */
function worst(got, want, scale, rtol) {
  let w = 0;
  let at = -1;
  for (let i = 0; i < want.length; i++) {
    const r = Math.abs(got[i] - want[i]) / (rtol * scale[i] + ATOL);
    if (!(r <= w)) {
      w = r;
      at = i;
    }
  }
  return { ratio: w, at };
}

/**
 * Runs act.outputLayerGradient on a random problem and checks loss, y, delta, dW, db and dx against
 * float64 finite differences. Returns { ratios: {name: worst ratio}, ... } (all <= 1 to pass).
 */
export function checkOutputLayer(act, [batch, inputs, outputs], [, options, kernel, params], seed) {
  const rand = rng(seed);
  const x = randomArray(rand, batch * inputs);
  // Weights scaled so that z = x.W + b stays O(1) (away from saturation, where every gradient is ~0).
  const w = randomArray(rand, inputs * outputs, 1.5 / Math.sqrt(inputs));
  const bias = randomArray(rand, outputs, 0.5);
  const t = randomArray(rand, batch * outputs);
  const g = (v) => FORWARD64[kernel](v, params);
  const r = act.outputLayerGradient({ x, w, t, bias, batch, inputs, outputs, ...options });

  // z, y in float64.
  const z = new Float64Array(batch * outputs);
  for (let b = 0; b < batch; b++) {
    for (let k = 0; k < outputs; k++) {
      let s = bias[k];
      for (let j = 0; j < inputs; j++) s += x[b * inputs + j] * w[j * outputs + k];
      z[b * outputs + k] = s;
    }
  }
  const e = (v, tv) => 0.5 * (g(v) - tv) ** 2;
  let loss = 0;
  for (let i = 0; i < z.length; i++) loss += e(z[i], t[i]);

  // delta = dE/dz by central differences; its size for the tolerance (see the header).
  const delta = z.map((v, i) => (e(v + H, t[i]) - e(v - H, t[i])) / (2 * H));
  const size = z.map((v, i) => (Math.abs(g(v)) + Math.abs(t[i])) * (Math.abs((g(v + H) - g(v - H)) / (2 * H)) + 1));

  // dW[j,k]: W[j,k] moves z[b,k] by x[b,j] for every b.
  const dW = new Float64Array(inputs * outputs);
  const sW = new Float64Array(inputs * outputs);
  for (let j = 0; j < inputs; j++) {
    for (let k = 0; k < outputs; k++) {
      let d = 0;
      let s = 0;
      for (let b = 0; b < batch; b++) {
        const i = b * outputs + k;
        const xv = x[b * inputs + j];
        d += e(z[i] + H * xv, t[i]) - e(z[i] - H * xv, t[i]);
        s += size[i] * Math.abs(xv);
      }
      dW[j * outputs + k] = d / (2 * H);
      sW[j * outputs + k] = s;
    }
  }
  // db[k]: moves z[b,k] by 1 for every b.
  const db = new Float64Array(outputs);
  const sb = new Float64Array(outputs);
  for (let k = 0; k < outputs; k++) {
    for (let b = 0; b < batch; b++) {
      const i = b * outputs + k;
      db[k] += (e(z[i] + H, t[i]) - e(z[i] - H, t[i])) / (2 * H);
      sb[k] += size[i];
    }
  }
  // dx[b,j]: moves z[b,k] by W[j,k] for every k.
  const dx = new Float64Array(batch * inputs);
  const sx = new Float64Array(batch * inputs);
  for (let b = 0; b < batch; b++) {
    for (let j = 0; j < inputs; j++) {
      let d = 0;
      let s = 0;
      for (let k = 0; k < outputs; k++) {
        const i = b * outputs + k;
        const wv = w[j * outputs + k];
        d += e(z[i] + H * wv, t[i]) - e(z[i] - H * wv, t[i]);
        s += size[i] * Math.abs(wv);
      }
      dx[b * inputs + j] = d / (2 * H);
      sx[b * inputs + j] = s;
    }
  }
  const y = z.map(g);
  const sy = z.map((v) => Math.abs(g(v)) + Math.abs(v) + 1);
  let lossScale = 0;
  for (let i = 0; i < z.length; i++) lossScale += (Math.abs(y[i]) + Math.abs(t[i])) ** 2;
  return {
    ratios: {
      loss: Math.abs(r.loss - loss) / (ulps(inputs) * lossScale + ATOL),
      y: worst(r.y, y, sy, ulps(inputs)).ratio,
      delta: worst(r.delta, delta, size, ulps(inputs)).ratio,
      dW: worst(r.dW, dW, sW, ulps(batch + inputs)).ratio,
      db: worst(r.db, db, sb, ulps(batch + inputs)).ratio,
      dx: worst(r.dx, dx, sx, ulps(outputs + inputs)).ratio,
    },
    result: r,
  };
}

/** Softmax cross-entropy against float64 finite differences of the float64 loss. */
export function checkCrossEntropy(act, logits, targets, cols, reduction) {
  const r = act.softmaxCrossEntropy(logits, targets, { cols, reduction });
  const rows = logits.length / cols;
  const div = reduction === 'mean' ? rows : 1;
  // Row loss in float64: log-sum-exp shifted by the maximum.
  const rowLoss = (l, t) => {
    const m = Math.max(...l);
    const lse = m + Math.log(l.reduce((s, v) => s + Math.exp(v - m), 0));
    return l.reduce((s, v, j) => s + (t[j] === 0 ? 0 : t[j] * (lse - v)), 0);
  };
  let loss = 0;
  const grad = new Float64Array(logits.length);
  const scale = new Float64Array(logits.length);
  for (let rI = 0; rI < rows; rI++) {
    const l = Array.from(logits.subarray(rI * cols, (rI + 1) * cols));
    const t = Array.from(targets.subarray(rI * cols, (rI + 1) * cols));
    loss += rowLoss(l, t);
    const tSum = t.reduce((s, v) => s + Math.abs(v), 0);
    for (let j = 0; j < cols; j++) {
      // A step float64 resolves at the logit's size (10^4 float64 ulps at least).
      const h = Math.max(H, Math.abs(l[j]) * 2 ** -40);
      const up = l.slice();
      up[j] += h;
      const down = l.slice();
      down[j] -= h;
      grad[rI * cols + j] = (rowLoss(up, t) - rowLoss(down, t)) / (2 * h) / div;
      scale[rI * cols + j] = (tSum + Math.abs(t[j]) + 1) / div;
    }
  }
  let lossScale = 0;
  for (let i = 0; i < logits.length; i++) lossScale += Math.abs(targets[i]) * (Math.abs(logits[i]) + 1);
  return {
    ratios: {
      loss: Math.abs(r.loss - loss / div) / ((ulps(cols) * lossScale) / div + ATOL),
      grad: worst(r.grad, grad, scale, ulps(cols)).ratio,
    },
    result: r,
  };
}

/**
 * Two layers chained: h = tanh(x.W1 + b1), y = sigmoid(h.W2 + b2), E = 1/2 sum (y - t)^2. The
 * library's dW1 (outputLayerGradient, then its dx through tanhBackward into denseBackward) against
 * finite differences of the whole float64 network.
 */
export function checkChained(act, [batch, inputs, hidden, outputs], seed) {
  const rand = rng(seed);
  const x = randomArray(rand, batch * inputs);
  const w1 = randomArray(rand, inputs * hidden, 1.5 / Math.sqrt(inputs));
  const b1 = randomArray(rand, hidden, 0.5);
  const w2 = randomArray(rand, hidden * outputs, 1.5 / Math.sqrt(hidden));
  const b2 = randomArray(rand, outputs, 0.5);
  const t = randomArray(rand, batch * outputs);
  const h = act.dense(x, w1, { batch, inputs, outputs: hidden, bias: b1, activation: 'tanh' });
  const top = act.outputLayerGradient({ x: h, w: w2, t, bias: b2, batch, inputs: hidden, outputs, activation: 'sigmoid' });
  const dz1 = act.tanhBackward(top.dx, h);
  const g1 = act.denseBackward({ x, w: w1, delta: dz1, batch, inputs, outputs: hidden });

  const lossOf = (W1, B1) => {
    let loss = 0;
    for (let b = 0; b < batch; b++) {
      const hv = new Float64Array(hidden);
      for (let q = 0; q < hidden; q++) {
        let s = B1[q];
        for (let j = 0; j < inputs; j++) s += x[b * inputs + j] * W1[j * hidden + q];
        hv[q] = Math.tanh(s);
      }
      for (let k = 0; k < outputs; k++) {
        let s = b2[k];
        for (let q = 0; q < hidden; q++) s += hv[q] * w2[q * outputs + k];
        loss += 0.5 * (sigmoid(s) - t[b * outputs + k]) ** 2;
      }
    }
    return loss;
  };
  const W1 = Float64Array.from(w1);
  const B1 = Float64Array.from(b1);
  const fdW = new Float64Array(W1.length);
  for (let i = 0; i < W1.length; i++) {
    const v = W1[i];
    W1[i] = v + H;
    const up = lossOf(W1, B1);
    W1[i] = v - H;
    const down = lossOf(W1, B1);
    W1[i] = v;
    fdW[i] = (up - down) / (2 * H);
  }
  const fdb = new Float64Array(B1.length);
  for (let i = 0; i < B1.length; i++) {
    const v = B1[i];
    B1[i] = v + H;
    const up = lossOf(W1, B1);
    B1[i] = v - H;
    const down = lossOf(W1, B1);
    B1[i] = v;
    fdb[i] = (up - down) / (2 * H);
  }
  // Scale: the L1 size of the paths into each first-layer weight, with the output factor bounded by
  // (|y| + |t|)(|sigmoid'| + 1) <= 2 * 1.25 and |tanh'| <= 1.
  const pathW2 = new Float64Array(hidden);
  for (let q = 0; q < hidden; q++) for (let k = 0; k < outputs; k++) pathW2[q] += 2.5 * Math.abs(w2[q * outputs + k]);
  const sW = new Float64Array(W1.length);
  const sB = new Float64Array(B1.length);
  for (let j = 0; j < inputs; j++) {
    let sx = 0;
    for (let b = 0; b < batch; b++) sx += Math.abs(x[b * inputs + j]);
    for (let q = 0; q < hidden; q++) sW[j * hidden + q] = sx * pathW2[q];
  }
  for (let q = 0; q < hidden; q++) sB[q] = batch * pathW2[q];
  return {
    ratios: {
      dW1: worst(g1.dW, fdW, sW, ulps(batch + hidden + outputs + inputs)).ratio,
      db1: worst(g1.db, fdb, sB, ulps(batch + hidden + outputs + inputs)).ratio,
    },
  };
}
