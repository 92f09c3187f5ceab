import type { Query, WeightedIndex } from './text-model.js';
import { resetAccumulator, type Accumulator } from './accumulate.js';

/**
 * Exact dynamic pruning of a top-k text search (MaxScore, Turtle & Flood 1995,
 * term at a time): a document's text score is a sum of query weight × posting
 * weight, and no posting of term t weighs more than maxWeight[t], so once the
 * terms still to read cannot lift a document to the k-th best key seen so
 * far, it stops mattering. Terms are read strongest first (the order
 * buildQuery gives); while unseen documents could still make it, every
 * posting is read; after that only the surviving candidates are looked up,
 * and they are dropped as their bound falls below the k-th best.
 *
 * The candidates left get the very sum exhaustive scoring computes (same
 * terms, same order, same arithmetic), so ranking them gives the same output
 * bit for bit; documents left out could not have ranked.
 */

/** Scores as exhaustive scoring computes them: Σ over `first` (in order), times `scale`, plus Σ over `second` (in order); see rank/feedback.ts. */
export interface TextScoring {
  first: Query;
  scale: number;
  second: Query | null;
}

/** What the search must find: every document that can be among the `k` best by `key`. */
export interface TopTextGoal {
  k: number;
  /**
   * The ranking key of `doc` when its text score is `text`: non-decreasing in
   * text; -Infinity when the document cannot rank (filtered out, pinned,
   * scoring 0 or below the minimum). Documents tie when their keys are equal
   * (the caller breaks ties), so only a key strictly below the k-th best prunes.
   */
  key(doc: number, text: number): number;
  /** An upper bound of key(doc, text) for any document that is not a seed. */
  keyBound(text: number): number;
  /** The largest text whose keyBound is at most `key` (or less): documents scoring no more cannot rise above `key`. */
  textAtMost(key: number): number;
  /** Documents whose key does not follow keyBound (tag or sector credit): candidates from the start. */
  seeds: readonly number[];
  /** Documents whose exact text score is wanted whatever it is (pins): never pruned. */
  keep: readonly number[];
}

/** Per-corpus scratch space, reused across searches. */
export interface PruneScratch {
  /** 1: candidate (touched or seeded); 2: seed; 4: keep. */
  flags: Uint8Array;
  heapPos: Int32Array;
}

export function createPruneScratch(docCount: number): PruneScratch {
  return { flags: new Uint8Array(docCount), heapPos: new Int32Array(docCount).fill(-1) };
}

const CANDIDATE = 1;
const SEED = 2;
const KEEP = 4;
/** Relative slack on bounds, far above the rounding error of any sum here, so float rounding never prunes a document that could rank. */
const SLACK = 1e-9;

/**
 * Leaves in `acc` (touched[0..count), scores) every document that can be
 * among the goal's k best, with its exact text score as `exhaustive` scoring
 * would compute it, plus the seeds and kept documents not pruned. Documents
 * not returned have a key strictly below k others'.
 */
export function searchTopText(weighted: WeightedIndex, scoring: TextScoring, goal: TopTextGoal, acc: Accumulator, scratch: PruneScratch): void {
  resetAccumulator(acc);
  const { postingStart, postingDoc } = weighted.index;
  const w = weighted.weights;
  const { maxWeight } = weighted;
  const { scores, touched } = acc;
  const { flags, heapPos } = scratch;
  const { k, scale } = scoring;

  // The terms in scoring order, with the bound of what remains from each position.
  const first = scoring.first;
  const second = scoring.second ?? { termIds: new Int32Array(0), weights: new Float64Array(0) };
  const n1 = first.termIds.length;
  const n = n1 + second.termIds.length;
  const termAt = (i: number) => (i < n1 ? first.termIds[i] : second.termIds[i - n1]);
  const weightAt = (i: number) => (i < n1 ? first.weights[i] : second.weights[i - n1]);
  const rest = new Float64Array(n + 1);
  for (let i = n - 1; i >= n1; i--) rest[i] = rest[i + 1] + weightAt(i) * maxWeight[termAt(i)];
  for (let i = n1 - 1; i >= 0; i--) rest[i] = rest[i + 1] + weightAt(i) * maxWeight[termAt(i)];
  // Before position n1 a sum is unscaled: it ends as (sum + rest of first) × scale + rest of second.
  const upper = (sum: number, i: number) => (i < n1 ? (sum + rest[i]) * scale + rest[n1] : sum + rest[i]) * (1 + SLACK) + 1e-300;
  const lower = (sum: number, i: number) => (i < n1 ? sum * scale : sum);

  // The k best keys seen so far (a min-heap on key), each document's at its current lower bound.
  const heapKey = new Float64Array(Math.max(1, k));
  const heapDoc = new Int32Array(Math.max(1, k));
  let heapSize = 0;
  let kth = -Infinity;
  let entry = -Infinity; // unscaled sums at or below it cannot raise kth (non-seeds)
  let position = 0;
  const updateEntry = () => {
    kth = heapSize === k ? heapKey[0] : -Infinity;
    const text = kth === -Infinity ? -Infinity : goal.textAtMost(kth) * (1 - SLACK);
    entry = position < n1 ? text / scale : text;
  };
  const siftDown = (i: number) => {
    const key = heapKey[i];
    const doc = heapDoc[i];
    for (;;) {
      const l = 2 * i + 1;
      if (l >= heapSize) break;
      const r = l + 1;
      const c = r < heapSize && heapKey[r] < heapKey[l] ? r : l;
      if (heapKey[c] >= key) break;
      heapKey[i] = heapKey[c];
      heapDoc[i] = heapDoc[c];
      heapPos[heapDoc[i]] = i;
      i = c;
    }
    heapKey[i] = key;
    heapDoc[i] = doc;
    heapPos[doc] = i;
  };
  const siftUp = (i: number) => {
    const key = heapKey[i];
    const doc = heapDoc[i];
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (heapKey[parent] <= key) break;
      heapKey[i] = heapKey[parent];
      heapDoc[i] = heapDoc[parent];
      heapPos[heapDoc[i]] = i;
      i = parent;
    }
    heapKey[i] = key;
    heapDoc[i] = doc;
    heapPos[doc] = i;
  };
  /** Records the lower bound of `doc` (its sum so far) among the k best keys. */
  const consider = (doc: number, sum: number) => {
    if (k <= 0) return;
    const key = goal.key(doc, lower(sum, position));
    if (key === -Infinity) return;
    const at = heapPos[doc];
    if (at >= 0) {
      if (key <= heapKey[at]) return;
      heapKey[at] = key;
      siftDown(at);
      if (at === 0 || heapKey[0] !== kth) updateEntry();
    } else if (heapSize < k) {
      heapKey[heapSize] = key;
      heapDoc[heapSize] = doc;
      siftUp(heapSize++);
      if (heapSize === k) updateEntry();
    } else if (key > heapKey[0]) {
      heapPos[heapDoc[0]] = -1;
      heapKey[0] = key;
      heapDoc[0] = doc;
      siftDown(0);
      updateEntry();
    }
  };

  let count = 0;
  for (const d of goal.keep) {
    if (!(flags[d] & CANDIDATE)) touched[count++] = d;
    flags[d] |= CANDIDATE | KEEP;
  }
  for (const d of goal.seeds) {
    if (!(flags[d] & CANDIDATE)) touched[count++] = d;
    flags[d] |= CANDIDATE | SEED;
  }
  for (let i = 0; i < count; i++) if (flags[touched[i]] & SEED) consider(touched[i], 0);

  // Every posting, while documents not yet seen could still rank.
  const applyScale = () => {
    for (let i = 0; i < count; i++) scores[touched[i]] *= scale;
  };
  for (; position < n; position++) {
    if (kth !== -Infinity && goal.keyBound(upper(0, position)) < kth) break;
    if (position === n1) {
      applyScale();
      updateEntry();
    }
    const t = termAt(position);
    const q = weightAt(position);
    for (let p = postingStart[t], end = postingStart[t + 1]; p < end; p++) {
      const d = postingDoc[p];
      if (!(flags[d] & CANDIDATE)) {
        flags[d] = CANDIDATE;
        touched[count++] = d;
      }
      const s = scores[d] + q * w[p];
      scores[d] = s;
      if (s > entry || flags[d] & SEED) consider(d, s);
    }
  }

  if (position < n) {
    // From here on only candidates can rank: keep those whose bound reaches the k-th best.
    let kept = 0;
    for (let i = 0; i < count; i++) {
      const d = touched[i];
      if (flags[d] & KEEP || goal.key(d, upper(scores[d], position)) >= kth) {
        touched[kept++] = d;
      } else {
        flags[d] = 0;
        scores[d] = 0;
        if (heapPos[d] >= 0) throw new Error('searchTopText: a pruned document is among the k best');
      }
    }
    count = kept;
    const cands = touched.subarray(0, count).sort();
    for (; position < n; position++) {
      if (position === n1) {
        applyScale();
        updateEntry();
      }
      const t = termAt(position);
      const q = weightAt(position);
      const start = postingStart[t];
      const end = postingStart[t + 1];
      if (count * 8 < end - start) {
        // Few candidates, a long list: gallop through the list from one candidate to the next.
        let p = start;
        for (let i = 0; i < count && p < end; i++) {
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
            // postingDoc[p] < d, and postingDoc[hi] >= d or hi === end.
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
            const s = scores[d] + q * w[p];
            scores[d] = s;
            if (s > entry || flags[d] & SEED) consider(d, s);
            p++;
          }
        }
      } else {
        for (let p = start; p < end; p++) {
          const d = postingDoc[p];
          if (!(flags[d] & CANDIDATE)) continue;
          const s = scores[d] + q * w[p];
          scores[d] = s;
          if (s > entry || flags[d] & SEED) consider(d, s);
        }
      }
      // Drop the candidates that can no longer reach the k-th best.
      if (kth === -Infinity) continue;
      const next = position + 1;
      let kept = 0;
      for (let i = 0; i < count; i++) {
        const d = cands[i];
        const f = flags[d];
        const bound = upper(scores[d], next);
        if (f & KEEP || (f & SEED ? goal.key(d, bound) : goal.keyBound(bound)) >= kth) {
          cands[kept++] = d;
        } else {
          flags[d] = 0;
          scores[d] = 0;
        }
      }
      count = kept;
    }
  } else if (position === n1 && n1 === n) {
    // All terms read in the first stage: nothing left to scale (scale applies before the second stage only).
  }
  if (position === n1 && n > n1) applyScale();

  for (let i = 0; i < heapSize; i++) heapPos[heapDoc[i]] = -1;
  for (let i = 0; i < count; i++) flags[touched[i]] = 0;
  acc.count = count;
}
