import { DEFAULT_WEIGHTS, type Match, type MatchRecord, type NeedResult, type Weights } from '../model.js';
import { DEFAULT_TEXT_MODEL, buildQuery, queryWithBound, type Query, type TermCounts, type TextModelSettings } from '../index/text-model.js';
import { accumulateText, createAccumulator, type Accumulator } from '../index/accumulate.js';
import { TopTextSearch, type TextScoring, type TopTextGoal } from '../index/top-text-search.js';
import type { LanguageOption } from '../text/language.js';
import type { ConceptMatcher } from '../text/concepts.js';
import { termsOf } from '../text/analyze.js';
import { tokenize } from '../text/tokenize.js';
import type { Language } from '../text/stopwords.js';
import { sharedTags, tagKeys, tagScore } from '../score/tags.js';
import { sectorPairScore, sectorScore, type Sector } from '../score/sector.js';
import { blendScores } from '../score/blend.js';
import { compareIds, roundScore } from './compare-ids.js';
import { TopK } from './top-k.js';
import { firstOfSame, hasOwnConstraints, repeatedResult } from './repeated-needs.js';
import { needTermCounts, parseSectors, prepareSolutions, type SolutionCorpus } from './corpus.js';
import { applyExpansion, expandQuery, expansionScoring, topDocuments } from './feedback.js';
import { needForms as needSurfaceForms, needOnlyQuery, shownWords } from './term-breakdown.js';
import { coverageGaps, explanationSentence, sectorRelation } from './explanation.js';

export interface RankOptions {
  /** Shortlist length per need. */
  top: number;
  /** Keep pairs whose rounded score is at least this (and always above 0). */
  minScore: number;
  weights: Weights;
  lang: LanguageOption;
  textModel: TextModelSettings;
  /** How many contributing words to show per pair. */
  topTerms: number;
  /** Add a plain-language explanation per pair and the coverage gaps per need. */
  explain: boolean;
  /** Per-need filters, pins and stage signal (see constraints/); none when absent. */
  constrain?: (need: MatchRecord) => NeedConstraints;
  /** Bilingual concept layer (see text/concepts.ts), or null for words only. */
  concepts: ConceptMatcher | null;
  /** Weight of a concept term against a word, before saturation. */
  conceptWeight: number;
  /**
   * Visit every candidate instead of only those that can make the shortlist
   * (same results, slower; for tests that check exactly that).
   */
  exhaustive?: boolean;
}

/** What one need may and must get. Solutions are positions in the corpus. */
export interface NeedConstraints {
  /** False for solutions this need must not get (filters, requirements, exclusions). */
  admit?: (doc: number) => boolean;
  /** Solutions that must be in the shortlist whatever their score or the filters; they count towards `top`. */
  pinned?: readonly number[];
  /** The pair's stage signal, 0..1, or null to leave it out of the blend. */
  stage?: (doc: number) => number | null;
}

export const DEFAULT_RANK_OPTIONS: RankOptions = {
  top: 10,
  minScore: 0,
  weights: DEFAULT_WEIGHTS,
  lang: 'auto',
  textModel: DEFAULT_TEXT_MODEL,
  topTerms: 5,
  explain: false,
  concepts: null,
  conceptWeight: 1,
};

interface Candidate {
  doc: number;
  id: string;
  score: number;
  text: number;
  tags: number | null;
  sector: number | null;
  stage: number | null;
  pinned: boolean;
}

const better = (a: Candidate, b: Candidate): boolean => a.score > b.score || (a.score === b.score && compareIds(a.id, b.id) < 0);

/** Per-need scratch state, reused across needs to avoid reallocating per query. */
export interface RankScratch {
  acc: Accumulator;
  seen: Uint8Array;
  search: TopTextSearch;
}

export function createScratch(corpus: SolutionCorpus): RankScratch {
  const n = corpus.solutions.length;
  return { acc: createAccumulator(n), seen: new Uint8Array(n), search: new TopTextSearch(corpus.weighted) };
}

/** A need analysed for scoring: its text query and its metadata, shared by ranking and explanations. */
export interface PreparedNeed {
  need: MatchRecord;
  lang: Language;
  /** The need's own (field-weighted) term counts. */
  counts: Map<string, number>;
  /** Its title and text as the corpus lexicon's token numbers, when analysed through it. */
  tokens?: readonly number[];
  /** The query whose scores the accumulator holds (expanded when feedback is on). */
  query: Query;
  /** The need's counts as looked up in the index, when they were. */
  terms?: TermCounts;
  tags: Map<string, string>;
  sectors: Sector[];
}

/** Receives each candidate's unblended signals. */
export type CandidateVisitor = (doc: number, text: number, tags: number | null, sector: number | null) => void;

/**
 * Scores one need's signals against every solution that could score above 0:
 * any with text in common, a shared tag, or sector credit. Signals whose
 * weight is 0 are null. Pure apart from the reusable scratch space.
 */
export function scoreCandidates(corpus: SolutionCorpus, need: MatchRecord, options: RankOptions, scratch: RankScratch, visit: CandidateVisitor): PreparedNeed {
  const { weights } = options;
  const { lang, counts, tokens } = needTermCounts(need, options, corpus.weighted.index, corpus.lexicon);
  const { acc, seen } = scratch;
  const query = scoreText(corpus, counts, acc);

  const candidates: number[] = Array.from(acc.touched.subarray(0, acc.count));
  for (const d of candidates) seen[d] = 1;
  const add = (d: number) => {
    if (!seen[d]) { seen[d] = 1; candidates.push(d); }
  };
  const needTags = tagKeys(need.tags, options.concepts);
  if (weights.tags > 0) for (const key of needTags.keys()) for (const d of corpus.tagPostings.get(key) ?? []) add(d);
  const needSectors = parseSectors(need.sectors, options.concepts);
  if (weights.sector > 0 && needSectors.length > 0) {
    for (const group of corpus.sectorGroups) {
      if (needSectors.some((s) => sectorPairScore(s, group.sector) > 0)) for (const d of group.docs) add(d);
    }
  }
  for (const d of candidates) {
    seen[d] = 0;
    const text = Math.min(1, acc.scores[d]);
    const tags = weights.tags > 0 ? tagScore(needTags, corpus.tagKeys[d], corpus.tagWeights) : null;
    const sector = weights.sector > 0 ? sectorScore(needSectors, corpus.sectors[d]) : null;
    visit(d, text, tags, sector);
  }
  return { need, lang, counts, tokens, query, tags: needTags, sectors: needSectors };
}

/**
 * `scoreCandidates` for a shortlist: visits only the solutions that can be
 * among the need's `top` (pins aside) and the pins, picked out of the text
 * scores of every solution (see index/top-text-search.ts), so the shortlist
 * is the one scoring every candidate gives. The ranking key is the rounded blended score; a solution
 * without tag or sector credit never blends above its text score (missing
 * signals drop out, present ones score 0), which bounds it by its text bound.
 */
export function scoreTopCandidates(corpus: SolutionCorpus, need: MatchRecord, options: RankOptions, scratch: RankScratch, constraints: { admit?: (doc: number) => boolean; pins: ReadonlySet<number> }, visit: CandidateVisitor): PreparedNeed {
  const { weights, minScore } = options;
  const { admit, pins } = constraints;
  const { lang, counts, tokens, terms } = needTermCounts(need, options, corpus.weighted.index, corpus.lexicon);
  const needTags = tagKeys(need.tags, options.concepts);
  const needSectors = parseSectors(need.sectors, options.concepts);
  const { acc, seen } = scratch;

  // Solutions with tag or sector credit: their blend may exceed their text score.
  const seeds: number[] = [];
  const seed = (d: number) => {
    if (!seen[d]) { seen[d] = 1; seeds.push(d); }
  };
  if (weights.tags > 0) for (const key of needTags.keys()) for (const d of corpus.tagPostings.get(key) ?? []) seed(d);
  if (weights.sector > 0 && needSectors.length > 0) {
    for (const group of corpus.sectorGroups) {
      if (needSectors.some((s) => sectorPairScore(s, group.sector) > 0)) for (const d of group.docs) seed(d);
    }
  }
  const tagsOf = (d: number) => (weights.tags > 0 ? tagScore(needTags, corpus.tagKeys[d], corpus.tagWeights) : null);
  const sectorOf = (d: number) => (weights.sector > 0 ? sectorScore(needSectors, corpus.sectors[d]) : null);
  const seedSignals = new Map<number, { tags: number | null; sector: number | null }>();
  for (const d of seeds) {
    seen[d] = 0;
    seedSignals.set(d, { tags: tagsOf(d), sector: sectorOf(d) });
  }
  // Any other solution scores 0 on a signal both sides have, and leaves out the others.
  const needHasTags = weights.tags > 0 && needTags.size > 0;
  const needHasSectors = weights.sector > 0 && needSectors.length > 0;
  const key = (d: number, text: number): number => {
    if (pins.has(d) || (admit && !admit(d))) return -Infinity;
    const signals = seedSignals.get(d);
    const tags = signals ? signals.tags : needHasTags && corpus.tagKeys[d].size > 0 ? 0 : null;
    const sector = signals ? signals.sector : needHasSectors && corpus.sectors[d].length > 0 ? 0 : null;
    const score = roundScore(blendScores({ text: Math.min(1, text), tags, sector, stage: null }, weights));
    return score <= 0 || score < minScore ? -Infinity : score;
  };
  const goal: TopTextGoal = {
    k: Math.max(0, options.top - pins.size),
    key,
    // roundScore(x) < key once x is half a unit of the fourth decimal below it.
    textBelow: (k) => (k - 0.0000501) / (1 + 2e-12),
    seeds,
    keep: [...pins],
  };

  const looked = queryWithBound(corpus.weighted, counts, terms);
  const { query } = looked;
  let scoring: TextScoring = { first: query, scale: 1, second: null };
  let finalQuery = query;
  const { search } = scratch;
  search.begin(query);
  if (corpus.feedback) {
    // The first pass only has to find the documents to learn from: its own top k.
    const { settings, forward } = corpus.feedback;
    const ids = corpus.solutions;
    const feedbackDocs = search.topFirst(settings.docs, (a, b) => compareIds(ids[a].id, ids[b].id) < 0);
    const expansion = expandQuery(counts, feedbackDocs, corpus.weighted.index, forward, settings);
    if (expansion) {
      const expanded = expansionScoring(corpus.weighted, counts, expansion, looked);
      scoring = { first: query, scale: expanded.scale, second: expanded.extra };
      finalQuery = expanded.query;
    }
  }
  search.finish(scoring, goal, acc);

  for (let i = 0; i < acc.count; i++) {
    const d = acc.touched[i];
    const signals = seedSignals.get(d);
    visit(d, Math.min(1, acc.scores[d]), signals ? signals.tags : tagsOf(d), signals ? signals.sector : sectorOf(d));
  }
  return { need, lang, counts, tokens, query: finalQuery, terms: looked.terms, tags: needTags, sectors: needSectors };
}

/** Ranks all solutions for one need: every solution with a positive blended score is a candidate. */
export function rankNeed(corpus: SolutionCorpus, need: MatchRecord, options: RankOptions, scratch = createScratch(corpus)): NeedResult {
  const { admit, pinned = [], stage: stageOf } = options.constrain?.(need) ?? {};
  const pins = new Set(pinned);
  const candidate = (d: number, text: number, tags: number | null, sector: number | null): Candidate => {
    const stage = stageOf ? stageOf(d) : null;
    const score = roundScore(blendScores({ text, tags, sector, stage }, options.weights));
    return { doc: d, id: corpus.solutions[d].id, score, text, tags, sector, stage, pinned: pins.has(d) };
  };
  const top = new TopK<Candidate>(Math.max(0, options.top - pins.size), better);
  const visit: CandidateVisitor = (d, text, tags, sector) => {
    if (pins.has(d) || (admit && !admit(d))) return;
    const c = candidate(d, text, tags, sector);
    if (c.score <= 0 || c.score < options.minScore) return;
    top.push(c);
  };
  // A stage signal can lift any solution above its text score, which picking by text bound relies on never happening.
  const prune = !options.exhaustive && !stageOf && options.weights.text > 0;
  const prepared = prune ? scoreTopCandidates(corpus, need, options, scratch, { admit, pins }, visit) : scoreCandidates(corpus, need, options, scratch, visit);
  const { lang, counts, query, tags: needTags } = prepared;
  // Pins bypass filters and --min-score; they may share nothing with the need.
  const pinnedCandidates = [...pins].map((d) => {
    const tags = options.weights.tags > 0 ? tagScore(needTags, corpus.tagKeys[d], corpus.tagWeights) : null;
    const sector = options.weights.sector > 0 ? sectorScore(prepared.sectors, corpus.sectors[d]) : null;
    return candidate(d, Math.min(1, scratch.acc.scores[d]), tags, sector);
  });

  // Explanations name only words of the need itself, even when feedback added others to the query.
  const explained = needOnlyQuery(query, corpus, counts, prepared.terms);
  const kept = pins.size > 0 ? [...top.sorted(), ...pinnedCandidates].sort((a, b) => (better(a, b) ? -1 : 1)) : top.sorted();
  // Coverage gaps name any of the need's words; otherwise only the forms of the words shown are needed.
  const needForms = options.explain ? needSurfaceForms(corpus, need, lang, options.concepts, undefined, prepared.tokens) : undefined;
  const shown = shownWords(corpus, explained, kept.map((c) => c.doc), need, lang, options.concepts, Math.max(options.topTerms, options.explain ? 3 : 0), needForms, prepared.tokens);
  const matches: Match[] = kept.map((c, i) => {
    const solution = corpus.solutions[c.doc];
    const terms = shown[i];
    const shared = sharedTags(needTags, corpus.tagKeys[c.doc]);
    const match: Match = {
      solutionId: solution.id,
      solutionName: solution.name,
      rank: i + 1,
      score: c.score,
      textScore: roundScore(c.text),
      tagScore: c.tags === null ? null : roundScore(c.tags),
      sectorScore: c.sector === null ? null : roundScore(c.sector),
      sharedTags: shared,
      topTerms: terms.slice(0, options.topTerms),
    };
    if (stageOf) match.stageScore = c.stage === null ? null : roundScore(c.stage);
    if (c.pinned) match.pinned = true;
    if (options.explain) {
      const sector = options.weights.sector > 0 ? sectorRelation(need.sectors, solution.sectors, options.concepts) : null;
      match.explanation = explanationSentence(terms.slice(0, 3), shared, sector);
    }
    return match;
  });
  const result: NeedResult = { needId: need.id, needTitle: need.name, matches };
  if (options.explain) {
    const titleTerms = new Set(termsOf(tokenize(need.title), lang));
    result.gaps = coverageGaps(corpus, counts, titleTerms, needForms!, kept.map((c) => c.doc));
  }
  return result;
}

/**
 * Text scores of every solution for the need's terms, into `acc`. With
 * feedback on, the first pass only picks the documents to learn from, and
 * `acc` ends up holding the scores of the expanded query. Returns the query
 * whose scores `acc` holds.
 */
function scoreText(corpus: SolutionCorpus, counts: ReadonlyMap<string, number>, acc: Accumulator): Query {
  const query = buildQuery(corpus.weighted, counts);
  accumulateText(corpus.weighted, query, acc);
  if (!corpus.feedback) return query;
  const { settings, forward } = corpus.feedback;
  const ids = corpus.solutions;
  const feedbackDocs = topDocuments(acc, settings.docs, (a, b) => compareIds(ids[a].id, ids[b].id) < 0);
  const expansion = expandQuery(counts, feedbackDocs, corpus.weighted.index, forward, settings);
  return expansion ? applyExpansion(corpus.weighted, counts, expansion, acc) : query;
}

/** Ranks every need against every solution: the shortlists, in the needs' order. */
export function rank(needs: readonly MatchRecord[], solutions: readonly MatchRecord[], options: Partial<RankOptions> = {}): NeedResult[] {
  const opts: RankOptions = { ...DEFAULT_RANK_OPTIONS, ...options };
  const corpus = prepareSolutions(solutions, opts);
  const scratch = createScratch(corpus);
  const first = firstOfSame(needs, (i) => hasOwnConstraints(opts.constrain?.(needs[i]) ?? {}));
  const results: NeedResult[] = [];
  needs.forEach((need, i) => results.push(first[i] === i ? rankNeed(corpus, need, opts, scratch) : repeatedResult(results[first[i]], need)));
  return results;
}
