import type { Query, WeightedIndex } from './text-model.js';
import { resetAccumulator, type Accumulator } from './accumulate.js';
import { collectCandidates } from './posting-loops.js';
import { scoreSums, type ScoreSums } from './posting-kernel.js';

/**
 * The top-k text search of one need: every posting of the need's terms is
 * added into dense sums, by one tight loop per term, in query order, which is
 * the arithmetic exhaustive scoring does; then the few documents that can rank
 * are picked out in passes over the sums, without visiting the others.
 *
 * Why not dynamic pruning (MaxScore, WAND)? Needs are long (a hundred terms
 * and more), so the k-th best score is small against the sum of the term
 * bounds: measured on the SBIR workload, MaxScore must still read 38% of the
 * postings in full (24% with terms ordered by bound per posting), and those
 * are the postings of rare words, scattered over the sums, which cost several
 * times what the dense postings of common words cost. Every pruned variant
 * measured (see scripts/bench.js and the README) was slower than reading
 * everything with this loop.
 */

/**
 * Scores as exhaustive scoring computes them: the sum over `first`'s terms in
 * order, times `scale`, plus the sum over `second`'s terms in order (see
 * applyExpansion in rank/feedback.ts; without feedback, scale 1 and no second).
 */
export interface TextScoring {
  first: Query;
  scale: number;
  second: Query | null;
}

/** What a search must find: every document that can be among the `k` best by `key`. */
export interface TopTextGoal {
  k: number;
  /**
   * The ranking key of `doc` when its text score is `text`: non-decreasing in
   * text; -Infinity when the document cannot rank (filtered out, pinned,
   * scoring 0 or below the minimum). Equal keys tie (the caller breaks ties),
   * so only a key strictly below the k-th best rules a document out.
   */
  key(doc: number, text: number): number;
  /** A text score below which the key of any document that is not a seed stays strictly below `key`. */
  textBelow(key: number): number;
  /** Documents whose key does not follow keyBound (tag or sector credit): always candidates. */
  seeds: readonly number[];
  /** Documents whose text score is wanted whatever it is (pins): always candidates. */
  keep: readonly number[];
}

/** Relative slack on the text threshold, far above the rounding error of keyBound's arithmetic. */
const SLACK = 1e-9;
const ALWAYS = 1;
/** Documents taken beyond the m best, so that ties with the m-th are rarely left out (which would cost a second pass). */
const TIE_ROOM = 8;

/** The k best keys found so far: a min-heap, so its root is the k-th best. */
class BestKeys {
  private readonly keys: Float64Array;
  size = 0;

  constructor(readonly k: number) {
    this.keys = new Float64Array(Math.max(1, k));
  }

  /** The k-th best key: -Infinity until k keys are known; +Infinity when k is 0 (nothing can rank). */
  get kth(): number {
    if (this.k <= 0) return Infinity;
    return this.size === this.k ? this.keys[0] : -Infinity;
  }

  offer(key: number): void {
    if (this.k <= 0 || key === -Infinity) return;
    const keys = this.keys;
    let i: number;
    if (this.size < this.k) {
      i = this.size++;
      while (i > 0 && keys[(i - 1) >> 1] > key) {
        keys[i] = keys[(i - 1) >> 1];
        i = (i - 1) >> 1;
      }
    } else {
      if (key <= keys[0]) return;
      i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= this.size) break;
        const c = l + 1 < this.size && keys[l + 1] < keys[l] ? l + 1 : l;
        if (keys[c] >= key) break;
        keys[i] = keys[c];
        i = c;
      }
    }
    keys[i] = key;
  }
}

/**
 * A search over one corpus, reused across needs. `begin(query)` scores a
 * need's query; `topFirst` then gives its best documents (the feedback
 * pass), and `finish` the candidates of the final ranking. The sums live in
 * memory the thread's searches over the corpus share (see posting-kernel.ts):
 * between `begin` and `finish`, no other search over it may begin.
 */
export class TopTextSearch {
  /** What the searches so far cost (for the benchmark). */
  readonly stats = { postingsRead: 0, documentPasses: 0 };
  /** This thread's sums and the loops over them. */
  private readonly kernel: ScoreSums;
  private readonly candidates: Int32Array;
  // Scratch for the best sums of a pass.
  private leaderKeys = new Float64Array(64);
  private leaderDocs = new Int32Array(64);
  /** After tiedTop: no document it left out has a sum above this. */
  private leaderFloor = 0;

  constructor(private readonly weighted: WeightedIndex) {
    const n = weighted.index.docCount;
    const { memory, weights, index } = weighted;
    this.kernel = scoreSums({ memory, weights, postingStart: index.postingStart, postingDoc: index.postingDoc }, n);
    this.candidates = new Int32Array(n);
  }

  /** Every document's text score under the scoring computed so far. */
  private get sums(): Float64Array {
    return this.kernel.sums;
  }

  /** Documents that are always candidates (seeds, pins) of the current goal. */
  private get flags(): Uint8Array {
    return this.kernel.flags;
  }

  /** Scores `query` (a need's first-stage query) against every document. */
  begin(query: Query): void {
    this.kernel.owner = this;
    this.kernel.clear();
    this.add(query);
  }

  /** Fails when another search has used the shared sums since `begin`. */
  private checkOwner(): void {
    if (this.kernel.owner !== this) throw new Error('TopTextSearch: another search over this corpus began before this one finished');
  }

  /**
   * The `k` documents scoring best on the query given to `begin` (above 0),
   * best first, ties to `before`: what topDocuments gives over exhaustive
   * scores, scores included.
   */
  topFirst(k: number, before: (a: number, b: number) => boolean): { doc: number; score: number }[] {
    this.checkOwner();
    if (k <= 0) return [];
    const docs = this.tiedTop(k, 0);
    const top = docs.map((doc) => ({ doc, score: this.sums[doc] }));
    top.sort((a, b) => b.score - a.score || (before(a.doc, b.doc) ? -1 : 1));
    return top.slice(0, k);
  }

  /**
   * Leaves in `acc` (touched[0..count), scores) every document that can be
   * among the goal's k best under `scoring`, and the seeds and kept ones,
   * each with its score. `scoring.first` must be the query given to `begin`.
   */
  finish(scoring: TextScoring, goal: TopTextGoal, acc: Accumulator): void {
    this.checkOwner();
    const { scale, second } = scoring;
    if (second) {
      // As applyExpansion: the first pass's scores rescaled, then the feedback terms added.
      this.stats.documentPasses++;
      this.kernel.scale(scale);
      this.add(second);
    }
    const sums = this.sums;
    for (const d of goal.seeds) this.flags[d] = ALWAYS;
    for (const d of goal.keep) this.flags[d] = ALWAYS;
    const seedKeys = goal.seeds.map((d) => goal.key(d, sums[d]));
    // The k-th best key among the seeds and the other documents with the best text scores bounds the true
    // k-th best from below; filters may rule some of them out, so look further until k keys are known.
    let kth = goal.k > 0 ? -Infinity : Infinity;
    let leaders: number[] = [];
    for (let m = goal.k; kth === -Infinity; m *= 4) {
      const best = new BestKeys(goal.k);
      for (const key of seedKeys) best.offer(key);
      leaders = this.tiedTop(m, ALWAYS);
      for (const d of leaders) best.offer(goal.key(d, sums[d]));
      kth = best.kth;
      if (this.leaderFloor === 0) break; // every document above 0 was looked at
    }

    // The candidates: the seeds, the kept ones, and every document whose text can still reach the k-th best,
    // usually all among the leaders already found (then no pass over the documents is needed).
    const floor = kth === -Infinity ? Number.MIN_VALUE : Math.max(Number.MIN_VALUE, goal.textBelow(kth) * (1 - SLACK));
    let n: number;
    if (this.leaderFloor < floor) {
      n = 0;
      for (const d of leaders) if (sums[d] >= floor) this.candidates[n++] = d;
      const seeds = new Set(goal.seeds);
      for (const d of seeds) this.candidates[n++] = d;
      for (const d of new Set(goal.keep)) if (!seeds.has(d)) this.candidates[n++] = d;
    } else {
      this.stats.documentPasses++;
      n = collectCandidates(sums, this.flags, ALWAYS, floor, this.candidates);
    }
    for (const d of goal.seeds) this.flags[d] = 0;
    for (const d of goal.keep) this.flags[d] = 0;

    resetAccumulator(acc);
    for (let i = 0; i < n; i++) {
      const d = this.candidates[i];
      acc.touched[i] = d;
      acc.scores[d] = sums[d];
    }
    acc.count = n;
  }

  /** Adds the query's postings, term by term in query order. */
  private add(query: Query): void {
    const { postingStart } = this.weighted.index;
    const kernel = this.kernel;
    let read = 0;
    for (let i = 0; i < query.termIds.length; i++) {
      const t = query.termIds[i];
      kernel.addPostings(postingStart[t], postingStart[t + 1], query.weights[i]);
      read += postingStart[t + 1] - postingStart[t];
    }
    this.stats.postingsRead += read;
  }

  /**
   * The documents with the `m` largest sums above 0 and none of the `skip`
   * flags, and every document tied with the m-th; sets `leaderFloor` to a
   * bound of the sums of the documents left out. One pass over the documents
   * (two when very many tie).
   */
  private tiedTop(m: number, skip: number): number[] {
    const want = m + TIE_ROOM;
    if (this.leaderKeys.length < want) {
      this.leaderKeys = new Float64Array(want);
      this.leaderDocs = new Int32Array(want);
    }
    this.stats.documentPasses++;
    const size = this.kernel.largestSums(skip, want, this.leaderKeys, this.leaderDocs);
    const out: number[] = [];
    if (size < want) {
      // Every document above 0 is here.
      for (let i = 0; i < size; i++) out.push(this.leaderDocs[i]);
      this.leaderFloor = 0;
      return out;
    }
    // Documents left out score at most the smallest sum kept (the heap's root); those above it are in.
    const least = this.leaderKeys[0];
    for (let i = 0; i < size; i++) if (this.leaderKeys[i] > least) out.push(this.leaderDocs[i]);
    this.leaderFloor = least;
    if (out.length >= m) return out;
    // The m-th sum ties with documents left out: take every document at it.
    this.stats.documentPasses++;
    const n = collectCandidates(this.sums, this.flags, 0, least, this.candidates);
    out.length = 0;
    for (let i = 0; i < n; i++) if (!(this.flags[this.candidates[i]] & skip)) out.push(this.candidates[i]);
    return out;
  }
}
