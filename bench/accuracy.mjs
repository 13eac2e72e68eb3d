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
          entry = maxUlp(await resultOf(c, fn, work, data), expected, x);
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
