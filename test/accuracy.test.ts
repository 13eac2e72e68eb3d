// Accuracy of every elementwise kernel (forward, backward, derivative) and of the math building
// blocks, in every build the engine runs, on ~1.3 million points per function: 2000 random
// mantissas in each of the 255 binades of both signs (subnormals included), the special values,
// and dense uniform samples of the zones where the functions change. Bounds come from the table
// (src/table.ts); the rules are those of test/measure.mjs. Also: simd and scalar agree bit for bit.
import { beforeAll, describe, expect, it } from 'vitest';
import { loadBuild, supportedBackends } from '../dist/loader.js';
import { ELEMENTWISE, ELEMENTWISE_NAMES, MATH_BLOCKS, kernelsOf, type Backend, type ElementwiseSpec } from '../dist/table.js';
import { Arena, compare, paramsOf, referenceOf, runKernel } from './measure.mjs';
import { MATH_REFERENCE, REFERENCE, denseSample, normalSample, uniformSample } from './reference.mjs';

const backends: Backend[] = supportedBackends();
const arenas = new Map<Backend, Arena>();

function concat(...parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const xs = concat(denseSample(2000), uniformSample(200_000, -20, 20, 5), uniformSample(50_000, -110, 110, 6));
const dys = normalSample(xs.length, 1, 7);

/** Same values, NaN matching any NaN (wasm leaves NaN bit patterns to the engine). */
function firstBitDifference(a: Float32Array, b: Float32Array): number {
  const ai = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const bi = new Uint32Array(b.buffer, b.byteOffset, b.length);
  for (let i = 0; i < a.length; i++) {
    if (ai[i] !== bi[i] && !(Number.isNaN(a[i]) && Number.isNaN(b[i]))) return i;
  }
  return -1;
}

function check(label: string, results: Map<Backend, Float32Array>, ref: Float32Array, bound: number, extra: object = {}) {
  for (const [backend, got] of results) {
    const report = compare(got, ref, bound, extra);
    expect(report.failures, `${label} [${backend}]: ${report.failures} points beyond ${bound} ulp, e.g. ${JSON.stringify(report.examples)}`).toBe(0);
  }
  const simd = results.get('simd');
  const scalar = results.get('scalar');
  if (simd && scalar) {
    const i = firstBitDifference(simd, scalar);
    expect(i, `${label}: simd and scalar differ at input ${xs[i]}: ${simd[i]} vs ${scalar[i]}`).toBe(-1);
  }
}

beforeAll(async () => {
  for (const backend of backends) arenas.set(backend, new Arena(await loadBuild(backend), 1 << 18));
});

it('runs every build the engine supports, relaxed included under the test flag', () => {
  expect(backends).toContain('simd');
  expect(backends).toContain('scalar');
  expect(backends).toContain('relaxed');
});

describe('math building blocks', () => {
  for (const [name, { bound }] of Object.entries(MATH_BLOCKS)) {
    it(`${name} within ${bound} ulp`, () => {
      const fn = MATH_REFERENCE[name as keyof typeof MATH_REFERENCE];
      const ref = referenceOf(fn, [xs]);
      const results = new Map(backends.map((b) => [b, runKernel(arenas.get(b)!, `math_${name}`, [xs])]));
      check(name, results, ref, bound);
    });
  }
});

for (const name of ELEMENTWISE_NAMES) {
  const spec: ElementwiseSpec = ELEMENTWISE[name];
  const alternates = Object.fromEntries(Object.entries(spec.params).map(([k, p]) => [k, p.alternate]));
  const paramSets = Object.keys(alternates).length ? [{}, alternates] : [{}];
  for (const overrides of paramSets) {
    const { a, b, named } = paramsOf(spec, overrides);
    for (const kernel of kernelsOf(name)) {
      const label = `${kernel}${Object.keys(overrides).length ? ' ' + JSON.stringify(named) : ''}`;
      const ref = REFERENCE[kernel as keyof typeof REFERENCE];
      describe(label, () => {
        it(`forward within ${spec.bounds.forward} ulp`, () => {
          const expected = referenceOf((x: number) => ref.forward(x, named), [xs]);
          const results = new Map(backends.map((bk) => [bk, runKernel(arenas.get(bk)!, kernel, [xs], a, b)]));
          check(`${label} forward`, results, expected, spec.bounds.forward);
        });
        // saved = the output for sigmoid and tanh (every value they produce), the input otherwise.
        const saved = spec.saved === 'output' ? referenceOf((x: number) => ref.forward(x, named), [xs]) : xs;
        it(`backward within ${spec.bounds.backward} ulp`, () => {
          const expected = referenceOf((dy: number, s: number) => ref.backward(dy, s, named), [dys, saved]);
          const results = new Map(backends.map((bk) => [bk, runKernel(arenas.get(bk)!, `${kernel}Backward`, [dys, saved], a, b)]));
          check(`${label} backward`, results, expected, spec.bounds.backward, { kernel, saved, dys });
        });
        const fromInput = (ref as { backwardFromInput?: (dy: number, x: number) => number }).backwardFromInput;
        if (spec.saved === 'output') {
          it(`backward from the input within ${spec.bounds.backward} ulp`, () => {
            expect(fromInput, `test/reference.mjs: ${kernel}.backwardFromInput`).toBeTypeOf('function');
            const expected = referenceOf((dy: number, x: number) => fromInput!(dy, x), [dys, xs]);
            const results = new Map(backends.map((bk) => [bk, runKernel(arenas.get(bk)!, `${kernel}BackwardFromInput`, [dys, xs], a, b)]));
            check(`${label} backward from the input`, results, expected, spec.bounds.backward, { kernel, saved: xs, dys });
          });
        }
        it(`derivative within ${spec.bounds.backward} ulp, equal to the backward of dy = 1`, () => {
          const expected = referenceOf((s: number) => ref.backward(1, s, named), [saved]);
          const results = new Map(backends.map((bk) => [bk, runKernel(arenas.get(bk)!, `${kernel}Derivative`, [saved], a, b)]));
          check(`${label} derivative`, results, expected, spec.bounds.backward, { kernel, saved });
          const ones = new Float32Array(saved.length).fill(1);
          const viaBackward = runKernel(arenas.get('simd')!, `${kernel}Backward`, [ones, saved], a, b);
          expect(firstBitDifference(results.get('simd')!, viaBackward)).toBe(-1);
        });
      });
    }
  }
}
