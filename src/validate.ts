// Argument checks. Every message names the argument, what was expected and what came; they all
// run before anything is allocated or written, so a call that throws leaves `out` untouched.

import { F32Buffer, Heap } from './memory.js';

export type Tensor = Float32Array | F32Buffer;

/** A short description of what a caller passed, for error messages. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (value instanceof F32Buffer) return value.freed ? 'a freed F32Buffer' : `an F32Buffer of length ${value.length}`;
  if (ArrayBuffer.isView(value)) {
    const name = value.constructor.name;
    const length = (value as unknown as { length?: number }).length;
    return length === undefined ? `a ${name}` : `a ${name} of length ${length}`;
  }
  if (Array.isArray(value)) return `an Array of length ${value.length}`;
  if (typeof value === 'number') return `the number ${value}`;
  if (typeof value === 'string') return `the string ${JSON.stringify(value)}`;
  return `a value of type ${typeof value}`;
}

export function checkTensor(name: string, value: unknown, heap: Heap): asserts value is Tensor {
  if (value instanceof Float32Array) return;
  if (value instanceof F32Buffer) {
    if (value.freed) throw new TypeError(`${name}: expected a live F32Buffer, got one that was freed`);
    if (!value.belongsTo(heap)) {
      throw new TypeError(`${name}: expected an F32Buffer of this instance, got one allocated by another init()`);
    }
    return;
  }
  throw new TypeError(`${name}: expected a Float32Array or an F32Buffer, got ${describe(value)}`);
}

export function checkSameLength(name: string, value: Tensor, expected: number, of: string): void {
  if (value.length !== expected) {
    throw new RangeError(`${name}: expected length ${expected} (the length of ${of}), got length ${value.length}`);
  }
}

/** out may be an input itself (in place) or apart from it; a partial overlap is an error. */
export function checkOverlap(outName: string, out: Tensor, inName: string, input: Tensor, heap: Heap): void {
  const outInWasm = out instanceof F32Buffer;
  const inInWasm = input instanceof F32Buffer;
  const outBuffer = outInWasm ? heap.memory.buffer : out.buffer;
  const inBuffer = inInWasm ? heap.memory.buffer : input.buffer;
  if (outBuffer !== inBuffer) return;
  const a0 = outInWasm ? out.ptr : out.byteOffset;
  const a1 = a0 + out.length * 4;
  const b0 = inInWasm ? input.ptr : input.byteOffset;
  const b1 = b0 + input.length * 4;
  if (a1 <= b0 || b1 <= a0 || a0 === a1) return;
  if (a0 === b0 && a1 === b1) return;
  throw new RangeError(
    `${outName}: expected either ${inName} itself (in place) or memory apart from it, got a range that partly overlaps ${inName}`,
  );
}

export function checkOptions(fn: string, opts: unknown, allowed: readonly string[]): asserts opts is Record<string, unknown> | undefined {
  if (opts === undefined) return;
  if (typeof opts !== 'object' || opts === null || Array.isArray(opts)) {
    throw new TypeError(`${fn}: expected an options object or undefined, got ${describe(opts)}`);
  }
  for (const key in opts) {
    if (Object.hasOwn(opts, key) && !allowed.includes(key)) {
      throw new TypeError(`${fn}: unknown option "${key}"; expected one of ${allowed.map((k) => `"${k}"`).join(', ')}`);
    }
  }
}

export function checkNumber(name: string, value: unknown, domain: 'finite' | 'nonzero-finite'): number {
  if (typeof value !== 'number') throw new TypeError(`${name}: expected a number, got ${describe(value)}`);
  if (!Number.isFinite(value) || (domain === 'nonzero-finite' && value === 0)) {
    throw new RangeError(`${name}: expected a ${domain === 'finite' ? 'finite' : 'finite, non-zero'} number, got ${value}`);
  }
  return value;
}

export function checkCols(name: string, cols: unknown, length: number): number {
  if (typeof cols !== 'number') throw new TypeError(`${name}: expected a positive integer, got ${describe(cols)}`);
  if (!Number.isInteger(cols) || cols < 1) throw new RangeError(`${name}: expected a positive integer, got ${cols}`);
  if (length % cols !== 0) {
    throw new RangeError(`${name}: expected a divisor of the input length ${length} (rows x cols), got ${cols}`);
  }
  return cols;
}

export function checkLength(name: string, n: unknown): number {
  if (typeof n !== 'number') throw new TypeError(`${name}: expected a non-negative integer, got ${describe(n)}`);
  if (!Number.isInteger(n) || n < 0 || n > 2 ** 30) {
    throw new RangeError(`${name}: expected an integer from 0 to 2^30, got ${n}`);
  }
  return n;
}
