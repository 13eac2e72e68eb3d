// The one table of activations: names, parameters, which tensor the backward pass saves, the
// wasm kernels behind each, and the accuracy bounds. The typed API (api.ts), the tests and the
// benchmark all read it; adding an activation starts here.

/** A numeric parameter of an activation, passed in the options object. */
export interface NumericParam {
  readonly default: number;
  /** Another value the tests also measure the bounds at. */
  readonly alternate: number;
  /** What values are accepted, for validation and the error message. */
  readonly domain: 'finite' | 'nonzero-finite';
  /**
   * The precision the kernel uses the value in: 'float32' parameters are rounded to float32 first
   * (as PyTorch's float32 path does), so they are validated after that rounding: 1e39 overflows.
   */
  readonly precision: 'float32' | 'float64';
}

/** Accuracy bounds in float32 ULPs against a float64 evaluation (README, accuracy table). */
export interface Bounds {
  readonly forward: number;
  readonly backward: number;
}

/** What a function computes, for the documentation generated into the typed API (hover text). */
export interface Doc {
  /** The forward value, as a formula in x (and the parameters). */
  readonly value: string;
  /** The derivative g', as the backward pass and the derivative use it (from y where they take y). */
  readonly slope: string;
}

export interface ElementwiseSpec {
  readonly doc: Doc;
  /** Which tensor the backward pass and the derivative take: the forward output or its input. */
  readonly saved: 'output' | 'input';
  readonly params: Readonly<Record<string, NumericParam>>;
  /** A string option choosing between kernels (GELU's `approximate`), kernel name per choice. */
  readonly variants?: { readonly option: string; readonly kernels: Readonly<Record<string, string>>; readonly default: string };
  readonly bounds: Bounds;
}

export const ELEMENTWISE = {
  sigmoid: {
    doc: { value: 'the logistic function 1 / (1 + e^(-x))', slope: 'y (1 - y), from the output y = sigmoid(x)' },
    saved: 'output',
    params: {},
    bounds: { forward: 2, backward: 4 },
  },
  tanh: {
    doc: { value: 'the hyperbolic tangent (e^x - e^(-x)) / (e^x + e^(-x))', slope: '1 - y^2, from the output y = tanh(x)' },
    saved: 'output',
    params: {},
    bounds: { forward: 2, backward: 4 },
  },
  relu: {
    doc: { value: 'max(x, 0)', slope: '1 where x > 0, else 0' },
    saved: 'input',
    params: {},
    bounds: { forward: 0, backward: 0 },
  },
  relu6: {
    doc: { value: 'min(max(x, 0), 6)', slope: '1 where 0 < x < 6, else 0' },
    saved: 'input',
    params: {},
    bounds: { forward: 0, backward: 0 },
  },
  leakyRelu: {
    doc: { value: 'x where x > 0, else alpha x', slope: '1 where x > 0, else alpha' },
    saved: 'input',
    params: { alpha: { default: 0.01, alternate: 0.2, domain: 'finite', precision: 'float64' } },
    bounds: { forward: 0, backward: 0 },
  },
  elu: {
    doc: { value: 'x where x > 0, else alpha (e^x - 1)', slope: '1 where x > 0, else alpha e^x' },
    saved: 'input',
    params: { alpha: { default: 1, alternate: 0.5, domain: 'finite', precision: 'float32' } },
    bounds: { forward: 4, backward: 4 },
  },
  selu: {
    doc: { value: 'scale x where x > 0, else scale alpha (e^x - 1), with scale = 1.0507 and alpha = 1.6733 (Klambauer et al. 2017)', slope: 'scale where x > 0, else scale alpha e^x' },
    saved: 'input',
    params: {},
    bounds: { forward: 4, backward: 4 },
  },
  gelu: {
    doc: { value: "x Phi(x), with Phi the standard normal CDF (approximate: 'none'), or 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))) (approximate: 'tanh')", slope: "Phi(x) + x phi(x), with phi the standard normal density, or the tanh form's own derivative" },
    saved: 'input',
    params: {},
    variants: { option: 'approximate', kernels: { none: 'gelu', tanh: 'geluTanh' }, default: 'none' },
    bounds: { forward: 4, backward: 4 },
  },
  silu: {
    doc: { value: 'x sigmoid(x) (also called swish)', slope: 'sigmoid(x) (1 + x (1 - sigmoid(x)))' },
    saved: 'input',
    params: {},
    bounds: { forward: 4, backward: 4 },
  },
  mish: {
    doc: { value: 'x tanh(softplus(x)) (Misra 2019)', slope: 'tanh(sp) + x sigmoid(x) (1 - tanh(sp)^2), with sp = softplus(x)' },
    saved: 'input',
    params: {},
    bounds: { forward: 4, backward: 4 },
  },
  softplus: {
    doc: { value: 'log(1 + e^(beta x)) / beta, and x itself where beta x > threshold', slope: 'sigmoid(beta x), and 1 where beta x > threshold' },
    saved: 'input',
    params: {
      beta: { default: 1, alternate: 2, domain: 'nonzero-finite', precision: 'float32' },
      threshold: { default: 20, alternate: 10, domain: 'finite', precision: 'float32' },
    },
    bounds: { forward: 4, backward: 4 },
  },
  hardSigmoid: {
    doc: { value: 'min(max(x / 6 + 1/2, 0), 1)', slope: '1/6 where -3 < x < 3, else 0' },
    saved: 'input',
    params: {},
    bounds: { forward: 4, backward: 4 },
  },
  hardSwish: {
    doc: { value: 'x min(max(x + 3, 0), 6) / 6', slope: '0 where x < -3, x / 3 + 1/2 where -3 <= x <= 3, 1 above' },
    saved: 'input',
    params: {},
    bounds: { forward: 4, backward: 4 },
  },
  softsign: {
    doc: { value: 'x / (1 + |x|)', slope: '1 / (1 + |x|)^2' },
    saved: 'input',
    params: {},
    bounds: { forward: 4, backward: 4 },
  },
} as const satisfies Record<string, ElementwiseSpec>;

export type ElementwiseName = keyof typeof ELEMENTWISE;
export const ELEMENTWISE_NAMES = Object.keys(ELEMENTWISE) as ElementwiseName[];

export interface RowwiseSpec {
  readonly doc: Doc;
  readonly saved: 'output';
  /** Forward bound in ULPs; log-softmax also allows 2^-23 |x - rowmax| (README). */
  readonly bounds: Bounds;
}

export const ROWWISE = {
  softmax: {
    doc: { value: 'e^(x_i - m) / sum_j e^(x_j - m) per row, m the row maximum', slope: 'dx = y (dy - sum(dy y)) per row, from the output y' },
    saved: 'output',
    bounds: { forward: 4, backward: 4 },
  },
  logSoftmax: {
    doc: { value: 'x_i - m - log(sum_j e^(x_j - m)) per row, m the row maximum', slope: 'dx = dy - e^y sum(dy) per row, from the output y' },
    saved: 'output',
    bounds: { forward: 4, backward: 4 },
  },
} as const satisfies Record<string, RowwiseSpec>;

export type RowwiseName = keyof typeof ROWWISE;
export const ROWWISE_NAMES = Object.keys(ROWWISE) as RowwiseName[];

/**
 * The vector building blocks of assembly/math, exported as math_NAME for measurement (not part of
 * the public API), with their bounds in ULPs.
 */
export const MATH_BLOCKS = {
  exp: { bound: 1 },
  expm1: { bound: 2 },
  log1p: { bound: 1 },
  erf: { bound: 2 },
  erfc: { bound: 2 },
} as const;

/** Every kernel name an elementwise activation compiles to (one per variant). */
export function kernelsOf(name: ElementwiseName): string[] {
  const spec: ElementwiseSpec = ELEMENTWISE[name];
  return spec.variants ? Object.values(spec.variants.kernels) : [name];
}

/** The wasm builds, best first. */
export const BACKENDS = ['relaxed', 'simd', 'scalar'] as const;
export type Backend = (typeof BACKENDS)[number];
