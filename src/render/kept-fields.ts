import type { MatchRecord, NeedResult } from '../model.js';
import { usageError } from '../errors.js';
import { findColumn } from '../io/columns.js';

/**
 * `--keep website,region` and `--keep-need company`: source columns carried
 * through to every output, so a shortlist holds contacts and context. Pure.
 */

/** A source column and the output column it becomes. */
export interface KeptColumn {
  source: string;
  output: string;
}

/**
 * Finds the wanted columns loosely, as the column flags do. Need columns are
 * written as `need_<name>`; a solution column keeps its name unless that is
 * taken (by a standard column or a need's), then it is `solution_<name>`.
 */
export function resolveKeptColumns(wanted: readonly string[], columns: readonly string[], flag: string, file: string, side: 'need' | 'solution', taken: readonly string[]): KeptColumn[] {
  const used = new Set(taken);
  const kept: KeptColumn[] = [];
  for (const name of wanted) {
    const source = findColumn(columns, name);
    if (source === undefined) throw usageError(`${flag} ${name}: ${file} has no such column; its columns are ${columns.join(', ')}`);
    if (kept.some((k) => k.source === source)) continue;
    let output = side === 'need' ? `need_${source}` : source;
    if (used.has(output)) output = `${side}_${source}`;
    if (used.has(output)) throw usageError(`${flag} ${name}: the output already has a column '${output}'; keep it once`);
    used.add(output);
    kept.push({ source, output });
  }
  return kept;
}

const pickFields = (record: MatchRecord | undefined, kept: readonly KeptColumn[]): Record<string, string> =>
  Object.fromEntries(kept.map((k) => [k.output, record?.fields[k.source] ?? '']));

/** Results with the kept fields attached: need fields on each need, solution fields on each match. */
export function attachKeptFields(results: readonly NeedResult[], needs: readonly MatchRecord[], solutions: readonly MatchRecord[], keepNeed: readonly KeptColumn[], keepSolution: readonly KeptColumn[]): NeedResult[] {
  if (keepNeed.length === 0 && keepSolution.length === 0) return [...results];
  const needById = new Map(needs.map((r) => [r.id, r]));
  const solutionById = new Map(solutions.map((r) => [r.id, r]));
  return results.map((need) => ({
    ...need,
    ...(keepNeed.length ? { extra: { ...need.extra, ...pickFields(needById.get(need.needId), keepNeed) } } : {}),
    matches: keepSolution.length ? need.matches.map((m) => ({ ...m, extra: { ...m.extra, ...pickFields(solutionById.get(m.solutionId), keepSolution) } })) : need.matches,
  }));
}
