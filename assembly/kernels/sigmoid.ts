// Sigmoid: forward, and backward from the saved output y (sigmoid' = y (1 - y)).
import { splat, sub, mul, negAbs } from "../math/lanes";
import { sigmoid, mulLogisticSlope } from "../math/logistic";

@inline export function sigmoidForward<V>(x: V): V {
  return sigmoid<V>(x);
}

// dy * y * (1 - y): 1 - y is exact for y >= 1/2 (Sterbenz), so this is <= 1.5 ulp.
@inline export function sigmoidBackward<V>(dy: V, y: V): V {
  return mul<V>(dy, mul<V>(y, sub<V>(splat<V>(1.0), y)));
}

// dy * sigmoid'(x) from the input x: e / (1 + e)^2 with e = exp(-|x|), exact in the tails where
// the saved output has rounded to 1 (there y (1 - y) is 0).
@inline export function sigmoidBackwardFromInput<V>(dy: V, x: V): V {
  return mulLogisticSlope<V>(dy, negAbs<V>(x), 1.0);
}
