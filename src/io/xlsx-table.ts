import { MatchError, inputError, usageError } from '../errors.js';
import type { CellValue, Row, Table } from './parse-table.js';

/**
 * Reads the first sheet of an Excel workbook (or the one named) into the same
 * `Table` the CSV reader gives, so column detection and records apply unchanged.
 * read-excel-file is imported only here, when a workbook is involved, so
 * CSV and JSON runs never load it.
 */

type SheetValue = string | number | boolean | Date | null;
type SheetRows = SheetValue[][];

interface ReadExcel {
  default(input: ArrayBuffer, options?: { trim?: boolean; parseNumber?: (text: string) => string }): Promise<{ sheet: string; data: unknown }[]>;
}

/** A cell as text: numbers as stored (so `7` is the id "7"), dates as ISO dates. */
function cellText(value: SheetValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) {
    const iso = value.toISOString();
    return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso.replace('.000Z', 'Z');
  }
  return String(value);
}

/** Sheet rows (first non-empty row = header) → Table; `line` is the sheet's row number. */
export function tableFromSheet(data: readonly (readonly SheetValue[])[], file: string, sheet: string): Table {
  const headerIndex = data.findIndex((row) => row.some((v) => cellText(v).trim() !== ''));
  if (headerIndex < 0) throw inputError(file, undefined, `the sheet '${sheet}' is empty: expected a header row and records`);
  const header = data[headerIndex].map((v) => cellText(v).trim());
  const seen = new Map<string, number>();
  header.forEach((name, i) => {
    if (!name) return;
    const key = name.toLowerCase();
    if (seen.has(key)) throw inputError(file, headerIndex + 1, `column name '${name}' appears twice in sheet '${sheet}' (columns ${seen.get(key)! + 1} and ${i + 1}); rename one of them`, i + 1);
    seen.set(key, i);
  });
  const columns = header.filter(Boolean);
  const rows: Row[] = [];
  for (let r = headerIndex + 1; r < data.length; r++) {
    const values = data[r].map(cellText);
    if (values.every((v) => v.trim() === '')) continue;
    const cells = new Map<string, CellValue>();
    values.forEach((value, i) => {
      if (header[i]) cells.set(header[i], value);
    });
    rows.push({ line: r + 1, cells });
  }
  if (rows.length === 0) throw inputError(file, headerIndex + 1, `the sheet '${sheet}' has a header row but no records`);
  return { columns, rows, unit: 'line' };
}

/** Loads read-excel-file; its universal build reads an ArrayBuffer and loads fastest. */
async function readExcel(): Promise<ReadExcel> {
  return (await import('read-excel-file/universal')) as unknown as ReadExcel;
}

const RAW_NUMBERS = { trim: false, parseNumber: (text: string) => text };

/** The named sheet (exact name first, then ignoring case and spaces), else the first sheet. */
export async function readXlsxTable(bytes: Uint8Array, file: string, sheet?: string, flag = '--sheet'): Promise<{ table: Table; sheet: string }> {
  const excel = await readExcel();
  const input = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  const unreadable = (err: unknown) => inputError(file, undefined, `cannot read the Excel workbook (${String((err as Error)?.message ?? err).replace(/\s+/g, ' ')}); open it in Excel and save it again as .xlsx, or export it as CSV UTF-8`);
  // Every sheet is read: the names are needed to find one loosely and to report which was used.
  let sheets: { sheet: string; data: unknown }[];
  try {
    sheets = await excel.default(input, RAW_NUMBERS);
  } catch (err) {
    throw unreadable(err);
  }
  if (sheets.length === 0) throw inputError(file, undefined, 'the workbook has no sheets');
  const key = (name: string) => name.toLowerCase().replace(/\s+/g, '');
  const chosen = sheet === undefined ? sheets[0] : sheets.find((s) => s.sheet === sheet) ?? sheets.find((s) => key(s.sheet) === key(sheet));
  if (!chosen) throw usageError(`${flag} ${sheet}: ${file} has no such sheet; its sheets are ${sheets.map((s) => `'${s.sheet}'`).join(', ')}`);
  try {
    return { table: tableFromSheet(chosen.data as SheetRows, file, chosen.sheet), sheet: chosen.sheet };
  } catch (err) {
    // The first sheet is often a cover or notes page: say which others there are.
    if (sheet !== undefined || sheets.length < 2 || !(err instanceof MatchError)) throw err;
    throw new MatchError(err.exitCode, `${err.message}; pick the sheet with ${flag} NAME (the sheets are ${sheets.map((s) => `'${s.sheet}'`).join(', ')})`);
  }
}
