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
// C1 = 2 sqrt(2/pi), C3 = 0.044715 C1, with v and exp's reduction formed in float64 (below).
import {
  splat, splatBits, add, sub, mul, mad, div, pmin, pmax, absV, negAbs, lt, ge, and, xor, andNot, selectV, promoteLow, promoteHigh, demotePair,
} from "../math/lanes";
import { splatD, addD, mulD, madD } from "../math/lanes64";
import {
  expShiftedBiased, expNBiased, expReduce, expm1Reduced, pow2Biased, UNBIAS,
  exp2ShiftedBiased64, exp2Reduce64, biasedNFrom64, biasedNFrom64Scalar, scaleBiased,
} from "../math/exp";
import { GAUSS_AMAX, MILLS_K, C_UNBIASED, millsP, millsPc, millsQt, gaussHead, gaussTail } from "../math/erf";
import { mulSigmoidReduced, onePlusESquared, nanWhereNotFinite } from "../math/logistic";

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

// ---- tanh form ----
//
// exp multiplies a relative error of its argument v = x (C1 + C3 x^2) by |v| (up to 120 here),
// so float32's roundings of v alone would cost dozens of ulp. v is formed in float64 from the
// float32 x instead, where x^2 is exact and the remaining roundings leave a relative error below
// 2^-52 (Muller et al., Handbook of Floating-Point Arithmetic, 2nd ed., section 3.1: an exact
// product of two float32 values fits a float64), as t = -|v| log2(e) directly (log2(e) folded
// into the coefficients), and exp's reduction runs there too (math/exp.ts), rounded once to
// float32. This replaces a float32 v with a float64 low part (and, before that, four Dekker
// TwoProducts): 1.5 times faster forward, 1.4 times backward.
// v is odd and increasing in x, and so is its float64 evaluation (x^2 is even and every rounding
// is monotonic), so t(x) >= -173 (where exp's biased power of two stays normal) exactly where
// |x| <= TANH_FORM_XMAX, found by evaluating these float64 operations.
// @ts-ignore: decorator
@inline const TANH_FORM_D1: f64 = 2.302208198144325; // C1 log2(e), C1 = 2 sqrt(2/pi)
// @ts-ignore: decorator
@inline const TANH_FORM_D3: f64 = 0.1029432395800235; // C3 log2(e), C3 = 0.044715 C1
// @ts-ignore: decorator
@inline const TANH_FORM_C1: f64 = 1.5957691216057308; // C1
// @ts-ignore: decorator
@inline const TANH_FORM_3C3: f64 = 0.21406444881780073; // 3 C3
// @ts-ignore: decorator
@inline const TANH_FORM_XMAX: f32 = 11.262711524963379; // the greatest float32 x with t(x) >= -173

// v log2(e) = x (D1 + D3 x^2), from x and x^2.
@inline function tanhFormLog2Arg64<D>(x: D, x2: D): D {
  return mulD<D>(madD<D>(x2, splatD<D>(TANH_FORM_D3), splatD<D>(TANH_FORM_D1)), x);
}

// The forward pass works from -|x|: t(-|x|) = -|v(x)| log2(e), and x^3 is finite in float64 for
// every float32 x, so no clamp is needed. Lanes with |x| > TANH_FORM_XMAX (and NaN) take e = 0
// (mulSigmoidReduced): x itself above, a signed zero below, and -Inf * 0 = NaN at -Inf, as
// PyTorch's formula gives. Down to v = -119.9 the result is formed, not flushed to zero, so its
// subnormal tail is rounded once.
@inline export function geluTanhForward<V>(x: V): V {
  const negAbsX = negAbs<V>(x);
  let r: V, biased: V;
  if (isVector<V>()) {
    const zLo = promoteLow(negAbsX), zHi = promoteHigh(negAbsX);
    const tLo = tanhFormLog2Arg64<v128>(zLo, mulD<v128>(zLo, zLo)), tHi = tanhFormLog2Arg64<v128>(zHi, mulD<v128>(zHi, zHi));
    const shiftedLo = exp2ShiftedBiased64<v128>(tLo), shiftedHi = exp2ShiftedBiased64<v128>(tHi);
    r = demotePair(exp2Reduce64<v128>(tLo, shiftedLo), exp2Reduce64<v128>(tHi, shiftedHi));
    biased = biasedNFrom64(shiftedLo, shiftedHi);
  } else {
    const z = <f64>(negAbsX as f32);
    const t = tanhFormLog2Arg64<f64>(z, z * z);
    const shifted = exp2ShiftedBiased64<f64>(t);
    r = <f32>exp2Reduce64<f64>(t, shifted);
    biased = biasedNFrom64Scalar(shifted);
  }
  const inRange = ge<V>(negAbsX, splat<V>(-TANH_FORM_XMAX));
  return mulSigmoidReduced<V>(x, lt<V>(x, splat<V>(0.0)), inRange, r, pow2Biased<V>(biased));
}

// 1 + t(z) = 1 + z (C1 + 3 C3 z^2), t = x v'(x), from z and z^2.
@inline function tanhFormOnePlusT64<D>(z: D, z2: D): D {
  return madD<D>(madD<D>(z2, splatD<D>(TANH_FORM_3C3), splatD<D>(TANH_FORM_C1)), z, splatD<D>(1.0));
}

// d/dx [x sigmoid(v)] = sigmoid(v) (1 + t (1 - sigmoid(v))), t = x v'(x), is D(x) = 2^n p
// (1 + t + e) / (1 + e)^2 for x <= 0, with e = exp(v) = p 2^n, and 1 - D(-x) for x > 0: v and t
// are odd, so D(x) + D(-x) = sigmoid(v) + sigmoid(-v) = 1. All lanes so form D(z) at z = -|x|,
// where 1 + t + e cancels only near its zero (x = -0.752, inside the tests' absolute allowance),
// and a positive x takes 1 - D, which lies in [0.5, 1.13] (D(z) in [-0.13, 0.5]), so D's error
// reaches it at most unchanged. The numerator (1 + em)(1 + t + e) is formed in float64 from 1 + t
// (float64, from z) and the float32 em and e (exact there), and rounded once: formed in float32
// its four roundings reached 5 ulp at x = -3.869. D's 2^n comes last, rounding once into the
// subnormals, where the slope passes with an absolute error of 2^-126 |dy|. The backward pass
// clamps x to +-TANH_FORM_XMAX: beyond it D(z) is below 2^-160 (a slope of 1 above, a subnormal
// one below); +-Inf and NaN give NaN, as PyTorch's formula gives (Inf * 0).
// Error (measured: every float of 2^-10 <= |x| <= 16 and the step-257 sweep): <= 3 ulp.
@inline export function geluTanhBackward<V>(dy: V, x: V): V {
  const z = pmax<V>(negAbs<V>(x), splat<V>(-TANH_FORM_XMAX)); // -|x| clamped; NaN stays
  let biased: V, em: V, e: V, numerator: V;
  if (isVector<V>()) {
    const zLo = promoteLow(z), zHi = promoteHigh(z);
    const z2Lo = mulD<v128>(zLo, zLo), z2Hi = mulD<v128>(zHi, zHi);
    const tLo = tanhFormLog2Arg64<v128>(zLo, z2Lo), tHi = tanhFormLog2Arg64<v128>(zHi, z2Hi);
    const shiftedLo = exp2ShiftedBiased64<v128>(tLo), shiftedHi = exp2ShiftedBiased64<v128>(tHi);
    biased = biasedNFrom64(shiftedLo, shiftedHi);
    em = expm1Reduced<V>(demotePair(exp2Reduce64<v128>(tLo, shiftedLo), exp2Reduce64<v128>(tHi, shiftedHi)));
    e = scaleBiased<V>(em, biased);
    numerator = demotePair(
      tanhFormNumerator64<v128>(tanhFormOnePlusT64<v128>(zLo, z2Lo), promoteLow(em), promoteLow(e)),
      tanhFormNumerator64<v128>(tanhFormOnePlusT64<v128>(zHi, z2Hi), promoteHigh(em), promoteHigh(e)),
    );
  } else {
    const z64 = <f64>(z as f32), z2 = z64 * z64;
    const t = tanhFormLog2Arg64<f64>(z64, z2);
    const shifted = exp2ShiftedBiased64<f64>(t);
    biased = biasedNFrom64Scalar(shifted);
    em = expm1Reduced<V>(<f32>exp2Reduce64<f64>(t, shifted));
    e = scaleBiased<V>(em, biased);
    numerator = <f32>tanhFormNumerator64<f64>(tanhFormOnePlusT64<f64>(z64, z2), <f64>(em as f32), <f64>(e as f32));
  }
  const q = div<V>(numerator, onePlusESquared<V>(e));
  const d = mul<V>(mul<V>(q, pow2Biased<V>(biased)), splat<V>(UNBIAS));
  const slope = selectV<V>(lt<V>(x, splat<V>(0.0)), d, sub<V>(splat<V>(1.0), d));
  return nanWhereNotFinite<V>(x, mul<V>(dy, slope));
}

// (1 + em)(1 + t + e), from 1 + t, em and e.
@inline function tanhFormNumerator64<D>(onePlusT: D, em: D, e: D): D {
  return mulD<D>(addD<D>(splatD<D>(1.0), em), addD<D>(onePlusT, e));
}
