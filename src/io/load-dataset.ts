import type { MatchRecord } from '../model.js';
import { inputError, usageError } from '../errors.js';
import { decode, isXlsx, looksBinary, sniffBinary, type Encoding } from './decode.js';
import { parseCsv, parseCsvStream, parseJson, parseJsonLines, parseJsonLinesStream, type Row, type Table } from './parse-table.js';
import { openInput, type TextInput } from './read-text.js';
import { FastCsvUnsupported, parseCsvFast } from './fast-csv.js';
import { detectColumns, type ColumnMapping, type ColumnOverrides } from './columns.js';
import { RecordBuilder, recordsFromTable, type DatasetRole } from './records.js';

export type InputFormat = 'csv' | 'json' | 'jsonl';
export const INPUT_FORMATS: readonly InputFormat[] = ['csv', 'json', 'jsonl'];

export interface LoadOptions {
  role: DatasetRole;
  format?: InputFormat;
  delimiter?: string;
  encoding?: Encoding;
  columns?: ColumnOverrides;
  /** Flag prefix for messages about column overrides, e.g. `--need`. */
  flagPrefix?: string;
  /** Excel workbooks: the sheet to read (default: the first), and the flag that named it, for messages. */
  sheet?: string;
  sheetFlag?: string;
  /**
   * Told of each record as a CSV file is read, in order (`index` from 0), so
   * that work on them can start before the file ends. Only records that will
   * be the dataset's are told of: on a problem the telling stops, and the
   * problem is reported as usual once the file is read. A file read again
   * (see loadDataset) starts again from index 0.
   */
  onRecord?: (record: MatchRecord, index: number) => void;
}

export interface Dataset {
  file: string;
  records: MatchRecord[];
  mapping: ColumnMapping;
  format: InputFormat | 'xlsx';
  encoding: Encoding;
  delimiter?: string;
  /** The sheet read, for Excel workbooks. */
  sheet?: string;
  columns: string[];
  warnings: string[];
}

export { readInputBytes } from './input-stream.js';

/** Format from the file name (ignoring .gz), or from the content when the name does not say. */
export function chooseFormat(path: string, text: string): InputFormat {
  const name = path.toLowerCase().replace(/\.gz$/, '');
  if (name.endsWith('.json')) return 'json';
  if (name.endsWith('.jsonl') || name.endsWith('.ndjson')) return 'jsonl';
  if (/\.(csv|tsv|tab|txt)$/.test(name)) return 'csv';
  const start = text.trimStart();
  if (start.startsWith('[')) return 'json';
  if (start.startsWith('{')) {
    const firstLine = start.split('\n', 1)[0].trim();
    try {
      JSON.parse(firstLine);
      return 'jsonl';
    } catch {
      return 'json';
    }
  }
  return 'csv';
}

export function parseTable(text: string, file: string, format: InputFormat, delimiter?: string): Table {
  if (format === 'json') return parseJson(text, file);
  if (format === 'jsonl') return parseJsonLines(text, file);
  const forced = delimiter ?? (/\.tsv(\.gz)?$/i.test(file) ? '\t' : undefined);
  return parseCsv(text, file, forced);
}

/** Decodes and parses bytes into records: everything after reading is pure. */
export function datasetFromBytes(bytes: Buffer, file: string, options: LoadOptions): Dataset {
  const binary = sniffBinary(bytes);
  if (binary) throw inputError(file, undefined, `this is ${binary}, not CSV or JSON text; save it as CSV UTF-8 (or JSON) and try again`);
  const { text, encoding } = decode(bytes, options.encoding);
  if (looksBinary(text)) throw inputError(file, undefined, 'the file is not text (it holds binary bytes); save it as CSV UTF-8 or JSON, or set --encoding if it is UTF-16 without a BOM');
  if (!text.trim()) throw inputError(file, undefined, 'the file is empty: expected a header line and records');
  const format = options.format ?? chooseFormat(file, text);
  const table = parseTable(text, file, format, options.delimiter);
  return datasetFromTable(table, file, options, { format, encoding, delimiter: table.delimiter });
}

/**
 * Maps columns and builds records from a parsed table (CSV, JSON or an Excel
 * sheet); `built`: the records of every row, already built as the rows were
 * read (see RecordStream). Pure.
 */
export function datasetFromTable(table: Table, file: string, options: LoadOptions, source: Pick<Dataset, 'format' | 'encoding' | 'delimiter' | 'sheet'>, built?: RecordBuilder | null): Dataset {
  const { mapping, missing } = detectColumns(table.columns, options.columns);
  const prefix = options.flagPrefix ?? `--${options.role === 'needs' ? 'need' : 'solution'}`;
  if (missing.length > 0) {
    const m = missing[0];
    throw usageError(`${file}: no column '${m.column}' (given by ${prefix}-${m.role}); the columns are: ${table.columns.join(', ')}`);
  }
  if (!mapping.id) {
    throw inputError(file, 1, `no id column found (looked for id, codice, code...); name one with ${prefix}-id COLUMN. Columns: ${table.columns.join(', ')}`);
  }
  if (mapping.text.length === 0 && !mapping.title) {
    throw inputError(file, 1, `no text column found (looked for description, descrizione, text, abstract, title...); name one with ${prefix}-text COLUMN. Columns: ${table.columns.join(', ')}`);
  }
  const { records, emptyText } = built && built.records.length === table.rows.length ? built : recordsFromTable(table, mapping, file, options.role);
  const warnings: string[] = [];
  if (emptyText.length > 0) {
    const shown = emptyText.slice(0, 5).map((r) => `${r.id} (${table.unit} ${r.line})`).join(', ');
    warnings.push(`${file}: ${emptyText.length} record${emptyText.length > 1 ? 's have' : ' has'} an empty description: ${shown}${emptyText.length > 5 ? ', …' : ''}; ${emptyText.length > 1 ? 'they score' : 'it scores'} 0 on text`);
  }
  return { file, records, mapping, ...source, columns: table.columns, warnings };
}

export async function loadDataset(path: string, options: LoadOptions, stdin?: AsyncIterable<Buffer>): Promise<Dataset> {
  const file = path === '-' ? '<stdin>' : path;
  const input = await openInput(path, file, options.encoding, stdin);
  if (input.kind === 'text') {
    // A file can be read twice: CSV goes to the fast reader first, and to csv-parse if that one gives up.
    if (path === '-') return datasetFromText(input, file, options, false);
    try {
      return await datasetFromText(input, file, options, true);
    } catch (err) {
      if (!(err instanceof FastCsvUnsupported)) throw err;
      const again = await openInput(path, file, options.encoding, stdin);
      if (again.kind === 'text') return datasetFromText(again, file, options, false);
      throw err;
    }
  }
  // Not text: a workbook is read whole; anything else is refused by datasetFromBytes.
  const bytes = input.bytes;
  if (isXlsx(bytes)) {
    const { readXlsxTable } = await import('./xlsx-table.js');
    const { table, sheet } = await readXlsxTable(bytes, file, options.sheet, options.sheetFlag);
    return datasetFromTable(table, file, options, { format: 'xlsx', encoding: 'utf-8', sheet });
  }
  return datasetFromBytes(bytes, file, options);
}

/** A JSON array is parsed whole; beyond this, JSON Lines streams. */
export const MAX_JSON_BYTES = 256 * 1024 * 1024;

/**
 * The streaming path of `loadDataset`: CSV and JSON Lines are parsed as the
 * text arrives, so a large file never sits in memory as one string; only the
 * records built from it do.
 */
async function datasetFromText(input: TextInput, file: string, options: LoadOptions, fastCsv: boolean): Promise<Dataset> {
  try {
    const { prefix } = input;
    if (looksBinary(prefix)) throw inputError(file, undefined, 'the file is not text (it holds binary bytes); save it as CSV UTF-8 or JSON, or set --encoding if it is UTF-16 without a BOM');
    if (input.complete && !prefix.trim()) throw inputError(file, undefined, 'the file is empty: expected a header line and records');
    const format = options.format ?? chooseFormat(file, prefix);
    let table: Table;
    if (format === 'json') {
      let text = prefix;
      for await (const chunk of input.rest) {
        text += chunk;
        if (text.length > MAX_JSON_BYTES) throw inputError(file, undefined, `the JSON file is larger than ${MAX_JSON_BYTES / 1024 / 1024} MB, too large to read as one array; write it as JSON Lines (one record per line, .jsonl), which is read as a stream`);
      }
      table = parseJson(text, file);
    } else if (format === 'jsonl') {
      table = await parseJsonLinesStream((async function* () { yield prefix; yield* input.rest; })(), file);
    } else {
      const forced = options.delimiter ?? (/\.tsv(\.gz)?$/i.test(file) ? '\t' : undefined);
      const stream = options.onRecord ? new RecordStream(file, options, options.onRecord) : undefined;
      table = fastCsv ? await parseCsvFast(prefix, input.rest, file, forced, stream?.row) : await parseCsvStream(prefix, input.rest, file, forced, stream?.row);
      return datasetFromTable(table, file, options, { format, encoding: input.decoder.encoding, delimiter: table.delimiter }, stream?.builder);
    }
    return datasetFromTable(table, file, options, { format, encoding: input.decoder.encoding, delimiter: table.delimiter });
  } finally {
    await input.close();
  }
}

/**
 * Records built as a CSV file's rows arrive, each told to a listener (see
 * LoadOptions.onRecord). Any problem (columns that do not map, an empty or
 * repeated id) ends the stream quietly: the dataset is then built from the
 * whole table as usual, which reports the problem in its place among the
 * file's other checks.
 */
class RecordStream {
  /** undefined until the first row; null once given up. */
  builder: RecordBuilder | null | undefined;

  constructor(
    private readonly file: string,
    private readonly options: LoadOptions,
    private readonly listener: (record: MatchRecord, index: number) => void,
  ) {}

  readonly row = (row: Row, columns: readonly string[]): void => {
    if (this.builder === null) return;
    try {
      if (this.builder === undefined) {
        const { mapping, missing } = detectColumns([...columns], this.options.columns);
        if (missing.length > 0 || !mapping.id || (mapping.text.length === 0 && !mapping.title)) {
          this.builder = null;
          return;
        }
        this.builder = new RecordBuilder(mapping, this.file, this.options.role, 'line');
      }
      const record = this.builder.add(row);
      this.listener(record, this.builder.records.length - 1);
    } catch {
      this.builder = null;
    }
  };
}
