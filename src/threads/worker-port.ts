// Node's port from a pool worker to its pool, or null in a Web Worker. Read without an import
// statement: this file also runs unbundled as a module Web Worker (no import map applies in a
// worker, and a node: import would fail to load there). process.getBuiltinModule is Node 20.16+;
// on an older Node the worker never hears from its pool, which then runs on fewer threads. The
// browser bundle (scripts/build-browser.mjs) swaps in worker-port.browser.ts, so no browser
// bundler meets Node code.
import type { WorkerReply, WorkerSetup } from './protocol.js';

export interface PoolPort {
  postMessage(message: WorkerReply): void;
  once(event: 'message', f: (m: WorkerSetup) => void): void;
}

type NodeWorkerThreads = { isMainThread: boolean; parentPort: PoolPort | null };

const nodeThreads = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process?.getBuiltinModule?.(
  'node:worker_threads',
) as NodeWorkerThreads | undefined;

export const nodePort: PoolPort | null = nodeThreads && !nodeThreads.isMainThread ? nodeThreads.parentPort : null;
