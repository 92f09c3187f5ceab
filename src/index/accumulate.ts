import type { Query, WeightedIndex } from './text-model.js';

/** Reusable per-worker scratch space for term-at-a-time scoring. */
export interface Accumulator {
  scores: Float64Array;
  touched: Int32Array;
  count: number;
}

export function createAccumulator(docCount: number): Accumulator {
  return { scores: new Float64Array(docCount), touched: new Int32Array(docCount), count: 0 };
}

/** Clears only the slots the last query touched. */
export function resetAccumulator(acc: Accumulator): void {
  for (let i = 0; i < acc.count; i++) acc.scores[acc.touched[i]] = 0;
  acc.count = 0;
}

/** Exhaustive term-at-a-time scoring: afterwards `acc.touched[0..count)` holds every document with a text score. */
export function accumulateText(weighted: WeightedIndex, query: Query, acc: Accumulator): void {
  resetAccumulator(acc);
  const { postingStart, postingDoc } = weighted.index;
  const w = weighted.weights;
  const { scores, touched } = acc;
  let count = 0;
  for (let i = 0; i < query.termIds.length; i++) {
    const t = query.termIds[i];
    const q = query.weights[i];
    for (let p = postingStart[t], end = postingStart[t + 1]; p < end; p++) {
      const d = postingDoc[p];
      if (scores[d] === 0) touched[count++] = d;
      scores[d] += q * w[p];
    }
  }
  acc.count = count;
}
