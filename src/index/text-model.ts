import type { InvertedIndex } from './build-index.js';
import { allocatePostings } from './posting-kernel.js';

/**
 * Text models. Every model scores a pair as a sum over the query's terms of
 * `queryWeight × postingWeight`, with posting weights precomputed here and
 * bounded per term by `maxWeight` (what term-at-a-time scoring and dynamic
 * pruning rely on):
 * - `tfidf`: cosine of sublinear TF-IDF vectors;
 * - `bm25`: Okapi BM25 (Robertson et al.);
 * - `bm25plus`: BM25 with a lower bound `delta` on the tf part of any document
 *   containing the term, so long documents are not pushed below shorter ones
 *   that lack the term (Lv & Zhai 2011, "Lower-bounding term frequency normalization");
 * - `dph`: the parameter-free divergence-from-randomness model DPH (Amati 2006), as in Terrier;
 * - `pl2`, `inl2`: DFR models with Poisson / inverse-document-frequency randomness,
 *   Laplace after-effect and length normalisation 2 (`c`), as in Terrier.
 */
export type TextModelName = 'tfidf' | 'bm25' | 'bm25plus' | 'dph' | 'pl2' | 'inl2';
export const TEXT_MODELS: readonly TextModelName[] = ['tfidf', 'bm25', 'bm25plus', 'dph', 'pl2', 'inl2'];

export interface TextModelSettings {
  model: TextModelName;
  /** BM25 term-frequency saturation. */
  k1: number;
  /** BM25 length normalisation (0 none, 1 full). */
  b: number;
  /** Weight of title terms relative to description terms, applied to counts before saturation. */
  titleWeight: number;
  /** BM25+ lower bound of the tf part of any posting. Default 1, the paper's recommended setting. */
  delta?: number;
  /** DFR length normalisation 2: tfn = tf·log2(1 + c·avgLength/length). Default 1 (Terrier's). */
  c?: number;
  /**
   * Pseudo-relevance feedback (RM3, see rank/feedback.ts): how many first-pass
   * top solutions to learn from. 0 turns feedback off. Ignored by `tfidf`.
   */
  feedbackDocs?: number;
  /** How many expansion terms to add. */
  feedbackTerms?: number;
  /** Weight of the need's own terms in the expanded query (0..1); the rest goes to the expansion terms. */
  feedbackWeight?: number;
  /** How expansion terms are chosen and weighted: 'rm3' or 'bo1' (see rank/feedback.ts). */
  feedbackMethod?: 'rm3' | 'bo1';
}

/** The settings with every optional field filled in. */
export type ResolvedTextModelSettings = Required<TextModelSettings>;

/** Values of the optional settings when left out: the plain model, without feedback unless feedbackDocs is set. */
const OPTIONAL_DEFAULTS: Omit<ResolvedTextModelSettings, 'model' | 'k1' | 'b' | 'titleWeight'> = { delta: 1, c: 1, feedbackDocs: 0, feedbackTerms: 10, feedbackWeight: 0.8, feedbackMethod: 'rm3' };

/**
 * The default, chosen on four public test collections (scripts/eval-ir.js;
 * SciFact, NPL, Cranfield, MED) for being good on all of them rather than best
 * on one: BM25 with the usual k1, a milder length normalisation than the usual
 * 0.75 (b = 0.5 keeps long profiles from being pushed down for their length;
 * it is what lifts the short-abstract collections), titles counted twice
 * (BM25F-style: a title says what the record is about in fewer words), and
 * light RM3 feedback (10 documents, 10 terms, the need's own terms keeping 80%
 * of the weight), which adds the words relevant solutions use for what the need
 * describes in other words. Plain cosine TF-IDF and plain BM25 each miss one of
 * the quality bars; this meets both with margin to spare on neighbouring settings.
 */
export const DEFAULT_TEXT_MODEL: ResolvedTextModelSettings = {
  ...OPTIONAL_DEFAULTS,
  model: 'bm25',
  k1: 1.2,
  b: 0.5,
  titleWeight: 2,
  feedbackDocs: 10,
  feedbackTerms: 10,
  feedbackWeight: 0.8,
  feedbackMethod: 'rm3',
};

/** Fills in the optional settings, so callers may pass the four historical fields only. */
export function resolveTextModel(settings: TextModelSettings): ResolvedTextModelSettings {
  return {
    model: settings.model,
    k1: settings.k1,
    b: settings.b,
    titleWeight: settings.titleWeight,
    delta: settings.delta ?? OPTIONAL_DEFAULTS.delta,
    c: settings.c ?? OPTIONAL_DEFAULTS.c,
    feedbackDocs: settings.feedbackDocs ?? OPTIONAL_DEFAULTS.feedbackDocs,
    feedbackTerms: settings.feedbackTerms ?? OPTIONAL_DEFAULTS.feedbackTerms,
    feedbackWeight: settings.feedbackWeight ?? OPTIONAL_DEFAULTS.feedbackWeight,
    feedbackMethod: settings.feedbackMethod ?? OPTIONAL_DEFAULTS.feedbackMethod,
  };
}

/**
 * An index with each posting's document-side weight precomputed, so scoring a
 * query is a sum of products. `maxWeight[t]` bounds any posting of term t
 * (what dynamic pruning needs).
 */
export interface WeightedIndex {
  index: InvertedIndex;
  settings: ResolvedTextModelSettings;
  /** Query-side factor of each term (idf for the BM25 family and TF-IDF; 1 for DFR, whose weights include it). */
  idf: Float64Array;
  weights: Float32Array;
  /**
   * The WebAssembly memory holding the index's postingStart and postingDoc and
   * `weights` (see posting-kernel.ts), shared by every thread; null when they
   * are plain arrays.
   */
  memory: WebAssembly.Memory | null;
  maxWeight: Float32Array;
  /**
   * Per-term bound used to normalise scores: no posting weight of t can exceed
   * it, and it depends only on the model and the corpus statistics of t, never
   * on the candidates of a need. Analytic for the BM25 family (k1+1, +delta).
   */
  termBound: Float64Array;
  /** The bound for a query term absent from the corpus. */
  unseenBound: number;
  /** The query-side factor for a query term absent from the corpus. */
  unseenIdf: number;
}

/** Query terms found in the index, with weights already divided by the query's bound, so scores fall in 0..1. */
export interface Query {
  termIds: Int32Array;
  weights: Float64Array;
}

const isBm25Family = (model: TextModelName): boolean => model === 'bm25' || model === 'bm25plus';
const isDfr = (model: TextModelName): boolean => model === 'dph' || model === 'pl2' || model === 'inl2';

/** True for the models whose scores are sums of probabilistic term weights, the ones feedback applies to. */
export function supportsFeedback(model: TextModelName): boolean {
  return model !== 'tfidf';
}

function idfOf(model: TextModelName, docCount: number, df: number): number {
  if (isBm25Family(model)) return Math.log(1 + (docCount - df + 0.5) / (df + 0.5));
  if (isDfr(model)) return 1; // DFR weights carry their own informativeness
  return Math.log((docCount + 1) / (df + 1)) + 1; // smoothed idf, as scikit-learn's TfidfVectorizer
}

/** Sublinear term frequency for TF-IDF: repeated words count, but less and less. */
function sublinear(tf: number): number {
  return tf > 0 ? 1 + Math.log(tf) : 0;
}

const LOG2_E = Math.log2(Math.E);

/** Statistics of one term across the corpus, for the DFR models. */
interface TermStats {
  /** Documents containing the term. */
  df: number;
  /** Occurrences of the term in the whole corpus (field-weighted). */
  cf: number;
}

/**
 * Smallest DFR posting weight. A term occurring less than chance predicts gives
 * no evidence (rather than evidence against), but the weight stays positive:
 * term-at-a-time accumulation takes a score of 0 to mean "not touched yet".
 */
const MIN_DFR_WEIGHT = 1e-9;

/** DFR weight of one posting, as Terrier computes it, floored at MIN_DFR_WEIGHT. */
function dfrWeight(settings: ResolvedTextModelSettings, tf: number, length: number, avg: number, docCount: number, term: TermStats): number {
  let w: number;
  if (settings.model === 'dph') {
    const f = tf / length;
    if (f >= 1) return MIN_DFR_WEIGHT; // a document made of this term only: DPH's hypergeometric estimate is undefined
    const norm = ((1 - f) * (1 - f)) / (tf + 1);
    w = norm * (tf * Math.log2(((tf * avg) / length) * (docCount / term.cf)) + 0.5 * Math.log2(2 * Math.PI * tf * (1 - f)));
  } else {
    const tfn = tf * Math.log2(1 + (settings.c * avg) / length);
    if (settings.model === 'pl2') {
      const lambda = term.cf / docCount;
      w = (tfn * Math.log2(tfn / lambda) + (lambda - tfn) * LOG2_E + 0.5 * Math.log2(2 * Math.PI * tfn)) / (tfn + 1);
    } else {
      w = (tfn * Math.log2((docCount + 1) / (term.df + 0.5))) / (tfn + 1);
    }
  }
  return w > MIN_DFR_WEIGHT && Number.isFinite(w) ? w : MIN_DFR_WEIGHT;
}

/**
 * Weights the index's postings. The weighted index reads the postings (starts,
 * documents, weights) from a shared WebAssembly memory where it can (see
 * posting-kernel.ts), which threads share; `plain` keeps them in plain arrays.
 */
export function weightIndex(source: InvertedIndex, modelSettings: TextModelSettings, plain = false): WeightedIndex {
  const settings = resolveTextModel(modelSettings);
  const store = allocatePostings(source.postingStart.length, source.postingDoc.length, plain);
  store.postingStart.set(source.postingStart);
  store.postingDoc.set(source.postingDoc);
  const index: InvertedIndex = { ...source, postingStart: store.postingStart, postingDoc: store.postingDoc };
  const { terms, df, postingStart, postingDoc, postingTf, docLength, avgDocLength, docCount } = index;
  const model = settings.model;
  const idf = new Float64Array(terms.length);
  for (let t = 0; t < terms.length; t++) idf[t] = idfOf(model, docCount, df[t]);
  const weights = store.weights;
  const maxWeight = new Float32Array(terms.length);
  const termBound = new Float64Array(terms.length);
  const avg = avgDocLength || 1;
  let unseenBound = 1;
  if (isBm25Family(model)) {
    const { k1, b } = settings;
    // BM25+ adds delta to every posting: the tf part then lies in [delta, k1 + 1 + delta).
    const delta = model === 'bm25plus' ? settings.delta : 0;
    unseenBound = k1 + 1 + delta;
    termBound.fill(unseenBound);
    for (let t = 0; t < terms.length; t++) {
      for (let p = postingStart[t]; p < postingStart[t + 1]; p++) {
        const tf = postingTf[p];
        const w = (tf * (k1 + 1)) / (tf + k1 * (1 - b + (b * docLength[postingDoc[p]]) / avg)) + delta;
        weights[p] = w;
        if (w > maxWeight[t]) maxWeight[t] = w;
      }
    }
  } else if (isDfr(model)) {
    // DFR weights have no closed-form maximum; the largest weight the term
    // actually reaches in the corpus is a bound that depends on corpus
    // statistics only (like idf), not on any need's candidates.
    for (let t = 0; t < terms.length; t++) {
      let cf = 0;
      for (let p = postingStart[t]; p < postingStart[t + 1]; p++) cf += postingTf[p];
      const stats = { df: df[t], cf };
      for (let p = postingStart[t]; p < postingStart[t + 1]; p++) {
        const w = dfrWeight(settings, postingTf[p], docLength[postingDoc[p]], avg, docCount, stats);
        weights[p] = w;
        if (w > maxWeight[t]) maxWeight[t] = w;
      }
      termBound[t] = maxWeight[t];
    }
    // An unseen term is bounded as the rarest possible term: once in one average-length document.
    unseenBound = dfrWeight(settings, 1, avg, avg, docCount, { df: 1, cf: 1 });
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
    termBound.fill(1); // unit document vectors: no weight exceeds 1
  }
  return { index, settings, idf, weights, memory: store.memory, maxWeight, termBound, unseenBound, unseenIdf: idfOf(model, docCount, 0) };
}

/** Positive term counts with their term ids (-1: absent from the index), in the counts' order. */
export interface TermCounts {
  ids: Int32Array;
  tfs: Float64Array;
}

function lookUp(weighted: WeightedIndex, counts: ReadonlyMap<string, number>): TermCounts {
  const { termIds } = weighted.index;
  const ids = new Int32Array(counts.size);
  const tfs = new Float64Array(counts.size);
  let n = 0;
  for (const [term, tf] of counts) {
    if (!(tf > 0)) continue;
    ids[n] = termIds.get(term) ?? -1;
    tfs[n++] = tf;
  }
  return { ids: ids.subarray(0, n), tfs: tfs.subarray(0, n) };
}

function boundOf(weighted: WeightedIndex, { ids, tfs }: TermCounts): number {
  const { idf, termBound } = weighted;
  const cosine = weighted.settings.model === 'tfidf';
  let bound = 0;
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i];
    const tf = tfs[i];
    const termIdf = id < 0 ? weighted.unseenIdf : idf[id];
    if (cosine) {
      const q = sublinear(tf) * termIdf;
      bound += q * q;
    } else {
      bound += termIdf * tf * (id < 0 ? weighted.unseenBound : termBound[id]);
    }
  }
  return cosine ? Math.sqrt(bound) : bound;
}

function queryFrom(weighted: WeightedIndex, { ids, tfs }: TermCounts, bound: number): Query {
  const { idf, maxWeight } = weighted;
  const cosine = weighted.settings.model === 'tfidf';
  const termIds = new Int32Array(ids.length);
  const termWeights = new Float64Array(ids.length);
  const bounds = new Float64Array(ids.length);
  let n = 0;
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i];
    if (id < 0) continue;
    const tf = tfs[i];
    const q = (cosine ? sublinear(tf) : tf) * idf[id];
    const weight = bound > 0 ? q / bound : 0;
    termIds[n] = id;
    termWeights[n] = weight;
    bounds[n++] = weight * maxWeight[id];
  }
  // Decreasing bound, ties in the counts' order.
  const order = orderByDecreasing(bounds, n);
  const out: Query = { termIds: new Int32Array(n), weights: new Float64Array(n) };
  for (let i = 0; i < n; i++) {
    out.termIds[i] = termIds[order[i]];
    out.weights[i] = termWeights[order[i]];
  }
  return out;
}

/** Runs sorted by insertion before merging: short enough that insertion costs little. */
const RUN = 16;

/**
 * Positions 0..n-1 in decreasing order of `keys`, equal keys in position
 * order: what a stable sort by decreasing key gives. A merge sort over typed
 * arrays, where Array.prototype.sort over an object per term (with a
 * comparator call per step) cost 3% of ranking a need (three queries a need).
 */
export function orderByDecreasing(keys: Float64Array, n: number): Int32Array {
  let from = new Int32Array(n);
  for (let i = 0; i < n; i++) from[i] = i;
  for (let i = 0; i < n; i++) {
    // NaN compares as nothing: leave such keys to the general sort, whose order for them is its own.
    if (keys[i] !== keys[i]) return Int32Array.from([...from].sort((a, b) => keys[b] - keys[a]));
  }
  for (let start = 0; start < n; start += RUN) {
    const end = Math.min(start + RUN, n);
    for (let i = start + 1; i < end; i++) {
      const p = from[i];
      const key = keys[p];
      let j = i - 1;
      while (j >= start && keys[from[j]] < key) {
        from[j + 1] = from[j];
        j--;
      }
      from[j + 1] = p;
    }
  }
  let to = new Int32Array(n);
  for (let width = RUN; width < n; width *= 2) {
    for (let left = 0; left < n; left += 2 * width) {
      const mid = Math.min(left + width, n);
      const end = Math.min(left + 2 * width, n);
      let i = left;
      let j = mid;
      let k = left;
      // The left run first on equal keys: it holds the earlier positions.
      while (i < mid && j < end) to[k++] = keys[from[j]] > keys[from[i]] ? from[j++] : from[i++];
      while (i < mid) to[k++] = from[i++];
      while (j < end) to[k++] = from[j++];
    }
    [from, to] = [to, from];
  }
  return from;
}

/**
 * The bound that scores of a query with these term counts are divided by, so
 * they fall in 0..1. It does not depend on the candidates: the query norm for
 * cosine, Σ q_t·termBound_t otherwise (for BM25, Σ idf·qtf·(k1+1)). Terms
 * absent from the index still count: a need asking for something no solution
 * mentions cannot score 1.
 */
export function queryBound(weighted: WeightedIndex, counts: ReadonlyMap<string, number>): number {
  return boundOf(weighted, lookUp(weighted, counts));
}

/**
 * Query weights from the need's (field-weighted) term counts, or from any
 * positive term weights (an expanded query), divided by `bound` (by default
 * the counts' own queryBound). Terms absent from the index are left out.
 * Terms come in decreasing order of their largest possible contribution
 * (weight × maxWeight; ties in the counts' order): the order every scorer
 * adds contributions in, so exhaustive and pruned scoring (which wants the
 * strong terms first) give the same floating-point sums.
 */
export function buildQuery(weighted: WeightedIndex, counts: ReadonlyMap<string, number>, bound?: number): Query {
  const terms = lookUp(weighted, counts);
  return queryFrom(weighted, terms, bound ?? boundOf(weighted, terms));
}

/**
 * `buildQuery` of the counts and their `queryBound`, each term looked up in
 * the index once (`terms`); `known`: that look-up, when the caller has it.
 */
export function queryWithBound(weighted: WeightedIndex, counts: ReadonlyMap<string, number>, known?: TermCounts): { query: Query; bound: number; terms: TermCounts } {
  const terms = known ?? lookUp(weighted, counts);
  return { ...queryAndBound(weighted, terms), terms };
}

/** `queryWithBound` of counts already looked up. */
export function queryAndBound(weighted: WeightedIndex, terms: TermCounts): { query: Query; bound: number } {
  const bound = boundOf(weighted, terms);
  return { query: queryFrom(weighted, terms, bound), bound };
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
