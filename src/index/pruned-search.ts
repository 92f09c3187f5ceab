import type { Query, WeightedIndex } from './text-model.js';
import { resetAccumulator, type Accumulator } from './accumulate.js';

/**
 * Exact dynamic pruning of a top-k text search (MaxScore, Turtle & Flood
 * 1995, term at a time). A document's text score is a sum of query weight ×
 * posting weight, and no posting of term t weighs more than maxWeight[t]. So
 * terms are read strongest first, every posting of them, only while the
 * terms still unread could lift a document never seen to the k-th best key
 * found so far; after that only the documents already seen are followed, and
 * each is dropped as soon as its bound falls below the k-th best.
 *
 * The k-th best rises fast because the leading documents are scored exactly
 * along the way, from the forward index. The documents kept get their exact
 * score, computed from the forward index with the very arithmetic exhaustive
 * scoring uses (same terms, same order), so ranking them gives the same
 * output bit for bit; the documents left out could not have ranked.
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
   * so only a key strictly below the k-th best prunes.
   */
  key(doc: number, text: number): number;
  /** An upper bound of key(doc, text) for any document that is not a seed. */
  keyBound(text: number): number;
  /** A text score at or below which keyBound stays at or below `key`. */
  textAtMost(key: number): number;
  /** Documents whose key does not follow keyBound (tag or sector credit): followed whatever their text. */
  seeds: readonly number[];
  /** Documents whose exact text score is wanted whatever it is (pins): never dropped. */
  keep: readonly number[];
}

/** Each document's terms with the position of their posting (the forward index). */
export interface DocumentTerms {
  docStart: Int32Array;
  termId: Int32Array;
  posting: Int32Array;
}

/** A posting list to read, with the query weight applied to it and the most it can add. */
interface Piece {
  term: number;
  weight: number;
  bound: number;
}

/** Relative slack on every bound, far above the rounding error of the sums, so rounding never drops a document that could rank. */
const SLACK = 1e-9;
/** Postings read between exact scorings of the leading documents. */
const CHECKPOINT = 1 << 15;
/** Below this many candidates, exact scoring beats following the remaining lists. */
const FEW = 24;

export const ST = { scan: 0, follows: 0, cands: 0, piecesLeft: 0, piecesAll: 0, gallop: 0, walk: 0, exactEnd: 0, exact: 0 };
(globalThis as any).__ST = ST;
const TOUCHED = 1;
const SEED = 2;
const KEEP = 4;
const EXACT = 8;

/** The k best keys found so far, one per document: a min-heap, so its root is the k-th best. */
class BestKeys {
  readonly keys: Float64Array;
  readonly docs: Int32Array;
  size = 0;

  constructor(readonly k: number, private readonly pos: Int32Array) {
    this.keys = new Float64Array(Math.max(1, k));
    this.docs = new Int32Array(Math.max(1, k));
  }

  /** The k-th best key: -Infinity until k keys are known; +Infinity when k is 0 (nothing can rank). */
  get kth(): number {
    if (this.k <= 0) return Infinity;
    return this.size === this.k ? this.keys[0] : -Infinity;
  }

  /** Records `key` for `doc` if it improves the k best; true when the k-th best changed. */
  offer(doc: number, key: number): boolean {
    if (this.k <= 0 || key === -Infinity) return false;
    const { keys, docs, pos } = this;
    const at = pos[doc];
    if (at >= 0) {
      if (key <= keys[at]) return false;
      const wasRoot = at === 0;
      keys[at] = key;
      this.siftDown(at);
      return wasRoot && this.size === this.k;
    }
    if (this.size < this.k) {
      keys[this.size] = key;
      docs[this.size] = doc;
      this.siftUp(this.size++);
      return this.size === this.k;
    }
    if (key <= keys[0]) return false;
    pos[docs[0]] = -1;
    keys[0] = key;
    docs[0] = doc;
    this.siftDown(0);
    return true;
  }

  clear(): void {
    for (let i = 0; i < this.size; i++) this.pos[this.docs[i]] = -1;
    this.size = 0;
  }

  private siftDown(i: number): void {
    const { keys, docs, pos } = this;
    const key = keys[i];
    const doc = docs[i];
    for (;;) {
      const l = 2 * i + 1;
      if (l >= this.size) break;
      const r = l + 1;
      const c = r < this.size && keys[r] < keys[l] ? r : l;
      if (keys[c] >= key) break;
      keys[i] = keys[c];
      docs[i] = docs[c];
      pos[docs[i]] = i;
      i = c;
    }
    keys[i] = key;
    docs[i] = doc;
    pos[doc] = i;
  }

  private siftUp(i: number): void {
    const { keys, docs, pos } = this;
    const key = keys[i];
    const doc = docs[i];
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (keys[parent] <= key) break;
      keys[i] = keys[parent];
      docs[i] = docs[parent];
      pos[docs[i]] = i;
      i = parent;
    }
    keys[i] = key;
    docs[i] = doc;
    pos[doc] = i;
  }
}

/**
 * A pruned search over one corpus, reused across needs. `begin(query)`
 * starts a need; `topFirst` may then find the best documents on the query
 * alone (the feedback pass), and `finish` finds the candidates of the final
 * ranking. The postings `topFirst` reads are not read again by `finish`.
 */
export class TopTextSearch {
  /** Partial sums of the documents touched so far (terms [0, prefix) of the first stage, before `finish`). */
  private readonly scores: Float64Array;
  private readonly touched: Int32Array;
  private count = 0;
  private readonly flags: Uint8Array;
  private readonly heapPos: Int32Array;
  /** Position + 1 of each term in the first and second stage of the scoring being computed exactly (0: absent). */
  private readonly firstPos: Int32Array;
  private readonly secondPos: Int32Array;
  private exactScoring: TextScoring | null = null;
  private query: Query = { termIds: new Int32Array(0), weights: new Float64Array(0) };
  private prefix = 0;
  // Scratch for exact scoring: a document's contributions by position.
  private orderBuf = new Int32Array(256);
  private valueBuf = new Float64Array(256);

  constructor(private readonly weighted: WeightedIndex, private readonly forward: DocumentTerms) {
    const n = weighted.index.docCount;
    this.scores = new Float64Array(n);
    this.touched = new Int32Array(n);
    this.flags = new Uint8Array(n);
    this.heapPos = new Int32Array(n).fill(-1);
    this.firstPos = new Int32Array(weighted.index.terms.length);
    this.secondPos = new Int32Array(weighted.index.terms.length);
  }

  /** Starts the search of a new need with its (first-stage) query. */
  begin(query: Query): void {
    for (let i = 0; i < this.count; i++) {
      const d = this.touched[i];
      this.scores[d] = 0;
      this.flags[d] = 0;
    }
    this.count = 0;
    this.query = query;
    this.prefix = 0;
  }

  /**
   * The `k` documents scoring best on the query alone (above 0), best first,
   * ties to `before`: what topDocuments gives over exhaustive scores, scores
   * included.
   */
  topFirst(k: number, before: (a: number, b: number) => boolean): { doc: number; score: number }[] {
    const scoring: TextScoring = { first: this.query, scale: 1, second: null };
    this.setExact(scoring);
    const goal: TopTextGoal = { k, key: (_d, text) => (text > 0 ? text : -Infinity), keyBound: (text) => text, textAtMost: (key) => key, seeds: [], keep: [] };
    const pieces: Piece[] = [];
    for (let i = 0; i < this.query.termIds.length; i++) pieces.push(this.piece(this.query.termIds[i], this.query.weights[i]));
    const best = new BestKeys(k, this.heapPos);
    // Read the query's terms in order, so that what is read stays valid for `finish`.
    const stop = this.scan(pieces, 0, goal, best);
    this.prefix = stop;
    const found = this.follow(pieces, stop, goal, best);
    best.clear();
    const top = found.filter((c) => c.score > 0);
    top.sort((a, b) => b.score - a.score || (before(a.doc, b.doc) ? -1 : 1));
    return top.slice(0, k);
  }

  /**
   * Leaves in `acc` (touched[0..count), scores) every document that can be
   * among the goal's k best under `scoring`, and the kept ones, each with its
   * exact score. `scoring.first` must be the query given to `begin`.
   */
  finish(scoring: TextScoring, goal: TopTextGoal, acc: Accumulator): void {
    this.setExact(scoring);
    const { scale } = scoring;
    // What topFirst read is a prefix of the first stage: bring it to the final scale.
    if (scale !== 1) for (let i = 0; i < this.count; i++) this.scores[this.touched[i]] *= scale;
    const pieces: Piece[] = [];
    const { first, second } = scoring;
    for (let i = this.prefix; i < first.termIds.length; i++) pieces.push(this.piece(first.termIds[i], first.weights[i] * scale));
    if (second) for (let i = 0; i < second.termIds.length; i++) pieces.push(this.piece(second.termIds[i], second.weights[i]));
    pieces.sort((a, b) => b.bound - a.bound);

    for (const d of goal.keep) this.mark(d, KEEP);
    for (const d of goal.seeds) this.mark(d, SEED);
    const best = new BestKeys(goal.k, this.heapPos);
    for (let i = 0; i < this.count; i++) {
      const d = this.touched[i];
      if (this.flags[d] & SEED) best.offer(d, goal.key(d, this.scores[d] * (1 - SLACK)));
    }
    // Score the leading documents so far exactly: a high k-th best from the start prunes more.
    this.scoreLeaders(goal, best, goal.k + FEW);
    const stop = this.scan(pieces, 0, goal, best);
    const found = this.follow(pieces, stop, goal, best);
    best.clear();

    resetAccumulator(acc);
    let n = 0;
    for (const { doc, score } of found) {
      acc.touched[n++] = doc;
      acc.scores[doc] = score;
    }
    acc.count = n;
  }

  private piece(term: number, weight: number): Piece {
    return { term, weight, bound: weight * this.weighted.maxWeight[term] };
  }

  private mark(doc: number, flag: number): void {
    if (!(this.flags[doc] & TOUCHED)) {
      this.flags[doc] = TOUCHED;
      this.touched[this.count++] = doc;
    }
    this.flags[doc] |= flag;
  }

  /** Reads every posting of pieces[from..], in order, while documents not yet seen could still rank; returns where it stopped. */
  private scan(pieces: Piece[], from: number, goal: TopTextGoal, best: BestKeys): number {
    const { postingStart, postingDoc } = this.weighted.index;
    const w = this.weighted.weights;
    const { scores, touched, flags } = this;
    let rest = 0;
    for (let i = from; i < pieces.length; i++) rest += pieces[i].bound;
    let entry = best.kth === -Infinity ? -Infinity : goal.textAtMost(best.kth);
    let sinceCheckpoint = 0;
    let i = from;
    for (; i < pieces.length; i++) {
      const kth = best.kth;
      if (kth !== -Infinity && goal.keyBound(rest * (1 + SLACK)) < kth) break;
      const { term, weight, bound } = pieces[i];
      let count = this.count;
      const start = postingStart[term];
      const end = postingStart[term + 1];
      for (let p = start; p < end; p++) {
        const d = postingDoc[p];
        if (!(flags[d] & TOUCHED)) {
          flags[d] = TOUCHED;
          touched[count++] = d;
        }
        const s = scores[d] + weight * w[p];
        scores[d] = s;
        if (s > entry || flags[d] & SEED) {
          if (flags[d] & EXACT) continue;
          if (best.offer(d, goal.key(d, s * (1 - SLACK)))) entry = goal.textAtMost(best.kth);
        }
      }
      this.count = count;
      rest -= bound;
      sinceCheckpoint += end - start;
      ST.scan += end - start;
      if (sinceCheckpoint >= CHECKPOINT) {
        sinceCheckpoint = 0;
        this.scoreLeaders(goal, best, 0);
        entry = best.kth === -Infinity ? -Infinity : goal.textAtMost(best.kth);
      }
    }
    return i;
  }

  /**
   * From pieces[from..] on, follows only the documents touched so far (and
   * the seeds and kept ones), dropping each when its bound falls below the
   * k-th best; returns the survivors with their exact scores. Leaves the
   * partial sums of the scan as they were.
   */
  private follow(pieces: Piece[], from: number, goal: TopTextGoal, best: BestKeys): { doc: number; score: number }[] {
    const { postingStart, postingDoc } = this.weighted.index;
    const w = this.weighted.weights;
    const { scores, flags } = this;
    let rest = 0;
    for (let i = from; i < pieces.length; i++) rest += pieces[i].bound;
    let kth = best.kth;

    // The candidates: documents whose bound still reaches the k-th best, in document order, with their sums.
    let cands = new Int32Array(this.count);
    let n = 0;
    for (let i = 0; i < this.count; i++) {
      const d = this.touched[i];
      const f = flags[d];
      if (f & KEEP || goal.key(d, (scores[d] + rest) * (1 + SLACK)) >= kth) cands[n++] = d;
    }
    cands = cands.subarray(0, n).sort();
    ST.follows++; ST.cands += n; ST.piecesLeft += pieces.length - from; ST.piecesAll += pieces.length;
    const sums = new Float64Array(n);
    for (let i = 0; i < n; i++) sums[i] = scores[cands[i]];

    let entry = kth === -Infinity ? -Infinity : goal.textAtMost(kth);
    const offer = (i: number) => {
      const d = cands[i];
      const s = sums[i];
      if ((s > entry || flags[d] & SEED) && !(flags[d] & EXACT) && best.offer(d, goal.key(d, s * (1 - SLACK)))) {
        kth = best.kth;
        entry = goal.textAtMost(kth);
      }
    };
    for (let piece = from; piece < pieces.length && n > FEW; piece++) {
      const { term, weight, bound } = pieces[piece];
      const start = postingStart[term];
      const end = postingStart[term + 1];
      if (n * 8 < end - start) ST.gallop += n; else ST.walk += end - start + n;
      if (n * 8 < end - start) {
        // Few candidates, a long list: gallop from one candidate to the next.
        let p = start;
        for (let i = 0; i < n && p < end; i++) {
          const d = cands[i];
          if (postingDoc[p] < d) {
            let step = 1;
            let hi = p + 1;
            while (hi < end && postingDoc[hi] < d) {
              p = hi;
              step *= 2;
              hi = p + step;
            }
            if (hi > end) hi = end;
            let lo = p + 1;
            while (lo < hi) {
              const mid = (lo + hi) >>> 1;
              if (postingDoc[mid] < d) lo = mid + 1;
              else hi = mid;
            }
            p = lo;
            if (p >= end) break;
          }
          if (postingDoc[p] === d) {
            sums[i] += weight * w[p];
            offer(i);
            p++;
          }
        }
      } else {
        // A short list: walk it, matching candidates as both go up.
        let i = 0;
        for (let p = start; p < end && i < n; p++) {
          const d = postingDoc[p];
          while (i < n && cands[i] < d) i++;
          if (i < n && cands[i] === d) {
            sums[i] += weight * w[p];
            offer(i);
          }
        }
      }
      rest -= bound;
      if (kth === -Infinity) continue;
      let kept = 0;
      for (let i = 0; i < n; i++) {
        const d = cands[i];
        const f = flags[d];
        const upper = (sums[i] + rest) * (1 + SLACK);
        if (f & KEEP || (f & SEED ? goal.key(d, upper) : goal.keyBound(upper)) >= kth) {
          cands[kept] = d;
          sums[kept++] = sums[i];
        }
      }
      n = kept;
    }

    ST.exactEnd += n;
    // Exact scores for the few left; those below the k-th best are dropped.
    const out: { doc: number; score: number }[] = [];
    for (let i = 0; i < n; i++) {
      const d = cands[i];
      const score = this.exact(d);
      best.offer(d, goal.key(d, score));
      out.push({ doc: d, score });
    }
    kth = best.kth;
    return out.filter(({ doc, score }) => flags[doc] & KEEP || goal.key(doc, score) >= kth);
  }

  /**
   * Scores exactly the documents among the k best so far that are not yet
   * (and, with `more`, the `more` touched documents with the highest partial
   * sums), so the k-th best is a true score rather than a partial sum.
   */
  private scoreLeaders(goal: TopTextGoal, best: BestKeys, more: number): void {
    const docs: number[] = [];
    for (let i = 0; i < best.size; i++) if (!(this.flags[best.docs[i]] & EXACT)) docs.push(best.docs[i]);
    if (more > 0 && this.count > 0) {
      // The `more` highest partial sums (a small min-heap by sum).
      const top = new Float64Array(more);
      const topDoc = new Int32Array(more);
      let size = 0;
      for (let i = 0; i < this.count; i++) {
        const d = this.touched[i];
        const s = this.scores[d];
        if (size < more) {
          let j = size++;
          while (j > 0 && top[(j - 1) >> 1] > s) {
            top[j] = top[(j - 1) >> 1];
            topDoc[j] = topDoc[(j - 1) >> 1];
            j = (j - 1) >> 1;
          }
          top[j] = s;
          topDoc[j] = d;
        } else if (s > top[0]) {
          let j = 0;
          for (;;) {
            const l = 2 * j + 1;
            if (l >= size) break;
            const c = l + 1 < size && top[l + 1] < top[l] ? l + 1 : l;
            if (top[c] >= s) break;
            top[j] = top[c];
            topDoc[j] = topDoc[c];
            j = c;
          }
          top[j] = s;
          topDoc[j] = d;
        }
      }
      for (let i = 0; i < size; i++) if (!(this.flags[topDoc[i]] & EXACT)) docs.push(topDoc[i]);
    }
    for (const d of docs) {
      if (this.flags[d] & EXACT) continue;
      this.flags[d] |= EXACT;
      best.offer(d, goal.key(d, this.exact(d)));
    }
  }

  /** Prepares exact scoring under `scoring`. */
  private setExact(scoring: TextScoring): void {
    const old = this.exactScoring;
    if (old) {
      for (const t of old.first.termIds) this.firstPos[t] = 0;
      if (old.second) for (const t of old.second.termIds) this.secondPos[t] = 0;
    }
    scoring.first.termIds.forEach((t, i) => (this.firstPos[t] = i + 1));
    if (scoring.second) scoring.second.termIds.forEach((t, i) => (this.secondPos[t] = i + 1));
    this.exactScoring = scoring;
    // Exact scores depend on the scoring: forget which documents have one.
    for (let i = 0; i < this.count; i++) this.flags[this.touched[i]] &= ~EXACT;
  }

  /** The score of `doc` exactly as exhaustive scoring computes it: contributions added in query order. */
  private exact(doc: number): number {
    ST.exact++;
    const scoring = this.exactScoring!;
    const { docStart, termId, posting } = this.forward;
    const w = this.weighted.weights;
    const start = docStart[doc];
    const end = docStart[doc + 1];
    if (end - start > this.orderBuf.length) {
      this.orderBuf = new Int32Array(2 * (end - start));
      this.valueBuf = new Float64Array(2 * (end - start));
    }
    const sum = (positions: Int32Array, weights: Float64Array): number => {
      const order = this.orderBuf;
      const value = this.valueBuf;
      let n = 0;
      for (let i = start; i < end; i++) {
        const at = positions[termId[i]];
        if (at === 0) continue;
        const v = weights[at - 1] * w[posting[i]];
        // Insertion by query position: a document shares few terms with a query.
        let j = n++;
        while (j > 0 && order[j - 1] > at) {
          order[j] = order[j - 1];
          value[j] = value[j - 1];
          j--;
        }
        order[j] = at;
        value[j] = v;
      }
      let s = 0;
      for (let j = 0; j < n; j++) s += value[j];
      return s;
    };
    let score = sum(this.firstPos, scoring.first.weights);
    if (scoring.second) {
      score *= scoring.scale;
      // Added one by one, in order, onto the scaled sum, as applyExpansion does.
      const order = this.orderBuf;
      const value = this.valueBuf;
      let n = 0;
      for (let i = start; i < end; i++) {
        const at = this.secondPos[termId[i]];
        if (at === 0) continue;
        const v = scoring.second.weights[at - 1] * w[posting[i]];
        let j = n++;
        while (j > 0 && order[j - 1] > at) {
          order[j] = order[j - 1];
          value[j] = value[j - 1];
          j--;
        }
        order[j] = at;
        value[j] = v;
      }
      for (let j = 0; j < n; j++) score += value[j];
    }
    return score;
  }
}
