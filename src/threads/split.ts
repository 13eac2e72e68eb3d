// Splitting a kernel call across the pool. The API binds each kernel once through these wrappers
// (same signature as the kernel): below the kernel's threshold, or without workers, the wrapper
// calls the kernel directly; above it, the caller posts a share to each worker, computes the first
// share itself and waits for the rest.
//
// Why the bits do not change: an elementwise kernel's result for an element depends on that
// element alone, not on its position or on n (assembly/kernels/elementwise.ts: the last n % 4
// elements go through the same vector code, padded); shares start on multiples of 16 elements all
// the same, so every share runs the same 4-vector loop as one call over the whole would. A
// row-wise kernel's result for a row depends on that row alone, and shares are whole rows. Each
// thread runs the same compiled module.

import type { Pool } from './pool.js';
import { thresholdOf } from './thresholds.js';

export type ForwardKernel = (x: number, y: number, n: number, a: number, b: number) => void;
export type BackwardKernel = (dy: number, s: number, dx: number, n: number, a: number, b: number) => void;
export type RowKernel = (x: number, y: number, rows: number, cols: number) => void;
export type RowBackwardKernel = (dy: number, y: number, dx: number, rows: number, cols: number) => void;

/** Elements per share are a multiple of this: 16 floats, one iteration of the widest loop. */
const GRAIN = 16;

export interface Splitter {
  forward(name: string, f: ForwardKernel): ForwardKernel;
  backward(name: string, f: BackwardKernel): BackwardKernel;
  rows(name: string, f: RowKernel): RowKernel;
  rowsBackward(name: string, f: RowBackwardKernel): RowBackwardKernel;
}

/** Without a pool: every kernel as it is. */
export const SINGLE: Splitter = { forward: (_, f) => f, backward: (_, f) => f, rows: (_, f) => f, rowsBackward: (_, f) => f };

/**
 * Runs one call in shares over `workers` workers and the caller. `args` are the kernel's arguments:
 * `pointers` arrays first, then the count of units (elements, or rows of `unitBytes / 4` floats),
 * then its parameters. Each share is a multiple of `grain` units; its arrays start `unitBytes` per
 * unit further on. The workers get the later shares, the caller computes the first and waits.
 */
function inShares(
  pool: Pool, kernel: number, f: (...args: number[]) => void, args: number[], pointers: number, workers: number, unitBytes: number, grain: number,
): void {
  const count = args[pointers]!;
  const share = Math.ceil(count / (workers + 1) / grain) * grain;
  let used = 0;
  for (let start = share; start < count; start += share, used++) {
    const job = args.map((v, i) => (i < pointers ? v + unitBytes * start : i === pointers ? Math.min(share, count - start) : v));
    pool.post(used, kernel, job[0]!, job[1]!, job[2]!, job[3]!, job[4] ?? 0, job[5] ?? 0);
  }
  args[pointers] = Math.min(share, count);
  f(...args);
  pool.finish(used, (share * unitBytes) / 4);
}

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
        inShares(pool, k, f, [x, y, n, a, b], 2, workers, 4, GRAIN);
      };
    },
    backward(name, f) {
      const k = pool.indexOf(name);
      const threshold = thresholdOf(name);
      return (dy, s, dx, n, a, b) => {
        const workers = below(n, threshold) ? 0 : pool.begin();
        if (workers === 0) return f(dy, s, dx, n, a, b);
        inShares(pool, k, f, [dy, s, dx, n, a, b], 3, workers, 4, GRAIN);
      };
    },
    rows(name, f) {
      const k = pool.indexOf(name);
      const threshold = thresholdOf(name);
      return (x, y, rows, cols) => {
        const workers = rows < 2 || below(rows * cols, threshold) ? 0 : pool.begin();
        if (workers === 0) return f(x, y, rows, cols);
        inShares(pool, k, f, [x, y, rows, cols], 2, workers, 4 * cols, 1);
      };
    },
    rowsBackward(name, f) {
      const k = pool.indexOf(name);
      const threshold = thresholdOf(name);
      return (dy, y, dx, rows, cols) => {
        const workers = rows < 2 || below(rows * cols, threshold) ? 0 : pool.begin();
        if (workers === 0) return f(dy, y, dx, rows, cols);
        inShares(pool, k, f, [dy, y, dx, rows, cols], 3, workers, 4 * cols, 1);
      };
    },
  };
}
