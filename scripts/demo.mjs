// `npm run demo [-- --port N]`: serves the demo page (demo/) with the built library (dist/, build/)
// on 127.0.0.1. Also imported by test/demo.test.ts, which starts it in-process on a free port.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createStaticServer, listen } from './static-server.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const DEFAULT_PORT = 5173;

// The policy the page is written for: no inline script or handler, wasm compiled without 'unsafe-eval'.
export const STRICT_CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'";

/**
 * Starts the demo server; port 0 takes any free port.
 * @param {{ port?: number }} [options]
 * @returns {Promise<{ url: string, port: number, csp: string, close(): Promise<void> }>}
 */
export async function startDemoServer({ port = DEFAULT_PORT } = {}) {
  const csp = STRICT_CSP;
  const server = createStaticServer({
    root,
    index: 'demo/index.html',
    // What the page needs and nothing else of the checkout.
    allow: ['demo/', 'dist/', 'build/'],
    headers: { 'content-security-policy': csp, 'cache-control': 'no-store' },
  });
  const taken = await listen(server, port);
  return {
    url: `http://127.0.0.1:${taken}/`,
    port: taken,
    csp,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

async function main() {
  const { values } = parseArgs({ options: { port: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) {
    console.log(`usage: npm run demo [-- --port N]   (default ${DEFAULT_PORT}, or any free port if that one is taken; 0: any free port)`);
    return;
  }
  if (!existsSync(new URL('../dist/index.js', import.meta.url)) || !existsSync(new URL('../build/simd.wasm', import.meta.url))) {
    console.error('demo: the library is not built; run `npm install` (or `npm run build`) first');
    process.exitCode = 1;
    return;
  }
  const asked = values.port === undefined ? undefined : Number(values.port);
  if (asked !== undefined && !(Number.isInteger(asked) && asked >= 0 && asked <= 65535)) {
    console.error(`demo: --port expects an integer from 0 to 65535, got '${values.port}'`);
    process.exitCode = 1;
    return;
  }
  let demo;
  try {
    demo = await startDemoServer({ port: asked ?? DEFAULT_PORT });
  } catch (error) {
    if (error.code !== 'EADDRINUSE') throw error;
    // A port asked for by name is an error when taken; the default one just gives way.
    if (asked !== undefined) {
      console.error(`demo: port ${asked} is in use; try another --port, or --port 0 for any free one`);
      process.exitCode = 1;
      return;
    }
    demo = await startDemoServer({ port: 0 });
  }
  console.log(`simd-activations demo: ${demo.url}  (Ctrl+C stops it)`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
