// Dense layers: the matrix products of a layer's forward and backward pass, bias add and bias
// gradient, the fused output-layer "activation + delta" pass, squared error and softmax
// cross-entropy. Row-major float32 throughout; kernels take byte pointers and element counts,
// allocate nothing and keep no state.
//
// Matrix product C = init + A.B (A given by strides, so that the same kernel computes x.W, x^T.delta
// and delta.W^T with W^T transposed first). Register blocking as in Goto & van de Geijn, "Anatomy
// of high-performance matrix multiplication" (2008), reduced to what wasm SIMD offers: a 4 x 8 tile
// of C lives in 8 vector accumulators; per k one row segment of B (two vectors) is loaded and each
// of the 4 A values is broadcast and multiplied in (the shape of XNNPACK's wasmsimd "4x8 splat"
// GEMM). The k range is cut into blocks of KC so that the B panel of a block stays in cache.
//
// Bit-identity of the builds: the vectors run over the output columns j, so every lane holds one
// output element and accumulates init + A(i,0)B(0,j) + A(i,1)B(1,j) + ... in ascending k, one
// multiply and one add per term. The scalar build computes the same sum in the same order, so
// simd and scalar agree bit for bit, whatever the tile a column falls in (tails go through the same
// vector code with padded lanes). The relaxed build fuses each multiply-add (mad in lanes.ts): one
// rounding per term instead of two.

import { loadPartial, storePartial, mad, mulF64 } from "../math/lanes";
import { exp } from "../math/exp";
import { Op } from "../generated/dispatch";
import { forwardOp, backwardOp } from "./elementwise";

// 256 floats of k: a 4-row A strip (4 KiB) and the 8-column B strip of one tile (8 KiB) stay in L1.
// @ts-ignore: decorator
@inline const KC: usize = 256;

// ---- matrix product ----

// Vector j of a B row segment starting at p: full, or the first `count` (1..3) lanes padded with 0.
@inline function loadCols(p: usize, count: usize): v128 {
  return count == 4 ? v128.load(p) : loadPartial(p, count, 0.0);
}

@inline function storeCols(p: usize, count: usize, v: v128): void {
  if (count == 4) v128.store(p, v);
  else storePartial(p, count, v);
}

// One tile of C: R rows (4 or 1) from i, NV vectors (2 or 1) of columns from j, the last vector
// holding `last` (1..4) columns; k from k0 to k1. The first k block starts from the bias (or 0),
// later ones from the partial sums stored in C (an exact float32 round trip).
@inline function tile(
  R: i32, NV: i32, last: usize,
  a: usize, ars: usize, acs: usize, b: usize, n: usize, bias: usize, hasBias: bool, c: usize,
  i: usize, j: usize, k0: usize, k1: usize,
): void {
  const l0: usize = NV == 2 ? 4 : last;
  const cp = c + ((i * n + j) << 2);
  const rs = n << 2; // bytes per row of C
  let c00: v128, c01: v128 = f32x4.splat(0), c10: v128 = f32x4.splat(0), c11: v128 = f32x4.splat(0);
  let c20: v128 = f32x4.splat(0), c21: v128 = f32x4.splat(0), c30: v128 = f32x4.splat(0), c31: v128 = f32x4.splat(0);
  if (k0 == 0) {
    const i0 = hasBias ? loadCols(bias + (j << 2), l0) : f32x4.splat(0);
    const i1 = NV == 2 ? (hasBias ? loadCols(bias + (j << 2) + 16, last) : f32x4.splat(0)) : i0;
    c00 = i0; c01 = i1;
    if (R == 4) { c10 = i0; c11 = i1; c20 = i0; c21 = i1; c30 = i0; c31 = i1; }
  } else {
    c00 = loadCols(cp, l0);
    if (NV == 2) c01 = loadCols(cp + 16, last);
    if (R == 4) {
      c10 = loadCols(cp + rs, l0); c20 = loadCols(cp + 2 * rs, l0); c30 = loadCols(cp + 3 * rs, l0);
      if (NV == 2) {
        c11 = loadCols(cp + rs + 16, last); c21 = loadCols(cp + 2 * rs + 16, last); c31 = loadCols(cp + 3 * rs + 16, last);
      }
    }
  }
  const ar = ars << 2;
  for (let k = k0; k < k1; k++) {
    const bp = b + ((k * n + j) << 2);
    const b0 = loadCols(bp, l0);
    const b1 = NV == 2 ? loadCols(bp + 16, last) : b0;
    const ap = a + ((i * ars + k * acs) << 2);
    const a0 = v128.load32_splat(ap);
    c00 = mad<v128>(a0, b0, c00);
    if (NV == 2) c01 = mad<v128>(a0, b1, c01);
    if (R == 4) {
      const a1 = v128.load32_splat(ap + ar);
      const a2 = v128.load32_splat(ap + 2 * ar);
      const a3 = v128.load32_splat(ap + 3 * ar);
      c10 = mad<v128>(a1, b0, c10);
      c20 = mad<v128>(a2, b0, c20);
      c30 = mad<v128>(a3, b0, c30);
      if (NV == 2) {
        c11 = mad<v128>(a1, b1, c11);
        c21 = mad<v128>(a2, b1, c21);
        c31 = mad<v128>(a3, b1, c31);
      }
    }
  }
  storeCols(cp, l0, c00);
  if (NV == 2) storeCols(cp + 16, last, c01);
  if (R == 4) {
    storeCols(cp + rs, l0, c10); storeCols(cp + 2 * rs, l0, c20); storeCols(cp + 3 * rs, l0, c30);
    if (NV == 2) {
      storeCols(cp + rs + 16, last, c11); storeCols(cp + 2 * rs + 16, last, c21); storeCols(cp + 3 * rs + 16, last, c31);
    }
  }
}

// Every column tile of R rows from i.
@inline function rowTiles(
  R: i32, a: usize, ars: usize, acs: usize, b: usize, n: usize, bias: usize, hasBias: bool, c: usize,
  i: usize, k0: usize, k1: usize,
): void {
  let j: usize = 0;
  for (; j + 8 <= n; j += 8) tile(R, 2, 4, a, ars, acs, b, n, bias, hasBias, c, i, j, k0, k1);
  if (j + 4 <= n) {
    tile(R, 1, 4, a, ars, acs, b, n, bias, hasBias, c, i, j, k0, k1);
    j += 4;
  }
  if (j < n) tile(R, 1, n - j, a, ars, acs, b, n, bias, hasBias, c, i, j, k0, k1);
}

// C[i, j] = bias[j] (or 0) + sum over k ascending of A(i, k) * B[k, j], for i < m, j < n, k < kk.
// A(i, k) is the float at a + 4 (i ars + k acs): ars = kk, acs = 1 for a row-major [m x kk] A;
// ars = 1, acs = m for the transpose of a row-major [kk x m] matrix. B is row-major [kk x n], C
// row-major [m x n] and apart from A, B and bias.
export function matmul(
  a: usize, ars: usize, acs: usize, b: usize, bias: usize, hasBias: bool, c: usize, m: usize, n: usize, kk: usize,
): void {
  if (ASC_FEATURE_SIMD) {
    let k0: usize = 0;
    do {
      const k1 = min<usize>(k0 + KC, kk);
      let i: usize = 0;
      for (; i + 4 <= m; i += 4) rowTiles(4, a, ars, acs, b, n, bias, hasBias, c, i, k0, k1);
      for (; i < m; i++) rowTiles(1, a, ars, acs, b, n, bias, hasBias, c, i, k0, k1);
      k0 = k1;
    } while (k0 < kk);
  } else {
    // Row by row: C's row starts from the bias, then each k adds A(i,k) * B[k, :]; every element so
    // sums in ascending k with one multiply and one add per term, as a vector lane does.
    for (let i: usize = 0; i < m; i++) {
      const cr = c + ((i * n) << 2);
      for (let j: usize = 0; j < n; j++) store<f32>(cr + (j << 2), hasBias ? load<f32>(bias + (j << 2)) : 0);
      for (let k: usize = 0; k < kk; k++) {
        const av = load<f32>(a + ((i * ars + k * acs) << 2));
        const br = b + ((k * n) << 2);
        for (let j: usize = 0; j < n; j++) {
          const p = cr + (j << 2);
          store<f32>(p, av * load<f32>(br + (j << 2)) + load<f32>(p));
        }
      }
    }
  }
}

// dst = src^T: src row-major [rows x cols], dst row-major [cols x rows]. Moves bits, so any order
// gives the same result; 8 x 8 blocks keep both sides' cache lines in use.
export function transpose(src: usize, dst: usize, rows: usize, cols: usize): void {
  for (let r0: usize = 0; r0 < rows; r0 += 8) {
    const r1 = min<usize>(r0 + 8, rows);
    for (let c0: usize = 0; c0 < cols; c0 += 8) {
      const c1 = min<usize>(c0 + 8, cols);
      for (let r = r0; r < r1; r++) {
        for (let q = c0; q < c1; q++) store<f32>(dst + ((q * rows + r) << 2), load<f32>(src + ((r * cols + q) << 2)));
      }
    }
  }
}

// out[j] = sum over rows ascending of p[r, j] (the bias gradient: column sums of delta). Each lane
// is one column summed in row order, as the scalar loop does.
export function columnSums(p: usize, rows: usize, cols: usize, out: usize): void {
  if (ASC_FEATURE_SIMD) {
    let j: usize = 0;
    for (; j < cols; j += 4) {
      const count = min<usize>(cols - j, 4);
      let acc = f32x4.splat(0);
      for (let r: usize = 0; r < rows; r++) acc = f32x4.add(acc, loadCols(p + ((r * cols + j) << 2), count));
      storeCols(out + (j << 2), count, acc);
    }
  } else {
    for (let j: usize = 0; j < cols; j++) {
      let acc: f32 = 0;
      for (let r: usize = 0; r < rows; r++) acc += load<f32>(p + ((r * cols + j) << 2));
      store<f32>(out + (j << 2), acc);
    }
  }
}

// ---- fused output-layer pass ----

// (y - t)^2 in float64 from float32 values (exact difference and square up to one rounding each),
// summed in element order in every build.
@inline function sq(y: f32, t: f32): f64 {
  const d = <f64>y - <f64>t;
  return d * d;
}

// One pass over z (the pre-activations x.W + b) and the targets t:
//   y = g(z), delta = (y - t) * g'(.) with the backward lane code of the activation (dy = y - t,
//   saved = y for sigmoid and tanh, z for the rest), returns sum (y - t)^2 / 2 in float64.
// Each element is read before it is written, so y may be z itself (in place).
@inline export function outputDelta(op: Op, z: usize, t: usize, y: usize, delta: usize, n: usize, a: f64, b: f64): f64 {
  const savesOutput = op == Op.Sigmoid || op == Op.Tanh;
  let loss: f64 = 0;
  if (ASC_FEATURE_SIMD) {
    let i: usize = 0;
    for (; i < n; i += 4) {
      const o = i << 2;
      const count = min<usize>(n - i, 4);
      const zv = loadCols(z + o, count);
      const tv = loadCols(t + o, count);
      const yv = forwardOp<v128>(op, zv, a, b);
      const d = backwardOp<v128>(op, f32x4.sub(yv, tv), savesOutput ? yv : zv, a, b);
      storeCols(y + o, count, yv);
      storeCols(delta + o, count, d);
      loss += sq(f32x4.extract_lane(yv, 0), f32x4.extract_lane(tv, 0));
      if (count > 1) loss += sq(f32x4.extract_lane(yv, 1), f32x4.extract_lane(tv, 1));
      if (count > 2) loss += sq(f32x4.extract_lane(yv, 2), f32x4.extract_lane(tv, 2));
      if (count > 3) loss += sq(f32x4.extract_lane(yv, 3), f32x4.extract_lane(tv, 3));
    }
  } else {
    for (let i: usize = 0; i < n; i++) {
      const o = i << 2;
      const zv = load<f32>(z + o);
      const tv = load<f32>(t + o);
      const yv = forwardOp<f32>(op, zv, a, b);
      const d = backwardOp<f32>(op, yv - tv, savesOutput ? yv : zv, a, b);
      store<f32>(y + o, yv);
      store<f32>(delta + o, d);
      loss += sq(yv, tv);
    }
  }
  return 0.5 * loss;
}

// E = 1/2 sum (y - t)^2 in float64, in element order (the same sum outputDelta returns).
export function squaredErrorSum(y: usize, t: usize, n: usize): f64 {
  let loss: f64 = 0;
  for (let i: usize = 0; i < n; i++) loss += sq(load<f32>(y + (i << 2)), load<f32>(t + (i << 2)));
  return 0.5 * loss;
}

// ---- softmax cross-entropy ----

// Per row of logits l and targets t ([rows x cols]): loss_r = -sum_j t_j log softmax(l)_j, and
// grad = scale * (softmax(l) * T - t) with T = sum_j t_j (the exact gradient of the loss; it is
// softmax(l) - t for targets that sum to 1, as PyTorch's probability-target cross_entropy gives).
// Returns the sum of the row losses in float64.
//
// Stability (the log-sum-exp shift): with m = max_j l_j, every exp(l_j - m) is at most 1 and one
// is exactly 1, so the sum s lies in [1, cols] and never overflows, and the loss is evaluated as
// sum_j t_j ((m - l_j) + log s) in float64, finite for any finite logits (no log of an underflowed
// probability). Terms with t_j = 0 are skipped, so a -Inf logit with a zero target costs nothing.
// The exponentials use the library's float32 lane exp (<= 1 ulp); l_j - m is rounded to float32
// first, which perturbs p_j relatively by at most |l_j - m| 2^-24, i.e. absolutely by at most
// max_d |d| e^d 2^-24 = 2^-24/e. The row sum is float64 in element order in every build.
export function softmaxCrossEntropyRows(l: usize, t: usize, g: usize, rows: usize, cols: usize, scale: f64): f64 {
  let total: f64 = 0;
  for (let r: usize = 0; r < rows; r++) {
    const lr = l + ((r * cols) << 2);
    const tr = t + ((r * cols) << 2);
    const gr = g + ((r * cols) << 2);
    let m: f32 = -Infinity;
    for (let j: usize = 0; j < cols; j++) m = max<f32>(m, load<f32>(lr + (j << 2)));
    // e_j = exp(l_j - m) into g, summed in float64.
    let s: f64 = 0;
    if (ASC_FEATURE_SIMD) {
      const mv = f32x4.splat(m);
      for (let j: usize = 0; j < cols; j += 4) {
        const count = min<usize>(cols - j, 4);
        const e = exp<v128>(f32x4.sub(loadCols(lr + (j << 2), count), mv));
        storeCols(gr + (j << 2), count, e);
        s += <f64>f32x4.extract_lane(e, 0);
        if (count > 1) s += <f64>f32x4.extract_lane(e, 1);
        if (count > 2) s += <f64>f32x4.extract_lane(e, 2);
        if (count > 3) s += <f64>f32x4.extract_lane(e, 3);
      }
    } else {
      for (let j: usize = 0; j < cols; j++) {
        const e = exp<f32>(load<f32>(lr + (j << 2)) - m);
        store<f32>(gr + (j << 2), e);
        s += <f64>e;
      }
    }
    const logS = Math.log(s);
    let rowLoss: f64 = 0;
    let tSum: f64 = 0;
    for (let j: usize = 0; j < cols; j++) {
      const tj = <f64>load<f32>(tr + (j << 2));
      tSum += tj;
      if (tj != 0) rowLoss += tj * ((<f64>m - <f64>load<f32>(lr + (j << 2))) + logS);
    }
    total += rowLoss;
    // grad = f32(f32(e * (T / s)) - t), then times scale (one rounding each, exact when scale = 1).
    const q = tSum / s;
    if (ASC_FEATURE_SIMD) {
      for (let j: usize = 0; j < cols; j += 4) {
        const count = min<usize>(cols - j, 4);
        const p = mulF64<v128>(loadCols(gr + (j << 2), count), q);
        const d = f32x4.sub(p, loadCols(tr + (j << 2), count));
        storeCols(gr + (j << 2), count, scale == 1 ? d : mulF64<v128>(d, scale));
      }
    } else {
      for (let j: usize = 0; j < cols; j++) {
        const p = mulF64<f32>(load<f32>(gr + (j << 2)), q);
        const d = p - load<f32>(tr + (j << 2));
        store<f32>(gr + (j << 2), scale == 1 ? d : mulF64<f32>(d, scale));
      }
    }
  }
  return total;
}
