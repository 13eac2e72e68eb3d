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
 * Starts a pool worker (dist/threads/worker.js) as a worker_threads Worker; the browser platform
 * has none and the pool uses a module Web Worker there. `execArgv` is the worker's own: flags such
 * as --experimental-wasm-relaxed-simd are process-wide, and some of the caller's (--input-type)
 * would stop a worker.
 */
export const startNodeWorker: ((execArgv: string[]) => Worker) | undefined = (execArgv) =>
  new Worker(new URL('./threads/worker.js', import.meta.url), { execArgv });
