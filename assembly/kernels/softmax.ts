// Row-wise softmax and log-softmax over a row-major [rows x cols] layout, their fused backward
// passes, and the softmax Jacobian. Every row is independent.
//
// Accuracy: exp(d) multiplies the relative error of its argument d by |d|, so x - max must not
// be rounded on its way into exp. Rows whose maximum lies in [-64, 64] (nearly all) take
// exp(x - K ln2), K an integer near max log2(e): the shift lives in the exponent and x enters the
// usual reduction exactly (math/exp.ts, expMinusKLn2); other rows carry x - max as a double word
// (TwoSum). Row sums accumulate in float64 (float32 summation of 10^4 terms drifts by about
// sqrt(n) ulps), long rows after adding pairs of terms in float32 (rowSumFast). The final
// division is a float32 multiplication by 1/sum rounded to float32. Softmax's fast-row terms
// carry a factor 2^64 (expMinusKLn2Times2p64), which 1/sum removes: one operation less per lane,
// and a result whose term would be subnormal unscaled (results below about 1.42 * 2^-126) rounds
// once instead of twice.
//
// Layout: rows of up to GROUP_COLS columns are processed four at a time, one row per vector lane
// (softmaxGroups); longer rows one at a time, four columns per vector.
//
// Bit-identity of the builds: a vector build sums element j of a long row into lane j % 4 (two
// f64x2 accumulators) and adds the lanes as (l0 + l1) + (l2 + l3); a short row's terms are added
// in column order. The scalar build keeps four float64 accumulators (one for short rows) and does
// the same, and takes the same path per row. Tail lanes add exactly zero: padded with -Inf (a
// term of 0) or 0 (a sum of x), and the fast rows' padded terms (exp(floor) 2^64) set to 0.

import {
  splat, sub, mul, neg, absV, pmax, lt, andNot, loadPartial, storePartial, keepFirstLanes, promoteLow, promoteHigh, demotePair,
} from "../math/lanes";
import { twoSumLo } from "../math/doubleword";
import { EXP_MIN, exp, expNonPositiveTail, rowShiftConstant, expMinusKLn2, expMinusKLn2Times2p64 } from "../math/exp";
import { log1p } from "../math/log1p";

// exp(x - m) with x - m carried exactly (x <= m). Where x - m is below exp's range (x = -Inf,
// or x - m overflowing to -Inf) the argument is clamped and its low part, NaN there, dropped:
// the result is 0. A NaN anywhere in the row reaches the result.
@inline function shiftedExp<V>(x: V, m: f32): V {
  return shiftedExpV<V>(x, splat<V>(m));
}

// The same with the maximum given per lane (the grouped short-row path: one row per lane).
@inline function shiftedExpV<V>(x: V, m: V): V {
  const d = sub<V>(x, m);
  const lo = twoSumLo<V>(x, neg<V>(m), d);
  const far = lt<V>(d, splat<V>(EXP_MIN));
  return expNonPositiveTail<V>(pmax<V>(d, splat<V>(EXP_MIN)), andNot<V>(lo, far));
}

// Rows whose maximum lies in [-FAST_MAX, FAST_MAX] take exp(x - K ln2) (exp.ts, expMinusKLn2):
// no x - max, no double word. Others (huge logits, +-Inf, NaN) the double-word path above. Both
// builds decide per row on the same test, so they stay bit-identical.
// @ts-ignore: decorator
@inline const FAST_MAX: f32 = 64.0;
// Clamp x at m - 112: exp(-112 + 0.35) is 0 in float32. With softmax's factor 2^64 a clamped term
// is below 2^-96, invisible in a float64 sum of at least 2^63.5 (the maximum's term) for any row
// shorter than 2^100, and its result (times 1/sum <= 2^-63.5) rounds to 0.
// @ts-ignore: decorator
@inline const FAST_FLOOR: f32 = 112.0;

@inline function isFastRow(m: f32): bool {
  return abs<f32>(m) <= FAST_MAX;
}

// ---- short rows: four rows at a time, one row per vector lane ----
//
// Rows of up to GROUP_COLS columns spend most of their time in per-row work (a horizontal
// maximum, a horizontal sum, one division, partial vectors at both ends) rather than in the
// exponentials. Gathering column j of four consecutive rows into one vector (four lane loads)
// makes that work vertical: the row maxima, the float64 sums and the divisions of four rows are
// one vector operation each, and every vector is full whatever the row length. The columns are
// kept in a static scratch area between the passes (read once from x, so the output may be x
// itself). A last group of fewer than four rows repeats its last row in the spare lanes, whose
// identical results are stored to the same place again.
// Summation order: each row's terms are added in column order, j = 0, 1, ...; the scalar build
// does the same for rows this short (see `lanesFor`), so the builds stay bit-identical.
// @ts-ignore: decorator
@inline export const GROUP_COLS: usize = 16;
// One scratch area per thread: instances on one shared memory (src/threads) run this kernel at
// once, and module globals are per instance, so each instance points `scratch` at its own area
// (useScratch; the caller's instance keeps area 0). 64 areas: the most threads init() allows.
// @ts-ignore: decorator
@inline const SCRATCH_BYTES: usize = GROUP_COLS << 4;
// @ts-ignore: decorator
@inline const SCRATCH_AREAS: i32 = 64;
const SCRATCH_BASE: usize = memory.data(<i32>SCRATCH_BYTES * SCRATCH_AREAS, 16);
let SCRATCH: usize = SCRATCH_BASE;

// Points this instance's grouped short-row passes at scratch area `area` (0 to 63).
export function useScratchArea(area: i32): void {
  if (<u32>area >= <u32>SCRATCH_AREAS) unreachable();
  SCRATCH = SCRATCH_BASE + <usize>area * SCRATCH_BYTES;
}

// Lane mask of the float64 accumulators: j & 3 (four accumulators, long rows) or 0 (one
// accumulator in column order: the order of the grouped vector path).
@inline function lanesFor(cols: usize): usize {
  return cols <= GROUP_COLS ? 0 : 3;
}

@inline function gather4(q0: usize, q1: usize, q2: usize, q3: usize): v128 {
  let v = v128.load32_zero(q0);
  v = v128.load32_lane(q1, v, 1);
  v = v128.load32_lane(q2, v, 2);
  return v128.load32_lane(q3, v, 3);
}

@inline function scatter4(q0: usize, q1: usize, q2: usize, q3: usize, v: v128): void {
  v128.store32_lane(q0, v, 0);
  v128.store32_lane(q1, v, 1);
  v128.store32_lane(q2, v, 2);
  v128.store32_lane(q3, v, 3);
}

// Row maxima of the group; stores the gathered columns to SCRATCH.
@inline function groupMax(x0: usize, x1: usize, x2: usize, x3: usize, cols: usize): v128 {
  let m = f32x4.splat(-Infinity);
  for (let j: usize = 0; j < cols; j++) {
    const o = j << 2;
    const v = gather4(x0 + o, x1 + o, x2 + o, x3 + o);
    v128.store(SCRATCH + (j << 4), v);
    m = f32x4.pmax(m, v);
  }
  return m;
}

// kind 0: softmax, 1: log-softmax, for rows r.. of a group (rows <= GROUP_COLS columns).
@inline function softmaxGroups(kind: i32, x: usize, y: usize, rows: usize, cols: usize): void {
  const stride = cols << 2;
  const last = rows - 1;
  for (let r: usize = 0; r < rows; r += 4) {
    const o0 = r * stride, o1 = min(r + 1, last) * stride, o2 = min(r + 2, last) * stride, o3 = min(r + 3, last) * stride;
    const m = groupMax(x + o0, x + o1, x + o2, x + o3, cols);
    let lo = f64x2.splat(0.0);
    let hi = f64x2.splat(0.0);
    if (kind == 0) {
      const fast = f32x4.le(absV<v128>(m), f32x4.splat(FAST_MAX));
      const c = rowShiftConstant<v128>(m);
      const floor = f32x4.sub(m, f32x4.splat(FAST_FLOOR));
      if (i32x4.all_true(fast)) {
        for (let j: usize = 0; j < cols; j++) {
          const e = expMinusKLn2Times2p64<v128>(v128.load(SCRATCH + (j << 4)), floor, c);
          v128.store(SCRATCH + (j << 4), e);
          lo = f64x2.add(lo, promoteLow(e));
          hi = f64x2.add(hi, promoteHigh(e));
        }
      } else {
        // Some row of the group is not fast: each lane takes its row's path, as the scalar build.
        for (let j: usize = 0; j < cols; j++) {
          const v = v128.load(SCRATCH + (j << 4));
          const e = v128.bitselect(expMinusKLn2Times2p64<v128>(v, floor, c), shiftedExpV<v128>(v, m), fast);
          v128.store(SCRATCH + (j << 4), e);
          lo = f64x2.add(lo, promoteLow(e));
          hi = f64x2.add(hi, promoteHigh(e));
        }
      }
      const one = f64x2.splat(1.0);
      const s = demotePair(f64x2.div(one, lo), f64x2.div(one, hi));
      for (let j: usize = 0; j < cols; j++) {
        const o = j << 2;
        scatter4(y + o0 + o, y + o1 + o, y + o2 + o, y + o3 + o, f32x4.mul(v128.load(SCRATCH + (j << 4)), s));
      }
    } else {
      // sum - 1 as (count of maxima - 1) + the other terms, as rowSumMinusOne.
      let count = i32x4.splat(-1);
      for (let j: usize = 0; j < cols; j++) {
        const v = v128.load(SCRATCH + (j << 4));
        const isMax = f32x4.eq(v, m);
        const e = v128.andnot(shiftedExpV<v128>(v, m), isMax);
        count = i32x4.sub(count, isMax);
        lo = f64x2.add(lo, promoteLow(e));
        hi = f64x2.add(hi, promoteHigh(e));
      }
      const kLo = f64x2.convert_low_i32x4_s(count);
      const kHi = f64x2.convert_low_i32x4_s(v128.shuffle<i32>(count, count, 2, 3, 2, 3));
      const logSum = log1p<v128>(demotePair(f64x2.add(kLo, lo), f64x2.add(kHi, hi)));
      const mHi = f32x4.add(m, logSum);
      const mLo = twoSumLo<v128>(m, logSum, mHi);
      for (let j: usize = 0; j < cols; j++) {
        const o = j << 2;
        scatter4(y + o0 + o, y + o1 + o, y + o2 + o, y + o3 + o, logSoftmaxShifted<v128>(v128.load(SCRATCH + (j << 4)), mHi, mLo));
      }
    }
  }
}

// The lane accumulators' total in the order both builds use: (l0 + l1) + (l2 + l3).
@inline function sumOfLanes(lo: v128, hi: v128): f64 {
  return (f64x2.extract_lane(lo, 0) + f64x2.extract_lane(lo, 1)) + (f64x2.extract_lane(hi, 0) + f64x2.extract_lane(hi, 1));
}

@inline function maxOfLanes(v: v128): f32 {
  const a = f32x4.extract_lane(v, 0), b = f32x4.extract_lane(v, 1);
  const c = f32x4.extract_lane(v, 2), d = f32x4.extract_lane(v, 3);
  return max<f32>(max<f32>(a, b), max<f32>(c, d));
}

@inline function rowMax(p: usize, cols: usize): f32 {
  if (ASC_FEATURE_SIMD) {
    let acc = f32x4.splat(-Infinity);
    let j: usize = 0;
    if (cols >= 16) {
      // Four chains: one pmax per vector is latency-bound. (Which maximum of a row holding NaN
      // comes out does not matter: every result of that row is NaN.)
      let a1 = acc, a2 = acc, a3 = acc;
      for (; j + 16 <= cols; j += 16) {
        const q = p + (j << 2);
        acc = f32x4.pmax(acc, v128.load(q));
        a1 = f32x4.pmax(a1, v128.load(q, 16));
        a2 = f32x4.pmax(a2, v128.load(q, 32));
        a3 = f32x4.pmax(a3, v128.load(q, 48));
      }
      acc = f32x4.pmax(f32x4.pmax(acc, a1), f32x4.pmax(a2, a3));
    }
    for (; j + 4 <= cols; j += 4) acc = f32x4.pmax(acc, v128.load(p + (j << 2)));
    if (j < cols) acc = f32x4.pmax(acc, loadPartial(p + (j << 2), cols - j, -Infinity));
    return maxOfLanes(acc);
  } else {
    let m: f32 = -Infinity;
    for (let j: usize = 0; j < cols; j++) m = max<f32>(m, load<f32>(p + (j << 2)));
    return m;
  }
}

// f(x) for the vector at column j (see rowSum), stored to `out` when `keep`.
@inline function rowTerm(kind: i32, p: usize, j: usize, m: f32, keep: bool, out: usize, floor: v128, c: v128): v128 {
  const x = v128.load(p + (j << 2));
  const v = kind == 0 ? shiftedExp<v128>(x, m) : kind == 2 ? expMinusKLn2Times2p64<v128>(x, floor, c) : x;
  if (keep) v128.store(out + (j << 2), v);
  return v;
}

// The end of rowSum and rowSumFast (simd builds): the columns from j on, one vector at a time,
// the last partial vector padded (with -Inf for the exponentials: a term of 0, or of exp(floor) 2^64 in
// the fast rows, set to 0 by keepFirstLanes), added to
// the float64 lane sums lo and hi, which are then reduced.
@inline function rowSumRest(kind: i32, p: usize, j: usize, cols: usize, m: f32, keep: bool, out: usize, floor: v128, c: v128, lo: v128, hi: v128): f64 {
  for (; j + 4 <= cols; j += 4) {
    const v = rowTerm(kind, p, j, m, keep, out, floor, c);
    lo = f64x2.add(lo, promoteLow(v));
    hi = f64x2.add(hi, promoteHigh(v));
  }
  if (j < cols) {
    const x = loadPartial(p + (j << 2), cols - j, kind == 1 ? 0.0 : -Infinity);
    // The padded lanes give 0, except in the fast rows' terms (exp(floor) 2^64 there).
    const v = kind == 0 ? shiftedExp<v128>(x, m) : kind == 2 ? keepFirstLanes(expMinusKLn2Times2p64<v128>(x, floor, c), cols - j) : x;
    if (keep) storePartial(out + (j << 2), cols - j, v);
    lo = f64x2.add(lo, promoteLow(v));
    hi = f64x2.add(hi, promoteHigh(v));
  }
  return sumOfLanes(lo, hi);
}

// Sum over the row of f(x) in float64, lane j % 4 by lane. `f` is chosen at compile time:
// 0 = exp(x - m) (stored to `out` when `keep`), 1 = x itself, 2 = exp(x - K ln2) (fast rows).
@inline function rowSum(kind: i32, p: usize, cols: usize, m: f32, keep: bool, out: usize): f64 {
  if (ASC_FEATURE_SIMD) {
    const floor = f32x4.splat(m - FAST_FLOOR);
    const c = rowShiftConstant<v128>(f32x4.splat(m));
    let lo = f64x2.splat(0.0);
    let hi = f64x2.splat(0.0);
    let j: usize = 0;
    // Four vectors per iteration (as in elementwise.ts), added in the same order as one at a time.
    for (; j + 16 <= cols; j += 16) {
      const v0 = rowTerm(kind, p, j, m, keep, out, floor, c), v1 = rowTerm(kind, p, j + 4, m, keep, out, floor, c);
      const v2 = rowTerm(kind, p, j + 8, m, keep, out, floor, c), v3 = rowTerm(kind, p, j + 12, m, keep, out, floor, c);
      lo = f64x2.add(lo, promoteLow(v0));
      hi = f64x2.add(hi, promoteHigh(v0));
      lo = f64x2.add(lo, promoteLow(v1));
      hi = f64x2.add(hi, promoteHigh(v1));
      lo = f64x2.add(lo, promoteLow(v2));
      hi = f64x2.add(hi, promoteHigh(v2));
      lo = f64x2.add(lo, promoteLow(v3));
      hi = f64x2.add(hi, promoteHigh(v3));
    }
    return rowSumRest(kind, p, j, cols, m, keep, out, floor, c, lo, hi);
  } else {
    let a0: f64 = 0, a1: f64 = 0, a2: f64 = 0, a3: f64 = 0;
    const mask: usize = kind == 1 ? 3 : lanesFor(cols);
    const floor: f32 = m - FAST_FLOOR;
    const c = rowShiftConstant<f32>(m);
    for (let j: usize = 0; j < cols; j++) {
      const x = load<f32>(p + (j << 2));
      const v: f32 = kind == 0 ? shiftedExp<f32>(x, m) : kind == 2 ? expMinusKLn2Times2p64<f32>(x, floor, c) : x;
      if (keep) store<f32>(out + (j << 2), v);
      const lane = j & mask;
      if (lane == 0) a0 += <f64>v;
      else if (lane == 1) a1 += <f64>v;
      else if (lane == 2) a2 += <f64>v;
      else a3 += <f64>v;
    }
    return (a0 + a1) + (a2 + a3);
  }
}

// Sum of exp(x - K ln2) over a row of more than GROUP_COLS columns (a fast row), stored to `out`.
// In each block of 16 columns the terms are first added in pairs in float32, lane by lane:
// t0 + t1 and t2 + t3, t_i the term at column j + 4i + lane, and the two pair sums are added in
// that order to the lane's float64 accumulator; the remaining columns are added one by one, as in
// rowSum. One float64 widening and addition per 8 terms instead of per 4: a float32 sum of two
// positive terms rounds with relative error <= 2^-24, so the row sum's relative error grows by at
// most 2^-24 (the float64 additions add ~1e-16). Measured over rows of 17 to 10^4 columns, scales
// 0.1 to 100: the same maximum error as float64 sums (softmax 3 ulp). Sums of four in float32
// (two levels, <= 2 * 2^-24) were faster still but reached 4 ulp, the bound, on rows of 1000.
@inline function rowSumFast(p: usize, cols: usize, m: f32, out: usize): f64 {
  if (ASC_FEATURE_SIMD) {
    const floor = f32x4.splat(m - FAST_FLOOR);
    const c = rowShiftConstant<v128>(f32x4.splat(m));
    let lo = f64x2.splat(0.0);
    let hi = f64x2.splat(0.0);
    let j: usize = 0;
    for (; j + 16 <= cols; j += 16) {
      const q = p + (j << 2);
      const x0 = v128.load(q), x1 = v128.load(q, 16), x2 = v128.load(q, 32), x3 = v128.load(q, 48);
      const e0 = expMinusKLn2Times2p64<v128>(x0, floor, c), e1 = expMinusKLn2Times2p64<v128>(x1, floor, c);
      const e2 = expMinusKLn2Times2p64<v128>(x2, floor, c), e3 = expMinusKLn2Times2p64<v128>(x3, floor, c);
      const w = out + (j << 2);
      v128.store(w, e0);
      v128.store(w, e1, 16);
      v128.store(w, e2, 32);
      v128.store(w, e3, 48);
      const b01 = f32x4.add(e0, e1), b23 = f32x4.add(e2, e3);
      lo = f64x2.add(lo, promoteLow(b01));
      hi = f64x2.add(hi, promoteHigh(b01));
      lo = f64x2.add(lo, promoteLow(b23));
      hi = f64x2.add(hi, promoteHigh(b23));
    }
    return rowSumRest(2, p, j, cols, m, true, out, floor, c, lo, hi);
  } else {
    const floor: f32 = m - FAST_FLOOR;
    const c = rowShiftConstant<f32>(m);
    let a0: f64 = 0, a1: f64 = 0, a2: f64 = 0, a3: f64 = 0;
    let j: usize = 0;
    for (; j + 16 <= cols; j += 16) {
      for (let l: usize = 0; l < 4; l++) {
        const q = p + ((j + l) << 2);
        const w = out + ((j + l) << 2);
        const e0 = expMinusKLn2Times2p64<f32>(load<f32>(q), floor, c), e1 = expMinusKLn2Times2p64<f32>(load<f32>(q, 16), floor, c);
        const e2 = expMinusKLn2Times2p64<f32>(load<f32>(q, 32), floor, c), e3 = expMinusKLn2Times2p64<f32>(load<f32>(q, 48), floor, c);
        store<f32>(w, e0);
        store<f32>(w, e1, 16);
        store<f32>(w, e2, 32);
        store<f32>(w, e3, 48);
        const b01 = <f64>(e0 + e1), b23 = <f64>(e2 + e3);
        if (l == 0) { a0 += b01; a0 += b23; }
        else if (l == 1) { a1 += b01; a1 += b23; }
        else if (l == 2) { a2 += b01; a2 += b23; }
        else { a3 += b01; a3 += b23; }
      }
    }
    for (; j < cols; j++) {
      const e = expMinusKLn2Times2p64<f32>(load<f32>(p + (j << 2)), floor, c);
      store<f32>(out + (j << 2), e);
      const lane = j & 3;
      if (lane == 0) a0 += <f64>e;
      else if (lane == 1) a1 += <f64>e;
      else if (lane == 2) a2 += <f64>e;
      else a3 += <f64>e;
    }
    return (a0 + a1) + (a2 + a3);
  }
}

// A row's results, written from `src` to `dst`: kind 0 (softmax) src[j] * a, in place (src = dst =
// y), in float32: the exponential's error (<= 1 ulp), the rounding of 1/sum to float32 (0.5) and
// of the product (0.5) stay within the 4-ulp bound, at one multiplication per lane where a float64
// product costs a widening and a narrowing; kind 1 (log-softmax) (src[j] - a) - b, src = x
// (logSoftmaxShifted).
// Returns the maximum of the next row, at `next` (rowMax): the vector builds read it in the same
// loop, so that its read from memory overlaps this row's stores instead of waiting in a pass of
// its own (1.17x for softmax at 10^6 elements in rows of 1000, where a row's first read comes from
// L3; the same at 65,536). After the last row `next` is NO_NEXT_ROW: the vector builds then read
// the row itself again (in cache) and return its maximum unused; the scalar build skips the scan.
// As in rowMax, a NaN may drop the other operand of pmax: every result of such a row is NaN.
@inline function rowOutputsThenMax(kind: i32, src: usize, dst: usize, cols: usize, a: f32, b: f32, next: usize): f32 {
  if (ASC_FEATURE_SIMD) {
    if (next == NO_NEXT_ROW) next = src;
    const av = f32x4.splat(a), bv = f32x4.splat(b);
    let m0 = f32x4.splat(-Infinity), m1 = m0;
    let j: usize = 0;
    for (; j + 16 <= cols; j += 16) {
      const n = next + (j << 2);
      m0 = f32x4.pmax(m0, f32x4.pmax(v128.load(n), v128.load(n, 16)));
      m1 = f32x4.pmax(m1, f32x4.pmax(v128.load(n, 32), v128.load(n, 48)));
      const q = src + (j << 2), w = dst + (j << 2);
      const v0 = v128.load(q), v1 = v128.load(q, 16), v2 = v128.load(q, 32), v3 = v128.load(q, 48);
      v128.store(w, rowOutput(kind, v0, av, bv));
      v128.store(w, rowOutput(kind, v1, av, bv), 16);
      v128.store(w, rowOutput(kind, v2, av, bv), 32);
      v128.store(w, rowOutput(kind, v3, av, bv), 48);
    }
    for (; j + 4 <= cols; j += 4) {
      m0 = f32x4.pmax(m0, v128.load(next + (j << 2)));
      v128.store(dst + (j << 2), rowOutput(kind, v128.load(src + (j << 2)), av, bv));
    }
    if (j < cols) {
      m0 = f32x4.pmax(m0, loadPartial(next + (j << 2), cols - j, -Infinity));
      storePartial(dst + (j << 2), cols - j, rowOutput(kind, loadPartial(src + (j << 2), cols - j, 0.0), av, bv));
    }
    return maxOfLanes(f32x4.pmax(m0, m1));
  } else {
    for (let j: usize = 0; j < cols; j++) store<f32>(dst + (j << 2), rowOutput(kind, load<f32>(src + (j << 2)), a, b));
    return next == NO_NEXT_ROW ? 0 : rowMax(next, cols);
  }
}

@inline function rowOutput<V>(kind: i32, v: V, a: V, b: V): V {
  return kind == 0 ? mul<V>(v, a) : logSoftmaxShifted<V>(v, a, b);
}

export function softmaxRows(x: usize, y: usize, rows: usize, cols: usize): void {
  if (ASC_FEATURE_SIMD && cols <= GROUP_COLS) {
    if (rows > 0) softmaxGroups(0, x, y, rows, cols);
    return;
  }
  let m = rows > 0 ? rowMax(x, cols) : 0;
  for (let r: usize = 0; r < rows; r++) {
    const o = r * cols << 2;
    // Short rows (the scalar build's; the vector builds take softmaxGroups) keep float64 sums in
    // column order, as the groups do.
    const sum = isFastRow(m) ? (cols <= GROUP_COLS ? rowSum(2, x + o, cols, m, true, y + o) : rowSumFast(x + o, cols, m, y + o))
      : rowSum(0, x + o, cols, m, true, y + o);
    m = rowOutputsThenMax(0, y + o, y + o, cols, <f32>(1.0 / sum), 0, nextRow(x, r, rows, cols));
  }
}

// No row follows (address 0 lies below every buffer: the heap starts above the module's data).
// @ts-ignore: decorator
@inline const NO_NEXT_ROW: usize = 0;

// The row after row r, or NO_NEXT_ROW after the last one.
@inline function nextRow(x: usize, r: usize, rows: usize, cols: usize): usize {
  return r + 1 < rows ? x + ((r + 1) * cols << 2) : NO_NEXT_ROW;
}

// sum - 1 for log-softmax, as (count of maxima - 1) + the sum of the other terms: a maximum's
// term is exactly 1, and adding the rest to it first would leave sum - 1 with only float64's
// absolute precision (2^-52) where log(sum) is tiny (1e-13 in a row with one dominant entry).
// Summation order as in rowSum; the count is exact in any order.
// Fast rows (`fast`, |m| <= FAST_MAX) sum exp(x - K ln2) = exp(x - m) F^-1 instead, and multiply
// the float64 sum by F = exp(K ln2 - m), formed in float64 (K ln2 - m within 1e-14 of the exact
// value, |K ln2 - m| <= 0.35; Math.exp, musl's exp, < 1 ulp of float64): the terms keep exp's
// float32 error, the factor adds ~2^-52.
@inline function rowSumMinusOne(p: usize, cols: usize, m: f32, fast: bool): f64 {
  if (ASC_FEATURE_SIMD) {
    let lo = f64x2.splat(0.0);
    let hi = f64x2.splat(0.0);
    let count = i32x4.splat(0);
    const mm = f32x4.splat(m);
    const floor = f32x4.splat(m - FAST_FLOOR);
    const c = rowShiftConstant<v128>(mm);
    let j: usize = 0;
    for (; j + 4 <= cols; j += 4) {
      const x = v128.load(p + (j << 2));
      const isMax = f32x4.eq(x, mm);
      const v = v128.andnot(fast ? expMinusKLn2<v128>(x, floor, c) : shiftedExp<v128>(x, m), isMax);
      count = i32x4.sub(count, isMax);
      lo = f64x2.add(lo, promoteLow(v));
      hi = f64x2.add(hi, promoteHigh(v));
    }
    if (j < cols) {
      const x = loadPartial(p + (j << 2), cols - j, -Infinity);
      const isMax = f32x4.eq(x, mm);
      const v = v128.andnot(fast ? expMinusKLn2<v128>(x, floor, c) : shiftedExp<v128>(x, m), isMax);
      count = i32x4.sub(count, isMax);
      lo = f64x2.add(lo, promoteLow(v));
      hi = f64x2.add(hi, promoteHigh(v));
    }
    const k = i32x4.extract_lane(count, 0) + i32x4.extract_lane(count, 1) + i32x4.extract_lane(count, 2) + i32x4.extract_lane(count, 3);
    const rest = sumOfLanes(lo, hi);
    return <f64>(k - 1) + (fast ? rest * shiftFactor(f32x4.extract_lane(c, 0), m) : rest);
  } else {
    let a0: f64 = 0, a1: f64 = 0, a2: f64 = 0, a3: f64 = 0;
    let k: i32 = 0;
    const mask = lanesFor(cols);
    const floor: f32 = m - FAST_FLOOR;
    const c = rowShiftConstant<f32>(m);
    for (let j: usize = 0; j < cols; j++) {
      const x = load<f32>(p + (j << 2));
      const isMax = x == m;
      const v: f32 = isMax ? 0 : fast ? expMinusKLn2<f32>(x, floor, c) : shiftedExp<f32>(x, m);
      if (isMax) k++;
      const lane = j & mask;
      if (lane == 0) a0 += <f64>v;
      else if (lane == 1) a1 += <f64>v;
      else if (lane == 2) a2 += <f64>v;
      else a3 += <f64>v;
    }
    const rest = (a0 + a1) + (a2 + a3);
    return <f64>(k - 1) + (fast ? rest * shiftFactor(c, m) : rest);
  }
}

// F = exp(K ln2 - m) from the row's shift constant c = SHIFT_BIASED - K (the one the terms used:
// the relaxed build's vector and scalar roundings of m log2(e) may differ).
@inline function shiftFactor(c: f32, m: f32): f64 {
  const k = <f64>(<f32>12583103.0 - c);
  return Math.exp(k * 0.6931471805599453 - <f64>m);
}

// x - (m + log(sum)) with m + log(sum) carried exactly as the double word mHi + mLo (TwoSum, once
// per row): (x - mHi) - mLo, two roundings, each within half an ulp of a value that differs from
// the result by at most mLo; where x is close to mHi the first is exact (Sterbenz). The same
// accuracy as (x - m) as a double word minus log(sum), at two operations per lane instead of
// eleven; x = -Inf gives -Inf without a special case.
@inline function logSoftmaxShifted<V>(x: V, mHi: V, mLo: V): V {
  return sub<V>(sub<V>(x, mHi), mLo);
}

export function logSoftmaxRows(x: usize, y: usize, rows: usize, cols: usize): void {
  if (ASC_FEATURE_SIMD && cols <= GROUP_COLS) {
    if (rows > 0) softmaxGroups(1, x, y, rows, cols);
    return;
  }
  let m = rows > 0 ? rowMax(x, cols) : 0;
  for (let r: usize = 0; r < rows; r++) {
    const o = r * cols << 2;
    // Short rows (here only in the scalar build) take the double-word terms, as the groups do.
    const sumMinusOne = cols > GROUP_COLS && isFastRow(m) ? rowSumMinusOne(x + o, cols, m, true) : rowSumMinusOne(x + o, cols, m, false);
    const logSum = log1p<f32>(<f32>sumMinusOne);
    const mHi = m + logSum;
    const mLo = twoSumLo<f32>(m, logSum, mHi);
    m = rowOutputsThenMax(1, x + o, y + o, cols, mHi, mLo, nextRow(x, r, rows, cols));
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
    return sumOfLanes(lo, hi);
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

// dx = y (dy - s), s = sum(dy * y) (float64, rowDot), in float32 with s split into two floats
// sHi + sLo (sHi = s rounded, sLo = the rest rounded; together within 2^-48 |s|):
// dx = y (dy - sHi) - y sLo. Where dy - s cancels (dy within a factor 2 of sHi) dy - sHi is exact
// (Sterbenz), so the result rounds twice (the product y (dy - sHi), then the subtraction of the
// small y sLo); elsewhere |dy - sHi| >= |sHi| / 2 and its rounding adds half an ulp. At most
// 1.5 ulp plus 2^-48 relative, against one rounding of a float64 evaluation before, at four
// float32 operations per four lanes where the float64 evaluation takes thirteen (widening both
// inputs, two halves, narrowing). The simd and scalar builds run the same lane code.
@inline function softmaxBackwardLane<V>(dy: V, y: V, sHi: V, sLo: V): V {
  return sub<V>(mul<V>(y, sub<V>(dy, sHi)), mul<V>(y, sLo));
}

export function softmaxBackwardRows(dy: usize, y: usize, dx: usize, rows: usize, cols: usize): void {
  for (let r: usize = 0; r < rows; r++) {
    const o = r * cols << 2;
    const dot = rowDot(dy + o, y + o, cols);
    const sHi = <f32>dot;
    const sLo = <f32>(dot - <f64>sHi);
    if (ASC_FEATURE_SIMD) {
      const hi = f32x4.splat(sHi), lo = f32x4.splat(sLo);
      let j: usize = 0;
      for (; j + 4 <= cols; j += 4) {
        const p = o + (j << 2);
        v128.store(dx + p, softmaxBackwardLane<v128>(v128.load(dy + p), v128.load(y + p), hi, lo));
      }
      if (j < cols) {
        const p = o + (j << 2);
        const c = cols - j;
        storePartial(dx + p, c, softmaxBackwardLane<v128>(loadPartial(dy + p, c, 0.0), loadPartial(y + p, c, 0.0), hi, lo));
      }
    } else {
      for (let j: usize = 0; j < cols; j++) {
        const p = o + (j << 2);
        store<f32>(dx + p, softmaxBackwardLane<f32>(load<f32>(dy + p), load<f32>(y + p), sHi, sLo));
      }
    }
  }
}

// dx = dy - exp(y) t, t = sum(dy) (float64), in float32 with t = tHi + tLo as above:
// (dy - exp(y) tHi) - exp(y) tLo. exp(y) keeps its error (<= 1 ulp, as before); where dy - exp(y) t
// cancels, the product's rounding (half an ulp of exp(y) t, about |dy|) stays within the 2^-22 |dy|
// allowance; elsewhere the product and the subtraction add half an ulp each.
@inline function logSoftmaxBackwardLane<V>(dy: V, y: V, tHi: V, tLo: V): V {
  const e = exp<V>(y);
  return sub<V>(sub<V>(dy, mul<V>(e, tHi)), mul<V>(e, tLo));
}

export function logSoftmaxBackwardRows(dy: usize, y: usize, dx: usize, rows: usize, cols: usize): void {
  for (let r: usize = 0; r < rows; r++) {
    const o = r * cols << 2;
    const total = rowSum(1, dy + o, cols, 0.0, false, 0);
    const tHi = <f32>total;
    const tLo = <f32>(total - <f64>tHi);
    if (ASC_FEATURE_SIMD) {
      const hi = f32x4.splat(tHi), lo = f32x4.splat(tLo);
      let j: usize = 0;
      for (; j + 4 <= cols; j += 4) {
        const p = o + (j << 2);
        v128.store(dx + p, logSoftmaxBackwardLane<v128>(v128.load(dy + p), v128.load(y + p), hi, lo));
      }
      if (j < cols) {
        const p = o + (j << 2);
        const c = cols - j;
        storePartial(dx + p, c, logSoftmaxBackwardLane<v128>(loadPartial(dy + p, c, 0.0), loadPartial(y + p, c, 0.0), hi, lo));
      }
    } else {
      for (let j: usize = 0; j < cols; j++) {
        const p = o + (j << 2);
        store<f32>(dx + p, logSoftmaxBackwardLane<f32>(load<f32>(dy + p), load<f32>(y + p), tHi, tLo));
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
        for (; j + 4 <= cols; j += 4) v128.store(out + (j << 2), neg<v128>(f32x4.mul(vi, v128.load(yo + (j << 2)))));
        if (j < cols) {
          storePartial(out + (j << 2), cols - j, neg<v128>(f32x4.mul(vi, loadPartial(yo + (j << 2), cols - j, 0.0))));
        }
      } else {
        for (let j: usize = 0; j < cols; j++) store<f32>(out + (j << 2), -(yi * load<f32>(yo + (j << 2))));
      }
      store<f32>(out + (i << 2), yi * (1.0 - yi));
    }
  }
}
