// tanh: forward, and backward from the saved output y (tanh' = 1 - tanh^2 = 1 - y^2).
//
// tanh|x| = v / (2 - v) with v = 1 - exp(-2|x|) = -expm1(-2|x|) in [0, 1): one expm1 and one
// division in every lane, no branch to select. v keeps expm1's relative accuracy near 0, where
// tanh|x| ~ |x|, and 2 - v is in [1, 2], so nothing cancels: v (<= 1 ulp) + 2 - v (0.5) +
// division (0.5); measured <= 2 ulp over every float32 input (npm run accuracy).
// |x| is clamped at 9.01, past which tanh rounds to 1 (and +-Inf gives +-1); the sign is applied
// last by xor, so tanh(-0) = -0 and NaN stays NaN.
import { splat, add, sub, mul, div, absV, pmin, xor, signBit, negAbs } from "../math/lanes";
import { oneMinusExpScaled } from "../math/exp";
import { mulLogisticSlope } from "../math/logistic";

// @ts-ignore: decorator
@inline const SATURATION: f32 = 9.01;

@inline export function tanhForward<V>(x: V): V {
  const v = oneMinusExpScaled<V>(pmin<V>(absV<V>(x), splat<V>(SATURATION)), -2.0);
  return xor<V>(div<V>(v, sub<V>(splat<V>(2.0), v)), signBit<V>(x));
}

// dy * (1 - y^2) as dy * (1 - |y|)(1 + |y|): 1 - |y| is exact near |y| = 1, where 1 - y^2
// would cancel. <= 1.5 ulp.
@inline export function tanhBackward<V>(dy: V, y: V): V {
  const ay = absV<V>(y);
  return mul<V>(dy, mul<V>(sub<V>(splat<V>(1.0), ay), add<V>(splat<V>(1.0), ay)));
}

// dy * tanh'(x) from the input x: 1 - tanh^2 = 4e / (1 + e)^2 with e = exp(-2|x|) (2|x| exact),
// which keeps the slope where the saved output has rounded to +-1.
@inline export function tanhBackwardFromInput<V>(dy: V, x: V): V {
  return mulLogisticSlope<V>(dy, mul<V>(negAbs<V>(x), splat<V>(2.0)), 4.0);
}
