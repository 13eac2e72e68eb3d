// Softsign: x / (1 + |x|), and its backward 1 / (1 + |x|)^2 from the saved input.
// At +-Inf the formula gives Inf/Inf = NaN, as PyTorch's does.
import { splat, add, mul, div, absV } from "../math/lanes";

@inline export function softsignForward<V>(x: V): V {
  return div<V>(x, add<V>(splat<V>(1.0), absV<V>(x)));
}

@inline export function softsignBackward<V>(dy: V, x: V): V {
  const d = add<V>(splat<V>(1.0), absV<V>(x));
  return div<V>(dy, mul<V>(d, d));
}
