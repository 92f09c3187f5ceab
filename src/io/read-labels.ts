import { inputError } from '../errors.js';
import { unescapeFormula } from '../render/csv.js';
import { decode } from './decode.js';
import { columnKey } from './columns.js';
import { chooseFormat, parseTable, readInputBytes } from './load-dataset.js';
import { cellText } from './records.js';
import type { Table } from './parse-table.js';

/** need id → solution id → relevance grade (> 0 is relevant). */
export type Labels = Map<string, Map<string, number>>;

const NEED = ['need_id', 'query_id', 'qid', 'need', 'topic_id', 'topic', 'challenge_id', 'fabbisogno'].map(columnKey);
const SOLUTION = ['solution_id', 'doc_id', 'docid', 'startup_id', 'solution', 'startup', 'doc', 'document_id', 'company_id'].map(columnKey);
const GRADE = ['relevance', 'grade', 'rel', 'label', 'judgment', 'judgement', 'rating', 'score', 'giudizio', 'voto'].map(columnKey);

function pick(columns: readonly string[], aliases: readonly string[]): string | undefined {
  for (const alias of aliases) {
    const found = columns.find((c) => columnKey(c) === alias);
    if (found) return found;
  }
  return undefined;
}

/** Labels from a parsed table: columns found by name like the datasets'. Pure. */
export function labelsFromTable(table: Table, file: string): Labels {
  const need = pick(table.columns, NEED);
  const solution = pick(table.columns, SOLUTION);
  const grade = pick(table.columns, GRADE);
  if (!need || !solution || !grade) {
    const missing = [!need && 'need id (need_id, query_id)', !solution && 'solution id (solution_id, doc_id)', !grade && 'grade (relevance, grade)'].filter(Boolean).join(', ');
    throw inputError(file, 1, `labels need a column for ${missing}; the columns are: ${table.columns.join(', ')}`);
  }
  const labels: Labels = new Map();
  for (const row of table.rows) {
    const needId = unescapeFormula(cellText(row.cells.get(need)).trim());
    const solutionId = unescapeFormula(cellText(row.cells.get(solution)).trim());
    const text = cellText(row.cells.get(grade)).trim().replace(',', '.');
    const value = Number(text);
    if (!needId || !solutionId) throw inputError(file, row.line, 'a label row has an empty need or solution id');
    if (text === '' || !Number.isFinite(value)) throw inputError(file, row.line, `the grade '${text}' is not a number; use 0 (not relevant), 1, 2, 3...`);
    let judgments = labels.get(needId);
    if (!judgments) labels.set(needId, (judgments = new Map()));
    judgments.set(solutionId, value);
  }
  return labels;
}

/** Reads a labels file (CSV, TSV, JSON or JSON Lines). */
export async function readLabels(path: string): Promise<Labels> {
  const file = path === '-' ? '<stdin>' : path;
  const { text } = decode(await readInputBytes(path));
  if (!text.trim()) throw inputError(file, undefined, 'the labels file is empty');
  return labelsFromTable(parseTable(text, file, chooseFormat(file, text)), file);
}
