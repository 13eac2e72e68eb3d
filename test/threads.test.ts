// init({ threads }) (issue 11): the option, the same bits as one thread for every function, size,
// kind of argument and build, the split thresholds, memory growth under live workers, close(), a
// process that never calls close(), and workers that die.
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { init, supportedBackends, ELEMENTWISE, ELEMENTWISE_NAMES, ROWWISE_NAMES, F32Buffer, type Activations } from '../dist/index.js';
import { POOLS, type Pool } from '../dist/threads/pool.js';
import { COSTS, thresholdOf } from '../dist/threads/thresholds.js';
import { toSharedMemoryModule } from '../dist/threads/shared-module.js';
import { defaultWasmUrl } from '../dist/loader.js';

type Fn = (...args: unknown[]) => unknown;
const fn = (act: Activations, name: string) => (act as unknown as Record<string, Fn>)[name]!.bind(act);
const poolOf = (act: Activations): Pool => POOLS.get(act)!;
const opened: Activations[] = [];
afterAll(() => Promise.all(opened.map((a) => a.close())));
async function threaded(options: Parameters<typeof init>[0]): Promise<Activations> {
  const act = await init(options);
  opened.push(act);
  return act;
}

/** Values over the interesting range of every activation, none of them exactly repeated. */
function input(n: number, seed = 1): Float32Array {
  return new Float32Array(n).map((_, i) => Math.sin((i + seed) * 12.9898) * 12);
}

/** The first index where the two differ in bits (NaNs compare by payload too), else -1. */
function firstDifference(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return 0;
  const ua = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const ub = new Uint32Array(b.buffer, b.byteOffset, b.length);
  for (let i = 0; i < ua.length; i++) if (ua[i] !== ub[i]) return i;
  return -1;
}

const array = (t: unknown): Float32Array => (t instanceof F32Buffer ? t.array : (t as Float32Array));

/** Every elementwise method with the options that pick each kernel: [method, options, takes dy]. */
const METHODS: [string, object | undefined, boolean][] = ELEMENTWISE_NAMES.flatMap((name) => {
  const spec = ELEMENTWISE[name] as { saved: string; variants?: { option: string; kernels: Record<string, string> } };
  const variants = spec.variants ? Object.keys(spec.variants.kernels).map((k) => ({ [spec.variants!.option]: k })) : [undefined];
  return variants.flatMap((o) => [
    [name, o, false],
    [`${name}Derivative`, o, false],
    [`${name}Backward`, o, true],
    ...(spec.saved === 'output' ? [[`${name}BackwardFromInput`, o, true] as [string, object | undefined, boolean]] : []),
  ] as [string, object | undefined, boolean][]);
});

describe('the threads option', () => {
  it('is 1 by default, the number asked for, or the cores (at most 8) for auto', async () => {
    expect((await init()).threads).toBe(1);
    expect((await threaded({ threads: 1 })).threads).toBe(1);
    expect((await threaded({ threads: 2 })).threads).toBe(2);
    expect((await threaded({ threads: 'auto' })).threads).toBe(Math.min(8, availableParallelism()));
  });

  it('is checked like every option: TypeError for the wrong type, RangeError outside the range', async () => {
    for (const bad of [true, null, {}, [2], 2n]) {
      await expect(init({ threads: bad as never })).rejects.toThrow(TypeError);
      await expect(init({ threads: bad as never })).rejects.toThrow(/^threads: expected an integer from 1 to 64 or 'auto', got /);
    }
    for (const bad of [0, -1, 1.5, 65, NaN, Infinity, 'two', 'AUTO', '2']) {
      await expect(init({ threads: bad as never })).rejects.toThrow(RangeError);
      await expect(init({ threads: bad as never })).rejects.toThrow(/^threads: expected an integer from 1 to 64 or 'auto', got /);
    }
  });

  it('falls back to one thread for a compiled WebAssembly.Module, whose memory cannot be shared', async () => {
    const module = await WebAssembly.compile(await readFile(fileURLToPath(defaultWasmUrl('simd'))));
    const act = await threaded({ backend: 'simd', wasm: module, threads: 2 });
    expect(act.threads).toBe(1);
    expect(POOLS.get(act)).toBeUndefined();
    expect(act.sigmoid(new Float32Array([0]))[0]).toBe(0.5);
  });

  it('takes the build as bytes or a Response as well', async () => {
    const bytes = await readFile(fileURLToPath(defaultWasmUrl('simd')));
    const x = input(100_003);
    const want = (await init({ backend: 'simd' })).gelu(x);
    for (const wasm of [bytes, new Response(bytes, { headers: { 'content-type': 'application/wasm' } })]) {
      const act = await threaded({ backend: 'simd', wasm, threads: 2 });
      expect(act.threads).toBe(2);
      expect(firstDifference(act.gelu(x), want)).toBe(-1);
    }
  });
});

describe('the split thresholds', () => {
  it('come from a measured cost for every kernel the API splits', () => {
    const kernels = METHODS.map(([name, options]) => name.replace(/^gelu/, (options as { approximate?: string } | undefined)?.approximate === 'tanh' ? 'geluTanh' : 'gelu'));
    for (const k of [...kernels, ...ROWWISE_NAMES.flatMap((r) => [r, `${r}Backward`])]) {
      expect(COSTS[k], k).toBeGreaterThan(0);
      expect(thresholdOf(k), k).toBeGreaterThan(16);
    }
  });
});

describe('the shared-memory rewrite', () => {
  it('imports env.memory as shared memory with the cap as maximum and keeps every export', async () => {
    for (const b of supportedBackends()) {
      const bytes = new Uint8Array(await readFile(fileURLToPath(defaultWasmUrl(b))));
      const original = await WebAssembly.compile(bytes);
      expect(WebAssembly.Module.imports(original)).toEqual([]);
      const { bytes: shared, initialPages } = toSharedMemoryModule(bytes, 300);
      const module = await WebAssembly.compile(shared);
      expect(WebAssembly.Module.imports(module)).toEqual([{ module: 'env', name: 'memory', kind: 'memory' }]);
      expect(WebAssembly.Module.exports(module)).toEqual(WebAssembly.Module.exports(original));
      const memory = new WebAssembly.Memory({ initial: initialPages, maximum: 300, shared: true });
      const instance = await WebAssembly.instantiate(module, { env: { memory } });
      expect(instance.exports.memory).toBe(memory);
      // The import's limits are what was written: a memory above the maximum is refused.
      const tooLarge = new WebAssembly.Memory({ initial: initialPages, maximum: 301, shared: true });
      await expect(WebAssembly.instantiate(module, { env: { memory: tooLarge } })).rejects.toThrow(WebAssembly.LinkError);
    }
  });

  it('refuses binaries of another shape', async () => {
    const shared = toSharedMemoryModule(new Uint8Array(await readFile(fileURLToPath(defaultWasmUrl('scalar')))), 4).bytes;
    expect(() => toSharedMemoryModule(shared, 4)).toThrow(/already has imports/);
    expect(() => toSharedMemoryModule(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]), 4)).toThrow(/one memory section/);
    expect(() => toSharedMemoryModule(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]), 4)).toThrow(/not a WebAssembly binary/);
  });
});

describe.each(supportedBackends())('the %s build on 2 threads gives the bits of 1 thread', (backend) => {
  const instances = Promise.all([init({ backend }), threaded({ backend, threads: 2 })]);

  it('for every elementwise function at sizes around its threshold and 10^6 + 3, plain arguments', async () => {
    const [one, two] = await instances;
    const pool = poolOf(two);
    // Inputs of every size as prefixes of one pair of arrays (subarrays are plain arguments too).
    const sizes = METHODS.map(([name, options]) => thresholdOf(name.replace(/^gelu/, (options as { approximate?: string } | undefined)?.approximate === 'tanh' ? 'geluTanh' : 'gelu')));
    const longest = Math.max(1_000_003, ...sizes) + 17;
    const X = input(longest);
    const DY = input(longest, 7);
    for (const [name, options, takesDy] of METHODS) {
      const variant = (options as { approximate?: string } | undefined)?.approximate === 'tanh' ? 'geluTanh' : 'gelu';
      const kernel = name.replace(/^gelu/, variant);
      const t = thresholdOf(kernel);
      for (const n of [0, 1, 15, 17, t - 1, t, t + 17, 1_000_003]) {
        const x = X.subarray(0, n);
        const dy = DY.subarray(0, n);
        const args = takesDy ? [dy, x] : [x];
        const before = pool.wakeups;
        const got = fn(two, name)(...args, options) as Float32Array;
        const woke = pool.wakeups - before;
        const want = fn(one, name)(...args, options) as Float32Array;
        expect(firstDifference(got, want), `${name} n=${n}`).toBe(-1);
        // A call wakes the workers exactly when it reaches its kernel's threshold.
        expect(woke, `${name} n=${n} wakeups`).toBe(n >= t ? 1 : 0);
      }
    }
  });

  it('with resident arguments, in place and split into the smallest shares (every size 0 to 80)', async () => {
    const [one, two] = await instances;
    const pool = poolOf(two);
    pool.threshold = 0; // split every call, down to shares of 16 elements and tails shorter than a vector
    try {
      for (let n = 0; n <= 80; n++) {
        const x = input(n, n);
        const dy = input(n, n + 3);
        for (const [name, options, takesDy] of METHODS) {
          const want = fn(one, name)(...(takesDy ? [dy, x] : [x]), options) as Float32Array;
          const bx = two.from(x);
          const bdy = two.from(dy);
          const args = takesDy ? [bdy, bx] : [bx];
          const resident = fn(two, name)(...args, options) as F32Buffer;
          expect(firstDifference(resident.array, want), `${name} resident n=${n}`).toBe(-1);
          fn(two, name)(...args, { ...options, out: args[0] }); // in place in wasm memory
          expect(firstDifference(array(args[0]), want), `${name} in place n=${n}`).toBe(-1);
          const plain = takesDy ? dy.slice() : x.slice();
          fn(two, name)(...(takesDy ? [plain, x] : [plain]), { ...options, out: plain }); // in place, plain
          expect(firstDifference(plain, want), `${name} plain in place n=${n}`).toBe(-1);
          for (const b of [bx, bdy, resident]) b.free();
        }
      }
    } finally {
      pool.threshold = undefined;
    }
    expect(two.memory().liveBuffers).toBe(0);
  });

  it('for the row-wise functions, split by rows', async () => {
    const [one, two] = await instances;
    const pool = poolOf(two);
    // One row (never split), rows on either side of the thresholds, short and odd rows.
    for (const [rows, cols] of [[1, 200_000], [1000, 1000], [40_001, 7], [3, 60_001], [100, 1024], [99, 1000], [2, 5]] as const) {
      const x = input(rows * cols);
      const dy = input(rows * cols, 5);
      for (const name of ROWWISE_NAMES) {
        const before = pool.wakeups;
        const y = fn(two, name)(x, { cols }) as Float32Array;
        expect(pool.wakeups - before, `${name} ${rows}x${cols} wakeups`).toBe(rows >= 2 && rows * cols >= thresholdOf(name) ? 1 : 0);
        expect(firstDifference(y, fn(one, name)(x, { cols }) as Float32Array), `${name} ${rows}x${cols}`).toBe(-1);
        const back = `${name}Backward`;
        expect(firstDifference(fn(two, back)(dy, y, { cols }) as Float32Array, fn(one, back)(dy, y, { cols }) as Float32Array), `${back} ${rows}x${cols}`).toBe(-1);
        const by = two.from(x);
        fn(two, name)(by, { cols, out: by });
        expect(firstDifference(by.array, y), `${name} in place ${rows}x${cols}`).toBe(-1);
        by.free();
      }
    }
  });

  it('for the dense layers, split by rows of each product', async () => {
    const [one, two] = await instances;
    const pool = poolOf(two);
    const t = thresholdOf('matmul');
    // Products below and above the threshold (multiply-adds), row counts that are not multiples of
    // the 4-row tile, a product with fewer than two tiles (never split), and a forced split of all.
    const shapes = [[3, 5, 7], [4, 2000, 700], [9, 1000, 700], [257, 130, 151], [1001, 64, 33], [2048, 256, 10]] as const;
    for (const forced of [false, true]) {
      pool.threshold = forced ? 0 : undefined;
      try {
        for (const [batch, inputs, outputs] of shapes) {
          const shape = { batch, inputs, outputs };
          const x = input(batch * inputs, 2);
          const w = input(inputs * outputs, 3).map((v) => v / 16);
          const bias = input(outputs, 4);
          const target = input(batch * outputs, 6).map((v) => (v > 0 ? 1 : 0));
          const delta = input(batch * outputs, 5);
          const label = `${batch}x${inputs}x${outputs}${forced ? ' forced' : ''}`;
          const splitsAt = (m: number, n: number, k: number) => m > 4 && m * n * k >= (forced ? 0 : t);
          let before = pool.wakeups;
          const z = two.dense(x, w, { ...shape, bias });
          expect(pool.wakeups - before, `dense ${label} wakeups`).toBe(Number(splitsAt(batch, outputs, inputs)));
          expect(firstDifference(z, one.dense(x, w, { ...shape, bias })), `dense ${label}`).toBe(-1);
          const g = two.dense(x, w, { ...shape, bias, activation: 'gelu' });
          expect(firstDifference(g, one.dense(x, w, { ...shape, bias, activation: 'gelu' })), `dense gelu ${label}`).toBe(-1);
          before = pool.wakeups;
          const got = two.denseBackward({ x, w, delta, ...shape });
          // dW = x^T.delta has `inputs` rows; dx = delta.W^T has `batch`.
          expect(pool.wakeups - before, `denseBackward ${label} wakeups`).toBe(Number(splitsAt(inputs, outputs, batch)) + Number(splitsAt(batch, inputs, outputs)));
          const want = one.denseBackward({ x, w, delta, ...shape });
          for (const key of ['dW', 'db', 'dx'] as const) expect(firstDifference(got[key], want[key]), `denseBackward ${key} ${label}`).toBe(-1);
          const top = two.outputLayerGradient({ x, w, t: target, bias, activation: 'sigmoid', ...shape });
          const ref = one.outputLayerGradient({ x, w, t: target, bias, activation: 'sigmoid', ...shape });
          expect(top.loss, `outputLayerGradient loss ${label}`).toBe(ref.loss);
          for (const key of ['y', 'delta', 'dW', 'db', 'dx'] as const) expect(firstDifference(top[key], ref[key]), `outputLayerGradient ${key} ${label}`).toBe(-1);
        }
      } finally {
        pool.threshold = undefined;
      }
    }
  });
});

describe('workers and memory', () => {
  it('see memory that grew after they started', async () => {
    const one = await init({ backend: 'simd' });
    const two = await threaded({ backend: 'simd', threads: 2 });
    const before = two.memory().capacityBytes;
    const n = before / 4 + 3_000_003; // past the current memory: it grows by ~12 MB
    const big = two.alloc(n);
    expect(two.memory().capacityBytes).toBeGreaterThan(before);
    big.array.set(input(n));
    const wakeups = poolOf(two).wakeups;
    two.silu(big, { out: big });
    expect(poolOf(two).wakeups).toBe(wakeups + 1);
    // The workers' share is the upper part of the buffer, beyond the memory they started with.
    expect(firstDifference(big.array, one.silu(input(n)))).toBe(-1);
    big.free();
  });

  it('close() ends the workers; calls go on, on one thread, with the same bits', async () => {
    const one = await init({ backend: 'simd' });
    const two = await init({ backend: 'simd', threads: 2 });
    const x = input(200_003);
    const want = one.tanh(x);
    expect(firstDifference(two.tanh(x), want)).toBe(-1);
    const pool = poolOf(two);
    await two.close();
    expect(two.threads).toBe(1);
    const wakeups = pool.wakeups;
    expect(firstDifference(two.tanh(x), want)).toBe(-1);
    expect(pool.wakeups).toBe(wakeups);
    await two.close(); // again: nothing left to end
    await one.close(); // without threads: resolves at once
    expect(one.threads).toBe(1);
  });

  it('a process that never calls close() exits', async () => {
    const script = `import { init } from ${JSON.stringify(new URL('../dist/index.js', import.meta.url).href)};
      const act = await init({ threads: 2 });
      act.sigmoid(new Float32Array(1e6));
      console.log('threads', act.threads);`;
    const child = spawn(process.execPath, [...process.execArgv, '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const code = await new Promise<number | string>((resolve) => {
      // Generous for a loaded machine: starting node and compiling a build takes seconds there.
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        resolve('still running after 30 s');
      }, 30_000);
      child.on('exit', (c) => {
        clearTimeout(timer);
        resolve(c ?? 'killed');
      });
    });
    expect(code, output).toBe(0);
    expect(output.trim()).toBe('threads 2');
  });
});

describe('a worker that dies', () => {
  it('or whose kernel traps: the call throws an Error naming it, and later calls work', async () => {
    const one = await init({ backend: 'simd' });
    const act = await threaded({ backend: 'simd', threads: 2 });
    const pool = poolOf(act);
    // A job past the end of memory, as only a bug could post: the wasm traps in the worker.
    expect(pool.begin()).toBe(1);
    pool.post(0, pool.indexOf('sigmoid'), [2 ** 32 - 64, 0, 1000, 0, 0]);
    expect(() => pool.finish(1, 1000)).toThrow(/^simd-activations: worker 0 failed while running a kernel; it is stopped, and later calls run on 1 thread$/);
    const x = input(thresholdOf('sigmoid') + 1);
    expect(firstDifference(act.sigmoid(x), one.sigmoid(x))).toBe(-1);
    expect(act.threads).toBe(1);
  });

  it('is dropped once its end is known: the next call runs on fewer threads, with the same bits', async () => {
    const one = await init({ backend: 'simd' });
    const act = await threaded({ backend: 'simd', threads: 3 });
    expect(act.threads).toBe(3);
    await poolOf(act).kill(0);
    const x = input(thresholdOf('mish') + 1);
    expect(firstDifference(act.mish(x), one.mish(x))).toBe(-1);
    expect(act.threads).toBe(2);
  });

  it('before its end is known: the next call throws an Error naming it, by the deadline, and later calls work', async () => {
    const one = await init({ backend: 'simd' });
    const act = await threaded({ backend: 'simd', threads: 3 });
    const pool = poolOf(act);
    await pool.kill(1, true);
    expect(act.threads).toBe(3); // not noticed yet
    const x = input(thresholdOf('elu') + 1);
    expect(() => act.elu(x)).toThrow(/^simd-activations: worker 1 did not answer within 2000 ms; it is stopped, and later calls run on 2 threads$/);
    expect(act.threads).toBe(2);
    const wakeups = pool.wakeups;
    expect(firstDifference(act.elu(x), one.elu(x))).toBe(-1);
    expect(pool.wakeups).toBe(wakeups + 1);
    // Both workers gone: one thread, no wake-ups, no errors.
    await pool.kill(0);
    expect(firstDifference(act.elu(x), one.elu(x))).toBe(-1);
    expect(act.threads).toBe(1);
    expect(pool.wakeups).toBe(wakeups + 1);
  });
});
