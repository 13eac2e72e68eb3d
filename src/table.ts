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

export interface ElementwiseSpec {
  /** Which tensor the backward pass and the derivative take: the forward output or its input. */
  readonly saved: 'output' | 'input';
  readonly params: Readonly<Record<string, NumericParam>>;
  /** A string option choosing between kernels (GELU's `approximate`), kernel name per choice. */
  readonly variants?: { readonly option: string; readonly kernels: Readonly<Record<string, string>>; readonly default: string };
  readonly bounds: Bounds;
}

export const ELEMENTWISE = {
  sigmoid: { saved: 'output', params: {}, bounds: { forward: 2, backward: 4 } },
  tanh: { saved: 'output', params: {}, bounds: { forward: 2, backward: 4 } },
  relu: { saved: 'input', params: {}, bounds: { forward: 0, backward: 0 } },
  relu6: { saved: 'input', params: {}, bounds: { forward: 0, backward: 0 } },
  leakyRelu: {
    saved: 'input',
    params: { alpha: { default: 0.01, alternate: 0.2, domain: 'finite', precision: 'float64' } },
    bounds: { forward: 0, backward: 0 },
  },
  elu: { saved: 'input', params: { alpha: { default: 1, alternate: 0.5, domain: 'finite', precision: 'float32' } }, bounds: { forward: 4, backward: 4 } },
  selu: { saved: 'input', params: {}, bounds: { forward: 4, backward: 4 } },
  gelu: {
    saved: 'input',
    params: {},
    variants: { option: 'approximate', kernels: { none: 'gelu', tanh: 'geluTanh' }, default: 'none' },
    bounds: { forward: 4, backward: 4 },
  },
  silu: { saved: 'input', params: {}, bounds: { forward: 4, backward: 4 } },
  mish: { saved: 'input', params: {}, bounds: { forward: 4, backward: 4 } },
  softplus: {
    saved: 'input',
    params: {
      beta: { default: 1, alternate: 2, domain: 'nonzero-finite', precision: 'float32' },
      threshold: { default: 20, alternate: 10, domain: 'finite', precision: 'float32' },
    },
    bounds: { forward: 4, backward: 4 },
  },
  hardSigmoid: { saved: 'input', params: {}, bounds: { forward: 4, backward: 4 } },
  hardSwish: { saved: 'input', params: {}, bounds: { forward: 4, backward: 4 } },
  softsign: { saved: 'input', params: {}, bounds: { forward: 4, backward: 4 } },
} as const satisfies Record<string, ElementwiseSpec>;

export type ElementwiseName = keyof typeof ELEMENTWISE;
export const ELEMENTWISE_NAMES = Object.keys(ELEMENTWISE) as ElementwiseName[];

export interface RowwiseSpec {
  readonly saved: 'output';
  /** Forward bound in ULPs; log-softmax also allows 2^-23 |x - rowmax| (README). */
  readonly bounds: Bounds;
}

export const ROWWISE = {
  softmax: { saved: 'output', bounds: { forward: 4, backward: 4 } },
  logSoftmax: { saved: 'output', bounds: { forward: 4, backward: 4 } },
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
