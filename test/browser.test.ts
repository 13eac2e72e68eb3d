// The library in headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core; no
// browser download): the browser file (dist/browser.js, no import map) and the wasm builds load
// over HTTP with streaming compilation,
// every build the browser supports runs, simd and scalar agree bit for bit there too, and the
// values match the float64 references. CI installs Chromium (.ci/run); elsewhere, without it, the
// test says so and is skipped.
import type { Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import { chromiumAvailable, launch } from './chromium.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REFERENCE, ulpDistance } from './reference.mjs';
import { ELEMENTWISE } from '../dist/table.js';
import { createStaticServer, listen } from '../scripts/static-server.mjs';

const available = chromiumAvailable('browser test');

const root = fileURLToPath(new URL('..', import.meta.url));

interface PageResult {
  error?: string;
  backends: string[];
  input: number[];
  results: Record<string, { backend: string; out: Record<string, number[]>; memory: { liveBuffers: number } }>;
}

describe.skipIf(!available)('in headless Chromium', () => {
  let server: Server;
  let result: PageResult;

  beforeAll(async () => {
    // Serves the checkout read-only on a loopback port.
    server = createStaticServer({ root, index: 'test/browser/page.html' });
    const port = await listen(server, 0);
    const browser = await launch();
    try {
      const page = await browser.newPage();
      await page.goto(`http://127.0.0.1:${port}/test/browser/page.html`);
      await page.waitForFunction(() => (window as unknown as { __result?: unknown }).__result !== undefined, null, { timeout: 60_000 });
      result = await page.evaluate(() => (window as unknown as { __result: PageResult }).__result);
    } finally {
      await browser.close();
    }
  });

  afterAll(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

  it('loads and runs all three builds', () => {
    expect(result.error).toBeUndefined();
    expect(result.backends).toEqual(['relaxed', 'simd', 'scalar']);
    for (const b of result.backends) {
      expect(result.results[b]!.backend).toBe(b);
      expect(result.results[b]!.memory.liveBuffers).toBe(0);
    }
  });

  it('gives the same bits in simd and scalar, and values within the bounds', () => {
    const simd = result.results.simd!.out;
    const scalar = result.results.scalar!.out;
    for (const key of Object.keys(simd)) {
      expect(simd[key]!.length).toBeGreaterThan(0);
      simd[key]!.forEach((v, i) => expect(Object.is(v, scalar[key]![i]) || (Number.isNaN(v) && Number.isNaN(scalar[key]![i]!)), `${key}[${i}]`).toBe(true));
    }
    for (const b of result.backends) {
      const out = result.results[b]!.out;
      for (const [name, spec] of Object.entries(ELEMENTWISE)) {
        const named = Object.fromEntries(Object.entries(spec.params).map(([k, p]) => [k, p.default]));
        const ref = REFERENCE[name as keyof typeof REFERENCE];
        result.input.forEach((x, i) => {
          const want = Math.fround(ref.forward(x, named));
          expect(ulpDistance(out[name]![i]!, want) <= spec.bounds.forward || Math.abs(want) < 2 ** -126, `${b} ${name}(${x})`).toBe(true);
        });
      }
      expect(out.residentTanh).toEqual(out.tanh);
    }
  });
});
