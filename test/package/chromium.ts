// Opens pages in Debian's Chromium through playwright-core (no browser download) and records
// what a developer would see in the console: console errors, uncaught exceptions, failed
// requests and HTTP error statuses (a CSP violation is a console error too).
import type { Browser } from 'playwright-core';

export { CHROMIUM, chromiumAvailable, launch } from '../chromium.js';

export interface Visit {
  /** What the page left in globalThis.__result. */
  result: unknown;
  problems: string[];
  /** Every URL the page requested, for checking where the wasm came from. */
  requests: string[];
}

export async function visit(browser: Browser, url: string): Promise<Visit> {
  const page = await browser.newPage();
  const problems: string[] = [];
  const requests: string[] = [];
  // The browser asks for /favicon.ico on its own; a server without one (Vite's dev server) 404s,
  // which says nothing about the page. Everything else counts.
  const ours = (url: string | undefined) => url === undefined || new URL(url, 'http://x').pathname !== '/favicon.ico';
  page.on('console', (m) => {
    if ((m.type() === 'error' || m.type() === 'warning') && ours(m.location().url)) problems.push(`console.${m.type()}: ${m.text()} (${m.location().url})`);
  });
  page.on('pageerror', (e) => problems.push(`uncaught: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText ?? ''}`));
  page.on('request', (r) => requests.push(r.url()));
  page.on('response', (r) => { if (r.status() >= 400 && ours(r.url())) problems.push(`HTTP ${r.status()}: ${r.url()}`); });
  try {
    // A page that never reports (a build that failed, a script that did not load) is one failed
    // check among the others, not a failed beforeAll that hides them.
    await page.goto(url);
    await page.waitForFunction(() => (globalThis as { __result?: unknown }).__result !== undefined, null, { timeout: 30_000 });
    const result = await page.evaluate(() => (globalThis as { __result?: unknown }).__result);
    return { result, problems, requests };
  } catch (error) {
    return { result: { error: `no result from ${url}: ${String(error)}` }, problems, requests };
  } finally {
    await page.close();
  }
}
