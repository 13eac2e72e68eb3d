// The typed API, generated from the activation table: for each elementwise activation NAME the
// methods NAME, NAMEBackward and NAMEDerivative (and NAMEBackwardFromInput where the backward
// takes the output); softmax and logSoftmax with their backward passes; softmaxJacobian; and
// resident memory (alloc, from, memory).

import type { KernelExports } from './loader.js';
import { createContext } from './context.js';
import { F32Buffer, type MemoryStats } from './memory.js';
import { optionsOf } from './activation-options.js';
import {
  ELEMENTWISE, ELEMENTWISE_NAMES, ROWWISE_NAMES,
  type Backend, type ElementwiseName, type ElementwiseSpec, type RowwiseName,
} from './table.js';
import {
  IN_PLACE_ALLOWED, MAX_LENGTH, checkCols, checkInteger, checkOptions, checkOut, checkLength, checkTensor, describe, detachedError, isDetached, isFloat32Array,
  type Tensor,
} from './validate.js';
import { createDenseApi, type DenseMethods } from './dense.js';
import type { TableMethods } from './generated/methods.js';
import { POOLS, type Pool } from './threads/pool.js';
import { SINGLE, splitter, type BackwardKernel, type ForwardKernel, type RowBackwardKernel, type RowKernel } from './threads/split.js';

type Spec<N extends ElementwiseName> = (typeof ELEMENTWISE)[N];
type ParamOptions<N extends ElementwiseName> = { [P in keyof Spec<N>['params']]?: number };
type VariantOptions<N extends ElementwiseName> = Spec<N> extends {
  variants: { option: infer K extends string; kernels: infer M };
}
  ? { [P in K]?: keyof M & string }
  : unknown;

/** Options of an elementwise activation: its parameters (and GELU's `approximate`). */
export type ElementwiseOptions<N extends ElementwiseName> = ParamOptions<N> & VariantOptions<N>;

/** Where the result goes: omitted, a new array or buffer of the same kind as the first input. */
export interface OutOption<O extends Tensor> {
  out?: O;
}

// Each call has two signatures: without `out` the result has the first input's kind (inferred
// from that argument, never from what the caller assigns the result to); with `out`, it is `out`.
type NoOut = { out?: undefined };
type WithOut<O extends Tensor> = { out: O };

export interface ForwardFn<N extends ElementwiseName> {
  <T extends Tensor>(x: T, opts?: ElementwiseOptions<N> & NoOut): T;
  <O extends Tensor>(x: Tensor, opts: ElementwiseOptions<N> & WithOut<O>): O;
}
export interface BackwardFn<N extends ElementwiseName> {
  <T extends Tensor>(dy: T, saved: Tensor, opts?: ElementwiseOptions<N> & NoOut): T;
  <O extends Tensor>(dy: Tensor, saved: Tensor, opts: ElementwiseOptions<N> & WithOut<O>): O;
}
/** The activations whose backward pass takes the output (sigmoid, tanh). */
export type OutputSavedName = { [N in ElementwiseName]: Spec<N>['saved'] extends 'output' ? N : never }[ElementwiseName];
export interface BackwardFromInputFn<N extends ElementwiseName> {
  <T extends Tensor>(dy: T, x: Tensor, opts?: ElementwiseOptions<N> & NoOut): T;
  <O extends Tensor>(dy: Tensor, x: Tensor, opts: ElementwiseOptions<N> & WithOut<O>): O;
}
export interface DerivativeFn<N extends ElementwiseName> {
  <T extends Tensor>(saved: T, opts?: ElementwiseOptions<N> & NoOut): T;
  <O extends Tensor>(saved: Tensor, opts: ElementwiseOptions<N> & WithOut<O>): O;
}

/** Row-wise options: `cols` per row of a row-major [rows x cols] layout (default: one row). */
export interface RowOptions<O extends Tensor> extends OutOption<O> {
  cols?: number;
}
export interface RowFn {
  <T extends Tensor>(x: T, opts?: { cols?: number } & NoOut): T;
  <O extends Tensor>(x: Tensor, opts: { cols?: number } & WithOut<O>): O;
}
export interface RowBackwardFn {
  <T extends Tensor>(dy: T, y: Tensor, opts?: { cols?: number } & NoOut): T;
  <O extends Tensor>(dy: Tensor, y: Tensor, opts: { cols?: number } & WithOut<O>): O;
}

/** Every method the table implies, without documentation: what the generated TableMethods must match. */
type ImpliedMethods = { readonly [N in ElementwiseName]: ForwardFn<N> } & {
  readonly [N in ElementwiseName as `${N}Backward`]: BackwardFn<N>;
} & { readonly [N in OutputSavedName as `${N}BackwardFromInput`]: BackwardFromInputFn<N> } & {
  readonly [N in ElementwiseName as `${N}Derivative`]: DerivativeFn<N>;
} & { readonly [N in RowwiseName]: RowFn } & { readonly [N in RowwiseName as `${N}Backward`]: RowBackwardFn };

// The documented declarations (scripts/generate-methods.mjs); `never` if they miss a method.
type DocumentedMethods = TableMethods extends ImpliedMethods ? TableMethods : never;

export type Activations = {
  /** Which build runs. */
  readonly backend: Backend;
  /**
   * Threads a large call uses, counting the caller's: 1 without `init({ threads })`, where threads
   * are not available, after close(), or fewer than asked once workers failed.
   */
  readonly threads: number;
  /**
   * Ends the worker threads; resolves when they have ended. Calls keep working afterwards, on the
   * caller's thread alone (`threads` becomes 1). Without threads it resolves at once.
   */
  close(): Promise<void>;
  /** A resident buffer of n floats, zeroed. */
  alloc(n: number): F32Buffer;
  /** A resident copy of the data: a Float32Array, an F32Buffer, a numeric typed array or an array of numbers. */
  from(data: ArrayLike<number> | F32Buffer): F32Buffer;
  memory(): MemoryStats;
  /** J[r, i, j] = y_i (delta_ij - y_j) per row: rows x cols x cols values. */
  readonly softmaxJacobian: RowFn;
} & DocumentedMethods & DenseMethods;

/** A derivative kernel (s, out, n, a, b) has a forward kernel's shape. */
type DerivativeKernel = ForwardKernel;

export function createActivations(exports: KernelExports, backend: Backend, maxBytes: number, pool?: Pool): Activations {
  const ctx = createContext(exports, backend, maxBytes);
  const { heap, floats, residentPtr, kernel, execute, unary, binary } = ctx;
  // Elementwise and row-wise kernels and the dense layers' products are bound through the
  // splitter: with a pool, a call above the kernel's threshold runs in shares on every thread
  // (src/threads/split.ts); the losses (sums in one order), transposes, bias sums and the Jacobian
  // run on the caller's thread.
  const split = pool === undefined ? SINGLE : splitter(pool);

  interface Parsed {
    kernel: string;
    a: number;
    b: number;
    out?: unknown;
  }

  /** Option parsing for one activation, with its lists worked out once (calls allocate nothing). */
  function optionParser(name: ElementwiseName): (fn: string, opts: unknown) => Parsed {
    const options = optionsOf(name);
    const allowed = ['out', ...options.names];
    return (fn, opts) => {
      if (opts === undefined) return options.defaults;
      const o = checkOptions(fn, opts, allowed)!;
      const { kernel, a, b } = options.resolve(o);
      return { kernel, a, b, out: o.out };
    };
  }

  const api: Record<string, unknown> = {
    backend,
    alloc(n: unknown): F32Buffer {
      return ctx.allocBuffer(checkInteger('n', n, 0), 'zeroed');
    },
    from(data: unknown): F32Buffer {
      const source = readSource(data);
      // A resident source keeps its offset across the allocation below, which may grow memory.
      const own = source instanceof F32Buffer || source.buffer === heap.buffer ? residentPtr(source) : -1;
      const length = source.length; // before the allocation, which may detach a view
      const buffer = ctx.allocBuffer(length, 'unspecified');
      const mem = floats();
      if (own >= 0) mem.copyWithin(buffer.ptr / 4, own / 4, own / 4 + length);
      else mem.set(source instanceof F32Buffer ? source.array : source, buffer.ptr / 4);
      return buffer;
    },
    memory: (): MemoryStats => heap.stats(),
    close: (): Promise<void> => pool?.close() ?? Promise.resolve(),
  };
  Object.defineProperty(api, 'threads', { get: () => pool?.threads ?? 1, enumerable: true });

  /**
   * What act.from copies, read once and checked before anything is allocated: a Float32Array or an
   * F32Buffer of this instance as they are (their offset is kept across growth), anything else
   * copied into a Float32Array first, so that no getter and no growth can change it afterwards.
   */
  function readSource(data: unknown): Float32Array | F32Buffer {
    const expected = 'data: expected a Float32Array, an F32Buffer, a numeric typed array or an array of numbers';
    if (F32Buffer.isBuffer(data)) {
      if (data.freed) throw new TypeError(`${expected}, got a freed F32Buffer`);
      // Another instance's buffer is a view on its own memory, which this allocation cannot detach.
      return data.belongsTo(heap) ? data : data.array;
    }
    if (isFloat32Array(data)) {
      checkInteger('data.length', data.length, 0);
      checkTensor('data', data, heap);
      return data;
    }
    if (ArrayBuffer.isView(data)) {
      if (data instanceof DataView || data instanceof BigInt64Array || data instanceof BigUint64Array) {
        throw new TypeError(`${expected}, got ${describe(data)}`);
      }
      if (data.byteLength === 0 && isDetached(data.buffer)) throw detachedError('data', 'a typed array');
      return Float32Array.from(data as unknown as ArrayLike<number>);
    }
    if (data === null || typeof data !== 'object' || typeof (data as { length?: unknown }).length !== 'number') {
      throw new TypeError(`${expected}, got ${describe(data)}`);
    }
    const values = data as ArrayLike<unknown>;
    const copy = new Float32Array(checkInteger('data.length', values.length, 0));
    for (let i = 0; i < copy.length; i++) {
      const v = values[i];
      if (typeof v !== 'number') throw new TypeError(`data[${i}]: expected a number, got ${describe(v)}`);
      copy[i] = v;
    }
    return copy;
  }

  // Every elementwise forward kernel as bound for this instance, by export name (dense layers
  // apply their activation through the same wrappers).
  const boundForward = new Map<string, ForwardKernel>();
  for (const name of ELEMENTWISE_NAMES) {
    const spec: ElementwiseSpec = ELEMENTWISE[name];
    const kernelNames = optionsOf(name).kernels;
    const kernelsWith = <K>(suffix: string, bind: (name: string, f: K) => K) =>
      new Map(kernelNames.map((k) => [k, bind(`${k}${suffix}`, kernel<K>(`${k}${suffix}`))]));
    const forwardKernels = kernelsWith<ForwardKernel>('', split.forward);
    for (const [k, f] of forwardKernels) boundForward.set(k, f);
    const backwardKernels = kernelsWith<BackwardKernel>('Backward', split.backward);
    const derivativeKernels = kernelsWith<DerivativeKernel>('Derivative', split.forward);
    const savedName = spec.saved === 'output' ? 'y' : 'x';
    const parse = optionParser(name);

    // x -> g(x) or g'(x): `fn` names the method in errors.
    // Options are read (once) before the tensors are checked: no getter runs after a check.
    const elementwise = (fn: string, inName: string, kernels: Map<string, ForwardKernel>) => (x: unknown, opts?: unknown) => {
      const o = parse(fn, opts);
      checkTensor(inName, x, heap);
      if (o.out !== undefined) checkOut('out', o.out, x.length, `the length of ${inName}`, [[inName, x]], heap, IN_PLACE_ALLOWED);
      return unary(kernels.get(o.kernel)!, x, o.out as Tensor | undefined, o.a, o.b);
    };
    // (dy, saved) -> dx; `kernels` picks the export.
    const backward = (fn: string, savedAs: string, kernels: Map<string, BackwardKernel>) => (dy: unknown, saved: unknown, opts?: unknown) => {
      const o = parse(fn, opts);
      checkTensor('dy', dy, heap);
      checkTensor(savedAs, saved, heap);
      checkLength(savedAs, saved, dy.length, 'the length of dy');
      if (o.out !== undefined) checkOut('out', o.out, dy.length, 'the length of dy', [['dy', dy], [savedAs, saved]], heap, IN_PLACE_ALLOWED);
      return binary(kernels.get(o.kernel)!, dy, saved, o.out as Tensor | undefined, o.a, o.b);
    };
    api[name] = elementwise(name, 'x', forwardKernels);
    api[`${name}Backward`] = backward(`${name}Backward`, savedName, backwardKernels);
    if (spec.saved === 'output') api[`${name}BackwardFromInput`] = backward(`${name}BackwardFromInput`, 'x', kernelsWith<BackwardKernel>('BackwardFromInput', split.backward));
    api[`${name}Derivative`] = elementwise(`${name}Derivative`, savedName, derivativeKernels);
  }

  /** Row-wise options, read once before the tensors are checked. */
  function readRows(fn: string, opts: unknown): Record<string, unknown> {
    return checkOptions(fn, opts, ['cols', 'out']) ?? {};
  }

  function rowsOf(o: Record<string, unknown>, x: Tensor, inName: string): { cols: number; rows: number; out?: unknown } {
    const cols = o.cols === undefined ? Math.max(x.length, 1) : checkCols('cols', o.cols, x.length, inName);
    return { cols, rows: x.length / cols, out: o.out };
  }

  for (const name of ROWWISE_NAMES) {
    const forward = split.rows(name, kernel<RowKernel>(name));
    const backward = split.rowsBackward(`${name}Backward`, kernel<RowBackwardKernel>(`${name}Backward`));
    // The row kernels in unary's and binary's shape (n unused; rows and cols as the parameters),
    // made once rather than per call.
    const forwardRows = (p: number, q: number, _n: number, rows: number, cols: number) => forward(p, q, rows, cols);
    const backwardRows = (p: number, q: number, r: number, _n: number, rows: number, cols: number) => backward(p, q, r, rows, cols);
    api[name] = (x: unknown, opts?: unknown) => {
      const read = readRows(name, opts);
      checkTensor('x', x, heap);
      const o = rowsOf(read, x, 'x');
      if (o.out !== undefined) checkOut('out', o.out, x.length, 'the length of x', [['x', x]], heap, IN_PLACE_ALLOWED);
      return unary(forwardRows, x, o.out as Tensor | undefined, o.rows, o.cols);
    };
    api[`${name}Backward`] = (dy: unknown, y: unknown, opts?: unknown) => {
      const read = readRows(`${name}Backward`, opts);
      checkTensor('dy', dy, heap);
      checkTensor('y', y, heap);
      checkLength('y', y, dy.length, 'the length of dy');
      const o = rowsOf(read, dy, 'dy');
      if (o.out !== undefined) checkOut('out', o.out, dy.length, 'the length of dy', [['dy', dy], ['y', y]], heap, IN_PLACE_ALLOWED);
      return binary(backwardRows, dy, y, o.out as Tensor | undefined, o.rows, o.cols);
    };
  }

  const jacobian = kernel<RowKernel>('softmaxJacobian');
  api.softmaxJacobian = (y: unknown, opts?: unknown) => {
    const read = readRows('softmaxJacobian', opts);
    checkTensor('y', y, heap);
    const o = rowsOf(read, y, 'y');
    const length = o.rows * o.cols * o.cols;
    if (length > MAX_LENGTH) throw new RangeError(`cols: the Jacobian would hold ${length} values, expected at most 2^30`);
    // Each row's block is written while the row is read: an out that meets y is refused.
    if (o.out !== undefined) checkOut('out', o.out, length, 'rows x cols x cols', [['y', y]], heap, JACOBIAN_APART);
    const outputs = [{ length, out: o.out as Tensor | undefined, name: 'out' }];
    return execute([y], outputs, [], ([py], [pj]) => jacobian(py!, pj!, o.rows, o.cols)).results[0]!;
  };

  Object.assign(api, createDenseApi(ctx, split, boundForward));
  const act = Object.freeze(api) as unknown as Activations;
  if (pool !== undefined) POOLS.set(act, pool);
  return act;
}

const JACOBIAN_APART = { inPlace: 'refused', reason: 'the Jacobian is written while y is read' } as const;
