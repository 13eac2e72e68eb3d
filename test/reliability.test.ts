// Regression tests for the silent failures an adversarial pass found: memory past 2 GiB, views
// on wasm memory that the call's own growth detaches, reused blocks handed out dirty, act.from
// on resident and unsupported data, float32 parameters that overflow, init's options, caps below
// the first byte, staging that kept memory from allocations, and the smaller points (messages,
// foreign modules, the mean of nothing). Each fails on the code before the fix.
import { describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { init, type Activations, type F32Buffer as F32 } from '../dist/index.js';
import { loadBuild } from '../dist/loader.js';
import { normalSample } from './reference.mjs';

const reference: Activations = await init({ backend: 'simd' });
const heapBase = Math.ceil((await loadBuild('simd')).heapBase() / 16) * 16;
const bits = (a: ArrayLike<number>) => Array.from(new Uint32Array(Float32Array.from(a).buffer));
/** Bit-for-bit equality of two large arrays, without building arrays of numbers. */
const sameBits = (a: Float32Array, b: Float32Array) => a.length === b.length && Buffer.compare(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), new Uint8Array(b.buffer, b.byteOffset, b.byteLength)) === 0;

/** A new instance whose memory is full to the last byte, so that any staging grows it. */
async function fullInstance(keep: number): Promise<{ act: Activations; keep: ReturnType<Activations['alloc']> }> {
  const act = await init({ backend: 'simd' });
  const kept = act.alloc(keep);
  const { capacityBytes, usedBytes } = act.memory();
  act.alloc((capacityBytes - heapBase - usedBytes) / 4);
  expect(act.memory().capacityBytes).toBe(capacityBytes);
  return { act, keep: kept };
}

describe('memory past 2 GiB', () => {
  it('gives the results of a small instance for buffers and staging above 2^31', async () => {
    const act = await init({ backend: 'simd', maxMemoryMB: 4096 });
    const pad = act.alloc(2 ** 29 + 1024); // 2 GiB and 4 KiB: everything after it lies above 2^31
    const data = normalSample(1000, 4, 31);
    const x = act.from(data);
    expect(x.array.byteOffset).toBeGreaterThan(2 ** 31);
    expect(bits(x.array)).toEqual(bits(data));
    expect(bits(act.sigmoid(x, { out: new Float32Array(1000) }))).toEqual(bits(reference.sigmoid(data)));
    const r = act.relu(x);
    expect(bits(r.array)).toEqual(bits(reference.relu(data)));
    expect(bits(act.gelu(data))).toEqual(bits(reference.gelu(data))); // staged above 2^31
    const s = act.softmax(x, { cols: 10 });
    expect(bits(s.array)).toEqual(bits(reference.softmax(data, { cols: 10 })));
    const dy = normalSample(1000, 1, 32);
    expect(bits(act.siluBackward(dy, x, { out: new Float32Array(1000) }))).toEqual(bits(reference.siluBackward(dy, data)));
    const copy = act.from(x);
    expect(bits(copy.array)).toEqual(bits(data));
    const w = normalSample(40, 1, 33);
    const shape = { batch: 25, inputs: 40, outputs: 1 };
    const z = act.dense(x, w, shape);
    expect(bits(z.array)).toEqual(bits(reference.dense(data, w, shape)));
    const zeros = act.alloc(100);
    expect(zeros.array.every((v) => v === 0)).toBe(true);
    for (const b of [pad, x, r, s, copy, z, zeros]) b.free();
    expect(act.memory()).toMatchObject({ liveBuffers: 0 });
  });

  it('accepts caps up to 4096 MiB, the 4 GiB that wasm32 addresses, and refuses more', async () => {
    await expect(init({ maxMemoryMB: 4097 })).rejects.toThrow(new RangeError('maxMemoryMB: expected a number above 0 and at most 4096, got 4097'));
  });
});

describe('a view detached by an earlier growth', () => {
  it('is refused as detached, naming the argument, in and out; an empty Float32Array is still fine', async () => {
    const { act, keep } = await fullInstance(100);
    const stale = keep.array;
    act.sigmoid(new Float32Array(1000)); // staging grows the memory: `stale` is detached
    expect(stale.length).toBe(0);
    const detached = /: expected a Float32Array with its memory, got a view whose buffer was detached \(wasm memory that grew, or a transferred buffer\)/;
    expect(() => act.sigmoid(stale)).toThrow(RangeError);
    expect(() => act.sigmoid(stale)).toThrow(new RegExp(`^x${detached.source}`));
    expect(() => act.sigmoid(new Float32Array(0), { out: stale })).toThrow(new RegExp(`^out${detached.source}`));
    expect(() => act.tanhBackward(new Float32Array(0), stale)).toThrow(new RegExp(`^y${detached.source}`));
    const transferred = new Float32Array(4);
    structuredClone(transferred.buffer, { transfer: [transferred.buffer] });
    expect(() => act.relu(transferred)).toThrow(new RegExp(`^x${detached.source}`));
    // act.from too, for a Float32Array and for any other typed array.
    expect(() => act.from(stale)).toThrow(new RegExp(`^data${detached.source}`));
    const other = new Int16Array(4);
    structuredClone(other.buffer, { transfer: [other.buffer] });
    expect(() => act.from(other)).toThrow(/^data: expected a typed array with its memory, got a view whose buffer was detached/);
    expect(act.from(new Int16Array(0)).length).toBe(0);
    expect(act.sigmoid(new Float32Array(0))).toHaveLength(0);
    expect(act.sigmoid(new Float32Array(new ArrayBuffer(0)))).toHaveLength(0);
  });
});

describe('a view on wasm memory as an argument of a call that grows memory', () => {
  const cases: Array<[string, (act: Activations, out: Float32Array) => unknown]> = [
    ['sigmoid, 4 elements', (act, out) => act.sigmoid(new Float32Array(4), { out: out.subarray(0, 4) })],
    ['sigmoid, 100 elements', (act, out) => act.sigmoid(new Float32Array(100), { out })],
    ['softmax', (act, out) => act.softmax(new Float32Array(100), { out, cols: 10 })],
    ['tanhBackward', (act, out) => act.tanhBackward(new Float32Array(100), new Float32Array(100), { out })],
    ['dense', (act, out) => act.dense(new Float32Array(200), new Float32Array(2), { batch: 100, inputs: 2, outputs: 1, out })],
  ];
  for (const [what, call] of cases) {
    it(`${what}: out is refused with a RangeError naming it, nothing written, and works again with a fresh view`, async () => {
      const { act, keep } = await fullInstance(100);
      keep.array.fill(5);
      expect(() => call(act, keep.array)).toThrow(RangeError);
      expect(Array.from(keep.array).every((v) => v === 5)).toBe(true);
      // Caught on a second full instance for the message (the first grew its memory above).
      const second = await fullInstance(100);
      expect(() => call(second.act, second.keep.array)).toThrow(/^out: expected a Float32Array that stays attached, got a view on this instance's wasm memory/);
      const view = keep.array;
      call(act, view);
      expect(view.length).toBe(100);
      expect(Array.from(view).some((v) => v !== 5)).toBe(true);
    });
  }

  it('x (or dy) as a view is read correctly although the growth detaches it', async () => {
    const data = normalSample(100, 3, 34);
    const dy = normalSample(100, 1, 35);
    for (const [fn, want] of [
      [(act: Activations, v: Float32Array) => act.sigmoid(v), reference.sigmoid(data)],
      [(act: Activations, v: Float32Array) => act.softmax(v, { cols: 10 }), reference.softmax(data, { cols: 10 })],
      [(act: Activations, v: Float32Array) => act.siluBackward(v, dy), reference.siluBackward(data, dy)],
      [(act: Activations, v: Float32Array) => act.siluBackward(dy, v), reference.siluBackward(dy, data)],
      [(act: Activations, v: Float32Array) => act.dense(v, dy.subarray(0, 10), { batch: 10, inputs: 10, outputs: 1 }), reference.dense(data, dy.subarray(0, 10), { batch: 10, inputs: 10, outputs: 1 })],
    ] as const) {
      const { act, keep } = await fullInstance(100);
      keep.array.set(data);
      const before = act.memory().capacityBytes;
      const y = fn(act, keep.array) as Float32Array;
      expect(act.memory().capacityBytes).toBeGreaterThan(before); // the call grew memory
      expect(bits(y)).toEqual(bits(want));
      expect(bits(keep.array)).toEqual(bits(data));
    }
  });

  it('act.from copies a view of its own memory across the growth it needs', async () => {
    const { act, keep } = await fullInstance(100);
    const data = normalSample(100, 2, 36);
    keep.array.set(data);
    const copy = act.from(keep.array);
    expect(bits(copy.array)).toEqual(bits(data));
  });
});

describe('alloc and from', () => {
  it('alloc zeroes a reused block', async () => {
    const act = await init({ backend: 'simd' });
    const first = act.alloc(1000);
    const after = act.alloc(10); // keeps the first block from going back to the top
    first.array.fill(7);
    first.free();
    const again = act.alloc(600);
    expect(again.array.every((v) => v === 0)).toBe(true);
    const rest = act.alloc(400);
    expect(rest.array.every((v) => v === 0)).toBe(true);
    after.free();
  });

  it('from copies an F32Buffer of this or another instance, into a buffer of its own', async () => {
    const act = await init({ backend: 'simd' });
    const data = normalSample(50, 1, 37);
    const a = act.from(data);
    const b = act.from(a);
    expect(bits(b.array)).toEqual(bits(data));
    b.array[0] = 99;
    expect(a.array[0]).toBe(data[0]);
    const c = reference.from(a);
    expect(bits(c.array)).toEqual(bits(data));
    c.free();
    a.free();
    expect(() => act.from(a)).toThrow(new TypeError('data: expected a Float32Array, an F32Buffer, a numeric typed array or an array of numbers, got a freed F32Buffer'));
  });

  it('from refuses what it cannot copy with a TypeError, and leaks nothing', async () => {
    const act = await init({ backend: 'simd' });
    const before = act.memory();
    expect(() => act.from(new BigInt64Array(2) as never)).toThrow(
      new TypeError('data: expected a Float32Array, an F32Buffer, a numeric typed array or an array of numbers, got a BigInt64Array of length 2'),
    );
    expect(() => act.from([1, '2', 3] as never)).toThrow(new TypeError('data[1]: expected a number, got the string "2"'));
    expect(() => act.from(new DataView(new ArrayBuffer(8)) as never)).toThrow(TypeError);
    expect(() => act.from(7 as never)).toThrow(TypeError);
    expect(act.memory()).toEqual(before);
    expect(Array.from(act.from(new Int32Array([1, -2, 3])).array)).toEqual([1, -2, 3]);
  });
});

describe('parameters used in float32 are checked in float32', () => {
  const x = new Float32Array([0, 1]);
  it.each([
    ['softplus beta overflowing', () => reference.softplus(x, { beta: 1e39 }), /^beta: expected a number that is finite and non-zero in float32/],
    ['softplus beta rounding to zero', () => reference.softplus(x, { beta: 1e-50 }), /^beta: expected a number that is finite and non-zero in float32 .*got 1e-50$/],
    ['softplus threshold', () => reference.softplus(x, { threshold: -1e39 }), /^threshold: expected a number that is finite in float32 \(magnitude below 3.4028235e38\), got -1e\+39$/],
    ['elu alpha', () => reference.elu(x, { alpha: 4e38 }), /^alpha: expected a number that is finite in float32/],
    ['elu alpha in a dense layer', () => reference.dense(x, x, { batch: 1, inputs: 2, outputs: 1, activation: 'elu', alpha: 4e38 }), /^alpha: expected a number that is finite in float32/],
  ])('%s', (_what, call, message) => {
    expect(call).toThrow(RangeError);
    expect(call).toThrow(message);
  });

  it('takes leakyRelu alpha in float64, where 1e39 is finite', () => {
    expect(Array.from(reference.leakyRelu(new Float32Array([-1, 1e-40]), { alpha: 1e39 }))).toEqual([-Infinity, Math.fround(1e-40)]);
    expect(reference.softplus(x, { beta: 1e-40 })[0]).toBe(Infinity); // subnormal beta: log(2)/beta overflows, as in float64
  });
});

describe('init checks its options like every other call', () => {
  it.each([
    ['an unknown option', { maxMemoryMb: 64 }, TypeError, 'init: unknown option "maxMemoryMb"; expected one of "backend", "wasm", "maxMemoryMB"'],
    ['maxMemoryMB of the wrong type', { maxMemoryMB: '64' }, TypeError, 'maxMemoryMB: expected a number, got the string "64"'],
    ['maxMemoryMB NaN', { maxMemoryMB: NaN }, RangeError, 'maxMemoryMB: expected a number above 0 and at most 4096, got NaN'],
    ['backend outside the set', { backend: 'SIMD' }, RangeError, "backend: expected one of 'relaxed', 'simd', 'scalar', got the string \"SIMD\""],
    ['backend of the wrong type', { backend: 2 }, TypeError, "backend: expected one of 'relaxed', 'simd', 'scalar', got the number 2"],
    ['wasm of the wrong type', { backend: 'simd', wasm: 3 }, TypeError, 'wasm: expected bytes, a URL, a Response or a WebAssembly.Module, or an object of them per build, got the number 3'],
    ['wasm with an unknown build', { wasm: { simd: new Uint8Array(8), avx: new Uint8Array(8) } }, TypeError, 'wasm: unknown option "avx"; expected one of "relaxed", "simd", "scalar"'],
    ['options not an object', 'simd', TypeError, 'init: expected a plain options object, got the string "simd"'],
  ])('%s', async (_what, options, type, message) => {
    const attempt = init(options as never);
    await expect(attempt).rejects.toThrow(type);
    await expect(init(options as never)).rejects.toThrow(message);
  });

  it('variant strings follow the same rule: RangeError for an unknown string, TypeError for another type', () => {
    const x = new Float32Array(2);
    expect(() => reference.gelu(x, { approximate: 'foo' as never })).toThrow(RangeError);
    expect(() => reference.gelu(x, { approximate: 3 as never })).toThrow(TypeError);
  });
});

describe('caps hold from the first byte', () => {
  it('refuses a cap below the initial memory', async () => {
    await expect(init({ maxMemoryMB: 0.001 })).rejects.toThrow(RangeError);
    await expect(init({ maxMemoryMB: 0.001 })).rejects.toThrow(/^maxMemoryMB: expected at least 0\.125 MiB, the \w+ build's initial linear memory, got 0\.001$/);
  });

  it('never lets capacity pass a cap that is not a whole number of pages', async () => {
    const act = await init({ backend: 'simd', maxMemoryMB: 1.01 });
    const cap = 1.01 * 2 ** 20;
    const held = [];
    for (;;) {
      try {
        held.push(act.alloc(10_000));
      } catch (error) {
        expect(error).toBeInstanceOf(RangeError);
        break;
      }
    }
    expect(act.memory().capacityBytes).toBeLessThanOrEqual(cap);
    expect(held.length).toBeGreaterThan(20);
  });
});

describe('staging never blocks an allocation', () => {
  it('gives idle staging back when alloc needs the room', async () => {
    const act = await init({ backend: 'simd', maxMemoryMB: 64 });
    const x = new Float32Array(10_000_000).fill(0.5);
    const y = act.sigmoid(x);
    expect(act.memory().usedBytes).toBeGreaterThanOrEqual(40_000_000);
    const big = act.alloc(7_000_000);
    expect(act.memory().liveBuffers).toBe(1);
    expect(act.memory().usedBytes).toBeLessThan(30_000_000);
    // The next plain call of the same size needs 40 MB of staging beside the 28 MB buffer: refused.
    expect(() => act.sigmoid(x)).toThrow(RangeError);
    big.free();
    expect(sameBits(act.sigmoid(x), y)).toBe(true);
  });

  it('a resident result may take staging back too; a call that fails after making one leaves none behind', async () => {
    const act = await init({ backend: 'simd', maxMemoryMB: 8 });
    act.relu(new Float32Array(1_000_000)); // 4 MB of staging
    const x = act.alloc(500_000); // 2 MB: fits beside the staging
    const filler = act.alloc(250_000); // 1 MB: fits too
    const y = act.relu(x); // 2 MB more: staging goes back
    expect(act.memory().liveBuffers).toBe(3);
    // dx is resident (2 MB, fits), the staging of the plain x (2 MB more) does not: refused, no dx left behind.
    expect(() => act.siluBackward(x, new Float32Array(500_000))).toThrow(RangeError);
    expect(act.memory().liveBuffers).toBe(3);
    for (const b of [x, filler, y]) b.free();
    expect(act.memory()).toMatchObject({ liveBuffers: 0, usedBytes: 0 });
  });
});

describe('smaller points', () => {
  it('names the reason of a refused overlap per call', () => {
    const logits = reference.from(new Float32Array(6));
    expect(() => reference.softmaxCrossEntropy(logits, new Float32Array(6), { out: logits, cols: 3 })).toThrow(
      new RangeError('out: expected memory apart from logits (the gradient is written while the logits and targets are read), got a range that overlaps it'),
    );
    logits.free();
  });

  it('writes "an Int32Array", not "a Int32Array"', () => {
    expect(() => reference.relu(new Int32Array(2) as never)).toThrow(new TypeError('x: expected a Float32Array or an F32Buffer, got an Int32Array of length 2'));
  });

  it('refuses a foreign module, or another build than the one asked for, naming wasm', async () => {
    const empty = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
    await expect(init({ backend: 'scalar', wasm: empty })).rejects.toThrow(
      new RangeError('wasm: expected the scalar build of simd-activations, got a module without a memory export'),
    );
    const simd = await readFile(new URL('../build/simd.wasm', import.meta.url));
    await expect(init({ backend: 'scalar', wasm: simd })).rejects.toThrow(
      new RangeError('wasm: expected the scalar build of simd-activations, got the simd build'),
    );
  });

  it('takes the mean over no rows as NaN in both losses, as PyTorch does', () => {
    const none = new Float32Array(0);
    expect(reference.squaredError(none, none, { reduction: 'mean', cols: 3 })).toBeNaN();
    expect(reference.softmaxCrossEntropy(none, none, { reduction: 'mean', cols: 3 }).loss).toBeNaN();
    expect(reference.squaredError(none, none)).toBe(0);
    expect(reference.softmaxCrossEntropy(none, none).loss).toBe(0);
  });
});

// Defects found by an adversarial review of the first fix, each reproduced here.
describe('options read once, before any check', () => {
  it('a getter that shrinks an input after its check cannot make a copy run past its staging area', async () => {
    const act = await init({ backend: 'simd' });
    act.siluBackward(new Float32Array(10), new Float32Array(10));
    const victim = act.from(new Float32Array(1000).fill(7));
    const resizable = new ArrayBuffer(4000, { maxByteLength: 4000 });
    const dy = new Float32Array(resizable);
    const shrink = { get out() { resizable.resize(40); return undefined; } };
    expect(() => act.siluBackward(dy, new Float32Array(1000).fill(-3), shrink)).toThrow(new RangeError('x: expected length 10 (the length of dy), got length 1000'));
    expect(victim.array.every((v) => v === 7)).toBe(true);
  });

  it('takes plain objects only, reads own keys, and refuses symbol keys', () => {
    const x = new Float32Array([-1, 1]);
    expect(() => reference.leakyRelu(x, Object.create({ alpha: 0.5 }))).toThrow(new TypeError('leakyRelu: expected a plain options object, got an object that inherits from another object'));
    expect(() => reference.leakyRelu(x, new Map([['alpha', 0.5]]) as never)).toThrow(new TypeError('leakyRelu: expected a plain options object, got a Map'));
    expect(() => reference.leakyRelu(x, { [Symbol('alpha')]: 0.5 } as never)).toThrow(TypeError);
    let reads = 0;
    const counted = { get alpha() { reads++; return 0.5; } };
    expect(Array.from(reference.leakyRelu(x, counted))).toEqual([-0.5, 1]);
    expect(reads).toBe(1);
    expect(Array.from(reference.leakyRelu(x, Object.assign(Object.create(null), { alpha: 0.25 })))).toEqual([-0.25, 1]);
  });
});

describe('views on wasm memory, after the review', () => {
  it('outputLayerGradient and denseBackward refuse a view out that a result allocation detaches', async () => {
    for (const call of [
      (act: Activations, x: F32, view: Float32Array) => act.outputLayerGradient({ x, w: new Float32Array([0.1, 0.2, 0.3]), t: new Float32Array([0]), batch: 1, inputs: 3, outputs: 1, activation: 'relu', out: { y: view } }),
      (act: Activations, x: F32, view: Float32Array) => act.denseBackward({ x, w: new Float32Array([1, 2, 3]), delta: new Float32Array([2]), batch: 1, inputs: 3, outputs: 1, out: { db: view } }),
    ]) {
      const act = await init({ backend: 'simd' });
      const x = act.from([1, 2, 3]);
      const target = act.alloc(1);
      const { capacityBytes, usedBytes } = act.memory();
      act.alloc((capacityBytes - heapBase - usedBytes) / 4);
      expect(() => call(act, x, target.array)).toThrow(/^out\.(y|db): expected a Float32Array that stays attached/);
      expect(target.array[0]).toBe(0);
      call(act, x, target.array); // memory has grown: a fresh view takes the result
      expect(target.array[0]).toBeGreaterThan(0);
    }
  });

  it('squaredError reads a view input correctly when staging the other grows memory', async () => {
    const { act, keep } = await fullInstance(4);
    keep.array.set([1, 2, 3, 4]);
    expect(act.squaredError(keep.array, new Float32Array(4))).toBe(15);
  });

  it('refuses a view kept after its buffer was freed, in any position', async () => {
    const act = await init({ backend: 'simd' });
    const b = act.from([0.5, 0.5, 0.25, 0.75]);
    const view = b.array;
    b.free();
    expect(() => act.softmaxJacobian(view, { cols: 2 })).toThrow(/^y: expected a view inside a live F32Buffer of this instance/);
    expect(() => act.relu(new Float32Array(4), { out: view })).toThrow(/^out: expected a view inside a live F32Buffer/);
    expect(() => act.dense(view, new Float32Array(2), { batch: 2, inputs: 2, outputs: 1 })).toThrow(/^x: expected a view inside a live F32Buffer/);
  });

  it('act.from copies a typed array that views wasm memory across the growth it needs', async () => {
    const { act, keep } = await fullInstance(4);
    keep.array.set([1, 2, 3, 4]);
    const bytes = new Uint8Array(keep.array.buffer, keep.array.byteOffset, 4);
    const want = Array.from(bytes);
    expect(Array.from(act.from(bytes).array)).toEqual(want);
  });

  it('act.from reads each element of an array-like once', async () => {
    const act = await init({ backend: 'simd' });
    let k = 0;
    const tricky = { length: 2, get 0() { return k++ ? 'oops' : 1; }, 1: 2 };
    expect(Array.from(act.from(tricky as never).array)).toEqual([1, 2]);
  });

  it('takes a Float32Array of another realm, and refuses a fake F32Buffer with a named TypeError', async () => {
    const { runInNewContext } = await import('node:vm');
    const foreign = runInNewContext('new Float32Array([1, -2, 3])') as Float32Array;
    expect(Array.from(reference.relu(foreign))).toEqual([1, 0, 3]);
    const { F32Buffer } = await import('../dist/index.js');
    expect(() => reference.relu(Object.create(F32Buffer.prototype))).toThrow(/^x: expected a Float32Array or an F32Buffer/);
  });
});

describe('staging at the cap, after the review', () => {
  it('a call on plain arrays takes back the idle staging of an earlier call', async () => {
    const act = await init({ backend: 'simd', maxMemoryMB: 2 });
    act.sigmoidBackward(new Float32Array(150_000), new Float32Array(150_000));
    expect(act.relu(new Float32Array(300_000).fill(-1)).every((v) => v === 0)).toBe(true);
  });
});

describe('init, after the review', () => {
  it('refuses what is not a module source, and names wasm when a given module fails', async () => {
    const simd = await readFile(new URL('../build/simd.wasm', import.meta.url));
    await expect(init({ backend: 'simd', wasm: Promise.resolve(simd) as never })).rejects.toThrow(new TypeError('wasm: expected bytes, a URL, a Response or a WebAssembly.Module, or an object of them per build, got a Promise (await it first)'));
    await expect(init({ backend: 'simd', wasm: new SharedArrayBuffer(8) as never })).rejects.toThrow(TypeError);
    await expect(init({ backend: 'simd', wasm: { scalar: simd } })).rejects.toThrow(new RangeError('wasm.simd: expected a module source for the simd build (backend), got undefined'));
    await expect(init({ backend: 'simd', wasm: new Float64Array(4) })).rejects.toThrow(RangeError);
    await expect(init({ backend: 'simd', wasm: new Float64Array(4) })).rejects.toThrow(/^wasm: /);
  });
});
