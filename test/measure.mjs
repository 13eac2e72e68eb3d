// Measures kernels against the float64 references, point by point, with the pass rules of the
// README's accuracy table:
//   - at most `bound` ULPs of float32 at the reference value;
//   - where the reference is subnormal, an absolute error of at most 2^-126 passes too;
//   - for a backward pass, where the slope g' = reference / dy is subnormal, an absolute error of
//     at most 2^-126 |dy| passes too (the same rule for the float32 slope, scaled by dy: a large
//     dy cannot restore bits that a subnormal slope does not have);
//   - for a backward pass or derivative within ZERO_WINDOW of a zero of g' (DERIVATIVE_ZEROS), an
//     absolute error of at most 2^-22 |dy| passes too.
// References are computed once per sample and compared with every build. Used by the tests
// (which assert the bounds) and by scripts/accuracy.mjs (which sweeps and prints).

import { REFERENCE, DERIVATIVE_ZEROS, ulpDistance, MIN_NORMAL } from './reference.mjs';

// How far from a zero of g' the absolute-error allowance reaches: the relative error of g' there is
// the float32 error of its terms divided by |g'|, which stays above 4 ulp for about this far.
export const ZERO_WINDOW = 1;

/** Raw access to a build's memory: three float arrays of `capacity` elements, 16-byte aligned. */
export class Arena {
  constructor(exports, capacity) {
    this.exports = exports;
    this.capacity = capacity;
    const base = Math.ceil(exports.heapBase() / 16) * 16;
    const stride = Math.ceil(capacity / 4) * 16 + 64;
    const bytes = base + 3 * stride;
    const have = exports.memory.buffer.byteLength;
    if (bytes > have) exports.memory.grow(Math.ceil((bytes - have) / 65536));
    this.ptr = [base, base + stride, base + 2 * stride];
  }
  view(i, n) {
    return new Float32Array(this.exports.memory.buffer, this.ptr[i], n);
  }
}

/** Runs an elementwise export over xs in chunks: forward (x) or backward (dy, saved) or derivative. */
export function runKernel(arena, exportName, inputs, a = 0, b = 0) {
  const fn = arena.exports[exportName];
  if (typeof fn !== 'function') throw new Error(`no export ${exportName}`);
  const total = inputs[0].length;
  const out = new Float32Array(total);
  for (let start = 0; start < total; start += arena.capacity) {
    const end = Math.min(start + arena.capacity, total);
    const n = end - start;
    inputs.forEach((input, i) => arena.view(i, n).set(input.subarray(start, end)));
    if (exportName.startsWith('math_')) fn(arena.ptr[0], arena.ptr[2], n);
    else if (inputs.length === 2) fn(arena.ptr[0], arena.ptr[1], arena.ptr[2], n, a, b);
    else fn(arena.ptr[0], arena.ptr[2], n, a, b);
    out.set(arena.view(2, n), start);
  }
  return out;
}

export function referenceOf(fn, inputs) {
  const out = new Float32Array(inputs[0].length);
  if (inputs.length === 1) for (let i = 0; i < out.length; i++) out[i] = fn(inputs[0][i]);
  else for (let i = 0; i < out.length; i++) out[i] = fn(inputs[0][i], inputs[1][i]);
  return out;
}

/**
 * Compares got with ref. `dys` and `saved` (optional) enable the zero-of-g' allowance for
 * `kernel`. Returns { count, failures, maxUlp, worst, examples }; maxUlp counts only points judged
 * by ULPs (not those passed by an absolute allowance).
 */
export function compare(got, ref, bound, { kernel, saved, dys } = {}) {
  const zeros = (kernel && saved && DERIVATIVE_ZEROS[kernel]) || [];
  const report = { count: got.length, failures: 0, maxUlp: 0, worst: null, examples: [] };
  for (let i = 0; i < got.length; i++) {
    const ulp = ulpDistance(got[i], ref[i]);
    if (ulp === 0) continue;
    const err = Math.abs(got[i] - ref[i]);
    const dy = dys ? dys[i] : 1;
    const subnormal = (Math.abs(ref[i]) < MIN_NORMAL && err <= MIN_NORMAL) ||
      (dys !== undefined && Math.abs(ref[i]) < MIN_NORMAL * Math.abs(dy) && err <= MIN_NORMAL * Math.abs(dy));
    const nearZero = zeros.length > 0 && zeros.some((z) => Math.abs(saved[i] - z) < ZERO_WINDOW) && err <= 2 ** -22 * Math.abs(dy);
    const pass = ulp <= bound || subnormal || nearZero;
    const detail = { index: i, input: saved ? saved[i] : undefined, dy: dys ? dys[i] : undefined, got: got[i], ref: ref[i], ulp };
    if (!pass) {
      report.failures++;
      if (report.examples.length < 5) report.examples.push(detail);
    }
    if (!subnormal && !nearZero && ulp > report.maxUlp) {
      report.maxUlp = ulp;
      report.worst = detail;
    }
  }
  return report;
}

/** The parameters of a table entry as the kernel's (a, b) and the reference's named object. */
export function paramsOf(spec, overrides = {}) {
  const named = {};
  for (const [k, p] of Object.entries(spec.params)) named[k] = overrides[k] ?? p.default;
  const values = Object.values(named);
  return { a: values[0] ?? 0, b: values[1] ?? 0, named };
}

export { REFERENCE };
