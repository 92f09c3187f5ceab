import { describe, expect, it } from 'vitest';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { datasetFromBytes } from '../src/io/load-dataset.js';
import { detectColumns } from '../src/io/columns.js';
import { splitMulti } from '../src/io/records.js';
import { MatchError } from '../src/errors.js';
import { FIXTURES, runCli, useTempDir } from './helpers/cli.js';

const solutions = (text: string | Buffer, file = 'startups.csv') => datasetFromBytes(Buffer.isBuffer(text) ? text : Buffer.from(text, 'utf8'), file, { role: 'solutions' });

function inputFailure(text: string | Buffer, file = 'startups.csv'): MatchError {
  try {
    solutions(text, file);
  } catch (err) {
    expect(err).toBeInstanceOf(MatchError);
    return err as MatchError;
  }
  throw new Error('expected the input to be refused');
}

describe('column detection', () => {
  it('finds English and Italian names whatever the case and accents', () => {
    const { mapping } = detectColumns(['Codice', 'Ragione Sociale', 'Descrizione', 'Parole chiave', 'Settore ATECO', 'Payoff']);
    expect(mapping).toEqual({ id: 'Codice', name: 'Ragione Sociale', text: ['Descrizione', 'Payoff'], tags: 'Parole chiave', sector: undefined });
    expect(detectColumns(['ID', 'Titolo', 'Testo', 'Categoria']).mapping).toMatchObject({ id: 'ID', title: 'Titolo', text: ['Testo'], sector: 'Categoria' });
    expect(detectColumns(['id', 'firm', 'title', 'abstract']).mapping).toMatchObject({ name: 'firm', title: 'title', text: ['abstract'] });
  });

  it('uses every text-like column, and explicit choices win', () => {
    expect(detectColumns(['id', 'description', 'one_liner', 'notes']).mapping.text).toEqual(['description', 'one_liner', 'notes']);
    const { mapping, missing } = detectColumns(['key', 'blurb', 'extra', 'description'], { id: ['KEY'], text: ['blurb', 'extra'] });
    expect(mapping.id).toBe('key');
    expect(mapping.text).toEqual(['blurb', 'extra']);
    expect(missing).toEqual([]);
    expect(detectColumns(['id', 'text'], { tags: ['nope'] }).missing).toEqual([{ role: 'tags', column: 'nope' }]);
  });

  it('splits multi-value cells on ; | , and reads JSON arrays', () => {
    expect(splitMulti('iot; blockchain | AI,  robotics')).toEqual(['iot', 'blockchain', 'AI', 'robotics']);
    expect(splitMulti('["a, b", "c"]')).toEqual(['a, b', 'c']);
    expect(splitMulti(['x', ' y '])).toEqual(['x', 'y']);
  });
});

describe('CSV dialects that must just work', () => {
  const expected = [{ id: '1', text: 'Riciclo della lana a Prato, città del tessile' }, { id: '2', text: 'Sensori per l’agricoltura: €5' }];
  const check = (text: string | Buffer) => {
    const d = solutions(text);
    expect(d.records.map((r) => ({ id: r.id, text: r.text }))).toEqual(expected);
    return d;
  };

  it('comma, semicolon, tab and pipe, sniffed from the header', () => {
    check('id,descrizione\n1,"Riciclo della lana a Prato, città del tessile"\n2,Sensori per l’agricoltura: €5\n');
    expect(check('id;descrizione\n1;Riciclo della lana a Prato, città del tessile\n2;Sensori per l’agricoltura: €5\n').delimiter).toBe(';');
    check('id\tdescrizione\n1\tRiciclo della lana a Prato, città del tessile\n2\tSensori per l’agricoltura: €5\n');
    check('id|descrizione\n1|Riciclo della lana a Prato, città del tessile\n2|Sensori per l’agricoltura: €5\n');
  });

  it('a quoted header holding a comma does not fool the sniffer', () => {
    const d = solutions('"id";"descrizione, estesa"\n1;"a, b, c"\n');
    expect(d.delimiter).toBe(';');
    expect(d.records[0].text).toBe('a, b, c');
  });

  it('UTF-8 BOM, CRLF, trailing empty lines and Excel sep= line', () => {
    check('\ufeffid;descrizione\r\n1;Riciclo della lana a Prato, città del tessile\r\n2;Sensori per l’agricoltura: €5\r\n\r\n\r\n');
    check('sep=;\r\nid;descrizione\r\n1;Riciclo della lana a Prato, città del tessile\r\n2;Sensori per l’agricoltura: €5\r\n');
  });

  it('trailing empty columns and stray spaces in headers, as Excel writes them', () => {
    check(' ID ; Descrizione ;;\n1;Riciclo della lana a Prato, città del tessile;;\n2;Sensori per l’agricoltura: €5;;;\n');
  });

  it('quoted cells with embedded newlines keep their line numbers right', () => {
    const d = solutions('id,description\n1,"line one\nline two"\n2,""\n3,third\n');
    expect(d.records.map((r) => r.line)).toEqual([2, 4, 5]);
    expect(d.records[0].text).toBe('line one\nline two');
    expect(d.warnings[0]).toMatch(/empty description: 2 \(line 4\)/);
  });

  it('Windows-1252 from Italian Excel keeps € ’ – and à', () => {
    const bytes = iconv.encode('id;descrizione\n1;Riciclo della lana a Prato, città del tessile\n2;Sensori per l’agricoltura: €5\n', 'windows-1252');
    expect(check(bytes).encoding).toBe('windows-1252');
  });

  it('UTF-16 LE and BE with a BOM (Excel "Unicode text")', () => {
    const text = 'id\tdescrizione\n1\tRiciclo della lana a Prato, città del tessile\n2\tSensori per l’agricoltura: €5\n';
    expect(check(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')])).encoding).toBe('utf-16le');
    const be = Buffer.from(text, 'utf16le').swap16();
    expect(check(Buffer.concat([Buffer.from([0xfe, 0xff]), be])).encoding).toBe('utf-16be');
  });

  it('ids are strings: 7 in JSON and "7" are the same id', () => {
    const d = solutions('[{"id": 7, "text": "a"}, {"id": "8", "text": "b"}]', 'x.json');
    expect(d.records.map((r) => r.id)).toEqual(['7', '8']);
    expect(solutions('{"startups": [{"id": 1, "text": "a"}]}', 'x.json').records).toHaveLength(1);
  });

  it('JSON keys such as __proto__ and constructor are plain data', () => {
    const d = solutions('[{"id": "1", "text": "a", "__proto__": {"polluted": true}, "constructor": "x"}]', 'x.json');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(d.records[0].fields.constructor).toBe('x');
    // Nothing inherited: `__proto__` is a column like any other, and there is no toString to shadow.
    const { fields } = d.records[0];
    expect(Object.keys(fields)).toContain('__proto__');
    expect(Object.prototype.isPrototypeOf(fields)).toBe(false);
    expect('toString' in fields).toBe(false);
  });
});

describe('inputs that are refused with file, line and what to do', () => {
  it.each([
    ['a ragged row', 'id,text\n1,a\n2,b,extra\n', /startups\.csv:3:3: the row has 3 cells but the header has 2 columns/],
    ['an unterminated quote', 'id,text\n1,"never closed\n2,b\n', /startups\.csv:2: a quoted cell in this row is never closed/],
    ['duplicate ids', 'id,text\n1,a\n1,b\n', /startups\.csv:3: duplicate id '1' \(first seen at line 2\)/],
    ['an empty id', 'id,text\n,a\n', /startups\.csv:2: .*empty id/],
    ['duplicate header names', 'id,text,Text\n1,a,b\n', /startups\.csv:1:3: column name 'Text' appears twice/],
    ['no id column', 'name,text\nA,b\n', /startups\.csv:1: no id column found.*--solution-id/],
    ['no text column', 'id,website\n1,x\n', /startups\.csv:1: no text column found.*--solution-text/],
    ['an empty file', '', /startups\.csv: the file is empty/],
    ['a header and no rows', 'id,text\n', /startups\.csv.*(empty|no records)/],
  ])('%s', (_, text, message) => {
    const err = inputFailure(text);
    expect(err.exitCode).toBe(3);
    expect(err.message).toMatch(message);
  });

  it('invalid JSON, with line and column', () => {
    const err = inputFailure('[\n  {"id": "1", "text": "a"},\n  {"id": "2" "text": "b"}\n]', 'x.json');
    expect(err.message).toMatch(/^x\.json:3:\d+: invalid JSON/);
    expect(inputFailure('{"id": 1}\n{"id": 2,\n', 'x.jsonl').message).toMatch(/^x\.jsonl:2(:\d+)?: invalid JSON/);
  });

  it('a ZIP archive that is not an Excel workbook (workbooks are read: see xlsx.test.ts)', () => {
    const err = inputFailure(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 0, 0]));
    expect(err.message).toMatch(/ZIP archive that is not an Excel workbook.*save it as CSV/);
  });
});

describe('input errors through the CLI', () => {
  const tmp = useTempDir();

  it('one line on stderr, exit 3, no stack trace', async () => {
    const bad = join(tmp.dir, 'bad.csv');
    await writeFile(bad, 'id,text\n1,a\n1,b\n');
    const r = await runCli(['rank', bad, join(FIXTURES, 'startups.csv')]);
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toEqual([`match: ${bad}:3: duplicate id '1' (first seen at line 2); ids must be unique`]);
  });

  it('a missing file is an input error', async () => {
    const r = await runCli(['rank', join(tmp.dir, 'nope.csv'), join(FIXTURES, 'startups.csv')]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/nope\.csv: no such file/);
  });

  it('a column flag naming no column is a usage error', async () => {
    const r = await runCli(['rank', join(FIXTURES, 'needs.csv'), join(FIXTURES, 'startups.csv'), '--solution-tags', 'keywordz']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no column 'keywordz' \(given by --solution-tags\)/);
  });

  it('both files from stdin is a usage error', async () => {
    const r = await runCli(['rank', '-', '-']);
    expect(r.code).toBe(2);
  });
});
