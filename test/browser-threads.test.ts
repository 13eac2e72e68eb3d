// init({ threads }) in headless Chromium (Debian's /usr/bin/chromium via playwright-core, as in
// browser.test.ts; no browser download). Served with Cross-Origin-Opener-Policy: same-origin and
// Cross-Origin-Embedder-Policy: require-corp the page is cross-origin isolated: two threads, the
// bits of one thread, in every build. Served without them: one thread, no error, no console output.
import type { Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import { chromiumAvailable, launch } from './chromium.js';
import { afterAll, describe, expect, it } from 'vitest';
import { createStaticServer, listen } from '../scripts/static-server.mjs';

const available = chromiumAvailable('browser threads test');

const root = fileURLToPath(new URL('..', import.meta.url));

interface PageResult {
  error?: string;
  isolated: boolean;
  results: Record<string, { threads: number; wakeups: number; calls: number; afterClose: number; differences: Record<string, number> }>;
  bundle: { threads: number; differences: number };
}

const servers: Server[] = [];
afterAll(() => Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve())))));

/** Serves the checkout read-only on a loopback port, every response with `headers`. */
async function serve(headers: Record<string, string>): Promise<number> {
  const server = createStaticServer({ root, index: 'test/browser/threads.html', headers });
  servers.push(server);
  return listen(server, 0);
}

async function runPage(headers: Record<string, string>): Promise<{ result: PageResult; messages: string[] }> {
  const port = await serve(headers);
  const browser = await launch();
  try {
    const page = await browser.newPage();
    const messages: string[] = [];
    page.on('console', (m) => messages.push(`console.${m.type()}: ${m.text()}`));
    page.on('pageerror', (e) => messages.push(`pageerror: ${e.message}`));
    await page.goto(`http://127.0.0.1:${port}/test/browser/threads.html`);
    await page.waitForFunction(() => (window as unknown as { __result?: unknown }).__result !== undefined, null, { timeout: 120_000 });
    const result = await page.evaluate(() => (window as unknown as { __result: PageResult }).__result);
    return { result, messages };
  } finally {
    await browser.close();
  }
}

describe.skipIf(!available)('threads in headless Chromium', () => {
  it('run on 2 threads, with the bits of 1 thread, on a cross-origin isolated page', async () => {
    const { result, messages } = await runPage({ 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' });
    expect(result.error).toBeUndefined();
    expect(messages).toEqual([]);
    expect(result.isolated).toBe(true);
    expect(Object.keys(result.results)).toEqual(['relaxed', 'simd', 'scalar']);
    for (const [backend, r] of Object.entries(result.results)) {
      expect(r.threads, backend).toBe(2);
      expect(r.wakeups, `${backend}: every call split`).toBe(r.calls);
      expect(r.afterClose, backend).toBe(1);
      for (const [name, d] of Object.entries(r.differences)) expect(d, `${backend} ${name}`).toBe(0);
    }
    expect(result.bundle).toEqual({ threads: 2, differences: 0 });
  });

  it('run on 1 thread, without an error or console output, on a page that is not isolated', async () => {
    const { result, messages } = await runPage({});
    expect(result.error).toBeUndefined();
    expect(messages).toEqual([]);
    expect(result.isolated).toBe(false);
    for (const [backend, r] of Object.entries(result.results)) {
      expect(r.threads, backend).toBe(1);
      expect(r.wakeups, backend).toBe(0);
      for (const [name, d] of Object.entries(r.differences)) expect(d, `${backend} ${name}`).toBe(0);
    }
    expect(result.bundle).toEqual({ threads: 1, differences: 0 });
  });
});
