// The typed API, generated from the activation table: for each elementwise activation NAME the
// methods NAME, NAMEBackward and NAMEDerivative (and NAMEBackwardFromInput where the backward
// takes the output); softmax and logSoftmax with their backward passes; softmaxJacobian; and
// resident memory (alloc, from, memory).

import type { KernelExports } from './loader.js';
import { createContext } from './context.js';
import { F32Buffer, type MemoryStats } from './memory.js';
import {
  ELEMENTWISE, ELEMENTWISE_NAMES, ROWWISE_NAMES,
  type Backend, type ElementwiseName, type ElementwiseSpec, type RowwiseName,
} from './table.js';
import {
  checkCols, checkLength, checkNumber, checkOptions, checkOverlap, checkSameLength, checkTensor, describe,
  type Tensor,
} from './validate.js';
import { createDenseApi, type DenseMethods } from './dense.js';

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

export type ForwardFn<N extends ElementwiseName> = <T extends Tensor, O extends Tensor = T>(
  x: T,
  opts?: ElementwiseOptions<N> & OutOption<O>,
) => O;
export type BackwardFn<N extends ElementwiseName> = <T extends Tensor, O extends Tensor = T>(
  dy: T,
  saved: Tensor,
  opts?: ElementwiseOptions<N> & OutOption<O>,
) => O;
/** The activations whose backward pass takes the output (sigmoid, tanh). */
export type OutputSavedName = { [N in ElementwiseName]: Spec<N>['saved'] extends 'output' ? N : never }[ElementwiseName];
export type BackwardFromInputFn<N extends ElementwiseName> = <T extends Tensor, O extends Tensor = T>(
  dy: T,
  x: Tensor,
  opts?: ElementwiseOptions<N> & OutOption<O>,
) => O;
export type DerivativeFn<N extends ElementwiseName> = <T extends Tensor, O extends Tensor = T>(
  saved: T,
  opts?: ElementwiseOptions<N> & OutOption<O>,
) => O;

/** Row-wise options: `cols` per row of a row-major [rows x cols] layout (default: one row). */
export interface RowOptions<O extends Tensor> extends OutOption<O> {
  cols?: number;
}
export type RowFn = <T extends Tensor, O extends Tensor = T>(x: T, opts?: RowOptions<O>) => O;
export type RowBackwardFn = <T extends Tensor, O extends Tensor = T>(dy: T, y: Tensor, opts?: RowOptions<O>) => O;

export type Activations = {
  /** Which build runs. */
  readonly backend: Backend;
  /** A resident buffer of n floats (zeroed). */
  alloc(n: number): F32Buffer;
  /** A resident copy of the data. */
  from(data: ArrayLike<number>): F32Buffer;
  memory(): MemoryStats;
  /** J[r, i, j] = y_i (delta_ij - y_j) per row: rows x cols x cols values. */
  softmaxJacobian<T extends Tensor, O extends Tensor = T>(y: T, opts?: RowOptions<O>): O;
} & { readonly [N in ElementwiseName]: ForwardFn<N> } & {
  readonly [N in ElementwiseName as `${N}Backward`]: BackwardFn<N>;
} & { readonly [N in OutputSavedName as `${N}BackwardFromInput`]: BackwardFromInputFn<N> } & {
  readonly [N in ElementwiseName as `${N}Derivative`]: DerivativeFn<N>;
} & {
  readonly [N in RowwiseName]: RowFn;
} & { readonly [N in RowwiseName as `${N}Backward`]: RowBackwardFn } & DenseMethods;

type ForwardKernel = (x: number, y: number, n: number, a: number, b: number) => void;
type BackwardKernel = (dy: number, s: number, dx: number, n: number, a: number, b: number) => void;
type DerivativeKernel = (s: number, out: number, n: number, a: number, b: number) => void;
type RowKernel = (x: number, y: number, rows: number, cols: number) => void;
type RowBackwardKernel = (dy: number, y: number, dx: number, rows: number, cols: number) => void;

export function createActivations(exports: KernelExports, backend: Backend, maxBytes: number): Activations {
  const ctx = createContext(exports, backend, maxBytes);
  const { heap, floats, kernel, execute, unary, binary } = ctx;

  interface Parsed {
    kernel: string;
    a: number;
    b: number;
    out?: Tensor;
  }

  /** Option parsing for one activation, with its lists worked out once (calls allocate nothing). */
  function optionParser(name: ElementwiseName): (fn: string, opts: unknown) => Parsed {
    const spec: ElementwiseSpec = ELEMENTWISE[name];
    const paramNames = Object.keys(spec.params);
    const allowed = spec.variants ? ['out', spec.variants.option, ...paramNames] : ['out', ...paramNames];
    const defaults = paramNames.map((p) => spec.params[p]!.default);
    const plain: Parsed = Object.freeze({
      kernel: spec.variants ? spec.variants.kernels[spec.variants.default]! : name,
      a: defaults[0] ?? 0,
      b: defaults[1] ?? 0,
    });
    return (fn, opts) => {
      if (opts === undefined) return plain;
      checkOptions(fn, opts, allowed);
      let kernelName = plain.kernel;
      if (spec.variants) {
        const choice = opts?.[spec.variants.option] ?? spec.variants.default;
        const kernels = spec.variants.kernels;
        if (typeof choice !== 'string' || !Object.hasOwn(kernels, choice)) {
          throw new TypeError(
            `${spec.variants.option}: expected one of ${Object.keys(kernels).map((k) => `'${k}'`).join(', ')}, got ${describe(choice)}`,
          );
        }
        kernelName = kernels[choice]!;
      }
      let a = plain.a;
      let b = plain.b;
      for (let i = 0; i < paramNames.length; i++) {
        const p = paramNames[i]!;
        const value = opts?.[p];
        if (value === undefined) continue;
        const checked = checkNumber(p, value, spec.params[p]!.domain);
        if (i === 0) a = checked;
        else b = checked;
      }
      return { kernel: kernelName, a, b, out: opts?.out as Tensor | undefined };
    };
  }

  const api: Record<string, unknown> = {
    backend,
    alloc(n: number): F32Buffer {
      return new F32Buffer(heap, checkLength('n', n));
    },
    from(data: ArrayLike<number>): F32Buffer {
      if (data === null || typeof data !== 'object' || typeof (data as { length?: unknown }).length !== 'number') {
        throw new TypeError(`data: expected a Float32Array or an array-like of numbers, got ${describe(data)}`);
      }
      const buffer = new F32Buffer(heap, checkLength('data.length', data.length));
      floats().set(data, buffer.ptr >> 2);
      return buffer;
    },
    memory: (): MemoryStats => heap.stats(),
  };

  for (const name of ELEMENTWISE_NAMES) {
    const forwardKernels = new Map<string, ForwardKernel>();
    const backwardKernels = new Map<string, BackwardKernel>();
    const derivativeKernels = new Map<string, DerivativeKernel>();
    const spec: ElementwiseSpec = ELEMENTWISE[name];
    const kernelNames = spec.variants ? Object.values(spec.variants.kernels) : [name];
    for (const k of kernelNames) {
      forwardKernels.set(k, kernel<ForwardKernel>(k));
      backwardKernels.set(k, kernel<BackwardKernel>(`${k}Backward`));
      derivativeKernels.set(k, kernel<DerivativeKernel>(`${k}Derivative`));
    }
    const savedName = spec.saved === 'output' ? 'y' : 'x';
    const parse = optionParser(name);
    const fromInputKernels = new Map<string, BackwardKernel>();
    if (spec.saved === 'output') for (const k of kernelNames) fromInputKernels.set(k, kernel<BackwardKernel>(`${k}BackwardFromInput`));

    api[name] = (x: unknown, opts?: unknown) => {
      checkTensor('x', x, heap);
      const o = parse(name, opts);
      if (o.out !== undefined) {
        checkTensor('out', o.out, heap);
        checkSameLength('out', o.out, x.length, 'x');
        checkOverlap('out', o.out, 'x', x, heap);
      }
      const f = forwardKernels.get(o.kernel)!;
      return unary(f, x, o.out, o.a, o.b);
    };

    // (dy, saved) -> dx; `fn` names the method in errors, `kernels` picks the export.
    const backward = (fn: string, savedAs: string, kernels: Map<string, BackwardKernel>) => (dy: unknown, saved: unknown, opts?: unknown) => {
      checkTensor('dy', dy, heap);
      checkTensor(savedAs, saved, heap);
      checkSameLength(savedAs, saved, dy.length, 'dy');
      const o = parse(fn, opts);
      if (o.out !== undefined) {
        checkTensor('out', o.out, heap);
        checkSameLength('out', o.out, dy.length, 'dy');
        checkOverlap('out', o.out, 'dy', dy, heap);
        checkOverlap('out', o.out, savedAs, saved, heap);
      }
      return binary(kernels.get(o.kernel)!, dy, saved, o.out, o.a, o.b);
    };
    api[`${name}Backward`] = backward(`${name}Backward`, savedName, backwardKernels);
    if (spec.saved === 'output') api[`${name}BackwardFromInput`] = backward(`${name}BackwardFromInput`, 'x', fromInputKernels);

    api[`${name}Derivative`] = (saved: unknown, opts?: unknown) => {
      checkTensor(savedName, saved, heap);
      const o = parse(`${name}Derivative`, opts);
      if (o.out !== undefined) {
        checkTensor('out', o.out, heap);
        checkSameLength('out', o.out, saved.length, savedName);
        checkOverlap('out', o.out, savedName, saved, heap);
      }
      const f = derivativeKernels.get(o.kernel)!;
      return unary(f, saved, o.out, o.a, o.b);
    };
  }

  function parseRows(fn: string, x: Tensor, opts: unknown): { cols: number; rows: number; out?: Tensor } {
    checkOptions(fn, opts, ['cols', 'out']);
    const cols = opts?.cols === undefined ? Math.max(x.length, 1) : checkCols('cols', opts.cols, x.length);
    return { cols, rows: x.length / cols, out: opts?.out as Tensor | undefined };
  }

  for (const name of ROWWISE_NAMES) {
    const forward = kernel<RowKernel>(name);
    const backward = kernel<RowBackwardKernel>(`${name}Backward`);
    api[name] = (x: unknown, opts?: unknown) => {
      checkTensor('x', x, heap);
      const o = parseRows(name, x, opts);
      if (o.out !== undefined) {
        checkTensor('out', o.out, heap);
        checkSameLength('out', o.out, x.length, 'x');
        checkOverlap('out', o.out, 'x', x, heap);
      }
      return unary((p, q, _n, rows, cols) => forward(p, q, rows, cols), x, o.out, o.rows, o.cols);
    };
    api[`${name}Backward`] = (dy: unknown, y: unknown, opts?: unknown) => {
      checkTensor('dy', dy, heap);
      checkTensor('y', y, heap);
      checkSameLength('y', y, dy.length, 'dy');
      const o = parseRows(`${name}Backward`, dy, opts);
      if (o.out !== undefined) {
        checkTensor('out', o.out, heap);
        checkSameLength('out', o.out, dy.length, 'dy');
        checkOverlap('out', o.out, 'dy', dy, heap);
        checkOverlap('out', o.out, 'y', y, heap);
      }
      return binary((p, q, r, _n, rows, cols) => backward(p, q, r, rows, cols), dy, y, o.out, o.rows, o.cols);
    };
  }

  const jacobian = kernel<RowKernel>('softmaxJacobian');
  api.softmaxJacobian = (y: unknown, opts?: unknown) => {
    checkTensor('y', y, heap);
    const o = parseRows('softmaxJacobian', y, opts);
    const length = o.rows * o.cols * o.cols;
    if (length > 2 ** 30) throw new RangeError(`cols: the Jacobian would hold ${length} values, expected at most 2^30`);
    if (o.out !== undefined) {
      checkTensor('out', o.out, heap);
      if (o.out.length !== length) {
        throw new RangeError(`out: expected length ${length} (rows x cols x cols), got length ${o.out.length}`);
      }
      checkOverlap('out', o.out, 'y', y, heap);
    }
    return execute([y], [{ length, out: o.out }], [], ([py], [pj]) => jacobian(py!, pj!, o.rows, o.cols)).results[0]!;
  };

  Object.assign(api, createDenseApi(ctx));
  return Object.freeze(api) as unknown as Activations;
}
