// A static server on 127.0.0.1 that sends every response with a strict content-security policy:
// scripts only from the page's origin, and WebAssembly compilation allowed by
// 'wasm-unsafe-eval' alone (no 'unsafe-eval', no inline script).
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';

export const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'";
const TYPES: Record<string, string> = {
  '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css',
};

export interface Served {
  url: string;
  close(): Promise<void>;
}

export async function serve(root: string): Promise<Served> {
  const server = createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^[/\\]+/, '');
    const file = join(root, path.endsWith('/') || path === '' ? join(path, 'index.html') : path);
    const headers = { 'content-security-policy': CSP };
    if (!file.startsWith(root + sep)) return void res.writeHead(403, headers).end();
    try {
      const body = await readFile(file);
      res.writeHead(200, { ...headers, 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404, headers).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
