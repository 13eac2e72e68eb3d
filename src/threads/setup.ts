// init({ threads }): the option, whether threads are available here, and the shared-memory
// instance the caller's thread runs (the pool starts from the same compiled module).

import { cores, startNodeWorker } from '../platform.js';
import { defaultWasmUrl, sourceBytes, type KernelExports, type WasmSource } from '../loader.js';
import type { Backend } from '../table.js';
import { describe } from '../validate.js';
import { Pool } from './pool.js';
import { pagesOf, toSharedMemoryModule } from './shared-module.js';

/** 'auto' uses at most this many threads: past it, memory bandwidth rather than cores limits the kernels. */
export const AUTO_CAP = 8;
/** The most threads a caller may ask for explicitly. */
export const MAX_THREADS = 64;

/** The threads option: a positive integer up to MAX_THREADS, or 'auto'. */
export function checkThreads(value: unknown): number | 'auto' {
  const expected = `an integer from 1 to ${MAX_THREADS} or 'auto'`;
  if (value === 'auto') return value;
  if (typeof value !== 'number' && typeof value !== 'string') throw new TypeError(`threads: expected ${expected}, got ${describe(value)}`);
  if (typeof value === 'string' || !Number.isInteger(value) || value < 1 || value > MAX_THREADS) {
    throw new RangeError(`threads: expected ${expected}, got ${describe(value)}`);
  }
  return value;
}

/** 'auto': the cores this process may use (Node) or the browser reports, at most AUTO_CAP. */
export function autoThreads(): number {
  return Math.max(1, Math.min(AUTO_CAP, cores()));
}

/**
 * Whether this engine can share memory with workers: SharedArrayBuffer and shared wasm memory
 * exist, a page is cross-origin isolated (browsers withhold SharedArrayBuffer otherwise, and
 * cannot post a shared Memory), and there is a Worker implementation. Never throws, prints nothing.
 */
export function threadsAvailable(): boolean {
  const g = globalThis as { crossOriginIsolated?: boolean; Worker?: unknown };
  if (typeof SharedArrayBuffer !== 'function' || typeof Atomics !== 'object') return false;
  if (g.crossOriginIsolated === false) return false;
  if (startNodeWorker === undefined && typeof g.Worker !== 'function') return false;
  try {
    return new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true }).buffer instanceof SharedArrayBuffer;
  } catch {
    return false;
  }
}

export interface SharedBuild {
  readonly exports: KernelExports;
  readonly module: WebAssembly.Module;
  readonly memory: WebAssembly.Memory;
}

/**
 * The build with its memory imported and shared, instantiated on this thread; or, where threads
 * cannot apply, the source for the one-thread path: a compiled Module was given (its memory is
 * fixed), or the binary is not of this library's shape (the one-thread path loads the bytes and
 * reports what is wrong, as it would without threads).
 */
export async function loadShared(
  backend: Backend, source: WasmSource | undefined, maxBytes: number,
): Promise<{ build: SharedBuild } | { build: undefined; source: WasmSource | undefined }> {
  let bytes: Uint8Array | undefined;
  try {
    bytes = await sourceBytes(source ?? defaultWasmUrl(backend));
  } catch (cause) {
    const why = cause instanceof Error ? cause.message : String(cause);
    throw new Error(`simd-activations: could not load the ${backend} build: ${why}`, { cause });
  }
  if (bytes === undefined) return { build: undefined, source };
  let shared;
  try {
    shared = toSharedMemoryModule(bytes, pagesOf(maxBytes));
  } catch {
    return { build: undefined, source: bytes };
  }
  let memory: WebAssembly.Memory;
  try {
    // A shared memory cannot move when it grows, so engines reserve its maximum up front; an
    // engine that cannot (address space, a 32-bit browser) runs one thread instead.
    memory = new WebAssembly.Memory({ initial: shared.initialPages, maximum: pagesOf(maxBytes), shared: true });
  } catch {
    return { build: undefined, source: bytes };
  }
  try {
    const module = await WebAssembly.compile(shared.bytes);
    const instance = await WebAssembly.instantiate(module, { env: { memory } });
    return { build: { exports: instance.exports as unknown as KernelExports, module, memory } };
  } catch (cause) {
    const why = cause instanceof Error ? cause.message : String(cause);
    throw new Error(`simd-activations: could not load the ${backend} build: ${why}`, { cause });
  }
}

/** Starts threads - 1 workers; undefined if none could start. */
export async function startPool(build: SharedBuild, threads: number): Promise<Pool | undefined> {
  const pool = await Pool.start(build.module, build.memory, threads - 1);
  if (pool.threads > 1) return pool;
  await pool.close();
  return undefined;
}
