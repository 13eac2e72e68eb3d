// Finding, compiling and instantiating a build. Node reads the .wasm files that ship beside the
// compiled module (build/); browsers fetch them with streaming compilation; `init({ wasm })`
// takes bytes, a URL, a Response or a compiled Module. Nothing falls back silently: a build that
// fails to load throws. What differs between Node and browsers lives in platform.ts.

import { instantiate } from '@assemblyscript/loader';
import { baseUrl, readFileUrl } from './platform.js';
import type { Backend } from './table.js';

export type WasmSource = BufferSource | URL | string | Response | WebAssembly.Module;

// ---- feature detection: tiny modules holding the instruction families each build uses ----

// (module (func (result v128) BODY)) in the binary format.
function moduleWith(body: number[]): Uint8Array<ArrayBuffer> {
  const code = [0x00, ...body, 0x0b]; // no locals, BODY, end
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version
    0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, // type section: () -> v128
    0x03, 0x02, 0x01, 0x00, // function section
    0x0a, code.length + 2, 0x01, code.length, ...code, // code section
  ]);
}

const V128_ZERO = [0xfd, 0x0c, ...new Array<number>(16).fill(0)];
// f32x4.add(v, v) and f64x2.promote_low_f32x4: SIMD 128 as the simd build uses it.
const SIMD_PROBE = moduleWith([...V128_ZERO, ...V128_ZERO, 0xfd, 0xe4, 0x01, 0xfd, 0x5f]);
// f32x4.relaxed_madd(v, v, v) then i32x4.relaxed_laneselect(., v, v): the relaxed build's two.
const RELAXED_PROBE = moduleWith([
  ...V128_ZERO, ...V128_ZERO, ...V128_ZERO, 0xfd, 0x85, 0x02,
  ...V128_ZERO, ...V128_ZERO, 0xfd, 0x8b, 0x02,
]);

/** The builds this engine can run, best first. */
export function supportedBackends(): Backend[] {
  const found: Backend[] = [];
  if (WebAssembly.validate(RELAXED_PROBE)) found.push('relaxed');
  if (WebAssembly.validate(SIMD_PROBE)) found.push('simd');
  found.push('scalar');
  return found;
}

// ---- fetching and compiling ----

// One literal `new URL('...', import.meta.url)` per build: webpack 5 and Vite recognise exactly
// that form and emit the file as an asset with its URL rewritten (a template literal would hide
// the names from them). Functions, so that nothing is resolved until a build is asked for: an
// app that passes `wasm` itself never touches these, even where import.meta.url means nothing.
const DEFAULT_URLS: Record<Backend, () => URL> = {
  relaxed: () => new URL('../build/relaxed.wasm', import.meta.url),
  simd: () => new URL('../build/simd.wasm', import.meta.url),
  scalar: () => new URL('../build/scalar.wasm', import.meta.url),
};

/** Where a build's .wasm file ships: build/ beside dist/. */
export function defaultWasmUrl(backend: Backend): URL {
  return DEFAULT_URLS[backend]();
}

/** A Response, or the bytes behind a URL or path (a file: URL read from disk where there is one). */
async function fetchSource(source: BufferSource | URL | string | Response): Promise<Response | BufferSource> {
  if (source instanceof URL || typeof source === 'string') {
    const url = source instanceof URL ? source : new URL(source, baseUrl());
    if (url.protocol === 'file:' && readFileUrl !== undefined) return readFileUrl(url);
    return fetch(url);
  }
  return source;
}

function checkResponse(response: Response): void {
  if (!response.ok) throw new Error(`wasm: the response for ${response.url || 'the module'} has status ${response.status}`);
}

const isResponse = (value: unknown): value is Response => typeof Response !== 'undefined' && value instanceof Response;

async function compile(source: WasmSource): Promise<WebAssembly.Module> {
  if (source instanceof WebAssembly.Module) return source;
  const fetched = await fetchSource(source as BufferSource | URL | string | Response);
  if (!isResponse(fetched)) return WebAssembly.compile(fetched);
  checkResponse(fetched);
  if (typeof WebAssembly.compileStreaming === 'function' && fetched.headers.get('content-type') === 'application/wasm') {
    return WebAssembly.compileStreaming(fetched);
  }
  return WebAssembly.compile(await fetched.arrayBuffer());
}

/** The bytes of a module source, as the loader would fetch them (threads rewrite them); none for a compiled Module. */
export async function sourceBytes(source: WasmSource): Promise<Uint8Array | undefined> {
  if (source instanceof WebAssembly.Module) return undefined;
  const fetched = await fetchSource(source as BufferSource | URL | string | Response);
  if (isResponse(fetched)) {
    checkResponse(fetched);
    return new Uint8Array(await fetched.arrayBuffer());
  }
  if (fetched instanceof ArrayBuffer) return new Uint8Array(fetched);
  return new Uint8Array(fetched.buffer as ArrayBuffer, fetched.byteOffset, fetched.byteLength);
}

export interface KernelExports {
  readonly memory: WebAssembly.Memory;
  heapBase(): number;
  readonly [kernel: string]: unknown;
}

/** Compiles and instantiates one build; throws with the build's name on failure. */
export async function loadBuild(backend: Backend, source?: WasmSource): Promise<KernelExports> {
  try {
    const module = await compile(source ?? defaultWasmUrl(backend));
    // The loader turns an AssemblyScript abort into an Error with its message and location.
    const { exports } = await instantiate<Record<string, unknown>>(module, {});
    return exports as unknown as KernelExports;
  } catch (cause) {
    const why = cause instanceof Error ? cause.message : String(cause);
    throw new Error(`simd-activations: could not load the ${backend} build: ${why}`, { cause });
  }
}
