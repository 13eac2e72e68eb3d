// Dense layers and losses (src/dense.ts, assembly/kernels/dense.ts): gradients against float64
// finite differences for every output activation and a range of shapes in the simd and scalar
// builds (the relaxed build in test/dense-relaxed.test.ts), bit-identity of simd and scalar,
// forward results, resident buffers and `out`, and argument errors.
import { beforeAll, describe, expect, it } from 'vitest';
import { init, F32Buffer, type Activations } from '../dist/index.js';
import {
  OUTPUT_ACTIVATIONS, SHAPES, checkChained, checkCrossEntropy, checkOutputLayer, randomArray, rng,
} from './dense-gradcheck.mjs';

const BACKENDS = ['simd', 'scalar'] as const;
const acts: Partial<Record<(typeof BACKENDS)[number], Activations>> = {};

beforeAll(async () => {
  for (const b of BACKENDS) acts[b] = await init({ backend: b });
});

function matmul64(a: ArrayLike<number>, b: ArrayLike<number>, m: number, k: number, n: number, bias?: ArrayLike<number>): Float64Array {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = bias ? bias[j]! : 0;
      for (let q = 0; q < k; q++) s += a[i * k + q]! * b[q * n + j]!;
      c[i * n + j] = s;
    }
  }
  return c;
}

function maxRelErr(got: ArrayLike<number>, want: ArrayLike<number>, scale: ArrayLike<number>): number {
  let w = 0;
  for (let i = 0; i < want.length; i++) w = Math.max(w, Math.abs(got[i]! - want[i]!) / scale[i]!);
  return w;
}

// |a| . |b|: the size of each product element, for relative bounds on float32 dot products.
function absProduct(a: ArrayLike<number>, b: ArrayLike<number>, m: number, k: number, n: number): Float64Array {
  return matmul64(Array.from(a, Math.abs), Array.from(b, Math.abs), m, k, n).map((v) => v + 1e-30);
}

function bitsEqual(a: Float32Array, b: Float32Array): boolean {
  if (a.length !== b.length) return false;
  const ua = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const ub = new Uint32Array(b.buffer, b.byteOffset, b.length);
  return ua.every((v, i) => v === ub[i]);
}

for (const backend of BACKENDS) {
  describe(`dense layers, ${backend} build`, () => {
    describe('outputLayerGradient against float64 finite differences', () => {
      OUTPUT_ACTIVATIONS.forEach((activation, a) => {
        it(`${activation[0]}: loss, y, delta, dW, db, dx for every shape`, () => {
          for (const shape of SHAPES) {
            const { ratios } = checkOutputLayer(acts[backend]!, shape, activation, 1000 + a * 31 + shape[0] * 7 + shape[1]);
            for (const [name, ratio] of Object.entries(ratios)) {
              expect(ratio, `${name}, shape ${shape.join('x')} (ratio to the tolerance)`).toBeLessThanOrEqual(1);
            }
          }
        });
      });
    });

    it('chains through a hidden tanh layer (dense, outputLayerGradient, tanhBackward, denseBackward)', () => {
      for (const [i, shape] of [[1, 3, 5, 1], [6, 5, 7, 3], [9, 4, 16, 3]].entries()) {
        const { ratios } = checkChained(acts[backend]!, shape as [number, number, number, number], 77 + i);
        expect(ratios.dW1, `dW1 ${shape.join('x')}`).toBeLessThanOrEqual(1);
        expect(ratios.db1, `db1 ${shape.join('x')}`).toBeLessThanOrEqual(1);
      }
    });

    describe('softmaxCrossEntropy against float64 finite differences', () => {
      const rand = rng(5);
      const oneHot = (rows: number, cols: number): Float32Array => {
        const t = new Float32Array(rows * cols);
        for (let r = 0; r < rows; r++) t[r * cols + Math.floor(rand() * cols)] = 1;
        return t;
      };
      for (const [rows, cols] of [[1, 1], [1, 3], [4, 3], [3, 10], [2, 37]] as const) {
        for (const reduction of ['sum', 'mean'] as const) {
          it(`one-hot targets, ${rows}x${cols}, ${reduction}`, () => {
            const { ratios } = checkCrossEntropy(acts[backend]!, randomArray(rand, rows * cols, 4), oneHot(rows, cols), cols, reduction);
            expect(ratios.loss).toBeLessThanOrEqual(1);
            expect(ratios.grad).toBeLessThanOrEqual(1);
          });
        }
      }
      it('soft and unnormalised targets (gradient softmax * sum(t) - t)', () => {
        const l = randomArray(rand, 24, 3);
        const soft = Float32Array.from({ length: 24 }, () => rand());
        const { ratios } = checkCrossEntropy(acts[backend]!, l, soft, 6, 'sum');
        expect(ratios.loss).toBeLessThanOrEqual(1);
        expect(ratios.grad).toBeLessThanOrEqual(1);
      });
      it('stays finite and exact for extreme finite logits', () => {
        const l = Float32Array.from([3e38, -3e38, 0, 1000, 88.8, 89, -1e30, -1e30, -1e30, 1e-40, 0, -1e-40]);
        const t = Float32Array.from([0, 1, 0, 1, 0, 0, 0, 0, 1, 0, 1, 0]);
        const r = acts[backend]!.softmaxCrossEntropy(l, t, { cols: 3 });
        // p = e * (sum(t) / s) rounded once, then p - t rounded once (float32).
        const THIRD = Math.fround(1 / 3);
        // Row losses: 6e38 (log-sum-exp minus the target logit), 0, log 3, log 3.
        expect(r.loss / (6e38 + 2 * Math.log(3)) - 1).toBeLessThan(1e-6);
        expect(Array.from(r.grad)).toEqual(
          ([1, -1, 0, 0, 0, 0, THIRD, THIRD, THIRD - 1, THIRD, THIRD - 1, THIRD].map(Math.fround)),
        );
        // Finite differences where a step can resolve the function (not across 10^30 of logit).
        for (const row of [1, 3]) {
          const { ratios } = checkCrossEntropy(acts[backend]!, l.subarray(3 * row, 3 * row + 3), t.subarray(3 * row, 3 * row + 3), 3, 'mean');
          expect(ratios.grad).toBeLessThanOrEqual(1);
          expect(ratios.loss).toBeLessThanOrEqual(1);
        }
      });
    });

    it('dense: g(x.W + b) and x.W + b, equal to the elementwise call on z bit for bit', () => {
      const act = acts[backend]!;
      const rand = rng(11);
      for (const [batch, inputs, outputs] of [[1, 1, 1], [5, 3, 7], [13, 300, 21]]) {
        const x = randomArray(rand, batch * inputs);
        const w = randomArray(rand, inputs * outputs);
        const bias = randomArray(rand, outputs);
        const z = act.dense(x, w, { batch, inputs, outputs, bias });
        const want = matmul64(x, w, batch, inputs, outputs, bias);
        const size = absProduct(x, w, batch, inputs, outputs).map((v, i) => v + Math.abs(bias[i % outputs]!));
        // Float32 sums of n terms: within (n + 1) 2^-24 of the sum of |terms| (Higham 2002, 3.1).
        expect(maxRelErr(z, want, size)).toBeLessThanOrEqual((inputs + 1) * 2 ** -24);
        const y = act.dense(x, w, { batch, inputs, outputs, bias, activation: 'leakyRelu', alpha: 0.3 });
        expect(bitsEqual(y, act.leakyRelu(z, { alpha: 0.3 }))).toBe(true);
        const gt = act.dense(x, w, { batch, inputs, outputs, bias, activation: 'gelu', approximate: 'tanh' });
        expect(bitsEqual(gt, act.gelu(z, { approximate: 'tanh' }))).toBe(true);
        const noBias = act.dense(x, w, { batch, inputs, outputs });
        const want0 = matmul64(x, w, batch, inputs, outputs);
        expect(maxRelErr(noBias, want0, absProduct(x, w, batch, inputs, outputs))).toBeLessThanOrEqual((inputs + 1) * 2 ** -24);
      }
    });

    it('denseBackward: x^T.delta, column sums, delta.W^T', () => {
      const act = acts[backend]!;
      const rand = rng(12);
      for (const [batch, inputs, outputs] of [[1, 1, 1], [3, 10, 6], [270, 5, 9], [4, 290, 2]]) {
        const x = randomArray(rand, batch * inputs);
        const w = randomArray(rand, inputs * outputs);
        const delta = randomArray(rand, batch * outputs);
        const g = act.denseBackward({ x, w, delta, batch, inputs, outputs });
        const xT = new Float64Array(inputs * batch);
        for (let b = 0; b < batch; b++) for (let j = 0; j < inputs; j++) xT[j * batch + b] = x[b * inputs + j]!;
        const wT = new Float64Array(outputs * inputs);
        for (let j = 0; j < inputs; j++) for (let k = 0; k < outputs; k++) wT[k * inputs + j] = w[j * outputs + k]!;
        const ones = new Float64Array(batch).fill(1);
        const bound = (n: number): number => (n + 1) * 2 ** -24;
        expect(maxRelErr(g.dW, matmul64(xT, delta, inputs, batch, outputs), absProduct(xT, delta, inputs, batch, outputs))).toBeLessThanOrEqual(bound(batch));
        expect(maxRelErr(g.db, matmul64(ones, delta, 1, batch, outputs), absProduct(ones, delta, 1, batch, outputs))).toBeLessThanOrEqual(bound(batch));
        expect(maxRelErr(g.dx, matmul64(delta, wT, batch, outputs, inputs), absProduct(delta, wT, batch, outputs, inputs))).toBeLessThanOrEqual(bound(outputs));
      }
    });

    it('squaredError: 1/2 sum (y - t)^2 in float64, mean over rows, equal to outputLayerGradient.loss', () => {
      const act = acts[backend]!;
      const rand = rng(13);
      const y = randomArray(rand, 30);
      const t = randomArray(rand, 30);
      let want = 0;
      for (let i = 0; i < 30; i++) want += 0.5 * (y[i]! - t[i]!) ** 2;
      expect(act.squaredError(y, t)).toBe(want);
      expect(act.squaredError(y, t, { reduction: 'mean', cols: 3 })).toBe(want / 10);
      expect(act.squaredError(y, t, { reduction: 'sum', cols: 5 })).toBe(want);
      const x = randomArray(rand, 12);
      const w = randomArray(rand, 9);
      const t2 = randomArray(rand, 12);
      const r = act.outputLayerGradient({ x, w, t: t2, batch: 4, inputs: 3, outputs: 3, activation: 'silu' });
      expect(act.squaredError(r.y, t2)).toBe(r.loss);
    });

    it('resident buffers in, buffers out; `out` receives the results; nothing leaks', () => {
      const act = acts[backend]!;
      const rand = rng(14);
      const [batch, inputs, outputs] = [6, 5, 3];
      const xs = randomArray(rand, batch * inputs);
      const ws = randomArray(rand, inputs * outputs);
      const ts = randomArray(rand, batch * outputs);
      const before = act.memory().liveBuffers;
      const plain = act.outputLayerGradient({ x: xs, w: ws, t: ts, batch, inputs, outputs, activation: 'tanh' });
      expect(act.memory().liveBuffers).toBe(before);
      const x = act.from(xs);
      const w = act.from(ws);
      const t = act.from(ts);
      const res = act.outputLayerGradient({ x, w, t, batch, inputs, outputs, activation: 'tanh' });
      for (const key of ['y', 'delta', 'dW', 'db', 'dx'] as const) {
        expect(res[key]).toBeInstanceOf(F32Buffer);
        expect(bitsEqual(res[key].array, plain[key])).toBe(true);
        res[key].free();
      }
      expect(res.loss).toBe(plain.loss);
      const dW = new Float32Array(inputs * outputs);
      const dx = act.alloc(batch * inputs);
      const partial = act.outputLayerGradient({ x: xs, w: ws, t: ts, batch, inputs, outputs, activation: 'tanh', out: { dW, dx } as never });
      expect(partial.dW).toBe(dW);
      expect(partial.dx).toBe(dx);
      expect(bitsEqual(dW, plain.dW)).toBe(true);
      expect(bitsEqual(dx.array, plain.dx)).toBe(true);
      const z = act.alloc(batch * outputs);
      expect(act.dense(x, w, { batch, inputs, outputs, out: z })).toBe(z);
      const ce = act.softmaxCrossEntropy(z, t, { cols: 3 });
      expect(ce.grad).toBeInstanceOf(F32Buffer);
      for (const b of [x, w, t, dx, z, ce.grad]) b.free();
      expect(act.memory().liveBuffers).toBe(before);
    });

    it('argument errors name the argument, the expectation and what came, and write nothing', () => {
      const act = acts[backend]!;
      const x = new Float32Array(6);
      const w = new Float32Array(6);
      const out = new Float32Array(4).fill(7);
      const shape = { batch: 2, inputs: 3, outputs: 2 };
      expect(() => act.dense([1, 2] as never, w, shape)).toThrow(new TypeError('x: expected a Float32Array or an F32Buffer, got an Array of length 2'));
      expect(() => act.dense(x, new Float32Array(5), { ...shape, out })).toThrow(new RangeError('w: expected length 6 (inputs x outputs), got length 5'));
      expect(Array.from(out)).toEqual([7, 7, 7, 7]);
      expect(() => act.dense(x, w, { ...shape, batch: 2.5 })).toThrow(new RangeError('batch: expected an integer from 1 to 2^30, got 2.5'));
      expect(() => act.dense(x, w, { ...shape, activation: 'swish' } as never)).toThrow(RangeError);
      expect(() => act.dense(x, w, { ...shape, activation: 'relu', alpha: 1 } as never)).toThrow(new TypeError('dense: unknown option "alpha"; expected one of "batch", "inputs", "outputs", "bias", "activation", "out"'));
      expect(() => act.dense(x, w, { ...shape, activation: 'leakyRelu', alpha: NaN })).toThrow(new RangeError('alpha: expected a finite number, got NaN'));
      expect(() => act.dense(x, w, { ...shape, bias: new Float32Array(3) })).toThrow(new RangeError('bias: expected length 2 (outputs), got length 3'));
      const buf = act.alloc(8);
      buf.free();
      expect(() => act.dense(buf, w, shape)).toThrow(new TypeError('x: expected a live F32Buffer, got one that was freed'));
      const xin = act.from(new Float32Array(6));
      // A view on wasm memory over xin itself: the product would overwrite its own input.
      expect(() => act.dense(xin, w, { ...shape, out: xin.array.subarray(0, 4) })).toThrow(
        new RangeError('out: expected memory apart from x (a matrix product cannot run in place), got a range that overlaps it'),
      );
      xin.free();
      expect(() => act.squaredError(x, new Float32Array(5))).toThrow(new RangeError('t: expected length 6 (the length of y), got length 5'));
      expect(() => act.squaredError(x, x, { reduction: 'mean' })).toThrow(new TypeError("cols: reduction 'mean' expected the values per row, got undefined"));
      expect(() => act.squaredError(x, x, { reduction: 'avg' as never })).toThrow(new RangeError("reduction: expected one of 'sum', 'mean', got the string \"avg\""));
      expect(() => act.outputLayerGradient({ x, w, t: new Float32Array(4), ...shape } as never)).toThrow(TypeError);
      const dW = new Float32Array(6).fill(3);
      expect(() => act.outputLayerGradient({ x, w, t: new Float32Array(3), ...shape, activation: 'sigmoid', out: { dW } })).toThrow(
        new RangeError('t: expected length 4 (batch x outputs), got length 3'),
      );
      expect(Array.from(dW)).toEqual([3, 3, 3, 3, 3, 3]);
      expect(() => act.outputLayerGradient({ x, w, t: new Float32Array(4), ...shape, activation: 'sigmoid', out: { dx: new Float32Array(5) } })).toThrow(
        new RangeError('out.dx: expected length 6 (the length of dx), got length 5'),
      );
      expect(() => act.denseBackward({ x, w, delta: new Float32Array(4), ...shape, out: { dW: x } })).toThrow(
        new RangeError('out.dW: expected memory apart from x (a matrix product cannot run in place), got a range that overlaps it'),
      );
      expect(() => act.softmaxCrossEntropy(x, x, { cols: 4 })).toThrow(new RangeError('cols: expected a divisor of the length of logits (6 = rows x cols), got 4'));
    });
  });
}

describe('the fused output pass is the library\'s elementwise code; simd and scalar agree bit for bit', () => {
  it('y and delta equal act.NAME(z) and act.NAMEBackward(y - t, saved) in each build', () => {
    for (const backend of BACKENDS) {
      const act = acts[backend]!;
      OUTPUT_ACTIVATIONS.forEach(([label, options, kernel], a) => {
        const [batch, inputs, outputs] = [7, 9, 17];
        const rand = rng(900 + a);
        const x = randomArray(rand, batch * inputs);
        const w = randomArray(rand, inputs * outputs, 0.5);
        const bias = randomArray(rand, outputs, 0.5);
        const t = randomArray(rand, batch * outputs);
        const r = act.outputLayerGradient({ x, w, t, bias, batch, inputs, outputs, ...options } as never);
        const z = act.dense(x, w, { batch, inputs, outputs, bias });
        const { activation: name, ...params } = options as { activation: string };
        const fns = act as unknown as Record<string, (...args: unknown[]) => Float32Array>;
        const y = fns[name]!(z, params);
        const dy = y.map((v, i) => v - t[i]!);
        const saved = kernel === 'sigmoid' || kernel === 'tanh' ? y : z;
        expect(bitsEqual(r.y, y), `${backend} ${label} y`).toBe(true);
        expect(bitsEqual(r.delta, fns[`${name}Backward`]!(dy, saved, params)), `${backend} ${label} delta`).toBe(true);
      });
    }
  });

  it('dense, denseBackward and softmaxCrossEntropy', () => {
    const rand = rng(4);
    for (const [batch, inputs, outputs] of SHAPES) {
      const x = randomArray(rand, batch * inputs);
      const w = randomArray(rand, inputs * outputs);
      const bias = randomArray(rand, outputs);
      const delta = randomArray(rand, batch * outputs);
      const shape = { batch, inputs, outputs };
      expect(bitsEqual(acts.simd!.dense(x, w, { ...shape, bias }), acts.scalar!.dense(x, w, { ...shape, bias }))).toBe(true);
      const s = acts.simd!.denseBackward({ x, w, delta, ...shape });
      const c = acts.scalar!.denseBackward({ x, w, delta, ...shape });
      for (const key of ['dW', 'db', 'dx'] as const) expect(bitsEqual(s[key], c[key]), `${shape} ${key}`).toBe(true);
    }
    const l = randomArray(rand, 7 * 13, 20);
    const t = Float32Array.from({ length: 7 * 13 }, () => rand());
    const s = acts.simd!.softmaxCrossEntropy(l, t, { cols: 13, reduction: 'mean' });
    const c = acts.scalar!.softmaxCrossEntropy(l, t, { cols: 13, reduction: 'mean' });
    expect(bitsEqual(s.grad, c.grad)).toBe(true);
    expect(s.loss).toBe(c.loss);
  });

  // The whole output-layer step: the fused pass, the three products and the loss.
  it('outputLayerGradient for every activation and shape', () => {
    OUTPUT_ACTIVATIONS.forEach((activation, a) => {
      for (const shape of SHAPES) {
        const seed = 500 + a * 13 + shape[1];
        const s = checkOutputLayer(acts.simd!, shape, activation, seed).result;
        const c = checkOutputLayer(acts.scalar!, shape, activation, seed).result;
        for (const key of ['y', 'delta', 'dW', 'db', 'dx'] as const) {
          expect(bitsEqual(s[key], c[key]), `${activation[0]} ${shape.join('x')} ${key}`).toBe(true);
        }
        expect(s.loss).toBe(c.loss);
      }
    });
  });
});
