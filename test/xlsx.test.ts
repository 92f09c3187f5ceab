import { describe, expect, it } from 'vitest';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import writeExcelFile from 'write-excel-file/universal';
import readExcelFile from 'read-excel-file/universal';
import { isXlsx, sniffBinary } from '../src/io/decode.js';
import { tableFromSheet } from '../src/io/xlsx-table.js';
import { buildWorkbook } from '../src/render/xlsx.js';
import { MatchError } from '../src/errors.js';
import { FIXTURES, runCli, useTempDir } from './helpers/cli.js';

const needs = join(FIXTURES, 'needs.csv');
const startups = join(FIXTURES, 'startups.csv');

const tmp = useTempDir();

type Cell = string | number | null;

/** A workbook as Excel users make them: a cover sheet first, numbers typed as numbers. */
async function workbook(sheets: { name: string; rows: Cell[][] }[]): Promise<Buffer> {
  const data = sheets.map((s) => ({
    sheet: s.name,
    data: s.rows.map((row) => row.map((v) => (v === null ? null : { value: v, type: typeof v === 'number' ? Number : String }))),
  }));
  const blob = await writeExcelFile(data as never).toBlob();
  return Buffer.from(await blob.arrayBuffer());
}

/** The CSV fixture as sheet rows, with purely numeric cells as numbers. */
async function csvAsRows(path: string): Promise<Cell[][]> {
  const rows = parse(await readFile(path, 'utf8')) as string[][];
  return rows.map((row, i) => row.map((v) => (i > 0 && /^\d+$/.test(v) ? Number(v) : v)));
}

async function readSheets(path: string): Promise<{ sheet: string; data: unknown[][] }[]> {
  const bytes = await readFile(path);
  return (await readExcelFile(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer)) as never;
}

describe('reading Excel workbooks', () => {
  it('gives the same shortlists as the CSV, whatever the file is called, from the sheet named', async () => {
    const cover = { name: 'Note', rows: [['Elenco startup, aggiornato a marzo'] as Cell[]] };
    await writeFile(join(tmp.dir, 'startups.xlsx'), await workbook([cover, { name: 'Startup', rows: await csvAsRows(startups) }]));
    // Recognised by content: the extension says CSV.
    await writeFile(join(tmp.dir, 'needs.csv'), await workbook([{ name: 'Fabbisogni', rows: await csvAsRows(needs) }]));
    const fromExcel = await runCli(['rank', join(tmp.dir, 'needs.csv'), join(tmp.dir, 'startups.xlsx'), '--solutions-sheet', 'startup']);
    const fromCsv = await runCli(['rank', needs, startups, '-q']);
    expect(fromExcel.code).toBe(0);
    expect(fromExcel.stdout).toBe(fromCsv.stdout);
    expect(fromExcel.stderr).toMatch(/startups\.xlsx: 80 records \(xlsx, sheet 'Startup'\)/);
    expect(fromExcel.stderr).toMatch(/needs\.csv: 30 records \(xlsx, sheet 'Fabbisogni'\)/);
  });

  it('names the sheets when the first one holds no table, or the one asked for does not exist', async () => {
    const cover = { name: 'Note', rows: [['solo una nota'] as Cell[]] };
    await writeFile(join(tmp.dir, 'startups.xlsx'), await workbook([cover, { name: 'Startup', rows: await csvAsRows(startups) }]));
    const first = await runCli(['rank', needs, join(tmp.dir, 'startups.xlsx')]);
    expect(first.code).toBe(3);
    expect(first.stderr).toMatch(/startups\.xlsx:1: the sheet 'Note' has a header row but no records; pick the sheet with --sheet NAME \(the sheets are 'Note', 'Startup'\)/);
    const missing = await runCli(['rank', needs, join(tmp.dir, 'startups.xlsx'), '--sheet', 'Aziende']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--sheet Aziende: .*startups\.xlsx has no such sheet; its sheets are 'Note', 'Startup'/);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('refuses other ZIP archives and broken workbooks with one line', async () => {
    const zip = Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    await writeFile(join(tmp.dir, 'report.docx'), zip);
    const other = await runCli(['rank', needs, join(tmp.dir, 'report.docx')]);
    expect(other.code).toBe(3);
    expect(other.stderr).toMatch(/report\.docx: this is a ZIP archive that is not an Excel workbook/);
    await writeFile(join(tmp.dir, 'broken.xlsx'), Buffer.from('PK\u0003\u0004 not really xl/workbook.xml'));
    const broken = await runCli(['rank', needs, join(tmp.dir, 'broken.xlsx')]);
    expect(broken.code).toBe(3);
    expect(broken.stderr).toMatch(/^match: .*broken\.xlsx: cannot read the Excel workbook \(.*\); open it in Excel and save it again/);
    expect(broken.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('tells workbooks from other ZIP files by content', async () => {
    const book = await workbook([{ name: 'S', rows: [['id', 'text'], ['1', 'a']] }]);
    expect(isXlsx(book)).toBe(true);
    expect(sniffBinary(book)).toMatch(/Excel \.xlsx workbook/);
    expect(isXlsx(Buffer.from('PK\u0003\u0004 word/document.xml'))).toBe(false);
    expect(isXlsx(Buffer.from('id,text\n1,a\n'))).toBe(false);
  });

  it('turns sheet rows into the table CSV gives: header on the first non-empty row, sheet row numbers, blank rows skipped', () => {
    const table = tableFromSheet([[null, null], [' Codice ', 'Descrizione', null], ['7', 'robot', 'x'], [null, null, null], ['8', '2026-03-01', null]], 'a.xlsx', 'S');
    expect(table.columns).toEqual(['Codice', 'Descrizione']);
    expect(table.rows.map((r) => [r.line, r.cells.get('Codice'), r.cells.get('Descrizione')])).toEqual([[3, '7', 'robot'], [5, '8', '2026-03-01']]);
    expect(() => tableFromSheet([['id', 'ID'], ['1', '2']], 'a.xlsx', 'S')).toThrow(/a\.xlsx:1:2: column name 'ID' appears twice/);
    expect(() => tableFromSheet([[null]], 'a.xlsx', 'S')).toThrow(MatchError);
  });
});

describe('writing Excel workbooks (--format xlsx)', () => {
  it('writes a Shortlists sheet with the CSV columns and numbers, and a Settings sheet', async () => {
    const out = join(tmp.dir, 'shortlists.xlsx');
    const r = await runCli(['rank', needs, startups, '-o', out, '-q', '--top', '3']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    const csv = parse((await runCli(['rank', needs, startups, '-q', '--top', '3'])).stdout) as string[][];
    const [shortlists, settings] = await readSheets(out);
    expect(shortlists.sheet).toBe('Shortlists');
    expect(shortlists.data[0]).toEqual(csv[0]);
    expect(shortlists.data).toHaveLength(csv.length);
    const scoreAt = csv[0].indexOf('score');
    expect(typeof shortlists.data[1][scoreAt]).toBe('number');
    expect(shortlists.data[1][scoreAt]).toBe(Number(csv[1][scoreAt]));
    expect(shortlists.data.map((row) => row.map((v) => (v === null ? '' : String(v))))).toEqual(csv);
    expect(settings.sheet).toBe('Settings');
    const entries = new Map(settings.data.map((row) => [row[0], row[1]]));
    expect(entries.get('weights.text')).toBe(0.6);
    expect(entries.get('needs records')).toBe(30);
    expect(entries.get('solutions records')).toBe(80);
    expect(entries.get('top')).toBe(3);
  });

  it('gives identical cell contents for identical runs', async () => {
    await runCli(['rank', needs, startups, '-o', join(tmp.dir, 'a.xlsx'), '-q']);
    await runCli(['rank', needs, startups, '-o', join(tmp.dir, 'b.xlsx'), '-q']);
    expect(await readSheets(join(tmp.dir, 'a.xlsx'))).toEqual(await readSheets(join(tmp.dir, 'b.xlsx')));
  });

  it('neutralises formula-like text as CSV does', async () => {
    await writeFile(join(tmp.dir, 's.csv'), 'id,name,description\n=1+1,=HYPERLINK("x"),robot welding cells\nS2,@cmd,robot welding arms\n');
    await writeFile(join(tmp.dir, 'n.csv'), 'id,title\nN1,robot welding\n');
    await runCli(['rank', join(tmp.dir, 'n.csv'), join(tmp.dir, 's.csv'), '-o', join(tmp.dir, 'x.xlsx'), '-q']);
    const [shortlists] = await readSheets(join(tmp.dir, 'x.xlsx'));
    const cells = shortlists.data.slice(1).flatMap((row) => row.filter((v) => typeof v === 'string'));
    expect(cells).toContain("'=1+1");
    expect(cells).toContain("'@cmd");
    expect(cells.filter((v) => /^[=@+-]/.test(v as string))).toEqual([]);
  });

  it('describes the sheet as plain data: styled header, two-decimal scores, bounded widths', () => {
    const rows = [{ need_id: 'N1', rank: 1, score: 0.12345, top_terms: ['a', 'b'], note: 'x'.repeat(200) }];
    const [sheet, settings] = buildWorkbook(rows, ['need_id', 'rank', 'score', 'top_terms', 'note'], [['top', 10]], { escapeFormulas: true });
    expect(sheet.rows[0].every((c) => c.header)).toBe(true);
    expect(sheet.rows[1]).toEqual([{ value: 'N1' }, { value: 1, format: '0' }, { value: 0.12345, format: '0.00' }, { value: 'a; b' }, { value: 'x'.repeat(200) }]);
    expect(Math.max(...sheet.widths)).toBeLessThanOrEqual(50);
    expect(sheet.widths[0]).toBeGreaterThanOrEqual(6);
    expect(settings.rows[1]).toEqual([{ value: 'top' }, { value: 10, format: '0' }]);
  });

  it('needs -o: a workbook does not go to the terminal', async () => {
    const r = await runCli(['rank', needs, startups, '--format', 'xlsx']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--format xlsx writes a file.*add -o shortlists\.xlsx/);
  });
});

describe('CSV for Italian Excel (--excel)', () => {
  it("uses ';', a decimal comma and a UTF-8 BOM, with the same rows as plain CSV", async () => {
    const excel = await runCli(['rank', needs, startups, '--excel', '-q']);
    const plain = await runCli(['rank', needs, startups, '-q']);
    expect(excel.code).toBe(0);
    expect(excel.stdout.startsWith('\ufeffneed_id;need_title;rank;')).toBe(true);
    const a = parse(excel.stdout.slice(1), { delimiter: ';' }) as string[][];
    const b = parse(plain.stdout) as string[][];
    const scoreAt = b[0].indexOf('score');
    expect(a[1][scoreAt]).toBe(b[1][scoreAt].replace('.', ','));
    expect(a.map((row) => row.map((v, i) => (i === scoreAt || /_score$/.test(b[0][i]) ? v.replace(',', '.') : v)))).toEqual(b);
  });

  it('refuses --excel with a format that is not CSV', async () => {
    const r = await runCli(['rank', needs, startups, '--excel', '--format', 'json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--excel shapes CSV/);
  });
});
