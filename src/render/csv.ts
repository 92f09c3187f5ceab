import { stringify } from 'csv-stringify/sync';
import type { OutputRow, OutputValue } from './rows.js';

/**
 * Text that a spreadsheet would run as a formula (OWASP CSV injection):
 * cells starting with = + - @ tab or CR get a leading apostrophe.
 */
const FORMULA_START = /^[=+\-@\t\r]/;
/** Also cells that already look escaped ("'=x"), so unescaping cannot turn them into something else. */
const NEEDS_ESCAPE = /^'*[=+\-@\t\r]/;

export function escapeFormula(text: string): string {
  return NEEDS_ESCAPE.test(text) ? `'${text}` : text;
}

/** Undoes `escapeFormula` for match's own readers, so ids round-trip. */
export function unescapeFormula(text: string): string {
  return text[0] === "'" && NEEDS_ESCAPE.test(text.slice(1)) ? text.slice(1) : text;
}

export interface CsvOptions {
  escapeFormulas: boolean;
  delimiter?: string;
  /** Write scores with a decimal comma (Italian Excel). */
  decimalComma?: boolean;
  bom?: boolean;
}

function cell(value: OutputValue, options: CsvOptions): string {
  if (value === null) return '';
  if (typeof value === 'number') return options.decimalComma ? String(value).replace('.', ',') : String(value);
  const text = Array.isArray(value) ? value.join('; ') : value;
  return options.escapeFormulas ? escapeFormula(text) : text;
}

export function renderCsv(rows: readonly OutputRow[], columns: readonly string[], options: CsvOptions): string {
  return renderCsvHeader(columns, options) + renderCsvRows(rows, columns, options);
}

/** The start of renderCsv's text: the byte-order mark when asked for, and the header line. */
export function renderCsvHeader(columns: readonly string[], options: CsvOptions): string {
  const header = stringify([[...columns]], { delimiter: options.delimiter ?? ',', record_delimiter: 'unix' });
  return options.bom ? `\ufeff${header}` : header;
}

/** renderCsv's lines for `rows`, without the header: rows rendered a few at a time join into renderCsv's text. */
export function renderCsvRows(rows: readonly OutputRow[], columns: readonly string[], options: CsvOptions): string {
  if (rows.length === 0) return '';
  return stringify(
    rows.map((r) => columns.map((c) => cell(r[c] ?? null, options))),
    { delimiter: options.delimiter ?? ',', record_delimiter: 'unix' },
  );
}
