// Rewrites a build's module binary so that its linear memory is imported, shared, instead of
// defined: the one change that lets the caller's thread and worker threads run the same kernels
// on the same memory, without a second compilation of the AssemblyScript sources.
//
// The builds define one memory (section id 5, exported as "memory") and import nothing. The
// rewrite removes the memory section and adds an import section holding one memory import:
//
//   section 2 (import):  vec(import) = 1, import = mod "env", nm "memory", importdesc 0x02 memtype
//   memtype = limits:    0x03 min max   (shared, with a maximum)
//
// References: WebAssembly Core Specification 2.0, Binary Format: "Sections" (an id byte, the u32
// byte size, the contents; non-custom sections in a fixed order: type 1, import 2, function 3,
// table 4, memory 5, global 6, export 7, start 8, element 9, data count 12, code 10, data 11),
// "Import Section" (importdesc 0x02 memtype), "Limits" (0x00 min, 0x01 min max), "Integers" (u32
// as unsigned LEB128); the threads proposal (WebAssembly/threads, Overview.md, "Binary format"):
// limits flag 0x03 = shared with a maximum, which a shared memory must have. Imported memories
// come first in the memory index space (Core Specification, Modules: "Indices"), so with no
// memory left defined the import is memory 0: the export of memory 0, the data segments and every
// load and store keep referring to the same memory.

/** The page size of wasm linear memory. */
const PAGE = 65536;

const SECTION_TYPE = 1;
const SECTION_IMPORT = 2;
const SECTION_MEMORY = 5;
const SECTION_DATACOUNT = 12;

function readU32(bytes: Uint8Array, at: number): { value: number; next: number } {
  let value = 0;
  let shift = 0;
  for (let i = at; i < bytes.length && i < at + 5; i++) {
    const b = bytes[i]!;
    value += (b & 0x7f) * 2 ** shift;
    shift += 7;
    if ((b & 0x80) === 0) return { value, next: i + 1 };
  }
  throw new Error('truncated or overlong LEB128 number');
}

function u32(value: number): number[] {
  const out: number[] = [];
  do {
    let b = value % 128;
    value = Math.floor(value / 128);
    if (value > 0) b |= 0x80;
    out.push(b);
  } while (value > 0);
  return out;
}

function name(text: string): number[] {
  const utf8 = [...new TextEncoder().encode(text)];
  return [...u32(utf8.length), ...utf8];
}

// The order in which non-custom sections must appear (spec 5.5.2; data count 12 sits between
// element 9 and code 10).
const ORDER = [1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 10, 11];
const rank = (id: number): number => (id === SECTION_DATACOUNT ? 9.5 : id);

export interface SharedModuleBinary {
  /** The rewritten module: memory imported as env.memory, shared, with the given maximum. */
  readonly bytes: Uint8Array<ArrayBuffer>;
  /** The initial page count of the original memory (what the import asks for at least). */
  readonly initialPages: number;
}

/**
 * The module with its memory turned into an imported shared memory of at most `maxPages` pages.
 * Throws for a binary that is not of the expected shape (imports, no memory or several, a memory
 * already shared or 64-bit).
 */
export function toSharedMemoryModule(input: Uint8Array, maxPages: number): SharedModuleBinary {
  if (input.length < 8 || input[0] !== 0x00 || input[1] !== 0x61 || input[2] !== 0x73 || input[3] !== 0x6d) {
    throw new Error('not a WebAssembly binary');
  }
  if (input[4] !== 1 || input[5] !== 0 || input[6] !== 0 || input[7] !== 0) throw new Error('not a version 1 WebAssembly binary');
  const sections: { id: number; start: number; end: number }[] = [];
  for (let at = 8; at < input.length;) {
    const id = input[at]!;
    const size = readU32(input, at + 1);
    const end = size.next + size.value;
    if (end > input.length) throw new Error(`section ${id} runs past the end of the binary`);
    if (id !== 0 && !ORDER.includes(id)) throw new Error(`unknown section id ${id}`);
    sections.push({ id, start: at, end });
    at = end;
  }
  if (sections.some((s) => s.id === SECTION_IMPORT)) throw new Error('the module already has imports');
  const memories = sections.filter((s) => s.id === SECTION_MEMORY);
  if (memories.length !== 1) throw new Error('expected one memory section');
  const memory = memories[0]!;
  // Contents: vec(memtype) with one entry: limits flag, min (and max for flag 0x01).
  const contentStart = readU32(input, memory.start + 1).next;
  const count = readU32(input, contentStart);
  if (count.value !== 1) throw new Error(`expected one memory, got ${count.value}`);
  const flag = input[count.next]!;
  if (flag !== 0x00 && flag !== 0x01) throw new Error(`expected an unshared 32-bit memory, got limits flag ${flag}`);
  const initialPages = readU32(input, count.next + 1).value;
  if (initialPages > maxPages) throw new Error(`the module's initial memory (${initialPages} pages) exceeds the maximum ${maxPages}`);

  const entry = [...name('env'), ...name('memory'), 0x02, 0x03, ...u32(initialPages), ...u32(maxPages)];
  const contents = [...u32(1), ...entry];
  const importSection = new Uint8Array([SECTION_IMPORT, ...u32(contents.length), ...contents]);

  // Right after the type section, or else before the first section that must follow imports.
  const typeSection = sections.find((s) => s.id === SECTION_TYPE);
  const insertAt = typeSection?.end ?? sections.find((s) => s.id !== 0 && rank(s.id) > SECTION_IMPORT)?.start ?? input.length;

  const parts: Uint8Array[] = [input.subarray(0, 8)];
  let inserted = false;
  for (const s of sections) {
    if (!inserted && s.start >= insertAt) {
      parts.push(importSection);
      inserted = true;
    }
    if (s !== memory) parts.push(input.subarray(s.start, s.end));
  }
  if (!inserted) parts.push(importSection);
  const bytes = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    bytes.set(p, offset);
    offset += p.length;
  }
  return { bytes, initialPages };
}

/** Pages of a byte cap that is a whole number of pages. */
export function pagesOf(bytes: number): number {
  return Math.floor(bytes / PAGE);
}
