import { usageError } from '../../errors.js';
import type { MatchConfig } from '../../config.js';
import type { TextModelSettings } from '../../index/text-model.js';
import { prepareSolutions } from '../../rank/corpus.js';
import { createScratch, scoreCandidates, type RankOptions } from '../../rank/rank.js';
import { tune, type CandidateSignals, type Variant } from '../../eval/tune.js';
import type { MatchRecord } from '../../model.js';
import { readLabels } from '../../io/read-labels.js';
import { writeOutputFile, writeStdout } from '../../io/write-output.js';
import { loadInputs } from '../load-inputs.js';
import { applyConstraints, parseConstraintFlags } from '../constraint-settings.js';
import { resolveRankOptions } from '../scoring-settings.js';
import { parseCount } from '../parse-options.js';

type Opts = Record<string, unknown>;

/** Text-model settings to try: the current one first, then title weights and length normalisation around it. */
export function modelVariants(base: TextModelSettings): TextModelSettings[] {
  const out: TextModelSettings[] = [base];
  const add = (s: TextModelSettings) => {
    if (!out.some((o) => JSON.stringify(o) === JSON.stringify(s))) out.push(s);
  };
  // Cosine TF-IDF normalises length by itself; b only matters to the probabilistic models.
  const lengthSettings = base.model === 'tfidf' ? [base.b] : [0.5, 0.75, 0.9];
  for (const titleWeight of [1, 2, 3]) for (const b of lengthSettings) add({ ...base, titleWeight, b });
  return out;
}

/** Every labelled need's candidates with unblended signals, under one text model. */
function candidateSignals(needs: readonly MatchRecord[], solutions: readonly MatchRecord[], options: RankOptions): Map<string, CandidateSignals[]> {
  const corpus = prepareSolutions(solutions, options);
  const scratch = createScratch(corpus);
  const out = new Map<string, CandidateSignals[]>();
  // Every signal on, so any weight setting can be blended afterwards.
  const all = { ...options, weights: { text: 1, tags: 1, sector: 1 } };
  for (const need of needs) {
    const list: CandidateSignals[] = [];
    // The same filters as match rank (per-need requirements, --where, exclusions).
    const admit = options.constrain?.(need).admit;
    scoreCandidates(corpus, need, all, scratch, (d, text, tags, sector) => {
      if (!admit || admit(d)) list.push({ id: corpus.solutions[d].id, text, tags, sector });
    });
    out.set(need.id, list);
  }
  return out;
}

const fmt = (w: { text: number; tags: number; sector: number }) => `text=${w.text},tags=${w.tags},sector=${w.sector}`;

export async function runTune(needsPath: string, solutionsPath: string, labelsPath: string, opts: Opts): Promise<void> {
  const { options: base, config } = await resolveRankOptions(opts);
  const k = parseCount(String(opts.k ?? '10'), '--k', 1);
  const folds = parseCount(String(opts.folds ?? '5'), '--folds', 2);
  const { needs, solutions } = await loadInputs(needsPath, solutionsPath, opts, config);
  const labels = await readLabels(labelsPath);
  const labelled = needs.records.filter((n) => labels.has(n.id));
  if (labelled.length < folds) throw usageError(`only ${labelled.length} needs have labels; need at least --folds (${folds})`);

  const constrained = (await applyConstraints(parseConstraintFlags(opts), needs, solutions, base, opts)).options;
  const variants: Variant<TextModelSettings>[] = modelVariants(base.textModel).map((textModel) => ({
    settings: textModel,
    candidates: candidateSignals(labelled, solutions.records, { ...constrained, textModel }),
  }));
  const result = tune(variants, base.weights, labels, { k, folds });

  const best: MatchConfig = { weights: result.best.weights, model: result.best.settings };
  const lines = [
    `${labelled.length} labelled needs, ${result.folds}-fold cross-validation over needs, ${result.evaluated} settings tried`,
    `default  nDCG@${k} ${result.defaultScore.toFixed(4)}  (${fmt(base.weights)}, ${JSON.stringify(base.textModel)})`,
    `tuned    nDCG@${k} ${result.heldOutScore.toFixed(4)} held out  (each fold's choice scored on needs it did not see)`,
    `best on all labelled needs: nDCG@${k} ${result.bestScore.toFixed(4)} with ${fmt(result.best.weights)}, ${JSON.stringify(result.best.settings)}`,
  ];
  if (result.heldOutScore <= result.defaultScore) lines.push('the tuned setting does not beat the default on held-out needs: keep the default, or label more needs');
  await writeStdout(`${lines.join('\n')}\n`);
  const out = typeof opts.writeConfig === 'string' ? opts.writeConfig : undefined;
  if (out) {
    await writeOutputFile(out, `${JSON.stringify(best, null, 2)}\n`);
    if (!opts.quiet) process.stderr.write(`wrote ${out}: use it with match rank --config ${out}\n`);
  }
}

