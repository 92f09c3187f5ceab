import { inputError } from '../errors.js';
import { unescapeFormula } from '../render/csv.js';
import { parseAction, type PairRule } from '../constraints/pairs.js';
import { decode } from './decode.js';
import { columnKey } from './columns.js';
import { chooseFormat, parseTable, readInputBytes } from './load-dataset.js';
import { cellText } from './records.js';
import type { Table } from './parse-table.js';

/**
 * `--pairs FILE`: CSV (or JSON) with a need id, a solution id and an action
 * (exclude or pin) per row; other columns (a reason, a note) are ignored.
 */

const NEED = ['need_id', 'need', 'challenge_id', 'id_need', 'fabbisogno', 'id_fabbisogno'].map(columnKey);
const SOLUTION = ['solution_id', 'solution', 'startup_id', 'startup', 'company_id', 'id_startup'].map(columnKey);
const ACTION = ['action', 'azione', 'rule', 'regola', 'type', 'tipo'].map(columnKey);

function pick(columns: readonly string[], aliases: readonly string[]): string | undefined {
  for (const alias of aliases) {
    const found = columns.find((c) => columnKey(c) === alias);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** Rules from a parsed table. Ids lose a leading formula-escape `'` (as `match` writes them in CSV). Pure. */
export function pairRulesFromTable(table: Table, file: string): PairRule[] {
  const need = pick(table.columns, NEED);
  const solution = pick(table.columns, SOLUTION);
  const action = pick(table.columns, ACTION);
  if (!need || !solution || !action) {
    const missing = [!need && 'need_id', !solution && 'solution_id', !action && 'action'].filter(Boolean).join(', ');
    throw inputError(file, 1, `the pairs file needs the columns need_id, solution_id, action; missing ${missing}. The columns are: ${table.columns.join(', ')}`);
  }
  const actionColumn = table.columns.indexOf(action) + 1;
  return table.rows.map((row) => {
    const needId = unescapeFormula(cellText(row.cells.get(need)).trim());
    const solutionId = unescapeFormula(cellText(row.cells.get(solution)).trim());
    if (!needId || !solutionId) throw inputError(file, row.line, 'a row has an empty need or solution id; fill both ids or remove the row');
    const text = cellText(row.cells.get(action)).trim();
    const parsed = parseAction(text);
    if (!parsed) throw inputError(file, row.line, `unknown action '${text}'; write exclude or pin`, table.unit === 'line' ? actionColumn : undefined);
    return { needId, solutionId, action: parsed, file, line: row.line };
  });
}

export async function readPairRules(path: string): Promise<PairRule[]> {
  const file = path === '-' ? '<stdin>' : path;
  const { text } = decode(await readInputBytes(path));
  if (!text.trim()) return [];
  return pairRulesFromTable(parseTable(text, file, chooseFormat(file, text)), file);
}
