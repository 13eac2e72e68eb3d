// The public API's contract: kinds of results, out and in place, lengths 0..40 and every 4-byte
// offset, position independence, resident buffers and memory, and every error path (typed, named,
// nothing written).
import { describe, expect, it } from 'vitest';
import { init, supportedBackends, F32Buffer, ELEMENTWISE, ELEMENTWISE_NAMES, type Activations } from '../dist/index.js';
import { loadBuild } from '../dist/loader.js';
import { normalSample } from './reference.mjs';

const act: Activations = await init({ backend: 'simd' });
const call = (name: string, ...args: unknown[]) => (act as unknown as Record<string, (...a: unknown[]) => unknown>)[name]!(...args);

describe('init', () => {
  it('picks the best build the engine supports and reports it', async () => {
    const best = await init();
    expect(best.backend).toBe(supportedBackends()[0]);
  });
  it('throws for an unknown or unsupported backend', async () => {
    await expect(init({ backend: 'avx512' as never })).rejects.toThrow(RangeError);
    await expect(init({ backend: 'avx512' as never })).rejects.toThrow(/backend: expected one of 'relaxed', 'simd', 'scalar', got the string "avx512"/);
  });
  it('takes the wasm as bytes or a compiled module, and needs backend for a single source', async () => {
    const { readFile } = await import('node:fs/promises');
    const bytes = await readFile(new URL('../build/scalar.wasm', import.meta.url));
    const fromBytes = await init({ backend: 'scalar', wasm: bytes });
    expect(fromBytes.backend).toBe('scalar');
    expect(Array.from(fromBytes.relu(new Float32Array([-1, 2])))).toEqual([0, 2]);
    const module = await WebAssembly.compile(bytes);
    expect((await init({ backend: 'scalar', wasm: module })).backend).toBe('scalar');
    await expect(init({ wasm: bytes })).rejects.toThrow(/wasm: a single module source needs `backend`/);
    await expect(init({ backend: 'simd', wasm: new Uint8Array([0, 1, 2]) })).rejects.toThrow(/could not load the simd build/);
  });
  it('rejects a bad maxMemoryMB', async () => {
    await expect(init({ maxMemoryMB: -1 })).rejects.toThrow(RangeError);
  });
});

describe('results, out and in place', () => {
  const x = new Float32Array([-2, -0.5, 0, 0.5, 2, 7]);
  const expected = Array.from(act.sigmoid(x));

  it('returns a new array of the first input kind', () => {
    const y = act.sigmoid(x);
    expect(y).toBeInstanceOf(Float32Array);
    expect(y).not.toBe(x);
    const buf = act.from(x);
    const yb = act.sigmoid(buf);
    expect(yb).toBeInstanceOf(F32Buffer);
    expect(Array.from(yb.array)).toEqual(expected);
    buf.free();
    yb.free();
  });

  it('writes into out of either kind, and in place', () => {
    const out = new Float32Array(6);
    expect(act.sigmoid(x, { out })).toBe(out);
    expect(Array.from(out)).toEqual(expected);
    const outBuf = act.alloc(6);
    expect(act.sigmoid(x, { out: outBuf })).toBe(outBuf);
    expect(Array.from(outBuf.array)).toEqual(expected);
    const copy = x.slice();
    act.sigmoid(copy, { out: copy });
    expect(Array.from(copy)).toEqual(expected);
    const resident = act.from(x);
    act.sigmoid(resident, { out: resident });
    expect(Array.from(resident.array)).toEqual(expected);
    const dy = new Float32Array(6).fill(2);
    const y = act.sigmoid(x);
    act.sigmoidBackward(dy, y, { out: y });
    expect(Array.from(y)).toEqual(Array.from(act.sigmoidBackward(new Float32Array(6).fill(2), act.sigmoid(x))));
    outBuf.free();
    resident.free();
  });

  it('handles lengths 0 to 40 and every 4-byte offset, with results independent of position', () => {
    const data = normalSample(64, 5, 11);
    const single = Array.from(data, (v) => act.gelu(new Float32Array([v]))[0]);
    for (let n = 0; n <= 40; n++) {
      for (let offset = 0; offset < 4; offset++) {
        const view = data.subarray(offset, offset + n);
        const y = act.gelu(view);
        expect(y.length).toBe(n);
        for (let i = 0; i < n; i++) expect(y[i]).toBe(single[offset + i]);
      }
    }
  });

  it('runs the kernels at unaligned wasm addresses (byte offsets 4, 8, 12) with the same results', async () => {
    const ex = await loadBuild('simd');
    const base = Math.ceil(ex.heapBase() / 16) * 16;
    const mem = () => new Float32Array(ex.memory.buffer);
    const data = normalSample(23, 4, 12);
    const reference = act.silu(data);
    for (const shift of [4, 8, 12]) {
      const xp = base + shift;
      const yp = base + 256 + shift;
      mem().set(data, xp >> 2);
      (ex.silu as (x: number, y: number, n: number, a: number, b: number) => void)(xp, yp, data.length, 0, 0);
      expect(Array.from(mem().subarray(yp >> 2, (yp >> 2) + data.length))).toEqual(Array.from(reference));
    }
  });

  it('passes parameters and variants', () => {
    const v = new Float32Array([-2, 3]);
    expect(Array.from(act.leakyRelu(v, { alpha: 0.5 }))).toEqual([-1, 3]);
    expect(act.elu(v, { alpha: 2 })[0]).toBeCloseTo(2 * Math.expm1(-2), 6);
    expect(act.softplus(v, { beta: 2 })[1]).toBeCloseTo(Math.log1p(Math.exp(6)) / 2, 6);
    expect(act.gelu(v, { approximate: 'tanh' })[0]).not.toBe(act.gelu(v)[0]);
  });

  it('gives softmaxJacobian rows x cols x cols values', () => {
    expect(act.softmaxJacobian(new Float32Array(6), { cols: 3 }).length).toBe(18);
  });
});

describe('errors: typed, naming the argument, writing nothing', () => {
  const x = new Float32Array([1, 2, 3, 4]);
  const cases: Array<[string, () => unknown, ErrorConstructor, RegExp]> = [
    ['array instead of Float32Array', () => act.sigmoid([1, 2] as never), TypeError, /^x: expected a Float32Array or an F32Buffer, got an Array of length 2$/],
    ['Float64Array', () => act.tanh(new Float64Array(2) as never), TypeError, /^x: expected .* got a Float64Array of length 2$/],
    ['out of wrong length', () => act.relu(x, { out: new Float32Array(3) }), RangeError, /^out: expected length 4 \(the length of x\), got length 3$/],
    ['saved of wrong length', () => act.siluBackward(x, new Float32Array(5)), RangeError, /^x: expected length 4 \(the length of dy\), got length 5$/],
    ['dy not an array', () => act.tanhBackward(3 as never, x), TypeError, /^dy: expected .* got the number 3$/],
    ['input of wrong length, from the input', () => act.sigmoidBackwardFromInput(x, new Float32Array(5)), RangeError, /^x: expected length 4 \(the length of dy\), got length 5$/],
    ['unknown option, from the input', () => act.tanhBackwardFromInput(x, x, { cols: 2 } as never), TypeError, /^tanhBackwardFromInput: unknown option "cols"; expected one of "out"$/],
    ['unknown option', () => act.relu(x, { alhpa: 1 } as never), TypeError, /^relu: unknown option "alhpa"; expected one of "out"$/],
    ['non-numeric parameter', () => act.leakyRelu(x, { alpha: '0.1' as never }), TypeError, /^alpha: expected a number, got the string "0.1"$/],
    ['non-finite parameter', () => act.elu(x, { alpha: Infinity }), RangeError, /^alpha: expected a number that is finite in float32 \(magnitude below 3.4028235e38\), got Infinity$/],
    ['zero beta', () => act.softplus(x, { beta: 0 }), RangeError, /^beta: expected a number that is finite and non-zero in float32 \(magnitude from 1.4e-45 to 3.4028235e38\), got 0$/],
    ['bad variant', () => act.gelu(x, { approximate: 'fast' as never }), RangeError, /^approximate: expected one of 'none', 'tanh', got the string "fast"$/],
    ['cols not dividing', () => act.softmax(x, { cols: 3 }), RangeError, /^cols: expected a divisor of the length of x \(4 = rows x cols\), got 3$/],
    ['cols not integer', () => act.logSoftmax(x, { cols: 1.5 }), RangeError, /^cols: expected an integer from 1 to 2\^30, got 1.5$/],
    ['options not an object', () => act.relu(x, 3 as never), TypeError, /^relu: expected a plain options object, got the number 3$/],
    ['bad alloc length', () => act.alloc(-1), RangeError, /^n: expected an integer from 0 to 2\^30, got -1$/],
    ['partial overlap', () => {
      const big = new Float32Array(8);
      return act.relu(big.subarray(0, 4), { out: big.subarray(2, 6) });
    }, RangeError, /^out: expected either x itself \(in place\) or memory apart from it, got a range that partly overlaps x$/],
  ];
  for (const [what, fn, type, message] of cases) {
    it(what, () => {
      expect(fn).toThrow(type);
      expect(fn).toThrow(message);
    });
  }

  it('a freed buffer throws on use', () => {
    const buf = act.from([1, 2]);
    buf.free();
    expect(() => act.relu(buf)).toThrow(/^x: expected a live F32Buffer, got one that was freed$/);
    expect(() => buf.array).toThrow(TypeError);
    buf.free(); // freeing twice is harmless
  });

  it('a buffer from another instance is refused', async () => {
    const other = await init({ backend: 'scalar' });
    const buf = other.alloc(4);
    expect(() => act.relu(buf)).toThrow(/^x: expected an F32Buffer of this instance/);
  });

  it('nothing is written to out when a call throws', () => {
    const out = new Float32Array([9, 9, 9, 9]);
    expect(() => act.leakyRelu(x, { out, alpha: NaN })).toThrow(RangeError);
    expect(() => act.softmax(x, { out, cols: 3 })).toThrow(RangeError);
    expect(Array.from(out)).toEqual([9, 9, 9, 9]);
  });
});

describe('memory', () => {
  it('keeps live buffers intact and gives fresh views across growth', async () => {
    const a = await init({ backend: 'simd' });
    const keep = a.from(normalSample(1000, 1, 13));
    const before = Array.from(keep.array);
    const oldView = keep.array;
    const capacity = a.memory().capacityBytes;
    const big = a.alloc(4_000_000); // forces growth
    expect(a.memory().capacityBytes).toBeGreaterThan(capacity);
    expect(oldView.length).toBe(0); // detached by growth: why .array is a fresh view each time
    expect(Array.from(keep.array)).toEqual(before);
    expect(a.memory().liveBuffers).toBe(2);
    big.free();
    keep[Symbol.dispose]();
    expect(a.memory().liveBuffers).toBe(0);
    expect(a.memory().usedBytes).toBe(0);
  });

  it('enforces maxMemoryMB with a RangeError and stays usable', async () => {
    const a = await init({ backend: 'simd', maxMemoryMB: 4 });
    expect(() => a.alloc(2_000_000)).toThrow(RangeError);
    expect(() => a.alloc(2_000_000)).toThrow(/maxMemoryMB = 4 MiB/);
    const out = new Float32Array(2_000_000).fill(7);
    expect(() => a.sigmoid(new Float32Array(2_000_000), { out })).toThrow(RangeError);
    expect(out[0]).toBe(7);
    expect(Array.from(a.relu(new Float32Array([-1, 1])))).toEqual([0, 1]);
  });

  it('grows nothing over 10^5 repeated calls of the same size', async () => {
    const a = await init({ backend: 'simd' });
    const x = normalSample(256, 3, 14);
    const dy = normalSample(256, 1, 15);
    const out = new Float32Array(256);
    a.tanh(x, { out });
    a.tanhBackward(dy, out);
    const stats = a.memory();
    for (let i = 0; i < 100_000; i++) {
      a.tanh(x, { out });
      if (i % 10 === 0) a.tanhBackward(dy, out, { out });
    }
    expect(a.memory()).toEqual(stats);
  });

  it('frees buffers for reuse: the same allocation pattern does not grow', async () => {
    const a = await init({ backend: 'simd' });
    for (let i = 0; i < 3; i++) {
      const bufs = [a.alloc(10_000), a.alloc(3), a.alloc(50_000)];
      bufs.forEach((b) => b.free());
    }
    const used = a.memory();
    for (let i = 0; i < 1000; i++) {
      const bufs = [a.alloc(10_000), a.alloc(3), a.alloc(50_000)];
      bufs.reverse().forEach((b) => b.free());
    }
    expect(a.memory()).toEqual(used);
  });
});

it('exposes every table activation with its backward and derivative, and a backward from the input where the backward takes the output', () => {
  for (const name of ELEMENTWISE_NAMES) {
    for (const suffix of ['', 'Backward', 'Derivative']) expect(typeof call.length === 'number' && typeof (act as unknown as Record<string, unknown>)[name + suffix]).toBe('function');
    const fromInput = (act as unknown as Record<string, unknown>)[`${name}BackwardFromInput`];
    expect(typeof fromInput, name).toBe(ELEMENTWISE[name].saved === 'output' ? 'function' : 'undefined');
  }
});

it('computes sigmoid and tanh backward from the input where the saved output has rounded to +-1', () => {
  const x = new Float32Array([0, 2, -3, 20, -20, 40]);
  const dy = new Float32Array([1, 2, 3, 4, 5, 6]);
  const fromOutput = act.sigmoidBackward(dy, act.sigmoid(x));
  const fromInput = act.sigmoidBackwardFromInput(dy, x);
  for (let i = 0; i < x.length; i++) {
    const s = 1 / (1 + Math.exp(-x[i]!));
    const want = dy[i]! * s * (1 / (1 + Math.exp(x[i]!)));
    expect(Math.abs(fromInput[i]! - want) / want, `sigmoid' at ${x[i]}`).toBeLessThan(2 ** -21);
  }
  expect(fromOutput[3]).toBe(0); // sigmoid(20) rounds to 1: the slope from the output is lost
  expect(fromInput[3]).toBeGreaterThan(0);
  const t = act.tanhBackwardFromInput(dy, x, { out: new Float32Array(6) });
  expect(t[5]! / (6 * 4 * Math.exp(-80))).toBeCloseTo(1, 5); // 1 - tanh(40)^2 = 4e^-80 (1 + ...)
});
