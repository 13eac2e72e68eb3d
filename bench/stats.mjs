// Summary statistics of timing samples. Medians and interquartile ranges rather than means and
// standard deviations: a noisy machine produces one-sided outliers (GC, other processes) that
// would drag a mean but leave the middle of the distribution alone.

/** The q-quantile (0..1) of already sorted numbers, linear between closest ranks. */
export function quantileSorted(sorted, q) {
  if (sorted.length === 0) return NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

export function median(values) {
  return quantileSorted([...values].sort((a, b) => a - b), 0.5);
}

/**
 * Summary of per-call times in nanoseconds for a cell of `elements` elements: median, quartiles,
 * IQR (also relative to the median), and the throughput derived from the median.
 */
export function summarize(nsPerCall, elements) {
  const sorted = [...nsPerCall].sort((a, b) => a - b);
  const med = quantileSorted(sorted, 0.5);
  const q1 = quantileSorted(sorted, 0.25);
  const q3 = quantileSorted(sorted, 0.75);
  return {
    samples: sorted.length,
    medianNs: med,
    q1Ns: q1,
    q3Ns: q3,
    iqrNs: q3 - q1,
    relIqr: med > 0 ? (q3 - q1) / med : NaN,
    nsPerElement: med / elements,
    // elements per ns * 1e3 = million elements per second
    melPerSec: med > 0 ? (elements / med) * 1e3 : NaN,
  };
}

/** How many times faster `a` is than `b`, from their median times (NaN when either is missing). */
export function speedup(a, b) {
  if (!a || !b || !(a.medianNs > 0) || !(b.medianNs > 0)) return NaN;
  return b.medianNs / a.medianNs;
}
