// When a call is split across threads: the fewest elements at which two threads beat one. A split
// costs a wake-up and a wait (microseconds: a futex wake, the worker's reply); below the threshold
// the call runs on the caller's thread alone and wakes nobody.
//
// Measured with bench/threads.mjs (simd build, resident buffers, 2 threads on this project's
// 2-core machine, median of repeated runs; see THRESHOLDS below for the figures).

import { ELEMENTWISE_NAMES, kernelsOf } from '../table.js';

/**
 * Kernels that are one or two arithmetic operations per element (clamps, selects, a multiply),
 * running at memory speed: their split pays off only on long arrays.
 */
const CHEAP = new Set<string>([
  'relu', 'relu6', 'leakyRelu', 'hardSigmoid', 'hardSwish', 'softsign',
  // The backward passes of sigmoid and tanh from the saved output: y (1 - y), 1 - y^2.
  'sigmoidBackward', 'tanhBackward', 'sigmoidDerivative', 'tanhDerivative',
]);

/** Elementwise thresholds in elements, per cost class. */
export const THRESHOLDS = {
  cheap: 65_536,
  transcendental: 16_384,
} as const;

/** Row-wise calls (softmax family): elements over all rows (and at least two rows). */
export const ROW_THRESHOLD = 16_384;

const CHEAP_FAMILIES = new Set(['relu', 'relu6', 'leakyRelu', 'hardSigmoid', 'hardSwish', 'softsign']);

/** The threshold of an elementwise kernel export (forward, Backward, BackwardFromInput, Derivative). */
export function thresholdOf(kernel: string): number {
  if (CHEAP.has(kernel)) return THRESHOLDS.cheap;
  const family = kernel.replace(/(BackwardFromInput|Backward|Derivative)$/, '');
  return CHEAP_FAMILIES.has(family) ? THRESHOLDS.cheap : THRESHOLDS.transcendental;
}

/** Every elementwise kernel export the API binds, for tests. */
export function elementwiseKernels(): string[] {
  return ELEMENTWISE_NAMES.flatMap((n) => kernelsOf(n));
}
