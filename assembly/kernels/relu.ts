// The ReLU family: relu, relu6, leakyRelu. Exact (one rounding at most, the same as a float64
// evaluation rounded to float32). Backward passes take the saved input x and follow PyTorch's
// threshold rules: relu passes dy where x > 0, relu6 where 0 < x < 6 (a NaN x passes dy).
import { splat, pmax, pmin, le, lt, gt, ge, or, selectV, mulF64 } from "../math/lanes";

@inline export function reluForward<V>(x: V): V {
  return pmax<V>(x, splat<V>(0.0));
}

@inline export function reluBackward<V>(dy: V, x: V): V {
  return selectV<V>(le<V>(x, splat<V>(0.0)), splat<V>(0.0), dy);
}

@inline export function relu6Forward<V>(x: V): V {
  return pmin<V>(pmax<V>(x, splat<V>(0.0)), splat<V>(6.0));
}

@inline export function relu6Backward<V>(dy: V, x: V): V {
  const outside = or<V>(le<V>(x, splat<V>(0.0)), ge<V>(x, splat<V>(6.0)));
  return selectV<V>(outside, splat<V>(0.0), dy);
}

// alpha is applied in float64 so that the result is exactly float32(x * alpha) for the alpha the
// caller gave, not for alpha rounded to float32 first.
@inline export function leakyReluForward<V>(x: V, alpha: f64): V {
  return selectV<V>(lt<V>(x, splat<V>(0.0)), mulF64<V>(x, alpha), x);
}

@inline export function leakyReluBackward<V>(dy: V, x: V, alpha: f64): V {
  return selectV<V>(gt<V>(x, splat<V>(0.0)), dy, mulF64<V>(dy, alpha));
}
