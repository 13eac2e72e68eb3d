// Row-wise softmax and log-softmax over a row-major [rows x cols] layout, their fused backward
// passes, and the softmax Jacobian. Every row is independent.
//
// Accuracy: x - max is carried as a double word (TwoSum) into exp, because exp(d) multiplies the
// relative error of d by |d|. Row sums accumulate in float64: float32 summation of 10^4 terms
// drifts by about sqrt(n) ulps, float64 leaves the sum's error at that of the terms. The final
// division is a float32 multiplication by 1/sum rounded to float32.
//
// Bit-identity of the builds: a vector build sums element j into lane j % 4 (two f64x2
// accumulators) and adds the lanes as (l0 + l1) + (l2 + l3); the scalar build keeps four float64
// accumulators and does the same. Tail lanes are padded with values that add exactly zero.

import {
  splat, sub, mul, pmax, lt, andNot, eq, selectV, loadPartial, storePartial, promoteLow, promoteHigh, demotePair,
} from "../math/lanes";
import { twoSumLo } from "../math/doubleword";
import { EXP_MIN, exp, expNonPositiveTail } from "../math/exp";
import { log1p } from "../math/log1p";

// exp(x - m) with x - m carried exactly (x <= m). Where x - m is below exp's range (x = -Inf,
// or x - m overflowing to -Inf) the argument is clamped and its low part, NaN there, dropped:
// the result is 0. A NaN anywhere in the row reaches the result.
@inline function shiftedExp<V>(x: V, m: f32): V {
  const d = sub<V>(x, splat<V>(m));
  const lo = twoSumLo<V>(x, splat<V>(-m), d);
  const far = lt<V>(d, splat<V>(EXP_MIN));
  return expNonPositiveTail<V>(pmax<V>(d, splat<V>(EXP_MIN)), andNot<V>(lo, far));
}

@inline function rowMax(p: usize, cols: usize): f32 {
  if (ASC_FEATURE_SIMD) {
    let acc = f32x4.splat(-Infinity);
    let j: usize = 0;
    for (; j + 4 <= cols; j += 4) acc = f32x4.pmax(acc, v128.load(p + (j << 2)));
    if (j < cols) acc = f32x4.pmax(acc, loadPartial(p + (j << 2), cols - j, -Infinity));
    const a = f32x4.extract_lane(acc, 0), b = f32x4.extract_lane(acc, 1);
    const c = f32x4.extract_lane(acc, 2), d = f32x4.extract_lane(acc, 3);
    return max<f32>(max<f32>(a, b), max<f32>(c, d));
  } else {
    let m: f32 = -Infinity;
    for (let j: usize = 0; j < cols; j++) m = max<f32>(m, load<f32>(p + (j << 2)));
    return m;
  }
}

// f(x) for the vector at column j (see rowSum), stored to `out` when `keep`.
@inline function rowTerm(kind: i32, p: usize, j: usize, m: f32, keep: bool, out: usize): v128 {
  const x = v128.load(p + (j << 2));
  const v = kind == 0 ? shiftedExp<v128>(x, m) : x;
  if (keep) v128.store(out + (j << 2), v);
  return v;
}

// Sum over the row of f(x) in float64, lane j % 4 by lane. `f` is chosen at compile time:
// 0 = exp(x - m) (stored to `out` when `keep`), 1 = x itself.
@inline function rowSum(kind: i32, p: usize, cols: usize, m: f32, keep: bool, out: usize): f64 {
  if (ASC_FEATURE_SIMD) {
    let lo = f64x2.splat(0.0);
    let hi = f64x2.splat(0.0);
    let j: usize = 0;
    // Four vectors per iteration (as in elementwise.ts), added in the same order as one at a time.
    for (; j + 16 <= cols; j += 16) {
      const v0 = rowTerm(kind, p, j, m, keep, out), v1 = rowTerm(kind, p, j + 4, m, keep, out);
      const v2 = rowTerm(kind, p, j + 8, m, keep, out), v3 = rowTerm(kind, p, j + 12, m, keep, out);
      lo = f64x2.add(lo, promoteLow(v0));
      hi = f64x2.add(hi, promoteHigh(v0));
      lo = f64x2.add(lo, promoteLow(v1));
      hi = f64x2.add(hi, promoteHigh(v1));
      lo = f64x2.add(lo, promoteLow(v2));
      hi = f64x2.add(hi, promoteHigh(v2));
      lo = f64x2.add(lo, promoteLow(v3));
      hi = f64x2.add(hi, promoteHigh(v3));
    }
    for (; j + 4 <= cols; j += 4) {
      const v = rowTerm(kind, p, j, m, keep, out);
      lo = f64x2.add(lo, promoteLow(v));
      hi = f64x2.add(hi, promoteHigh(v));
    }
    if (j < cols) {
      const x = loadPartial(p + (j << 2), cols - j, kind == 0 ? -Infinity : 0.0);
      const v = kind == 0 ? shiftedExp<v128>(x, m) : x;
      if (keep) storePartial(out + (j << 2), cols - j, v);
      lo = f64x2.add(lo, promoteLow(v));
      hi = f64x2.add(hi, promoteHigh(v));
    }
    return (f64x2.extract_lane(lo, 0) + f64x2.extract_lane(lo, 1)) + (f64x2.extract_lane(hi, 0) + f64x2.extract_lane(hi, 1));
  } else {
    let a0: f64 = 0, a1: f64 = 0, a2: f64 = 0, a3: f64 = 0;
    for (let j: usize = 0; j < cols; j++) {
      const x = load<f32>(p + (j << 2));
      const v: f32 = kind == 0 ? shiftedExp<f32>(x, m) : x;
      if (keep) store<f32>(out + (j << 2), v);
      const lane = j & 3;
      if (lane == 0) a0 += <f64>v;
      else if (lane == 1) a1 += <f64>v;
      else if (lane == 2) a2 += <f64>v;
      else a3 += <f64>v;
    }
    return (a0 + a1) + (a2 + a3);
  }
}

// y[j] *= scale, in place, in float32: the exponential's error (<= 1 ulp), the rounding of 1/sum to
// float32 (0.5) and of the product (0.5) stay within the 4-ulp bound, at one multiplication per
// lane where a float64 product costs a widening and a narrowing.
@inline function rowScale(y: usize, cols: usize, scale: f32): void {
  if (ASC_FEATURE_SIMD) {
    const s = f32x4.splat(scale);
    let j: usize = 0;
    for (; j + 16 <= cols; j += 16) {
      const q = y + (j << 2);
      const v0 = v128.load(q), v1 = v128.load(q, 16), v2 = v128.load(q, 32), v3 = v128.load(q, 48);
      v128.store(q, f32x4.mul(v0, s));
      v128.store(q, f32x4.mul(v1, s), 16);
      v128.store(q, f32x4.mul(v2, s), 32);
      v128.store(q, f32x4.mul(v3, s), 48);
    }
    for (; j + 4 <= cols; j += 4) v128.store(y + (j << 2), f32x4.mul(v128.load(y + (j << 2)), s));
    if (j < cols) storePartial(y + (j << 2), cols - j, f32x4.mul(loadPartial(y + (j << 2), cols - j, 0.0), s));
  } else {
    for (let j: usize = 0; j < cols; j++) store<f32>(y + (j << 2), load<f32>(y + (j << 2)) * scale);
  }
}

export function softmaxRows(x: usize, y: usize, rows: usize, cols: usize): void {
  for (let r: usize = 0; r < rows; r++) {
    const o = r * cols << 2;
    const m = rowMax(x + o, cols);
    const sum = rowSum(0, x + o, cols, m, true, y + o);
    rowScale(y + o, cols, <f32>(1.0 / sum));
  }
}

// sum - 1 for log-softmax, as (count of maxima - 1) + the sum of the other terms: a maximum's
// term is exactly 1, and adding the rest to it first would leave sum - 1 with only float64's
// absolute precision (2^-52) where log(sum) is tiny (1e-13 in a row with one dominant entry).
// Summation order as in rowSum; the count is exact in any order.
@inline function rowSumMinusOne(p: usize, cols: usize, m: f32): f64 {
  if (ASC_FEATURE_SIMD) {
    let lo = f64x2.splat(0.0);
    let hi = f64x2.splat(0.0);
    let count = i32x4.splat(0);
    const mm = f32x4.splat(m);
    let j: usize = 0;
    for (; j + 4 <= cols; j += 4) {
      const x = v128.load(p + (j << 2));
      const isMax = f32x4.eq(x, mm);
      const v = v128.andnot(shiftedExp<v128>(x, m), isMax);
      count = i32x4.sub(count, isMax);
      lo = f64x2.add(lo, promoteLow(v));
      hi = f64x2.add(hi, promoteHigh(v));
    }
    if (j < cols) {
      const x = loadPartial(p + (j << 2), cols - j, -Infinity);
      const isMax = f32x4.eq(x, mm);
      const v = v128.andnot(shiftedExp<v128>(x, m), isMax);
      count = i32x4.sub(count, isMax);
      lo = f64x2.add(lo, promoteLow(v));
      hi = f64x2.add(hi, promoteHigh(v));
    }
    const k = i32x4.extract_lane(count, 0) + i32x4.extract_lane(count, 1) + i32x4.extract_lane(count, 2) + i32x4.extract_lane(count, 3);
    const rest = (f64x2.extract_lane(lo, 0) + f64x2.extract_lane(lo, 1)) + (f64x2.extract_lane(hi, 0) + f64x2.extract_lane(hi, 1));
    return <f64>(k - 1) + rest;
  } else {
    let a0: f64 = 0, a1: f64 = 0, a2: f64 = 0, a3: f64 = 0;
    let k: i32 = 0;
    for (let j: usize = 0; j < cols; j++) {
      const x = load<f32>(p + (j << 2));
      const isMax = x == m;
      const v: f32 = isMax ? 0 : shiftedExp<f32>(x, m);
      if (isMax) k++;
      const lane = j & 3;
      if (lane == 0) a0 += <f64>v;
      else if (lane == 1) a1 += <f64>v;
      else if (lane == 2) a2 += <f64>v;
      else a3 += <f64>v;
    }
    return <f64>(k - 1) + ((a0 + a1) + (a2 + a3));
  }
}

// (x - m) - log(sum) + the low part of x - m, with log(sum) = log1p(sum - 1).
@inline function logSoftmaxLane<V>(x: V, m: f32, logSum: f32): V {
  const d = sub<V>(x, splat<V>(m));
  const lo = selectV<V>(eq<V>(x, splat<V>(-Infinity)), splat<V>(0.0), twoSumLo<V>(x, splat<V>(-m), d));
  return add2<V>(sub<V>(d, splat<V>(logSum)), lo);
}

@inline function add2<V>(a: V, b: V): V {
  if (isVector<V>()) return f32x4.add(a, b);
  else return (a as f32) + (b as f32);
}

export function logSoftmaxRows(x: usize, y: usize, rows: usize, cols: usize): void {
  for (let r: usize = 0; r < rows; r++) {
    const o = r * cols << 2;
    const m = rowMax(x + o, cols);
    const logSum = log1p<f32>(<f32>rowSumMinusOne(x + o, cols, m));
    if (ASC_FEATURE_SIMD) {
      let j: usize = 0;
      for (; j + 4 <= cols; j += 4) {
        v128.store(y + o + (j << 2), logSoftmaxLane<v128>(v128.load(x + o + (j << 2)), m, logSum));
      }
      if (j < cols) {
        const v = loadPartial(x + o + (j << 2), cols - j, 0.0);
        storePartial(y + o + (j << 2), cols - j, logSoftmaxLane<v128>(v, m, logSum));
      }
    } else {
      for (let j: usize = 0; j < cols; j++) {
        store<f32>(y + o + (j << 2), logSoftmaxLane<f32>(load<f32>(x + o + (j << 2)), m, logSum));
      }
    }
  }
}

// sum_j dy_j * y_j in float64 (the products are exact there), lane j % 4 by lane.
@inline function rowDot(dy: usize, y: usize, cols: usize): f64 {
  if (ASC_FEATURE_SIMD) {
    let lo = f64x2.splat(0.0);
    let hi = f64x2.splat(0.0);
    let j: usize = 0;
    for (; j + 4 <= cols; j += 4) {
      const a = v128.load(dy + (j << 2));
      const b = v128.load(y + (j << 2));
      lo = f64x2.add(lo, f64x2.mul(promoteLow(a), promoteLow(b)));
      hi = f64x2.add(hi, f64x2.mul(promoteHigh(a), promoteHigh(b)));
    }
    if (j < cols) {
      const a = loadPartial(dy + (j << 2), cols - j, 0.0);
      const b = loadPartial(y + (j << 2), cols - j, 0.0);
      lo = f64x2.add(lo, f64x2.mul(promoteLow(a), promoteLow(b)));
      hi = f64x2.add(hi, f64x2.mul(promoteHigh(a), promoteHigh(b)));
    }
    return (f64x2.extract_lane(lo, 0) + f64x2.extract_lane(lo, 1)) + (f64x2.extract_lane(hi, 0) + f64x2.extract_lane(hi, 1));
  } else {
    let a0: f64 = 0, a1: f64 = 0, a2: f64 = 0, a3: f64 = 0;
    for (let j: usize = 0; j < cols; j++) {
      const v = <f64>load<f32>(dy + (j << 2)) * <f64>load<f32>(y + (j << 2));
      const lane = j & 3;
      if (lane == 0) a0 += v;
      else if (lane == 1) a1 += v;
      else if (lane == 2) a2 += v;
      else a3 += v;
    }
    return (a0 + a1) + (a2 + a3);
  }
}

// dx = y * (dy - sum(dy * y)), evaluated in float64 and rounded once.
@inline function softmaxBackwardPair(dy: v128, y: v128, s: v128): v128 {
  return demotePair(
    f64x2.mul(promoteLow(y), f64x2.sub(promoteLow(dy), s)),
    f64x2.mul(promoteHigh(y), f64x2.sub(promoteHigh(dy), s)),
  );
}

export function softmaxBackwardRows(dy: usize, y: usize, dx: usize, rows: usize, cols: usize): void {
  for (let r: usize = 0; r < rows; r++) {
    const o = r * cols << 2;
    const dot = rowDot(dy + o, y + o, cols);
    if (ASC_FEATURE_SIMD) {
      const s = f64x2.splat(dot);
      let j: usize = 0;
      for (; j + 4 <= cols; j += 4) {
        const p = o + (j << 2);
        v128.store(dx + p, softmaxBackwardPair(v128.load(dy + p), v128.load(y + p), s));
      }
      if (j < cols) {
        const p = o + (j << 2);
        const c = cols - j;
        storePartial(dx + p, c, softmaxBackwardPair(loadPartial(dy + p, c, 0.0), loadPartial(y + p, c, 0.0), s));
      }
    } else {
      for (let j: usize = 0; j < cols; j++) {
        const p = o + (j << 2);
        store<f32>(dx + p, <f32>(<f64>load<f32>(y + p) * (<f64>load<f32>(dy + p) - dot)));
      }
    }
  }
}

// dx = dy - exp(y) * sum(dy), in float64 but for exp(y), rounded once.
@inline function logSoftmaxBackwardPair(dy: v128, y: v128, s: v128): v128 {
  const e = exp<v128>(y);
  return demotePair(
    f64x2.sub(promoteLow(dy), f64x2.mul(promoteLow(e), s)),
    f64x2.sub(promoteHigh(dy), f64x2.mul(promoteHigh(e), s)),
  );
}

export function logSoftmaxBackwardRows(dy: usize, y: usize, dx: usize, rows: usize, cols: usize): void {
  for (let r: usize = 0; r < rows; r++) {
    const o = r * cols << 2;
    const total = rowSum(1, dy + o, cols, 0.0, false, 0);
    if (ASC_FEATURE_SIMD) {
      const s = f64x2.splat(total);
      let j: usize = 0;
      for (; j + 4 <= cols; j += 4) {
        const p = o + (j << 2);
        v128.store(dx + p, logSoftmaxBackwardPair(v128.load(dy + p), v128.load(y + p), s));
      }
      if (j < cols) {
        const p = o + (j << 2);
        const c = cols - j;
        storePartial(dx + p, c, logSoftmaxBackwardPair(loadPartial(dy + p, c, 0.0), loadPartial(y + p, c, 0.0), s));
      }
    } else {
      for (let j: usize = 0; j < cols; j++) {
        const p = o + (j << 2);
        const e = exp<f32>(load<f32>(y + p));
        store<f32>(dx + p, <f32>(<f64>load<f32>(dy + p) - <f64>e * total));
      }
    }
  }
}

// J[r, i, j] = y_i (delta_ij - y_j): -(y_i y_j) off the diagonal, y_i (1 - y_i) on it (one or two
// roundings; 1 - y_i is exact for y_i >= 1/2).
export function softmaxJacobianRows(y: usize, jac: usize, rows: usize, cols: usize): void {
  for (let r: usize = 0; r < rows; r++) {
    const yo = y + (r * cols << 2);
    for (let i: usize = 0; i < cols; i++) {
      const yi = load<f32>(yo + (i << 2));
      const out = jac + ((r * cols + i) * cols << 2);
      if (ASC_FEATURE_SIMD) {
        const vi = f32x4.splat(yi);
        let j: usize = 0;
        for (; j + 4 <= cols; j += 4) v128.store(out + (j << 2), f32x4.neg(f32x4.mul(vi, v128.load(yo + (j << 2)))));
        if (j < cols) {
          storePartial(out + (j << 2), cols - j, f32x4.neg(f32x4.mul(vi, loadPartial(yo + (j << 2), cols - j, 0.0))));
        }
      } else {
        for (let j: usize = 0; j < cols; j++) store<f32>(out + (j << 2), -(yi * load<f32>(yo + (j << 2))));
      }
      store<f32>(out + (i << 2), yi * (1.0 - yi));
    }
  }
}
