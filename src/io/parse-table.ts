import { parse as parseCsvSync } from 'csv-parse/sync';
import { inputError } from '../errors.js';
import { sniffDelimiter, excelSeparatorLine } from './dialect.js';

/** A cell as read: text, or a list when JSON gave an array. */
export type CellValue = string | string[];

export interface Row {
  /** Line in the file (CSV, JSON Lines) or 1-based position in the array (JSON). */
  line: number;
  /** Keyed by column name. A Map, so keys such as `__proto__` are plain data. */
  cells: Map<string, CellValue>;
}

export interface Table {
  columns: string[];
  rows: Row[];
  /** How `Row.line` should be read in messages. */
  unit: 'line' | 'record';
  delimiter?: string;
}

/** A single cell larger than this is refused: no honest dataset has one, and it would exhaust memory first. */
export const MAX_CELL_BYTES = 1_000_000;

interface CsvErrorLike {
  code?: string;
  lines?: number;
  column?: number | string;
  message: string;
}

export function parseCsv(source: string, file: string, forcedDelimiter?: string): Table {
  let text = source;
  let lineOffset = 0;
  let delimiter = forcedDelimiter;
  const sep = excelSeparatorLine(text);
  if (sep) {
    text = sep.rest;
    lineOffset = sep.lines;
    delimiter ??= sep.delimiter;
  }
  delimiter ??= sniffDelimiter(text);
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parseCsvSync(text, {
      delimiter,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      info: true,
      max_record_size: MAX_CELL_BYTES,
    }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (err) {
    throw csvError(err as CsvErrorLike, file, lineOffset);
  }
  if (records.length === 0) throw inputError(file, undefined, 'the file is empty: expected a header line and at least one record');

  const header = records[0].record.map((h) => h.trim());
  const headerLine = records[0].info.lines + lineOffset;
  const seen = new Map<string, number>();
  header.forEach((name, i) => {
    if (!name) return;
    const key = name.toLowerCase();
    if (seen.has(key)) {
      throw inputError(file, headerLine, `column name '${name}' appears twice (columns ${seen.get(key)! + 1} and ${i + 1}); rename one of them`, i + 1);
    }
    seen.set(key, i);
  });
  const columns = header.filter(Boolean);
  if (columns.length === 0) throw inputError(file, headerLine, 'the header line has no column names');

  const rows: Row[] = [];
  let previousEnd = records[0].info.lines;
  for (let r = 1; r < records.length; r++) {
    const { record, info } = records[r];
    const line = previousEnd + 1 + lineOffset;
    previousEnd = info.lines;
    if (record.every((c) => c.trim() === '')) continue;
    const cells = new Map<string, CellValue>();
    for (let i = 0; i < record.length; i++) {
      const value = record[i];
      const name = header[i];
      if (name) {
        cells.set(name, value);
      } else if (value.trim() !== '') {
        const why = i >= header.length ? `has ${record.length} cells but the header has ${header.length} columns` : `has a value in column ${i + 1}, which has no name in the header`;
        throw inputError(file, line, `the row ${why}; check for an unquoted '${delimiter === '\t' ? '\\t' : delimiter}' inside a cell, or a wrong --delimiter`, i + 1);
      }
    }
    rows.push({ line, cells });
  }
  if (rows.length === 0) throw inputError(file, headerLine, 'the file has a header line but no records');
  return { columns, rows, unit: 'line', delimiter };
}

function csvError(err: CsvErrorLike, file: string, lineOffset: number): Error {
  const line = err.lines !== undefined ? err.lines + lineOffset : undefined;
  const column = typeof err.column === 'number' ? err.column + 1 : undefined;
  switch (err.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return inputError(file, line, 'a quoted cell is never closed (unterminated quote); check the quotes near this line or export the file again');
    case 'CSV_MAX_RECORD_SIZE':
      return inputError(file, line, `a cell is larger than ${MAX_CELL_BYTES} characters; this is not a dataset row (check the quotes, or split the file)`);
    case 'CSV_INVALID_CLOSING_QUOTE':
      return inputError(file, line, 'a quote closes a cell but more text follows it in the same cell; double the quote ("") to write one inside a quoted cell', column);
    default:
      return inputError(file, line, `cannot parse the CSV (${err.message.replace(/\s+/g, ' ')}); check the quoting, or set --delimiter`, column);
  }
}

/** A JSON value as cell text: numbers become strings ("7" and 7 are one id), arrays stay lists. */
function cellOf(value: unknown): CellValue {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.filter((v) => v !== null && v !== undefined).map((v) => (typeof v === 'object' ? JSON.stringify(v) : String(v)));
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function rowOf(value: unknown, line: number, file: string, unit: string): Row {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw inputError(file, line, `${unit} ${line} is not an object; each record must be an object like {"id": "...", "description": "..."}`);
  }
  const cells = new Map<string, CellValue>();
  for (const key of Object.keys(value)) cells.set(key, cellOf((value as Record<string, unknown>)[key]));
  return { line, cells };
}

function columnsOf(rows: readonly Row[]): string[] {
  const columns = new Set<string>();
  for (const row of rows) for (const key of row.cells.keys()) columns.add(key);
  return [...columns];
}

/** Position → line and column, for JSON syntax errors. */
function lineColumn(text: string, position: number): { line: number; column: number } {
  let line = 1;
  let lastBreak = -1;
  for (let i = 0; i < position && i < text.length; i++) if (text.charCodeAt(i) === 10) { line++; lastBreak = i; }
  return { line, column: position - lastBreak };
}

function jsonSyntaxError(err: Error, text: string, file: string, lineBase = 0): Error {
  const m = /position (\d+)/.exec(err.message);
  const where = m ? lineColumn(text, Number(m[1])) : undefined;
  const what = err.message.replace(/ in JSON at position \d+.*$/, '').replace(/\s*\(line \d+ column \d+\)/, '');
  return inputError(file, where ? where.line + lineBase : lineBase || undefined, `invalid JSON (${what}); fix the syntax or export the file again`, where?.column);
}

/** A JSON array of objects, or an object holding exactly one such array (`{"startups": [...]}`). */
export function parseJson(text: string, file: string): Table {
  if (!text.trim()) throw inputError(file, undefined, 'the file is empty: expected a JSON array of records');
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw jsonSyntaxError(err as Error, text, file);
  }
  if (data !== null && typeof data === 'object' && !Array.isArray(data)) {
    const arrays = Object.keys(data).filter((k) => Array.isArray((data as Record<string, unknown>)[k]));
    if (arrays.length !== 1) {
      throw inputError(file, 1, arrays.length === 0 ? 'the JSON object holds no array of records; expected [ {...}, ... ] or {"records": [ ... ]}' : `the JSON object holds several arrays (${arrays.join(', ')}); keep only the one with the records`);
    }
    data = (data as Record<string, unknown>)[arrays[0]];
  }
  if (!Array.isArray(data)) throw inputError(file, 1, 'expected a JSON array of records');
  const rows = data.map((value, i) => rowOf(value, i + 1, file, 'record'));
  if (rows.length === 0) throw inputError(file, undefined, 'the JSON array is empty: no records to read');
  return { columns: columnsOf(rows), rows, unit: 'record' };
}

/** One JSON object per line; blank lines are skipped. */
export function parseJsonLines(text: string, file: string): Table {
  const rows: Row[] = [];
  const lines = text.split('\n');
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (!line) return;
    if (line.length > MAX_CELL_BYTES * 4) throw inputError(file, i + 1, 'the line is too long to be one record; is this really JSON Lines?');
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (err) {
      throw jsonSyntaxError(err as Error, line, file, i);
    }
    rows.push(rowOf(value, i + 1, file, 'line'));
  });
  if (rows.length === 0) throw inputError(file, undefined, 'the file is empty: expected one JSON object per line');
  return { columns: columnsOf(rows), rows, unit: 'line' };
}
