// SiLU (swish): x * sigmoid(x), and its backward from the saved input.
import { splat, add } from "../math/lanes";
import { mulSigmoidBoundedA, mulSiluSlope, nanWhereNotFinite } from "../math/logistic";

// At -Inf, mulSigmoidReduced's vanishing lanes (v below exp's range) give -Inf * 0 = NaN, as
// PyTorch's formula does, with no separate test for -Inf.
@inline export function siluForward<V>(x: V): V {
  return mulSigmoidBoundedA<V>(x, x);
}

// sigmoid(x) (1 + x (1 - sigmoid(x))) in float32 (math/logistic.ts); at +-Inf the formula is
// Inf * 0 = NaN, as in PyTorch.
@inline export function siluBackward<V>(dy: V, x: V): V {
  return nanWhereNotFinite<V>(x, mulSiluSlope<V>(dy, x, add<V>(splat<V>(1.0), x)));
}
