import type { InvertedIndex } from './build-index.js';

export type TextModelName = 'tfidf' | 'bm25';

export interface TextModelSettings {
  model: TextModelName;
  /** BM25 term-frequency saturation. */
  k1: number;
  /** BM25 length normalisation (0 none, 1 full). */
  b: number;
  /** Weight of title terms relative to description terms, applied to counts before saturation. */
  titleWeight: number;
}

export const DEFAULT_TEXT_MODEL: TextModelSettings = { model: 'tfidf', k1: 1.2, b: 0.75, titleWeight: 1 };

/**
 * An index with each posting's document-side weight precomputed, so scoring a
 * query is a sum of products. `maxWeight[t]` bounds any posting of term t
 * (what dynamic pruning needs).
 */
export interface WeightedIndex {
  index: InvertedIndex;
  settings: TextModelSettings;
  idf: Float64Array;
  weights: Float32Array;
  maxWeight: Float32Array;
}

/** Query terms found in the index, with weights already divided by the query's bound, so scores fall in 0..1. */
export interface Query {
  termIds: Int32Array;
  weights: Float64Array;
}

function idfOf(settings: TextModelSettings, docCount: number, df: number): number {
  return settings.model === 'bm25'
    ? Math.log(1 + (docCount - df + 0.5) / (df + 0.5))
    : Math.log((docCount + 1) / (df + 1)) + 1; // smoothed idf, as scikit-learn's TfidfVectorizer
}

/** Sublinear term frequency for TF-IDF: repeated words count, but less and less. */
function sublinear(tf: number): number {
  return tf > 0 ? 1 + Math.log(tf) : 0;
}

export function weightIndex(index: InvertedIndex, settings: TextModelSettings): WeightedIndex {
  const { terms, df, postingStart, postingDoc, postingTf, docLength, avgDocLength, docCount } = index;
  const idf = new Float64Array(terms.length);
  for (let t = 0; t < terms.length; t++) idf[t] = idfOf(settings, docCount, df[t]);
  const weights = new Float32Array(postingTf.length);
  const maxWeight = new Float32Array(terms.length);
  if (settings.model === 'bm25') {
    const { k1, b } = settings;
    const avg = avgDocLength || 1;
    for (let t = 0; t < terms.length; t++) {
      for (let p = postingStart[t]; p < postingStart[t + 1]; p++) {
        const tf = postingTf[p];
        const w = (tf * (k1 + 1)) / (tf + k1 * (1 - b + (b * docLength[postingDoc[p]]) / avg));
        weights[p] = w;
        if (w > maxWeight[t]) maxWeight[t] = w;
      }
    }
  } else {
    // Cosine: divide each document vector by its Euclidean norm.
    const norm = new Float64Array(docCount);
    for (let t = 0; t < terms.length; t++) {
      for (let p = postingStart[t]; p < postingStart[t + 1]; p++) {
        const w = sublinear(postingTf[p]) * idf[t];
        norm[postingDoc[p]] += w * w;
      }
    }
    for (let d = 0; d < docCount; d++) norm[d] = Math.sqrt(norm[d]) || 1;
    for (let t = 0; t < terms.length; t++) {
      for (let p = postingStart[t]; p < postingStart[t + 1]; p++) {
        const w = (sublinear(postingTf[p]) * idf[t]) / norm[postingDoc[p]];
        weights[p] = w;
        if (w > maxWeight[t]) maxWeight[t] = w;
      }
    }
  }
  return { index, settings, idf, weights, maxWeight };
}

/**
 * Query weights from the need's (field-weighted) term counts. The bound does not
 * depend on the candidates: the query norm for cosine, Σ idf·(k1+1) for BM25.
 * Terms absent from the index still count in the bound: a need asking for
 * something no solution mentions cannot score 1.
 */
export function buildQuery(weighted: WeightedIndex, counts: ReadonlyMap<string, number>): Query {
  const { index, settings, idf } = weighted;
  const ids: number[] = [];
  const raw: number[] = [];
  let bound = 0;
  for (const [term, tf] of counts) {
    const id = index.termIds.get(term);
    const termIdf = id === undefined ? idfOf(settings, index.docCount, 0) : idf[id];
    if (settings.model === 'bm25') {
      const q = termIdf * tf;
      bound += q * (settings.k1 + 1);
      if (id !== undefined) { ids.push(id); raw.push(q); }
    } else {
      const q = sublinear(tf) * termIdf;
      bound += q * q;
      if (id !== undefined) { ids.push(id); raw.push(q); }
    }
  }
  if (settings.model !== 'bm25') bound = Math.sqrt(bound);
  const weights = Float64Array.from(raw, (q) => (bound > 0 ? q / bound : 0));
  return { termIds: Int32Array.from(ids), weights };
}

/** Contribution of each query term to the text score of document `doc` (for explanations). */
export function termContributions(weighted: WeightedIndex, query: Query, doc: number): { termId: number; contribution: number }[] {
  const { postingStart, postingDoc } = weighted.index;
  const out: { termId: number; contribution: number }[] = [];
  for (let i = 0; i < query.termIds.length; i++) {
    const t = query.termIds[i];
    // Postings are sorted by document: binary search.
    let lo = postingStart[t];
    let hi = postingStart[t + 1] - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const d = postingDoc[mid];
      if (d === doc) { out.push({ termId: t, contribution: query.weights[i] * weighted.weights[mid] }); break; }
      if (d < doc) lo = mid + 1; else hi = mid - 1;
    }
  }
  return out;
}
