import { Readable } from 'node:stream';
import { pipeline as pipelineAsync } from 'node:stream/promises';
import { parse as parseCsvStreamed } from 'csv-parse';
import { parse as parseCsvSync } from 'csv-parse/sync';
import { MatchError, inputError } from '../errors.js';
import { sniffDelimiter, excelSeparatorLine } from './dialect.js';

/** A cell as read: text, or a list when JSON gave an array. */
export type CellValue = string | string[];

export interface Row {
  /** Line in the file (CSV, JSON Lines) or 1-based position in the array (JSON). */
  line: number;
  /** Keyed by column name. A Map, so keys such as `__proto__` are plain data. */
  cells: Map<string, CellValue>;
}

/** Told of each row of a table as it is read, with the table's columns. */
export type RowListener = (row: Row, columns: readonly string[]) => void;

export interface Table {
  columns: string[];
  rows: Row[];
  /** How `Row.line` should be read in messages. */
  unit: 'line' | 'record';
  delimiter?: string;
}

/** A CSV row (csv-parse counts the record) larger than this is refused: no honest dataset has one, and an unclosed quote would otherwise swallow the file. */
export const MAX_CELL_BYTES = 1_000_000;

interface CsvErrorLike {
  code?: string;
  lines?: number;
  column?: number | string;
  message: string;
}

/**
 * csv-parse options, the same for whole texts and streams. Each record goes
 * straight to the builder (csv-parse keeps none), and an error the builder
 * throws stops csv-parse at that record.
 */
function csvParseOptions(builder: CsvTableBuilder, delimiter: string) {
  return {
    delimiter,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    max_record_size: MAX_CELL_BYTES,
    on_record: (record: string[], context: { lines: number }) => {
      builder.add(record, context.lines);
      return null;
    },
  };
}

/** Delimiter and Excel `sep=` line, decided from the start of the text. */
export interface CsvDialect {
  delimiter: string;
  /** Characters to drop from the start (the `sep=` line). */
  skip: number;
  /** Lines those characters held, added to csv-parse's line numbers. */
  lineOffset: number;
}

export function csvDialect(prefix: string, forcedDelimiter?: string): CsvDialect {
  const sep = excelSeparatorLine(prefix);
  const skip = sep ? prefix.length - sep.rest.length : 0;
  const delimiter = forcedDelimiter ?? sep?.delimiter ?? sniffDelimiter(prefix.slice(skip));
  return { delimiter, skip, lineOffset: sep?.lines ?? 0 };
}

/**
 * Turns csv-parse records into a Table one record at a time, so whole texts
 * and streams share the checks: header names, ragged rows, empty files.
 */
export class CsvTableBuilder {
  private header: string[] | undefined;
  private headerLine = 0;
  private previousEnd = 0;
  private readonly rows: Row[] = [];
  private columns: string[] = [];

  /** `onRow`: told of each row as it is read, with the table's columns (for records built as a file arrives). */
  constructor(
    private readonly file: string,
    private readonly dialect: CsvDialect,
    private readonly onRow?: RowListener,
  ) {}

  /** Line where the record being read starts, for errors csv-parse reports at its end. */
  get nextLine(): number {
    return this.previousEnd + 1 + this.dialect.lineOffset;
  }

  /** `endLine`: csv-parse's line count after the record (a quoted cell may span lines). */
  add(record: string[], endLine: number): void {
    const { file } = this;
    const lineOffset = this.dialect.lineOffset;
    if (!this.header) {
      const header = record.map((h) => h.trim());
      this.headerLine = endLine + lineOffset;
      const seen = new Map<string, number>();
      header.forEach((name, i) => {
        if (!name) return;
        const key = name.toLowerCase();
        if (seen.has(key)) {
          throw inputError(file, this.headerLine, `column name '${name}' appears twice (columns ${seen.get(key)! + 1} and ${i + 1}); rename one of them`, i + 1);
        }
        seen.set(key, i);
      });
      if (!header.some(Boolean)) throw inputError(file, this.headerLine, 'the header line has no column names');
      this.header = header;
      this.columns = header.filter(Boolean);
      this.previousEnd = endLine;
      return;
    }
    const header = this.header;
    const line = this.nextLine;
    this.previousEnd = endLine;
    if (record.every((c) => c.trim() === '')) return;
    const cells = new Map<string, CellValue>();
    for (let i = 0; i < record.length; i++) {
      const value = record[i];
      const name = header[i];
      if (name) {
        cells.set(name, value);
      } else if (value.trim() !== '') {
        const why = i >= header.length ? `has ${record.length} cells but the header has ${header.length} columns` : `has a value in column ${i + 1}, which has no name in the header`;
        const d = this.dialect.delimiter;
        throw inputError(file, line, `the row ${why}; check for an unquoted '${d === '\t' ? '\\t' : d}' inside a cell, or a wrong --delimiter`, i + 1);
      }
    }
    const row = { line, cells };
    this.rows.push(row);
    this.onRow?.(row, this.columns);
  }

  finish(): Table {
    if (!this.header) throw inputError(this.file, undefined, 'the file is empty: expected a header line and at least one record');
    if (this.rows.length === 0) throw inputError(this.file, this.headerLine, 'the file has a header line but no records');
    return { columns: this.columns, rows: this.rows, unit: 'line', delimiter: this.dialect.delimiter };
  }
}

export function parseCsv(source: string, file: string, forcedDelimiter?: string): Table {
  const dialect = csvDialect(source, forcedDelimiter);
  const builder = new CsvTableBuilder(file, dialect);
  try {
    parseCsvSync(dialect.skip ? source.slice(dialect.skip) : source, csvParseOptions(builder, dialect.delimiter));
  } catch (err) {
    if (err instanceof MatchError) throw err;
    throw csvError(err as CsvErrorLike, file, dialect.lineOffset, builder.nextLine);
  }
  return builder.finish();
}

/**
 * The streaming twin of `parseCsv`: `prefix` (the start of the text, enough to
 * hold the header) decides the dialect, then csv-parse's stream parser reads
 * `prefix` and `rest` chunk by chunk. Rows are built as records arrive.
 */
export async function parseCsvStream(prefix: string, rest: AsyncIterable<string>, file: string, forcedDelimiter?: string, onRow?: RowListener): Promise<Table> {
  const dialect = csvDialect(prefix, forcedDelimiter);
  const builder = new CsvTableBuilder(file, dialect, onRow);
  const text = Readable.from(wholeCodePoints((async function* () {
    yield dialect.skip ? prefix.slice(dialect.skip) : prefix;
    yield* rest;
  })()), { objectMode: false, highWaterMark: 1 });
  try {
    await pipelineAsync(text, parseCsvStreamed(csvParseOptions(builder, dialect.delimiter)), async (records: AsyncIterable<unknown>) => {
      for await (const _ of records); // records went to the builder; nothing comes out
    });
  } catch (err) {
    if (err instanceof MatchError) throw err;
    throw csvError(err as CsvErrorLike, file, dialect.lineOffset, builder.nextLine);
  }
  return builder.finish();
}

/**
 * Text chunks that never end inside a surrogate pair: the stream encodes each
 * chunk to UTF-8 on its own, and half an emoji would become U+FFFD.
 */
async function* wholeCodePoints(chunks: AsyncIterable<string>): AsyncGenerator<string> {
  let carry = '';
  for await (const chunk of chunks) {
    const text = carry + chunk;
    const last = text.charCodeAt(text.length - 1);
    const cut = last >= 0xd800 && last <= 0xdbff ? text.length - 1 : text.length;
    carry = text.slice(cut);
    if (cut > 0) yield text.slice(0, cut);
  }
  if (carry) yield carry;
}

/** `recordLine`: where the failing record starts; an unclosed quote is reported where it opens, not where the file ends. */
function csvError(err: CsvErrorLike, file: string, lineOffset: number, recordLine: number): Error {
  const line = err.lines !== undefined ? err.lines + lineOffset : undefined;
  const column = typeof err.column === 'number' ? err.column + 1 : undefined;
  switch (err.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return inputError(file, recordLine, 'a quoted cell in this row is never closed (unterminated quote); check the quotes here or export the file again');
    case 'CSV_MAX_RECORD_SIZE':
      return inputError(file, recordLine, `the row is larger than ${MAX_CELL_BYTES / 1_000_000} MB, which no dataset row needs; check for a quote that is never closed here, or shorten the cell`);
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

/** `lineBase`: lines before `text` in the file, when `text` is one JSON Lines line (its line is then known even without a position). */
function jsonSyntaxError(err: Error, text: string, file: string, lineBase?: number): Error {
  const m = /position (\d+)/.exec(err.message);
  const where = m ? lineColumn(text, Number(m[1])) : undefined;
  const what = err.message.replace(/ in JSON at position \d+.*$/, '').replace(/\s*\(line \d+ column \d+\)/, '');
  const line = where ? where.line + (lineBase ?? 0) : lineBase !== undefined ? lineBase + 1 : undefined;
  return inputError(file, line, `invalid JSON (${what}); fix the syntax or export the file again`, where?.column);
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

/** A JSON Lines line longer than this is refused before it is parsed (or, streaming, held). */
const MAX_JSON_LINE = MAX_CELL_BYTES * 4;

/**
 * One JSON object per line; blank lines are skipped. Text comes in pieces
 * that may cut lines anywhere: only the unfinished last line is held.
 */
export class JsonLinesBuilder {
  private partial = '';
  private lineNumber = 0;
  private readonly rows: Row[] = [];
  private readonly columns = new Set<string>();

  constructor(private readonly file: string) {}

  push(text: string): void {
    let start = 0;
    for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
      const raw = this.partial ? this.partial + text.slice(start, end) : text.slice(start, end);
      this.partial = '';
      this.line(raw);
      start = end + 1;
    }
    this.partial += text.slice(start);
    if (this.partial.length > MAX_JSON_LINE) this.tooLong(this.lineNumber + 1);
  }

  finish(): Table {
    if (this.partial) this.line(this.partial);
    this.partial = '';
    if (this.rows.length === 0) throw inputError(this.file, undefined, 'the file is empty: expected one JSON object per line');
    return { columns: [...this.columns], rows: this.rows, unit: 'line' };
  }

  private line(raw: string): void {
    const n = ++this.lineNumber;
    if (raw.length > MAX_JSON_LINE) this.tooLong(n);
    const line = raw.trim();
    if (!line) return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (err) {
      throw jsonSyntaxError(err as Error, line, this.file, n - 1);
    }
    const row = rowOf(value, n, this.file, 'line');
    for (const key of row.cells.keys()) this.columns.add(key);
    this.rows.push(row);
  }

  private tooLong(line: number): never {
    throw inputError(this.file, line, `the line is longer than ${MAX_JSON_LINE} characters, too long to be one record; is this really JSON Lines?`);
  }
}

export function parseJsonLines(text: string, file: string): Table {
  const builder = new JsonLinesBuilder(file);
  builder.push(text);
  return builder.finish();
}

/** The streaming twin of `parseJsonLines`. */
export async function parseJsonLinesStream(chunks: AsyncIterable<string>, file: string): Promise<Table> {
  const builder = new JsonLinesBuilder(file);
  for await (const text of chunks) builder.push(text);
  return builder.finish();
}
