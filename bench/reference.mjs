// Float64 references for the benchmark's accuracy columns, keyed by kernel name, built on the
// tests' references (test/reference.mjs); the caller rounds to float32.

import { REFERENCE as TEST_REFERENCE, softmaxRow, logSoftmaxRow } from '../test/reference.mjs';

// The tests' float64 references (one set for the project), seen as the slope g'(.) that a
// backward pass multiplies dy by: from the input, and from the output where the backward pass
// saves it (sigmoid, tanh).
//
// The slope from the input of sigmoid and tanh is NOT taken as the tests' backward(1, forward(x)):
// y (1 - y) and 1 - y^2 cancel in float64 as y nears +-1 (sigmoid(40) rounds to 1, so the slope
// came out 0 where it is 4e-18, a normal float32). That reference agreed with any contestant
// computing the same cancelling formula and put ~1e9 ULP on every one that did not. The slopes
// below are the same functions in forms without the subtraction.
const sigmoid64 = (x) => 1 / (1 + Math.exp(-x));
const SLOPE_FROM_INPUT = {
  // sigmoid'(x) = sigmoid(x) sigmoid(-x)
  sigmoid: (x) => sigmoid64(x) * sigmoid64(-x),
  // tanh'(x) = 1 / cosh(x)^2 (cosh overflows to Infinity past |x| ~ 710, giving the right 0)
  tanh: (x) => {
    const c = Math.cosh(x);
    return 1 / (c * c);
  },
};

export const REFERENCE = Object.fromEntries(
  Object.entries(TEST_REFERENCE).map(([kernel, ref]) => {
    const savesOutput = kernel === 'sigmoid' || kernel === 'tanh';
    return [kernel, {
      forward: ref.forward,
      slope: SLOPE_FROM_INPUT[kernel] ?? ((x, p) => ref.backward(1, x, p)),
      slopeFromOutput: savesOutput ? (y) => ref.backward(1, y) : undefined,
    }];
  }),
);

export const ROW_REFERENCE = {
  softmax: {
    forward: softmaxRow,
    /** dx = y (dy - sum(dy y)) */
    backwardFromOutput(dy, y) {
      let dot = 0;
      for (let i = 0; i < y.length; i++) dot += dy[i] * y[i];
      return y.map((v, i) => v * (dy[i] - dot));
    },
  },
  logSoftmax: {
    forward: logSoftmaxRow,
    /** dx = dy - exp(y) sum(dy) */
    backwardFromOutput(dy, y) {
      const s = dy.reduce((a, b) => a + b, 0);
      return y.map((v, i) => dy[i] - Math.exp(v) * s);
    },
  },
};

/**
 * The float32-rounded reference result of a cell's work on the given inputs, or undefined when no
 * reference exists for that kernel. `rowRef` flows through rows of `cols`.
 */
export function referenceResult(fn, work, x, dy, saved) {
  const n = x.length;
  const out = new Float32Array(n);
  if (fn.kind === 'rowwise') {
    const ref = ROW_REFERENCE[fn.name];
    if (!ref) return undefined;
    for (let r = 0; r < n; r += fn.cols) {
      const xs = Array.from(x.subarray(r, r + fn.cols));
      let res;
      if (work === 'forward') res = ref.forward(xs);
      else {
        const dys = Array.from(dy.subarray(r, r + fn.cols));
        const ys = work === 'backward' ? ref.forward(xs) : Array.from(saved.subarray(r, r + fn.cols));
        res = ref.backwardFromOutput(dys, ys);
      }
      out.set(res, r);
    }
    return out;
  }
  const ref = REFERENCE[fn.kernel];
  if (!ref) return undefined;
  const p = fn.params;
  for (let i = 0; i < n; i++) {
    if (work === 'forward') out[i] = ref.forward(x[i], p);
    else if (work === 'backward') out[i] = dy[i] * ref.slope(x[i], p);
    else out[i] = dy[i] * (fn.saved === 'output' ? ref.slopeFromOutput(saved[i]) : ref.slope(saved[i], p));
  }
  return out;
}
