import { float32Array, int32Array } from './typed-arrays.js';
import { isConceptTerm } from '../text/concepts.js';
import type { ForwardIndex } from '../rank/feedback.js';

/**
 * A sparse inverted index over typed arrays (compressed sparse rows): for each
 * term, the documents it occurs in and its field-weighted frequency there.
 * Model-specific weights are computed from it separately (see text-model.ts).
 */
export interface InvertedIndex {
  /** Term id → term (stem). */
  terms: string[];
  termIds: Map<string, number>;
  /** Documents per term. */
  df: Int32Array;
  /** Postings of term t are at [postingStart[t], postingStart[t+1]). */
  postingStart: Int32Array;
  postingDoc: Int32Array;
  /** Field-weighted term frequency in the document. */
  postingTf: Float32Array;
  /** Field-weighted document length, in terms. */
  docLength: Float32Array;
  avgDocLength: number;
  docCount: number;
}

/** Per-field weights applied to term counts before any saturation (BM25F-style). */
export type FieldWeights = readonly number[];

/** Field-weighted term counts of one document (or query). */
export function termCounts(fields: readonly (readonly string[])[], fieldWeights: FieldWeights): Map<string, number> {
  const counts = new Map<string, number>();
  fields.forEach((terms, f) => {
    const w = fieldWeights[f] ?? 1;
    if (w === 0) return;
    for (const t of terms) counts.set(t, (counts.get(t) ?? 0) + w);
  });
  return counts;
}

/**
 * Collects documents one at a time as (term id, frequency) lists, appended to
 * flat typed arrays (a forward index), then inverts them into the CSR index.
 * Term ids are the caller's, dense from 0; postings come out sorted by document.
 */
export class IndexBuilder {
  private docStart: Int32Array;
  private termId: Int32Array;
  private tf: Float32Array;
  private lengths: Float32Array;
  private df = new Int32Array(1024);
  private docs = 0;
  private postings = 0;
  /** Per term of each document as added: where `build` put it in the postings (in shared memory if the postings are). */
  private posting: Int32Array | null = null;
  private shared = false;

  /** `docs` and `postings`: first guesses at how many there will be, so the arrays rarely grow (each growth copies them). */
  constructor(capacity: { docs?: number; postings?: number } = {}) {
    const docs = Math.max(capacity.docs ?? 0, 1024);
    const postings = Math.max(capacity.postings ?? 0, 1 << 16);
    this.docStart = new Int32Array(docs + 1);
    this.lengths = new Float32Array(docs + 1);
    this.termId = new Int32Array(postings);
    this.tf = new Float32Array(postings);
  }

  get docCount(): number {
    return this.docs;
  }

  /**
   * Adds the next document: `count` distinct terms with their (field-weighted)
   * frequencies, in any order (the order `documents` gives them back in), from
   * `from` in `termIds` and `tfs`. `lengthOverride` is what length
   * normalisation sees (default: the sum of the frequencies).
   */
  addDocument(termIds: ArrayLike<number>, tfs: ArrayLike<number>, count: number, lengthOverride?: number, from = 0): void {
    const d = this.docs++;
    if (this.docs >= this.docStart.length) {
      this.docStart = grown(this.docStart, this.docStart.length * 2);
      this.lengths = grown(this.lengths, this.docStart.length);
    }
    if (this.postings + count > this.termId.length) {
      const size = Math.max(this.termId.length * 2, this.postings + count);
      this.termId = grown(this.termId, size);
      this.tf = grown(this.tf, size);
    }
    let length = 0;
    for (let i = 0; i < count; i++) {
      const t = termIds[from + i];
      if (t >= this.df.length) this.df = grown(this.df, Math.max(this.df.length * 2, t + 1));
      this.df[t]++;
      this.termId[this.postings + i] = t;
      this.tf[this.postings + i] = tfs[from + i];
      length += tfs[from + i];
    }
    this.lengths[d] = lengthOverride ?? length;
    this.postings += count;
    this.docStart[d + 1] = this.postings;
  }

  /**
   * The index over the documents added; `terms[t]` names term id t. With
   * `shared`, the arrays other threads read as they are (postingTf, and the
   * forward index) are in shared memory; postingStart and postingDoc are
   * not, since weightIndex copies them into the posting store threads share
   * (see posting-kernel.ts).
   */
  build(terms: string[], termIds: Map<string, number>, shared = false): InvertedIndex {
    const termCount = terms.length;
    const docCount = this.docs;
    const df = termCount <= this.df.length ? this.df.slice(0, termCount) : grown(this.df, termCount);
    const postingStart = new Int32Array(termCount + 1);
    for (let t = 0; t < termCount; t++) postingStart[t + 1] = postingStart[t] + df[t];
    const fill = postingStart.slice(0, termCount);
    const postingDoc = new Int32Array(this.postings);
    const postingTf = float32Array(this.postings, shared);
    const posting = int32Array(this.postings, shared);
    // Documents in order, so each term's postings are sorted by document.
    const { docStart, termId, tf } = this;
    for (let d = 0; d < docCount; d++) {
      for (let i = docStart[d], end = docStart[d + 1]; i < end; i++) {
        const p = fill[termId[i]]++;
        postingDoc[p] = d;
        postingTf[p] = tf[i];
        posting[i] = p;
      }
    }
    this.posting = posting;
    this.shared = shared;
    const docLength = this.lengths.slice(0, docCount);
    let total = 0;
    for (let d = 0; d < docCount; d++) total += docLength[d];
    return { terms, termIds, df, postingStart, postingDoc, postingTf, docLength, avgDocLength: docCount ? total / docCount : 0, docCount };
  }

  /**
   * The documents as added, with where `build` put each term in the postings:
   * the forward index (see rank/feedback.ts) when each document's terms were
   * added in ascending term id, which spares inverting the index back. After
   * `build`, in shared memory if it was asked for; the builder hands its
   * arrays over (without shared memory they are not even copied).
   */
  documents(): ForwardIndex {
    if (!this.posting) throw new Error('IndexBuilder.documents: call build first');
    const n = this.postings;
    const copy = <T extends Int32Array | Float32Array>(array: T, to: T): T => {
      to.set(array.subarray(0, to.length));
      return to;
    };
    if (!this.shared) return { docStart: this.docStart.subarray(0, this.docs + 1), termId: this.termId.subarray(0, n), tf: this.tf.subarray(0, n), posting: this.posting };
    return { docStart: copy(this.docStart, int32Array(this.docs + 1, true)), termId: copy(this.termId, int32Array(n, true)), tf: copy(this.tf, float32Array(n, true)), posting: this.posting };
  }
}

function grown<T extends Int32Array | Float32Array>(array: T, size: number): T {
  const next = new (array.constructor as new (n: number) => T)(size);
  next.set(array);
  return next;
}

/** Builds the index from each document's terms per field. Document ids are positions in `docs`. */
export function buildIndex(docs: readonly (readonly (readonly string[])[])[], fieldWeights: FieldWeights): InvertedIndex {
  const termIds = new Map<string, number>();
  const terms: string[] = [];
  const builder = new IndexBuilder();
  const ids: number[] = [];
  const tfs: number[] = [];
  for (const fields of docs) {
    ids.length = 0;
    tfs.length = 0;
    let length = 0;
    for (const [term, tf] of termCounts(fields, fieldWeights)) {
      let id = termIds.get(term);
      if (id === undefined) {
        id = terms.length;
        termIds.set(term, id);
        terms.push(term);
      }
      ids.push(id);
      tfs.push(tf);
      // Concept terms restate words already counted: they do not make a document longer.
      if (!isConceptTerm(term)) length += tf;
    }
    builder.addDocument(ids, tfs, ids.length, length);
  }
  return builder.build(terms, termIds);
}
