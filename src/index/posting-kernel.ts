import { POSTING_KERNEL_WASM } from './posting-kernel-wasm.js';
import { addPostings, largestSums, scaleSums } from './posting-loops.js';

/**
 * Where scoring's hot loops run: in WebAssembly (posting-kernel.wat) over the
 * postings kept in one shared WebAssembly memory, which every thread reads;
 * or, where WebAssembly cannot hold them, in JavaScript over plain arrays
 * (posting-loops.ts). Both give the same sums to the bit.
 */

/** The posting arrays of a weighted index, and the WebAssembly memory holding them (null: plain arrays). */
export interface PostingStore {
  memory: WebAssembly.Memory | null;
  postingStart: Int32Array;
  postingDoc: Int32Array;
  weights: Float32Array;
}

const PAGE = 65536;
/** WebAssembly memory is addressed with 32 bits; past this, the postings stay in plain arrays. */
const MAX_BYTES = 3 * 2 ** 30;

let compiled: WebAssembly.Module | null | undefined;

/** The kernel, compiled once per thread; null where this runtime has no WebAssembly. */
function kernelModule(): WebAssembly.Module | null {
  if (compiled === undefined) {
    try {
      compiled = new WebAssembly.Module(Buffer.from(POSTING_KERNEL_WASM, 'base64'));
    } catch {
      compiled = null;
    }
  }
  return compiled;
}

const align8 = (bytes: number): number => Math.ceil(bytes / 8) * 8;

/**
 * Zeroed arrays for `starts` posting starts and `postings` postings (documents
 * and weights), in a shared WebAssembly memory when it can hold them, else
 * plain. `plain` forces plain arrays (for tests comparing the two).
 */
export function allocatePostings(starts: number, postings: number, plain = false): PostingStore {
  const bytes = align8(4 * starts) + 2 * align8(4 * postings);
  if (!plain && bytes <= MAX_BYTES && kernelModule()) {
    try {
      // Shared, so worker threads read the same postings; the maximum only reserves address space.
      const memory = new WebAssembly.Memory({ initial: Math.ceil(bytes / PAGE), maximum: 65536, shared: true });
      const buffer = memory.buffer;
      const docAt = align8(4 * starts);
      const weightAt = docAt + align8(4 * postings);
      return { memory, postingStart: new Int32Array(buffer, 0, starts), postingDoc: new Int32Array(buffer, docAt, postings), weights: new Float32Array(buffer, weightAt, postings) };
    } catch {
      // No room for the reservation (a limit on address space): plain arrays.
    }
  }
  return { memory: null, postingStart: new Int32Array(starts), postingDoc: new Int32Array(postings), weights: new Float32Array(postings) };
}

/**
 * One thread's score sums over a posting store, with the loops that fill them.
 * At most one search uses a thread's sums at a time (see TopTextSearch).
 */
export interface ScoreSums {
  readonly sums: Float64Array;
  /** A flag byte per document, for the search's use (see largestSums). */
  readonly flags: Uint8Array;
  /** Sets every sum to 0. */
  clear(): void;
  /** Adds weight × weights[p] to the sum of each posting's document, for postings [start, end). */
  addPostings(start: number, end: number, weight: number): void;
  /** Multiplies every sum by `scale`. */
  scale(scale: number): void;
  /** largestSums (posting-loops.ts) over these sums and flags, into keys and docs. */
  largestSums(skip: number, m: number, keys: Float64Array, docs: Int32Array): number;
  /** The search currently using these sums. */
  owner: object | null;
}

interface KernelExports {
  clearSums(sums: number, count: number): void;
  addPostings(sums: number, docs: number, weights: number, start: number, end: number, weight: number): void;
  scaleSums(sums: number, count: number, scale: number): void;
  largestSums(sums: number, flags: number, skip: number, count: number, m: number, keys: number, docs: number): number;
}

/** Heap entries the WebAssembly largestSums has room for; longer shortlists take the JavaScript loop. */
const HEAP_ROOM = 4096;

// One region of sums per thread and memory (a worker holds its own Memory object for the same memory),
// however many searches the thread creates: regions are never given back.
const regions = new WeakMap<WebAssembly.Memory, Map<number, ScoreSums>>();

/** This thread's score sums for `docCount` documents over `store`. */
export function scoreSums(store: PostingStore, docCount: number): ScoreSums {
  const { memory } = store;
  if (!memory) return plainSums(store, docCount);
  let byCount = regions.get(memory);
  if (!byCount) regions.set(memory, (byCount = new Map()));
  let region = byCount.get(docCount);
  if (!region) byCount.set(docCount, (region = wasmSums(store, memory, docCount) ?? plainSums(store, docCount)));
  return region;
}

/** Sums in the WebAssembly memory, or null when it cannot grow by them (past 4 GB) or this thread has no WebAssembly: then the JavaScript loops run. */
function wasmSums(store: PostingStore, memory: WebAssembly.Memory, docCount: number): ScoreSums | null {
  const module = kernelModule();
  if (!module) return null;
  const exports = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as KernelExports;
  // This thread's region: sums, flags, and a heap for largestSums. Growing a shared memory is atomic:
  // the old size is where the region starts.
  const flagsAt = 8 * docCount;
  const keysAt = flagsAt + align8(docCount);
  const heapDocsAt = keysAt + 8 * HEAP_ROOM;
  let at: number;
  try {
    at = memory.grow(Math.ceil((heapDocsAt + 4 * HEAP_ROOM) / PAGE)) * PAGE;
  } catch {
    return null;
  }
  const buffer = memory.buffer;
  const sums = new Float64Array(buffer, at, docCount);
  const flags = new Uint8Array(buffer, at + flagsAt, docCount);
  const heapKeys = new Float64Array(buffer, at + keysAt, HEAP_ROOM);
  const heapDocs = new Int32Array(buffer, at + heapDocsAt, HEAP_ROOM);
  const docs = store.postingDoc.byteOffset;
  const weights = store.weights.byteOffset;
  return {
    sums,
    flags,
    owner: null,
    clear: () => exports.clearSums(at, docCount),
    addPostings: (start, end, weight) => exports.addPostings(at, docs, weights, start, end, weight),
    scale: (scale) => exports.scaleSums(at, docCount, scale),
    largestSums: (skip, m, keys, docs) => {
      if (m > HEAP_ROOM) return largestSums(sums, flags, skip, m, keys, docs);
      const size = exports.largestSums(at, at + flagsAt, skip, docCount, m, at + keysAt, at + heapDocsAt);
      keys.set(heapKeys.subarray(0, size));
      docs.set(heapDocs.subarray(0, size));
      return size;
    },
  };
}

function plainSums(store: PostingStore, docCount: number): ScoreSums {
  const sums = new Float64Array(docCount);
  const flags = new Uint8Array(docCount);
  const { postingDoc, weights } = store;
  return {
    sums,
    flags,
    owner: null,
    clear: () => sums.fill(0),
    largestSums: (skip, m, keys, docs) => largestSums(sums, flags, skip, m, keys, docs),
    addPostings: (start, end, weight) => addPostings(sums, postingDoc, weights, start, end, weight),
    scale: (scale) => scaleSums(sums, scale),
  };
}
