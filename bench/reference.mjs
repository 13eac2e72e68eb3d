// Float64 references, keyed by kernel name: the formula evaluated in float64 from the float32
// inputs; the caller rounds to float32. Forms are chosen so float64 itself does not cancel
// (erfc(-x/sqrt2) rather than 1 + erf(x/sqrt2); sigmoid(x) sigmoid(-x) rather than s (1 - s)).
// `slope(x, p)` is g'(x) from the input; `slopeFromOutput(y)` is g' from the output for the
// activations whose backward pass saves the output.

import erfc from '@stdlib/math-base-special-erfc';

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);
const SELU_ALPHA = 1.6732632423543772848170429916717;
const SELU_SCALE = 1.0507009873554804934193349852946;

const sigmoid = (x) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));
const sigmoidSlope = (x) => sigmoid(x) * sigmoid(-x);
const softplus1 = (x) => (x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x)));
const geluTanhArg = (x) => 2 * SQRT_2_OVER_PI * (x + 0.044715 * x * x * x);
const isNaN = Number.isNaN;

export const REFERENCE = {
  sigmoid: { forward: sigmoid, slope: sigmoidSlope, slopeFromOutput: (y) => y * (1 - y) },
  tanh: { forward: Math.tanh, slope: (x) => 1 / Math.cosh(x) ** 2, slopeFromOutput: (y) => 1 - y * y },
  relu: { forward: (x) => (isNaN(x) ? x : Math.max(x, 0)), slope: (x) => (x > 0 ? 1 : 0) },
  relu6: { forward: (x) => (isNaN(x) ? x : Math.min(Math.max(x, 0), 6)), slope: (x) => (x > 0 && x < 6 ? 1 : 0) },
  leakyRelu: { forward: (x, p) => (x > 0 ? x : x * p.alpha), slope: (x, p) => (x > 0 ? 1 : p.alpha) },
  elu: { forward: (x, p) => (x > 0 ? x : p.alpha * Math.expm1(x)), slope: (x, p) => (x > 0 ? 1 : p.alpha * Math.exp(x)) },
  selu: {
    forward: (x) => SELU_SCALE * (x > 0 ? x : SELU_ALPHA * Math.expm1(x)),
    slope: (x) => (x > 0 ? SELU_SCALE : SELU_SCALE * SELU_ALPHA * Math.exp(x)),
  },
  gelu: {
    forward: (x) => 0.5 * x * erfc(-x / Math.SQRT2),
    slope: (x) => 0.5 * erfc(-x / Math.SQRT2) + x * INV_SQRT_2PI * Math.exp(-0.5 * x * x),
  },
  geluTanh: {
    forward: (x) => x * sigmoid(geluTanhArg(x)),
    slope: (x) => sigmoid(geluTanhArg(x)) + x * sigmoidSlope(geluTanhArg(x)) * 2 * SQRT_2_OVER_PI * (1 + 3 * 0.044715 * x * x),
  },
  silu: { forward: (x) => x * sigmoid(x), slope: (x) => sigmoid(x) * (1 + x * sigmoid(-x)) },
  mish: {
    forward: (x) => x * Math.tanh(softplus1(x)),
    slope: (x) => Math.tanh(softplus1(x)) + (x * sigmoid(x)) / Math.cosh(softplus1(x)) ** 2,
  },
  softplus: {
    forward: (x, p) => (Math.fround(x * p.beta) > p.threshold ? x : softplus1(Math.fround(x * p.beta)) / p.beta),
    slope: (x, p) => (Math.fround(x * p.beta) > p.threshold ? 1 : sigmoid(Math.fround(x * p.beta))),
  },
  hardSigmoid: { forward: (x) => (isNaN(x) ? x : Math.min(Math.max(x / 6 + 0.5, 0), 1)), slope: (x) => (x > -3 && x < 3 ? 1 / 6 : 0) },
  hardSwish: {
    forward: (x) => (isNaN(x) ? x : (x * Math.min(Math.max(x + 3, 0), 6)) / 6),
    slope: (x) => (x < -3 ? 0 : x <= 3 ? x / 3 + 0.5 : 1),
  },
  softsign: { forward: (x) => x / (1 + Math.abs(x)), slope: (x) => 1 / (1 + Math.abs(x)) ** 2 },
};

export const ROW_REFERENCE = {
  softmax: {
    forward(row) {
      const m = Math.max(...row);
      const e = row.map((v) => Math.exp(v - m));
      const s = e.reduce((a, b) => a + b, 0);
      return e.map((v) => v / s);
    },
    /** dx = y (dy - sum(dy y)) */
    backwardFromOutput(dy, y) {
      let dot = 0;
      for (let i = 0; i < y.length; i++) dot += dy[i] * y[i];
      return y.map((v, i) => v * (dy[i] - dot));
    },
  },
  logSoftmax: {
    forward(row) {
      const m = Math.max(...row);
      const l = Math.log(row.reduce((a, v) => a + Math.exp(v - m), 0));
      return row.map((v) => v - m - l);
    },
    /** dx = dy - exp(y) sum(dy) */
    backwardFromOutput(dy, y) {
      const s = dy.reduce((a, b) => a + b, 0);
      return y.map((v, i) => dy[i] - Math.exp(v) * s);
    },
  },
};

/**
 * The float32-rounded reference result of a cell's work on the given inputs, or undefined when no
 * reference exists for that kernel. `rowRef` flows through rows of `cols`.
 */
export function referenceResult(fn, work, x, dy, saved) {
  const n = x.length;
  const out = new Float32Array(n);
  if (fn.kind === 'rowwise') {
    const ref = ROW_REFERENCE[fn.name];
    if (!ref) return undefined;
    for (let r = 0; r < n; r += fn.cols) {
      const xs = Array.from(x.subarray(r, r + fn.cols));
      let res;
      if (work === 'forward') res = ref.forward(xs);
      else {
        const dys = Array.from(dy.subarray(r, r + fn.cols));
        const ys = work === 'backward' ? ref.forward(xs) : Array.from(saved.subarray(r, r + fn.cols));
        res = ref.backwardFromOutput(dys, ys);
      }
      out.set(res, r);
    }
    return out;
  }
  const ref = REFERENCE[fn.kernel];
  if (!ref) return undefined;
  const p = fn.params;
  for (let i = 0; i < n; i++) {
    if (work === 'forward') out[i] = ref.forward(x[i], p);
    else if (work === 'backward') out[i] = dy[i] * ref.slope(x[i], p);
    else out[i] = dy[i] * (fn.saved === 'output' ? ref.slopeFromOutput(saved[i]) : ref.slope(saved[i], p));
  }
  return out;
}
