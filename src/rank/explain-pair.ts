import type { MatchRecord } from '../model.js';
import { blendScores } from '../score/blend.js';
import { tagKeys } from '../score/tags.js';
import { roundScore } from './compare-ids.js';
import type { SolutionCorpus } from './corpus.js';
import { createScratch, scoreCandidates, type RankOptions } from './rank.js';
import { needOnlyQuery, recordForms, termBreakdown } from './term-breakdown.js';
import { explanationSentence, sectorRelation, signalParts, termShares, type SignalPart } from './explanation.js';

/** Everything behind one pair's score, for `match explain`. */
export interface PairExplanation {
  need: { id: string; title: string };
  solution: { id: string; name: string };
  score: number;
  signals: SignalPart[];
  /** The need's words the solution shares, with their share of the text score. */
  terms: { word: string; share: number }[];
  /** Share of the text score from related words that query expansion added. */
  relatedShare: number;
  tags: { shared: string[]; needOnly: string[]; solutionOnly: string[] };
  sector: { need: string[]; solution: string[]; relation: string; score: number | null };
  sentence: string;
}

/** Explains the score of `need` against solution number `doc` of the corpus, with the same options as ranking. */
export function explainPair(corpus: SolutionCorpus, need: MatchRecord, doc: number, options: RankOptions): PairExplanation {
  let signals = { text: 0, tags: null as number | null, sector: null as number | null };
  const prepared = scoreCandidates(corpus, need, options, createScratch(corpus), (d, text, tags, sector) => {
    if (d === doc) signals = { text, tags, sector };
  });
  const solution = corpus.solutions[doc];
  // Signals the blend leaves out for lack of data still get their score shown when the weight is 0.
  const solutionTags = corpus.tagKeys[doc];
  const needTags = tagKeys(need.tags, options.concepts);
  const parts = termBreakdown(corpus, needOnlyQuery(prepared.query, corpus, prepared.counts), doc, recordForms(need, prepared.lang, options.concepts, 'query'), options.concepts);
  const own = parts.reduce((sum, p) => sum + p.contribution, 0);
  const sector = sectorRelation(need.sectors, solution.sectors, options.concepts);
  const shared = [...needTags].filter(([key]) => solutionTags.has(key)).map(([, tag]) => tag);
  return {
    need: { id: need.id, title: need.name },
    solution: { id: solution.id, name: solution.name },
    score: roundScore(blendScores(signals, options.weights)),
    signals: signalParts(signals, options.weights),
    terms: termShares(parts, signals.text),
    relatedShare: signals.text > 0 ? Math.max(0, (signals.text - own) / signals.text) : 0,
    tags: {
      shared,
      needOnly: [...needTags].filter(([key]) => !solutionTags.has(key)).map(([, tag]) => tag),
      solutionOnly: [...solutionTags].filter(([key]) => !needTags.has(key)).map(([, tag]) => tag),
    },
    sector: { need: need.sectors, solution: solution.sectors, ...sector },
    sentence: explanationSentence(parts.slice(0, 3).map((p) => p.word), shared, options.weights.sector > 0 ? sector : null),
  };
}
