// a * sigmoid(v) on f32 lanes, for sigmoid itself and for the activations built on it
// (SiLU, tanh-GELU, softplus' derivative).
//
// sigmoid(v) = 1 / (1 + e) for v >= 0 and e / (1 + e) for v < 0, with e = exp(-|v|) <= 1, so
// neither branch overflows. For v < 0 the product a * e is formed from exp's mantissa part p
// (e = p * 2^n) and scaled by 2^n last: x * sigmoid(x) is a normal number down to x = -103 while
// sigmoid(x) alone is subnormal below -87.3, and scaling first would lose those bits.
// Error: exp (<= 1 ulp) + 1 + e (0.5) + division (0.5) (+ a*p, 0.5): measured <= 2 ulp.

import {
  splat, splatBits, add, mul, mad, div, lt, absV, neg, or, andNot, selectV, and, pmax, isub, ishrs,
  promoteLow, promoteHigh, demotePair,
} from "./lanes";
import { splatD, addD, mulD, madD, ltD, selectD } from "./lanes64";
import {
  EXP_MIN, UNBIAS, expNonPositive, expReduce, expReduceSingle, expm1Reduced, scaleByPow2,
  expShiftedBiased, expNBiased, expNIntBiased, pow2Biased, pow2,
} from "./exp";

// a * sigmoid(v + vlo), where vlo is the low part of a double-word v. `hasTail` (compile time)
// is false where v is a single float, which saves the tail's three operations. `aBounded`
// (compile time) says |a| <= 2^60 wherever v < 0 (a = x in SiLU and GELU: there |x| < 2^7 or the
// result vanishes below exp's range): then the quotient is scaled by 2^n with the cheap biased
// power 2^(n + 64), which would overflow for a larger a; a = dy takes the exact two-step scaling.
@inline export function mulSigmoid<V>(a: V, v: V, vlo: V, hasTail: bool, aBounded: bool): V {
  const negative = lt<V>(v, splat<V>(0.0));
  const w = pmax<V>(or<V>(v, splatBits<V>(0x80000000)), splat<V>(EXP_MIN)); // -|v|, NaN stays NaN
  const shifted = expShiftedBiased<V>(w);
  const n = expNBiased<V>(shifted);
  const r = hasTail ? expReduce<V>(w, n, selectV<V>(negative, vlo, neg<V>(vlo))) : expReduceSingle<V>(w, n);
  const p = add<V>(splat<V>(1.0), expm1Reduced<V>(r));
  const scale = pow2Biased<V>(shifted); // 2^(n + 64)
  const e = mul<V>(mul<V>(p, scale), splat<V>(UNBIAS));
  const q = div<V>(selectV<V>(negative, mul<V>(a, p), a), add<V>(splat<V>(1.0), e));
  const y = aBounded
    ? selectV<V>(negative, mul<V>(mul<V>(q, scale), splat<V>(UNBIAS)), q)
    : scaleByPow2<V>(q, and<V>(expNIntBiased<V>(shifted), negative));
  return vanishBelowExpRange<V>(v, a, y);
}

// Where -|v| is below exp's range, sigmoid(-|v|) < 2^-150 and a * that is taken as a * 0: exact
// (a signed zero) whenever |a| <= 2^50 or so, which holds for every caller (a is x, dy, or 1), and
// it keeps a large a from lifting the clamped exponent's leftover back into the subnormals.
// At v = -Inf with a = x = -Inf (SiLU, GELU's tanh form) a * 0 is NaN, PyTorch's value there.
@inline export function vanishBelowExpRange<V>(v: V, a: V, y: V): V {
  return selectV<V>(lt<V>(v, splat<V>(EXP_MIN)), mul<V>(a, splat<V>(0.0)), y);
}

// sigmoid alone: with a = 1 the mantissa split is not needed. e = exp(-|v|) is exact (p * 2^n)
// wherever it is normal and rounded once where it is subnormal, so e / (1 + e) is too, and
// below v = -104 it is 0, as it should be. exp (<= 1 ulp) + 1 + e (0.5) + division (0.5).
// The numerator (e for v < 0, else 1) is max(e, 1 or 0): two operations where a lane select takes
// three; a NaN e is lost there but reaches the result through the denominator.
@inline export function sigmoid<V>(v: V): V {
  const e = expNonPositive<V>(or<V>(v, splatBits<V>(0x80000000))); // -|v|
  const oneWhereNonNegative = andNot<V>(splat<V>(1.0), lt<V>(v, splat<V>(0.0)));
  return div<V>(pmax<V>(oneWhereNonNegative, e), add<V>(splat<V>(1.0), e));
}

// dy * d/dx [x * sigmoid(v(x))] = dy * sigmoid(v) * (1 + t * (1 - sigmoid(v))), t = x v'(x)
// (t = x for SiLU, x (C1 + 3 C3 x^2) for GELU's tanh form), in float32 with one division.
// With e = exp(-|v|) = p 2^n, sigmoid and 1 - sigmoid are 1/(1+e) and e/(1+e) (swapped by the
// sign of v), so neither is formed by a subtraction and the derivative is one quotient over
// (1 + e)^2:
//   v >= 0: (1 + e (1 + t)) / (1 + e)^2
//   v <  0: 2^n p (1 + t + e) / (1 + e)^2
// with 2^n applied last, in two exact halves after dy (as in mulLogisticSlope), so that the
// result keeps its relative accuracy where the slope is subnormal and a large dy cannot overflow.
// (1 + e)^2 is e (2 + e) + 1. The bracket 1 + t + e cancels near its zero (SiLU x = -1.278, GELU
// x = -0.752); there its absolute error (a few float32 ulp of 1 + t) stays far below the 2^-22
// allowance around the zero, and elsewhere the terms do not cancel by more than a factor 1.3.
// `u` is 1 + t (rounded once) for SiLU; with `tanhForm` (GELU's tanh form, compile time) v is a
// double word (v + vlo) whose low part goes into exp's reduced argument, u is x itself, and the
// numerator is formed in float64 (tanhFormNumerator).
// Error (measured: the step-257 sweep of every build, and every float of 2^-10 <= |x| <= 16 for
// GELU): SiLU <= 3 ulp, GELU tanh form <= 3 ulp.
// GELU tanh form's numerator in float64 from float32 x, em and e (exact there), rounded once:
// (1 + em)(1 + t + e) for v < 0 (v has x's sign), 1 + e (1 + t) otherwise, 1 + t = 1 + x (C1 +
// 3 C3 x^2). Formed in float32, its four roundings (1 + t, + e, em B, + B) with the division's
// and dy's reached 5 ulp at x = -3.869 (every float of [-16, -2^-10] checked, simd).
// @ts-ignore: decorator
@inline export const TANH_FORM_C1: f64 = 1.5957691216057308; // 2 sqrt(2/pi)
// @ts-ignore: decorator
@inline const TANH_FORM_3C3: f64 = 0.21406444881780073; // 3 * 0.044715 C1
@inline function tanhFormNumerator64<D>(x: D, em: D, e: D): D {
  const onePlusT = madD<D>(madD<D>(mulD<D>(x, x), splatD<D>(TANH_FORM_3C3), splatD<D>(TANH_FORM_C1)), x, splatD<D>(1.0));
  const below = mulD<D>(addD<D>(splatD<D>(1.0), em), addD<D>(onePlusT, e));
  return selectD<D>(ltD<D>(x, splatD<D>(0.0)), below, madD<D>(e, onePlusT, splatD<D>(1.0)));
}

@inline function tanhFormNumerator<V>(x: V, em: V, e: V): V {
  if (isVector<V>()) {
    const lo = tanhFormNumerator64<v128>(promoteLow(x), promoteLow(em), promoteLow(e));
    const hi = tanhFormNumerator64<v128>(promoteHigh(x), promoteHigh(em), promoteHigh(e));
    return demotePair(lo, hi);
  } else {
    return <f32>tanhFormNumerator64<f64>(<f64>(x as f32), <f64>(em as f32), <f64>(e as f32));
  }
}

@inline export function mulSigmoidDerivative<V>(dy: V, v: V, vlo: V, u: V, tanhForm: bool): V {
  const negative = lt<V>(v, splat<V>(0.0));
  const w = pmax<V>(or<V>(v, splatBits<V>(0x80000000)), splat<V>(EXP_MIN)); // -|v|, NaN stays NaN
  const shifted = expShiftedBiased<V>(w);
  const nf = expNBiased<V>(shifted);
  const r = tanhForm ? expReduce<V>(w, nf, selectV<V>(negative, vlo, neg<V>(vlo))) : expReduceSingle<V>(w, nf);
  const em = expm1Reduced<V>(r);
  const scale = pow2Biased<V>(shifted);
  const e = mul<V>(mad<V>(em, scale, scale), splat<V>(UNBIAS));
  let numerator: V;
  if (tanhForm) numerator = tanhFormNumerator<V>(u, em, e);
  else {
    const bracket = add<V>(u, e);
    numerator = selectV<V>(negative, mad<V>(em, bracket, bracket), mad<V>(e, u, splat<V>(1.0)));
  }
  const q = div<V>(numerator, mad<V>(e, add<V>(splat<V>(2.0), e), splat<V>(1.0)));
  const n = and<V>(expNIntBiased<V>(shifted), negative);
  const half = ishrs<V>(n, 1);
  const y = mul<V>(mul<V>(dy, mul<V>(q, pow2<V>(half))), pow2<V>(isub<V>(n, half)));
  return vanishBelowExpRange<V>(v, dy, y);
}

// NaN where x is +-Inf or NaN, y elsewhere, as one canonical NaN. The backward passes built on
// mulSigmoidDerivative need it for NaN too: -|v| is formed by setting the sign bit, which turns a
// positive NaN input negative, and the relaxed build's multiply-adds (fused or not, as the engine
// chooses) may then propagate either NaN, so that two engines running the same module disagreed
// on the sign of the NaN. The same three operations as a test for infinity alone.
@inline export function nanWhereNotFinite<V>(x: V, y: V): V {
  return selectV<V>(lt<V>(absV<V>(x), splat<V>(Infinity)), y, splat<V>(NaN));
}

// dy * c * e / (1 + e)^2 with e = exp(w), for w <= 0 (or NaN): the logistic slope from the
// input, c = 1 for sigmoid'(x) (w = -|x|) and c = 4 for tanh'(x) = 4e/(1+e)^2 (w = -2|x|). Both
// factors of the slope come from the same exp, so nothing cancels where sigmoid(x) rounds to 1.
// e = p 2^n: the quotient c p / (1+e)^2 (at most 1.42 c) takes dy first and 2^n last, in two
// halves, so that a large dy neither overflows nor loses a slope that is subnormal on its own.
// (1 + e)^2 is formed as e (2 + e) + 1. Error: p (<= 1 ulp) + the square (about 1) + division
// (0.5) + the product with dy (0.5); measured <= 3 ulp.
@inline export function mulLogisticSlope<V>(dy: V, w: V, c: f32): V {
  const wc = pmax<V>(w, splat<V>(EXP_MIN));
  const shifted = expShiftedBiased<V>(wc);
  const p = add<V>(splat<V>(1.0), expm1Reduced<V>(expReduceSingle<V>(wc, expNBiased<V>(shifted))));
  const e = mul<V>(mul<V>(p, pow2Biased<V>(shifted)), splat<V>(UNBIAS));
  const square = mad<V>(e, add<V>(splat<V>(2.0), e), splat<V>(1.0));
  const q = div<V>(mul<V>(p, splat<V>(c)), square);
  const n = expNIntBiased<V>(shifted);
  const half = ishrs<V>(n, 1);
  const y = mul<V>(mul<V>(dy, mul<V>(q, pow2<V>(half))), pow2<V>(isub<V>(n, half)));
  return vanishBelowExpRange<V>(w, dy, y);
}
