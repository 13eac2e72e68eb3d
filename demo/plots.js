// What there is to plot, read from the library's activation table (so a new activation shows up
// here without touching the page), and the library calls that compute a function and its
// derivative.

/**
 * One plot per kernel: GELU's variants (exact erf form and tanh form) each get their own.
 * @returns {{ name: string, kernel: string, fixed: object, label: string, params: object, saved: 'input' | 'output' }[]}
 */
export function plotsOf(table) {
  return Object.entries(table).flatMap(([name, spec]) => {
    if (!spec.variants) return [{ name, kernel: name, fixed: {}, label: '', params: spec.params, saved: spec.saved }];
    const { option, kernels, default: chosen } = spec.variants;
    return Object.entries(kernels).map(([choice, kernel]) => ({
      name,
      kernel,
      fixed: { [option]: choice },
      label: choice === chosen ? `${option}: '${choice}' (default)` : `${option}: '${choice}'`,
      params: spec.params,
      saved: spec.saved,
    }));
  });
}

/** `count` evenly spaced float32 points from lo to hi, both included. */
export function samplePoints(lo, hi, count) {
  const xs = new Float32Array(count);
  for (let i = 0; i < count; i++) xs[i] = lo + ((hi - lo) * i) / (count - 1);
  return xs;
}

/**
 * f(x) and f'(x) by the library. The derivative takes what the table says the backward pass
 * saves: the output y for sigmoid and tanh, the input x for the rest.
 */
export function evaluate(act, plot, xs, params) {
  const options = { ...plot.fixed, ...params };
  const ys = act[plot.name](xs, options);
  const slopes = act[`${plot.name}Derivative`](plot.saved === 'output' ? ys : xs, options);
  return { ys, slopes };
}
