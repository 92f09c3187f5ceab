import { escapeFormula } from './csv.js';
import type { OutputRow, OutputValue } from './rows.js';

/**
 * `--format xlsx`: a "Shortlists" sheet with the rank columns (frozen, styled
 * header; scores as numbers shown with two decimals) and a "Settings" sheet.
 * The workbook is described as plain data first (testable, deterministic);
 * write-excel-file, loaded only here, turns it into bytes. Cell contents are
 * identical between identical runs; the bytes may differ (zip timestamps).
 */

export interface XlsxCell {
  value: string | number | null;
  /** Excel number format, for numbers. */
  format?: string;
  header?: boolean;
}

export interface XlsxSheet {
  name: string;
  rows: XlsxCell[][];
  /** Column widths, in characters. */
  widths: number[];
}

export interface XlsxOptions {
  escapeFormulas: boolean;
}

/** Columns holding whole numbers; every other numeric column is a score. */
const INTEGER_COLUMNS = new Set(['rank', 'old_rank', 'new_rank']);
const SCORE_FORMAT = '0.00';
const INTEGER_FORMAT = '0';
const MIN_WIDTH = 6;
const MAX_WIDTH = 50;

function cell(column: string, value: OutputValue, options: XlsxOptions): XlsxCell {
  if (value === null) return { value: null };
  if (typeof value === 'number') return { value, format: INTEGER_COLUMNS.has(column) ? INTEGER_FORMAT : SCORE_FORMAT };
  const text = Array.isArray(value) ? value.join('; ') : value;
  return { value: options.escapeFormulas ? escapeFormula(text) : text };
}

const shown = (c: XlsxCell): string => (c.value === null ? '' : typeof c.value === 'number' ? (c.format === INTEGER_FORMAT ? String(c.value) : c.value.toFixed(2)) : c.value);

/** Widths that fit the header and the longest value, within bounds so text columns stay readable. */
function fitWidths(rows: readonly XlsxCell[][], columns: number): number[] {
  const widths = new Array<number>(columns).fill(MIN_WIDTH);
  for (const row of rows) {
    row.forEach((c, i) => {
      const longest = Math.max(...shown(c).split('\n').map((line) => [...line].length));
      widths[i] = Math.max(widths[i], Math.min(MAX_WIDTH, longest + 2));
    });
  }
  return widths;
}

function sheet(name: string, header: readonly string[], body: XlsxCell[][]): XlsxSheet {
  const rows = [header.map((h): XlsxCell => ({ value: h, header: true })), ...body];
  return { name, rows, widths: fitWidths(rows, header.length) };
}

/** The workbook as plain data: the shortlist rows, then the settings as label and value. */
export function buildWorkbook(rows: readonly OutputRow[], columns: readonly string[], settings: readonly [string, string | number][], options: XlsxOptions): XlsxSheet[] {
  const shortlists = sheet('Shortlists', columns, rows.map((row) => columns.map((c) => cell(c, row[c] ?? null, options))));
  const settingsSheet = sheet('Settings', ['Setting', 'Value'], settings.map(([label, value]) => [
    { value: label },
    typeof value === 'number' ? { value, format: Number.isInteger(value) ? INTEGER_FORMAT : 'General' } : cell('', value, options),
  ]));
  return [shortlists, settingsSheet];
}

const HEADER_STYLE = {
  fontWeight: 'bold',
  textColor: '#FFFFFF',
  backgroundColor: '#1F3A5F',
  alignVertical: 'center',
  bottomBorderStyle: 'thin',
  bottomBorderColor: '#0F1F33',
} as const;

type WriteExcelFile = (sheets: unknown[], options?: unknown) => { toBlob(): Promise<Blob> };

/** The workbook's bytes. */
export async function renderXlsx(sheets: readonly XlsxSheet[]): Promise<Buffer> {
  const { default: writeExcelFile } = (await import('write-excel-file/universal')) as unknown as { default: WriteExcelFile };
  const data = sheets.map((s) => ({
    sheet: s.name,
    stickyRowsCount: 1,
    columns: s.widths.map((width) => ({ width })),
    data: s.rows.map((row) =>
      row.map((c) => {
        if (c.header) return { value: c.value, type: String, ...HEADER_STYLE };
        if (c.value === null) return null;
        if (typeof c.value === 'number') return { value: c.value, type: Number, ...(c.format && c.format !== 'General' ? { format: c.format } : {}) };
        return { value: c.value, type: String };
      }),
    ),
  }));
  const blob = await writeExcelFile(data, { fontFamily: 'Calibri', fontSize: 11 }).toBlob();
  return Buffer.from(await blob.arrayBuffer());
}
