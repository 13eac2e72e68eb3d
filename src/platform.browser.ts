// The browser counterpart of platform.ts, bundled into dist/browser.js in its place: relative
// paths are taken from the page, and every URL, file: included, goes through fetch.

export function baseUrl(): string | undefined {
  return globalThis.location?.href;
}

export const readFileUrl: ((url: URL) => Promise<BufferSource>) | undefined = undefined;

/** The cores the browser reports ('auto' threads). */
export function cores(): number {
  return globalThis.navigator?.hardwareConcurrency ?? 1;
}

/** Browsers start module Web Workers (src/threads/pool.ts) instead. */
export const startNodeWorker: undefined = undefined;
