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

/** Share size for n elements over `threads` threads: equal, rounded up to the grain. */
function shareOf(n: number, threads: number): number {
  return Math.ceil(n / threads / GRAIN) * GRAIN;
}

export interface Splitter {
  forward(name: string, f: ForwardKernel): ForwardKernel;
  backward(name: string, f: BackwardKernel): BackwardKernel;
  rows(name: string, f: RowKernel): RowKernel;
  rowsBackward(name: string, f: RowBackwardKernel): RowBackwardKernel;
}

/** Without a pool: every kernel as it is. */
export const SINGLE: Splitter = { forward: (_, f) => f, backward: (_, f) => f, rows: (_, f) => f, rowsBackward: (_, f) => f };

export function splitter(pool: Pool): Splitter {
  return {
    forward(name, f) {
      const k = pool.indexOf(name);
      const threshold = thresholdOf(name);
      return (x, y, n, a, b) => {
        const workers = n < (pool.threshold ?? threshold) ? 0 : pool.begin();
        if (workers === 0) return f(x, y, n, a, b);
        const share = shareOf(n, workers + 1);
        let used = 0;
        for (let start = share; start < n; start += share, used++) {
          pool.post(used, k, x + 4 * start, y + 4 * start, Math.min(share, n - start), a, b, 0);
        }
        f(x, y, Math.min(share, n), a, b);
        pool.finish(used, share);
      };
    },
    backward(name, f) {
      const k = pool.indexOf(name);
      const threshold = thresholdOf(name);
      return (dy, s, dx, n, a, b) => {
        const workers = n < (pool.threshold ?? threshold) ? 0 : pool.begin();
        if (workers === 0) return f(dy, s, dx, n, a, b);
        const share = shareOf(n, workers + 1);
        let used = 0;
        for (let start = share; start < n; start += share, used++) {
          pool.post(used, k, dy + 4 * start, s + 4 * start, dx + 4 * start, Math.min(share, n - start), a, b);
        }
        f(dy, s, dx, Math.min(share, n), a, b);
        pool.finish(used, share);
      };
    },
    rows(name, f) {
      const k = pool.indexOf(name);
      const threshold = thresholdOf(name);
      return (x, y, rows, cols) => {
        const workers = rows < 2 || rows * cols < (pool.threshold ?? threshold) ? 0 : pool.begin();
        if (workers === 0) return f(x, y, rows, cols);
        const share = Math.ceil(rows / (workers + 1));
        const bytes = 4 * share * cols;
        let used = 0;
        for (let start = share; start < rows; start += share, used++) {
          const at = bytes * used + bytes;
          pool.post(used, k, x + at, y + at, Math.min(share, rows - start), cols, 0, 0);
        }
        f(x, y, Math.min(share, rows), cols);
        pool.finish(used, share * cols);
      };
    },
    rowsBackward(name, f) {
      const k = pool.indexOf(name);
      const threshold = thresholdOf(name);
      return (dy, y, dx, rows, cols) => {
        const workers = rows < 2 || rows * cols < (pool.threshold ?? threshold) ? 0 : pool.begin();
        if (workers === 0) return f(dy, y, dx, rows, cols);
        const share = Math.ceil(rows / (workers + 1));
        const bytes = 4 * share * cols;
        let used = 0;
        for (let start = share; start < rows; start += share, used++) {
          const at = bytes * used + bytes;
          pool.post(used, k, dy + at, y + at, dx + at, Math.min(share, rows - start), cols, 0);
        }
        f(dy, y, dx, Math.min(share, rows), cols);
        pool.finish(used, share * cols);
      };
    },
  };
}
