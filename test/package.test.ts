// The published package as users get it: `npm pack`, the tarball installed into temporary apps,
// built with webpack 5, Vite and esbuild (the README's recipe, verbatim) and loaded with no
// bundler, each page opened in headless Chromium under a strict content-security policy and its
// results compared bit for bit with Node's; Node ESM, require() and strict TypeScript from the
// same tarball. Everything is built once, in beforeAll, with the builds running side by side.
// CI installs Chromium (.ci/run); elsewhere, without it, the browser half says so and is skipped.
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeApps, type Apps } from './package/apps.js';
import { chromiumAvailable, launch, visit, type Visit } from './package/chromium.js';
import { pack, type Packed } from './package/pack.js';
import { CSP, serve } from './package/serve.js';
import { startViteDev } from './package/vite-dev.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const hasChromium = chromiumAvailable('package test (its browser checks)');

interface ProbeResult {
  error?: string;
  resolved?: string;
  backends: string[];
  results: Record<string, { backend: string; bits: Record<string, number[]>; liveBuffers: number }>;
}

const BUNDLERS = ['webpack', 'vite', 'esbuild'] as const;
// Where each page is served from: a bundled app only from its output directory (so a wasm URL
// the bundler left pointing into node_modules would 404); the no-bundler page from the app root.
const PAGES = {
  webpack: { root: 'webpack/dist', path: '' },
  vite: { root: 'vite/dist', path: '' },
  esbuild: { root: 'esbuild/dist', path: '' },
  'no bundler': { root: '.', path: 'plain/' },
} as const;
type PageName = keyof typeof PAGES | 'vite dev server';

let packed: Packed;
let apps: Apps;
let nodeEsm: ProbeResult;
let viteDevOutput = '';
let viteDevCsp: string | null = null;
const visits = {} as Record<PageName, Visit>;

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => relative(dir, join(e.parentPath, e.name)));
}

/** Bit-for-bit equality of two probe results for one build, naming the first difference. */
function expectSameBits(got: ProbeResult['results'][string], want: ProbeResult['results'][string], where: string): void {
  expect(Object.keys(got.bits).sort(), where).toEqual(Object.keys(want.bits).sort());
  for (const [name, bits] of Object.entries(want.bits)) {
    const other = got.bits[name]!;
    expect(other.length, `${where} ${name}`).toBe(bits.length);
    const i = bits.findIndex((b, k) => b !== other[k]);
    expect(i, `${where} ${name}[${i}]: 0x${other[i]?.toString(16)} against Node's 0x${bits[i]?.toString(16)}`).toBe(-1);
  }
}

beforeAll(async () => {
  packed = await pack(root);
  apps = await makeApps(root, packed.tarball);
  if (apps.builds.nodeEsm.code === 0) nodeEsm = JSON.parse(apps.builds.nodeEsm.stdout) as ProbeResult;
  if (!hasChromium) return;
  let browser: Browser | undefined;
  try {
    browser = await launch();
    for (const [name, page] of Object.entries(PAGES) as [keyof typeof PAGES, (typeof PAGES)[keyof typeof PAGES]][]) {
      const server = await serve(join(apps.dir, page.root));
      try {
        visits[name] = await visit(browser, `${server.url}${page.path}`);
      } finally {
        await server.close();
      }
    }
    const dev = await startViteDev(root, join(apps.dir, 'vite'));
    try {
      viteDevCsp = (await fetch(dev.url)).headers.get('content-security-policy');
      visits['vite dev server'] = await visit(browser, dev.url);
    } finally {
      viteDevOutput = dev.output();
      await dev.close();
    }
  } finally {
    await browser?.close();
  }
}, 300_000);

afterAll(async () => {
  // SHOW_BUILDS=1 prints what each tool printed, as a user would have seen it.
  if (process.env.SHOW_BUILDS) for (const [k, r] of Object.entries(apps.builds)) console.log(`--- ${k} (${r.seconds}s)\n${r.output}`);
  await apps?.remove();
});

describe('the packed tarball', () => {
  it('ships exactly the built library, the three wasm builds and the package files', async () => {
    // Every module of src/ (subdirectories too) as tsc emits it, and nothing else.
    const sources = (await filesUnder(join(root, 'src'))).filter((f) => f.endsWith('.ts')).map((f) => f.slice(0, -3));
    const expected = [
      'package.json', 'README.md', 'dist/browser.js', 'dist/worker.js',
      'build/relaxed.wasm', 'build/simd.wasm', 'build/scalar.wasm',
      ...sources.flatMap((s) => [`dist/${s}.js`, `dist/${s}.js.map`, `dist/${s}.d.ts`]),
    ];
    expect([...packed.files].sort()).toEqual(expected.sort());
  });

  it('installs into an app with nothing but its one dependency, @assemblyscript/loader', async () => {
    const installed = (await readdir(join(apps.dir, 'node_modules'))).filter((n) => !n.startsWith('.'));
    expect(installed.sort()).toEqual(['@assemblyscript', 'simd-activations']);
    expect(await readdir(join(apps.dir, 'node_modules', '@assemblyscript'))).toEqual(['loader']);
  });

  it('has a browser file with no bare import specifier and no node: module', async () => {
    const code = await readFile(join(apps.dir, 'node_modules/simd-activations/dist/browser.js'), 'utf8');
    const specifiers = [...code.matchAll(/\b(?:from|import)\s*\(?\s*["']([^"']+)["']/g)].map((m) => m[1]);
    expect(specifiers).toEqual([]);
    expect(code).not.toMatch(/node:|\brequire\(|\bprocess\./);
    // The literal URLs webpack and Vite rewrite are there, one per build.
    for (const b of ['relaxed', 'simd', 'scalar']) expect(code).toContain(`new URL("../build/${b}.wasm", import.meta.url)`);
  });
});

describe('Node and TypeScript consumers of the tarball', () => {
  it('Node ESM: import resolves the node entry and runs every build', () => {
    expect(apps.builds.nodeEsm.code, apps.builds.nodeEsm.output).toBe(0);
    expect(nodeEsm.resolved).toMatch(/\/node_modules\/simd-activations\/dist\/index\.js$/);
    expect(nodeEsm.backends).toEqual(['relaxed', 'simd', 'scalar']);
    for (const b of nodeEsm.backends) {
      expect(nodeEsm.results[b]!.backend).toBe(b);
      expect(nodeEsm.results[b]!.liveBuffers).toBe(0);
    }
    // The simd and scalar builds execute the same operations: the same bits (NaNs aside, whose
    // payloads are the engine's) are a check that the probe itself is meaningful.
    const simd = nodeEsm.results.simd!.bits;
    const scalar = nodeEsm.results.scalar!.bits;
    const isNaN = (b: number) => (b & 0x7f800000) === 0x7f800000 && (b & 0x7fffff) !== 0;
    for (const name of Object.keys(simd)) simd[name]!.forEach((b, i) => expect(b === scalar[name]![i] || (isNaN(b) && isNaN(scalar[name]![i]!)), `${name}[${i}]`).toBe(true));
  });

  it('CommonJS: require() resolves the same entry and gives the same bits', () => {
    expect(apps.builds.nodeCjs.code, apps.builds.nodeCjs.output).toBe(0);
    const cjs = JSON.parse(apps.builds.nodeCjs.stdout) as ProbeResult;
    expect(cjs.resolved).toMatch(/\/node_modules\/simd-activations\/dist\/index\.js$/);
    expect(cjs.backends).toEqual(nodeEsm.backends);
    for (const b of cjs.backends) expectSameBits(cjs.results[b]!, nodeEsm.results[b]!, `require ${b}`);
  });

  it('tsc --strict with moduleResolution nodenext type-checks a consumer (and rejects its misuses)', () => {
    expect(apps.builds.tscNodenext.code, apps.builds.tscNodenext.output).toBe(0);
  });

  it('tsc --strict with moduleResolution bundler type-checks the same consumer', () => {
    expect(apps.builds.tscBundler.code, apps.builds.tscBundler.output).toBe(0);
  });
});

describe('bundlers, from the tarball', () => {
  for (const bundler of BUNDLERS) {
    it(`${bundler} builds with no warning, and emits the three wasm builds`, async () => {
      const build = apps.builds[bundler];
      expect(build.code, build.output).toBe(0);
      expect(build.output).not.toMatch(/warn|externaliz|node:|\(!\)/i);
      const out = await filesUnder(join(apps.dir, bundler, 'dist'));
      expect(out.filter((f) => f.endsWith('.wasm')), out.join(', ')).toHaveLength(3);
      for (const f of out.filter((f) => f.endsWith('.js'))) {
        // Node's platform module (process.cwd, node: imports, or Vite's silent stand-in for them)
        // has no business in a browser bundle.
        expect(await readFile(join(apps.dir, bundler, 'dist', f), 'utf8'), f).not.toMatch(/["']node:|browser-external|process\.cwd/);
      }
    });
  }
});

describe.skipIf(!hasChromium)('in Chromium, under a strict content-security policy', () => {
  it('the Vite dev server starts with no warning and sends the policy', () => {
    expect(viteDevOutput).not.toMatch(/warn|externaliz|node:|error/i);
    expect(viteDevCsp).toBe(CSP);
  });

  for (const name of [...Object.keys(PAGES), 'vite dev server'] as PageName[]) {
    it(`${name}: every build loads by itself, no console error, the same bits as Node`, () => {
      const { result, problems, requests } = visits[name];
      const page = result as ProbeResult;
      expect(page.error).toBeUndefined();
      expect(problems).toEqual([]);
      expect(page.backends).toEqual(nodeEsm.backends);
      for (const b of page.backends) {
        expect(page.results[b]!.backend).toBe(b);
        expectSameBits(page.results[b]!, nodeEsm.results[b]!, `${name} ${b}`);
      }
      // One wasm file per build, all fetched from the page's own server (the apps may ask for one
      // more than once: the esbuild recipe's own init() comes before the probe's).
      const wasm = new Set(requests.filter((u) => new URL(u).pathname.endsWith('.wasm')));
      expect(wasm.size, [...wasm].join(', ')).toBe(page.backends.length);
    });
  }
});
