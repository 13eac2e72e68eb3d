// SiLU (swish): x * sigmoid(x), and its backward from the saved input.
import { splat, nanWhereInfinite, nanWhereNegativeInfinity } from "../math/lanes";
import { mulSigmoid, mulSigmoidDerivative } from "../math/logistic";

@inline export function siluForward<V>(x: V): V {
  return nanWhereNegativeInfinity<V>(x, mulSigmoid<V>(x, x, splat<V>(0.0), false, true));
}

// sigmoid(x) (1 + x (1 - sigmoid(x))); at +-Inf the formula is Inf * 0 = NaN, as in PyTorch.
@inline export function siluBackward<V>(dy: V, x: V): V {
  return nanWhereInfinite<V>(x, mulSigmoidDerivative<V>(dy, x, x, splat<V>(0.0), false));
}
