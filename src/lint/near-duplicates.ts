/**
 * Pairs of records whose term sets are almost the same (Jaccard similarity at
 * or above a threshold), without comparing every pair: the similarity-join
 * "prefix filter" (Bayardo et al. 2007; Xiao et al., PPJoin, 2008). Terms are
 * ordered rarest first; two sets with Jaccard >= t must share one of the
 * first |x| - ceil(t·|x|) + 1 terms of each, and rare terms have short
 * posting lists, so few pairs are ever compared. A cap on comparisons keeps
 * pathological inputs (thousands of copies of one template) bounded.
 */

export interface SimilarPair {
  /** Indexes into the input, a < b. */
  a: number;
  b: number;
  similarity: number;
}

export interface NearDuplicateResult {
  pairs: SimilarPair[];
  /** True when the comparison cap was reached: pairs may be missing. */
  truncated: boolean;
}

export const DEFAULT_MAX_COMPARISONS = 5_000_000;

/** `termSets[i]`: the distinct terms of record i (an empty set never pairs). */
export function findNearDuplicates(termSets: readonly (readonly string[])[], threshold: number, maxComparisons = DEFAULT_MAX_COMPARISONS): NearDuplicateResult {
  // Global order: rarest term first, ties by the term itself, so results do not depend on input order.
  const df = new Map<string, number>();
  for (const set of termSets) for (const t of new Set(set)) df.set(t, (df.get(t) ?? 0) + 1);
  const ordered = [...df.keys()].sort((x, y) => df.get(x)! - df.get(y)! || (x < y ? -1 : x > y ? 1 : 0));
  const rank = new Map(ordered.map((t, i) => [t, i] as const));
  const sets = termSets.map((set) => Int32Array.from(new Set(set), (t) => rank.get(t)!).sort());

  // Smaller sets first: each record is compared only with earlier (smaller or equal) ones.
  const order = sets.map((_, i) => i).filter((i) => sets[i].length > 0).sort((x, y) => sets[x].length - sets[y].length || x - y);
  const postings = new Map<number, number[]>();
  const pairs: SimilarPair[] = [];
  let comparisons = 0;
  let truncated = false;

  outer: for (const x of order) {
    const terms = sets[x];
    const prefix = terms.length - Math.ceil(threshold * terms.length) + 1;
    const minSize = Math.ceil(threshold * terms.length);
    const seen = new Set<number>();
    for (let p = 0; p < prefix; p++) {
      for (const y of postings.get(terms[p]) ?? []) {
        if (seen.has(y) || sets[y].length < minSize) continue;
        seen.add(y);
        if (++comparisons > maxComparisons) { truncated = true; break outer; }
        const similarity = jaccard(terms, sets[y]);
        if (similarity >= threshold) pairs.push({ a: Math.min(x, y), b: Math.max(x, y), similarity });
      }
    }
    for (let p = 0; p < prefix; p++) {
      let list = postings.get(terms[p]);
      if (!list) postings.set(terms[p], (list = []));
      list.push(x);
    }
  }
  pairs.sort((p, q) => p.a - q.a || p.b - q.b);
  return { pairs, truncated };
}

/** |x ∩ y| / |x ∪ y| of two sorted arrays of distinct numbers. */
function jaccard(x: Int32Array, y: Int32Array): number {
  let i = 0;
  let j = 0;
  let shared = 0;
  while (i < x.length && j < y.length) {
    if (x[i] === y[j]) { shared++; i++; j++; }
    else if (x[i] < y[j]) i++;
    else j++;
  }
  return shared / (x.length + y.length - shared);
}
