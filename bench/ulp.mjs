// Distance between float32 values in units in the last place: bit patterns mapped to integers
// that order like the values, so the distance counts the floats between them.

const f32 = new Float32Array(1);
const i32 = new Int32Array(f32.buffer);

/** The ordered integer of a float32 value; -0 and +0 both map to 0. */
export function orderedInt(value) {
  f32[0] = value;
  const bits = i32[0];
  return bits < 0 ? -(bits & 0x7fffffff) : bits;
}

/** ULP distance; NaN vs NaN is 0, NaN vs a number is Infinity. */
export function ulpDistance(a, b) {
  const an = Number.isNaN(a);
  const bn = Number.isNaN(b);
  if (an || bn) return an && bn ? 0 : Infinity;
  return Math.abs(orderedInt(a) - orderedInt(b));
}

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
