// What loading a build needs from Node: file: URLs (the default place of the .wasm files, beside
// dist/) are read from disk, and a relative path is taken from the working directory. Only the
// `node` export condition reaches this module; the browser bundle (dist/browser.js) swaps it for
// platform.browser.ts at build time, so no browser bundler ever meets a `node:` import.
import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';

/** The base a relative path given as `wasm` is resolved against. */
export function baseUrl(): string {
  return pathToFileURL(`${process.cwd()}/`).href;
}

/** Reads a file: URL; `undefined` where the platform has no file system of its own. */
export const readFileUrl: ((url: URL) => Promise<BufferSource>) | undefined = (url) => readFile(url);
