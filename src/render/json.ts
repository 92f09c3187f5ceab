import type { NeedResult } from '../model.js';
import { matchRow, pickColumns, type OutputRow } from './rows.js';

/** Per-pair columns, without the need's own fields repeated inside `matches`. */
function matchColumns(columns: readonly string[]): string[] {
  return columns.filter((c) => c !== 'need_id' && c !== 'need_title');
}

/** `[{need_id, need_title, matches: [...]}]`, every need present even with no match. */
export function renderJson(results: readonly NeedResult[], columns: readonly string[]): string {
  // Fields kept from the needs (--keep-need) sit beside need_id, not in every match.
  const needFields = new Set(results.flatMap((need) => Object.keys(need.extra ?? {})));
  const perMatch = matchColumns(columns).filter((c) => !needFields.has(c));
  const needs = results.map((need) => ({
    need_id: need.needId,
    need_title: need.needTitle,
    ...need.extra,
    matches: need.matches.map((m) => pickColumns(matchRow(need, m), perMatch)),
    ...(need.gaps ? { gaps: need.gaps } : {}),
  }));
  return `${JSON.stringify(needs, null, 2)}\n`;
}

/** One JSON object per need–solution pair, the same fields as the CSV. */
export function renderJsonLines(rows: readonly OutputRow[], columns: readonly string[]): string {
  return rows.map((r) => JSON.stringify(pickColumns(r, columns))).join('\n') + (rows.length ? '\n' : '');
}
