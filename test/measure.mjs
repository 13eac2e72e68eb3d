// Measures a build's kernels against the float64 references, point by point, with the pass rules
// of the README's accuracy table:
//   - at most `bound` ULPs of float32 at the reference value;
//   - where the reference is subnormal, an absolute error of at most 2^-126 passes too;
//   - for a backward pass or derivative near a zero of g' (DERIVATIVE_ZEROS, within ZERO_WINDOW = 1), an
//     absolute error of at most 2^-22 |dy| passes too.
// Used by the tests (which assert the bounds) and by scripts/accuracy.mjs (which sweeps and prints).

import { REFERENCE, MATH_REFERENCE, DERIVATIVE_ZEROS, ulpDistance, MIN_NORMAL } from './reference.mjs';

const fround = Math.fround;
// How far from a zero of g' the absolute-error allowance reaches: the relative error of g' there is
// the float32 error of its terms divided by |g'|, which stays above 4 ulp for about this far.
export const ZERO_WINDOW = 1;

/** Raw access to a build's memory for measurement: three float arrays of capacity n. */
export class Arena {
  constructor(exports, capacity) {
    this.exports = exports;
    this.capacity = capacity;
    const base = Math.ceil(exports.heapBase() / 16) * 16;
    const bytes = base + capacity * 4 * 3 + 64;
    const have = exports.memory.buffer.byteLength;
    if (bytes > have) exports.memory.grow(Math.ceil((bytes - have) / 65536));
    this.ptr = [base, base + Math.ceil(capacity / 4) * 16, base + 2 * Math.ceil(capacity / 4) * 16];
  }
  view(i, n) {
    return new Float32Array(this.exports.memory.buffer, this.ptr[i], n);
  }
}

function newReport() {
  return { count: 0, failures: 0, maxUlp: 0, worst: null, examples: [] };
}

function record(report, pass, ulp, detail) {
  report.count++;
  if (!pass) {
    report.failures++;
    if (report.examples.length < 5) report.examples.push(detail);
  }
  if (ulp > report.maxUlp && ulp !== Infinity && detail.counted) {
    report.maxUlp = ulp;
    report.worst = detail;
  }
  if (ulp === Infinity && !pass) report.maxUlp = Infinity;
}

/** forward: kernel(x) against fround(reference(x)). */
export function measureForward(arena, kernel, xs, params, bound, reference = REFERENCE[kernel].forward, exportName = kernel) {
  const report = newReport();
  const n = Math.min(arena.capacity, xs.length);
  for (let start = 0; start < xs.length; start += n) {
    const chunk = xs.subarray(start, Math.min(start + n, xs.length));
    arena.view(0, chunk.length).set(chunk);
    const fn = arena.exports[exportName];
    if (exportName.startsWith('math_')) fn(arena.ptr[0], arena.ptr[1], chunk.length);
    else fn(arena.ptr[0], arena.ptr[1], chunk.length, params.a ?? 0, params.b ?? 0);
    const got = arena.view(1, chunk.length);
    for (let i = 0; i < chunk.length; i++) {
      const x = chunk[i];
      const ref = fround(reference(x, params.named ?? {}));
      const ulp = ulpDistance(got[i], ref);
      const subnormal = Math.abs(ref) < MIN_NORMAL && Math.abs(got[i] - ref) <= MIN_NORMAL;
      const pass = ulp <= bound || subnormal;
      record(report, pass, ulp, { x, got: got[i], ref, ulp, counted: !subnormal });
    }
  }
  return report;
}

/**
 * backward: kernelBackward(dy, saved) against fround(reference(dy, saved)); with `dys` null the
 * derivative kernelDerivative(saved) against fround(reference(1, saved)).
 */
export function measureBackward(arena, kernel, saved, dys, params, bound) {
  const reference = REFERENCE[kernel].backward;
  const zeros = DERIVATIVE_ZEROS[kernel] ?? [];
  const report = newReport();
  const n = Math.min(arena.capacity, saved.length);
  for (let start = 0; start < saved.length; start += n) {
    const end = Math.min(start + n, saved.length);
    const s = saved.subarray(start, end);
    arena.view(1, s.length).set(s);
    if (dys) {
      arena.view(0, s.length).set(dys.subarray(start, end));
      arena.exports[`${kernel}Backward`](arena.ptr[0], arena.ptr[1], arena.ptr[2], s.length, params.a ?? 0, params.b ?? 0);
    } else {
      arena.exports[`${kernel}Derivative`](arena.ptr[1], arena.ptr[2], s.length, params.a ?? 0, params.b ?? 0);
    }
    const got = arena.view(2, s.length);
    for (let i = 0; i < s.length; i++) {
      const dy = dys ? dys[start + i] : 1;
      const ref = fround(reference(dy, s[i], params.named ?? {}));
      const ulp = ulpDistance(got[i], ref);
      const err = Math.abs(got[i] - ref);
      const subnormal = Math.abs(ref) < MIN_NORMAL && err <= MIN_NORMAL;
      const nearZero = zeros.some((z) => Math.abs(s[i] - z) < ZERO_WINDOW) && err <= 2 ** -22 * Math.abs(dy);
      const pass = ulp <= bound || subnormal || nearZero;
      record(report, pass, ulp, { saved: s[i], dy, got: got[i], ref, ulp, counted: !subnormal && !nearZero });
    }
  }
  return report;
}

export { MATH_REFERENCE };
