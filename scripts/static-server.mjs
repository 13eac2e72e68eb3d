// A read-only static file server on 127.0.0.1 for the pages that load the library over HTTP, as a
// browser needs (ES modules and streaming wasm compilation refuse file: URLs): the browser tests,
// the package test's apps and the demo. node:http only, so it adds no dependency.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript', '.css': 'text/css',
  '.wasm': 'application/wasm', '.json': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png',
};

/**
 * @param {object} options
 * @param {string} options.root absolute directory served; nothing outside it is reachable
 * @param {string} options.index file (relative to root) answered for `/` (other folders answer with their index.html)
 * @param {string[]} [options.allow] path prefixes (relative to root) that may be served; all when omitted
 * @param {Record<string, string>} [options.headers] sent with every response
 * @returns {import('node:http').Server}
 */
export function createStaticServer({ root, index, allow, headers = {} }) {
  const base = root.endsWith(sep) ? root : root + sep;
  return createServer(async (req, res) => {
    let path;
    try {
      path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^[/\\]+/, '');
    } catch {
      return void res.writeHead(400, headers).end();
    }
    // `/` answers with `index`; any other folder with its own index.html.
    path = path === '' ? index : path.endsWith('/') || path.endsWith(sep) ? `${path}index.html` : path;
    const file = join(base, path);
    // normalize() has already folded any `..`, so a path still outside root was an attempt to leave it.
    const inside = file.startsWith(base) && (!allow || allow.some((prefix) => path.startsWith(prefix)));
    if (!inside) return void res.writeHead(403, headers).end();
    try {
      const body = await readFile(file);
      res.writeHead(200, { ...headers, 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404, headers).end();
    }
  });
}

/**
 * Listens on 127.0.0.1 (port 0: any free one) and resolves to the port taken.
 * @param {import('node:http').Server} server
 * @param {number} port
 * @returns {Promise<number>}
 */
export function listen(server, port) {
  return new Promise((resolve, reject) => {
    const onError = (error) => reject(error);
    server.once('error', onError);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', onError);
      resolve(/** @type {import('node:net').AddressInfo} */ (server.address()).port);
    });
  });
}
