// GELU, exact form x * Phi(x) and tanh form 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))).
//
// Exact form, all in float32: with a = |x| (clamped at GAUSS_AMAX), the upper tail
// Q(a) = erfc(a/sqrt2)/2 = exp(-a^2/2) R(a) and C = 1/sqrt(2 pi) (Phi(x) = Q(a) for x < 0,
// 1 - Q(a) otherwise):
//   x Phi(x) = max(x, 0) - a Q(a)                                   (both signs),
//   Phi(x) + x phi(x) = 1 + e (a C - R)  for x >= 0,  -e (a C - R)  for x < 0,  e = exp(-a^2/2),
// with R and a R as math/erf.ts's rational (one float32 division) and e from exp as
// (1 + em) 2^(n+64) 2^-64, a^2/2 carried exactly. The power of two scales exactly, the factor
// (1 + em) is applied as t + t em (one rounding), and the last product, by 2^-64, rounds into the
// subnormals once: the lower tail keeps its relative accuracy down to where the result is
// subnormal (x near -13). Near the derivative's zero (x = -0.7518), a C - R cancels and the
// tests' absolute allowance applies. This replaces a float64 evaluation (erfcx by a degree-12
// polynomial and a float64 division in f64x2 halves), 2.1 times slower.
// Measured (test suite, every binade; simd = scalar bit for bit): forward <= 3 ulp, backward and
// derivative <= 3 ulp (the same in the relaxed build, where the multiply-adds fuse).
// Tanh form: 0.5 (1 + tanh u) = sigmoid(2u), so y = x * sigmoid(v) with v = x (C1 + C3 x^2),
// C1 = 2 sqrt(2/pi), C3 = 0.044715 C1; v reaches -88 at x = -10, so it is built as a double word
// (TwoProduct/TwoSum) and its low part goes into exp's reduced argument.
import {
  splat, add, mul, mad, clamp, nanWhereInfinite, nanWhereNegativeInfinity,
} from "../math/lanes";
import { sub, div, pmin, absV, lt, and, xor, andNot, splatBits } from "../math/lanes";
import { twoProdLo, twoSumLo } from "../math/doubleword";
import { expShiftedBiased, expNBiased, expReduce, expm1Reduced, pow2Biased, UNBIAS } from "../math/exp";
import { GAUSS_AMAX, MILLS_K, C_UNBIASED, millsP, millsPc, millsQt, gaussHead, gaussTail } from "../math/erf";
import { mulSigmoid, mulSigmoidDerivative } from "../math/logistic";

// @ts-ignore: decorator
@inline const C1_HI: f32 = 1.5957691669464111;
// @ts-ignore: decorator
@inline const C1_LO: f32 = -4.534068054340423e-8;
// @ts-ignore: decorator
@inline const C3_HI: f32 = 0.07135481387376785;
// @ts-ignore: decorator
@inline const C3_LO: f32 = 2.3988324659995897e-9;
// Beyond 12 sigmoid(v) is 0 or 1: clamping keeps the double-word products far from overflow.
// @ts-ignore: decorator
@inline const TANH_XMAX: f32 = 12.0;

@inline function geluLanes<V>(backward: bool, dy: V, x: V): V {
  const a = pmin<V>(absV<V>(x), splat<V>(GAUSS_AMAX)); // NaN stays NaN
  const w = gaussHead<V>(a);
  const shifted = expShiftedBiased<V>(w);
  const em = expm1Reduced<V>(expReduce<V>(w, expNBiased<V>(shifted), gaussTail<V>(a)));
  const s = pow2Biased<V>(shifted); // exp(-a^2/2) = (1 + em) s 2^-64
  const qt = millsQt<V>(a);
  const n = mad<V>(a, mul<V>(a, qt), a); // a Qp(a)
  const negative = lt<V>(x, splat<V>(0.0));
  const step = andNot<V>(splat<V>(1.0), negative); // 1 for x >= 0 (and -0), 0 for x < 0
  if (!backward) {
    // x step(x) - a Q(a), a Q(a) = e a R(a) = e n / (K n + P). x step(x) is max(x, 0) with
    // PyTorch's values at the ends: -0 at -0 and below (where a Q(a) rounds to 0), and
    // -Inf * 0 = NaN at -Inf (x Phi(x) = -Inf * 0 there).
    const t = mul<V>(div<V>(n, mad<V>(n, splat<V>(MILLS_K), millsP<V>(a))), s);
    return mad<V>(mad<V>(t, em, t), splat<V>(-UNBIAS), mul<V>(x, step));
  }
  // -C e (a - M) for x < 0, 1 + C e (a - M) otherwise, M = Qp / (n + Pc); C e = s C 2^-64 (1 + em).
  const u = sub<V>(a, div<V>(mad<V>(qt, a, splat<V>(1.0)), add<V>(n, millsPc<V>(a))));
  const signedS = xor<V>(s, and<V>(negative, splatBits<V>(0x80000000)));
  const density = mad<V>(em, splat<V>(C_UNBIASED), splat<V>(C_UNBIASED));
  // x - x: NaN at +-Inf (Phi + Inf * 0 = NaN there, as PyTorch's formula gives) and at NaN, +0
  // elsewhere.
  const slope = mad<V>(mul<V>(u, signedS), density, add<V>(step, sub<V>(x, x)));
  return mul<V>(dy, slope);
}

@inline export function geluForward<V>(x: V): V {
  return geluLanes<V>(false, x, x);
}

@inline export function geluBackward<V>(dy: V, x: V): V {
  return geluLanes<V>(true, dy, x);
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
  return nanWhereNegativeInfinity<V>(x, mulSigmoid<V>(x, tanhFormHi<V>(xc), tanhFormLo<V>(xc), true, true));
}

@inline export function geluTanhBackward<V>(dy: V, x: V): V {
  const xc = clamp<V>(x, -TANH_XMAX, TANH_XMAX);
  return nanWhereInfinite<V>(x, mulSigmoidDerivative<V>(dy, xc, tanhFormHi<V>(xc), tanhFormLo<V>(xc), true));
}
