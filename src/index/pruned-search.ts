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
  /** A text score below which keyBound stays strictly below `key`. */
  textBelow(key: number): number;
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
/** Seeds scored exactly at the start (more are only followed). */
const SEEDS_SCORED = 256;

const SEED = 1;
const KEEP = 2;
const EXACT = 4;

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
 * ranking. The postings `topFirst` reads in full are not read again.
 */
export class TopTextSearch {
  /** Partial sums of every document: of terms [0, prefix) of the first stage between `topFirst` and `finish`. */
  private readonly scores: Float64Array;
  private readonly flags: Uint8Array;
  private readonly heapPos: Int32Array;
  private readonly docCount: number;
  /** Position + 1 of each term in the first and second stage of the scoring being computed exactly (0: absent). */
  private readonly firstPos: Int32Array;
  private readonly secondPos: Int32Array;
  private exactScoring: TextScoring | null = null;
  private query: Query = { termIds: new Int32Array(0), weights: new Float64Array(0) };
  private prefix = 0;
  /** The documents topFirst kept: good first guesses for `finish`. */
  private leaders: number[] = [];
  /** Documents with a flag set, to clear them. */
  private flagged: number[] = [];
  // Scratch for exact scoring: a document's contributions by query position.
  private orderBuf = new Int32Array(256);
  private valueBuf = new Float64Array(256);

  constructor(private readonly weighted: WeightedIndex, private readonly forward: DocumentTerms) {
    const n = weighted.index.docCount;
    this.docCount = n;
    this.scores = new Float64Array(n);
    this.flags = new Uint8Array(n);
    this.heapPos = new Int32Array(n).fill(-1);
    this.firstPos = new Int32Array(weighted.index.terms.length);
    this.secondPos = new Int32Array(weighted.index.terms.length);
  }

  /** Starts the search of a new need with its (first-stage) query. */
  begin(query: Query): void {
    this.scores.fill(0);
    this.clearFlags();
    this.query = query;
    this.prefix = 0;
    this.leaders = [];
  }

  /**
   * The `k` documents scoring best on the query alone (above 0), best first,
   * ties to `before`: what topDocuments gives over exhaustive scores, scores
   * included.
   */
  topFirst(k: number, before: (a: number, b: number) => boolean): { doc: number; score: number }[] {
    const scoring: TextScoring = { first: this.query, scale: 1, second: null };
    this.setExact(scoring);
    const goal: TopTextGoal = { k, key: (_d, text) => (text > 0 ? text : -Infinity), keyBound: (text) => text, textAtMost: (key) => key, textBelow: (key) => key, seeds: [], keep: [] };
    const pieces: Piece[] = [];
    for (let i = 0; i < this.query.termIds.length; i++) pieces.push(this.piece(this.query.termIds[i], this.query.weights[i]));
    const best = new BestKeys(k, this.heapPos);
    // The query's terms in their order, so that the sums read stay valid for `finish`.
    const stop = this.scan(pieces, goal, best, 1);
    this.prefix = stop;
    const found = this.follow(pieces, stop, goal, best, 1);
    best.clear();
    this.clearFlags();
    this.leaders = found.map((c) => c.doc);
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
    // Sums stay in the first stage's units, what topFirst read included: a sum s stands for the score s × unit,
    // and the second stage's weights are divided by the scale instead.
    let unit = 1;
    if (scale > 0) unit = scale;
    else if (this.prefix > 0) this.scores.fill(0); // scale 0: the first stage counts for nothing
    const pieces: Piece[] = [];
    const { first, second } = scoring;
    if (scale > 0) for (let i = this.prefix; i < first.termIds.length; i++) pieces.push(this.piece(first.termIds[i], first.weights[i]));
    if (second) for (let i = 0; i < second.termIds.length; i++) pieces.push(this.piece(second.termIds[i], second.weights[i] / unit));
    pieces.sort((a, b) => b.bound - a.bound);

    for (const d of goal.keep) this.setFlag(d, KEEP);
    for (const d of goal.seeds) this.setFlag(d, SEED);
    const best = new BestKeys(goal.k, this.heapPos);
    // Scoring the leading documents exactly from the start gives a high k-th best early, which prunes more:
    // the seeds, and the first pass's best.
    for (let i = 0; i < goal.seeds.length && i < SEEDS_SCORED; i++) this.scoreExactly(goal.seeds[i], goal, best);
    for (const d of this.leaders) this.scoreExactly(d, goal, best);
    this.leaders = [];
    const stop = this.scan(pieces, goal, best, unit);
    const found = this.follow(pieces, stop, goal, best, unit);
    best.clear();
    this.clearFlags();

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

  private setFlag(doc: number, flag: number): void {
    if (this.flags[doc] === 0) this.flagged.push(doc);
    this.flags[doc] |= flag;
  }

  private clearFlags(): void {
    for (const d of this.flagged) this.flags[d] = 0;
    this.flagged = [];
  }

  /**
   * Reads every posting of the pieces, in order, while documents not yet seen
   * could still rank, and while following the few that can would cost more
   * than reading on; returns where it stopped.
   */
  private scan(pieces: Piece[], goal: TopTextGoal, best: BestKeys, unit: number): number {
    const { postingStart, postingDoc } = this.weighted.index;
    const w = this.weighted.weights;
    const { scores, flags } = this;
    let rest = 0;
    let restPostings = 0;
    for (const { term, bound } of pieces) {
      rest += bound;
      restPostings += postingStart[term + 1] - postingStart[term];
    }
    const entryOf = (kth: number) => (kth === -Infinity ? -Infinity : goal.textAtMost(kth) / unit);
    let entry = entryOf(best.kth);
    let sinceCheckpoint = 0;
    let sinceCount = Infinity;
    let i = 0;
    for (; i < pieces.length; i++) {
      const kth = best.kth;
      if (kth !== -Infinity && goal.keyBound(rest * unit * (1 + SLACK)) < kth && sinceCount >= this.docCount >> 3) {
        // Unseen documents are out; switch once the documents still in are few enough to look up.
        sinceCount = 0;
        const n = this.countCandidates(rest, goal, kth, unit);
        if (n <= FEW || n * 8 < restPostings / (pieces.length - i)) break;
      }
      const { term, weight, bound } = pieces[i];
      const start = postingStart[term];
      const end = postingStart[term + 1];
      for (let p = start; p < end; p++) {
        const d = postingDoc[p];
        const s = scores[d] + weight * w[p];
        scores[d] = s;
        if (s > entry && !(flags[d] & EXACT) && best.offer(d, goal.key(d, s * unit * (1 - SLACK)))) entry = entryOf(best.kth);
      }
      rest -= bound;
      restPostings -= end - start;
      sinceCheckpoint += end - start;
      sinceCount += end - start;
      if (sinceCheckpoint >= CHECKPOINT) {
        sinceCheckpoint = 0;
        this.scoreLeaders(goal, best);
        entry = entryOf(best.kth);
      }
    }
    return i;
  }

  /**
   * About how many documents would be followed if unseen ones are out
   * (`rest` left to read, the k-th best at `kth`): counted on one document in
   * eight, which is enough to decide when to switch.
   */
  private countCandidates(rest: number, goal: TopTextGoal, kth: number, unit: number): number {
    const drop = goal.textBelow(kth) / unit / (1 + SLACK) - rest;
    const { scores } = this;
    let n = 0;
    for (let d = 0; d < this.docCount; d += 8) if (scores[d] >= drop && scores[d] > 0) n++;
    return this.flagged.length + 8 * n;
  }

  /**
   * From pieces[from..] on, follows only the documents already seen (and the
   * seeds and kept ones), dropping each when its bound falls below the k-th
   * best; returns the survivors with their exact scores. Leaves the partial
   * sums of the scan as they were.
   */
  private follow(pieces: Piece[], from: number, goal: TopTextGoal, best: BestKeys, unit: number): { doc: number; score: number }[] {
    const { postingStart, postingDoc } = this.weighted.index;
    const w = this.weighted.weights;
    const { scores, flags } = this;
    let rest = 0;
    for (let i = from; i < pieces.length; i++) rest += pieces[i].bound;
    let kth = best.kth;

    // The candidates, in document order, with their sums: documents whose bound still reaches the k-th best.
    const dropOf = (kth: number) => (kth === -Infinity ? -Infinity : goal.textBelow(kth));
    let drop = dropOf(kth);
    const cands: number[] = [];
    for (let d = 0; d < this.docCount; d++) {
      const f = flags[d];
      const s = scores[d];
      if (f === 0 && !(s > 0)) continue;
      const upper = (s + rest) * unit * (1 + SLACK);
      if (f & KEEP || (f & SEED ? goal.key(d, upper) >= kth : upper >= drop && goal.key(d, upper) !== -Infinity)) cands.push(d);
    }
    let n = cands.length;
    const docs = Int32Array.from(cands);
    const sums = new Float64Array(n);
    for (let i = 0; i < n; i++) sums[i] = scores[docs[i]];

    const entryOf = (kth: number) => (kth === -Infinity ? -Infinity : goal.textAtMost(kth) / unit);
    let entry = entryOf(kth);
    for (let piece = from; piece < pieces.length && n > FEW; piece++) {
      const { term, weight, bound } = pieces[piece];
      const start = postingStart[term];
      const end = postingStart[term + 1];
      let p = start;
      for (let i = 0; i < n && p < end; i++) {
        const d = docs[i];
        if (postingDoc[p] < d) {
          // Gallop to the first posting at or after d.
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
          const s = sums[i] + weight * w[p];
          sums[i] = s;
          if ((s > entry || flags[d] & SEED) && !(flags[d] & EXACT) && best.offer(d, goal.key(d, s * unit * (1 - SLACK)))) {
            kth = best.kth;
            entry = entryOf(kth);
            drop = dropOf(kth);
          }
          p++;
        }
      }
      rest -= bound;
      if (kth === -Infinity) continue;
      let kept = 0;
      for (let i = 0; i < n; i++) {
        const d = docs[i];
        const f = flags[d];
        const upper = (sums[i] + rest) * unit * (1 + SLACK);
        if (f & KEEP || (f & SEED ? goal.key(d, upper) >= kth : upper >= drop)) {
          docs[kept] = d;
          sums[kept++] = sums[i];
        }
      }
      n = kept;
    }

    // Exact scores for those left; the ones below the k-th best are dropped.
    const out: { doc: number; score: number }[] = [];
    for (let i = 0; i < n; i++) {
      const d = docs[i];
      const score = this.exact(d);
      best.offer(d, goal.key(d, score));
      out.push({ doc: d, score });
    }
    kth = best.kth;
    return out.filter(({ doc, score }) => flags[doc] & KEEP || goal.key(doc, score) >= kth);
  }

  private scoreExactly(doc: number, goal: TopTextGoal, best: BestKeys): void {
    if (this.flags[doc] & EXACT) return;
    this.setFlag(doc, EXACT);
    best.offer(doc, goal.key(doc, this.exact(doc)));
  }

  /** Scores exactly the documents among the k best so far that are not yet, so the k-th best is a true score rather than a partial sum. */
  private scoreLeaders(goal: TopTextGoal, best: BestKeys): void {
    const docs = Array.from(best.docs.subarray(0, best.size));
    for (const d of docs) this.scoreExactly(d, goal, best);
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
  }

  /** The score of `doc` exactly as exhaustive scoring computes it: contributions added in query order. */
  private exact(doc: number): number {
    const scoring = this.exactScoring!;
    const { docStart } = this.forward;
    const start = docStart[doc];
    const end = docStart[doc + 1];
    if (end - start > this.orderBuf.length) {
      this.orderBuf = new Int32Array(2 * (end - start));
      this.valueBuf = new Float64Array(2 * (end - start));
    }
    let score = this.stageSum(start, end, this.firstPos, scoring.first.weights, 0);
    // Then the second stage one by one onto the scaled sum, as applyExpansion does.
    if (scoring.second) score = this.stageSum(start, end, this.secondPos, scoring.second.weights, score * scoring.scale);
    return score;
  }

  /** `into` plus the contributions of the terms `positions` marks in forward entries [start, end), added in position order. */
  private stageSum(start: number, end: number, positions: Int32Array, weights: Float64Array, into: number): number {
    const { termId, posting } = this.forward;
    const w = this.weighted.weights;
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
    let s = into;
    for (let j = 0; j < n; j++) s += value[j];
    return s;
  }
}
