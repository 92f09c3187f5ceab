import type { NeedResult } from '../model.js';
import { usageError } from '../errors.js';
import type { Dataset } from '../io/load-dataset.js';
import type { RankOptions } from '../rank/rank.js';
import { rankParallel, type ParallelSettings } from '../parallel/rank-parallel.js';
import { parseCondition, describeCondition, type Condition } from '../constraints/where.js';
import { STAGE_MODES, type StageMode } from '../constraints/stage.js';
import { compilePairRules, describeUnknown, NO_PAIR_RULES, type PairRules } from '../constraints/pairs.js';
import { detectRequirements, describeRequirements, type CellLocator } from '../constraints/requirements.js';
import { compileConstraints, resolveConditions, type CompiledConstraints } from '../constraints/need-constraints.js';
import type { Plan, PlanSettings } from '../assign/plan.js';
import { parseCount, parseFraction, parseWeights } from './parse-options.js';

type Opts = Record<string, unknown>;

/** Weight of the stage signal under `--stage signal` when --weights does not set one: a minor signal, like sector. */
export const DEFAULT_STAGE_WEIGHT = 0.15;
/** Candidates per need that diversity, capacity and assign choose from. */
export const DEFAULT_CANDIDATES = 50;

/** The flags about filters, pairs, diversity and capacity, checked before any file is read. */
export interface ConstraintFlags {
  where: Condition[];
  /** Null: decided from --weights (see stageMode). */
  stage: StageMode | null;
  requirements: boolean;
  pairs: string | undefined;
  capacity: number | undefined;
  diversity: number;
  candidates: number;
}

export function parseConstraintFlags(opts: Opts): ConstraintFlags {
  const where = Array.isArray(opts.where) ? (opts.where as string[]).map(parseCondition) : [];
  const stage = typeof opts.stage === 'string' ? (opts.stage as StageMode) : null;
  if (stage !== null && !STAGE_MODES.includes(stage)) throw usageError(`--stage: expected ${STAGE_MODES.join(', ')}, got '${stage}'`);
  return {
    where,
    stage,
    requirements: opts.requirements !== false,
    pairs: typeof opts.pairs === 'string' ? opts.pairs : undefined,
    capacity: typeof opts.capacity === 'string' ? parseCount(opts.capacity, '--capacity', 1) : undefined,
    diversity: typeof opts.diversity === 'string' ? parseFraction(opts.diversity, '--diversity') : 0,
    candidates: typeof opts.candidates === 'string' ? parseCount(opts.candidates, '--candidates', 1) : DEFAULT_CANDIDATES,
  };
}

/**
 * --stage, else `signal` when --weights gives stage a weight, else `filter`:
 * a need's minimum stage is a minimum unless asked otherwise.
 */
export function stageMode(flags: ConstraintFlags, options: RankOptions): StageMode {
  const weight = options.weights.stage ?? 0;
  if (flags.stage === null) return weight > 0 ? 'signal' : 'filter';
  if (flags.stage !== 'signal' && weight > 0) throw usageError(`--weights stage=${weight} blends the stage as a signal, but --stage is ${flags.stage}; use --stage signal or drop stage from --weights`);
  return flags.stage;
}

/** Columns these flags add at the end of every row, only when used. */
export function constraintColumns(opts: Opts): string[] {
  const stageWeighted = typeof opts.weights === 'string' && (parseWeights(opts.weights).stage ?? 0) > 0;
  const signal = opts.stage === 'signal' || (opts.stage === undefined && stageWeighted);
  return [...(signal ? ['stage_score'] : []), ...(typeof opts.pairs === 'string' ? ['pinned'] : [])];
}

/** Where a record's cell is: `file:line:column` for CSV, `file:record` for JSON. */
export function cellLocator(needs: Dataset, solutions: Dataset): CellLocator {
  return (record, column) => {
    const dataset = needs.records.includes(record) ? needs : solutions;
    const index = dataset.columns.indexOf(column);
    return { file: dataset.file, line: record.line, column: dataset.format === 'csv' && index >= 0 ? index + 1 : undefined };
  };
}

const say = (opts: Opts, line: string) => {
  if (!opts.quiet) process.stderr.write(`${line}\n`);
};

/**
 * Reads the pairs file, resolves the filters against the solutions' columns,
 * detects the needs' requirement columns, and returns rank options that apply
 * them all. Reports what applies on stderr (unless --quiet).
 */
export async function applyConstraints(flags: ConstraintFlags, needs: Dataset, solutions: Dataset, options: RankOptions, opts: Opts): Promise<{ options: RankOptions; compiled: CompiledConstraints; pairs: PairRules }> {
  const mode = stageMode(flags, options);
  const weights = mode === 'signal' && options.weights.stage === undefined ? { ...options.weights, stage: DEFAULT_STAGE_WEIGHT } : options.weights;
  const where = resolveConditions(flags.where, solutions.file, solutions.columns, solutions.mapping);

  let pairs = NO_PAIR_RULES;
  if (flags.pairs !== undefined) {
    // The pairs reader and the planner below are loaded only when their flags are used: start-up time.
    const { readPairRules } = await import('../io/pairs-file.js');
    const rules = await readPairRules(flags.pairs);
    pairs = compilePairRules(rules, new Set(needs.records.map((r) => r.id)), new Set(solutions.records.map((r) => r.id)));
    let excluded = 0;
    let pinned = 0;
    for (const set of pairs.excluded.values()) excluded += set.size;
    for (const set of pairs.pinned.values()) pinned += set.size;
    say(opts, `${flags.pairs}: ${excluded} pair${excluded === 1 ? '' : 's'} excluded, ${pinned} pinned`);
    for (const u of pairs.unknown) say(opts, `warning: ${describeUnknown(u)}`);
  }

  const requirements = flags.requirements ? detectRequirements(needs.columns, solutions.columns, solutions.mapping) : null;
  if (requirements) for (const w of requirements.ignored) say(opts, `warning: ${needs.file}: ${w}`);
  const effectiveMode = requirements && requirements.stage.length > 0 ? mode : 'off';
  const compiled = compileConstraints(needs.records, solutions.records, { where, requirements, stage: effectiveMode, pairs }, cellLocator(needs, solutions));

  if (where.length > 0) {
    say(opts, `--where ${where.map((w) => describeCondition(w.condition, w.field)).join(' and ')}: ${compiled.passing} of ${solutions.records.length} solutions pass`);
  }
  if (requirements && compiled.needsWithRequirements > 0) {
    const stage = requirements.stage.length > 0 ? ` (stage as ${effectiveMode}; change with --stage signal|filter|off)` : '';
    say(opts, `${needs.file}: requirements from ${describeRequirements(requirements)} for ${compiled.needsWithRequirements} of ${needs.records.length} needs${stage}`);
  }
  return { options: { ...options, weights, constrain: compiled.constrain }, compiled, pairs };
}

/**
 * `match rank` under the constraint flags: plain ranking when none is used
 * (per-need requirements still apply), shortlists planned across needs with
 * --capacity or --diversity.
 */
export async function rankUnderConstraints(flags: ConstraintFlags, needs: Dataset, solutions: Dataset, options: RankOptions, opts: Opts, parallel: ParallelSettings = {}): Promise<NeedResult[]> {
  const applied = await applyConstraints(flags, needs, solutions, options, opts);
  if (flags.capacity === undefined && flags.diversity === 0) return rankParallel(needs.records, solutions.records, applied.options, parallel);
  // The planner indexes the solutions itself: a worker analysing them early would only compete with it.
  parallel.early?.stop();
  const capacity = flags.capacity;
  const settings: PlanSettings = {
    demandOf: () => options.top,
    capacityOf: capacity === undefined ? null : () => capacity,
    candidates: flags.candidates,
    diversity: flags.diversity,
    alternates: 0,
  };
  const { planShortlists } = await import('../assign/plan.js');
  const plan = planShortlists(needs.records, solutions.records, applied.options, settings);
  if (capacity !== undefined) reportCapacity(plan, capacity, options.top, opts);
  return plan.results;
}

function reportCapacity(plan: Plan, capacity: number, top: number, opts: Opts): void {
  let capped = 0;
  for (const used of plan.load.values()) if (used >= capacity) capped++;
  const short = plan.needs.filter((p) => p.chosen.length < Math.min(top, p.ranking.length));
  say(opts, `--capacity ${capacity}: ${capped} solution${capped === 1 ? '' : 's'} at capacity; ${short.length} need${short.length === 1 ? '' : 's'} got fewer than ${top} because their candidates were full${short.length ? ` (${short.slice(0, 10).map((p) => p.need.id).join(', ')}${short.length > 10 ? ', …' : ''})` : ''}`);
  for (const [doc, pins] of plan.overPinned) say(opts, `warning: ${plan.corpus.solutions[doc].id} is pinned to ${pins} needs, above --capacity ${capacity}; every pin is kept`);
}
