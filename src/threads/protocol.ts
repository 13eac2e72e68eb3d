// The control block shared by the calling thread and the workers: one SharedArrayBuffer holding,
// per worker, a slot of Int32 words (sequence and status) and a row of Float64 arguments. Both
// sides import this file, so the layout is written once.
//
// A call: the caller writes a worker's kernel index and arguments (plain stores), then
// Atomics.store(WAKE, seq) and Atomics.notify(WAKE); the worker, waiting on WAKE, reads the job,
// runs it, stores STATUS, then Atomics.store(DONE, seq) and Atomics.notify(DONE). The atomic
// store and the atomic load that sees it order everything written before (ECMAScript memory
// model, synchronizes-with), wasm memory included: the caller reads the worker's results after
// seeing DONE = seq. WAKE = QUIT ends the worker's loop.

/** Int32 words per worker: 16, a 64-byte cache line, so workers never share a line. */
export const WORDS = 16;
export const WAKE = 0;
export const KERNEL = 1;
export const DONE = 2;
export const STATUS = 3;
/** A kernel's arguments at most: matmul's ten (assembly/kernels/dense.ts). */
export const MAX_KERNEL_ARGS = 10;
/** Float64 arguments per worker: MAX_KERNEL_ARGS padded to whole 64-byte lines. */
export const ARGS = 16;
export const QUIT = -1;

export const STATUS_OK = 0;
export const STATUS_FAILED = 1;

/** The bytes of a control block for `workers` workers: the Int32 slots, then the Float64 rows. */
export function controlBytes(workers: number): number {
  return workers * (WORDS * 4 + ARGS * 8);
}

export interface ControlViews {
  readonly words: Int32Array;
  readonly args: Float64Array;
}

export function controlViews(buffer: SharedArrayBuffer, workers: number): ControlViews {
  return {
    words: new Int32Array(buffer, 0, workers * WORDS),
    args: new Float64Array(buffer, workers * WORDS * 4, workers * ARGS),
  };
}

/**
 * The kernels a job may name, by index: the module's function exports in the module's own export
 * order. Both sides compute it from the same compiled module, so the indices agree without being
 * sent.
 */
export function kernelNames(module: WebAssembly.Module): string[] {
  return WebAssembly.Module.exports(module)
    .filter((e) => e.kind === 'function')
    .map((e) => e.name);
}

/** What the caller sends a new worker (once, by postMessage). */
export interface WorkerSetup {
  readonly module: WebAssembly.Module;
  readonly memory: WebAssembly.Memory;
  readonly control: SharedArrayBuffer;
  readonly workers: number;
  /** This worker's slot in the control block. */
  readonly slot: number;
}

/** What a worker answers once: ready (instantiated, in its loop) or the reason it could not start. */
export type WorkerReply = { readonly ready: true } | { readonly ready: false; readonly error: string };
