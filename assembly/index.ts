// The ABI: every exported kernel, and nothing else. Pointers are byte offsets into this module's
// memory, counts are elements; the TypeScript wrapper owns every buffer (src/memory.ts).
//
// Elementwise exports share three signatures, so that the wrapper binds them from its table:
//   NAME(x, y, n, a, b)                 forward, y = g(x)
//   NAMEBackward(dy, saved, dx, n, a, b) dx = dy * g'(.), saved = y for sigmoid/tanh, x otherwise
//   NAMEDerivative(saved, out, n, a, b)  out = g'(.)
// a and b are the activation's parameters (leakyRelu/elu alpha; softplus beta, threshold).
import { Op, mapForward, mapBackward } from "./kernels/elementwise";
export {
  softmaxRows as softmax, logSoftmaxRows as logSoftmax,
  softmaxBackwardRows as softmaxBackward, logSoftmaxBackwardRows as logSoftmaxBackward,
  softmaxJacobianRows as softmaxJacobian,
} from "./kernels/softmax";

// Where the wrapper may start placing buffers (after this module's static data).
export function heapBase(): usize {
  return __heap_base;
}

// ---- elementwise activations ----

export function sigmoid(x: usize, y: usize, n: usize, a: f64, b: f64): void { mapForward(Op.Sigmoid, x, y, n, a, b); }
export function sigmoidBackward(dy: usize, s: usize, dx: usize, n: usize, a: f64, b: f64): void { mapBackward(Op.Sigmoid, true, dy, s, dx, n, a, b); }
export function sigmoidDerivative(s: usize, out: usize, n: usize, a: f64, b: f64): void { mapBackward(Op.Sigmoid, false, 0, s, out, n, a, b); }

export function tanh(x: usize, y: usize, n: usize, a: f64, b: f64): void { mapForward(Op.Tanh, x, y, n, a, b); }
export function tanhBackward(dy: usize, s: usize, dx: usize, n: usize, a: f64, b: f64): void { mapBackward(Op.Tanh, true, dy, s, dx, n, a, b); }
export function tanhDerivative(s: usize, out: usize, n: usize, a: f64, b: f64): void { mapBackward(Op.Tanh, false, 0, s, out, n, a, b); }

export function relu(x: usize, y: usize, n: usize, a: f64, b: f64): void { mapForward(Op.Relu, x, y, n, a, b); }
export function reluBackward(dy: usize, s: usize, dx: usize, n: usize, a: f64, b: f64): void { mapBackward(Op.Relu, true, dy, s, dx, n, a, b); }
export function reluDerivative(s: usize, out: usize, n: usize, a: f64, b: f64): void { mapBackward(Op.Relu, false, 0, s, out, n, a, b); }

export function relu6(x: usize, y: usize, n: usize, a: f64, b: f64): void { mapForward(Op.Relu6, x, y, n, a, b); }
export function relu6Backward(dy: usize, s: usize, dx: usize, n: usize, a: f64, b: f64): void { mapBackward(Op.Relu6, true, dy, s, dx, n, a, b); }
export function relu6Derivative(s: usize, out: usize, n: usize, a: f64, b: f64): void { mapBackward(Op.Relu6, false, 0, s, out, n, a, b); }

export function leakyRelu(x: usize, y: usize, n: usize, a: f64, b: f64): void { mapForward(Op.LeakyRelu, x, y, n, a, b); }
export function leakyReluBackward(dy: usize, s: usize, dx: usize, n: usize, a: f64, b: f64): void { mapBackward(Op.LeakyRelu, true, dy, s, dx, n, a, b); }
export function leakyReluDerivative(s: usize, out: usize, n: usize, a: f64, b: f64): void { mapBackward(Op.LeakyRelu, false, 0, s, out, n, a, b); }

export function elu(x: usize, y: usize, n: usize, a: f64, b: f64): void { mapForward(Op.Elu, x, y, n, a, b); }
export function eluBackward(dy: usize, s: usize, dx: usize, n: usize, a: f64, b: f64): void { mapBackward(Op.Elu, true, dy, s, dx, n, a, b); }
export function eluDerivative(s: usize, out: usize, n: usize, a: f64, b: f64): void { mapBackward(Op.Elu, false, 0, s, out, n, a, b); }

export function selu(x: usize, y: usize, n: usize, a: f64, b: f64): void { mapForward(Op.Selu, x, y, n, a, b); }
export function seluBackward(dy: usize, s: usize, dx: usize, n: usize, a: f64, b: f64): void { mapBackward(Op.Selu, true, dy, s, dx, n, a, b); }
export function seluDerivative(s: usize, out: usize, n: usize, a: f64, b: f64): void { mapBackward(Op.Selu, false, 0, s, out, n, a, b); }

export function gelu(x: usize, y: usize, n: usize, a: f64, b: f64): void { mapForward(Op.Gelu, x, y, n, a, b); }
export function geluBackward(dy: usize, s: usize, dx: usize, n: usize, a: f64, b: f64): void { mapBackward(Op.Gelu, true, dy, s, dx, n, a, b); }
export function geluDerivative(s: usize, out: usize, n: usize, a: f64, b: f64): void { mapBackward(Op.Gelu, false, 0, s, out, n, a, b); }

export function geluTanh(x: usize, y: usize, n: usize, a: f64, b: f64): void { mapForward(Op.GeluTanh, x, y, n, a, b); }
export function geluTanhBackward(dy: usize, s: usize, dx: usize, n: usize, a: f64, b: f64): void { mapBackward(Op.GeluTanh, true, dy, s, dx, n, a, b); }
export function geluTanhDerivative(s: usize, out: usize, n: usize, a: f64, b: f64): void { mapBackward(Op.GeluTanh, false, 0, s, out, n, a, b); }

export function silu(x: usize, y: usize, n: usize, a: f64, b: f64): void { mapForward(Op.Silu, x, y, n, a, b); }
export function siluBackward(dy: usize, s: usize, dx: usize, n: usize, a: f64, b: f64): void { mapBackward(Op.Silu, true, dy, s, dx, n, a, b); }
export function siluDerivative(s: usize, out: usize, n: usize, a: f64, b: f64): void { mapBackward(Op.Silu, false, 0, s, out, n, a, b); }

export function mish(x: usize, y: usize, n: usize, a: f64, b: f64): void { mapForward(Op.Mish, x, y, n, a, b); }
export function mishBackward(dy: usize, s: usize, dx: usize, n: usize, a: f64, b: f64): void { mapBackward(Op.Mish, true, dy, s, dx, n, a, b); }
export function mishDerivative(s: usize, out: usize, n: usize, a: f64, b: f64): void { mapBackward(Op.Mish, false, 0, s, out, n, a, b); }

export function softplus(x: usize, y: usize, n: usize, a: f64, b: f64): void { mapForward(Op.Softplus, x, y, n, a, b); }
export function softplusBackward(dy: usize, s: usize, dx: usize, n: usize, a: f64, b: f64): void { mapBackward(Op.Softplus, true, dy, s, dx, n, a, b); }
export function softplusDerivative(s: usize, out: usize, n: usize, a: f64, b: f64): void { mapBackward(Op.Softplus, false, 0, s, out, n, a, b); }

export function hardSigmoid(x: usize, y: usize, n: usize, a: f64, b: f64): void { mapForward(Op.HardSigmoid, x, y, n, a, b); }
export function hardSigmoidBackward(dy: usize, s: usize, dx: usize, n: usize, a: f64, b: f64): void { mapBackward(Op.HardSigmoid, true, dy, s, dx, n, a, b); }
export function hardSigmoidDerivative(s: usize, out: usize, n: usize, a: f64, b: f64): void { mapBackward(Op.HardSigmoid, false, 0, s, out, n, a, b); }

export function hardSwish(x: usize, y: usize, n: usize, a: f64, b: f64): void { mapForward(Op.HardSwish, x, y, n, a, b); }
export function hardSwishBackward(dy: usize, s: usize, dx: usize, n: usize, a: f64, b: f64): void { mapBackward(Op.HardSwish, true, dy, s, dx, n, a, b); }
export function hardSwishDerivative(s: usize, out: usize, n: usize, a: f64, b: f64): void { mapBackward(Op.HardSwish, false, 0, s, out, n, a, b); }

export function softsign(x: usize, y: usize, n: usize, a: f64, b: f64): void { mapForward(Op.Softsign, x, y, n, a, b); }
export function softsignBackward(dy: usize, s: usize, dx: usize, n: usize, a: f64, b: f64): void { mapBackward(Op.Softsign, true, dy, s, dx, n, a, b); }
export function softsignDerivative(s: usize, out: usize, n: usize, a: f64, b: f64): void { mapBackward(Op.Softsign, false, 0, s, out, n, a, b); }

// ---- building blocks (measured by the tests and the accuracy sweep; copy is the streaming limit) ----

export function math_exp(x: usize, y: usize, n: usize): void { mapForward(Op.Exp, x, y, n, 0, 0); }
export function math_expm1(x: usize, y: usize, n: usize): void { mapForward(Op.Expm1, x, y, n, 0, 0); }
export function math_log1p(x: usize, y: usize, n: usize): void { mapForward(Op.Log1p, x, y, n, 0, 0); }
export function math_erf(x: usize, y: usize, n: usize): void { mapForward(Op.Erf, x, y, n, 0, 0); }
export function math_erfc(x: usize, y: usize, n: usize): void { mapForward(Op.Erfc, x, y, n, 0, 0); }
export function math_copy(x: usize, y: usize, n: usize): void { mapForward(Op.Copy, x, y, n, 0, 0); }

// ---- dense layers (kernels/dense.ts) ----
// matmul(a, ars, acs, b, bias, hasBias, c, m, n, k)  C = bias + A.B, A(i, k) at a + 4 (i ars + k acs)
// transpose(src, dst, rows, cols), columnSums(p, rows, cols, out)
// NAMEOutputDelta(z, t, y, delta, n, a, b) -> loss   y = g(z), delta = (y - t) g'(.), 1/2 sum (y - t)^2
// squaredErrorSum(y, t, n) -> loss, softmaxCrossEntropy(logits, t, grad, rows, cols, scale) -> loss
import { outputDelta } from "./kernels/dense";
export {
  matmul, transpose, columnSums, squaredErrorSum, softmaxCrossEntropyRows as softmaxCrossEntropy,
} from "./kernels/dense";

export function sigmoidOutputDelta(z: usize, t: usize, y: usize, d: usize, n: usize, a: f64, b: f64): f64 { return outputDelta(Op.Sigmoid, z, t, y, d, n, a, b); }
export function tanhOutputDelta(z: usize, t: usize, y: usize, d: usize, n: usize, a: f64, b: f64): f64 { return outputDelta(Op.Tanh, z, t, y, d, n, a, b); }
export function reluOutputDelta(z: usize, t: usize, y: usize, d: usize, n: usize, a: f64, b: f64): f64 { return outputDelta(Op.Relu, z, t, y, d, n, a, b); }
export function relu6OutputDelta(z: usize, t: usize, y: usize, d: usize, n: usize, a: f64, b: f64): f64 { return outputDelta(Op.Relu6, z, t, y, d, n, a, b); }
export function leakyReluOutputDelta(z: usize, t: usize, y: usize, d: usize, n: usize, a: f64, b: f64): f64 { return outputDelta(Op.LeakyRelu, z, t, y, d, n, a, b); }
export function eluOutputDelta(z: usize, t: usize, y: usize, d: usize, n: usize, a: f64, b: f64): f64 { return outputDelta(Op.Elu, z, t, y, d, n, a, b); }
export function seluOutputDelta(z: usize, t: usize, y: usize, d: usize, n: usize, a: f64, b: f64): f64 { return outputDelta(Op.Selu, z, t, y, d, n, a, b); }
export function geluOutputDelta(z: usize, t: usize, y: usize, d: usize, n: usize, a: f64, b: f64): f64 { return outputDelta(Op.Gelu, z, t, y, d, n, a, b); }
export function geluTanhOutputDelta(z: usize, t: usize, y: usize, d: usize, n: usize, a: f64, b: f64): f64 { return outputDelta(Op.GeluTanh, z, t, y, d, n, a, b); }
export function siluOutputDelta(z: usize, t: usize, y: usize, d: usize, n: usize, a: f64, b: f64): f64 { return outputDelta(Op.Silu, z, t, y, d, n, a, b); }
export function mishOutputDelta(z: usize, t: usize, y: usize, d: usize, n: usize, a: f64, b: f64): f64 { return outputDelta(Op.Mish, z, t, y, d, n, a, b); }
export function softplusOutputDelta(z: usize, t: usize, y: usize, d: usize, n: usize, a: f64, b: f64): f64 { return outputDelta(Op.Softplus, z, t, y, d, n, a, b); }
export function hardSigmoidOutputDelta(z: usize, t: usize, y: usize, d: usize, n: usize, a: f64, b: f64): f64 { return outputDelta(Op.HardSigmoid, z, t, y, d, n, a, b); }
export function hardSwishOutputDelta(z: usize, t: usize, y: usize, d: usize, n: usize, a: f64, b: f64): f64 { return outputDelta(Op.HardSwish, z, t, y, d, n, a, b); }
export function softsignOutputDelta(z: usize, t: usize, y: usize, d: usize, n: usize, a: f64, b: f64): f64 { return outputDelta(Op.Softsign, z, t, y, d, n, a, b); }
