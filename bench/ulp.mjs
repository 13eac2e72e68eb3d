// Distance between float32 values in units in the last place: bit patterns mapped to integers
// that order like the values, so the distance counts the floats between them.

import { ulpDistance } from '../test/reference.mjs';
import { compare } from '../test/measure.mjs';

export { ulpDistance };

/**
 * Largest ULP distance between two arrays of equal length, and where it happens, under the
 * project's pass rules (test/measure.mjs `compare`, the rules of the README's accuracy table),
 * so the benchmark's column and the tests judge the same way: points whose reference is subnormal
 * and that are within 2^-126 of it, and, given `kernel`, `inputs` and `dys`, backward results
 * within 2^-22 |dy| near a zero of g', are not counted in ULPs (their ULP distance measures the
 * float32 spacing there, not an error). Every other point counts, whoever computed it.
 *
 * `allowance` (optional, per point) carries the row-wise rules of test/softmax.test.ts, which
 * `compare` does not know: a point within allowance[i] of its reference is left out the same way.
 */
export function maxUlp(actual, expected, inputs, { kernel, dys, allowance } = {}) {
  let judged = actual;
  if (allowance) {
    // Excused points are compared as equal, so `compare` leaves them out of maxUlp as it does
    // its own allowances; NaN never passes (|NaN - x| <= a is false).
    judged = Float32Array.from(actual);
    for (let i = 0; i < judged.length; i++) if (Math.abs(actual[i] - expected[i]) <= allowance[i]) judged[i] = expected[i];
  }
  // The bound only sorts points into failures, which this column does not report.
  const report = compare(judged, expected, Infinity, { kernel, saved: kernel ? inputs : undefined, dys });
  const at = report.worst ? report.worst.index : -1;
  return {
    maxUlp: report.maxUlp,
    worstInput: at < 0 || !inputs ? null : inputs[at],
    worstDy: at < 0 || !dys ? null : dys[at],
    worstGot: at < 0 ? null : actual[at],
    worstWant: at < 0 ? null : expected[at],
  };
}
