// Special values and output ranges (README, special values), through the public API, in every build.
import { describe, expect, it } from 'vitest';
import { init, supportedBackends, ELEMENTWISE, ELEMENTWISE_NAMES, type Activations } from '../dist/index.js';
import { kernelsOf } from '../dist/table.js';
import { REFERENCE, SPECIALS, denseSample } from './reference.mjs';
import { compare, paramsOf } from './measure.mjs';

const f32 = (values: number[]) => new Float32Array(values);
const same = (a: number, b: number) => Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b));

for (const backend of supportedBackends()) {
  describe(`special values [${backend}]`, async () => {
    const act: Activations = await init({ backend });

    it('keeps ELU\'s backward bound for a large alpha where exp(x) alone is subnormal', () => {
      // alpha exp(x) is normal down to x = -110 for these alphas, while exp(x) is subnormal below
      // -87.3: the slope must not go through a rounded subnormal exp(x).
      const x = new Float32Array(4001).map((_, i) => -110 + i * 0.01);
      for (const alpha of [1e10, 2 ** 39, 3.5, 2 ** -62]) {
        const a = Math.fround(alpha);
        const got = act.eluDerivative(x, { alpha });
        const ref = x.map((v) => a * Math.exp(v));
        const report = compare(got, ref, 4);
        expect(report.failures, `alpha ${alpha}: ${JSON.stringify(report.examples[0])}`).toBe(0);
        const dy = new Float32Array(x.length).fill(0.75);
        const back = compare(act.eluBackward(dy, x, { alpha }), ref.map((v) => 0.75 * v), 4, { dys: dy });
        expect(back.failures, `alpha ${alpha} backward: ${JSON.stringify(back.examples[0])}`).toBe(0);
      }
    });

    it('ELU: the signs of zero, and the alpha = 1 slope at 0, -0, x > 0, -Inf and NaN', () => {
      // alpha expm1(x) for x <= 0: elu(-0) = alpha * -0 (-0 for alpha >= 0), elu(+0) = +0.
      for (const alpha of [1, 2, 0.5, 0]) {
        const y = act.elu(f32([-0, 0]), { alpha });
        expect(Object.is(y[0], alpha * -0), `elu(-0), alpha ${alpha}`).toBe(true);
        expect(Object.is(y[1], 0), `elu(+0), alpha ${alpha}`).toBe(true);
      }
      // alpha = 1 takes its own lane code (exp(min(x, 0)) without a select): 1 wherever x > 0, at
      // +-0 and for NaN (PyTorch's elu_backward from the input: a NaN x is not <= 0), 0 at -Inf.
      const x = f32([0, -0, 2, 3e38, Infinity, NaN, -Infinity, -1]);
      const dy = f32([0.75, 0.75, 0.75, -2, 0.75, 0.75, 0.75, 0.75]);
      const dx = act.eluBackward(dy, x, { alpha: 1 });
      expect(Array.from(dx.subarray(0, 7))).toEqual([0.75, 0.75, 0.75, -2, 0.75, 0.75, 0]);
      expect(Math.abs(dx[7]! - 0.75 * Math.exp(-1)) / (0.75 * Math.exp(-1))).toBeLessThan(2 ** -21);
      expect(Array.from(act.eluDerivative(x))).toEqual(Array.from(act.eluBackward(new Float32Array(8).fill(1), x)));
    });

    it('follows PyTorch for the listed cases', () => {
      expect(Array.from(act.sigmoid(f32([Infinity, -Infinity])))).toEqual([1, 0]);
      const t = act.tanh(f32([Infinity, -Infinity, -0, 0]));
      expect(Array.from(t)).toEqual([1, -1, -0, 0]);
      expect(Object.is(t[2], -0)).toBe(true);
      expect(act.relu(f32([NaN]))[0]).toBeNaN();
      const big = f32([20.5, 1e4, 3e38]);
      expect(Array.from(act.softplus(big))).toEqual(Array.from(big));
      expect(Array.from(act.softplus(f32([12]), { threshold: 10 }))).toEqual([12]);
      expect(Array.from(act.softmax(f32([1000, 1000, -Infinity])))).toEqual([0.5, 0.5, 0]);
      expect(Array.from(act.softmax(f32([1, Infinity, 2])), Number.isNaN)).toEqual([true, true, true]);
      expect(Array.from(act.softmax(f32([-Infinity, -Infinity])), Number.isNaN)).toEqual([true, true]);
      expect(Array.from(act.softmax(f32([1, NaN, 2])), Number.isNaN)).toEqual([true, true, true]);
      const ls = act.logSoftmax(f32([1000, 1000, -Infinity]));
      expect(ls[0]).toBeCloseTo(-Math.LN2, 6);
      expect(ls[2]).toBe(-Infinity);
    });

    // The kernel takes max(x, x alpha) for alpha <= 1 and min(x, x alpha) above: every side of
    // that choice, including alpha < 0, = 0, = 1, signed zeros, subnormals and overflow to -Inf.
    it('leakyRelu is x < 0 ? float32(x alpha) : x, bit for bit, for alpha on either side of 1', () => {
      const xs = [0, -0, 1, -1, 1.5e-45, -1.5e-45, -1e-40, 3e38, -3e38, Infinity, -Infinity, NaN, 0.7, -0.7, -123.456, 1e-30];
      for (const alpha of [0.01, -0.5, 0, 1, 3, 1e10]) {
        const y = act.leakyRelu(f32(xs), { alpha });
        xs.forEach((v, i) => {
          const x = Math.fround(v);
          const want = x < 0 ? Math.fround(x * alpha) : x;
          expect(same(y[i]!, want), `leakyRelu(${x}, alpha ${alpha}) = ${y[i]}, want ${want}`).toBe(true);
        });
      }
    });

    it('gives what the IEEE formula gives at 0, -0, +-Inf, NaN, +-88.8, +-1e4 (forward, backward, derivative)', () => {
      const x = f32(SPECIALS);
      for (const name of ELEMENTWISE_NAMES) {
        const spec = ELEMENTWISE[name];
        const { named } = paramsOf(spec);
        for (const kernel of kernelsOf(name)) {
          const opts = kernel === 'geluTanh' ? { approximate: 'tanh' as const } : {};
          const ref = REFERENCE[kernel as keyof typeof REFERENCE];
          const y = (act[name] as (x: Float32Array, o: object) => Float32Array)(x, opts);
          const saved = spec.saved === 'output' ? y : x;
          const dy = new Float32Array(x.length).fill(0.75);
          const dx = (act[`${name}Backward`] as (a: Float32Array, b: Float32Array, o: object) => Float32Array)(dy, saved, opts);
          const d = (act[`${name}Derivative`] as (a: Float32Array, o: object) => Float32Array)(saved, opts);
          x.forEach((v, i) => {
            const fy = Math.fround(ref.forward(v, named));
            const fdx = Math.fround(ref.backward(0.75, saved[i]!, named));
            const fd = Math.fround(ref.backward(1, saved[i]!, named));
            // Finite values are held to the accuracy tests; here the classes must match exactly.
            for (const [what, got, want] of [['forward', y[i]!, fy], ['backward', dx[i]!, fdx], ['derivative', d[i]!, fd]] as const) {
              // Zero and subnormal are one class: the accuracy rules allow 2^-126 absolute there.
              const cls = (z: number) =>
                Number.isNaN(z) ? 'NaN' : z === Infinity ? '+Inf' : z === -Infinity ? '-Inf' : Math.abs(z) < 2 ** -126 ? 'tiny' : 'finite';
              expect(cls(got), `${kernel} ${what}(${v}) = ${got}, expected ${want}`).toBe(cls(want));
              if (!Number.isFinite(want) || Math.abs(want) === 1) expect(same(got, want) || (got === 0 && want === 0), `${kernel} ${what}(${v})`).toBe(true);
            }
          });
        }
      }
    });

    it('keeps outputs in range: sigmoid in [0, 1], tanh in [-1, 1], softmax rows sum to 1', () => {
      const x = denseSample(200);
      const s = act.sigmoid(x);
      const t = act.tanh(x);
      for (let i = 0; i < x.length; i++) {
        if (Number.isNaN(x[i]!)) continue;
        expect(s[i]! >= 0 && s[i]! <= 1, `sigmoid(${x[i]}) = ${s[i]}`).toBe(true);
        expect(t[i]! >= -1 && t[i]! <= 1, `tanh(${x[i]}) = ${t[i]}`).toBe(true);
      }
      for (const cols of [1, 3, 10, 1000, 10_000]) {
        const rows = 4;
        const logits = new Float32Array(rows * cols).map((_, i) => Math.sin(i * 12.9898) * 30);
        const y = act.softmax(logits, { cols });
        for (let r = 0; r < rows; r++) {
          let sum = 0;
          for (let j = 0; j < cols; j++) sum += y[r * cols + j]!;
          // Each output is rounded once: the sum of n roundings stays within n/2 ulp(1/n) of 1.
          expect(Math.abs(sum - 1), `cols ${cols} row ${r}`).toBeLessThanOrEqual(2 ** -23);
        }
      }
    });
  });
}
