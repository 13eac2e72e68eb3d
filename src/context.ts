// The state one init() instance shares among its API modules: the module's exports, the heap,
// the staging areas, and the call path that stages plain arrays and delivers results.

import type { KernelExports } from './loader.js';
import { F32Buffer, Heap, Staging } from './memory.js';
import type { Backend } from './table.js';
import type { Tensor } from './validate.js';

// Staging slot of unary/binary for a result that cannot be computed in an input's area.
const OUT_SLOT = 7;

export interface Context {
  readonly backend: Backend;
  readonly heap: Heap;
  /** A Float32Array over all of wasm memory, renewed after growth. */
  floats(): Float32Array;
  /** The exported kernel `name`; throws if the build lacks it. */
  kernel<K>(name: string): K;
  /**
   * The general call path: stages `inputs` (plain arrays copied in), places each output (its `out`,
   * else a new tensor of the first input's kind) and `scratch` areas, runs `compute` on the
   * pointers and copies plain results out. Everything is allocated before anything is written; on
   * a failure the new buffers are freed. Inputs, outputs and scratch get separate staging areas, so
   * nothing is computed in place.
   */
  execute<R>(
    inputs: readonly Tensor[],
    outputs: readonly { length: number; out: Tensor | undefined }[],
    scratch: readonly number[],
    compute: (ins: number[], outs: number[], tmp: number[]) => R,
  ): { value: R; results: Tensor[] };
  /**
   * The same contract for a kernel `f(in, out, n, a, b)` whose result has the input's length, computed
   * in place in the input's staging area, without the allocations of `execute` (arrays, closures):
   * the path of every elementwise and row-wise call, where small arrays make the fixed cost count.
   */
  unary<O extends Tensor>(f: (p: number, q: number, n: number, a: number, b: number) => void, x: Tensor, out: O | undefined, a: number, b: number): O;
  /** The same for `f(in0, in1, out, n, a, b)` (backward passes). */
  binary<O extends Tensor>(
    f: (p: number, q: number, r: number, n: number, a: number, b: number) => void, x0: Tensor, x1: Tensor, out: O | undefined, a: number, b: number,
  ): O;
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

  // Staging slots of execute: inputs from 0, outputs from OUTPUT_SLOTS, scratch from SCRATCH_SLOTS
  // (unary and binary use 0, 1 and OUT_SLOT; calls never overlap, so sharing only shares capacity).
  const OUTPUT_SLOTS = 8;
  const SCRATCH_SLOTS = 16;

  function execute<R>(
    inputs: readonly Tensor[],
    outputs: readonly { length: number; out: Tensor | undefined }[],
    scratch: readonly number[],
    compute: (ins: number[], outs: number[], tmp: number[]) => R,
  ): { value: R; results: Tensor[] } {
    const asBuffer = inputs[0] instanceof F32Buffer;
    const created: F32Buffer[] = [];
    try {
      const results = outputs.map(({ length, out }) => {
        if (out !== undefined) return out;
        if (!asBuffer) return new Float32Array(length);
        const b = new F32Buffer(heap, length);
        created.push(b);
        return b;
      });
      // Reserve every area before taking a view: a reservation may grow memory.
      const ins = inputs.map((t, i) => (t instanceof F32Buffer ? -1 : staging.reserve(i, t.length)));
      const outs = results.map((t, i) => (t instanceof F32Buffer ? -1 : staging.reserve(OUTPUT_SLOTS + i, t.length)));
      const tmp = scratch.map((n, i) => staging.reserve(SCRATCH_SLOTS + i, n));
      const mem = floats();
      inputs.forEach((t, i) => {
        if (t instanceof F32Buffer) ins[i] = t.ptr;
        else mem.set(t, ins[i]! >> 2);
      });
      results.forEach((t, i) => {
        if (t instanceof F32Buffer) outs[i] = t.ptr;
      });
      const value = compute(ins, outs, tmp);
      results.forEach((t, i) => {
        if (!(t instanceof F32Buffer)) copyOut(t, outs[i]!, t.length);
      });
      return { value, results };
    } catch (error) {
      for (const b of created) b.free();
      throw error;
    }
  }

  // Copies n floats at byte offset p out of wasm memory: a loop below 64 elements (no view object),
  // a block copy above.
  function copyOut(target: Float32Array, p: number, n: number): void {
    const mem = floats();
    const base = p >> 2;
    if (n <= 64) for (let i = 0; i < n; i++) target[i] = mem[base + i]!;
    else target.set(mem.subarray(base, base + n));
  }

  function stageIn(t: Float32Array, slot: number): number {
    const p = staging.reserve(slot, t.length);
    floats().set(t, p >> 2);
    return p;
  }

  function unary<O extends Tensor>(
    f: (p: number, q: number, n: number, a: number, b: number) => void, x: Tensor, out: O | undefined, a: number, b: number,
  ): O {
    const n = x.length;
    if (out instanceof F32Buffer) {
      f(x instanceof F32Buffer ? x.ptr : stageIn(x, 0), out.ptr, n, a, b);
      return out;
    }
    if (x instanceof F32Buffer) {
      if (out === undefined) {
        const result = new F32Buffer(heap, n);
        f(x.ptr, result.ptr, n, a, b);
        return result as O;
      }
      const q = staging.reserve(OUT_SLOT, n);
      f(x.ptr, q, n, a, b);
      copyOut(out, q, n);
      return out;
    }
    const p = stageIn(x, 0);
    f(p, p, n, a, b);
    const result = (out ?? new Float32Array(n)) as Float32Array; // out is not an F32Buffer here
    copyOut(result, p, n);
    return result as O;
  }

  function binary<O extends Tensor>(
    f: (p: number, q: number, r: number, n: number, a: number, b: number) => void, x0: Tensor, x1: Tensor, out: O | undefined, a: number, b: number,
  ): O {
    const n = x0.length;
    // Reserve both staging areas before copying in: a reservation may grow memory.
    const p0 = x0 instanceof F32Buffer ? -1 : staging.reserve(0, n);
    const p1 = x1 instanceof F32Buffer ? -1 : staging.reserve(1, n);
    const fresh = out === undefined && x0 instanceof F32Buffer ? new F32Buffer(heap, n) : undefined;
    const q0 = x0 instanceof F32Buffer ? x0.ptr : p0;
    const q1 = x1 instanceof F32Buffer ? x1.ptr : p1;
    if (!(x0 instanceof F32Buffer)) floats().set(x0, p0 >> 2);
    if (!(x1 instanceof F32Buffer)) floats().set(x1, p1 >> 2);
    const target = out ?? fresh;
    if (target instanceof F32Buffer) {
      f(q0, q1, target.ptr, n, a, b);
      return target as O;
    }
    const q = x0 instanceof F32Buffer ? staging.reserve(OUT_SLOT, n) : p0;
    f(q0, q1, q, n, a, b);
    const result = (target ?? new Float32Array(n)) as Float32Array; // not an F32Buffer here
    copyOut(result, q, n);
    return result as O;
  }

  return { backend, heap, floats, kernel, execute, unary, binary };
}
