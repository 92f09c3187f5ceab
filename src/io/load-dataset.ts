import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import type { MatchRecord } from '../model.js';
import { inputError, usageError } from '../errors.js';
import { decode, looksBinary, sniffBinary, type Encoding } from './decode.js';
import { parseCsv, parseJson, parseJsonLines, type Table } from './parse-table.js';
import { detectColumns, type ColumnMapping, type ColumnOverrides } from './columns.js';
import { recordsFromTable, type DatasetRole } from './records.js';

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
}

export interface Dataset {
  file: string;
  records: MatchRecord[];
  mapping: ColumnMapping;
  format: InputFormat;
  encoding: Encoding;
  delimiter?: string;
  columns: string[];
  warnings: string[];
}

/** Reads a whole input: a path, or `-` for standard input; gzip is recognised by its magic bytes. */
export async function readInputBytes(path: string, stdin: AsyncIterable<Buffer> = process.stdin): Promise<Buffer> {
  let bytes: Buffer;
  if (path === '-') {
    const chunks: Buffer[] = [];
    for await (const chunk of stdin) chunks.push(chunk);
    bytes = Buffer.concat(chunks);
  } else {
    try {
      bytes = await readFile(path);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      const why = code === 'ENOENT' ? 'no such file; check the path' : code === 'EISDIR' ? 'is a folder, not a file' : code === 'EACCES' ? 'permission denied; check the file\'s permissions' : `cannot read it (${code ?? (err as Error).message})`;
      throw inputError(path, undefined, why);
    }
  }
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = gunzipSync(bytes);
    } catch {
      throw inputError(path, undefined, 'the gzip data is corrupt or truncated; download or compress the file again');
    }
  }
  return bytes;
}

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
  const { records, emptyText } = recordsFromTable(table, mapping, file, options.role);
  const warnings: string[] = [];
  if (emptyText.length > 0) {
    const shown = emptyText.slice(0, 5).map((r) => `${r.id} (${table.unit} ${r.line})`).join(', ');
    warnings.push(`${file}: ${emptyText.length} record${emptyText.length > 1 ? 's have' : ' has'} an empty description: ${shown}${emptyText.length > 5 ? ', …' : ''}; ${emptyText.length > 1 ? 'they score' : 'it scores'} 0 on text`);
  }
  return { file, records, mapping, format, encoding, delimiter: table.delimiter, columns: table.columns, warnings };
}

export async function loadDataset(path: string, options: LoadOptions, stdin?: AsyncIterable<Buffer>): Promise<Dataset> {
  const file = path === '-' ? '<stdin>' : path;
  return datasetFromBytes(await readInputBytes(path, stdin), file, options);
}
