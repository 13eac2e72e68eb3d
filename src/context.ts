// The state one init() instance shares among its API modules: the module's exports, the heap,
// the staging areas, and the call path that stages plain arrays and delivers results.

import type { KernelExports } from './loader.js';
import { F32Buffer, Heap, Staging } from './memory.js';
import type { Backend } from './table.js';
import type { Tensor } from './validate.js';

// Staging slots: one per input (0, 1, 2, ...) and OUT_SLOT for a result whose length differs.
const OUT_SLOT = 7;

export interface Context {
  readonly backend: Backend;
  readonly heap: Heap;
  /** A Float32Array over all of wasm memory, renewed after growth. */
  floats(): Float32Array;
  /** The exported kernel `name`; throws if the build lacks it. */
  kernel<K>(name: string): K;
  /**
   * Runs `compute(inputPointers, outPointer)` and delivers the result as the caller asked: into
   * `out` when given, else into a new tensor of the first input's kind. Plain Float32Array inputs
   * are copied into staging; a plain result of the first input's length is computed in place in
   * that input's staging area and copied out. Allocation (which may throw for the memory cap)
   * happens before anything is written.
   */
  run<O extends Tensor>(inputs: readonly Tensor[], outLength: number, out: O | undefined, compute: (ptrs: number[], outPtr: number) => void): O;
}

export function createContext(exports: KernelExports, backend: Backend, maxBytes: number): Context {
  const heap = new Heap(exports.memory, exports.heapBase(), maxBytes);
  const staging = new Staging(heap);
  let view = new Float32Array(exports.memory.buffer);
  const floats = (): Float32Array => {
    if (view.buffer !== exports.memory.buffer) view = new Float32Array(exports.memory.buffer);
    return view;
  };

  function kernel<K>(name: string): K {
    const fn = exports[name];
    if (typeof fn !== 'function') throw new Error(`simd-activations: the ${backend} build lacks the kernel ${name}`);
    return fn as K;
  }

  function run<O extends Tensor>(
    inputs: readonly Tensor[],
    outLength: number,
    out: O | undefined,
    compute: (ptrs: number[], outPtr: number) => void,
  ): O {
    const first = inputs[0]!;
    const firstPlain = !(first instanceof F32Buffer);
    const sameLength = outLength === first.length;
    let result: Tensor;
    if (out !== undefined) result = out;
    else if (!firstPlain) result = new F32Buffer(heap, outLength);
    else result = new Float32Array(outLength);
    try {
      // Reserve every staging area before taking any view: a reservation may grow memory.
      const ptrs = inputs.map((t, i) => (t instanceof F32Buffer ? -1 : staging.reserve(i, t.length)));
      let outPtr: number;
      if (result instanceof F32Buffer) outPtr = result.ptr;
      else if (sameLength && firstPlain) outPtr = ptrs[0]!;
      else outPtr = staging.reserve(OUT_SLOT, outLength);
      const mem = floats();
      inputs.forEach((t, i) => {
        if (t instanceof F32Buffer) ptrs[i] = t.ptr;
        else mem.set(t, ptrs[i]! >> 2);
      });
      compute(ptrs, outPtr);
      if (!(result instanceof F32Buffer)) result.set(floats().subarray(outPtr >> 2, (outPtr >> 2) + outLength));
    } catch (error) {
      if (out === undefined && result instanceof F32Buffer) result.free();
      throw error;
    }
    return result as O;
  }

  return { backend, heap, floats, kernel, run };
}
