// The elementwise drivers: one loop shape for every activation, specialised per activation by a
// compile-time operation code (each exported kernel passes a constant, the dispatch, generated
// from src/table.ts into assembly/generated/dispatch.ts, folds away, and each export compiles to
// a loop around one activation's code).
//
// Loop shape (simd and relaxed builds): four (or two) vectors of 4 elements per iteration, then
// one vector per iteration, then the last n % 4 elements through the same vector code, loaded
// into a padded vector with lane loads. An element's result so never depends on its position or
// on n. Each iteration loads all its vectors before it stores, so the output may be the input
// itself. The scalar build runs the same lane code one element at a time.

import { splat, loadV, storeV, loadPartial, storePartial } from "../math/lanes";
import { exp, expm1 } from "../math/exp";
import { log1p } from "../math/log1p";
import { erf, erfc } from "../math/erf";
import { Op, activationForward, activationBackward } from "../generated/dispatch";
import { EluUnitAlpha, EluAlphaFolded, EluAlphaApart, eluSlopeFor, eluForwardIn, eluBackwardIn } from "./elu";

// The operation for a compile-time code: a building block, the copy, or an activation (the
// generated dispatch, from src/table.ts); shared with the fused output-layer pass (dense.ts).
@inline export function forwardOp<V>(op: Op, x: V, a: f64, b: f64): V {
  if (op == Op.Exp) return exp<V>(x);
  if (op == Op.Expm1) return expm1<V>(x);
  if (op == Op.Log1p) return log1p<V>(x);
  if (op == Op.Erf) return erf<V>(x);
  if (op == Op.Erfc) return erfc<V>(x);
  if (op == Op.Copy) return x;
  return activationForward<V>(op, x, a, b);
}

// dy * g'(saved): saved is the output y for sigmoid and tanh, the input x for the rest (and x
// for the FromInput codes).
@inline export function backwardOp<V>(op: Op, dy: V, s: V, a: f64, b: f64): V {
  return activationBackward<V>(op, dy, s, a, b);
}

// Vectors per loop iteration. V8 does not unroll loops; four independent vectors per iteration
// measured 1.2 to 1.7 times one for the exp-based activations and 1.2 to 1.4 times for the ReLU
// family (65,536 elements, in cache, forward and backward). The kernels with long float32 chains
// and many constants spill registers with four: the exact GELU's passes and Mish's backward pass
// take two (measured against one: GELU backward 1.20-1.27x, Mish backward 1.15-1.25x; against
// four, the same or better). GELU's tanh form and SiLU take four both ways (two measured 0.89x
// for the tanh form's backward pass).
@inline function vectorsPerIteration(op: Op, backward: bool): i32 {
  if (op == Op.Gelu) return 2;
  if (op == Op.Mish && backward) return 2;
  return 4;
}

// The lane code a driver loop runs, as a type argument F: ByKernel, the op's own (forwardOp,
// activationBackward), or one of ELU's forms (kernels/elu.ts), each a type of its own size.
type ByKernel = u8;

// y[i] = g(x[i]) for i < n.
@inline export function mapForward(op: Op, x: usize, y: usize, n: usize, a: f64, b: f64): void {
  if (op == Op.Elu) mapEluForward(x, y, n, a);
  else mapForwardIn<ByKernel>(op, x, y, n, a, b);
}

// ELU's forward pass in two forms (as mapEluBackward below): alpha = 1 drops the product by
// alpha; any other alpha takes the general lane code (tagged EluAlphaApart: the forward pass has
// no folded form).
function mapEluForward(x: usize, y: usize, n: usize, a: f64): void {
  if (eluSlopeFor(a) == sizeof<EluUnitAlpha>()) mapForwardIn<EluUnitAlpha>(Op.Elu, x, y, n, a, 0);
  else mapForwardIn<EluAlphaApart>(Op.Elu, x, y, n, a, 0);
}

@inline function forwardOpIn<V, F>(op: Op, x: V, a: f64, b: f64): V {
  if (sizeof<F>() == sizeof<ByKernel>()) return forwardOp<V>(op, x, a, b);
  return eluForwardIn<V, F>(x, a);
}

@inline function mapForwardIn<F>(op: Op, x: usize, y: usize, n: usize, a: f64, b: f64): void {
  if (ASC_FEATURE_SIMD) {
    let i: usize = 0;
    if (vectorsPerIteration(op, false) == 4) {
      for (; i + 16 <= n; i += 16) {
        const o = i << 2;
        const v0 = loadV<v128>(x + o), v1 = loadV<v128>(x + o + 16);
        const v2 = loadV<v128>(x + o + 32), v3 = loadV<v128>(x + o + 48);
        storeV<v128>(y + o, forwardOpIn<v128, F>(op, v0, a, b));
        storeV<v128>(y + o + 16, forwardOpIn<v128, F>(op, v1, a, b));
        storeV<v128>(y + o + 32, forwardOpIn<v128, F>(op, v2, a, b));
        storeV<v128>(y + o + 48, forwardOpIn<v128, F>(op, v3, a, b));
      }
    } else if (vectorsPerIteration(op, false) == 2) {
      for (; i + 8 <= n; i += 8) {
        const o = i << 2;
        const v0 = loadV<v128>(x + o), v1 = loadV<v128>(x + o + 16);
        storeV<v128>(y + o, forwardOpIn<v128, F>(op, v0, a, b));
        storeV<v128>(y + o + 16, forwardOpIn<v128, F>(op, v1, a, b));
      }
    }
    for (; i + 4 <= n; i += 4) {
      storeV<v128>(y + (i << 2), forwardOpIn<v128, F>(op, loadV<v128>(x + (i << 2)), a, b));
    }
    if (i < n) {
      const o = i << 2;
      storePartial(y + o, n - i, forwardOpIn<v128, F>(op, loadPartial(x + o, n - i, 0.0), a, b));
    }
  } else {
    for (let i: usize = 0; i < n; i++) {
      const o = i << 2;
      storeV<f32>(y + o, forwardOpIn<f32, F>(op, loadV<f32>(x + o), a, b));
    }
  }
}

// A slope whose form depends on the call's parameter (ELU's alpha: 1, folded into exp's scaling
// or a separate product, kernels/elu.ts) is chosen once per call, and each form gets a loop of its
// own: the test inside the loop, once per vector, cost ELU's backward pass 8-9 % at 10^6. The
// loops live in a function of their own (not inlined), and the form is a type argument F
// (AssemblyScript folds sizeof<F>() tests, not tests of `op` or of other constant arguments of an
// inlined function): extra loops or forms inside mapBackward reached every backward export and
// tripled the optimiser's time.

@inline function backwardOpIn<V, F>(op: Op, dy: V, s: V, a: f64, b: f64): V {
  if (sizeof<F>() == sizeof<ByKernel>()) return activationBackward<V>(op, dy, s, a, b);
  return eluBackwardIn<V, F>(dy, s, a);
}

function mapEluBackward(hasDy: bool, dy: usize, s: usize, dx: usize, n: usize, a: f64): void {
  const form = eluSlopeFor(a);
  if (form == sizeof<EluUnitAlpha>()) mapEluBackwardAs<EluUnitAlpha>(hasDy, dy, s, dx, n, a);
  else if (form == sizeof<EluAlphaFolded>()) mapEluBackwardAs<EluAlphaFolded>(hasDy, dy, s, dx, n, a);
  else mapEluBackwardAs<EluAlphaApart>(hasDy, dy, s, dx, n, a);
}

// One form's loops, with dy (the backward pass) or without (the derivative): hasDy is tested here,
// once per call, so that each loop is compiled with it constant.
@inline function mapEluBackwardAs<F>(hasDy: bool, dy: usize, s: usize, dx: usize, n: usize, a: f64): void {
  if (hasDy) mapBackwardIn<F>(Op.Elu, true, dy, s, dx, n, a, 0);
  else mapBackwardIn<F>(Op.Elu, false, 0, s, dx, n, a, 0);
}

// dx[i] = dy[i] * g'(s[i]) for i < n. Without dy (hasDy a constant false) it is the derivative
// g'(s[i]) alone, as the same lane code with dy = 1 (exact): a derivative equals the backward of
// a unit gradient bit for bit.
@inline export function mapBackward(op: Op, hasDy: bool, dy: usize, s: usize, dx: usize, n: usize, a: f64, b: f64): void {
  if (op == Op.Elu) mapEluBackward(hasDy, dy, s, dx, n, a);
  else mapBackwardIn<ByKernel>(op, hasDy, dy, s, dx, n, a, b);
}

@inline function mapBackwardIn<F>(op: Op, hasDy: bool, dy: usize, s: usize, dx: usize, n: usize, a: f64, b: f64): void {
  if (ASC_FEATURE_SIMD) {
    const one = splat<v128>(1.0);
    let i: usize = 0;
    if (vectorsPerIteration(op, true) == 2) for (; i + 8 <= n; i += 8) {
      const o = i << 2;
      const d0 = hasDy ? loadV<v128>(dy + o) : one, s0 = loadV<v128>(s + o);
      const d1 = hasDy ? loadV<v128>(dy + o + 16) : one, s1 = loadV<v128>(s + o + 16);
      storeV<v128>(dx + o, backwardOpIn<v128, F>(op, d0, s0, a, b));
      storeV<v128>(dx + o + 16, backwardOpIn<v128, F>(op, d1, s1, a, b));
    }
    if (vectorsPerIteration(op, true) == 4) for (; i + 16 <= n; i += 16) {
      const o = i << 2;
      const d0 = hasDy ? loadV<v128>(dy + o) : one, s0 = loadV<v128>(s + o);
      const d1 = hasDy ? loadV<v128>(dy + o + 16) : one, s1 = loadV<v128>(s + o + 16);
      const d2 = hasDy ? loadV<v128>(dy + o + 32) : one, s2 = loadV<v128>(s + o + 32);
      const d3 = hasDy ? loadV<v128>(dy + o + 48) : one, s3 = loadV<v128>(s + o + 48);
      storeV<v128>(dx + o, backwardOpIn<v128, F>(op, d0, s0, a, b));
      storeV<v128>(dx + o + 16, backwardOpIn<v128, F>(op, d1, s1, a, b));
      storeV<v128>(dx + o + 32, backwardOpIn<v128, F>(op, d2, s2, a, b));
      storeV<v128>(dx + o + 48, backwardOpIn<v128, F>(op, d3, s3, a, b));
    }
    for (; i + 4 <= n; i += 4) {
      const o = i << 2;
      const d = hasDy ? loadV<v128>(dy + o) : one;
      storeV<v128>(dx + o, backwardOpIn<v128, F>(op, d, loadV<v128>(s + o), a, b));
    }
    if (i < n) {
      const o = i << 2;
      const d = hasDy ? loadPartial(dy + o, n - i, 0.0) : one;
      storePartial(dx + o, n - i, backwardOpIn<v128, F>(op, d, loadPartial(s + o, n - i, 0.0), a, b));
    }
  } else {
    for (let i: usize = 0; i < n; i++) {
      const o = i << 2;
      const d: f32 = hasDy ? loadV<f32>(dy + o) : 1.0;
      storeV<f32>(dx + o, backwardOpIn<f32, F>(op, d, loadV<f32>(s + o), a, b));
    }
  }
}
