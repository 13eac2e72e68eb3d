// Distance between float32 values in units in the last place: bit patterns mapped to integers
// that order like the values, so the distance counts the floats between them.

import { ulpDistance } from '../test/reference.mjs';

export { ulpDistance };

/** Largest ULP distance between two arrays of equal length, and where it happens. */
export function maxUlp(actual, expected, inputs) {
  let worst = 0;
  let at = -1;
  for (let i = 0; i < expected.length; i++) {
    const d = ulpDistance(actual[i], expected[i]);
    if (d > worst) {
      worst = d;
      at = i;
    }
  }
  return { maxUlp: worst, worstInput: at < 0 || !inputs ? null : inputs[at], worstGot: at < 0 ? null : actual[at], worstWant: at < 0 ? null : expected[at] };
}
