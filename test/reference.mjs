// Float64 references: each formula evaluated in float64 from the float32 inputs, in the form that keeps float64 accurate (erfc instead of 1 + erf, sigmoid instead of
// 1 + tanh where those would cancel); the caller rounds to float32. Special values come out as
// the IEEE evaluation of the formula gives them (Inf * 0 = NaN), which is what PyTorch returns.
// Shared by the tests and `npm run accuracy`.

import erfc from '@stdlib/math-base-special-erfc';
import erf from '@stdlib/math-base-special-erf';

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);
const SELU_ALPHA = 1.6732632423543772848170429916717;
const SELU_SCALE = 1.0507009873554804934193349852946;

const sigmoid = (x) => 1 / (1 + Math.exp(-x));
// sigmoid(x) (1 - sigmoid(x)) without cancellation.
const sigmoidSlope = (x) => sigmoid(x) * sigmoid(-x);
const softplusOf = (x) => (x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x)));
const geluTanhArg = (x) => 2 * SQRT_2_OVER_PI * (x + 0.044715 * x * x * x);

/**
 * forward(x, p) and backward(dy, saved, p) per kernel name (the wasm export names); p holds the
 * activation's parameters by name. `saved` is y for sigmoid and tanh, x for the rest.
 */
export const REFERENCE = {
  // backwardFromInput: dy g'(x) from the input, where the backward pass takes the output.
  sigmoid: { forward: (x) => sigmoid(x), backward: (dy, y) => dy * y * (1 - y), backwardFromInput: (dy, x) => dy * sigmoidSlope(x) },
  tanh: {
    forward: (x) => Math.tanh(x),
    backward: (dy, y) => dy * (1 - y * y),
    // 1 - tanh(x)^2 = 4 sigmoid(2x) sigmoid(-2x), without the cancellation of 1 - tanh^2.
    backwardFromInput: (dy, x) => dy * 4 * sigmoidSlope(2 * x),
  },
  relu: { forward: (x) => (Number.isNaN(x) ? x : Math.max(x, 0)), backward: (dy, x) => (x <= 0 ? 0 : dy) },
  relu6: {
    forward: (x) => (Number.isNaN(x) ? x : Math.min(Math.max(x, 0), 6)),
    backward: (dy, x) => (x <= 0 || x >= 6 ? 0 : dy),
  },
  leakyRelu: {
    forward: (x, p) => (x > 0 ? x : x * p.alpha),
    backward: (dy, x, p) => (x > 0 ? dy : dy * p.alpha),
  },
  elu: {
    forward: (x, p) => (x > 0 ? x : p.alpha * Math.expm1(x)),
    backward: (dy, x, p) => (x <= 0 ? dy * p.alpha * Math.exp(x) : dy),
  },
  selu: {
    forward: (x) => SELU_SCALE * (x > 0 ? x : SELU_ALPHA * Math.expm1(x)),
    backward: (dy, x) => (x <= 0 ? dy * SELU_SCALE * SELU_ALPHA * Math.exp(x) : dy * SELU_SCALE),
  },
  gelu: {
    forward: (x) => 0.5 * x * erfc(-x / Math.SQRT2),
    backward: (dy, x) => dy * (0.5 * erfc(-x / Math.SQRT2) + x * INV_SQRT_2PI * Math.exp(-0.5 * x * x)),
  },
  geluTanh: {
    // 0.5 x (1 + tanh u) = x sigmoid(2u)
    forward: (x) => x * sigmoid(geluTanhArg(x)),
    backward: (dy, x) => {
      const v = geluTanhArg(x);
      const dv = 2 * SQRT_2_OVER_PI * (1 + 3 * 0.044715 * x * x);
      return dy * (sigmoid(v) + x * sigmoidSlope(v) * dv);
    },
  },
  silu: {
    forward: (x) => x * sigmoid(x),
    backward: (dy, x) => dy * sigmoid(x) * (1 + x * sigmoid(-x)),
  },
  mish: {
    forward: (x) => x * Math.tanh(softplusOf(x)),
    backward: (dy, x) => {
      const sp = softplusOf(x);
      const c = Math.cosh(sp);
      return dy * (Math.tanh(sp) + x * sigmoid(x) / (c * c));
    },
  },
  softplus: {
    // beta * x is formed in float32, as the kernel (and PyTorch's float32 path) does.
    forward: (x, p) => {
      const bx = Math.fround(x * p.beta);
      return bx > p.threshold ? x : softplusOf(bx) / p.beta;
    },
    backward: (dy, x, p) => {
      const bx = Math.fround(x * p.beta);
      return bx > p.threshold ? dy : dy * sigmoid(bx);
    },
  },
  hardSigmoid: {
    forward: (x) => (x <= -3 ? 0 : x >= 3 ? 1 : Number.isNaN(x) ? x : x / 6 + 0.5),
    backward: (dy, x) => (x > -3 && x < 3 ? dy / 6 : 0),
  },
  hardSwish: {
    forward: (x) => (x * (Number.isNaN(x) ? x : Math.min(Math.max(x + 3, 0), 6))) / 6,
    backward: (dy, x) => (x < -3 ? 0 : x <= 3 ? dy * (x / 3 + 0.5) : dy),
  },
  softsign: {
    forward: (x) => x / (1 + Math.abs(x)),
    backward: (dy, x) => dy / ((1 + Math.abs(x)) * (1 + Math.abs(x))),
  },
};

/** The building blocks in assembly/math, exported as math_NAME. */
export const MATH_REFERENCE = {
  exp: Math.exp,
  expm1: Math.expm1,
  log1p: Math.log1p,
  erf: (x) => erf(x),
  erfc: (x) => erfc(x),
};

/** Where a derivative crosses zero (facts of the functions), for the absolute-error allowance. */
export const DERIVATIVE_ZEROS = {
  gelu: [-0.751791524693564457],
  geluTanh: [-0.7517],
  silu: [-1.27846454276107380],
  mish: [-1.19237119],
  hardSwish: [-1.5],
};

/** Softmax over one row in float64. */
export function softmaxRow(x) {
  const m = Math.max(...x);
  const e = x.map((v) => Math.exp(v - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
}

/** log-softmax of one row in float64; log(sum) as log1p(sum - 1) with the maxima counted apart,
 * since 1 + (terms below 2^-52) would lose them (the kernel keeps them). */
export function logSoftmaxRow(x) {
  const m = Math.max(...x);
  let maxima = 0;
  let rest = 0;
  for (const v of x) {
    if (v === m) maxima++;
    else rest += Math.exp(v - m);
  }
  const l = Math.log1p(maxima - 1 + rest);
  return x.map((v) => v - m - l);
}

// ---- float32 ULP distance ----

const f32 = new Float32Array(1);
const i32 = new Int32Array(f32.buffer);

/** The float32 bit pattern mapped to an integer that orders like the values (-0 and +0 are 0). */
export function ordered(value) {
  f32[0] = value;
  const bits = i32[0];
  return bits < 0 ? -(bits & 0x7fffffff) : bits;
}

/** ULP distance of two float32 values; NaN to NaN is 0, NaN to a number is Infinity. */
export function ulpDistance(a, b) {
  const an = Number.isNaN(a);
  const bn = Number.isNaN(b);
  if (an || bn) return an && bn ? 0 : Infinity;
  return Math.abs(ordered(a) - ordered(b));
}

export const MIN_NORMAL = 2 ** -126;

// ---- samples ----

/** A deterministic generator (mulberry32), so every run tests the same points. */
export function rng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * `perBinade` float32 values with random mantissas in every binade of both signs (the 254 normal
 * exponents and the subnormals), plus the special values: ~perBinade * 510 points.
 */
export function denseSample(perBinade, seed = 1) {
  const random = rng(seed);
  const out = new Float32Array(perBinade * 255 * 2 + SPECIALS.length);
  const bits = new Uint32Array(out.buffer);
  let k = 0;
  for (let exponent = 0; exponent < 255; exponent++) {
    for (let i = 0; i < perBinade; i++) {
      const mantissa = Math.floor(random() * 0x800000);
      for (const sign of [0, 1]) bits[k++] = ((sign << 31) | (exponent << 23) | mantissa) >>> 0;
    }
  }
  out.set(SPECIALS, k);
  return out;
}

export const SPECIALS = [0, -0, Infinity, -Infinity, NaN, 88.8, -88.8, 1e4, -1e4, 1, -1, 3, -3, 6, -6, 20, -20, 87.3, -87.3, 103, -103, 104, -104];

/** Values spread over [lo, hi] (uniform), for the zones where a function changes. */
export function uniformSample(n, lo, hi, seed = 2) {
  const random = rng(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = lo + (hi - lo) * random();
  return out;
}

/** Standard normal values (Box-Muller), scaled. */
export function normalSample(n, scale = 1, seed = 3) {
  const random = rng(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const u = Math.max(random(), 1e-12);
    out[i] = scale * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
  }
  return out;
}
