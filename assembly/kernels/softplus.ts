// Softplus with PyTorch's parameters: (1/beta) log(1 + exp(beta x)), and x itself where
// beta x > threshold. Evaluated as max(bx, 0) + log1p(exp(-|bx|)): exp never overflows and the
// small side keeps relative accuracy. beta and threshold arrive as float64 and are rounded to
// float32, and beta x is formed in float32, as PyTorch does.
import { splat, add, mul, div, gt, pmax, selectV, negAbs } from "../math/lanes";
import { expNonPositive } from "../math/exp";
import { log1p } from "../math/log1p";
import { mulSigmoid } from "../math/logistic";

@inline export function softplusForward<V>(x: V, beta: f64, threshold: f64): V {
  const bx = mul<V>(x, splat<V>(<f32>beta));
  const y = div<V>(add<V>(pmax<V>(bx, splat<V>(0.0)), log1p<V>(expNonPositive<V>(negAbs<V>(bx)))), splat<V>(<f32>beta));
  return selectV<V>(gt<V>(bx, splat<V>(<f32>threshold)), x, y);
}

// dy * sigmoid(beta x), dy where beta x > threshold.
@inline export function softplusBackward<V>(dy: V, x: V, beta: f64, threshold: f64): V {
  const bx = mul<V>(x, splat<V>(<f32>beta));
  return selectV<V>(gt<V>(bx, splat<V>(<f32>threshold)), dy, mulSigmoid<V>(dy, bx));
}
