import { DEFAULT_WEIGHTS, type Match, type MatchRecord, type NeedResult, type Weights } from '../model.js';
import { DEFAULT_TEXT_MODEL, buildQuery, termContributions, type Query, type TextModelSettings } from '../index/text-model.js';
import { accumulateText, createAccumulator, type Accumulator } from '../index/accumulate.js';
import { commonestForm, surfaceForms } from '../text/analyze.js';
import type { LanguageOption } from '../text/language.js';
import type { Language } from '../text/stopwords.js';
import { sharedTags, tagKeys, tagScore } from '../score/tags.js';
import { sectorPairScore, sectorScore } from '../score/sector.js';
import { blendScores } from '../score/blend.js';
import { compareIds, roundScore } from './compare-ids.js';
import { TopK } from './top-k.js';
import { needTermCounts, parseSectors, prepareSolutions, type SolutionCorpus } from './corpus.js';

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
}

export const DEFAULT_RANK_OPTIONS: RankOptions = {
  top: 10,
  minScore: 0,
  weights: DEFAULT_WEIGHTS,
  lang: 'auto',
  textModel: DEFAULT_TEXT_MODEL,
  topTerms: 5,
};

interface Candidate {
  doc: number;
  id: string;
  score: number;
  text: number;
  tags: number | null;
  sector: number | null;
}

const better = (a: Candidate, b: Candidate): boolean => a.score > b.score || (a.score === b.score && compareIds(a.id, b.id) < 0);

/** Per-need scratch state, reused across needs to avoid reallocating per query. */
export interface RankScratch {
  acc: Accumulator;
  seen: Uint8Array;
}

export function createScratch(corpus: SolutionCorpus): RankScratch {
  return { acc: createAccumulator(corpus.solutions.length), seen: new Uint8Array(corpus.solutions.length) };
}

/** Ranks all solutions for one need: every solution with a positive blended score is a candidate. */
export function rankNeed(corpus: SolutionCorpus, need: MatchRecord, options: RankOptions, scratch = createScratch(corpus)): NeedResult {
  const { weights } = options;
  const { lang, counts } = needTermCounts(need, options);
  const query = buildQuery(corpus.weighted, counts);
  const { acc, seen } = scratch;
  accumulateText(corpus.weighted, query, acc);

  // Candidates: any solution with text in common, a shared tag, or sector credit.
  const candidates: number[] = Array.from(acc.touched.subarray(0, acc.count));
  for (const d of candidates) seen[d] = 1;
  const add = (d: number) => {
    if (!seen[d]) { seen[d] = 1; candidates.push(d); }
  };
  const needTags = tagKeys(need.tags);
  if (weights.tags > 0) for (const key of needTags.keys()) for (const d of corpus.tagPostings.get(key) ?? []) add(d);
  const needSectors = parseSectors(need.sectors);
  if (weights.sector > 0 && needSectors.length > 0) {
    for (const group of corpus.sectorGroups) {
      if (needSectors.some((s) => sectorPairScore(s, group.sector) > 0)) for (const d of group.docs) add(d);
    }
  }

  const top = new TopK<Candidate>(options.top, better);
  for (const d of candidates) {
    seen[d] = 0;
    const text = Math.min(1, acc.scores[d]);
    const tags = weights.tags > 0 ? tagScore(needTags, corpus.tagKeys[d], corpus.tagWeights) : null;
    const sector = weights.sector > 0 ? sectorScore(needSectors, corpus.sectors[d]) : null;
    const score = roundScore(blendScores({ text, tags, sector }, weights));
    if (score <= 0 || score < options.minScore) continue;
    top.push({ doc: d, id: corpus.solutions[d].id, score, text, tags, sector });
  }

  const needForms = surfaceForms(`${need.title}\n${need.text}`, lang);
  const matches: Match[] = top.sorted().map((c, i) => {
    const solution = corpus.solutions[c.doc];
    return {
      solutionId: solution.id,
      solutionName: solution.name,
      rank: i + 1,
      score: c.score,
      textScore: roundScore(c.text),
      tagScore: c.tags === null ? null : roundScore(c.tags),
      sectorScore: c.sector === null ? null : roundScore(c.sector),
      sharedTags: sharedTags(needTags, corpus.tagKeys[c.doc]),
      topTerms: topTerms(corpus, query, c.doc, needForms, corpus.langs[c.doc], options.topTerms),
    };
  });
  return { needId: need.id, needTitle: need.name, matches };
}

/** The words that contributed most to a pair's text score, as they are written in the pair's texts. */
function topTerms(corpus: SolutionCorpus, query: Query, doc: number, needForms: Map<string, Map<string, number>>, lang: Language, limit: number): string[] {
  if (limit <= 0) return [];
  const contributions = termContributions(corpus.weighted, query, doc);
  const terms = corpus.weighted.index.terms;
  contributions.sort((a, b) => b.contribution - a.contribution || compareIds(terms[a.termId], terms[b.termId]));
  const solution = corpus.solutions[doc];
  const forms = surfaceForms(`${solution.title}\n${solution.text}`, lang);
  const words: string[] = [];
  for (const { termId } of contributions.slice(0, limit)) {
    const stem = terms[termId];
    const merged = new Map(needForms.get(stem));
    for (const [form, n] of forms.get(stem) ?? []) merged.set(form, (merged.get(form) ?? 0) + n);
    words.push(commonestForm(merged, stem));
  }
  return words;
}

/** Ranks every need against every solution: the shortlists, in the needs' order. */
export function rank(needs: readonly MatchRecord[], solutions: readonly MatchRecord[], options: Partial<RankOptions> = {}): NeedResult[] {
  const opts: RankOptions = { ...DEFAULT_RANK_OPTIONS, ...options };
  const corpus = prepareSolutions(solutions, opts);
  const scratch = createScratch(corpus);
  return needs.map((need) => rankNeed(corpus, need, opts, scratch));
}
