import { SIGNALS, type Signal, type Weights } from '../model.js';
import { parseSector, sectorPairScore, type Sector } from '../score/sector.js';
import type { ConceptMatcher } from '../text/concepts.js';
import { commonestForm } from '../text/analyze.js';
import { compareIds } from './compare-ids.js';
import type { SolutionCorpus } from './corpus.js';
import type { TermPart } from './term-breakdown.js';

/** One signal's part in a pair's score. */
export interface SignalPart {
  signal: Signal;
  /** Null when the signal was left out of the pair's blend. */
  score: number | null;
  weight: number;
  /** weight · score / (sum of the weights present): what it adds to the final score. */
  contribution: number | null;
}

/** How each signal adds up to the blended score. */
export function signalParts(scores: Record<Signal, number | null>, weights: Weights): SignalPart[] {
  const present = SIGNALS.filter((s) => scores[s] !== null && weights[s] > 0);
  const total = present.reduce((sum, s) => sum + weights[s], 0);
  return SIGNALS.map((signal) => {
    const score = scores[signal];
    const included = score !== null && weights[signal] > 0 && total > 0;
    return { signal, score, weight: weights[signal], contribution: included ? (weights[signal] * score) / total : null };
  });
}

/** Share of the text score per word, largest first. */
export function termShares(parts: readonly TermPart[], textScore: number): { word: string; share: number }[] {
  return parts.map((p) => ({ word: p.word, share: textScore > 0 ? p.contribution / textScore : 0 }));
}

/** The pair of sector values that earned the credit, and what they have in common, in words. */
export function sectorRelation(needSectors: readonly string[], solutionSectors: readonly string[], concepts?: ConceptMatcher | null): { score: number | null; relation: string } {
  const parse = (values: readonly string[]) => values.map((v) => ({ raw: v.trim(), s: parseSector(v, concepts) })).filter((x): x is { raw: string; s: Sector } => x.s !== null);
  const a = parse(needSectors);
  const b = parse(solutionSectors);
  if (a.length === 0 || b.length === 0) return { score: null, relation: a.length === 0 ? 'the need has no sector' : 'the solution has no sector' };
  let best = { score: -1, x: a[0], y: b[0] };
  for (const x of a) for (const y of b) {
    const score = sectorPairScore(x.s, y.s);
    if (score > best.score) best = { score, x, y };
  }
  const { x, y, score } = best;
  if (x.s.kind === 'label' || y.s.kind === 'label') return { score, relation: score === 1 ? `same sector ${x.raw}` : `different sectors (${x.raw} vs ${y.raw})` };
  const dx = x.s.digits;
  const dy = y.s.digits;
  const letter = x.s.section || y.s.section;
  let relation: string;
  if (score === 1) relation = dx === dy ? `same ATECO code ${x.raw}` : `ATECO ${dx.length < dy.length ? x.raw : y.raw} includes ${dx.length < dy.length ? y.raw : x.raw}`;
  else if (score === 0.9) relation = `same ATECO class ${dx.slice(0, 2)}.${dx.slice(2, 4)}`;
  else if (score === 0.75) relation = `same ATECO group ${dx.slice(0, 2)}.${dx[2]}`;
  else if (score === 0.5) relation = `same ATECO division ${letter}${dx.slice(0, 2)}`;
  else if (score > 0) relation = `same ATECO section ${letter}`;
  else relation = `different sectors (${x.raw} vs ${y.raw})`;
  return { score, relation };
}

/** Plain-language reason for a pair: "shares: riciclo, tessile; tags: circular economy; same ATECO division C13". */
export function explanationSentence(words: readonly string[], sharedTags: readonly string[], sector: { score: number | null; relation: string } | null): string {
  const parts: string[] = [];
  if (words.length) parts.push(`shares: ${words.join(', ')}`);
  if (sharedTags.length) parts.push(`tags: ${sharedTags.join(', ')}`);
  if (sector && sector.score !== null && sector.score > 0) parts.push(sector.relation);
  return parts.length ? parts.join('; ') : 'no words, tags or sector in common';
}

// How needs are phrased, not what they ask for: never worth scouting for.
const REQUEST_WORDS = new Set(['cerchiamo', 'cerca', 'cercando', 'vogliamo', 'vorremmo', 'desideriamo', 'chiediamo', 'circa', 'oggi', 'attualmente', 'soluzione', 'soluzioni', 'azienda', 'aziende', 'esigenza', 'necessità', 'looking', 'seek', 'seeking', 'want', 'wish', 'need', 'needs', 'currently', 'today', 'solution', 'solutions', 'company', 'approximately']);

/**
 * The need's most important words that no shortlisted solution mentions: where
 * scouting beyond the dataset should start. Words no solution in the whole
 * dataset mentions count most (highest idf).
 */
export function coverageGaps(corpus: SolutionCorpus, counts: ReadonlyMap<string, number>, titleTerms: ReadonlySet<string>, needForms: Map<string, Map<string, number>>, shortlist: readonly number[], limit = 5): string[] {
  const { index } = corpus.weighted;
  // Smoothed idf from document frequencies, whatever the text model: unmentioned words rank first.
  const idf = (df: number) => Math.log((index.docCount + 1) / (df + 1)) + 1;
  const covered = (termId: number) => {
    for (let p = index.postingStart[termId]; p < index.postingStart[termId + 1]; p++) if (shortlist.includes(index.postingDoc[p])) return true;
    return false;
  };
  const gaps: { stem: string; weight: number }[] = [];
  for (const [stem, tf] of counts) {
    const id = index.termIds.get(stem);
    if (id !== undefined && shortlist.length > 0 && covered(id)) continue;
    // A word in the title names what the need is about: it outranks a rare aside.
    const title = titleTerms.has(stem) ? 3 : 1;
    gaps.push({ stem, weight: title * (1 + Math.log(Math.max(tf, 1))) * idf(id === undefined ? 0 : index.df[id]) });
  }
  gaps.sort((a, b) => b.weight - a.weight || compareIds(a.stem, b.stem));
  return gaps
    .map((g) => commonestForm(needForms.get(g.stem), g.stem))
    .filter((word) => !/\d/.test(word) && !REQUEST_WORDS.has(word))
    .slice(0, limit);
}
