// The worker pool: starts the workers (Node worker_threads or browser module Workers), hands them
// jobs through the control block (protocol.ts) and waits for them, without ever hanging: every
// wait has a deadline, a worker that died is dropped, and the pool goes on with the ones left.

import { startNodeWorker } from '../platform.js';
import {
  ARGS, DONE, KERNEL, MAX_KERNEL_ARGS, QUIT, STATUS, STATUS_FAILED, WAKE, WORDS, controlBytes, controlViews, kernelNames,
  type WorkerReply, type WorkerSetup,
} from './protocol.js';

/** The part of Node's Worker and the browser's Worker that the pool uses. */
interface WorkerLike {
  postMessage(message: unknown): void;
  terminate(): unknown;
}

interface Member {
  /** Slot in the control block, and the worker's name in errors ("worker 2"). */
  readonly slot: number;
  readonly worker: WorkerLike;
  dead: boolean;
  /** Test hook: the pool is not told of this worker's end (as when its exit event is still queued). */
  unnoticed?: boolean;
  /** Resolves when the worker has ended (Node: its exit event; browsers: terminate()). */
  readonly ended: Promise<void>;
}

type NodeWorker = WorkerLike & {
  on(event: string, f: (value: unknown) => void): void;
  off(event: string, f: (value: unknown) => void): void;
  unref(): void;
};

/** How long a new worker may take to load and instantiate before it is given up. */
const START_TIMEOUT_MS = 20_000;
/** The least time a call waits for a worker; longer calls get their expected time many times over. */
const MIN_WAIT_MS = 2_000;
/** Per element of the largest share: 1 us, about 300 times the slowest simd kernel (3.3 ns, generated/costs.ts). */
const WAIT_MS_PER_ELEMENT = 1e-3;
/** Checks of DONE by spinning before blocking: the workers' shares usually end with the caller's. */
const SPINS = 2_000;

/** Registry for tests: the pool behind an `init()` instance (not public API). */
export const POOLS = new WeakMap<object, Pool>();

export class Pool {
  private members: Member[] = [];
  private live: Member[] = [];
  private readonly words: Int32Array;
  private readonly args: Float64Array;
  private readonly kernelIndex: Map<string, number>;
  private seq = 0;
  private closed = false;
  /** Whether this thread may block in Atomics.wait (not on a browser's main thread). */
  private readonly canBlock: boolean;
  /** Why workers failed to start, for diagnosis (init goes on with the others, silently). */
  readonly failures: string[] = [];
  /** Calls that woke workers: a test hook for the thresholds. */
  wakeups = 0;
  /** Measurement hook (bench/threads.mjs): one threshold for every kernel instead of thresholds.ts. */
  threshold: number | undefined = undefined;

  private constructor(module: WebAssembly.Module, control: SharedArrayBuffer, workers: number) {
    ({ words: this.words, args: this.args } = controlViews(control, workers));
    this.kernelIndex = new Map(kernelNames(module).map((name, i) => [name, i]));
    this.canBlock = agentCanBlock(this.words);
  }

  /**
   * Starts `workers` workers on the module and the shared memory, and resolves when each has
   * instantiated (or failed to: such a worker is left out). Every instantiation happens here,
   * before any kernel runs: instantiating re-applies the data segments to the shared memory.
   */
  static async start(module: WebAssembly.Module, memory: WebAssembly.Memory, workers: number): Promise<Pool> {
    const control = new SharedArrayBuffer(controlBytes(workers));
    const pool = new Pool(module, control, workers);
    const started = await Promise.all(
      Array.from({ length: workers }, (_, slot) => pool.spawn({ module, memory, control, workers, slot })),
    );
    pool.members = started.filter((m): m is Member => m !== undefined);
    pool.live = pool.members.slice();
    return pool;
  }

  private async spawn(setup: WorkerSetup): Promise<Member | undefined> {
    const startNode = startNodeWorker as (() => NodeWorker) | undefined;
    let worker: WorkerLike | undefined;
    let member: Member | undefined;
    let markEnded!: () => void;
    const ended = new Promise<void>((resolve) => (markEnded = resolve));
    let timer: ReturnType<typeof setTimeout> | undefined;
    const reply = new Promise<WorkerReply>((resolve) => {
      const fail = (why: string) => resolve({ ready: false, error: why });
      timer = setTimeout(() => fail(`no answer within ${START_TIMEOUT_MS} ms`), START_TIMEOUT_MS);
      (timer as { unref?: () => void }).unref?.();
      // A Worker that cannot even be constructed (a content-security policy, a missing file in a
      // bundle) is a worker that failed to start, not a failed init().
      try {
        if (startNode) {
          const w = startNode();
          worker = w;
          const onMessage = (m: unknown) => {
            w.off('message', onMessage);
            resolve(m as WorkerReply);
          };
          w.on('message', onMessage);
          w.on('error', (e) => {
            if (member && !member.unnoticed) member.dead = true;
            fail(e instanceof Error ? e.message : String(e));
          });
          w.on('exit', () => {
            if (member && !member.unnoticed) member.dead = true;
            markEnded();
            fail('it exited');
          });
        } else {
          const w = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
          worker = w;
          w.onmessage = (e: MessageEvent<WorkerReply>) => {
            w.onmessage = null;
            resolve(e.data);
          };
          w.onerror = (e: ErrorEvent) => {
            if (member && !member.unnoticed) member.dead = true;
            fail(e.message || 'the worker script failed');
          };
        }
        worker!.postMessage(setup);
      } catch (error) {
        fail(error instanceof Error ? error.message : String(error));
      }
    });
    const answer = await reply;
    clearTimeout(timer);
    if (!answer.ready) {
      this.failures.push(`worker ${setup.slot}: ${answer.error}`);
      if (worker !== undefined) await this.stop(worker, ended, startNode !== undefined);
      return undefined;
    }
    member = { slot: setup.slot, worker: worker!, dead: false, ended };
    // A process that forgets close() still exits: the started workers do not keep it alive.
    (worker! as { unref?: () => void }).unref?.();
    return member;
  }

  private async stop(worker: WorkerLike, ended: Promise<void>, node: boolean): Promise<void> {
    await worker.terminate();
    // Node reports the end with its exit event; a browser Worker ends on terminate().
    if (node) await ended;
  }

  /** Threads a call may use, counting the caller's own. */
  get threads(): number {
    return this.closed ? 1 : this.live.filter((m) => !m.dead).length + 1;
  }

  /** The index both sides use for a kernel export. */
  indexOf(kernel: string): number {
    const i = this.kernelIndex.get(kernel);
    if (i === undefined) throw new Error(`simd-activations: no kernel ${kernel} in the module`);
    return i;
  }

  /**
   * Begins a split call: the number of workers it may use (0 after close() or when all died).
   * Workers found dead since the last call are dropped here.
   */
  begin(): number {
    if (this.closed) return 0;
    if (this.live.some((m) => m.dead)) this.live = this.live.filter((m) => !m.dead);
    this.seq = this.seq >= 0x7fffffff ? 1 : this.seq + 1;
    return this.live.length;
  }

  /** Posts a job to the i-th worker of this call (i < begin()): the kernel and its arguments. */
  post(i: number, kernel: number, job: readonly number[]): void {
    const m = this.live[i]!;
    const w = m.slot * WORDS;
    const a = m.slot * ARGS;
    // Unused places are zero: a kernel called with fewer parameters ignores them.
    for (let k = 0; k < MAX_KERNEL_ARGS; k++) this.args[a + k] = job[k] ?? 0;
    this.words[w + KERNEL] = kernel;
    Atomics.store(this.words, w + WAKE, this.seq);
    Atomics.notify(this.words, w + WAKE);
  }

  /**
   * Waits for the first `count` workers of this call, `elements` being the largest share one of
   * them computes (for the deadline). Throws an Error naming a worker that failed or did not
   * answer; that worker is stopped and later calls go on without it.
   */
  finish(count: number, elements: number): void {
    if (count > 0) this.wakeups++;
    const limit = Math.round(Math.max(MIN_WAIT_MS, elements * WAIT_MS_PER_ELEMENT));
    const deadline = now() + limit;
    let failure: string | undefined;
    for (let i = 0; i < count; i++) {
      const m = this.live[i]!;
      const at = m.slot * WORDS + DONE;
      if (!this.await(at, deadline)) {
        failure ??= `simd-activations: worker ${m.slot} did not answer within ${limit} ms`;
        this.drop(m);
      } else if (Atomics.load(this.words, m.slot * WORDS + STATUS) === STATUS_FAILED) {
        failure ??= `simd-activations: worker ${m.slot} failed while running a kernel`;
        this.drop(m);
      }
    }
    if (failure !== undefined) {
      throw new Error(`${failure}; it is stopped, and later calls run on ${this.threads} thread${this.threads === 1 ? '' : 's'}`);
    }
  }

  /** Whether DONE at `at` reached this call's sequence number before the deadline. */
  private await(at: number, deadline: number): boolean {
    const words = this.words;
    const seq = this.seq;
    for (let spin = 0; spin < SPINS; spin++) if (Atomics.load(words, at) === seq) return true;
    for (;;) {
      const seen = Atomics.load(words, at);
      if (seen === seq) return true;
      const left = deadline - now();
      if (left <= 0) return false;
      if (this.canBlock) Atomics.wait(words, at, seen, left);
      // A browser's main thread may not block: a bounded spin, with the deadline checked above.
      else for (let spin = 0; spin < 10_000 && Atomics.load(words, at) === seen; spin++);
    }
  }

  private drop(m: Member): void {
    m.dead = true;
    this.live = this.live.filter((x) => x !== m);
    void m.worker.terminate();
  }

  /**
   * Test hook: ends worker `i` of the live ones abruptly, as a crash would; resolves when it has
   * ended. `unnoticed`: the pool is not told (its next call must find out by the deadline).
   */
  kill(i: number, unnoticed = false): Promise<void> {
    const m = this.live[i]!;
    m.unnoticed = unnoticed;
    void m.worker.terminate();
    return m.ended;
  }

  /** Tells every worker to quit, and resolves when all have ended. Calls after it run on the caller's thread. */
  async close(): Promise<void> {
    if (this.closed) return this.closing;
    this.closed = true;
    for (const m of this.members) {
      Atomics.store(this.words, m.slot * WORDS + WAKE, QUIT);
      Atomics.notify(this.words, m.slot * WORDS + WAKE);
    }
    const node = startNodeWorker !== undefined;
    this.closing = Promise.all(this.members.map((m) => this.stop(m.worker, m.ended, node))).then(() => undefined);
    return this.closing;
  }

  private closing: Promise<void> = Promise.resolve();
}

const now = (): number => (typeof performance !== 'undefined' ? performance.now() : Date.now());

/** Atomics.wait throws on a browser's main thread; elsewhere a wait on a changed value returns at once. */
function agentCanBlock(words: Int32Array): boolean {
  try {
    Atomics.wait(words, 0, 1, 0); // words[0] is 0: "not-equal" without waiting
    return true;
  } catch {
    return false;
  }
}
