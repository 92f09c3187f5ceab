import type { InvertedIndex } from '../index/build-index.js';
import { buildForwardIndex, type ForwardIndex } from '../rank/feedback.js';
import { compareIds, roundScore } from '../rank/compare-ids.js';

/**
 * Diversity (`--diversity X`, 0..1): maximal marginal relevance (Carbonell &
 * Goldstein 1998). A shortlist is built one solution at a time, each time
 * taking the one with the best
 *
 *   value = (1 − X) · score − X · (highest similarity to any solution already taken)
 *
 * so a near-duplicate of a solution already in the list drops down. X = 0 is
 * the plain ranking. Similarity is the cosine of the solutions' TF-IDF
 * vectors. Ties go to the higher score, then the smaller id.
 */

/** Unit-length sparse TF-IDF vectors of the solutions, built on first use (sublinear tf × smoothed idf). */
export class TextVectors {
  private forward: ForwardIndex | null = null;
  private readonly cache = new Map<number, { terms: Int32Array; weights: Float64Array }>();

  constructor(private readonly index: InvertedIndex, forward?: ForwardIndex) {
    this.forward = forward ?? null;
  }

  private vector(doc: number): { terms: Int32Array; weights: Float64Array } {
    let v = this.cache.get(doc);
    if (v) return v;
    this.forward ??= buildForwardIndex(this.index);
    const { docStart, termId, tf } = this.forward;
    const start = docStart[doc];
    const end = docStart[doc + 1];
    const terms = termId.slice(start, end); // ascending term ids: the forward index is built term by term
    const weights = new Float64Array(end - start);
    let norm = 0;
    for (let i = start; i < end; i++) {
      const idf = Math.log((this.index.docCount + 1) / (this.index.df[termId[i]] + 1)) + 1;
      const w = (1 + Math.log(tf[i])) * idf;
      weights[i - start] = w;
      norm += w * w;
    }
    norm = Math.sqrt(norm) || 1;
    for (let i = 0; i < weights.length; i++) weights[i] /= norm;
    v = { terms, weights };
    this.cache.set(doc, v);
    return v;
  }

  /** Cosine similarity of two solutions' texts, 0..1. */
  similarity(a: number, b: number): number {
    if (a === b) return 1;
    const x = this.vector(a);
    const y = this.vector(b);
    let dot = 0;
    for (let i = 0, j = 0; i < x.terms.length && j < y.terms.length;) {
      if (x.terms[i] === y.terms[j]) dot += x.weights[i++] * y.weights[j++];
      else if (x.terms[i] < y.terms[j]) i++;
      else j++;
    }
    return Math.min(1, dot);
  }
}

export interface DiversityItem {
  doc: number;
  id: string;
  score: number;
}

export interface DiversifiedItem extends DiversityItem {
  /** MMR value when it was taken, rounded to 4 decimals. */
  value: number;
  /** The solution already taken it is most similar to, if any. */
  nearest: string | null;
}

/**
 * Orders `items` by MMR. `seed` (pinned solutions) are taken first, in the
 * order given, so the others are judged against them.
 */
export function diversify(items: readonly DiversityItem[], seed: readonly DiversityItem[], diversity: number, similarity: (a: number, b: number) => number): DiversifiedItem[] {
  const taken: DiversifiedItem[] = [];
  const maxSim = new Float64Array(items.length);
  const nearest: (string | null)[] = items.map(() => null);
  const left = new Set(items.map((_, i) => i));
  const absorb = (doc: number, id: string) => {
    for (const i of left) {
      const s = similarity(items[i].doc, doc);
      if (s > maxSim[i]) { maxSim[i] = s; nearest[i] = id; }
    }
  };
  for (const s of seed) {
    taken.push({ ...s, value: roundScore(s.score), nearest: null });
    if (diversity > 0) absorb(s.doc, s.id);
  }
  while (left.size > 0) {
    let best = -1;
    let bestValue = -Infinity;
    for (const i of left) {
      const value = roundScore((1 - diversity) * items[i].score - diversity * maxSim[i]);
      const it = items[i];
      if (value > bestValue || (value === bestValue && (it.score > items[best].score || (it.score === items[best].score && compareIds(it.id, items[best].id) < 0)))) {
        best = i;
        bestValue = value;
      }
    }
    left.delete(best);
    const it = items[best];
    taken.push({ ...it, value: bestValue, nearest: nearest[best] });
    if (diversity > 0) absorb(it.doc, it.id);
  }
  return taken;
}
