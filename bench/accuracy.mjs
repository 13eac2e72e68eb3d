// Accuracy beside speed: each contestant's max error in float32 ULPs against the float64
// reference on a fixed sample, and what it returns for special values.

import { normalArray, uniformGenerator } from './random.mjs';
import { referenceResult } from './reference.mjs';
import { maxUlp } from './ulp.mjs';

export const SPECIAL_INPUTS = [0, -0, Infinity, -Infinity, NaN, 88.8, -88.8, 1e4, -1e4];
export const SPECIAL_ROWS = [[1000, 1000, -Infinity], [-Infinity, -Infinity]];

/** The fixed sample for a function: N(0,1)*4, uniform over [-30, 30], and magnitudes 1e-6..1e3. */
export function accuracySample(fn) {
  if (fn.kind === 'rowwise') {
    const rows = Math.max(1, Math.floor(8192 / fn.cols));
    return normalArray(rows * fn.cols, 4, 0xacc);
  }
  const next = uniformGenerator(0xacc2);
  const wide = Array.from({ length: 1024 }, (_, i) => (i % 2 ? -1 : 1) * 10 ** (-6 + 9 * next()));
  const uniform = Array.from({ length: 2048 }, () => -30 + 60 * next());
  return Float32Array.from([...normalArray(4096, 4, 0xacc1), ...uniform, ...wide]);
}

/**
 * The project's extra pass rules for a cell (see maxUlp): for elementwise backward results, the
 * zero-of-g' allowance of test/measure.mjs (its zeros are given in x); for row-wise ones, those of
 * test/softmax.test.ts: backward results within 2^-22 |dy| (they pass through zero where dy_i
 * nears the row's weighted sum), logSoftmax outputs within 2^-23 |x - rowmax|.
 */
function passRules(fn, work, x, dy) {
  if (fn.kind === 'elementwise') return work === 'forward' ? {} : { kernel: fn.kernel, dys: dy };
  const allowance = new Float64Array(x.length);
  if (work !== 'forward') for (let i = 0; i < x.length; i++) allowance[i] = 2 ** -22 * Math.abs(dy[i]);
  else if (fn.name === 'logSoftmax') {
    for (let r = 0; r < x.length; r += fn.cols) {
      let max = -Infinity;
      for (let i = r; i < r + fn.cols; i++) max = Math.max(max, x[i]);
      for (let i = r; i < r + fn.cols; i++) allowance[i] = 2 ** -23 * Math.abs(x[i] - max);
    }
  } else return {};
  return { allowance, dys: work === 'forward' ? undefined : dy };
}

async function resultOf(contestant, fn, work, data) {
  const runner = await contestant.prepare(fn, work, data);
  try {
    await runner.run();
    return await runner.result();
  } finally {
    runner.dispose();
  }
}

/**
 * For every (function, work, contestant) that contestant supports: { maxUlp, worst* } or
 * { error }. Specials: forward outputs on SPECIAL_INPUTS, softmax rows on SPECIAL_ROWS.
 */
export async function measureAccuracy(functions, works, contestants, onProgress = () => {}) {
  const errors = [];
  const specials = [];
  for (const fn of functions) {
    const x = accuracySample(fn);
    const dy = normalArray(x.length, 1, 0xacc3);
    const y = referenceResult(fn, 'forward', x);
    const data = { x, dy, y };
    for (const work of works) {
      const expected = referenceResult(fn, work, x, dy, fn.saved === 'output' ? y : x);
      for (const c of contestants) {
        if (c.failed || c.family === 'limit' || c.supports(fn, work) !== true) continue;
        let entry;
        try {
          const rules = passRules(fn, work, x, dy);
          entry = maxUlp(await resultOf(c, fn, work, data), expected, x, rules);
        } catch (error) {
          entry = { error: error.message };
        }
        errors.push({ fn: fn.id, work, contestant: c.id, ...entry });
      }
      onProgress();
    }
    const specialCases = fn.kind === 'rowwise'
      ? SPECIAL_ROWS.map((row) => ({ fn: { ...fn, cols: row.length, options: { cols: row.length } }, input: Float32Array.from(row) }))
      : [{ fn, input: Float32Array.from(SPECIAL_INPUTS) }];
    for (const c of contestants) {
      if (c.failed || c.family === 'limit' || c.supports(fn, 'forward') !== true) continue;
      for (const { fn: f, input } of specialCases) {
        let output;
        try {
          const ref = referenceResult(f, 'forward', input);
          output = Array.from(await resultOf(c, f, 'forward', { x: input, dy: new Float32Array(input.length), y: ref }));
        } catch (error) {
          output = `error: ${error.message}`;
        }
        specials.push({ fn: fn.id, contestant: c.id, input: Array.from(input), output });
      }
    }
  }
  return { errors, specials };
}
