// Dense layers and losses: the typed API over assembly/kernels/dense.ts. A dense layer computes
// z = x.W + b for a batch (x [batch x inputs], W [inputs x outputs], row j column k holding w_jk,
// b [outputs]) and y = g(z); its backward pass gives dW = x^T.delta, db = column sums of delta and
// dx = delta.W^T. outputLayerGradient is backpropagation's output-layer step (the delta rule) for a whole batch:
// E = 1/2 sum (g(z) - t)^2 and delta = (g(z) - t) * g'(z) in one fused pass, then the three products.
//
// Conventions as in api.ts: plain Float32Array or F32Buffer inputs, results of the kind of the
// first input unless `out` is given, TypeError/RangeError naming the argument, every check before
// anything is written. Unlike the elementwise calls, a matrix product cannot run in place, so an
// `out` must lie apart from every input (and from the other outputs): the calls below go through
// ctx.execute, which stages inputs and outputs in separate areas, rather than ctx.unary/binary,
// which compute in place in the first input's staging area.

import type { ElementwiseOptions } from './api.js';
import type { Context } from './context.js';
import type { ForwardKernel, MatmulKernel, Splitter } from './threads/split.js';
import { checkActivationName, optionsOf, type ResolvedActivation } from './activation-options.js';
import { ELEMENTWISE_NAMES, type ElementwiseName } from './table.js';
import {
  checkChoice, checkCols, checkInteger, checkKeys, checkLength, checkOptions, checkOut, checkTensor, MAX_LENGTH, snapshot,
  type OverlapRule, type Tensor,
} from './validate.js';

/** The layer's shape: x is [batch x inputs], W [inputs x outputs], z and y [batch x outputs]. */
export interface DenseShape {
  batch: number;
  inputs: number;
  outputs: number;
}

/**
 * An activation by name (any elementwise activation of the library) with its parameters beside
 * it, as its own call takes them: `{ activation: 'leakyRelu', alpha: 0.2 }`,
 * `{ activation: 'gelu', approximate: 'tanh' }`, `{ activation: 'softplus', beta: 2 }`.
 */
export type ActivationChoice = {
  [N in ElementwiseName]: { activation: N } & ElementwiseOptions<N>;
}[ElementwiseName];

/** Options of act.dense: the shape, an optional bias and activation (z = x.W + b without one). */
export type DenseOptions<O extends Tensor> = DenseShape & { bias?: Tensor; out?: O } & (ActivationChoice | { activation?: undefined });

export type Reduction = 'sum' | 'mean';

export interface SquaredErrorOptions {
  /** 'sum' (default): E = 1/2 sum (y - t)^2, summed over the batch and the outputs; 'mean': E / rows. */
  reduction?: Reduction;
  /** Values per row (sample); required with reduction 'mean', where rows = length / cols. */
  cols?: number;
}

export interface SoftmaxCrossEntropyOptions<O extends Tensor> {
  /** Classes per row (default: one row). */
  cols?: number;
  /** 'sum' (default) of the row losses, or their 'mean'; the gradient is of that loss. */
  reduction?: Reduction;
  /** Where the gradient goes. */
  out?: O;
}

export interface SoftmaxCrossEntropyResult<T extends Tensor> {
  loss: number;
  /** d loss / d logits: softmax(logits) - targets per row (times 1/rows for 'mean'). */
  grad: T;
}

export interface DenseGradients<T extends Tensor> {
  /** dE/dW = x^T . delta, [inputs x outputs]. */
  dW: T;
  /** dE/db = column sums of delta, [outputs]. */
  db: T;
  /** dE/dx = delta . W^T, [batch x inputs]: the next delta back, before the hidden activation. */
  dx: T;
}

export type DenseBackwardArgs<T extends Tensor> = DenseShape & {
  x: T;
  w: Tensor;
  /** dE/dz of this layer, [batch x outputs]. */
  delta: Tensor;
  out?: Partial<DenseGradients<T>>;
};

export interface OutputLayerResult<T extends Tensor> extends DenseGradients<T> {
  /** E = 1/2 sum over the batch and the outputs of (y - t)^2, in float64. */
  loss: number;
  /** g(x.W + b), [batch x outputs]. */
  y: T;
  /** (y - t) * g'(z), [batch x outputs]: dE/dz. */
  delta: T;
}

export type OutputLayerArgs<T extends Tensor> = DenseShape &
  ActivationChoice & {
    x: T;
    w: Tensor;
    /** Targets, [batch x outputs]. */
    t: Tensor;
    bias?: Tensor;
    out?: Partial<Omit<OutputLayerResult<T>, 'loss'>>;
  };

export interface DenseMethods {
  /** g(x.W + bias), or x.W + bias without an activation; [batch x outputs]. */
  dense<T extends Tensor>(x: T, w: Tensor, opts: DenseOptions<T> & { out?: undefined }): T;
  dense<O extends Tensor>(x: Tensor, w: Tensor, opts: DenseOptions<O> & { out: O }): O;
  /** 1/2 sum (y - t)^2 (or its mean over rows), in float64. */
  squaredError(y: Tensor, t: Tensor, opts?: SquaredErrorOptions): number;
  /** The output layer's forward pass, squared error and every gradient, in one call. */
  outputLayerGradient<T extends Tensor>(args: OutputLayerArgs<T>): OutputLayerResult<T>;
  /** A dense layer's backward pass from its delta = dE/dz. */
  denseBackward<T extends Tensor>(args: DenseBackwardArgs<T>): DenseGradients<T>;
  /** Softmax cross-entropy of logits against target distributions, and its gradient, per row. */
  softmaxCrossEntropy<T extends Tensor>(logits: T, targets: Tensor, opts?: SoftmaxCrossEntropyOptions<T> & { out?: undefined }): SoftmaxCrossEntropyResult<T>;
  softmaxCrossEntropy<O extends Tensor>(logits: Tensor, targets: Tensor, opts: SoftmaxCrossEntropyOptions<O> & { out: O }): SoftmaxCrossEntropyResult<O>;
}

type Transpose = (src: number, dst: number, rows: number, cols: number) => void;
type ColumnSums = (p: number, rows: number, cols: number, out: number) => void;
type DeltaKernel = (z: number, t: number, y: number, delta: number, n: number, a: number, b: number) => number;
type LossKernel = (y: number, t: number, n: number) => number;
type CrossEntropyKernel = (l: number, t: number, g: number, rows: number, cols: number, scale: number) => number;

const SHAPE_KEYS = ['batch', 'inputs', 'outputs'] as const;
const REDUCTIONS = ['sum', 'mean'] as const;

// Why each call refuses an out that meets an input (they read inputs after writing has begun).
const PRODUCT: OverlapRule = { inPlace: 'refused', reason: 'a matrix product cannot run in place' };
const CROSS_ENTROPY: OverlapRule = { inPlace: 'refused', reason: 'the gradient is written while the logits and targets are read' };

function checkShape(fn: string, args: Record<string, unknown>): DenseShape {
  const [batch, inputs, outputs] = SHAPE_KEYS.map((k) => {
    if (args[k] === undefined) throw new TypeError(`${k}: ${fn} expected a positive integer, got undefined`);
    return checkInteger(k, args[k], 1);
  }) as [number, number, number];
  for (const [a, b, names] of [[batch, inputs, 'batch, inputs'], [inputs, outputs, 'inputs, outputs'], [batch, outputs, 'batch, outputs']] as const) {
    if (a * b > MAX_LENGTH) throw new RangeError(`${names}: expected matrices of at most 2^30 values, got ${a} x ${b}`);
  }
  return { batch, inputs, outputs };
}

function checkReduction(value: unknown): Reduction {
  return value === undefined ? 'sum' : checkChoice('reduction', value, REDUCTIONS);
}

/** A 'mean' over no rows is NaN, as PyTorch's mean reduction of an empty batch is. */
function reduce(sum: number, rows: number, reduction: Reduction): number {
  return reduction === 'mean' ? sum / rows : sum;
}

/**
 * `split` runs the products on every thread of a pool (src/threads/split.ts); `forward` holds the
 * API's elementwise forward kernels by export name, already bound through it, for the activation
 * after a product.
 */
export function createDenseApi(ctx: Context, split: Splitter, forward: ReadonlyMap<string, ForwardKernel>): DenseMethods {
  const { heap, kernel, execute } = ctx;
  const matmul = split.matmul(kernel<MatmulKernel>('matmul'));
  const transpose = kernel<Transpose>('transpose');
  const columnSums = kernel<ColumnSums>('columnSums');
  const squaredErrorSum = kernel<LossKernel>('squaredErrorSum');
  const crossEntropy = kernel<CrossEntropyKernel>('softmaxCrossEntropy');
  const delta = new Map<string, DeltaKernel>();
  for (const name of ELEMENTWISE_NAMES) {
    for (const k of optionsOf(name).kernels) delta.set(k, kernel<DeltaKernel>(`${k}OutputDelta`));
  }

  /** The activation named in `opts` (undefined when none), with its kernel and parameters. */
  function parseActivation(fn: string, opts: Record<string, unknown>, base: readonly string[], required: 'required' | 'optional'): ResolvedActivation | undefined {
    if (opts.activation === undefined && required === 'optional') {
      checkKeys(fn, opts, base);
      return undefined;
    }
    const options = optionsOf(checkActivationName(opts.activation));
    checkKeys(fn, opts, [...base, ...options.names]);
    return options.resolve(opts);
  }

  function checkInput(name: string, value: unknown, length: number, what: string): asserts value is Tensor {
    checkTensor(name, value, heap);
    checkLength(name, value, length, what);
  }

  /** Validates the `out` object of a multi-result call: known keys, tensors of the right lengths. */
  function checkOuts(out: unknown, lengths: Record<string, number>, inputs: readonly (readonly [string, Tensor | undefined])[]): Record<string, Tensor | undefined> {
    if (out === undefined) return {};
    const given = checkOptions('out', out, Object.keys(lengths))!;
    const outs: Record<string, Tensor | undefined> = {};
    const seen: [string, Tensor][] = [];
    for (const key of Object.keys(lengths)) {
      const t = given[key];
      if (t === undefined) continue;
      const name = `out.${key}`;
      checkOut(name, t, lengths[key]!, `the length of ${key}`, [...inputs, ...seen], heap, PRODUCT);
      seen.push([name, t]);
      outs[key] = t;
    }
    return outs;
  }

  // Every call reads its options or arguments object once (snapshot) before checking anything.
  function dense(x: unknown, w: unknown, options: unknown): Tensor {
    const opts = snapshot('dense', options);
    checkTensor('x', x, heap);
    checkTensor('w', w, heap);
    const act = parseActivation('dense', opts, ['batch', 'inputs', 'outputs', 'bias', 'activation', 'out'], 'optional');
    const { batch, inputs, outputs } = checkShape('dense', opts);
    checkLength('x', x, batch * inputs, 'batch x inputs');
    checkLength('w', w, inputs * outputs, 'inputs x outputs');
    const bias = opts.bias;
    if (bias !== undefined) checkInput('bias', bias, outputs, 'outputs');
    const out = opts.out;
    if (out !== undefined) checkOut('out', out, batch * outputs, 'batch x outputs', [['x', x], ['w', w], ['bias', bias]], heap, PRODUCT);
    const ins = bias === undefined ? [x, w] : [x, w, bias];
    const { results } = execute(ins, [{ length: batch * outputs, out, name: 'out' }], [], ([px, pw, pb], [pz]) => {
      matmul(px!, inputs, 1, pw!, pb ?? 0, pb === undefined ? 0 : 1, pz!, batch, outputs, inputs);
      if (act) forward.get(act.kernel)!(pz!, pz!, batch * outputs, act.a, act.b);
    });
    return results[0]!;
  }

  function squaredError(y: unknown, t: unknown, options?: unknown): number {
    const opts = checkOptions('squaredError', options, ['reduction', 'cols']) ?? {};
    checkTensor('y', y, heap);
    checkTensor('t', t, heap);
    checkLength('t', t, y.length, 'the length of y');
    const reduction = checkReduction(opts.reduction);
    const n = y.length;
    let rows = 1;
    if (opts.cols !== undefined || reduction === 'mean') {
      const cols = opts.cols;
      if (cols === undefined) throw new TypeError("cols: reduction 'mean' expected the values per row, got undefined");
      rows = n / checkCols('cols', cols, n, 'y');
    }
    const { value } = execute([y, t], [], [], ([py, pt]) => squaredErrorSum(py!, pt!, n));
    return reduce(value, rows, reduction);
  }

  function denseBackward(argsIn: unknown): DenseGradients<Tensor> {
    const args = checkKeys('denseBackward', snapshot('denseBackward', argsIn), ['x', 'w', 'delta', 'batch', 'inputs', 'outputs', 'out']);
    const { x, w, delta: d } = args;
    checkTensor('x', x, heap);
    checkTensor('w', w, heap);
    checkTensor('delta', d, heap);
    const { batch, inputs, outputs } = checkShape('denseBackward', args);
    checkLength('x', x, batch * inputs, 'batch x inputs');
    checkLength('w', w, inputs * outputs, 'inputs x outputs');
    checkLength('delta', d, batch * outputs, 'batch x outputs');
    const outs = checkOuts(args.out, { dW: inputs * outputs, db: outputs, dx: batch * inputs }, [
      ['x', x], ['w', w], ['delta', d],
    ]);
    const { results } = execute(
      [x, w, d],
      [
        { length: inputs * outputs, out: outs.dW, name: 'out.dW' },
        { length: outputs, out: outs.db, name: 'out.db' },
        { length: batch * inputs, out: outs.dx, name: 'out.dx' },
      ],
      [outputs * inputs],
      ([px, pw, pd], [pdW, pdb, pdx], [pwT]) => backward(px!, pw!, pd!, pdW!, pdb!, pdx!, pwT!, batch, inputs, outputs),
    );
    const [dW, db, dx] = results as [Tensor, Tensor, Tensor];
    return { dW, db, dx };
  }

  // dW = x^T.delta, db = column sums of delta, dx = delta.W^T (W^T into scratch first, so that the
  // product's B operand is row-major).
  function backward(px: number, pw: number, pd: number, pdW: number, pdb: number, pdx: number, pwT: number, batch: number, inputs: number, outputs: number): void {
    matmul(px, 1, inputs, pd, 0, 0, pdW, inputs, outputs, batch);
    columnSums(pd, batch, outputs, pdb);
    transpose(pw, pwT, inputs, outputs);
    matmul(pd, outputs, 1, pwT, 0, 0, pdx, batch, inputs, outputs);
  }

  function outputLayerGradient(argsIn: unknown): OutputLayerResult<Tensor> {
    const args = snapshot('outputLayerGradient', argsIn);
    const act = parseActivation('outputLayerGradient', args, ['x', 'w', 't', 'bias', 'activation', 'batch', 'inputs', 'outputs', 'out'], 'required')!;
    const { x, w, t, bias } = args;
    checkTensor('x', x, heap);
    checkTensor('w', w, heap);
    checkTensor('t', t, heap);
    const { batch, inputs, outputs } = checkShape('outputLayerGradient', args);
    checkLength('x', x, batch * inputs, 'batch x inputs');
    checkLength('w', w, inputs * outputs, 'inputs x outputs');
    checkLength('t', t, batch * outputs, 'batch x outputs');
    if (bias !== undefined) checkInput('bias', bias, outputs, 'outputs');
    const n = batch * outputs;
    const outs = checkOuts(args.out, { y: n, delta: n, dW: inputs * outputs, db: outputs, dx: batch * inputs }, [
      ['x', x], ['w', w], ['t', t], ['bias', bias as Tensor | undefined],
    ]);
    const ins: Tensor[] = bias === undefined ? [x, w, t] : [x, w, t, bias];
    const { value: loss, results } = execute(
      ins,
      [
        { length: n, out: outs.y, name: 'out.y' },
        { length: n, out: outs.delta, name: 'out.delta' },
        { length: inputs * outputs, out: outs.dW, name: 'out.dW' },
        { length: outputs, out: outs.db, name: 'out.db' },
        { length: batch * inputs, out: outs.dx, name: 'out.dx' },
      ],
      [outputs * inputs],
      ([px, pw, pt, pb], [py, pdelta, pdW, pdb, pdx], [pwT]) => {
        // z = x.W + b into y's area; the fused pass then overwrites it with y = g(z) and writes delta.
        matmul(px!, inputs, 1, pw!, pb ?? 0, pb === undefined ? 0 : 1, py!, batch, outputs, inputs);
        const e = delta.get(act.kernel)!(py!, pt!, py!, pdelta!, n, act.a, act.b);
        backward(px!, pw!, pdelta!, pdW!, pdb!, pdx!, pwT!, batch, inputs, outputs);
        return e;
      },
    );
    const [y, d, dW, db, dx] = results as [Tensor, Tensor, Tensor, Tensor, Tensor];
    return { loss, y, delta: d, dW, db, dx };
  }

  function softmaxCrossEntropy(logits: unknown, targets: unknown, options?: unknown): SoftmaxCrossEntropyResult<Tensor> {
    const opts = checkOptions('softmaxCrossEntropy', options, ['cols', 'reduction', 'out']) ?? {};
    checkTensor('logits', logits, heap);
    checkTensor('targets', targets, heap);
    checkLength('targets', targets, logits.length, 'the length of logits');
    const reduction = checkReduction(opts.reduction);
    const cols = opts.cols === undefined ? Math.max(logits.length, 1) : checkCols('cols', opts.cols, logits.length, 'logits');
    const rows = logits.length / cols;
    const out = opts.out;
    if (out !== undefined) checkOut('out', out, logits.length, 'the length of logits', [['logits', logits], ['targets', targets]], heap, CROSS_ENTROPY);
    // The gradient of the mean carries 1/rows; with no rows there is no gradient to scale.
    const scale = reduction === 'mean' && rows > 0 ? 1 / rows : 1;
    const outputs = [{ length: logits.length, out: out as Tensor | undefined, name: 'out' }];
    const { value, results } = execute([logits, targets], outputs, [], ([pl, pt], [pg]) => crossEntropy(pl!, pt!, pg!, rows, cols, scale));
    return { loss: reduce(value, rows, reduction), grad: results[0]! };
  }

  // The generic signatures are checked at run time; the implementations work on Tensor.
  return { dense, squaredError, outputLayerGradient, denseBackward, softmaxCrossEntropy } as unknown as DenseMethods;
}
