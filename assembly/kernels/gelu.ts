// GELU, exact form x * Phi(x) and tanh form 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))).
//
// Exact form: Phi(x) = erfc(-x/sqrt2)/2, from erfc(|x|/sqrt2) = exp(-x^2/2) * erfcx(|x|/sqrt2)
// (math/erf.ts): for x < 0 that product is Phi itself, for x >= 0 Phi = 1 - it/2. x^2/2 is
// carried as a double word so that the Gaussian factor keeps its relative accuracy out to the
// underflow near x = -13.2.
// Tanh form: 0.5 (1 + tanh u) = sigmoid(2u), so y = x * sigmoid(v) with v = x (C1 + C3 x^2),
// C1 = 2 sqrt(2/pi), C3 = 0.044715 C1; v reaches -88 at x = -10, so it is built as a double word
// (TwoProduct/TwoSum) and its low part goes into exp's reduced argument.
import {
  splat, add, sub, mul, mad, lt, selectV, absV, clamp, and, nanWhereInfinite, nanWhereNegativeInfinity,
} from "../math/lanes";
import { twoProdLo, twoSumLo } from "../math/doubleword";
import { EXP_MIN, EXP_MAX, expShifted, expN, expNInt, expReduce, expm1Reduced, scaleByPow2 } from "../math/exp";
import { erfcx } from "../math/erf";
import { mulSigmoid, mulSigmoidDerivative, vanishBelowExpRange } from "../math/logistic";

// @ts-ignore: decorator
@inline const INV_SQRT2: f32 = 0.7071067690849304;
// @ts-ignore: decorator
@inline const INV_SQRT_2PI: f32 = 0.3989422917366028;
// @ts-ignore: decorator
@inline const C1_HI: f32 = 1.5957691669464111;
// @ts-ignore: decorator
@inline const C1_LO: f32 = -4.534068054340423e-8;
// @ts-ignore: decorator
@inline const C3_HI: f32 = 0.07135481387376785;
// @ts-ignore: decorator
@inline const C3_LO: f32 = 2.3988324659995897e-9;
// @ts-ignore: decorator
@inline const THREE_C3: f32 = 0.21406444907188416;
// Beyond |x| = 15 the Gaussian factor is 0 and beyond 12 sigmoid(v) is 0 or 1: clamping keeps
// the double-word products far from overflow.
// @ts-ignore: decorator
@inline const GAUSS_XMAX: f32 = 15.0;
// @ts-ignore: decorator
@inline const TANH_XMAX: f32 = 12.0;

// exp(-x^2/2) = p * 2^n with x^2 carried as a double word: the argument w = -x^2/2 (its high
// part), its low part, and from them exp's mantissa p. Pure functions of x, written separately
// so that each caller takes what it needs (the engine computes the shared part once).
@inline function gaussianArg<V>(x: V): V {
  const xc = clamp<V>(x, -GAUSS_XMAX, GAUSS_XMAX);
  return clamp<V>(mul<V>(mul<V>(xc, xc), splat<V>(-0.5)), EXP_MIN, EXP_MAX);
}

@inline function gaussianMantissa<V>(x: V): V {
  const xc = clamp<V>(x, -GAUSS_XMAX, GAUSS_XMAX);
  const h = mul<V>(xc, xc);
  const w = gaussianArg<V>(x);
  const r = expReduce<V>(w, expN<V>(expShifted<V>(w)), mul<V>(twoProdLo<V>(xc, xc, h), splat<V>(-0.5)));
  return add<V>(splat<V>(1.0), expm1Reduced<V>(r));
}

// Phi(x) for the exact form (NaN in, NaN out).
@inline function gaussianCdf<V>(x: V): V {
  const g = scaleByPow2<V>(gaussianMantissa<V>(x), expNInt<V>(expShifted<V>(gaussianArg<V>(x))));
  const halfTail = mul<V>(mul<V>(g, erfcx<V>(mul<V>(absV<V>(x), splat<V>(INV_SQRT2)))), splat<V>(0.5));
  return selectV<V>(lt<V>(x, splat<V>(0.0)), halfTail, sub<V>(splat<V>(1.0), halfTail));
}

@inline export function geluForward<V>(x: V): V {
  return nanWhereNegativeInfinity<V>(x, mul<V>(x, gaussianCdf<V>(x)));
}

// d/dx x Phi(x) = Phi(x) + x phi(x), phi(x) = exp(-x^2/2)/sqrt(2 pi). For x < 0 both terms carry
// the Gaussian factor g = p * 2^n, factored out and applied last (the derivative stays normal
// a little past the point where g alone turns subnormal).
@inline export function geluBackward<V>(dy: V, x: V): V {
  const n = expNInt<V>(expShifted<V>(gaussianArg<V>(x)));
  const p = gaussianMantissa<V>(x);
  const g = scaleByPow2<V>(p, n);
  const r = erfcx<V>(mul<V>(absV<V>(x), splat<V>(INV_SQRT2)));
  const negative = lt<V>(x, splat<V>(0.0));
  // x < 0: g * (r/2 + x/sqrt(2 pi)); x >= 0: 1 - g r/2 + x g/sqrt(2 pi).
  const inner = mad<V>(x, splat<V>(INV_SQRT_2PI), mul<V>(r, splat<V>(0.5)));
  const dNegative = mul<V>(mul<V>(dy, p), inner);
  const dPositive = mul<V>(dy, mad<V>(mul<V>(x, splat<V>(INV_SQRT_2PI)), g, mad<V>(mul<V>(g, r), splat<V>(-0.5), splat<V>(1.0))));
  const d = scaleByPow2<V>(selectV<V>(negative, dNegative, dPositive), and<V>(n, negative));
  // Below x = -14.4 the Gaussian's exponent leaves exp's range: the derivative is a signed 0.
  return nanWhereInfinite<V>(x, vanishBelowExpRange<V>(mul<V>(mul<V>(x, x), splat<V>(-0.5)), mul<V>(dy, x), d));
}

// v = x (C1 + C3 x^2) = vh + vl for |x| <= TANH_XMAX. The inner sum is formed without mad so
// that both functions compute the same sh, bit for bit, in every build.
@inline function tanhFormSum<V>(xc: V): V {
  return add<V>(splat<V>(C1_HI), mul<V>(splat<V>(C3_HI), mul<V>(xc, xc)));
}

@inline function tanhFormHi<V>(xc: V): V {
  return mul<V>(tanhFormSum<V>(xc), xc);
}

@inline function tanhFormLo<V>(xc: V): V {
  const h = mul<V>(xc, xc);
  const l = twoProdLo<V>(xc, xc, h);
  const ph = mul<V>(splat<V>(C3_HI), h);
  const pl = add<V>(twoProdLo<V>(splat<V>(C3_HI), h, ph), mad<V>(splat<V>(C3_HI), l, mul<V>(splat<V>(C3_LO), h)));
  const sh = tanhFormSum<V>(xc);
  const sl = add<V>(twoSumLo<V>(splat<V>(C1_HI), ph, sh), add<V>(splat<V>(C1_LO), pl));
  return mad<V>(sl, xc, twoProdLo<V>(sh, xc, tanhFormHi<V>(xc)));
}

@inline export function geluTanhForward<V>(x: V): V {
  const xc = clamp<V>(x, -TANH_XMAX, TANH_XMAX);
  return nanWhereNegativeInfinity<V>(x, mulSigmoid<V>(x, tanhFormHi<V>(xc), tanhFormLo<V>(xc)));
}

@inline export function geluTanhBackward<V>(dy: V, x: V): V {
  const xc = clamp<V>(x, -TANH_XMAX, TANH_XMAX);
  const dv = mad<V>(mul<V>(xc, xc), splat<V>(THREE_C3), splat<V>(C1_HI)); // v'(x) = C1 + 3 C3 x^2
  return nanWhereInfinite<V>(x, mulSigmoidDerivative<V>(dy, x, tanhFormHi<V>(xc), tanhFormLo<V>(xc), dv));
}
