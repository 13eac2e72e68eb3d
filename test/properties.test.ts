// Property-based tests of the whole API (fast-check): random functions, sizes, offsets, kinds of
// argument (plain arrays, resident buffers, views on wasm memory), parameters and `out` choices.
// Every call must give the bits of the same call made with plain arrays on a fresh instance, and
// lie within the float64 references' bounds; every bad argument must give a typed error naming
// it with nothing written; and under small memory caps, random sequences of alloc, from, free,
// writes and calls must never corrupt a live buffer, never lose a result, and never pass the cap.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { init, ELEMENTWISE, ELEMENTWISE_NAMES, F32Buffer, type Activations, type ElementwiseName } from '../dist/index.js';
import { compare, REFERENCE } from './measure.mjs';
import { ulpDistance, softmaxRow } from './reference.mjs';

const oracle: Activations = await init({ backend: 'simd' });
const subject: Activations = await init({ backend: 'simd' });
const SEED = Number(process.env.PROPERTY_SEED ?? 20261129);
const RUNS = { seed: SEED, numRuns: 1000 };

const bits = (a: ArrayLike<number>) => Array.from(new Uint32Array(Float32Array.from(a).buffer));
const bytes = (a: Float32Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
/** Bit-for-bit equality, fast on large arrays (the memory property moves up to 200,000 floats). */
const sameBits = (a: Float32Array, b: Float32Array) => a.length === b.length && Buffer.compare(bytes(a), bytes(b)) === 0;
type Call = (...args: unknown[]) => unknown;
const method = (act: Activations, name: string) => (act as unknown as Record<string, Call>)[name]!;

/** Float32 values from the whole line: finite values of every scale, and the special values. */
const float = fc.oneof(
  { weight: 6, arbitrary: fc.float({ min: -30, max: 30, noNaN: true }) },
  { weight: 2, arbitrary: fc.float() },
  { weight: 1, arbitrary: fc.constantFrom(0, -0, Infinity, -Infinity, NaN, 1e-40, -1e-40, 88.7, -88.7, 6, -3, 3) },
);
const floats = (n: number, values = float) => fc.array(values, { minLength: n, maxLength: n }).map((a) => Float32Array.from(a));
// Upstream gradients are finite and at most 2^64 in magnitude, the range in which the README
// states the backward bounds: an infinite dy times a slope that is nonzero in float64 but
// underflows in float32 has no float32 answer to hold a kernel to, and in the top binades of
// float32 the products dy * p of the sigmoid-based passes overflow.
const DY_MAX = 2 ** 64;
const finite = fc.oneof(fc.float({ min: -30, max: 30, noNaN: true }), fc.float({ min: -DY_MAX, max: DY_MAX, noNaN: true }));

type Kind = 'plain' | 'resident' | 'view' | 'offset';
const kind = fc.constantFrom<Kind>('plain', 'resident', 'view', 'offset');

/** The tensor of the given kind holding `data`, and a reader of its current contents. */
function place(act: Activations, data: Float32Array, as: Kind, made: F32Buffer[]): { t: Float32Array | F32Buffer; read: () => Float32Array } {
  if (as === 'plain') return { t: data, read: () => data };
  if (as === 'offset') {
    // A subarray at an odd element offset of a larger array.
    const host = new Float32Array(data.length + 5).fill(-7);
    host.set(data, 3);
    const t = host.subarray(3, 3 + data.length);
    return { t, read: () => t };
  }
  const b = act.from(data);
  made.push(b);
  return as === 'resident' ? { t: b, read: () => b.array } : { t: b.array, read: () => b.array };
}

/** Random options of an activation: defaults, other values in its domain, and the variant. */
function optionsOf(name: ElementwiseName): fc.Arbitrary<Record<string, unknown>> {
  const spec = ELEMENTWISE[name];
  const entries: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [p, param] of Object.entries(spec.params)) {
    const values = param.domain === 'nonzero-finite' ? fc.double({ min: 0.25, max: 4, noNaN: true }) : fc.double({ min: -3, max: 30, noNaN: true });
    entries[p] = fc.option(fc.oneof(fc.constant(param.alternate), values.map(Math.fround)), { nil: undefined });
  }
  if ('variants' in spec) entries[spec.variants.option] = fc.option(fc.constantFrom(...Object.keys(spec.variants.kernels)), { nil: undefined });
  return fc.record(entries, { requiredKeys: [] }).map((o) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)));
}

const elementwiseCase = fc
  .record({
    name: fc.constantFrom(...ELEMENTWISE_NAMES),
    form: fc.constantFrom('forward', 'backward', 'derivative', 'backwardFromInput'),
    n: fc.integer({ min: 0, max: 70 }),
    kinds: fc.tuple(kind, kind),
    out: fc.constantFrom('none', 'plain', 'resident', 'view', 'in place'),
  })
  .chain((c) => fc.record({ c: fc.constant(c), opts: optionsOf(c.name), x: floats(c.n), dy: floats(c.n, finite) }));

describe('elementwise calls, property-based', () => {
  it('give the bits of a plain call on a fresh instance, within the bounds, for every kind of argument and out', () => {
    fc.assert(
      fc.property(elementwiseCase, ({ c, opts, x, dy }) => {
        const spec = ELEMENTWISE[c.name];
        const form = c.form === 'backwardFromInput' && spec.saved !== 'output' ? 'backward' : c.form;
        const fn = form === 'forward' ? c.name : `${c.name}${form[0]!.toUpperCase()}${form.slice(1)}`;
        const unary = form === 'forward' || form === 'derivative';
        // Inputs the function can take: the saved output of sigmoid/tanh lies in their range.
        const savedIsOutput = spec.saved === 'output' && form !== 'forward' && form !== 'backwardFromInput';
        const saved = savedIsOutput ? oracle[c.name as 'sigmoid'](x) : x;
        const inputs = unary ? [saved] : [dy, saved];
        const want = method(oracle, fn)(...inputs.map((t) => t.slice()), opts) as Float32Array;

        const made: F32Buffer[] = [];
        try {
          const placed = inputs.map((t, i) => place(subject, t.slice(), c.kinds[i]!, made));
          let out: Float32Array | F32Buffer | undefined;
          let read: (() => Float32Array) | undefined;
          if (c.out === 'in place') ({ t: out, read } = placed[0]!);
          else if (c.out !== 'none') ({ t: out, read } = place(subject, new Float32Array(c.n).fill(9), c.out === 'view' ? 'view' : c.out === 'resident' ? 'resident' : 'plain', made));
          const result = method(subject, fn)(...placed.map((p) => p.t), out === undefined ? opts : { ...opts, out });
          if (out !== undefined) expect(result).toBe(out);
          else expect(result instanceof F32Buffer).toBe(placed[0]!.t instanceof F32Buffer);
          if (result instanceof F32Buffer && result !== out) made.push(result);
          const got = read ? read() : result instanceof F32Buffer ? result.array : (result as Float32Array);
          expect(bits(got)).toEqual(bits(want));

          // Against float64: the kernel's reference with the same parameters.
          const kernel = c.name === 'gelu' && opts.approximate === 'tanh' ? 'geluTanh' : c.name;
          const named = Object.fromEntries(Object.entries(spec.params).map(([p, param]) => [p, (opts[p] as number | undefined) ?? param.default]));
          const ref = REFERENCE[kernel as keyof typeof REFERENCE];
          const expected = Float32Array.from(x, (v, i) => {
            if (form === 'forward') return ref.forward(v, named);
            const d = form === 'derivative' ? 1 : dy[i]!;
            if (form === 'backwardFromInput') return (ref as { backwardFromInput: (dy: number, x: number) => number }).backwardFromInput(d, v);
            return ref.backward(d, saved[i]!, named);
          });
          const bound = form === 'forward' ? spec.bounds.forward : form === 'backwardFromInput' ? 4 : spec.bounds.backward;
          const report = compare(got, expected, bound, { kernel, saved: form === 'forward' ? undefined : x, dys: form === 'backward' || form === 'backwardFromInput' ? dy : undefined });
          expect(report.failures, `${fn} ${JSON.stringify(opts)}: ${JSON.stringify(report.examples)}`).toBe(0);
        } finally {
          for (const b of made) b.free();
        }
      }),
      RUNS,
    );
    expect(subject.memory().liveBuffers).toBe(0);
  });
});

describe('row-wise and dense calls, property-based', () => {
  it('softmax and logSoftmax with their backward passes give the bits of a plain call, softmax within 4 ulp', () => {
    const rowCase = fc
      .record({ rows: fc.integer({ min: 0, max: 6 }), cols: fc.integer({ min: 1, max: 40 }), kinds: fc.tuple(kind, kind), log: fc.boolean(), inPlace: fc.boolean() })
      .chain((c) => fc.record({ c: fc.constant(c), x: floats(c.rows * c.cols).map((a) => a.map((v) => (Number.isFinite(v) ? v : 0))), dy: floats(c.rows * c.cols) }));
    fc.assert(
      fc.property(rowCase, ({ c, x, dy }) => {
        const name = c.log ? 'logSoftmax' : 'softmax';
        const y = method(oracle, name)(x.slice(), { cols: c.cols }) as Float32Array;
        const dx = method(oracle, `${name}Backward`)(dy.slice(), y.slice(), { cols: c.cols }) as Float32Array;
        const made: F32Buffer[] = [];
        try {
          const px = place(subject, x.slice(), c.kinds[0], made);
          const got = method(subject, name)(px.t, c.inPlace ? { cols: c.cols, out: px.t } : { cols: c.cols }) as Float32Array | F32Buffer;
          if (got instanceof F32Buffer && got !== px.t) made.push(got);
          const gotY = got instanceof F32Buffer ? got.array : got;
          expect(bits(gotY)).toEqual(bits(y));
          const pdy = place(subject, dy.slice(), c.kinds[1], made);
          const py = place(subject, y.slice(), c.kinds[0], made);
          const gotDx = method(subject, `${name}Backward`)(pdy.t, py.t, { cols: c.cols }) as Float32Array | F32Buffer;
          if (gotDx instanceof F32Buffer) made.push(gotDx);
          expect(bits(gotDx instanceof F32Buffer ? gotDx.array : gotDx)).toEqual(bits(dx));
          if (!c.log) {
            for (let r = 0; r < c.rows; r++) {
              const ref = softmaxRow(Array.from(x.subarray(r * c.cols, (r + 1) * c.cols)));
              ref.forEach((v: number, j: number) => expect(ulpDistance(y[r * c.cols + j], Math.fround(v))).toBeLessThanOrEqual(4));
            }
          }
        } finally {
          for (const b of made) b.free();
        }
      }),
      { ...RUNS, numRuns: 400 },
    );
  });

  it('dense layers give the bits of a plain call for every kind of argument and out', () => {
    const denseCase = fc
      .record({ batch: fc.integer({ min: 1, max: 6 }), inputs: fc.integer({ min: 1, max: 9 }), outputs: fc.integer({ min: 1, max: 7 }), kinds: fc.tuple(kind, kind, kind), out: fc.constantFrom('none', 'plain', 'resident', 'view'), activation: fc.option(fc.constantFrom(...ELEMENTWISE_NAMES), { nil: undefined }) })
      .chain((c) => fc.record({ c: fc.constant(c), x: floats(c.batch * c.inputs).map((a) => a.map((v) => (Number.isFinite(v) ? v % 4 : 0))), w: floats(c.inputs * c.outputs).map((a) => a.map((v) => (Number.isFinite(v) ? v % 2 : 1))), b: floats(c.outputs).map((a) => a.map((v) => (Number.isFinite(v) ? v % 2 : 0))) }));
    fc.assert(
      fc.property(denseCase, ({ c, x, w, b }) => {
        const shape = { batch: c.batch, inputs: c.inputs, outputs: c.outputs, ...(c.activation ? { activation: c.activation } : {}) };
        const want = oracle.dense(x.slice(), w.slice(), { ...shape, bias: b.slice() } as never) as Float32Array;
        const made: F32Buffer[] = [];
        try {
          const [px, pw, pb] = [x, w, b].map((t, i) => place(subject, t.slice(), c.kinds[i]!, made));
          const placedOut = c.out === 'none' ? undefined : place(subject, new Float32Array(c.batch * c.outputs), c.out as Kind, made);
          const got = subject.dense(px!.t, pw!.t, { ...shape, bias: pb!.t, ...(placedOut ? { out: placedOut.t } : {}) } as never) as Float32Array | F32Buffer;
          if (got instanceof F32Buffer && got !== placedOut?.t) made.push(got);
          const read = placedOut ? placedOut.read() : got instanceof F32Buffer ? got.array : got;
          expect(bits(read)).toEqual(bits(want));
        } finally {
          for (const buf of made) buf.free();
        }
      }),
      { ...RUNS, numRuns: 400 },
    );
  });
});

describe('bad arguments, property-based', () => {
  const badTensor = fc.constantFrom<unknown>([1, 2], new Float64Array(3), new Int32Array(3), 'x', 3, null, {}, new BigInt64Array(1));
  const badNumber = fc.constantFrom<unknown>('1', NaN, Infinity, -Infinity, 1e39, null, true, 2n);
  const badCase = fc.record({
    name: fc.constantFrom(...ELEMENTWISE_NAMES),
    what: fc.constantFrom('x', 'out kind', 'out length', 'option', 'param'),
    n: fc.integer({ min: 1, max: 20 }),
    tensor: badTensor,
    number: badNumber,
    key: fc.constantFrom('alhpa', 'col', 'Out', 'beta_', 'approx'),
  });
  it('throw a TypeError or RangeError that names the argument, and write nothing', () => {
    fc.assert(
      fc.property(badCase, ({ name, what, n, tensor, number, key }) => {
        const spec = ELEMENTWISE[name];
        const params = Object.keys(spec.params);
        if (what === 'param' && params.length === 0) return;
        const out = new Float32Array(what === 'out length' ? n + 1 : n).fill(3);
        const x = new Float32Array(n).fill(1);
        let args: unknown[];
        let named: string;
        if (what === 'x') [args, named] = [[tensor ?? undefined, { out }], 'x'];
        else if (what === 'out kind') [args, named] = [[x, { out: tensor }], 'out'];
        else if (what === 'out length') [args, named] = [[x, { out }], 'out'];
        else if (what === 'option') [args, named] = [[x, { out, [key]: 1 }], name];
        else [args, named] = [[x, { out, [params[0]!]: number }], params[0]!];
        if (what === 'param' && typeof number === 'number' && Number.isFinite(number) && spec.params[params[0] as never]!['precision'] === 'float64') return;
        let error: unknown;
        try {
          method(subject, name)(...args);
        } catch (e) {
          error = e;
        }
        expect(error instanceof TypeError || error instanceof RangeError, `${name} ${what}: ${String(error)}`).toBe(true);
        expect((error as Error).message.startsWith(`${named}: `), (error as Error).message).toBe(true);
        expect(out.every((v) => v === 3)).toBe(true);
      }),
      { ...RUNS, numRuns: 400 },
    );
  });
});

describe('memory under small caps, property-based', () => {
  type Command =
    | { op: 'alloc'; n: number }
    | { op: 'from'; data: number[] }
    | { op: 'free'; pick: number }
    | { op: 'write'; pick: number; value: number }
    | { op: 'call'; pick: number; plain: number; out: 'none' | 'plain' | 'resident' | 'view' | 'in place'; fn: 'sigmoid' | 'relu' | 'tanhBackward' };
  const size = fc.oneof(fc.integer({ min: 0, max: 64 }), fc.integer({ min: 1000, max: 200_000 }));
  const command: fc.Arbitrary<Command> = fc.oneof(
    fc.record({ op: fc.constant('alloc' as const), n: size }),
    fc.record({ op: fc.constant('from' as const), data: fc.array(fc.float({ min: -5, max: 5, noNaN: true }), { maxLength: 40 }) }),
    fc.record({ op: fc.constant('free' as const), pick: fc.nat() }),
    fc.record({ op: fc.constant('write' as const), pick: fc.nat(), value: fc.float({ min: -5, max: 5, noNaN: true }) }),
    fc.record({ op: fc.constant('call' as const), pick: fc.nat(), plain: size, out: fc.constantFrom('none', 'plain', 'resident', 'view', 'in place'), fn: fc.constantFrom('sigmoid', 'relu', 'tanhBackward') }),
  );

  it('never corrupts a live buffer, loses a result or passes the cap, across alloc, from, free, writes and calls', async () => {
    const caps = [1, 2, 3];
    const instances = await Promise.all(caps.map((maxMemoryMB) => init({ backend: 'simd', maxMemoryMB })));
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: caps.length - 1 }), fc.array(command, { minLength: 1, maxLength: 40 }), async (which, commands) => {
        const act = instances[which]!;
        const cap = caps[which]! * 2 ** 20;
        const live: { buf: F32Buffer; model: Float32Array }[] = [];
        const pick = (i: number) => live[i % live.length]!;
        try {
          for (const cmd of commands) {
            const before = act.memory().liveBuffers;
            try {
              if (cmd.op === 'alloc') {
                const buf = act.alloc(cmd.n);
                expect(buf.array.every((v) => v === 0), 'alloc zeroes').toBe(true);
                live.push({ buf, model: new Float32Array(cmd.n) });
              } else if (cmd.op === 'from') {
                const model = Float32Array.from(cmd.data);
                live.push({ buf: act.from(cmd.data), model });
              } else if (cmd.op === 'free' && live.length > 0) {
                const [gone] = live.splice(cmd.pick % live.length, 1);
                gone!.buf.free();
              } else if (cmd.op === 'write' && live.length > 0) {
                const target = pick(cmd.pick);
                target.buf.array.fill(cmd.value);
                target.model.fill(cmd.value);
              } else if (cmd.op === 'call') {
                // x is a live buffer (or a plain array when none lives); out as chosen.
                const source = live.length > 0 ? pick(cmd.pick) : undefined;
                const x = source ? source.buf : new Float32Array(cmd.plain).fill(0.25);
                const xModel = source ? source.model : (x as Float32Array);
                const n = xModel.length;
                const want = cmd.fn === 'tanhBackward' ? oracle.tanhBackward(xModel.slice(), xModel.slice()) : oracle[cmd.fn](xModel.slice());
                let out: Float32Array | F32Buffer | undefined;
                let outModel: Float32Array | undefined;
                if (cmd.out === 'plain') out = new Float32Array(n).fill(8);
                else if ((cmd.out === 'resident' || cmd.out === 'view') && live.length > 1) {
                  const target = live.find((l) => l.model.length === n && l !== source);
                  if (target) {
                    out = cmd.out === 'view' ? target.buf.array : target.buf;
                    outModel = target.model;
                  }
                } else if (cmd.out === 'in place' && source) {
                  out = source.buf;
                  outModel = source.model;
                }
                const outBefore = out instanceof F32Buffer ? out.array.slice() : out?.slice();
                let result: Float32Array | F32Buffer;
                try {
                  result = (cmd.fn === 'tanhBackward' ? act.tanhBackward(x, x, out ? { out } : undefined) : act[cmd.fn](x, out ? { out } : undefined)) as Float32Array | F32Buffer;
                } catch (error) {
                  // Refused: a cap (RangeError), or a view detached by this call's growth (named out).
                  expect(error).toBeInstanceOf(RangeError);
                  if (outModel && out instanceof Float32Array) expect(sameBits(outModel, outBefore!)).toBe(true);
                  throw error;
                }
                if (out !== undefined) expect(result).toBe(out);
                const got = result instanceof F32Buffer ? result.array : result;
                expect(sameBits(got, want), `${cmd.fn} result`).toBe(true);
                if (outModel) outModel.set(want);
                if (result instanceof F32Buffer && result !== out) live.push({ buf: result, model: Float32Array.from(want) });
              }
            } catch (error) {
              expect(error, String(error)).toBeInstanceOf(RangeError);
              expect(act.memory().liveBuffers).toBe(before); // nothing made, nothing leaked
            }
            // Invariants after every step.
            const stats = act.memory();
            expect(stats.capacityBytes).toBeLessThanOrEqual(cap);
            expect(stats.liveBuffers).toBe(live.length);
            for (const l of live) expect(sameBits(l.buf.array, l.model), 'a live buffer holds what was written to it').toBe(true);
          }
        } finally {
          for (const l of live) l.buf.free();
        }
        expect(act.memory().liveBuffers).toBe(0);
      }),
      { ...RUNS, numRuns: 300 },
    );
  });
});
