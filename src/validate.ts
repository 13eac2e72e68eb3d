// Argument checks, each rule written once. Every message names the argument, what was expected
// and what came; they all run before anything is allocated or written, so a call that throws
// leaves `out` untouched. The rule for error classes: a value of the wrong type throws TypeError;
// a value of the right type outside the allowed set or range throws RangeError.

import { F32Buffer, type Heap } from './memory.js';
import type { NumericParam } from './table.js';

export type Tensor = Float32Array | F32Buffer;

/** The longest tensor a call takes: 2^30 floats, the 4 GiB that wasm32 addresses. */
export const MAX_LENGTH = 2 ** 30;

/** "a" or "an" before a word, as it is spoken ("an Int32Array", "a Float32Array"). */
function article(word: string): string {
  return /^[aeiou]/i.test(word) ? `an ${word}` : `a ${word}`;
}

/** A short description of what a caller passed, for error messages. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (F32Buffer.isBuffer(value)) return value.freed ? 'a freed F32Buffer' : `an F32Buffer of length ${value.length}`;
  if (ArrayBuffer.isView(value)) {
    const name = value.constructor.name;
    const length = (value as unknown as { length?: number }).length;
    return length === undefined ? article(name) : `${article(name)} of length ${length}`;
  }
  if (Array.isArray(value)) return `an Array of length ${value.length}`;
  if (typeof value === 'number') return `the number ${value}`;
  if (typeof value === 'string') return `the string ${JSON.stringify(value)}`;
  if (typeof value === 'bigint') return `the bigint ${value}`;
  if (typeof value === 'object') {
    const proto = Object.getPrototypeOf(value);
    if (proto === null || Object.getPrototypeOf(proto) === null) return 'a plain object';
    const name = (value as { constructor?: { name?: unknown } }).constructor?.name;
    return typeof name === 'string' && name !== 'Object' ? article(name) : 'an object that inherits from another object';
  }
  return article(`value of type ${typeof value}`);
}

/** The list of choices as a message shows it: 'a', 'b', 'c'. */
export function quoteAll(choices: readonly string[]): string {
  return choices.map((c) => `'${c}'`).join(', ');
}

// %TypedArray%.prototype[Symbol.toStringTag] answers with the internal type of a real typed
// array, whatever realm made it (instanceof does not, for an array from a vm context or an iframe).
const typedArrayTag = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(Int8Array.prototype), Symbol.toStringTag)!.get!;

/** A Float32Array of any realm. */
export function isFloat32Array(value: unknown): value is Float32Array {
  return value instanceof Float32Array || (ArrayBuffer.isView(value) && typedArrayTag.call(value) === 'Float32Array');
}

/**
 * Whether a buffer was detached (a WebAssembly.Memory that grew, or an ArrayBuffer transferred):
 * its views then read as empty. Node 20 lacks ArrayBuffer.prototype.detached; constructing a view
 * on a detached buffer throws in every engine.
 */
export function isDetached(buffer: ArrayBufferLike): boolean {
  if (buffer.byteLength !== 0) return false;
  try {
    new Uint8Array(buffer);
    return false;
  } catch {
    return true;
  }
}

/** The error for a view whose buffer was detached; `what` is the kind of view expected. */
export function detachedError(name: string, what: string): RangeError {
  return new RangeError(`${name}: expected ${what} with its memory, got a view whose buffer was detached (wasm memory that grew, or a transferred buffer): take buf.array again after a call that may grow memory`);
}

export function checkTensor(name: string, value: unknown, heap: Heap): asserts value is Tensor {
  if (isFloat32Array(value)) {
    if (value.length === 0 && isDetached(value.buffer)) {
      throw detachedError(name, 'a Float32Array');
    }
    // A view on this instance's memory is resident: it must lie inside a live F32Buffer, not over
    // freed blocks or the staging areas that a call writes.
    if (value.buffer === heap.buffer && value.length > 0 && !heap.isLive(value.byteOffset, value.byteLength)) {
      throw new RangeError(`${name}: expected a view inside a live F32Buffer of this instance (such as buf.array), got a view on its wasm memory outside every live buffer`);
    }
    return;
  }
  if (F32Buffer.isBuffer(value)) {
    if (value.freed) throw new TypeError(`${name}: expected a live F32Buffer, got one that was freed`);
    if (!value.belongsTo(heap)) {
      throw new TypeError(`${name}: expected an F32Buffer of this instance, got one allocated by another init()`);
    }
    return;
  }
  throw new TypeError(`${name}: expected a Float32Array or an F32Buffer, got ${describe(value)}`);
}

/** `what` says where the expected length comes from: "the length of x", "batch x inputs". */
export function checkLength(name: string, value: Tensor, expected: number, what: string): void {
  if (value.length !== expected) {
    throw new RangeError(`${name}: expected length ${expected} (${what}), got length ${value.length}`);
  }
}

/**
 * How an output may share memory with an input: elementwise and row-wise kernels load before
 * they store, so they may run in place (the very same range); others read an input after they
 * have started writing, so their outputs must lie apart, for the reason given.
 */
export type OverlapRule = { readonly inPlace: 'allowed' } | { readonly inPlace: 'refused'; readonly reason: string };

export const IN_PLACE_ALLOWED: OverlapRule = { inPlace: 'allowed' };

// The buffer and byte offset a tensor lives at (no objects: this runs on every call with `out`).
const bufferOf = (t: Tensor, heap: Heap): ArrayBufferLike => (t instanceof F32Buffer ? heap.buffer : t.buffer);
const startOf = (t: Tensor): number => (t instanceof F32Buffer ? t.ptr : t.byteOffset);

export function checkOverlap(outName: string, out: Tensor, inName: string, input: Tensor, heap: Heap, rule: OverlapRule): void {
  if (out.length === 0 || bufferOf(out, heap) !== bufferOf(input, heap)) return;
  const a = startOf(out);
  const b = startOf(input);
  if (a + out.length * 4 <= b || b + input.length * 4 <= a) return;
  if (rule.inPlace === 'allowed') {
    if (a === b && out.length === input.length) return;
    throw new RangeError(
      `${outName}: expected either ${inName} itself (in place) or memory apart from it, got a range that partly overlaps ${inName}`,
    );
  }
  throw new RangeError(`${outName}: expected memory apart from ${inName} (${rule.reason}), got a range that overlaps it`);
}

/** The one check of an `out` argument: its kind, its length, and how it meets every input. */
export function checkOut(
  name: string,
  out: unknown,
  length: number,
  what: string,
  inputs: readonly (readonly [string, Tensor | undefined])[],
  heap: Heap,
  rule: OverlapRule,
): asserts out is Tensor {
  checkTensor(name, out, heap);
  checkLength(name, out, length, what);
  for (const [inName, input] of inputs) if (input !== undefined) checkOverlap(name, out, inName, input, heap, rule);
}

/** The arguments object of a call that takes one (`init`, `dense`, `outputLayerGradient`). */
/**
 * A copy of an options or arguments object, each own property read once: the checks and the call
 * then see the same values, whatever getters the object has. Only plain objects are taken (their
 * prototype is an Object.prototype or null), so that a Map or an inherited key is not mistaken for
 * an option; symbol keys are refused as unknown options.
 */
export function snapshot(fn: string, value: unknown): Record<string, unknown> {
  const proto = typeof value === 'object' && value !== null && !Array.isArray(value) ? Object.getPrototypeOf(value) : undefined;
  if (proto === undefined || (proto !== null && Object.getPrototypeOf(proto) !== null)) {
    throw new TypeError(`${fn}: expected a plain options object, got ${describe(value)}`);
  }
  // An ordinary object (a null-prototype one is several times slower to read in V8): no option
  // is named like an Object.prototype member, and "__proto__", which an assignment would not
  // copy, is refused here as the unknown option it is.
  // for-in rather than Reflect.ownKeys: a third of the cost on the small objects calls take, and
  // a plain object inherits no enumerable key; its symbol keys are looked for apart.
  const copy: Record<string, unknown> = {};
  for (const key in value as object) {
    if (key === '__proto__') throw new TypeError(`${fn}: unknown option "__proto__"`);
    copy[key] = (value as Record<string, unknown>)[key];
  }
  const symbols = Object.getOwnPropertySymbols(value);
  if (symbols.length > 0) throw new TypeError(`${fn}: unknown option ${String(symbols[0])}; options are named by strings`);
  return copy;
}

/** A snapshot's keys are all in `allowed`; other keys are usually typos. */
export function checkKeys(fn: string, options: Record<string, unknown>, allowed: readonly string[]): Record<string, unknown> {
  for (const key in options) {
    if (!allowed.includes(key)) throw new TypeError(`${fn}: unknown option "${key}"; expected one of ${allowed.map((k) => `"${k}"`).join(', ')}`);
  }
  return options;
}

/** An options object (or undefined), read once, holding only the keys in `allowed`. */
export function checkOptions(fn: string, opts: unknown, allowed: readonly string[]): Record<string, unknown> | undefined {
  return opts === undefined ? undefined : checkKeys(fn, snapshot(fn, opts), allowed);
}

/** One of a set of strings: TypeError for a non-string, RangeError for a string outside the set. */
export function checkChoice<C extends string>(name: string, value: unknown, choices: readonly C[]): C {
  if (typeof value !== 'string') throw new TypeError(`${name}: expected one of ${quoteAll(choices)}, got ${describe(value)}`);
  if (!(choices as readonly string[]).includes(value)) {
    throw new RangeError(`${name}: expected one of ${quoteAll(choices)}, got ${describe(value)}`);
  }
  return value as C;
}

/**
 * A parameter of an activation. A float32 parameter is checked after rounding to float32, the
 * value the kernel uses: 1e39 would become Infinity there, 1e-50 zero.
 */
export function checkParam(name: string, value: unknown, param: NumericParam): number {
  if (typeof value !== 'number') throw new TypeError(`${name}: expected a number, got ${describe(value)}`);
  const used = param.precision === 'float32' ? Math.fround(value) : value;
  if (!Number.isFinite(used) || (param.domain === 'nonzero-finite' && used === 0)) {
    const nonzero = param.domain === 'nonzero-finite';
    const expected = param.precision === 'float64'
      ? `a finite${nonzero ? ', non-zero' : ''} number`
      : `a number that is finite${nonzero ? ' and non-zero' : ''} in float32 (magnitude ${nonzero ? 'from 1.4e-45 ' : 'below 3.4028235e38'}${nonzero ? 'to 3.4028235e38' : ''})`;
    throw new RangeError(`${name}: expected ${expected}, got ${value}`);
  }
  return value;
}

/** An integer from `min` to 2^30 (a length, a count, a dimension). */
export function checkInteger(name: string, value: unknown, min: 0 | 1): number {
  const kind = min === 0 ? 'a non-negative integer' : 'a positive integer';
  if (typeof value !== 'number') throw new TypeError(`${name}: expected ${kind}, got ${describe(value)}`);
  if (!Number.isInteger(value) || value < min || value > MAX_LENGTH) {
    throw new RangeError(`${name}: expected an integer from ${min} to 2^30, got ${value}`);
  }
  return value;
}

/** Values per row of a row-major layout: a positive integer dividing the length. */
export function checkCols(name: string, cols: unknown, length: number, of: string): number {
  checkInteger(name, cols, 1);
  if (length % (cols as number) !== 0) {
    throw new RangeError(`${name}: expected a divisor of the length of ${of} (${length} = rows x cols), got ${cols as number}`);
  }
  return cols as number;
}
