// Mish: x * tanh(softplus(x)) (Misra 2019), and its backward from the saved input.
//
// With e = exp(-|x|) the composition is a rational function of e alone, so it needs one exp and
// one division and never overflows:
//   x >= 0: tanh(softplus(x)) = (1 + 2e) / (1 + 2e + 2e^2)
//   x <  0: tanh(softplus(x)) = e (e + 2) / (e^2 + 2e + 2)
// For x < 0 the factor e = p * 2^n is applied last (x e is normal while e is subnormal).
// Derivative: tsp + x sigmoid(x) (1 - tsp^2), which becomes, over the same denominators D,
//   x >= 0: (N D + 4 x e^2 (1 + e)) / D^2,      N = 1 + 2e, D = 1 + 2e + 2e^2
//   x <  0: e ((e + 2) D + 4 x (e + 1)) / D^2,  D = e^2 + 2e + 2
import { splat, add, mul, div, mad, lt, selectV, absV, neg, clamp, and, nanWhereInfinite, nanWhereNegativeInfinity } from "../math/lanes";
import { vanishBelowExpRange } from "../math/logistic";
import { EXP_MIN, expShifted, expN, expNInt, expReduce, expm1Reduced, scaleByPow2 } from "../math/exp";

// exp(-|x|)'s mantissa part p (e = p * 2^n).
@inline function mantissa<V>(x: V): V {
  const w = clamp<V>(neg<V>(absV<V>(x)), EXP_MIN, 0.0);
  return add<V>(splat<V>(1.0), expm1Reduced<V>(expReduce<V>(w, expN<V>(expShifted<V>(w)), splat<V>(0.0))));
}

@inline function exponent<V>(x: V): V {
  return expNInt<V>(expShifted<V>(clamp<V>(neg<V>(absV<V>(x)), EXP_MIN, 0.0)));
}

// The denominator D for each side.
@inline function denominator<V>(e: V, negative: V): V {
  const e2 = mul<V>(e, e);
  const twoE = add<V>(e, e);
  return selectV<V>(negative, add<V>(add<V>(e2, twoE), splat<V>(2.0)), mad<V>(e2, splat<V>(2.0), add<V>(splat<V>(1.0), twoE)));
}

@inline export function mishForward<V>(x: V): V {
  const p = mantissa<V>(x);
  const n = exponent<V>(x);
  const e = scaleByPow2<V>(p, n);
  const negative = lt<V>(x, splat<V>(0.0));
  const numerator = selectV<V>(negative, mul<V>(mul<V>(x, p), add<V>(e, splat<V>(2.0))), mul<V>(x, mad<V>(e, splat<V>(2.0), splat<V>(1.0))));
  const y = scaleByPow2<V>(div<V>(numerator, denominator<V>(e, negative)), and<V>(n, negative));
  return nanWhereNegativeInfinity<V>(x, vanishBelowExpRange<V>(x, x, y));
}

@inline export function mishBackward<V>(dy: V, x: V): V {
  const p = mantissa<V>(x);
  const n = exponent<V>(x);
  const e = scaleByPow2<V>(p, n);
  const negative = lt<V>(x, splat<V>(0.0));
  const d = denominator<V>(e, negative);
  const fourX = mul<V>(x, splat<V>(4.0));
  const onePlusE = add<V>(splat<V>(1.0), e);
  const bracketNegative = mad<V>(add<V>(e, splat<V>(2.0)), d, mul<V>(fourX, onePlusE));
  const bracketPositive = mad<V>(mad<V>(e, splat<V>(2.0), splat<V>(1.0)), d, mul<V>(mul<V>(fourX, mul<V>(e, e)), onePlusE));
  const numerator = selectV<V>(negative, mul<V>(mul<V>(dy, p), bracketNegative), mul<V>(dy, bracketPositive));
  const g = scaleByPow2<V>(div<V>(numerator, mul<V>(d, d)), and<V>(n, negative));
  return nanWhereInfinite<V>(x, vanishBelowExpRange<V>(x, mul<V>(dy, x), g));
}
