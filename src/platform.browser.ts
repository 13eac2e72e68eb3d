// The browser counterpart of platform.ts, bundled into dist/browser.js in its place: relative
// paths are taken from the page, and every URL, file: included, goes through fetch.

export function baseUrl(): string | undefined {
  return globalThis.location?.href;
}

export const readFileUrl: ((url: URL) => Promise<BufferSource>) | undefined = undefined;
