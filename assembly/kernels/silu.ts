// SiLU (swish): x * sigmoid(x), and its backward from the saved input.
import { splat, add } from "../math/lanes";
import { mulSigmoid, mulSigmoidDerivative, nanWhereNotFinite } from "../math/logistic";

// At -Inf, mulSigmoid's vanishing branch (v below exp's range) gives -Inf * 0 = NaN, as
// PyTorch's formula does, with no separate test for -Inf.
@inline export function siluForward<V>(x: V): V {
  return mulSigmoid<V>(x, x, splat<V>(0.0), false, true);
}

// sigmoid(x) (1 + x (1 - sigmoid(x))) in float32 (math/logistic.ts); at +-Inf the formula is
// Inf * 0 = NaN, as in PyTorch.
@inline export function siluBackward<V>(dy: V, x: V): V {
  return nanWhereNotFinite<V>(x, mulSigmoidDerivative<V>(dy, x, splat<V>(0.0), add<V>(splat<V>(1.0), x), false));
}
