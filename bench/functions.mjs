// The functions under test, read from the library's own activation table (never a hand-written
// list): one entry per elementwise activation and per variant (gelu, gelu:tanh), and one per
// row-wise activation and row length.

import { ELEMENTWISE, ROWWISE_NAMES } from '../dist/index.js';

// 2 to 1000: the row lengths of issue 10's softmax targets; 10000 the longest the tests check.
export const ROW_LENGTHS = [2, 10, 100, 1000, 10000];

/** Works measured per function: forward; (x, dy) -> dx with the forward recomputed; (dy, saved) -> dx. */
export const WORKS = ['forward', 'backward', 'backward-saved'];

export function allFunctions() {
  const list = [];
  for (const [name, spec] of Object.entries(ELEMENTWISE)) {
    const params = Object.fromEntries(Object.entries(spec.params).map(([p, d]) => [p, d.default]));
    const choices = spec.variants ? Object.entries(spec.variants.kernels) : [[undefined, name]];
    for (const [choice, kernel] of choices) {
      const isDefault = !spec.variants || choice === spec.variants.default;
      const options = isDefault ? { ...params } : { ...params, [spec.variants.option]: choice };
      list.push({
        id: isDefault ? name : `${name}:${choice}`,
        name,
        kernel,
        kind: 'elementwise',
        saved: spec.saved,
        params,
        options,
      });
    }
  }
  for (const name of ROWWISE_NAMES) {
    for (const cols of ROW_LENGTHS) {
      list.push({ id: `${name}/${cols}`, name, kernel: name, kind: 'rowwise', saved: 'output', cols, params: {}, options: { cols } });
    }
  }
  return list;
}

/** Selects functions by id, by name (all variants / row lengths) or by kernel name. */
export function selectFunctions(selectors) {
  const all = allFunctions();
  if (!selectors || selectors.length === 0) return all;
  // Any row length on request: softmax/2, logSoftmax/100 (the default list has 10, 1000, 10000).
  for (const s of selectors) {
    const m = /^(\w+)\/(\d+)$/.exec(s);
    if (m && ROWWISE_NAMES.includes(m[1]) && Number(m[2]) >= 1 && !all.some((f) => f.id === s)) {
      const cols = Number(m[2]);
      all.push({ id: s, name: m[1], kernel: m[1], kind: 'rowwise', saved: 'output', cols, params: {}, options: { cols } });
    }
  }
  const picked = all.filter((f) => selectors.some((s) => s === f.id || s === f.name || s === f.kernel));
  const unknown = selectors.filter((s) => !all.some((f) => s === f.id || s === f.name || s === f.kernel));
  if (unknown.length) throw new RangeError(`--ops: unknown ${unknown.join(', ')}; known: ${all.map((f) => f.id).join(', ')}`);
  return picked;
}

/** The element count a function really runs at for a requested size (whole rows), or 0 if none. */
export function elementsFor(fn, size) {
  if (fn.kind !== 'rowwise') return size;
  const rows = Math.round(size / fn.cols);
  return rows >= 1 ? rows * fn.cols : 0;
}
