import type { MatchRecord } from '../model.js';
import { usageError } from '../errors.js';
import type { ColumnMapping } from '../io/columns.js';
import type { NeedConstraints } from '../rank/rank.js';
import { compareIds } from '../rank/compare-ids.js';
import { FIELD_ROLES, resolveField, type FieldRef } from './values.js';
import { testCondition, type Condition } from './where.js';
import { NO_PAIR_RULES, type PairRules } from './pairs.js';
import { NO_REQUIREMENTS, meetsRequirements, needRequirements, solutionStages, type CellLocator, type NeedRequirements, type RequirementColumns } from './requirements.js';
import { meetsStage, stageScore, type Stage, type StageMode } from './stage.js';

/**
 * Everything that decides which solutions a need may get, and which it must:
 * `--where` filters, per-need requirements, the stage, and pair rules. Built
 * once, before ranking, so every bad cell is reported before any work.
 */

export interface ResolvedCondition {
  condition: Condition;
  field: FieldRef;
}

export interface ConstraintSettings {
  where: readonly ResolvedCondition[];
  /** Null: per-need requirement columns are not read (`--no-requirements`). */
  requirements: RequirementColumns | null;
  stage: StageMode;
  pairs: PairRules;
}

export const NO_CONSTRAINTS: ConstraintSettings = { where: [], requirements: null, stage: 'off', pairs: NO_PAIR_RULES };

/** Finds each condition's column among the solutions' columns or roles; an unknown column is a usage error (exit 2). */
export function resolveConditions(conditions: readonly Condition[], file: string, columns: readonly string[], mapping: ColumnMapping): ResolvedCondition[] {
  return conditions.map((condition) => {
    const field = resolveField(condition.column, columns, mapping);
    if (!field) {
      throw usageError(`--where '${condition.source}': ${file} has no column '${condition.column}'; the columns are ${columns.join(', ')} (or a role: ${FIELD_ROLES.join(', ')})`);
    }
    return { condition, field };
  });
}

/** The constraints of every need, ready for `rank` (see RankOptions.constrain), and what they let through. */
export interface CompiledConstraints {
  constrain: (need: MatchRecord) => NeedConstraints;
  /** 1 for each solution (by position) passing every `--where` filter. */
  passes: Uint8Array;
  /** How many pass. */
  passing: number;
  /** Needs with at least one requirement read from their cells. */
  needsWithRequirements: number;
}

export function compileConstraints(
  needs: readonly MatchRecord[],
  solutions: readonly MatchRecord[],
  settings: ConstraintSettings,
  locate: CellLocator,
): CompiledConstraints {
  const passes = new Uint8Array(solutions.length);
  let passing = 0;
  solutions.forEach((s, d) => {
    if (settings.where.every(({ condition, field }) => testCondition(condition, field, s))) {
      passes[d] = 1;
      passing++;
    }
  });
  const docOf = new Map(solutions.map((s, d) => [s.id, d] as const));
  const columns = settings.requirements;
  const stages: Stage[][] = columns && settings.stage !== 'off' ? solutions.map((s) => solutionStages(s, columns)) : [];

  // Read every need's cells now, so a bad one stops the run before ranking starts.
  const byNeed = new Map<string, NeedRequirements>();
  let needsWithRequirements = 0;
  for (const need of needs) {
    const req = columns ? needRequirements(need, columns, locate) : NO_REQUIREMENTS;
    if (req !== NO_REQUIREMENTS) needsWithRequirements++;
    byNeed.set(need.id, req);
  }

  const constrain = (need: MatchRecord): NeedConstraints => {
    const req = byNeed.get(need.id) ?? NO_REQUIREMENTS;
    const excluded = settings.pairs.excluded.get(need.id);
    const stageFilter = settings.stage === 'filter' && req.stage.length > 0;
    const checksRequirements = req.ranges.length > 0 || req.sets.length > 0;
    const out: NeedConstraints = {};
    if (settings.where.length > 0 || excluded || stageFilter || checksRequirements) {
      out.admit = (d) =>
        passes[d] === 1 &&
        !excluded?.has(solutions[d].id) &&
        (!checksRequirements || meetsRequirements(req, solutions[d])) &&
        (!stageFilter || meetsStage(req.stage, stages[d]));
    }
    if (settings.stage === 'signal' && req.stage.length > 0) out.stage = (d) => stageScore(req.stage, stages[d]);
    const pinned = settings.pairs.pinned.get(need.id);
    if (pinned) out.pinned = [...pinned].sort(compareIds).map((id) => docOf.get(id)!);
    return out;
  };
  return { constrain, passes, passing, needsWithRequirements };
}
