import { inputError } from '../../errors.js';
import { prepareSolutions } from '../../rank/corpus.js';
import { explainPair } from '../../rank/explain-pair.js';
import { renderExplanation } from '../../render/explanation.js';
import { writeStdout } from '../../io/write-output.js';
import { loadInputs } from '../load-inputs.js';
import { resolveRankOptions } from '../scoring-settings.js';

type Opts = Record<string, unknown>;

export async function runExplain(needId: string, solutionId: string, needsPath: string, solutionsPath: string, opts: Opts): Promise<void> {
  const { options, config } = await resolveRankOptions(opts);
  const { needs, solutions } = await loadInputs(needsPath, solutionsPath, opts, config);
  const need = needs.records.find((r) => r.id === needId);
  if (!need) throw inputError(needs.file, undefined, `no need with id '${needId}'`);
  const doc = solutions.records.findIndex((r) => r.id === solutionId);
  if (doc < 0) throw inputError(solutions.file, undefined, `no solution with id '${solutionId}'`);
  const explanation = explainPair(prepareSolutions(solutions.records, options), need, doc, options);
  await writeStdout(opts.format === 'json' ? `${JSON.stringify(explanation, null, 2)}\n` : renderExplanation(explanation));
}
