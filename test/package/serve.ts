// Serves an app's output folder on 127.0.0.1 with a strict content-security policy: scripts only
// from the page's origin, and WebAssembly compilation allowed by 'wasm-unsafe-eval' alone (no
// 'unsafe-eval', no inline script). Only that folder is reachable, so a wasm URL a bundler failed
// to rewrite 404s.
import { createStaticServer, listen } from '../../scripts/static-server.mjs';

export const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'";

export interface Served {
  url: string;
  close(): Promise<void>;
}

export async function serve(root: string): Promise<Served> {
  const server = createStaticServer({ root, index: 'index.html', headers: { 'content-security-policy': CSP } });
  const port = await listen(server, 0);
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
