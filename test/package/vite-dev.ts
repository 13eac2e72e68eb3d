// Vite's dev server on the vite app, as `npx vite` would start it: the page is served from
// source, and the package is pre-bundled by Vite's dependency optimizer, which moves it (and so
// its import.meta.url) into node_modules/.vite, the case where a wasm URL most easily breaks.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';

export interface DevServer {
  url: string;
  /** What the server printed, up to now. */
  output(): string;
  close(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export async function startViteDev(root: string, appDir: string): Promise<DevServer> {
  const port = await freePort();
  const child = spawn(process.execPath, [join(root, 'node_modules/vite/bin/vite.js'), '--host', '127.0.0.1', '--port', String(port), '--strictPort'], {
    cwd: appDir,
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<void>((resolve) => child.on('close', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`vite dev did not start within 60 s:\n${output}`)), 60_000);
    const onData = (d: Buffer) => {
      output += d;
      if (output.includes(`http://127.0.0.1:${port}/`)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('close', (code) => {
      clearTimeout(timer);
      reject(new Error(`vite dev exited with code ${code}:\n${output}`));
    });
  });
  return {
    url: `http://127.0.0.1:${port}/`,
    output: () => output,
    close: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
