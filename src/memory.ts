// Linear memory owned by the wrapper: a first-fit allocator with coalescing free blocks over the
// module's memory, resident F32Buffers, and reusable staging areas for plain Float32Array
// arguments. Kernels never allocate; every pointer they see comes from here.
//
// Pointers are byte offsets from 0 to 2^32 (wasm32 addresses 4 GiB): they are JavaScript numbers
// here and are only ever divided by 4, never shifted (`p >> 2` turns negative from 2^31).

const ALIGN = 16; // one v128
/** The size of a wasm page: linear memory grows by whole pages. */
export const PAGE = 65536;

interface Block {
  start: number;
  size: number;
}

export interface MemoryStats {
  /** Bytes held by live buffers and staging areas. */
  usedBytes: number;
  /** Bytes of linear memory currently reserved by the engine. */
  capacityBytes: number;
  /** F32Buffers allocated and not yet freed. */
  liveBuffers: number;
}

/** What a new block holds: zeros (act.alloc promises them), or whatever the memory held before. */
export type Fill = 'zeroed' | 'unspecified';


export class Heap {
  private readonly free: Block[] = [];
  private top: number;
  private used = 0;
  /** Every byte from here up has never been handed out: fresh pages from memory.grow are zero. */
  private clean: number;
  private reclaimStaging: () => void = () => {};
  /**
   * The memory's current buffer. WebAssembly.Memory's buffer getter costs more than the rest of a
   * small call's checks together, and only this heap grows the memory (kernels never do), so it is
   * read again after a growth only.
   */
  buffer: ArrayBufferLike;
  /** Live F32Buffers: byte offset -> byte length, to tell a view inside one from stray memory. */
  private readonly buffers = new Map<number, number>();

  constructor(
    readonly memory: WebAssembly.Memory,
    base: number,
    /** The cap on linear memory in bytes, a whole number of pages. */
    readonly maxBytes: number,
  ) {
    this.top = align(base);
    this.clean = this.top;
    this.buffer = memory.buffer;
  }

  get live(): number {
    return this.buffers.size;
  }

  /** Called when an allocation would otherwise grow memory: gives idle staging areas back. */
  onPressure(reclaim: () => void): void {
    this.reclaimStaging = reclaim;
  }

  /**
   * Reserves `bytes` (rounded up to 16). When no free block fits, idle staging goes back first;
   * then memory grows, up to the cap.
   */
  alloc(bytes: number, fill: Fill): number {
    const size = Math.max(ALIGN, align(bytes));
    let start = this.fit(size);
    if (start < 0) {
      this.reclaimStaging();
      start = this.fit(size);
    }
    if (start < 0) {
      start = this.top;
      this.grow(start + size);
      this.top = start + size;
    }
    this.used += size;
    if (fill === 'zeroed' && start < this.clean) new Uint8Array(this.buffer, start, Math.min(size, this.clean - start)).fill(0);
    this.clean = Math.max(this.clean, start + size);
    return start;
  }

  /** A free block or room below the current capacity, or -1 when memory would have to grow. */
  private fit(size: number): number {
    for (let i = 0; i < this.free.length; i++) {
      const block = this.free[i]!;
      if (block.size >= size) {
        const start = block.start;
        if (block.size === size) this.free.splice(i, 1);
        else {
          block.start += size;
          block.size -= size;
        }
        return start;
      }
    }
    if (this.top + size <= this.buffer.byteLength) {
      const start = this.top;
      this.top += size;
      return start;
    }
    return -1;
  }

  /** Returns a block from alloc(bytes) with the same byte count. */
  release(start: number, bytes: number): void {
    const size = Math.max(ALIGN, align(bytes));
    this.used -= size;
    let i = 0;
    while (i < this.free.length && this.free[i]!.start < start) i++;
    this.free.splice(i, 0, { start, size });
    // Coalesce with the next, then with the previous block.
    const next = this.free[i + 1];
    const cur = this.free[i]!;
    if (next && cur.start + cur.size === next.start) {
      cur.size += next.size;
      this.free.splice(i + 1, 1);
    }
    const prev = this.free[i - 1];
    if (prev && prev.start + prev.size === cur.start) {
      prev.size += cur.size;
      this.free.splice(i, 1);
    }
    // A free block at the top goes back to the bump region.
    const last = this.free[this.free.length - 1];
    if (last && last.start + last.size === this.top) {
      this.top = last.start;
      this.free.pop();
    }
  }

  /** Registers a live F32Buffer's block, or forgets it once freed. */
  track(start: number, bytes: number): void {
    this.buffers.set(start, bytes);
  }

  untrack(start: number): void {
    this.buffers.delete(start);
  }

  /** Whether [start, start + bytes) lies inside one live F32Buffer (a view like buf.array does). */
  isLive(start: number, bytes: number): boolean {
    for (const [p, n] of this.buffers) if (start >= p && start + bytes <= p + n) return true;
    return false;
  }

  stats(): MemoryStats {
    return { usedBytes: this.used, capacityBytes: this.buffer.byteLength, liveBuffers: this.live };
  }

  private grow(end: number): void {
    const capacity = this.buffer.byteLength;
    if (end <= capacity) return;
    const pages = Math.ceil((end - capacity) / PAGE);
    if (capacity + pages * PAGE > this.maxBytes) {
      throw new RangeError(
        `memory: the request needs ${end} bytes of linear memory, expected at most maxMemoryMB = ` +
          `${this.maxBytes / 2 ** 20} MiB (${this.maxBytes} bytes); free buffers or raise maxMemoryMB`,
      );
    }
    try {
      this.memory.grow(pages);
      this.buffer = this.memory.buffer;
    } catch (cause) {
      throw new RangeError(`memory: the engine refused to grow linear memory by ${pages} pages to ${end} bytes`, {
        cause,
      });
    }
  }
}

function align(n: number): number {
  return Math.ceil(n / ALIGN) * ALIGN;
}

/** Float32 data resident in the library's wasm memory: calls on it copy nothing. */
export class F32Buffer {
  #ptr: number;
  readonly length: number;
  readonly #heap: Heap;

  /** @internal: made by `act.alloc`, `act.from` and calls whose result is resident. */
  constructor(heap: Heap, length: number, fill: Fill) {
    this.#heap = heap;
    this.length = length;
    this.#ptr = heap.alloc(length * 4, fill);
    heap.track(this.#ptr, length * 4);
  }

  /** Whether a value is a real F32Buffer (a brand check: its private state, not its prototype). */
  static isBuffer(value: unknown): value is F32Buffer {
    return typeof value === 'object' && value !== null && #ptr in value;
  }

  /** Byte offset in wasm memory; throws once freed. */
  get ptr(): number {
    if (this.#ptr < 0) throw new TypeError('F32Buffer: expected a live buffer, got one that was freed');
    return this.#ptr;
  }

  get freed(): boolean {
    return this.#ptr < 0;
  }

  /** A fresh Float32Array view on every access: a view taken before memory grew is detached. */
  get array(): Float32Array {
    return new Float32Array(this.#heap.buffer, this.ptr, this.length);
  }

  /** @internal: the heap this buffer lives in (a buffer belongs to one `init()` instance). */
  belongsTo(heap: Heap): boolean {
    return this.#heap === heap;
  }

  free(): void {
    if (this.#ptr < 0) return;
    this.#heap.release(this.#ptr, this.length * 4);
    this.#heap.untrack(this.#ptr);
    this.#ptr = -1;
  }

  [Symbol.dispose](): void {
    this.free();
  }
}

/**
 * Reusable areas for copying plain Float32Array arguments in and results out. Each slot keeps its
 * largest size, so repeating a call of the same size allocates and grows nothing. A slot is busy
 * in the call that reserved it and idle afterwards: an allocation that would otherwise grow memory
 * takes the idle slots back first (memory cannot shrink, so this is what keeps staging from
 * blocking allocations at the cap).
 */
export class Staging {
  private readonly ptrs: number[] = [];
  private readonly capacities: number[] = [];
  /** The call each slot was last reserved in. */
  private readonly reservedIn: number[] = [];
  private call = 0;

  constructor(private readonly heap: Heap) {
    heap.onPressure(() => this.releaseIdle());
  }

  /** Starts a call (or an allocation between calls): every slot reserved before is idle now. */
  begin(): void {
    this.call++;
  }

  /** A pointer to at least `length` floats in slot `slot`. May grow memory: take views after. */
  reserve(slot: number, length: number): number {
    this.reservedIn[slot] = this.call;
    const have = this.capacities[slot] ?? 0;
    if (have >= length && have > 0) return this.ptrs[slot]!;
    if (have > 0) this.heap.release(this.ptrs[slot]!, have * 4);
    this.capacities[slot] = 0;
    const capacity = Math.max(length, 16);
    this.ptrs[slot] = this.heap.alloc(capacity * 4, 'unspecified');
    this.capacities[slot] = capacity;
    return this.ptrs[slot]!;
  }

  /** Gives back every slot that the current call has not reserved. */
  private releaseIdle(): void {
    for (let slot = 0; slot < this.capacities.length; slot++) {
      const have = this.capacities[slot] ?? 0;
      if (have > 0 && this.reservedIn[slot] !== this.call) {
        this.heap.release(this.ptrs[slot]!, have * 4);
        this.capacities[slot] = 0;
      }
    }
  }
}
