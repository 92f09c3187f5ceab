import type { MatchRecord } from '../model.js';
import { inputError } from '../errors.js';
import { columnKey, type ColumnMapping } from '../io/columns.js';
import { parseStage, type Stage } from './stage.js';
import { foldValue, numbersOf, parseCellNumber, resolveField, valuesOf, type FieldRef } from './values.js';
import { splitMulti } from '../io/records.js';

/**
 * Per-need requirements: columns of the needs file that say what a need
 * accepts, applied pair by pair. Recognised (names compared loosely):
 *
 *   min_trl, trl_min, required_trl, trl_minimo …      stage: TRL at least this (see --stage)
 *   min_stage, stage_min, required_stage, fase_minima  stage: funding stage at least this (idea … series A … growth)
 *   regions, regioni, required_regions, allowed_regions, regioni_ammesse
 *                                                      the solution's region is one of these
 *   min_X, X_min, X_minimo, X_minima                   the solution's column X is at least this (min_employees)
 *   max_X, X_max, X_massimo, X_massima                 the solution's column X is at most this (max_employees)
 *
 * A need's own `region` (where the firm is) is not a requirement. An empty
 * cell asks for nothing. A requirement naming a column the solutions lack is
 * ignored with a warning.
 */

const NEED_STAGE_KEYS = ['min_trl', 'trl_min', 'trl_minimo', 'trl_minima', 'minimum_trl', 'required_trl', 'trl_richiesto', 'min_stage', 'stage_min', 'minimum_stage', 'required_stage', 'min_funding_stage', 'fase_minima', 'stadio_minimo'];
const NEED_REGION_KEYS = ['regions', 'regioni', 'required_regions', 'allowed_regions', 'target_regions', 'regioni_ammesse', 'regioni_richieste'];
const SOLUTION_REGION_KEYS = ['region', 'regione', 'regions', 'regioni'];
/** Columns of the solutions file that state a stage, on either scale. */
const SOLUTION_STAGE_KEYS = ['trl', 'trl_level', 'technology_readiness_level', 'livello_trl', 'maturita_tecnologica', 'stage', 'funding_stage', 'investment_stage', 'fase', 'stadio', 'fase_di_sviluppo', 'round'];

const MIN = /^(?:min|minimum)_(.+)$|^(.+)_(?:min|minimo|minima|minimum)$/;
const MAX = /^(?:max|maximum)_(.+)$|^(.+)_(?:max|massimo|massima|maximum)$/;

export interface RangeRule {
  needColumn: string;
  field: FieldRef;
  op: '>=' | '<=';
}

export interface SetRule {
  needColumn: string;
  field: FieldRef;
}

/** Which needs columns are requirements, and on what solution columns. */
export interface RequirementColumns {
  stage: string[];
  ranges: RangeRule[];
  sets: SetRule[];
  /** Columns of the solutions file that hold a stage. */
  solutionStage: string[];
  /** Requirement-like needs columns that cannot apply, and why (warnings). */
  ignored: string[];
}

export function detectRequirements(needColumns: readonly string[], solutionColumns: readonly string[], solutionMapping: ColumnMapping): RequirementColumns {
  const out: RequirementColumns = { stage: [], ranges: [], sets: [], solutionStage: [], ignored: [] };
  const solutionByKey = (keys: readonly string[]) => solutionColumns.filter((c) => keys.includes(columnKey(c)));
  out.solutionStage = solutionByKey(SOLUTION_STAGE_KEYS);
  const regionColumn = solutionByKey(SOLUTION_REGION_KEYS)[0];
  for (const column of needColumns) {
    const key = columnKey(column);
    if (NEED_STAGE_KEYS.includes(key)) {
      if (out.solutionStage.length > 0) out.stage.push(column);
      else out.ignored.push(`column '${column}' asks for a minimum stage, but the solutions have no trl or stage column; ignored`);
      continue;
    }
    if (NEED_REGION_KEYS.includes(key)) {
      if (regionColumn !== undefined) out.sets.push({ needColumn: column, field: { kind: 'column', column: regionColumn } });
      else out.ignored.push(`column '${column}' lists regions, but the solutions have no region column; ignored`);
      continue;
    }
    const m = MIN.exec(key) ?? MAX.exec(key);
    if (!m) continue;
    const target = m[1] ?? m[2];
    const field = resolveField(target, solutionColumns, solutionMapping);
    if (!field || field.kind !== 'column') {
      out.ignored.push(`column '${column}' looks like a requirement on '${target}', but the solutions have no such column; ignored`);
      continue;
    }
    out.ranges.push({ needColumn: column, field, op: MIN.test(key) ? '>=' : '<=' });
  }
  return out;
}

/** What one need requires, read from its cells. */
export interface NeedRequirements {
  stage: Stage[];
  ranges: { rule: RangeRule; limit: number }[];
  sets: { rule: SetRule; values: Set<string> }[];
}

export const NO_REQUIREMENTS: NeedRequirements = { stage: [], ranges: [], sets: [] };

/** Where a bad cell is, for `file:line:column` messages. */
export type CellLocator = (record: MatchRecord, column: string) => { file: string; line: number; column?: number };

/** Reads a need's requirement cells; a cell that cannot be read is an input error (exit 3) naming it. */
export function needRequirements(need: MatchRecord, columns: RequirementColumns, locate: CellLocator): NeedRequirements {
  const cell = (column: string) => (need.fields[column] ?? '').trim();
  const fail = (column: string, message: string) => {
    const at = locate(need, column);
    return inputError(at.file, at.line, message, at.column);
  };
  const stage: Stage[] = [];
  for (const column of columns.stage) {
    const text = cell(column);
    if (!text) continue;
    const s = parseStage(text);
    if (!s) throw fail(column, `${column} '${text}' is not a stage; write a TRL from 1 to 9 or a funding stage (idea, pre-seed, seed, series A, series B, series C, growth, public), or leave it empty`);
    stage.push(s);
  }
  const ranges: NeedRequirements['ranges'] = [];
  for (const rule of columns.ranges) {
    const text = cell(rule.needColumn);
    if (!text) continue;
    const limit = parseCellNumber(text);
    if (limit === null) throw fail(rule.needColumn, `${rule.needColumn} '${text}' is not a number; write a number (a decimal comma is fine) or leave it empty`);
    ranges.push({ rule, limit });
  }
  const sets: NeedRequirements['sets'] = [];
  for (const rule of columns.sets) {
    const values = splitMulti(cell(rule.needColumn)).map(foldValue);
    if (values.length > 0) sets.push({ rule, values: new Set(values) });
  }
  return stage.length || ranges.length || sets.length ? { stage, ranges, sets } : NO_REQUIREMENTS;
}

/** The solution's stages, from every stage column it fills; values that are no stage are unknown. */
export function solutionStages(solution: MatchRecord, columns: RequirementColumns): Stage[] {
  const out: Stage[] = [];
  for (const column of columns.solutionStage) {
    const s = parseStage(solution.fields[column] ?? '');
    if (s) out.push(s);
  }
  return out;
}

/** True when the solution meets the need's range and set requirements (stage is decided by --stage). */
export function meetsRequirements(req: NeedRequirements, solution: MatchRecord): boolean {
  for (const { rule, limit } of req.ranges) {
    const numbers = numbersOf(solution, rule.field);
    if (!numbers.some((n) => (rule.op === '>=' ? n >= limit : n <= limit))) return false;
  }
  for (const { rule, values } of req.sets) {
    if (!valuesOf(solution, rule.field).some((v) => values.has(foldValue(v)))) return false;
  }
  return true;
}

/** "min_trl, max_employees" for the stderr summary. */
export function describeRequirements(columns: RequirementColumns): string {
  return [...columns.stage, ...columns.ranges.map((r) => r.needColumn), ...columns.sets.map((s) => s.needColumn)].join(', ');
}
