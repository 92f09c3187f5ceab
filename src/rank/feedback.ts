/**
 * Pseudo-relevance feedback: RM3 (Lavrenko & Croft's relevance model
 * interpolated with the original query, as in Anserini and Indri), or Terrier's Bo1.
 *
 * Needs and solutions often describe the same thing in different words. After a
 * first pass, the best few solutions are assumed relevant; the terms they use
 * most (weighted by how well each scored) are added to the need's terms, and
 * the need is scored again with this expanded query. The expanded query is an
 * ordinary weighted term query, so scoring keeps its additive, boundable
 * structure (see text-model.ts) and scores stay in 0..1.
 */
import { isConceptTerm } from '../text/concepts.js';
import type { InvertedIndex } from '../index/build-index.js';
import type { Accumulator } from '../index/accumulate.js';
import { buildQuery, queryAndBound, queryBound, queryWithBound, type Query, type TermCounts, type WeightedIndex } from '../index/text-model.js';
import { TopK } from './top-k.js';
import { float32Array, int32Array } from '../index/typed-arrays.js';

/** Each document's terms (the inverted index transposed), for reading documents back: feedback, pruned scoring, diversity. */
export interface ForwardIndex {
  /** Terms of document d are at [docStart[d], docStart[d+1]), in ascending term id. */
  docStart: Int32Array;
  termId: Int32Array;
  /** Field-weighted frequency of the term in the document. */
  tf: Float32Array;
  /** Where the pair is in the inverted index (its posting), for the model's weight. */
  posting: Int32Array;
}

/**
 * How expansion terms are weighted:
 * - `rm3`: the relevance model, P(t|R) ∝ Σ_d score(d)·tf(t,d)/|d| (Lavrenko & Croft; Anserini's RM3);
 * - `bo1`: divergence of the term's frequency in the feedback documents from its
 *   corpus-wide rate, Bose-Einstein statistics (Amati; Terrier's default Bo1).
 */
export type FeedbackMethod = 'rm3' | 'bo1';

export interface FeedbackSettings {
  method: FeedbackMethod;
  /** First-pass documents assumed relevant. */
  docs: number;
  /** Expansion terms kept. */
  terms: number;
  /** Weight of the original query in the interpolation (0..1). */
  originalWeight: number;
}

/**
 * Terms in more than this share of the documents are never added: they carry
 * little information, and their long posting lists would make the second pass
 * slow (Anserini's RM3 applies the same 10% cut).
 */
const MAX_DOC_SHARE = 0.1;

/** The forward index; `shared`: in shared memory, for several threads to read. */
export function buildForwardIndex(index: InvertedIndex, shared = false): ForwardIndex {
  const { docCount, postingStart, postingDoc, postingTf } = index;
  const docStart = int32Array(docCount + 1, shared);
  for (let p = 0; p < postingDoc.length; p++) docStart[postingDoc[p] + 1]++;
  for (let d = 0; d < docCount; d++) docStart[d + 1] += docStart[d];
  const fill = docStart.slice(0, docCount);
  const termId = int32Array(postingDoc.length, shared);
  const tf = float32Array(postingDoc.length, shared);
  const posting = int32Array(postingDoc.length, shared);
  for (let t = 0; t + 1 < postingStart.length; t++) {
    for (let p = postingStart[t]; p < postingStart[t + 1]; p++) {
      const i = fill[postingDoc[p]]++;
      termId[i] = t;
      tf[i] = postingTf[p];
      posting[i] = p;
    }
  }
  return { docStart, termId, tf, posting };
}

/**
 * The `k` best-scored documents of a first pass, best first. Ties go to
 * `before` (the ranking's own tie-break), so the choice is deterministic.
 */
export function topDocuments(acc: Accumulator, k: number, before: (a: number, b: number) => boolean): { doc: number; score: number }[] {
  const top = new TopK<{ doc: number; score: number }>(k, (a, b) => a.score > b.score || (a.score === b.score && before(a.doc, b.doc)));
  for (let i = 0; i < acc.count; i++) {
    const doc = acc.touched[i];
    const score = acc.scores[doc];
    if (!(score > 0)) continue;
    // Most documents cannot enter a full heap: test before allocating.
    const worst = top.peekWorst();
    if (worst && (score < worst.score || (score === worst.score && !before(doc, worst.doc)))) continue;
    top.push({ doc, score });
  }
  return top.sorted();
}

/**
 * An expanded query: `originalScale`·(the need's own counts) + `added`, where
 * `added` holds the feedback part: the best `terms` expansion terms, weights
 * renormalised to sum 1, times (1 − originalWeight). With originalScale =
 * originalWeight / Σ counts this is RM3's interpolation
 * originalWeight·P(t|need) + (1 − originalWeight)·P(t|feedback).
 */
export interface Expansion {
  /** The whole expanded query, term → weight: the need's terms in their order, then the new ones. */
  readonly counts: ReadonlyMap<string, number>;
  originalScale: number;
  added: ReadonlyMap<string, number>;
  /** The term ids of `added`, in its order. */
  addedIds: Int32Array;
}

/** The need's query expanded from the feedback documents, or null when there is nothing to learn from. */
export function expandQuery(
  counts: ReadonlyMap<string, number>,
  feedbackDocs: readonly { doc: number; score: number }[],
  index: InvertedIndex,
  forward: ForwardIndex,
  settings: FeedbackSettings,
): Expansion | null {
  if (feedbackDocs.length === 0 || settings.terms <= 0 || settings.originalWeight >= 1) return null;
  const { terms } = index;
  let kept: [number, number][];
  if (settings.method === 'bo1') {
    const model = bo1Weights(feedbackDocs, index, forward);
    kept = bestTerms([...model.keys()], (t) => model.get(t)!, settings.terms, terms);
  } else {
    kept = bestRm3Terms(feedbackDocs, index, forward, settings.terms);
  }
  const modelTotal = kept.reduce((s, [, w]) => s + w, 0);
  let queryTotal = 0;
  for (const n of counts.values()) if (n > 0) queryTotal += n;
  if (modelTotal <= 0 || queryTotal <= 0) return null;

  const originalScale = settings.originalWeight / queryTotal;
  const added = new Map<string, number>();
  for (const [t, w] of kept) added.set(terms[t], ((1 - settings.originalWeight) * w) / modelTotal);
  let expanded: Map<string, number> | undefined;
  return {
    // Built when asked for: ranking goes through term ids instead (see expandedTerms).
    get counts() {
      if (!expanded) {
        expanded = new Map<string, number>();
        for (const [term, n] of counts) if (n > 0) expanded.set(term, originalScale * n);
        for (const [term, w] of added) expanded.set(term, (expanded.get(term) ?? 0) + w);
      }
      return expanded;
    },
    originalScale,
    added,
    addedIds: Int32Array.from(kept.map(([t]) => t)),
  };
}

/**
 * `expansion.counts` looked up in the index, from the need's counts looked up
 * already: the same terms, in the same order, with the same weights.
 */
function expandedTerms(needTerms: TermCounts, expansion: Expansion): TermCounts {
  const n = needTerms.ids.length;
  const ids = new Int32Array(n + expansion.addedIds.length);
  const tfs = new Float64Array(ids.length);
  ids.set(needTerms.ids);
  for (let i = 0; i < n; i++) tfs[i] = expansion.originalScale * needTerms.tfs[i];
  let size = n;
  let j = 0;
  for (const w of expansion.added.values()) {
    const id = expansion.addedIds[j++];
    const at = ids.subarray(0, n).indexOf(id);
    if (at >= 0) tfs[at] += w;
    else {
      ids[size] = id;
      tfs[size++] = w;
    }
  }
  return { ids: ids.subarray(0, size), tfs: tfs.subarray(0, size) };
}

/**
 * Turns `acc`, holding the exhaustive first-pass scores of `counts`, into the
 * scores of the expanded query, and returns that query. The expanded scores
 * are the first-pass scores rescaled plus the contributions of `added` alone,
 * so only the feedback terms' postings are read again: on long needs (which
 * share most of their postings with the first pass) feedback then costs a few
 * per cent instead of a second full pass. Exactly the scores a full pass of
 * buildQuery(expansion.counts) would give (up to rounding); an accumulator
 * that does not hold every first-pass score (dynamic pruning) must use such
 * a full pass instead. Not for cosine TF-IDF, whose bound is not linear.
 */
export function applyExpansion(weighted: WeightedIndex, counts: ReadonlyMap<string, number>, expansion: Expansion, acc: Accumulator): Query {
  const { scale, extra, query } = expansionScoring(weighted, counts, expansion);
  const { scores, touched } = acc;
  for (let i = 0; i < acc.count; i++) scores[touched[i]] *= scale;

  const { postingStart, postingDoc } = weighted.index;
  const w = weighted.weights;
  let count = acc.count;
  for (let i = 0; i < extra.termIds.length; i++) {
    const t = extra.termIds[i];
    const q = extra.weights[i];
    for (let p = postingStart[t], end = postingStart[t + 1]; p < end; p++) {
      const d = postingDoc[p];
      if (scores[d] === 0) touched[count++] = d;
      scores[d] += q * w[p];
    }
  }
  acc.count = count;
  return query;
}

/**
 * The expanded query's scores as applyExpansion computes them: `scale` × the
 * first-pass score plus the scores of `extra` (the feedback terms alone), and
 * the whole expanded query. Pruned scoring computes them in the same order.
 * `looked`: queryWithBound's bound and terms of `counts`, when the caller has them already.
 */
export function expansionScoring(weighted: WeightedIndex, counts: ReadonlyMap<string, number>, expansion: Expansion, looked?: { bound: number; terms: TermCounts }): { scale: number; extra: Query; query: Query } {
  const countsBound = looked ? looked.bound : queryBound(weighted, counts);
  const { query, bound } = looked ? queryAndBound(weighted, expandedTerms(looked.terms, expansion)) : queryWithBound(weighted, expansion.counts);
  return {
    scale: (expansion.originalScale * countsBound) / bound,
    extra: buildQuery(weighted, expansion.added, bound),
    query,
  };
}

/**
 * The k highest-weighted terms, best first; ties go to the alphabetically first
 * term, so the expansion is deterministic. A bounded insertion: k is small and
 * most terms fall below the k-th weight, so this beats sorting every term.
 */
function bestTerms(ids: readonly number[], weightOf: (t: number) => number, k: number, terms: readonly string[]): [number, number][] {
  const best: [number, number][] = [];
  if (k <= 0) return best;
  const ahead = (t: number, w: number, other: [number, number]): boolean => w > other[1] || (w === other[1] && terms[t] < terms[other[0]]);
  for (const t of ids) {
    const w = weightOf(t);
    if (!(w > 0)) continue;
    if (best.length === k && !ahead(t, w, best[k - 1])) continue;
    let i = best.length === k ? k - 1 : best.length;
    if (best.length < k) best.push([t, w]);
    while (i > 0 && ahead(t, w, best[i - 1])) {
      best[i] = best[i - 1];
      i--;
    }
    best[i] = [t, w];
  }
  return best;
}

/**
 * Per index and thread: RM3's sums by term id (zero between calls), and which
 * terms feedback may add. A need's feedback documents hold a thousand terms or
 * so: summed in a Map, they cost several times what the rest of feedback does.
 */
const rm3Scratch = new WeakMap<InvertedIndex, { sums: Float64Array; addable: Uint8Array }>();

function rm3ScratchOf(index: InvertedIndex): { sums: Float64Array; addable: Uint8Array } {
  let scratch = rm3Scratch.get(index);
  if (!scratch) {
    const { df, docCount, terms } = index;
    const maxDf = MAX_DOC_SHARE * docCount;
    const addable = new Uint8Array(terms.length);
    // Concept terms are never added: they only bridge languages, and a document-language concept would double-count its own words.
    for (let t = 0; t < terms.length; t++) addable[t] = df[t] > maxDf || isConceptTerm(terms[t]) ? 0 : 1;
    rm3Scratch.set(index, (scratch = { sums: new Float64Array(terms.length), addable }));
  }
  return scratch;
}

/** The `k` best terms of RM3's relevance model (unnormalised): Σ_d score(d) · tf(t,d)/|d|, summed in feedback order. */
function bestRm3Terms(feedbackDocs: readonly { doc: number; score: number }[], index: InvertedIndex, forward: ForwardIndex, k: number): [number, number][] {
  const { docLength, terms } = index;
  const { sums, addable } = rm3ScratchOf(index);
  const touched: number[] = [];
  for (const { doc, score } of feedbackDocs) {
    const length = docLength[doc];
    if (!(length > 0)) continue;
    for (let i = forward.docStart[doc]; i < forward.docStart[doc + 1]; i++) {
      const t = forward.termId[i];
      if (addable[t] === 0) continue;
      // A part of 0 adds nothing (and a term whose sum stays 0 is never chosen): so a sum of 0 is a term not met yet.
      const part = (score * forward.tf[i]) / length;
      if (!(part > 0)) continue;
      if (sums[t] === 0) touched.push(t);
      sums[t] += part;
    }
  }
  const best = bestTerms(touched, (t) => sums[t], k, terms);
  for (const t of touched) sums[t] = 0;
  return best;
}

/**
 * Bo1: tf_x·log2((1 + P)/P) + log2(1 + P), with tf_x the term's frequency in
 * the feedback documents and P its mean frequency per document in the corpus.
 * Terms must occur in at least two feedback documents (Terrier's
 * expansion.mindocuments), so one document's idiosyncrasies are not added.
 */
function bo1Weights(feedbackDocs: readonly { doc: number; score: number }[], index: InvertedIndex, forward: ForwardIndex): Map<number, number> {
  const { df, docCount } = index;
  const maxDf = MAX_DOC_SHARE * docCount;
  const tfx = new Map<number, number>();
  const docsWith = new Map<number, number>();
  for (const { doc } of feedbackDocs) {
    for (let i = forward.docStart[doc]; i < forward.docStart[doc + 1]; i++) {
      const t = forward.termId[i];
      if (df[t] > maxDf || isConceptTerm(index.terms[t])) continue;
      tfx.set(t, (tfx.get(t) ?? 0) + forward.tf[i]);
      docsWith.set(t, (docsWith.get(t) ?? 0) + 1);
    }
  }
  const minDocs = Math.min(2, feedbackDocs.length);
  const weights = new Map<number, number>();
  for (const [t, x] of tfx) {
    if ((docsWith.get(t) ?? 0) < minDocs) continue;
    const p = collectionFrequency(index, t) / docCount;
    weights.set(t, x * Math.log2((1 + p) / p) + Math.log2(1 + p));
  }
  return weights;
}

function collectionFrequency(index: InvertedIndex, t: number): number {
  let cf = 0;
  for (let p = index.postingStart[t]; p < index.postingStart[t + 1]; p++) cf += index.postingTf[p];
  return cf;
}
