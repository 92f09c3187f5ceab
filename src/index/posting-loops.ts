/**
 * The tight loops of scoring, over typed arrays passed in: small functions
 * of their own, kept apart from the bookkeeping around them, so that V8
 * compiles each to a loop with nothing else in it.
 */

/** Adds weight × weights[p] to the sum of each posting's document, for postings [start, end). */
export function addPostings(sums: Float64Array, postingDoc: Int32Array, weights: Float32Array, start: number, end: number, weight: number): void {
  for (let p = start; p < end; p++) sums[postingDoc[p]] += weight * weights[p];
}

/**
 * The `m` largest sums above 0 among the documents without any of the `skip`
 * flags, as a min-heap in keys/docs (root: the smallest kept); returns how many.
 */
export function largestSums(sums: Float64Array, flags: Uint8Array, skip: number, m: number, keys: Float64Array, docs: Int32Array): number {
  let size = 0;
  let floor = 0;
  for (let d = 0; d < sums.length; d++) {
    const s = sums[d];
    if (s <= floor || (flags[d] & skip) !== 0) continue;
    let i: number;
    if (size < m) {
      i = size++;
      while (i > 0 && keys[(i - 1) >> 1] > s) {
        keys[i] = keys[(i - 1) >> 1];
        docs[i] = docs[(i - 1) >> 1];
        i = (i - 1) >> 1;
      }
    } else {
      i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= size) break;
        const c = l + 1 < size && keys[l + 1] < keys[l] ? l + 1 : l;
        if (keys[c] >= s) break;
        keys[i] = keys[c];
        docs[i] = docs[c];
        i = c;
      }
    }
    keys[i] = s;
    docs[i] = d;
    if (size === m) floor = keys[0];
  }
  return size;
}

/** Writes to `out`, in ascending order, the documents with a sum above 0 and at least `atLeast`, or with any of the `always` flags; returns how many. */
export function collectCandidates(sums: Float64Array, flags: Uint8Array, always: number, atLeast: number, out: Int32Array): number {
  let n = 0;
  for (let d = 0; d < sums.length; d++) {
    const s = sums[d];
    if ((s > 0 && s >= atLeast) || (flags[d] & always) !== 0) out[n++] = d;
  }
  return n;
}

/** Multiplies every sum by `scale`. */
export function scaleSums(sums: Float64Array, scale: number): void {
  for (let d = 0; d < sums.length; d++) sums[d] *= scale;
}
