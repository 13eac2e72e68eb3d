// The demo page (npm run demo) in headless Chromium (Debian's /usr/bin/chromium through
// playwright-core, launched as in browser.test.ts): served under its content-security policy, it
// draws one chart per kernel of the table with the build it reports, times the library against
// plain JavaScript when asked, switches builds, and logs nothing to the console on the way. It
// leaves a screenshot in test/output/demo.png (docs/demo.png, the README's picture, with
// DEMO_SCREENSHOT=docs/demo.png, so that a test run leaves the tree clean). CI installs Chromium; elsewhere, without it, skipped.
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { chromiumAvailable, launch } from './chromium.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, ELEMENTWISE_NAMES, kernelsOf } from '../dist/table.js';
import { STRICT_CSP, startDemoServer } from '../scripts/demo.mjs';

const available = chromiumAvailable('demo test');

const SCREENSHOT = fileURLToPath(new URL(`../${process.env.DEMO_SCREENSHOT ?? 'test/output/demo.png'}`, import.meta.url));
const KERNELS = ELEMENTWISE_NAMES.flatMap(kernelsOf);
const waitReady = (page: Page) =>
  page.waitForFunction(() => (window as unknown as { __demoReady?: boolean }).__demoReady === true, null, { timeout: 20_000 });

describe.skipIf(!available)('the demo page in headless Chromium', () => {
  let demo: Awaited<ReturnType<typeof startDemoServer>>;
  let browser: Browser;
  let page: Page;
  let csp: string | undefined;
  const problems: string[] = [];

  beforeAll(async () => {
    demo = await startDemoServer({ port: 0 });
    browser = await launch();
    page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    // A CSP violation, a module that fails to load or a thrown error all show up here.
    page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') problems.push(`console.${m.type()}: ${m.text()}`); });
    page.on('pageerror', (e) => problems.push(`uncaught: ${e.message}`));
    page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()}`));
    page.on('response', (r) => { if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`); });
    const response = await page.goto(demo.url);
    csp = response?.headers()['content-security-policy'];
    await waitReady(page);
  });

  afterAll(async () => {
    await browser?.close();
    await demo?.close();
  });

  it('is served under the strict policy, with no inline script', () => {
    expect(csp).toBe(STRICT_CSP);
    expect(demo.csp).toBe(STRICT_CSP);
  });

  it('shows the build it runs, the best one the engine lists', async () => {
    const running = await page.locator('#running').getAttribute('data-backend');
    const supported = (await page.locator('#supported').textContent())!.split(', ');
    expect(BACKENDS).toContain(running);
    expect(running).toBe(supported[0]);
    await expect.poll(() => page.locator('#running').textContent()).toBe(running);
    expect(await page.locator('#backend').inputValue()).toBe(running);
  });

  it('draws one chart per kernel, each with the function and its derivative', async () => {
    const kernels = await page.locator('figure.chart').evaluateAll((figs) => figs.map((f) => (f as HTMLElement).dataset.kernel));
    expect(kernels).toEqual(KERNELS);
    const curves = await page.locator('figure.chart').evaluateAll((figs) =>
      figs.map((f) => Array.from(f.querySelectorAll('path.curve'), (p) => (p.getAttribute('d') ?? '').split(/[ML]/).length - 1)),
    );
    // Two curves per chart, each drawn through all 601 sample points (no value was lost as NaN).
    for (const counts of curves) expect(counts).toEqual([601, 601]);
    expect(await page.locator('figure.chart .error:not([hidden])').count()).toBe(0);
  });

  it('times the library against a plain JavaScript loop and shows positive ratios', async () => {
    await page.getByRole('button', { name: 'Time it' }).click();
    await page.locator('#timing-table:not([hidden]) td.ratio').first().waitFor({ timeout: 20_000 });
    const rows = await page.locator('#timing-table tbody tr').evaluateAll((trs) =>
      trs.map((tr) => ({ name: tr.querySelector('th')!.textContent, ratio: Number((tr.querySelector('td.ratio') as HTMLElement).dataset.ratio) })),
    );
    expect(rows.map((r) => r.name)).toEqual(['sigmoid', 'tanh']);
    for (const { ratio } of rows) {
      expect(Number.isFinite(ratio)).toBe(true);
      expect(ratio).toBeGreaterThan(0);
    }
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
  });

  it('switches to another build and redraws with it', async () => {
    await page.locator('#backend').selectOption('scalar');
    await expect.poll(() => page.locator('#running').getAttribute('data-backend')).toBe('scalar');
    await waitReady(page);
    expect(await page.locator('figure.chart path.curve').count()).toBe(2 * KERNELS.length);
    // Timings were for the other build, so they are cleared.
    expect(await page.locator('#timing-table').isHidden()).toBe(true);
  });

  it('redraws over a new x range', async () => {
    const before = await page.locator('figure.chart[data-kernel="relu"] .tick-labels').textContent();
    await page.locator('#xmin').fill('-2');
    await page.locator('#xmax').fill('2');
    await page.locator('#xmax').dispatchEvent('change');
    await expect.poll(() => page.locator('figure.chart[data-kernel="relu"] .tick-labels').textContent()).not.toBe(before);
    const labels = await page.locator('figure.chart[data-kernel="relu"] .tick-labels text').allTextContents();
    expect(labels).toContain('\u22122');
    expect(labels).not.toContain('\u22126');
  });

  it('logs no errors or warnings', () => {
    expect(problems).toEqual([]);
  });
});
