import type { MatchRecord } from '../model.js';
import { inputError } from '../errors.js';
import { columnKey } from '../io/columns.js';
import type { CellLocator } from '../constraints/requirements.js';
import { parseCellNumber } from '../constraints/values.js';

/**
 * Places per need and per solution for `match assign`: a flag sets the same
 * number for everyone; otherwise a column sets it per record, and an empty
 * cell (or no column) takes the default.
 */

export const CAPACITY_COLUMNS = ['capacity', 'capacita', 'max_needs', 'max_meetings', 'max_incontri', 'slots', 'posti'];
export const DEMAND_COLUMNS = ['demand', 'domanda', 'places', 'slots', 'posti', 'meetings', 'incontri', 'startups_wanted'];

export function findQuotaColumn(columns: readonly string[], names: readonly string[]): string | undefined {
  for (const name of names) {
    const found = columns.find((c) => columnKey(c) === name);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** Each record's places: the column's whole number, else `fallback`. A cell that is not a whole number ≥ 0 is an input error (exit 3). */
export function quotasFrom(records: readonly MatchRecord[], column: string | undefined, fallback: number, locate: CellLocator): number[] {
  return records.map((r) => {
    const text = column ? (r.fields[column] ?? '').trim() : '';
    if (!text) return fallback;
    const n = parseCellNumber(text);
    if (n === null || !Number.isInteger(n) || n < 0) {
      const at = locate(r, column!);
      throw inputError(at.file, at.line, `${column} '${text}' is not a whole number; write 0 or more, or leave it empty for ${fallback}`, at.column);
    }
    return n;
  });
}
