// simd-activations: neural-network activations, their derivatives and backward passes, as
// WebAssembly SIMD kernels over Float32Array data.

import { createActivations, type Activations } from './api.js';
import { loadBuild, supportedBackends, type WasmSource } from './loader.js';
import { BACKENDS, type Backend } from './table.js';
import { describe } from './validate.js';

export interface InitOptions {
  /** Which build to run; by default the best the engine supports. An unsupported choice throws. */
  backend?: Backend;
  /**
   * Where the wasm comes from, for bundlers and strict content-security policies: bytes, a URL,
   * a Response or a compiled WebAssembly.Module, for the build chosen by `backend` (required
   * then), or one per build as `{ simd, relaxed, scalar }`.
   */
  wasm?: WasmSource | Partial<Record<Backend, WasmSource>>;
  /** Cap on linear memory in MiB (default 2048). Asking past it throws a RangeError. */
  maxMemoryMB?: number;
}

function isPerBackend(wasm: InitOptions['wasm']): wasm is Partial<Record<Backend, WasmSource>> {
  if (typeof wasm !== 'object' || wasm === null) return false;
  if (wasm instanceof URL || wasm instanceof WebAssembly.Module || ArrayBuffer.isView(wasm) || wasm instanceof ArrayBuffer) {
    return false;
  }
  if (typeof Response !== 'undefined' && wasm instanceof Response) return false;
  return Object.keys(wasm).every((k) => (BACKENDS as readonly string[]).includes(k));
}

export async function init(options: InitOptions = {}): Promise<Activations> {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`init: expected an options object, got ${describe(options)}`);
  }
  const { backend, wasm, maxMemoryMB = 2048 } = options;
  if (backend !== undefined && !(BACKENDS as readonly string[]).includes(backend)) {
    throw new RangeError(`backend: expected one of ${BACKENDS.map((b) => `'${b}'`).join(', ')}, got ${describe(backend)}`);
  }
  if (typeof maxMemoryMB !== 'number' || !Number.isFinite(maxMemoryMB) || maxMemoryMB <= 0 || maxMemoryMB > 4096) {
    throw new RangeError(`maxMemoryMB: expected a number above 0 and at most 4096, got ${describe(maxMemoryMB)}`);
  }
  const supported = supportedBackends();
  let chosen: Backend;
  if (backend !== undefined) {
    if (!supported.includes(backend)) {
      throw new Error(
        `backend: this engine does not support the '${backend}' build (it supports ${supported.map((b) => `'${b}'`).join(', ')})` +
          (backend === 'relaxed' ? '; Node 20 needs --experimental-wasm-relaxed-simd, Node 22+ and current browsers have it' : ''),
      );
    }
    chosen = backend;
  } else if (wasm !== undefined && !isPerBackend(wasm)) {
    throw new TypeError('wasm: a single module source needs `backend` to say which build it is');
  } else {
    const offered = wasm === undefined ? supported : supported.filter((b) => wasm[b] !== undefined);
    if (offered.length === 0) throw new TypeError('wasm: none of the builds given is supported by this engine');
    chosen = offered[0]!;
  }
  const source = wasm === undefined ? undefined : isPerBackend(wasm) ? wasm[chosen] : wasm;
  const exports = await loadBuild(chosen, source);
  return createActivations(exports, chosen, Math.floor(maxMemoryMB * 2 ** 20));
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
