// a * sigmoid(v) on f32 lanes, for sigmoid itself and for the activations built on it
// (SiLU, tanh-GELU, softplus' derivative).
//
// sigmoid(v) = 1 / (1 + e) for v >= 0 and e / (1 + e) for v < 0, with e = exp(-|v|) <= 1, so
// neither branch overflows. For v < 0 the product a * e is formed from exp's mantissa part p
// (e = p * 2^n) and scaled by 2^n last: x * sigmoid(x) is a normal number down to x = -103 while
// sigmoid(x) alone is subnormal below -87.3, and scaling first would lose those bits.
// Error: exp (<= 1 ulp) + 1 + e (0.5) + division (0.5) (+ a*p, 0.5): measured <= 2 ulp.

import {
  splat, add, sub, mul, mad, div, lt, ge, eq, andNot, selectV, and, pmax, isub, ishrs, negAbs,
} from "./lanes";
import {
  EXP_MIN, UNBIAS, expNonPositive, negAbsInExpRange, expReduceSingle, expm1Reduced, scaleByPow2, scaleBiased,
  expShiftedBiased, expNBiased, expNIntBiased, pow2Biased, pow2,
} from "./exp";

// a * sigmoid(v) for any a (softplus' derivative, a = dy): a p / (1 + e) scaled by 2^n in two
// exact steps, so that a large a neither overflows nor rounds twice.
@inline export function mulSigmoid<V>(a: V, v: V): V {
  const negative = lt<V>(v, splat<V>(0.0));
  const w = negAbsInExpRange<V>(v);
  const shifted = expShiftedBiased<V>(w);
  const p = add<V>(splat<V>(1.0), expm1Reduced<V>(expReduceSingle<V>(w, expNBiased<V>(shifted))));
  const e = mul<V>(mul<V>(p, pow2Biased<V>(shifted)), splat<V>(UNBIAS));
  const q = div<V>(selectV<V>(negative, mul<V>(a, p), a), add<V>(splat<V>(1.0), e));
  return vanishBelowExpRange<V>(v, a, scaleByPow2<V>(q, and<V>(expNIntBiased<V>(shifted), negative)));
}

// a * sigmoid(v) where |a| <= 2^60 wherever v < 0 (SiLU, a = v = x), through mulSigmoidReduced.
@inline export function mulSigmoidBoundedA<V>(a: V, v: V): V {
  const w = negAbsInExpRange<V>(v);
  const shifted = expShiftedBiased<V>(w);
  const r = expReduceSingle<V>(w, expNBiased<V>(shifted));
  return mulSigmoidReduced<V>(a, lt<V>(v, splat<V>(0.0)), ge<V>(v, splat<V>(EXP_MIN)), r, pow2Biased<V>(shifted));
}

// a * sigmoid(v) from exp(-|v|) = p 2^n given as its reduced argument r (p = 1 + expm1(r)) and
// scale = 2^(n + 64), for |a| <= 2^60 wherever v < 0. `negative` is the mask of v < 0 and
// `inRange` that of the lanes where -|v| lies in the caller's exp range; elsewhere e is taken as
// 0, so that y = (a / 1) 0 2^-64 is a signed zero (and -Inf * 0 = NaN at v = a = -Inf, PyTorch's
// value): two operations where a select of a * 0 takes five. With e 2^64 = p scale (exact):
//   v >= 0: y = a / (1 + e);   v < 0: y = (q e 2^64) 2^-64,  q = a / (1 + e),
// the first product at most 2^124 and the last rounding once into the subnormals, so that
// x sigmoid(x) keeps its relative accuracy where sigmoid(x) alone would be subnormal.
// Error: p (<= 1 ulp) + 1 + e (0.5) + division (0.5) + product (0.5): measured <= 2 ulp (SiLU).
@inline export function mulSigmoidReduced<V>(a: V, negative: V, inRange: V, r: V, scale: V): V {
  const p = add<V>(splat<V>(1.0), expm1Reduced<V>(r));
  const eBiased = and<V>(mul<V>(p, scale), inRange); // e 2^64
  const q = div<V>(a, mad<V>(eBiased, splat<V>(UNBIAS), splat<V>(1.0)));
  return selectV<V>(negative, mul<V>(mul<V>(q, eBiased), splat<V>(UNBIAS)), q);
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
  const e = expNonPositive<V>(negAbs<V>(v));
  const oneWhereNonNegative = andNot<V>(splat<V>(1.0), lt<V>(v, splat<V>(0.0)));
  return div<V>(pmax<V>(oneWhereNonNegative, e), add<V>(splat<V>(1.0), e));
}

// dy * d/dx [x * sigmoid(x)] = dy * sigmoid(x) * (1 + x * (1 - sigmoid(x))) (SiLU), in float32
// with one division. With e = exp(-|x|) = p 2^n, sigmoid and 1 - sigmoid are 1/(1+e) and
// e/(1+e) (swapped by the sign of x), so neither is formed by a subtraction and the derivative
// is one quotient over (1 + e)^2:
//   x >= 0: (1 + e (1 + x)) / (1 + e)^2
//   x <  0: 2^n p (1 + x + e) / (1 + e)^2
// with 2^n applied last, in two exact halves after dy (mulSlopeScaled), so that the
// result keeps its relative accuracy where the slope is subnormal and a large dy cannot overflow.
// The bracket 1 + x + e cancels near its zero (x = -1.278); there its absolute error (a few
// float32 ulp of 1 + x) stays far below the 2^-22 allowance around the zero, and elsewhere the
// terms do not cancel by more than a factor 1.3. `u` is 1 + x, rounded once.
// Error (measured: the step-257 sweep of every build): <= 3 ulp.
@inline export function mulSiluSlope<V>(dy: V, x: V, u: V): V {
  const negative = lt<V>(x, splat<V>(0.0));
  const w = negAbsInExpRange<V>(x);
  const shifted = expShiftedBiased<V>(w);
  const em = expm1Reduced<V>(expReduceSingle<V>(w, expNBiased<V>(shifted)));
  const e = scaleBiased<V>(em, shifted);
  const bracket = add<V>(u, e);
  const numerator = selectV<V>(negative, mad<V>(em, bracket, bracket), mad<V>(e, u, splat<V>(1.0)));
  const q = div<V>(numerator, onePlusESquared<V>(e));
  return mulSlopeScaled<V>(dy, q, and<V>(expNIntBiased<V>(shifted), negative), x);
}

// dy * q * 2^n for a slope q 2^n: 2^n in two exact halves, the first on q before dy's product and
// the second last, so that a slope that is subnormal on its own keeps its relative accuracy in a
// normal result and a large dy cannot overflow. Where w (exp's argument, or anything below
// EXP_MIN exactly where it is) is below exp's range the last factor is 0 and the slope vanishes:
// dy * q * 2^half * 0, a zero with the slope's sign (NaN from an infinite dy or a NaN q), two
// operations where selecting dy * 0 (vanishBelowExpRange) takes five.
@inline export function mulSlopeScaled<V>(dy: V, q: V, n: V, w: V): V {
  const half = ishrs<V>(n, 1);
  const last = and<V>(pow2<V>(isub<V>(n, half)), ge<V>(w, splat<V>(EXP_MIN)));
  return mul<V>(mul<V>(dy, mul<V>(q, pow2<V>(half))), last);
}

// (1 + e)^2 as e (2 + e) + 1, for 0 <= e <= 1: the last rounding dominates (0.5 ulp).
@inline export function onePlusESquared<V>(e: V): V {
  return mad<V>(e, add<V>(splat<V>(2.0), e), splat<V>(1.0));
}

// NaN where x is +-Inf or NaN, y elsewhere, as one canonical NaN. The backward passes built on
// mulSigmoidDerivative need it for NaN too: -|v| is formed by setting the sign bit, which turns a
// positive NaN input negative, and the relaxed build's multiply-adds (fused or not, as the engine
// chooses) may then propagate either NaN, so that two engines running the same module disagreed
// on the sign of the NaN. x - x is +0 exactly where x is finite and NaN elsewhere, so the test is
// x - x == 0: two instructions on x86, as few as a test for infinity alone.
@inline export function nanWhereNotFinite<V>(x: V, y: V): V {
  return selectV<V>(eq<V>(sub<V>(x, x), splat<V>(0.0)), y, splat<V>(NaN));
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
  const square = onePlusESquared<V>(e);
  const q = div<V>(mul<V>(p, splat<V>(c)), square);
  return mulSlopeScaled<V>(dy, q, expNIntBiased<V>(shifted), w);
}
