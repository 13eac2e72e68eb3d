// Row-wise kernels against float64 references: softmax within 4 ulp for rows up to 10,000
// columns; logSoftmax within 4 ulp or 2^-23 |x - rowmax|; backward passes within 4 ulp, or
// 2^-22 |dy| absolute where the result passes through zero (dy_i close to the row's weighted sum);
// the Jacobian within 2 ulp. Every build; simd and scalar bit-identical.
import { describe, expect, it } from 'vitest';
import { init, supportedBackends, ROWWISE, type Activations } from '../dist/index.js';
import { normalSample, softmaxRow, logSoftmaxRow, ulpDistance } from './reference.mjs';

const SHAPES: Array<[rows: number, cols: number]> = [[7, 1], [5, 3], [9, 10], [3, 17], [4, 1000], [2, 10_000]];
const SCALES = [1, 10, 100];

function rowsOf(x: Float32Array, cols: number): number[][] {
  const out: number[][] = [];
  for (let r = 0; r < x.length / cols; r++) out.push(Array.from(x.subarray(r * cols, (r + 1) * cols)));
  return out;
}

const results = new Map<string, Float32Array>();

for (const backend of supportedBackends()) {
  describe(`row-wise kernels [${backend}]`, async () => {
    const act: Activations = await init({ backend });

    for (const [rows, cols] of SHAPES) {
      for (const scale of SCALES) {
        const x = normalSample(rows * cols, scale, rows * 1000 + cols + scale);
        const dy = normalSample(rows * cols, 1, cols + 17);
        const label = `${rows}x${cols} scale ${scale}`;

        it(`softmax and its backward, ${label}`, () => {
          const y = act.softmax(x, { cols });
          const dx = act.softmaxBackward(dy, y, { cols });
          rowsOf(x, cols).forEach((row, r) => {
            const ref = softmaxRow(row);
            let dot = 0;
            for (let j = 0; j < cols; j++) dot += dy[r * cols + j]! * y[r * cols + j]!;
            for (let j = 0; j < cols; j++) {
              const i = r * cols + j;
              expect(ulpDistance(y[i], Math.fround(ref[j]!)), `softmax ${label} [${r},${j}]`).toBeLessThanOrEqual(ROWWISE.softmax.bounds.forward);
              const want = Math.fround(y[i]! * (dy[i]! - dot));
              const ok = ulpDistance(dx[i], want) <= ROWWISE.softmax.bounds.backward || Math.abs(dx[i]! - want) <= 2 ** -22 * Math.abs(dy[i]!);
              expect(ok, `softmaxBackward ${label} [${r},${j}]: ${dx[i]} vs ${want}`).toBe(true);
            }
          });
          results.set(`${backend} softmax ${label}`, y);
        });

        it(`logSoftmax and its backward, ${label}`, () => {
          const y = act.logSoftmax(x, { cols });
          const dx = act.logSoftmaxBackward(dy, y, { cols });
          rowsOf(x, cols).forEach((row, r) => {
            const ref = logSoftmaxRow(row);
            const max = Math.max(...row);
            let total = 0;
            for (let j = 0; j < cols; j++) total += dy[r * cols + j]!;
            for (let j = 0; j < cols; j++) {
              const i = r * cols + j;
              const want = Math.fround(ref[j]!);
              const ok = ulpDistance(y[i], want) <= ROWWISE.logSoftmax.bounds.forward || Math.abs(y[i]! - ref[j]!) <= 2 ** -23 * Math.abs(row[j]! - max);
              expect(ok, `logSoftmax ${label} [${r},${j}]: ${y[i]} vs ${want}`).toBe(true);
              const wantDx = Math.fround(dy[i]! - Math.exp(y[i]!) * total);
              const okDx = ulpDistance(dx[i], wantDx) <= ROWWISE.logSoftmax.bounds.backward || Math.abs(dx[i]! - wantDx) <= 2 ** -22 * Math.abs(dy[i]!);
              expect(okDx, `logSoftmaxBackward ${label} [${r},${j}]: ${dx[i]} vs ${wantDx}`).toBe(true);
            }
          });
          results.set(`${backend} logSoftmax ${label}`, y);
        });
      }
    }

    // Logits far from 0: x - max must stay exact and the padding of a partial vector must not
    // count, however large the row maximum is (a clamp floor of max - 200 rounds back to max
    // once |max| >= 2^32).
    it('softmax and logSoftmax of rows with large logits', () => {
      const cols = 5;
      const rows = [1e10, -1e10, 1e30, -1e30, 3.4e38, -3.4e38].map((c) => {
        const m = Math.fround(c);
        return [m, Math.fround(m * (1 - 2 ** -22)), Math.fround(m * (1 + 2 ** -23)), -Infinity, Math.fround(m * (1 - 2 ** -20))];
      });
      const x = new Float32Array(rows.flat());
      const y = act.softmax(x, { cols });
      const z = act.logSoftmax(x, { cols });
      rows.forEach((row, r) => {
        const ref = softmaxRow(row);
        const logRef = logSoftmaxRow(row);
        const max = Math.max(...row);
        for (let j = 0; j < cols; j++) {
          const i = r * cols + j;
          expect(ulpDistance(y[i], Math.fround(ref[j]!)), `softmax row ${row} [${j}]: ${y[i]} vs ${ref[j]}`).toBeLessThanOrEqual(ROWWISE.softmax.bounds.forward);
          const ok = ulpDistance(z[i], Math.fround(logRef[j]!)) <= ROWWISE.logSoftmax.bounds.forward || Math.abs(z[i]! - logRef[j]!) <= 2 ** -23 * Math.abs(row[j]! - max);
          expect(ok, `logSoftmax row ${row} [${j}]: ${z[i]} vs ${logRef[j]}`).toBe(true);
        }
      });
    });

    it('softmax and logSoftmax in place equal out of place, bit for bit (rows read ahead while the previous is written)', () => {
      for (const [rows, cols] of [[1, 37], [3, 17], [4, 1001], [2, 16], [5, 4]] as Array<[number, number]>) {
        const x = normalSample(rows * cols, 10, rows + cols);
        for (const name of ['softmax', 'logSoftmax'] as const) {
          const apart = act[name](x, { cols });
          const buf = act.from(x);
          act[name](buf, { cols, out: buf });
          expect(Buffer.from(buf.array.buffer, buf.array.byteOffset, buf.array.byteLength).equals(Buffer.from(apart.buffer)), `${name} ${rows}x${cols}`).toBe(true);
          buf.free();
        }
      }
    });

    it('softmaxJacobian: y_i (delta_ij - y_j) within 2 ulp, rows x cols x cols', () => {
      const cols = 13;
      const y = act.softmax(normalSample(3 * cols, 3, 99), { cols });
      const jac = act.softmaxJacobian(y, { cols });
      expect(jac.length).toBe(3 * cols * cols);
      for (let r = 0; r < 3; r++) {
        for (let i = 0; i < cols; i++) {
          for (let j = 0; j < cols; j++) {
            const yi = y[r * cols + i]!;
            const yj = y[r * cols + j]!;
            const want = Math.fround(yi * ((i === j ? 1 : 0) - yj));
            expect(ulpDistance(jac[(r * cols + i) * cols + j], want)).toBeLessThanOrEqual(2);
          }
        }
      }
    });
  });
}

describe('row-wise builds agree', () => {
  it('simd and scalar give bit-identical softmax and logSoftmax', () => {
    let compared = 0;
    for (const [key, value] of results) {
      if (!key.startsWith('simd ')) continue;
      const other = results.get(key.replace('simd ', 'scalar '))!;
      expect(Buffer.from(value.buffer).equals(Buffer.from(other.buffer)), key).toBe(true);
      compared++;
    }
    expect(compared).toBe(SHAPES.length * SCALES.length * 2);
  });
});
