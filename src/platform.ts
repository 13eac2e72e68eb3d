// What loading a build needs from Node: file: URLs (the default place of the .wasm files, beside
// dist/) are read from disk, and a relative path is taken from the working directory. Only the
// `node` export condition reaches this module; the browser bundle (dist/browser.js) swaps it for
// platform.browser.ts at build time, so no browser bundler ever meets a `node:` import.
import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

/** The base a relative path given as `wasm` is resolved against. */
export function baseUrl(): string {
  return pathToFileURL(`${process.cwd()}/`).href;
}

/** Reads a file: URL; `undefined` where the platform has no file system of its own. */
export const readFileUrl: ((url: URL) => Promise<BufferSource>) | undefined = (url) => readFile(url);

/** The cores this process may use ('auto' threads). */
export function cores(): number {
  return availableParallelism();
}

/**
 * Starts a pool worker (dist/threads/worker-node.js) as a worker_threads Worker; the browser platform
 * has none and the pool uses a module Web Worker there. With no Node options of its own: V8 flags
 * such as --experimental-wasm-relaxed-simd are process-wide anyway (a worker validates the relaxed
 * build when the process has the flag), and inheriting the caller's, Node's default, breaks under
 * `node --input-type=module -e ...`, whose --input-type a worker refuses.
 */
export const startNodeWorker: (() => Worker) | undefined = () =>
  new Worker(new URL('./threads/worker-node.js', import.meta.url), { execArgv: [] });
