// Splitting a kernel call across the pool. The API binds each kernel once through these wrappers
// (same signature as the kernel): below the kernel's threshold, or without workers, the wrapper
// calls the kernel directly; above it, the caller posts a share to each worker, computes the first
// share itself and waits for the rest.
//
// Why the bits do not change: an elementwise kernel's result for an element depends on that
// element alone, not on its position or on n (assembly/kernels/elementwise.ts: the last n % 4
// elements go through the same vector code, padded); shares start on multiples of 16 elements all
// the same, so every share runs the same 4-vector loop as one call over the whole would. A
// row-wise kernel's result for a row depends on that row alone, and shares are whole rows. A
// matrix product's element depends on its row of A and column of B alone, and shares are rows of
// the product. Each thread runs the same compiled module.

import type { Pool } from './pool.js';
import { thresholdOf } from './thresholds.js';

export type ForwardKernel = (x: number, y: number, n: number, a: number, b: number) => void;
export type BackwardKernel = (dy: number, s: number, dx: number, n: number, a: number, b: number) => void;
export type RowKernel = (x: number, y: number, rows: number, cols: number) => void;
export type RowBackwardKernel = (dy: number, y: number, dx: number, rows: number, cols: number) => void;
/** C = bias + A.B (assembly/kernels/dense.ts): A(i, k) at a + 4 (i ars + k acs), C [m x n], k < kk. */
export type MatmulKernel = (a: number, ars: number, acs: number, b: number, bias: number, hasBias: number, c: number, m: number, n: number, kk: number) => void;

/** Elements per share are a multiple of this: 16 floats, one iteration of the widest loop. */
const GRAIN = 16;

export interface Splitter {
  forward(name: string, f: ForwardKernel): ForwardKernel;
  backward(name: string, f: BackwardKernel): BackwardKernel;
  rows(name: string, f: RowKernel): RowKernel;
  rowsBackward(name: string, f: RowBackwardKernel): RowBackwardKernel;
  matmul(f: MatmulKernel): MatmulKernel;
}

/** Without a pool: every kernel as it is. */
export const SINGLE: Splitter = { forward: (_, f) => f, backward: (_, f) => f, rows: (_, f) => f, rowsBackward: (_, f) => f, matmul: (f) => f };

/**
 * How a kernel's arguments move with its shares: the place of the unit count (elements, rows)
 * among the arguments, and for each argument the bytes it advances per unit (0: the same for every
 * share). Shares are multiples of `grain` units.
 */
interface ShareLayout {
  readonly count: number;
  readonly steps: readonly number[];
  readonly grain: number;
  /** The worker's wait limit counts this many elements per unit (pool.finish). */
  readonly elementsPerUnit: number;
}

/**
 * Runs one call in shares over `workers` workers and the caller: the workers get the later
 * shares, the caller computes the first and waits.
 */
function inShares(pool: Pool, kernel: number, f: (...args: number[]) => void, args: number[], layout: ShareLayout, workers: number): void {
  const { count: at, steps, grain, elementsPerUnit } = layout;
  const count = args[at]!;
  const share = Math.ceil(count / (workers + 1) / grain) * grain;
  let used = 0;
  for (let start = share; start < count; start += share, used++) {
    const job = args.map((v, i) => (i === at ? Math.min(share, count - start) : v + (steps[i] ?? 0) * start));
    pool.post(used, kernel, job);
  }
  args[at] = Math.min(share, count);
  f(...args);
  pool.finish(used, share * elementsPerUnit);
}

/** Elementwise kernels: `pointers` arrays of floats, then the element count. */
const elementwise = (pointers: number): ShareLayout => ({ count: pointers, steps: Array(pointers).fill(4), grain: GRAIN, elementsPerUnit: 1 });
/** Row-wise kernels: `pointers` arrays of rows, then the row count, then the columns (`cols`). */
const rowwise = (pointers: number, cols: number): ShareLayout => ({ count: pointers, steps: Array(pointers).fill(4 * cols), grain: 1, elementsPerUnit: cols });

/**
 * Matrix products by rows of C, four at a time (the kernel's tile height): A's rows advance by
 * `ars` floats, C's by n. Each element of C is the same ascending-k sum of products whichever
 * tile computes it, so shares give the bits of one call. The wait limit counts a row as n kk / 100
 * elements: a multiply-add (0.05 ns) costs well under a hundredth of an element of the slowest
 * elementwise kernel (3.3 ns), so the limit stays generous.
 */
const products = (ars: number, n: number, kk: number): ShareLayout => ({
  count: 7, steps: [4 * ars, 0, 0, 0, 0, 0, 4 * n], grain: 4, elementsPerUnit: Math.ceil((n * kk) / 100),
});

const ELEMENTWISE_FORWARD = elementwise(2);
const ELEMENTWISE_BACKWARD = elementwise(3);

// Each wrapper keeps the kernel's own signature, so a call below the threshold allocates nothing.
export function splitter(pool: Pool): Splitter {
  const below = (units: number, threshold: number) => units < (pool.threshold ?? threshold);
  return {
    forward(name, f) {
      const k = pool.indexOf(name);
      const threshold = thresholdOf(name);
      return (x, y, n, a, b) => {
        const workers = below(n, threshold) ? 0 : pool.begin();
        if (workers === 0) return f(x, y, n, a, b);
        inShares(pool, k, f, [x, y, n, a, b], ELEMENTWISE_FORWARD, workers);
      };
    },
    backward(name, f) {
      const k = pool.indexOf(name);
      const threshold = thresholdOf(name);
      return (dy, s, dx, n, a, b) => {
        const workers = below(n, threshold) ? 0 : pool.begin();
        if (workers === 0) return f(dy, s, dx, n, a, b);
        inShares(pool, k, f, [dy, s, dx, n, a, b], ELEMENTWISE_BACKWARD, workers);
      };
    },
    rows(name, f) {
      const k = pool.indexOf(name);
      const threshold = thresholdOf(name);
      return (x, y, rows, cols) => {
        const workers = rows < 2 || below(rows * cols, threshold) ? 0 : pool.begin();
        if (workers === 0) return f(x, y, rows, cols);
        inShares(pool, k, f, [x, y, rows, cols], rowwise(2, cols), workers);
      };
    },
    rowsBackward(name, f) {
      const k = pool.indexOf(name);
      const threshold = thresholdOf(name);
      return (dy, y, dx, rows, cols) => {
        const workers = rows < 2 || below(rows * cols, threshold) ? 0 : pool.begin();
        if (workers === 0) return f(dy, y, dx, rows, cols);
        inShares(pool, k, f, [dy, y, dx, rows, cols], rowwise(3, cols), workers);
      };
    },
    matmul(f) {
      const k = pool.indexOf('matmul');
      const threshold = thresholdOf('matmul');
      return (a, ars, acs, b, bias, hasBias, c, m, n, kk) => {
        const workers = m <= 4 || below(m * n * kk, threshold) ? 0 : pool.begin();
        if (workers === 0) return f(a, ars, acs, b, bias, hasBias, c, m, n, kk);
        inShares(pool, k, f, [a, ars, acs, b, bias, hasBias, c, m, n, kk], products(ars, n, kk), workers);
      };
    },
  };
}
