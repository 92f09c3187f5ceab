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

/** Builds the index from each document's terms per field. Document ids are positions in `docs`. */
export function buildIndex(docs: readonly (readonly (readonly string[])[])[], fieldWeights: FieldWeights): InvertedIndex {
  const termIds = new Map<string, number>();
  const terms: string[] = [];
  const dfList: number[] = [];
  const docLength = new Float32Array(docs.length);
  // First pass: per-document counts with term ids, and document frequencies.
  const perDoc: { ids: Int32Array; tfs: Float32Array }[] = [];
  let postings = 0;
  docs.forEach((fields, d) => {
    const counts = termCounts(fields, fieldWeights);
    const ids = new Int32Array(counts.size);
    const tfs = new Float32Array(counts.size);
    let i = 0;
    let length = 0;
    for (const [term, tf] of counts) {
      let id = termIds.get(term);
      if (id === undefined) {
        id = terms.length;
        termIds.set(term, id);
        terms.push(term);
        dfList.push(0);
      }
      dfList[id]++;
      ids[i] = id;
      tfs[i] = tf;
      length += tf;
      i++;
    }
    docLength[d] = length;
    postings += counts.size;
    perDoc.push({ ids, tfs });
  });
  const df = Int32Array.from(dfList);
  const postingStart = new Int32Array(terms.length + 1);
  for (let t = 0; t < terms.length; t++) postingStart[t + 1] = postingStart[t] + df[t];
  const fill = postingStart.slice(0, terms.length);
  const postingDoc = new Int32Array(postings);
  const postingTf = new Float32Array(postings);
  // Second pass: documents in order, so each term's postings are sorted by document.
  perDoc.forEach(({ ids, tfs }, d) => {
    for (let i = 0; i < ids.length; i++) {
      const p = fill[ids[i]]++;
      postingDoc[p] = d;
      postingTf[p] = tfs[i];
    }
  });
  let total = 0;
  for (let d = 0; d < docLength.length; d++) total += docLength[d];
  return {
    terms,
    termIds,
    df,
    postingStart,
    postingDoc,
    postingTf,
    docLength,
    avgDocLength: docs.length ? total / docs.length : 0,
    docCount: docs.length,
  };
}
