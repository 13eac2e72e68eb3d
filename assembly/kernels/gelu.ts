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
// (its low part from a float64 evaluation) and its low part goes into exp's reduced argument.
import {
  splat, splatBits, add, sub, mul, mad, div, pmin, absV, lt, and, xor, andNot, clamp, promoteLow, promoteHigh, demotePair,
} from "../math/lanes";
import { splatD, subD, mulD, madD } from "../math/lanes64";
import { expShiftedBiased, expNBiased, expReduce, expm1Reduced, pow2Biased, UNBIAS } from "../math/exp";
import { GAUSS_AMAX, MILLS_K, C_UNBIASED, millsP, millsPc, millsQt, gaussHead, gaussTail } from "../math/erf";
import { mulSigmoid, mulSigmoidDerivative, nanWhereNotFinite, TANH_FORM_C1 } from "../math/logistic";

// @ts-ignore: decorator
@inline const C1_HI: f32 = 1.5957691669464111;
// @ts-ignore: decorator
@inline const C3_HI: f32 = 0.07135481387376785;
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

// ---- tanh form ----
//
// v = x (C1 + C3 x^2) as a double word vh + vl: vh is the float32 evaluation, vl = f32(v - vh)
// with v evaluated in float64, where x^2 is exact and the two remaining roundings leave a
// relative error below 2^-52 (Muller et al., Handbook of Floating-Point Arithmetic, 2nd ed.,
// section 3.1: an exact product of two float32 values fits a float64); v - vh is then exact
// (Sterbenz) and its float32 rounding is far below vh's ulp. Exp multiplies the relative error
// of its argument by |v| (up to 104 here), so without vl the float32 rounding of v alone would
// cost dozens of ulp. This replaces four Dekker TwoProducts (Dekker 1971) and a TwoSum: about 20
// operations instead of 60 in the simd build (no fused multiply-add there).
// @ts-ignore: decorator
@inline const C3_64: f64 = 0.07135481627260025; // 0.044715 C1

// vh = f32(x (C1 + C3 x^2)) evaluated in float32 (the same bits in every build: no mad).
@inline function tanhFormHi<V>(xc: V): V {
  return mul<V>(add<V>(splat<V>(C1_HI), mul<V>(splat<V>(C3_HI), mul<V>(xc, xc))), xc);
}

@inline function tanhFormLo64<D>(x: D, vh: D): D {
  const v = mulD<D>(madD<D>(mulD<D>(x, x), splatD<D>(C3_64), splatD<D>(TANH_FORM_C1)), x);
  return subD<D>(v, vh);
}

@inline function tanhFormLo<V>(xc: V, vh: V): V {
  if (isVector<V>()) {
    return demotePair(tanhFormLo64<v128>(promoteLow(xc), promoteLow(vh)), tanhFormLo64<v128>(promoteHigh(xc), promoteHigh(vh)));
  } else {
    return <f32>tanhFormLo64<f64>(<f64>(xc as f32), <f64>(vh as f32));
  }
}

// At -Inf: xc = -12 puts v below exp's range, and mulSigmoid's vanishing branch gives
// -Inf * 0 = NaN, as PyTorch's formula does, with no separate test for -Inf.
@inline export function geluTanhForward<V>(x: V): V {
  const xc = clamp<V>(x, -TANH_XMAX, TANH_XMAX);
  const vh = tanhFormHi<V>(xc);
  return mulSigmoid<V>(x, vh, tanhFormLo<V>(xc, vh), true, true);
}

@inline export function geluTanhBackward<V>(dy: V, x: V): V {
  const xc = clamp<V>(x, -TANH_XMAX, TANH_XMAX);
  const vh = tanhFormHi<V>(xc);
  return nanWhereNotFinite<V>(x, mulSigmoidDerivative<V>(dy, vh, tanhFormLo<V>(xc, vh), xc, true));
}
