// The library against the plain JavaScript a developer would otherwise write, in this browser.
// Rounds alternate which side goes first so that drift (turbo, other tabs, GC) falls on both;
// each side's rate is the median over rounds, and the ratio is of those medians, all measured in
// the one run.

export const LENGTH = 65_536;

const PLAIN_JS = {
  sigmoid(x, y) {
    for (let i = 0; i < x.length; i++) y[i] = 1 / (1 + Math.exp(-x[i]));
  },
  tanh(x, y) {
    for (let i = 0; i < x.length; i++) y[i] = Math.tanh(x[i]);
  },
};
export const TIMED = Object.keys(PLAIN_JS);

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

// Lets the page repaint between rounds, so progress shows and the tab stays responsive.
const breathe = () => new Promise((resolve) => setTimeout(resolve, 0));

/** Repetitions that make one timed batch last about `ms`: browsers coarsen performance.now(). */
function calibrate(run, ms) {
  let reps = 1;
  for (;;) {
    const start = performance.now();
    for (let k = 0; k < reps; k++) run();
    const elapsed = performance.now() - start;
    if (elapsed >= ms || reps >= 1 << 20) return Math.max(1, Math.ceil((reps * ms) / Math.max(elapsed, 1e-3)));
    reps *= 2;
  }
}

/** Million elements per second of `reps` calls over LENGTH elements. */
function timeBatch(run, reps) {
  const start = performance.now();
  for (let k = 0; k < reps; k++) run();
  const elapsed = performance.now() - start;
  return (reps * LENGTH) / (elapsed * 1000);
}

/**
 * @param {object} act an initialised library instance
 * @param {{ rounds?: number, batchMs?: number, onProgress?: (text: string) => void }} [options]
 * @returns {Promise<{ name: string, library: number, plain: number, ratio: number }[]>}
 */
export async function timeAgainstPlainJs(act, { rounds = 15, batchMs = 8, onProgress = () => {} } = {}) {
  // Values across both tails and the middle, where exp and tanh take different paths.
  const x = new Float32Array(LENGTH);
  for (let i = 0; i < LENGTH; i++) x[i] = Math.sin(i * 12.9898) * 10;
  const out = new Float32Array(LENGTH);
  const rows = [];
  for (const name of TIMED) {
    // Both write into a preallocated Float32Array, so neither pays for an allocation per call.
    const sides = [
      { key: 'library', run: () => act[name](x, { out }) },
      { key: 'plain', run: () => PLAIN_JS[name](x, out) },
    ];
    for (const side of sides) side.reps = calibrate(side.run, batchMs);
    const rates = { library: [], plain: [] };
    for (let r = 0; r < rounds; r++) {
      onProgress(`${name}: round ${r + 1} of ${rounds}`);
      for (const side of r % 2 ? [...sides].reverse() : sides) rates[side.key].push(timeBatch(side.run, side.reps));
      await breathe();
    }
    const library = median(rates.library);
    const plain = median(rates.plain);
    rows.push({ name, library, plain, ratio: library / plain });
  }
  return rows;
}
