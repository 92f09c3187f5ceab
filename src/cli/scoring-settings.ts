import { DEFAULT_RANK_OPTIONS, type RankOptions } from '../rank/rank.js';
import type { TextModelName } from '../index/text-model.js';
import type { LanguageOption } from '../text/language.js';
import { parseCount, parseFraction, parseNumber, parseWeights } from './parse-options.js';

type Opts = Record<string, unknown>;

/** Rank options from the scoring flags (see addScoringOptions), over the defaults. */
export function rankOptionsFrom(opts: Opts, base: RankOptions = DEFAULT_RANK_OPTIONS): RankOptions {
  const textModel = { ...base.textModel };
  if (typeof opts.model === 'string') textModel.model = opts.model as TextModelName;
  if (typeof opts.k1 === 'string') textModel.k1 = parseNumber(opts.k1, '--k1');
  if (typeof opts.b === 'string') textModel.b = parseFraction(opts.b, '--b');
  if (typeof opts.titleWeight === 'string') textModel.titleWeight = parseNumber(opts.titleWeight, '--title-weight');
  return {
    ...base,
    weights: typeof opts.weights === 'string' ? parseWeights(opts.weights, base.weights) : base.weights,
    lang: (opts.lang as LanguageOption | undefined) ?? base.lang,
    textModel,
    top: typeof opts.top === 'string' ? parseCount(opts.top, '--top', 1) : base.top,
    minScore: typeof opts.minScore === 'string' ? parseFraction(opts.minScore, '--min-score') : base.minScore,
  };
}
