// When a call is split across threads. A split costs a wake-up and a wait: tens of microseconds on
// an idle machine (a futex wake, the worker's reply), and on a loaded one as long as the scheduler
// takes to give the worker a core. Below its threshold a call runs on the caller's thread alone
// and wakes nobody, so a small call is never slower than on one thread.
//
// The threshold of a kernel is the element count at which one thread would spend SPLIT_WORK_NS on
// it: n = SPLIT_WORK_NS / (ns per element). The costs are measured (`node bench/threads.mjs
// --costs`: simd build, one thread, 65536 resident elements in cache, least of 30 runs of 10
// calls) on this project's 2-core machine (AMD EPYC, 2 vCPUs), 2026-11-29.
//
// SPLIT_WORK_NS is set against the cost of a split (`node bench/threads.mjs --thresholds`: a call
// of 32 elements forced to split, against the same call unsplit). On that machine, while other
// builds kept both cores busy (load average 8), a split cost 20 us more at the median, 70 us at the
// 90th percentile and 2 to 3 ms at the 99th (the worker waiting for a core). 250 us of work keeps
// the median cost under a tenth of the call. The forced splits of --thresholds could not show the
// break-even directly that day: the machine had no second core to give (its check, a JavaScript
// loop split over two threads, ran 0.96x to 0.98x), and ratios scattered from 0.03x to 1.13x at
// every size. On an idle machine splitting pays off earlier; these thresholds trade that for
// small calls that never wait on a worker.

/** One thread's time on a call, in ns, from which splitting it pays. */
export const SPLIT_WORK_NS = 250_000;

/** ns per element on one thread, per kernel export (measured as said above). */
export const COSTS: Readonly<Record<string, number>> = {
  sigmoid: 1.02, sigmoidBackward: 0.36, sigmoidDerivative: 0.16, sigmoidBackwardFromInput: 1.4,
  tanh: 0.92, tanhBackward: 0.24, tanhDerivative: 0.2, tanhBackwardFromInput: 1.51,
  relu: 0.1, reluBackward: 0.2, reluDerivative: 0.14,
  relu6: 0.11, relu6Backward: 0.22, relu6Derivative: 0.17,
  leakyRelu: 0.28, leakyReluBackward: 0.3, leakyReluDerivative: 0.16,
  elu: 0.98, eluBackward: 0.93, eluDerivative: 0.85,
  selu: 0.99, seluBackward: 0.94, seluDerivative: 0.85,
  gelu: 2.13, geluBackward: 2.69, geluDerivative: 2.66,
  geluTanh: 3.98, geluTanhBackward: 6.82, geluTanhDerivative: 6.92,
  silu: 1.4, siluBackward: 3.15, siluDerivative: 2.91,
  mish: 1.93, mishBackward: 6.04, mishDerivative: 6.03,
  softplus: 3.14, softplusBackward: 1.63, softplusDerivative: 1.49,
  hardSigmoid: 0.2, hardSigmoidBackward: 0.23, hardSigmoidDerivative: 0.2,
  hardSwish: 0.25, hardSwishBackward: 0.38, hardSwishDerivative: 0.35,
  softsign: 0.23, softsignBackward: 0.44, softsignDerivative: 0.41,
  // Row-wise, per element over all rows (rows of 64).
  softmax: 1.49, softmaxBackward: 0.76, logSoftmax: 2.53, logSoftmaxBackward: 1.93,
};

/** A kernel without a measured cost (a new activation) is taken to be as cheap as the cheapest: it splits late, never early. */
const UNMEASURED = 0.1;

/** The fewest elements (over all rows, for the row-wise kernels) at which a call of `kernel` is split. */
export function thresholdOf(kernel: string): number {
  return Math.ceil(SPLIT_WORK_NS / (COSTS[kernel] ?? UNMEASURED));
}
