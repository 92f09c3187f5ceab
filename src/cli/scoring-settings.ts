import { DEFAULT_RANK_OPTIONS, type RankOptions } from '../rank/rank.js';
import type { TextModelName } from '../index/text-model.js';
import type { LanguageOption } from '../text/language.js';
import { parseCount, parseFraction, parseNumber, parseWeights } from './parse-options.js';
import { loadConcepts } from '../io/read-glossary.js';
import { readConfig, rankOptionsWithConfig } from './read-config.js';
import type { MatchConfig } from '../config.js';

type Opts = Record<string, unknown>;

/** Loads the concept layer the flags ask for: the built-in glossary unless --no-glossary, plus --glossary FILE. */
export async function withConcepts(options: RankOptions, opts: Opts): Promise<RankOptions> {
  const concepts = await loadConcepts({ useDefault: opts.glossary !== false, extra: typeof opts.glossary === 'string' ? opts.glossary : undefined });
  const conceptWeight = typeof opts.conceptWeight === 'string' ? parseNumber(opts.conceptWeight, '--concept-weight') : options.conceptWeight;
  return { ...options, concepts, conceptWeight };
}

/** Rank options from the scoring flags (see addScoringOptions), over the defaults. */
export function rankOptionsFrom(opts: Opts, base: RankOptions = DEFAULT_RANK_OPTIONS): RankOptions {
  const textModel = { ...base.textModel };
  if (typeof opts.model === 'string') textModel.model = opts.model as TextModelName;
  if (typeof opts.k1 === 'string') textModel.k1 = parseNumber(opts.k1, '--k1');
  if (typeof opts.b === 'string') textModel.b = parseFraction(opts.b, '--b');
  if (typeof opts.titleWeight === 'string') textModel.titleWeight = parseNumber(opts.titleWeight, '--title-weight');
  if (typeof opts.feedbackDocs === 'string') textModel.feedbackDocs = parseCount(opts.feedbackDocs, '--feedback-docs');
  if (typeof opts.feedbackTerms === 'string') textModel.feedbackTerms = parseCount(opts.feedbackTerms, '--feedback-terms');
  if (typeof opts.feedbackWeight === 'string') textModel.feedbackWeight = parseFraction(opts.feedbackWeight, '--feedback-weight');
  return {
    ...base,
    weights: typeof opts.weights === 'string' ? parseWeights(opts.weights, base.weights) : base.weights,
    lang: (opts.lang as LanguageOption | undefined) ?? base.lang,
    textModel,
    top: typeof opts.top === 'string' ? parseCount(opts.top, '--top', 1) : base.top,
    minScore: typeof opts.minScore === 'string' ? parseFraction(opts.minScore, '--min-score') : base.minScore,
  };
}

/** Everything that decides scores: defaults, then --config, then flags, then the concept layer. */
export async function resolveRankOptions(opts: Opts): Promise<{ options: RankOptions; config: MatchConfig }> {
  const config = await readConfig(opts.config as string | undefined);
  const options = await withConcepts(rankOptionsFrom(opts, rankOptionsWithConfig(config)), opts);
  return { options, config };
}
