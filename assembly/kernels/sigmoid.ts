// Sigmoid: forward, and backward from the saved output y (the seed's p(1 - p)).
import { splat, sub, mul } from "../math/lanes";
import { sigmoid } from "../math/logistic";

@inline export function sigmoidForward<V>(x: V): V {
  return sigmoid<V>(x);
}

// dy * y * (1 - y): 1 - y is exact for y >= 1/2 (Sterbenz), so this is <= 1.5 ulp.
@inline export function sigmoidBackward<V>(dy: V, y: V): V {
  return mul<V>(dy, mul<V>(y, sub<V>(splat<V>(1.0), y)));
}
