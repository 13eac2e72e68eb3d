// A worker thread of the pool (src/threads/pool.ts), in Node (worker_threads, entered through
// worker-node.ts) and in browsers (a module Worker running this file). It instantiates the
// shared-memory module it is sent, answers once, then blocks in Atomics.wait for jobs until told
// to quit: a blocked worker answers no messages, so everything after the first message goes
// through the control block. This file imports nothing from Node, so a browser can run it
// unbundled (no import map applies inside a worker).

import { ARGS, DONE, KERNEL, QUIT, STATUS, STATUS_FAILED, STATUS_OK, WAKE, WORDS, controlViews, kernelNames, type WorkerReply, type WorkerSetup } from './protocol.js';

interface Port {
  postMessage(message: WorkerReply): void;
}

/** Node's parentPort, as far as the pool's worker uses it. */
export interface NodePort extends Port {
  once(event: 'message', f: (m: WorkerSetup) => void): void;
}

type Scope = Port & { onmessage: ((e: MessageEvent<WorkerSetup>) => void) | null };

// In a browser's Worker the setup arrives at the global scope's onmessage.
const scope = typeof (globalThis as { WorkerGlobalScope?: unknown }).WorkerGlobalScope === 'function' ? (globalThis as unknown as Scope) : undefined;
if (scope) {
  scope.onmessage = (e) => {
    scope.onmessage = null;
    void start(e.data, scope);
  };
}

/** Serves the pool behind Node's parentPort (worker-node.ts), and only there. */
export function listen(port: NodePort): void {
  // A runtime whose worker_threads are built on Web Workers also has WorkerGlobalScope: the setup
  // must start this worker once, so the global listener goes.
  if (scope) scope.onmessage = null;
  port.once('message', (setup) => void start(setup, port));
}

async function start(setup: WorkerSetup, port: Port): Promise<void> {
  let kernels: ((...args: number[]) => void)[];
  try {
    // Instantiating applies the data segments (read-only constants) to the shared memory again:
    // the pool starts every worker before the first kernel runs, and never one later.
    const instance = await WebAssembly.instantiate(setup.module, { env: { memory: setup.memory } });
    kernels = kernelNames(setup.module).map((name) => instance.exports[name] as (...args: number[]) => void);
    // A scratch area of its own for the kernels that need one (the calling thread keeps area 0).
    (instance.exports.useScratchArea as (area: number) => void)(setup.slot + 1);
  } catch (error) {
    port.postMessage({ ready: false, error: error instanceof Error ? error.message : String(error) });
    return;
  }
  port.postMessage({ ready: true });
  serve(setup, kernels);
}

function serve(setup: WorkerSetup, kernels: ((...args: number[]) => void)[]): void {
  const { words, args } = controlViews(setup.control, setup.workers);
  const base = setup.slot * WORDS;
  const a = setup.slot * ARGS;
  // The pool's sequence starts at 0 and its first job is 1. Not a load of WAKE here: the job may
  // already be posted (the pool posts as soon as it has this worker's ready message).
  let seen = 0;
  for (;;) {
    // Returns at once if WAKE already differs from what this worker last served.
    Atomics.wait(words, base + WAKE, seen);
    const seq = Atomics.load(words, base + WAKE);
    if (seq === seen) continue;
    if (seq === QUIT) return;
    seen = seq;
    let status = STATUS_OK;
    try {
      // MAX_KERNEL_ARGS (10) arguments; a kernel with fewer parameters ignores the rest.
      kernels[words[base + KERNEL]!]!(
        args[a]!, args[a + 1]!, args[a + 2]!, args[a + 3]!, args[a + 4]!, args[a + 5]!, args[a + 6]!, args[a + 7]!, args[a + 8]!, args[a + 9]!,
      );
    } catch {
      status = STATUS_FAILED;
    }
    Atomics.store(words, base + STATUS, status);
    Atomics.store(words, base + DONE, seq);
    Atomics.notify(words, base + DONE);
  }
}
