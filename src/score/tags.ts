import { foldAccents, tokenize } from '../text/tokenize.js';
import { CONCEPT_PREFIX, findConcepts, type ConceptMatcher } from '../text/concepts.js';
import { isStopWord } from '../text/stopwords.js';
import { stem } from '../text/stem.js';

/**
 * A comparison key for a tag: accents, case and spacing folded, and each word
 * passed through both stemmers so singular and plural meet in either language
 * ("Sensors"/"sensor", "tessili"/"tessile").
 */
export function tagKey(tag: string, concepts?: ConceptMatcher | null): string {
  const tokens = tokenize(tag);
  if (concepts) {
    // A tag made entirely of glossary concepts is keyed by them, in any language and
    // order: "riciclo tessile" and "textile recycling" meet.
    // A tag has no sentence around it, so a stop-word form ("ai") can only mean the concept.
    const asEnglish = findConcepts(tokens, concepts, 'en');
    const asItalian = findConcepts(tokens, concepts, 'it');
    const hits = asEnglish.length >= asItalian.length ? asEnglish : asItalian;
    const covered = hits.reduce((n, h) => n + (h.end - h.start), 0);
    const content = tokens.filter((t) => !isStopWord(t)).length;
    if (hits.length > 0 && covered >= content) return CONCEPT_PREFIX + [...new Set(hits.map((h) => h.concept))].sort().join('+');
  }
  return tokens
    .map((w) => stem(stem(foldAccents(w), 'en'), 'it'))
    .join(' ');
}

/** Distinct keys of a tag list, in first-seen order, with the first original spelling of each. */
export function tagKeys(tags: readonly string[], concepts?: ConceptMatcher | null): Map<string, string> {
  const keys = new Map<string, string>();
  for (const tag of tags) {
    const key = tagKey(tag, concepts);
    if (key && !keys.has(key)) keys.set(key, tag.trim());
  }
  return keys;
}

/** Inverse document frequency of tag keys over the solutions: rare tags weigh more. */
export interface TagWeights {
  docCount: number;
  df: Map<string, number>;
}

export function tagWeights(keySets: readonly Map<string, string>[]): TagWeights {
  const df = new Map<string, number>();
  for (const keys of keySets) for (const key of keys.keys()) df.set(key, (df.get(key) ?? 0) + 1);
  return { docCount: keySets.length, df };
}

export function tagIdf(weights: TagWeights, key: string): number {
  return Math.log((weights.docCount + 1) / ((weights.df.get(key) ?? 0) + 1)) + 1;
}

/**
 * Cosine between the two tag sets as idf-weighted binary vectors: 1 for the
 * same tags, more for sharing a rare tag than a common one. Null when either
 * side has no tags (the signal is then left out of the blend).
 */
export function tagScore(needKeys: ReadonlyMap<string, string>, solutionKeys: ReadonlyMap<string, string>, weights: TagWeights): number | null {
  if (needKeys.size === 0 || solutionKeys.size === 0) return null;
  let shared = 0;
  let needNorm = 0;
  let solutionNorm = 0;
  for (const key of needKeys.keys()) {
    const w = tagIdf(weights, key) ** 2;
    needNorm += w;
    if (solutionKeys.has(key)) shared += w;
  }
  if (shared === 0) return 0;
  for (const key of solutionKeys.keys()) solutionNorm += tagIdf(weights, key) ** 2;
  return Math.min(1, shared / Math.sqrt(needNorm * solutionNorm));
}

/** The need's tags (as the need spells them) that the solution shares. */
export function sharedTags(needKeys: ReadonlyMap<string, string>, solutionKeys: ReadonlyMap<string, string>): string[] {
  const out: string[] = [];
  for (const [key, tag] of needKeys) if (solutionKeys.has(key)) out.push(tag);
  return out;
}
