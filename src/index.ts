// simd-activations: neural-network activations, their derivatives and backward passes, as
// WebAssembly SIMD kernels over Float32Array data.

import { createActivations, type Activations } from './api.js';
import { checkBuild } from './build-check.js';
import { loadBuild, supportedBackends, type WasmSource } from './loader.js';
import { PAGE } from './memory.js';
import { BACKENDS, type Backend } from './table.js';
import { checkChoice, checkKeys, describe, quoteAll, snapshot } from './validate.js';
import { autoThreads, checkThreads, loadShared, startPool, threadsAvailable } from './threads/setup.js';
import type { Pool } from './threads/pool.js';

export interface InitOptions {
  /** Which build to run; by default the best the engine supports. An unsupported choice throws. */
  backend?: Backend;
  /**
   * Where the wasm comes from, for bundlers and strict content-security policies: bytes, a URL,
   * a Response or a compiled WebAssembly.Module, for the build chosen by `backend` (required
   * then), or one per build as `{ simd, relaxed, scalar }`.
   */
  wasm?: WasmSource | Partial<Record<Backend, WasmSource>>;
  /**
   * Cap on linear memory in MiB (default 2048, at most 4096: the 4 GiB that wasm32 addresses),
   * rounded down to whole 64 KiB pages and held from the first byte. Asking past it throws a
   * RangeError.
   */
  maxMemoryMB?: number;
  /**
   * Threads a large call may use, counting the caller's: a positive integer (at most 64) or 'auto'
   * (the cores available, at most 8); default 1. Calls stay synchronous and give the same bits.
   * Needs shared memory: in browsers a cross-origin isolated page (COOP/COEP headers); elsewhere,
   * or with a compiled WebAssembly.Module as `wasm`, the instance runs one thread (`act.threads`).
   */
  threads?: number | 'auto';
}

const INIT_OPTIONS = ['backend', 'wasm', 'maxMemoryMB', 'threads'] as const;
const MAX_MEMORY_MB = 4096;

function isSource(value: unknown): value is WasmSource {
  return (
    typeof value === 'string' || value instanceof URL || value instanceof WebAssembly.Module || value instanceof ArrayBuffer ||
    ArrayBuffer.isView(value) || (typeof Response !== 'undefined' && value instanceof Response)
  );
}

/** A module source, or a plain object of one source per build. */
function checkWasm(wasm: unknown): WasmSource | Partial<Record<Backend, WasmSource>> {
  if (isSource(wasm)) return wasm;
  const expected = 'expected bytes, a URL, a Response or a WebAssembly.Module';
  const thenable = typeof (wasm as { then?: unknown } | null)?.then === 'function';
  if (typeof wasm !== 'object' || wasm === null || Array.isArray(wasm) || thenable) {
    throw new TypeError(`wasm: ${expected}, or an object of them per build, got ${thenable ? 'a Promise (await it first)' : describe(wasm)}`);
  }
  const perBuild = checkKeys('wasm', snapshot('wasm', wasm), BACKENDS);
  for (const [b, source] of Object.entries(perBuild)) {
    if (!isSource(source)) throw new TypeError(`wasm.${b}: ${expected}, got ${describe(source)}`);
  }
  return perBuild as Partial<Record<Backend, WasmSource>>;
}

/** The cap in bytes: whole pages, so that memory.grow can reach it and never pass it. */
function checkMaxMemory(value: unknown): number {
  if (typeof value !== 'number') throw new TypeError(`maxMemoryMB: expected a number, got ${describe(value)}`);
  if (!(value > 0 && value <= MAX_MEMORY_MB)) {
    throw new RangeError(`maxMemoryMB: expected a number above 0 and at most ${MAX_MEMORY_MB}, got ${value}`);
  }
  return Math.floor((value * 2 ** 20) / PAGE) * PAGE;
}

/**
 * Loads a build (by default the best this engine supports) and returns the typed API over it:
 * every activation with its backward pass and derivative, softmax, dense layers and resident
 * buffers. Options: `backend`, `wasm` (your own module source), `maxMemoryMB`, `threads`.
 */
export async function init(options: InitOptions = {}): Promise<Activations> {
  const opts = checkKeys('init', snapshot('init', options), INIT_OPTIONS);
  const backend = opts.backend === undefined ? undefined : checkChoice('backend', opts.backend, BACKENDS);
  const wasm = opts.wasm === undefined ? undefined : checkWasm(opts.wasm);
  const maxBytes = checkMaxMemory(opts.maxMemoryMB ?? 2048);
  const asked = opts.threads === undefined ? 1 : checkThreads(opts.threads);
  const threads = asked === 'auto' ? autoThreads() : asked;
  const supported = supportedBackends();
  let chosen: Backend;
  if (backend !== undefined) {
    if (!supported.includes(backend)) {
      throw new RangeError(
        `backend: expected a build this engine supports (${quoteAll(supported)}), got '${backend}'` +
          (backend === 'relaxed' ? '; Node 20 needs --experimental-wasm-relaxed-simd, Node 22+ and current browsers have it' : ''),
      );
    }
    chosen = backend;
  } else if (wasm !== undefined && isSource(wasm)) {
    throw new TypeError('wasm: a single module source needs `backend` to say which build it is');
  } else {
    const offered = wasm === undefined ? supported : supported.filter((b) => wasm[b] !== undefined);
    if (offered.length === 0) throw new RangeError(`wasm: expected a source for a build this engine supports (${quoteAll(supported)}), got none`);
    chosen = offered[0]!;
  }
  let source = wasm === undefined ? undefined : isSource(wasm) ? wasm : wasm[chosen];
  if (wasm !== undefined && source === undefined) {
    throw new RangeError(`wasm.${chosen}: expected a module source for the ${chosen} build (backend), got undefined`);
  }
  const given = source !== undefined;
  let pool: Pool | undefined;
  try {
    // Threads: the build's memory rewritten as imported and shared (src/threads/shared-module.ts),
    // instantiated here and in each worker; otherwise, or where that cannot apply, one thread.
    let exports;
    if (threads > 1 && threadsAvailable()) {
      const shared = await loadShared(chosen, source, maxBytes);
      if (shared.build !== undefined) {
        exports = checkBuild(shared.build.exports, chosen);
        pool = await startPool(shared.build, threads);
      } else source = shared.source;
    }
    exports ??= checkBuild(await loadBuild(chosen, source), chosen);
    const initial = exports.memory.buffer.byteLength;
    if (initial > maxBytes) {
      throw new RangeError(`maxMemoryMB: expected at least ${initial / 2 ** 20} MiB, the ${chosen} build's initial linear memory, got ${opts.maxMemoryMB as number}`);
    }
    return createActivations(exports, chosen, maxBytes, pool);
  } catch (cause) {
    await pool?.close();
    // A module the caller gave that fails to compile, link or serve is a bad value of `wasm`.
    if (!given || cause instanceof RangeError) throw cause;
    throw new RangeError(`wasm: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

export type { Activations, ElementwiseOptions, RowOptions, ForwardFn, BackwardFn, BackwardFromInputFn, DerivativeFn, OutputSavedName } from './api.js';
export { F32Buffer, type MemoryStats } from './memory.js';
export type { Tensor } from './validate.js';
export { ELEMENTWISE, ROWWISE, ELEMENTWISE_NAMES, ROWWISE_NAMES, BACKENDS, type Backend, type ElementwiseName, type RowwiseName } from './table.js';
export { supportedBackends } from './loader.js';
export type {
  DenseShape, ActivationChoice, DenseOptions, Reduction, SquaredErrorOptions, SoftmaxCrossEntropyOptions,
  SoftmaxCrossEntropyResult, DenseGradients, DenseBackwardArgs, OutputLayerResult, OutputLayerArgs, DenseMethods,
} from './dense.js';
