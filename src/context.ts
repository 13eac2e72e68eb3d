// The state one init() instance shares among its API modules: the module's exports, the heap,
// the staging areas, and the call path that stages plain arrays and delivers results.
//
// Where a tensor lives decides how a call treats it:
// - an F32Buffer, or a Float32Array that views this instance's own wasm memory (`buf.array`), is
//   resident: the kernel reads and writes it in place, by its byte offset;
// - any other Float32Array is plain: copied into a staging area and, as a result, out of one.
// Staging may grow memory, and growth detaches every view on the old memory. A resident input
// keeps its offset, so it is read correctly all the same; a resident `out` that was a view would
// be lost to the caller, so the call throws a RangeError naming it instead, before any kernel runs.

import type { KernelExports } from './loader.js';
import { F32Buffer, Heap, Staging, type Fill } from './memory.js';
import type { Backend } from './table.js';
import type { Tensor } from './validate.js';

// Staging slot of unary/binary for a result that cannot be computed in an input's area.
const OUT_SLOT = 7;
// Staging slots of execute: inputs from 0, outputs from OUTPUT_SLOTS, scratch from SCRATCH_SLOTS
// (unary and binary use 0, 1 and OUT_SLOT; calls never overlap, so sharing only shares capacity).
const OUTPUT_SLOTS = 8;
const SCRATCH_SLOTS = 16;

/** An output of a general call: its length, the caller's `out` if any, and its name for errors. */
export interface OutputSpec {
  readonly length: number;
  readonly out: Tensor | undefined;
  readonly name: string;
}

export interface Context {
  readonly backend: Backend;
  readonly heap: Heap;
  /** A Float32Array over all of wasm memory, renewed after growth. */
  floats(): Float32Array;
  /** The byte offset of a resident tensor (an F32Buffer or a view on this memory), else -1. */
  residentPtr(t: Tensor): number;
  /** The exported kernel `name`; throws if the build lacks it. */
  kernel<K>(name: string): K;
  /** A new resident buffer outside any call (act.alloc, act.from): idle staging may make room. */
  allocBuffer(length: number, fill: Fill): F32Buffer;
  /**
   * The general call path: stages `inputs` (plain arrays copied in), places each output (its `out`,
   * else a new tensor of the first input's kind) and `scratch` areas, runs `compute` on the
   * pointers and copies plain results out. Everything is allocated before anything is written; on
   * a failure the new buffers are freed. Inputs, outputs and scratch get separate staging areas, so
   * nothing is computed in place.
   */
  execute<R>(
    inputs: readonly Tensor[],
    outputs: readonly OutputSpec[],
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
  const { memory } = exports;
  const heap = new Heap(memory, exports.heapBase(), maxBytes);
  const staging = new Staging(heap);
  let view = new Float32Array(heap.buffer);
  const floats = (): Float32Array => {
    if (view.buffer !== heap.buffer) view = new Float32Array(heap.buffer);
    return view;
  };

  // Validation (checkTensor) has refused views on this memory that lie outside a live F32Buffer.
  function residentPtr(t: Tensor): number {
    if (t instanceof F32Buffer) return t.ptr;
    return t.buffer === heap.buffer ? t.byteOffset : -1;
  }

  function allocBuffer(length: number, fill: Fill): F32Buffer {
    staging.begin();
    return new F32Buffer(heap, length, fill);
  }

  /** After the reservations of a call: a resident `out` view must still be attached. */
  function checkAttached(name: string, out: Tensor): void {
    if (!(out instanceof F32Buffer) && out.buffer !== heap.buffer) {
      throw new RangeError(
        `${name}: expected a Float32Array that stays attached, got a view on this instance's wasm memory that the ` +
          'memory growth this call needed has detached (nothing was written); pass the F32Buffer itself, or take its ' +
          '.array again and repeat the call',
      );
    }
  }

  function kernel<K>(name: string): K {
    const fn = exports[name];
    if (typeof fn !== 'function') throw new Error(`simd-activations: the ${backend} build lacks the kernel ${name}`);
    return fn as K;
  }

  function execute<R>(
    inputs: readonly Tensor[],
    outputs: readonly OutputSpec[],
    scratch: readonly number[],
    compute: (ins: number[], outs: number[], tmp: number[]) => R,
  ): { value: R; results: Tensor[] } {
    staging.begin();
    const asBuffer = inputs[0] instanceof F32Buffer;
    const created: F32Buffer[] = [];
    try {
      // Offsets of the caller's resident tensors before anything is allocated: an allocation or a
      // reservation below may grow memory and detach a view (its offset stays right).
      const ins = inputs.map(residentPtr);
      const staged = ins.map((p) => p < 0);
      const given = outputs.map(({ out }) => (out === undefined ? -1 : residentPtr(out)));
      const results = outputs.map(({ length, out }) => {
        if (out !== undefined) return out;
        if (!asBuffer) return new Float32Array(length);
        const b = new F32Buffer(heap, length, 'unspecified');
        created.push(b);
        return b;
      });
      const outs = results.map((t, i) => (outputs[i]!.out !== undefined ? given[i]! : t instanceof F32Buffer ? t.ptr : -1));
      const copied = outs.map((p) => p < 0);
      inputs.forEach((t, i) => {
        if (staged[i]) ins[i] = staging.reserve(i, t.length);
      });
      results.forEach((t, i) => {
        if (copied[i]) outs[i] = staging.reserve(OUTPUT_SLOTS + i, t.length);
      });
      const tmp = scratch.map((n, i) => staging.reserve(SCRATCH_SLOTS + i, n));
      results.forEach((t, i) => {
        if (!copied[i]) checkAttached(outputs[i]!.name, t);
      });
      const mem = floats();
      inputs.forEach((t, i) => {
        if (staged[i]) mem.set(t as Float32Array, ins[i]! / 4);
      });
      const value = compute(ins, outs, tmp);
      results.forEach((t, i) => {
        if (copied[i]) copyOut(t as Float32Array, outs[i]!, t.length);
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
    const base = p / 4;
    if (n <= 64) for (let i = 0; i < n; i++) target[i] = mem[base + i]!;
    else target.set(mem.subarray(base, base + n));
  }

  function stageIn(t: Float32Array, slot: number): number {
    const p = staging.reserve(slot, t.length);
    floats().set(t, p / 4);
    return p;
  }

  function unary<O extends Tensor>(
    f: (p: number, q: number, n: number, a: number, b: number) => void, x: Tensor, out: O | undefined, a: number, b: number,
  ): O {
    staging.begin();
    const n = x.length;
    const xp = residentPtr(x);
    const outp = out === undefined ? -1 : residentPtr(out);
    if (outp >= 0) {
      const p = xp >= 0 ? xp : stageIn(x as Float32Array, 0);
      checkAttached('out', out!);
      f(p, outp, n, a, b);
      return out!;
    }
    if (xp >= 0) {
      if (out === undefined && x instanceof F32Buffer) {
        const result = new F32Buffer(heap, n, 'unspecified');
        f(xp, result.ptr, n, a, b);
        return result as O;
      }
      const q = staging.reserve(OUT_SLOT, n);
      f(xp, q, n, a, b);
      const result = (out ?? new Float32Array(n)) as Float32Array; // a plain array here
      copyOut(result, q, n);
      return result as O;
    }
    const p = stageIn(x as Float32Array, 0);
    f(p, p, n, a, b);
    const result = (out ?? new Float32Array(n)) as Float32Array; // a plain array here
    copyOut(result, p, n);
    return result as O;
  }

  function binary<O extends Tensor>(
    f: (p: number, q: number, r: number, n: number, a: number, b: number) => void, x0: Tensor, x1: Tensor, out: O | undefined, a: number, b: number,
  ): O {
    staging.begin();
    const n = x0.length;
    const r0 = residentPtr(x0);
    const r1 = residentPtr(x1);
    const outp = out === undefined ? -1 : residentPtr(out);
    // A new resident result before any staging: its allocation may take idle staging back.
    const fresh = out === undefined && x0 instanceof F32Buffer ? new F32Buffer(heap, n, 'unspecified') : undefined;
    let q0: number, q1: number;
    try {
      // Reserve both staging areas before copying in: a reservation may grow memory.
      q0 = r0 >= 0 ? r0 : staging.reserve(0, n);
      q1 = r1 >= 0 ? r1 : staging.reserve(1, n);
      if (outp >= 0) checkAttached('out', out!);
    } catch (error) {
      fresh?.free();
      throw error;
    }
    if (r0 < 0) floats().set(x0 as Float32Array, q0 / 4);
    if (r1 < 0) floats().set(x1 as Float32Array, q1 / 4);
    if (fresh !== undefined) {
      f(q0, q1, fresh.ptr, n, a, b);
      return fresh as O;
    }
    if (outp >= 0) {
      f(q0, q1, outp, n, a, b);
      return out!;
    }
    const q = r0 >= 0 ? staging.reserve(OUT_SLOT, n) : q0;
    f(q0, q1, q, n, a, b);
    const result = (out ?? new Float32Array(n)) as Float32Array; // a plain array here
    copyOut(result, q, n);
    return result as O;
  }

  return { backend, heap, floats, residentPtr, kernel, allocBuffer, execute, unary, binary };
}
