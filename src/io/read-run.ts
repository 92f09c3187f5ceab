import { inputError } from '../errors.js';
import type { RankedPair } from '../diff/diff-runs.js';
import { unescapeFormula } from '../render/csv.js';
import { decode, isXlsx } from './decode.js';
import { chooseFormat, parseTable, readInputBytes } from './load-dataset.js';
import { cellText } from './records.js';
import type { Row, Table } from './parse-table.js';

/** One need–solution pair of a `match rank` (or `match assign`) output, read back: the shape `diffRuns` compares. */
export type RunRow = RankedPair;

const num = (v: string) => Number(v.trim().replace(',', '.'));

/** Rows of a rank output in CSV or JSON Lines (one row per pair). Pure. */
export function runRowsFromTable(table: Table, file: string): RunRow[] {
  for (const column of ['need_id', 'solution_id']) {
    if (!table.columns.includes(column)) throw inputError(file, 1, `not a match output: no '${column}' column (columns: ${table.columns.join(', ')})`);
  }
  const position = new Map<string, number>();
  return table.rows.map((row: Row) => {
    const get = (c: string) => unescapeFormula(cellText(row.cells.get(c)));
    // Without a rank column (--columns left it out), the order within each need is the rank.
    const order = (position.get(get('need_id')) ?? 0) + 1;
    position.set(get('need_id'), order);
    const rank = row.cells.has('rank') ? num(get('rank')) : order;
    const score = row.cells.has('score') ? num(get('score')) : NaN;
    if (!Number.isFinite(rank)) throw inputError(file, row.line, `rank '${get('rank')}' is not a number`);
    return { needId: get('need_id'), needTitle: get('need_title'), solutionId: get('solution_id'), solutionName: get('solution_name'), rank, score };
  });
}

/** Rows of a rank output in match's JSON shape: `[{need_id, need_title, matches: [...]}]`. Pure. */
export function runRowsFromJson(text: string, file: string): RunRow[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw inputError(file, undefined, `invalid JSON (${(err as Error).message})`);
  }
  if (!Array.isArray(data)) throw inputError(file, 1, 'not a match JSON output: expected an array of needs with matches');
  const rows: RunRow[] = [];
  data.forEach((need: Record<string, unknown>, i) => {
    if (!need || typeof need !== 'object' || !Array.isArray(need.matches)) throw inputError(file, i + 1, `need ${i + 1} has no "matches" array; is this a match JSON output?`);
    (need.matches as Record<string, unknown>[]).forEach((m, position) => {
      if (!m || typeof m !== 'object' || m.solution_id === undefined) throw inputError(file, i + 1, `need ${i + 1} has a match without "solution_id"; is this a match JSON output?`);
      rows.push({
        needId: String(need.need_id ?? ''),
        needTitle: String(need.need_title ?? ''),
        solutionId: String(m.solution_id ?? ''),
        solutionName: String(m.solution_name ?? ''),
        rank: m.rank === undefined ? position + 1 : Number(m.rank),
        score: m.score === undefined || m.score === null ? NaN : Number(m.score),
      });
    });
  });
  return rows;
}

/** Reads a rank output written by match (CSV, JSON, JSON Lines, or the first sheet of an .xlsx). */
export async function readRun(path: string): Promise<RunRow[]> {
  const file = path === '-' ? '<stdin>' : path;
  const bytes = await readInputBytes(path);
  if (isXlsx(bytes)) {
    const { readXlsxTable } = await import('./xlsx-table.js');
    return runRowsFromTable((await readXlsxTable(bytes, file)).table, file);
  }
  const { text } = decode(bytes);
  if (!text.trim()) return [];
  const format = chooseFormat(file, text);
  if (format === 'json') return runRowsFromJson(text, file);
  return runRowsFromTable(parseTable(text, file, format), file);
}
