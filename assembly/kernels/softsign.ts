// Softsign: x / (1 + |x|), and its backward 1 / (1 + |x|)^2 from the saved input.
// At +-Inf the formula gives Inf/Inf = NaN, as PyTorch's does.
import { splat, add, div, absV } from "../math/lanes";

@inline export function softsignForward<V>(x: V): V {
  return div<V>(x, add<V>(splat<V>(1.0), absV<V>(x)));
}

// dy / d / d rather than dy / (d * d): d * d overflows to Inf from |x| = 2^64 on, which turned
// every result there into 0 although dy / d^2 is a normal number for a large dy (dy = 1e30 at
// x = 2^64: 2.9e-9). Two correctly rounded divisions err by at most 1 ulp beyond d's rounding.
@inline export function softsignBackward<V>(dy: V, x: V): V {
  const d = add<V>(splat<V>(1.0), absV<V>(x));
  return div<V>(div<V>(dy, d), d);
}
