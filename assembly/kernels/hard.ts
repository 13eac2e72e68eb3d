// Piecewise-linear activations: hardSigmoid = relu6(x + 3) / 6, hardSwish = x * hardSigmoid(x)
// (Howard et al. 2019). Division by 6 rather than multiplication by a rounded 1/6, so each
// result is at most two roundings away. Backward passes follow PyTorch's rules at the kinks.
import { splat, add, mul, div, gt, lt, le, and, selectV, pmin, pmax } from "../math/lanes";

@inline function relu6Shifted<V>(x: V): V {
  return pmin<V>(pmax<V>(add<V>(x, splat<V>(3.0)), splat<V>(0.0)), splat<V>(6.0));
}

@inline export function hardSigmoidForward<V>(x: V): V {
  return div<V>(relu6Shifted<V>(x), splat<V>(6.0));
}

@inline export function hardSigmoidBackward<V>(dy: V, x: V): V {
  const inside = and<V>(gt<V>(x, splat<V>(-3.0)), lt<V>(x, splat<V>(3.0)));
  return selectV<V>(inside, div<V>(dy, splat<V>(6.0)), splat<V>(0.0));
}

// x * (relu6(x + 3) / 6): dividing first keeps x * 6 from overflowing near the float32 maximum.
@inline export function hardSwishForward<V>(x: V): V {
  return mul<V>(x, div<V>(relu6Shifted<V>(x), splat<V>(6.0)));
}

// x < -3: 0; x <= 3: dy (x/3 + 1/2) = dy (2x + 3)/6, where 2x + 3 is exact near its zero;
// else (x > 3 or NaN): dy.
@inline export function hardSwishBackward<V>(dy: V, x: V): V {
  const slope = div<V>(add<V>(add<V>(x, x), splat<V>(3.0)), splat<V>(6.0));
  const middle = selectV<V>(le<V>(x, splat<V>(3.0)), mul<V>(dy, slope), dy);
  return selectV<V>(lt<V>(x, splat<V>(-3.0)), splat<V>(0.0), middle);
}
