// Mish: x * tanh(softplus(x)) (Misra 2019), and its backward from the saved input.
//
// With e = exp(-|x|) the composition is a rational function of e alone, so it needs one exp and
// one division and never overflows:
//   x >= 0: tanh(softplus(x)) = (1 + 2e) / (1 + 2e + 2e^2)
//   x <  0: tanh(softplus(x)) = e (e + 2) / (e^2 + 2e + 2)
// For x < 0 the factor e = p * 2^n is applied last (x e is normal while e is subnormal).
// Derivative: tsp + x sigmoid(x) (1 - tsp^2), which becomes, over the same
// denominators D,
//   x >= 0: (N D + 4 x e^2 (1 + e)) / D^2,      N = 1 + 2e, D = 1 + 2e + 2e^2
//   x <  0: e ((e + 2) D + 4 x (e + 1)) / D^2,  D = e^2 + 2e + 2
import {
  splat, add, sub, mul, div, mad, lt, selectV, selectConst, and, andNot,
  nanWhereInfinite, nanWhereNegativeInfinity,
} from "../math/lanes";
import { vanishBelowExpRange, mulSlopeScaled } from "../math/logistic";
import {
  EXP_MIN, UNBIAS, negAbsInExpRange, expReduceSingle, expm1Reduced, expShiftedBiased, expNBiased, expNIntBiased, pow2Biased,
} from "../math/exp";

// The denominator D for each side.
@inline function denominator<V>(e: V, negative: V): V {
  const e2 = mul<V>(e, e);
  const twoE = add<V>(e, e);
  return selectV<V>(negative, add<V>(add<V>(e2, twoE), splat<V>(2.0)), mad<V>(e2, splat<V>(2.0), add<V>(splat<V>(1.0), twoE)));
}

// e = p * 2^n from the biased shift (exp.ts): 2^(n + 64) is one shift, and where x < 0 the
// quotient x p (e + 2) / D, at most 2^8 in magnitude there, takes 2^n as 2^(n + 64) * 2^-64, the
// last multiplication rounding once.
@inline export function mishForward<V>(x: V): V {
  const w = negAbsInExpRange<V>(x);
  const shifted = expShiftedBiased<V>(w);
  const p = add<V>(splat<V>(1.0), expm1Reduced<V>(expReduceSingle<V>(w, expNBiased<V>(shifted))));
  const scale = pow2Biased<V>(shifted); // 2^(n + 64)
  const e = mul<V>(mul<V>(p, scale), splat<V>(UNBIAS));
  const negative = lt<V>(x, splat<V>(0.0));
  const numerator = selectV<V>(negative, mul<V>(mul<V>(x, p), add<V>(e, splat<V>(2.0))), mul<V>(x, mad<V>(e, splat<V>(2.0), splat<V>(1.0))));
  const q = div<V>(numerator, denominator<V>(e, negative));
  const y = selectV<V>(negative, mul<V>(mul<V>(q, scale), splat<V>(UNBIAS)), q);
  return nanWhereNegativeInfinity<V>(x, vanishBelowExpRange<V>(x, x, y));
}

// The derivative in float32 with one division, from e = exp(-|x|) = p 2^n. From the header's
// brackets over the squares D^2 (expanded, Horner's scheme on positive coefficients):
//   x >= 0:        5/8 + (3/8 + e (3/2 + e ((4x + 1) + e ((4x - 1) - 5/2 e)))) / (1 + e (4 + e (8 + e (8 + 4e))))
//   -1/2 <= x < 0: 5/8 + (-5/2 + e ((4x - 1) + e ((4x + 1) + e (3/2 + 3/8 e)))) / (4 + e (8 + e (8 + e (4 + e))))
//   x < -1/2:      p 2^n (4 (1 + x) + e ((6 + 4x) + e (4 + e))) / (4 + e (8 + e (8 + e (4 + e))))
// Near x = 0 the derivative is about 0.6, and the quotient's roundings (mostly the square's
// Horner scheme, eight roundings) cost up to 3 ulp there when the derivative was formed as one
// quotient (the previous float32 form: 5 ulp near 0 and 1) or as 1 + s (5 ulp at x = -0.19).
// Taken as 5/8 + s', the numerator being N D + 4 x e^2 (1 + e) - 5/8 D^2 for x >= 0 (and the
// mirror for x < 0; all coefficients exact), s' is small where the derivative is near 0.6 or 1
// (|s'| <= 0.08 on [-0.08, 0.1], <= 0.47 everywhere on [-1/2, Inf)), so the quotient's relative
// error is scaled down by |s'| / derivative, and the numerator's terms, which cancel near x = 0,
// leave an absolute error a few ulp of 3/8 to 5/2 divided by D^2 >= 1 (about 25 near 0).
// For x < -1/2 every term is positive except where 4 (1 + x) cancels near the zero of the
// derivative (x = -1.19), and there the absolute error stays far below the 2^-22 allowance of the
// tests; 4 (1 + x) and 6 + 4x are exact on [-2, -1/2] and [-3, -3/4]. The factor p 2^n of that
// side is applied last: p as (1 + em), 2^n in two exact halves after dy (math/logistic.ts,
// mulSlopeScaled), so that tails keep their relative accuracy. The three numerators share
// one quartic Horner scheme with per-lane coefficients, and the two squares another.
// Error, measured (every 257th float and every float of [0, 2] and [-20, -2] in all three builds,
// every float of [-0.2, -0.15] in simd): <= 3 ulp outside [-20, -2], <= 4 ulp in that tail
// (roundings of 4 (1 + x), p, D^2 and the quotient; the float64 form took 0.3x forward's speed).
@inline export function mishBackward<V>(dy: V, x: V): V {
  const w = negAbsInExpRange<V>(x);
  const shifted = expShiftedBiased<V>(w);
  const em = expm1Reduced<V>(expReduceSingle<V>(w, expNBiased<V>(shifted)));
  const scale = pow2Biased<V>(shifted); // 2^(n + 64)
  const e = mul<V>(mad<V>(em, scale, scale), splat<V>(UNBIAS));
  const negative = lt<V>(x, splat<V>(0.0));
  const deep = lt<V>(x, splat<V>(-0.5));
  // The numerators' coefficients (a quarter of those above, as are the squares': the quotient
  // is the same, and x + 1/4 stays finite for every finite x, where 4x overflowed), constant
  // term first, by lane (x >= 0, [-1/2, 0), x < -1/2).
  const a0 = selectV<V>(deep, add<V>(x, splat<V>(1.0)), selectConst<V>(negative, -0.625, 0.09375));
  const a1 = selectV<V>(negative, add<V>(x, selectConst<V>(deep, 1.5, -0.25)), splat<V>(0.375));
  const a2 = selectV<V>(deep, splat<V>(1.0), add<V>(x, splat<V>(0.25)));
  const a3 = selectV<V>(negative, selectConst<V>(deep, 0.25, 0.375), sub<V>(x, splat<V>(0.25)));
  const a4 = andNot<V>(selectConst<V>(negative, 0.09375, -0.625), deep);
  const bracket = mad<V>(e, mad<V>(e, mad<V>(e, mad<V>(e, a4, a3), a2), a1), a0);
  const numerator = mad<V>(and<V>(em, deep), bracket, bracket); // p times the bracket where x < -1/2
  // The two squares' quarters, 1/4 1 2 2 1 and 1 2 2 1 1/4 (highest first), by lane.
  const d4 = selectConst<V>(negative, 0.25, 1.0);
  const d3 = selectConst<V>(negative, 1.0, 2.0);
  const d1 = selectConst<V>(negative, 2.0, 1.0);
  const d0 = selectConst<V>(negative, 1.0, 0.25);
  const dSquared = mad<V>(e, mad<V>(e, mad<V>(e, mad<V>(e, d4, d3), splat<V>(2.0)), d1), d0);
  const t = add<V>(div<V>(numerator, dSquared), andNot<V>(splat<V>(0.625), deep));
  return nanWhereInfinite<V>(x, mulSlopeScaled<V>(dy, t, and<V>(expNIntBiased<V>(shifted), deep), x));
}
