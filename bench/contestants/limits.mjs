// The machine's streaming limit over the same sizes: a wasm v128 load/store copy loop (the
// library's own math_copy kernel on memory managed here) and TypedArray.prototype.set. Large
// arrays are memory-bound; these are the ceiling an elementwise kernel can approach.

import { loadBuild } from '../../dist/loader.js';

const PAGE = 65536;

export function wasmCopyContestant(version) {
  let ex;
  return {
    id: 'copy-wasm',
    label: 'wasm v128 copy loop (limit)',
    family: 'limit',
    mode: 'copy',
    version,
    async setup() {
      ex = await loadBuild('simd');
      if (typeof ex.math_copy !== 'function') throw new Error('the simd build exports no math_copy kernel');
    },
    supports: () => true,
    async prepare(fn, work, data) {
      const n = data.x.length;
      const base = (ex.heapBase() + 15) & ~15;
      const bytes = ((n * 4 + 15) & ~15) * 2;
      const need = base + bytes - ex.memory.buffer.byteLength;
      if (need > 0) ex.memory.grow(Math.ceil(need / PAGE));
      const xPtr = base;
      const yPtr = base + ((n * 4 + 15) & ~15);
      new Float32Array(ex.memory.buffer, xPtr, n).set(data.x);
      const copy = ex.math_copy;
      return {
        run: () => copy(xPtr, yPtr, n),
        result: () => new Float32Array(ex.memory.buffer, yPtr, n).slice(),
        dispose() {},
      };
    },
  };
}

export function typedArraySetContestant(version) {
  return {
    id: 'copy-set',
    label: 'TypedArray.prototype.set (limit)',
    family: 'limit',
    mode: 'copy',
    version,
    async setup() {},
    supports: () => true,
    async prepare(fn, work, data) {
      const x = data.x;
      const y = new Float32Array(x.length);
      return { run: () => y.set(x), result: () => y.slice(), dispose() {} };
    },
  };
}
