import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { parse } from 'csv-parse/sync';
import { runCli, tempDir, type CliResult } from './helpers/cli.js';

/**
 * Real files, written as bytes, through the built binary: every dialect and
 * encoding `match` accepts, and every input it refuses, as a user meets them.
 */

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(async () => cleanup());

/** Two needs that each have one obvious solution; the names carry accents, € ’ – to catch a wrong decode. */
const NEEDS_CSV = 'id,title,description\nN1,Riciclo lana,riciclo della lana tessile rigenerata a Prato\nN2,Sensori campi,sensori per agricoltura di precisione e irrigazione\n';
const SOLUTIONS = [
  { id: 'S1', name: 'Lanificio Città – Prato', description: 'Riciclo della lana tessile rigenerata, città di Prato' },
  { id: 'S2', name: 'AgriSens €5 l’ora', description: 'Sensori per agricoltura di precisione e irrigazione' },
];

async function write(name: string, bytes: string | Buffer): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, bytes);
  return path;
}

async function needsFile(): Promise<string> {
  return write('needs.csv', NEEDS_CSV);
}

/** The solutions as CSV text in a dialect: delimiter, line ending, and which cells are quoted. */
function solutionsCsv(d: string, eol = '\n', quoteAll = false): string {
  const q = (v: string) => (quoteAll || v.includes(d) || v.includes('"') ? `"${v.replace(/"/g, '""')}"` : v);
  return ['id', 'name', 'description'].map(q).join(d) + eol + SOLUTIONS.map((s) => [s.id, s.name, s.description].map(q).join(d)).join(eol) + eol;
}

interface Pair {
  need_id: string;
  rank: number;
  solution_id: string;
  solution_name: string;
  score: number;
}

/** Ranks with the given solutions file and returns the best pair per need, plus stderr. */
async function rankWith(solutions: string, extra: string[] = [], needs?: string): Promise<{ r: CliResult; best: Map<string, Pair> }> {
  const r = await runCli(['rank', needs ?? (await needsFile()), solutions, '--format', 'jsonl', '--top', '1', ...extra]);
  const best = new Map<string, Pair>();
  if (r.code === 0) for (const line of r.stdout.trim().split('\n')) { const p = JSON.parse(line) as Pair; best.set(p.need_id, p); }
  return { r, best };
}

/** The solutions were read right: each need finds its solution, and the names survived decoding. */
async function expectReadRight(solutions: string, extra: string[] = [], mapping?: RegExp): Promise<void> {
  const { r, best } = await rankWith(solutions, extra);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  expect(r.code, r.stderr).toBe(0);
  expect(best.get('N1')).toMatchObject({ solution_id: 'S1', solution_name: SOLUTIONS[0].name });
  expect(best.get('N2')).toMatchObject({ solution_id: 'S2', solution_name: SOLUTIONS[1].name });
  expect(best.get('N1')!.score).toBeGreaterThan(0.2);
  if (mapping) expect(r.stderr).toMatch(mapping);
}

describe('encodings, as Excel and LibreOffice write them', () => {
  it('UTF-8 without and with a BOM', async () => {
    await expectReadRight(await write('plain.csv', solutionsCsv(',')), [], /plain\.csv: 2 records \(csv ',', utf-8\)/);
    await expectReadRight(await write('bom.csv', `\ufeff${solutionsCsv(',')}`), [], /bom\.csv: 2 records \(csv ',', utf-8\); columns id=id, name=name/);
  });

  it('UTF-16 LE and BE with a BOM (Excel "Unicode text", tab-separated)', async () => {
    const text = solutionsCsv('\t', '\r\n');
    await expectReadRight(await write('le.txt', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')])), [], /le\.txt: 2 records \(csv tab, utf-16le\)/);
    await expectReadRight(await write('be.txt', Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()])), [], /be\.txt: 2 records \(csv tab, utf-16be\)/);
  });

  it('Windows-1252 from Italian Excel ("CSV (separato da punto e virgola)") is detected', async () => {
    await expectReadRight(await write('excel.csv', iconv.encode(solutionsCsv(';', '\r\n'), 'windows-1252')), [], /excel\.csv: 2 records \(csv ';', windows-1252\)/);
  });

  it('Windows-1252 whose first accent comes after 64 KB of plain ASCII is still detected', async () => {
    const filler = Array.from({ length: 2000 }, (_, i) => `F${i};Filler ${i};plain ascii words about nothing in particular`).join('\r\n');
    const text = `${solutionsCsv(';', '\r\n').split('\r\n')[0]}\r\n${filler}\r\n${solutionsCsv(';', '\r\n').split('\r\n').slice(1).join('\r\n')}`;
    expect(text.indexOf('à')).toBeGreaterThan(64 * 1024);
    await expectReadRight(await write('late-accent.csv', iconv.encode(text, 'windows-1252')), [], /late-accent\.csv: 2002 records \(csv ';', windows-1252\)/);
  });

  it('--encoding forces a decode the guess cannot make (UTF-16 without a BOM)', async () => {
    const path = await write('nobom.txt', Buffer.from(solutionsCsv('\t'), 'utf16le'));
    const guessed = await rankWith(path);
    expect(guessed.r.code).toBe(3);
    expect(guessed.r.stderr).toMatch(/nobom\.txt: the file is not text .*set --encoding/);
    await expectReadRight(path, ['--encoding', 'utf-16le', '--needs-encoding', 'utf-8'], /nobom\.txt: 2 records \(csv tab, utf-16le\)/);
  });

  it('--solutions-encoding sets one file; --encoding would set both', async () => {
    const path = await write('nobom.txt', Buffer.from(solutionsCsv('\t'), 'utf16le'));
    await expectReadRight(path, ['--solutions-encoding', 'utf-16le'], /needs\.csv: 2 records \(csv ',', utf-8\)/);
    const both = await rankWith(path, ['--encoding', 'utf-16le']);
    expect(both.r.code).toBe(3); // the UTF-8 needs file read as UTF-16 is not text any more
    expect(both.r.stderr).toMatch(/^match: .*needs\.csv:/);
  });

  it('--needs-encoding sets the needs file only', async () => {
    const needs = await write('needs-1252.csv', iconv.encode('id;title;description\nN1;Città;riciclo della lana tessile rigenerata\nN2;Più campi;sensori per agricoltura di precisione\n', 'windows-1252'));
    // Forced as Latin-1 (Windows-1252); the UTF-8 solutions stay UTF-8.
    const { r, best } = await rankWith(await write('s.csv', solutionsCsv(',')), ['--needs-encoding', 'latin1'], needs);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/needs-1252\.csv: 2 records \(csv ';', windows-1252\)/);
    expect(r.stderr).toMatch(/s\.csv: 2 records \(csv ',', utf-8\)/);
    expect(best.get('N1')?.solution_id).toBe('S1');
  });

  it('stdin is decided from what arrives; --encoding forces it', async () => {
    const bytes = iconv.encode(solutionsCsv(';'), 'windows-1252');
    const needs = await needsFile();
    const guessed = await runCli(['rank', needs, '-', '--format', 'jsonl', '--top', '1'], { input: bytes });
    expect(guessed.code).toBe(0);
    expect(guessed.stderr).toMatch(/<stdin>: 2 records \(csv ';', windows-1252\)/);
    expect(guessed.stdout).toContain('Lanificio Città – Prato');
    // Latin-1 text that happens to be valid UTF-8 ("Ã©") is guessed UTF-8; forcing reads it as written.
    const forced = await runCli(['rank', needs, '-', '--format', 'jsonl', '--top', '1', '--solutions-encoding', 'windows-1252'], { input: iconv.encode(solutionsCsv(';').replace('Città', 'CittÃ©'), 'windows-1252') });
    expect(forced.code).toBe(0);
    expect(forced.stdout).toContain('CittÃ©');
  });

  it('a file that reads as UTF-8 but turns out not to be is refused with the line and the flag to use', async () => {
    // Past the first megabyte: the guess is made on what has been read by then.
    const head = `id,name,description\nS0,Città,riciclo\n${Array.from({ length: 30_000 }, (_, i) => `F${i},Filler,plain ascii words about nothing at all`).join('\n')}\n`;
    const path = await write('mixed.csv', Buffer.concat([Buffer.from(head, 'utf8'), iconv.encode('S9,Più,perché\n', 'windows-1252')]));
    expect(head.length).toBeGreaterThan(1024 * 1024);
    const r = await runCli(['rank', await needsFile(), path]);
    expect(r.code).toBe(3);
    expect(r.stderr).toBe(`match: ${path}:30003: byte 0xF9 is not UTF-8, though the file read as UTF-8 up to here; it mixes encodings or is Windows-1252: add --encoding windows-1252\n`);
    const forced = await runCli(['rank', await needsFile(), path, '--solutions-encoding', 'windows-1252', '-q']);
    expect(forced.code).toBe(0);
  });
});

describe('CSV dialects', () => {
  it('comma, semicolon, tab and pipe are sniffed from the header', async () => {
    for (const [d, name, shown] of [[',', 'c.csv', "','"], [';', 's.csv', "';'"], ['\t', 't.tsv', 'tab'], ['|', 'p.txt', "'|'"]]) {
      await expectReadRight(await write(name, solutionsCsv(d)), [], new RegExp(`${name.replace('.', '\\.')}: 2 records \\(csv ${shown.replace('|', '\\|')}, utf-8\\)`));
    }
  });

  it('the sniffer ignores delimiters inside a quoted header cell', async () => {
    const text = '"id";"name, legal";"description"\nS1;"Lanificio Città – Prato";"Riciclo della lana tessile rigenerata, città di Prato"\nS2;AgriSens €5 l’ora;Sensori per agricoltura di precisione e irrigazione\n';
    await expectReadRight(await write('q.csv', text), ['--solution-name', 'name, legal'], /q\.csv: 2 records \(csv ';', utf-8\)/);
  });

  it('--needs-delimiter sets one file where the sniffer would be wrong; --delimiter sets both', async () => {
    // Two commas and two semicolons outside quotes: a tie the sniffer settles as ','.
    const needs = await write('needs-semi.csv', 'id;title, short, name;description\nN1;Riciclo lana;riciclo della lana tessile rigenerata a Prato\nN2;Sensori campi;sensori per agricoltura di precisione e irrigazione\n');
    const solutions = await write('s.csv', solutionsCsv(','));
    const sniffed = await rankWith(solutions, [], needs);
    expect(sniffed.r.code).toBe(3);
    const own = await rankWith(solutions, ['--needs-delimiter', ';'], needs);
    expect(own.r.code, own.r.stderr).toBe(0);
    expect(own.best.get('N2')?.solution_id).toBe('S2');
    const both = await rankWith(solutions, ['--delimiter', ';'], needs);
    expect(both.r.code).toBe(3);
    expect(both.r.stderr).toMatch(/s\.csv:1: no id column found/);
    const named = await rankWith(await write('s2.csv', solutionsCsv(';')), ['--solutions-delimiter', 'semicolon']);
    expect(named.r.code).toBe(0);
  });

  it('CRLF, quoted cells with line breaks, trailing empty lines', async () => {
    const text = 'id,name,description\r\nS1,Lanificio Città – Prato,"Riciclo della lana tessile\r\nrigenerata, città di Prato"\r\nS2,AgriSens €5 l’ora,"Sensori per agricoltura\ndi precisione e irrigazione"\r\n\r\n\r\n\r\n';
    await expectReadRight(await write('crlf.csv', text), [], /crlf\.csv: 2 records/);
  });

  it("trailing empty columns ('a;b;c;;'), header cells with stray spaces and any case, Excel's sep= line", async () => {
    const text = 'sep=;\r\n  ID ; NAME ;Description ;;\r\nS1;Lanificio Città – Prato;Riciclo della lana tessile rigenerata, città di Prato;;\r\nS2;AgriSens €5 l’ora;Sensori per agricoltura di precisione e irrigazione;;;\r\n';
    await expectReadRight(await write('excel.csv', text), [], /excel\.csv: 2 records \(csv ';', utf-8\); columns id=ID, name=NAME, text=Description/);
  });

  it('a row error after the sep= line names the line as the file counts it', async () => {
    const r = await runCli(['rank', await needsFile(), await write('sep.csv', 'sep=;\nid;description\nS1;a\nS1;b\n')]);
    expect(r.stderr).toBe(`match: ${join(dir, 'sep.csv')}:4: duplicate id 'S1' (first seen at line 3); ids must be unique\n`);
  });
});

describe('JSON and JSON Lines', () => {
  it('a top-level array, an object holding one array, JSON Lines; numbers or strings as ids', async () => {
    const records = SOLUTIONS.map((s, i) => ({ ...s, id: i === 0 ? 'S1' : 'S2' }));
    await expectReadRight(await write('a.json', JSON.stringify(records)), [], /a\.json: 2 records \(json, utf-8\)/);
    await expectReadRight(await write('o.json', JSON.stringify({ startups: records })), [], /o\.json: 2 records \(json/);
    await expectReadRight(await write('l.jsonl', `${records.map((r) => JSON.stringify(r)).join('\n')}\n\n`), [], /l\.jsonl: 2 records \(jsonl/);
    await expectReadRight(await write('data', `${records.map((r) => JSON.stringify(r)).join('\n')}\n`), [], /data: 2 records \(jsonl/);
    const numeric = await rankWith(await write('n.json', JSON.stringify(records.map((r, i) => ({ ...r, id: i + 1 })))));
    expect(numeric.r.code).toBe(0);
    expect([...numeric.best.values()].map((p) => p.solution_id).sort()).toEqual(['1', '2']);
  });

  it('keys such as __proto__ and constructor are plain columns, usable by name', async () => {
    const records = SOLUTIONS.map((s) => `{"id": "${s.id}", "__proto__": {"polluted": "yes"}, "constructor": ${JSON.stringify(s.name)}, "description": ${JSON.stringify(s.description)}, "toString": "x"}`);
    const path = await write('proto.json', `[${records.join(',\n')}]`);
    await expectReadRight(path, ['--solution-name', 'constructor'], /proto\.json: 2 records \(json, utf-8\); columns id=id, name=constructor, text=description/);
    const csv = await write('proto.csv', `id,__proto__,constructor,hasOwnProperty,description\n${SOLUTIONS.map((s) => `${s.id},{},${s.name},x,"${s.description}"`).join('\n')}\n`);
    await expectReadRight(csv, ['--solution-name', 'constructor']);
  });
});

describe('inputs refused with one line: file, line, column, what to do; exit 3', () => {
  /** Runs rank with a bad solutions file and returns the one stderr line. */
  async function refused(name: string, bytes: string | Buffer): Promise<string> {
    const path = await write(name, bytes);
    const r = await runCli(['rank', await needsFile(), path, '-o', join(dir, 'out.csv')]);
    expect(r.code, r.stderr).toBe(3);
    expect(r.stdout).toBe('');
    const lines = r.stderr.split('\n').filter(Boolean);
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toMatch(/\bat .*\.js:\d+/);
    expect(lines[0].startsWith(`match: ${path}`)).toBe(true);
    return lines[0].slice(`match: ${path}`.length);
  }

  it.each([
    ['a ragged row', 'ragged.csv', 'id,description\nS1,a\nS2,b,extra\n', /^:3:3: the row has 3 cells but the header has 2 columns; check for an unquoted ',' inside a cell, or a wrong --delimiter$/],
    ['a value under an unnamed column', 'gap.csv', 'id;;description\nS1;x;a\n', /^:2:2: the row has a value in column 2, which has no name in the header/],
    ['an unterminated quote', 'quote.csv', 'id,description\nS1,a\nS2,"never closed\nS3,b\n', /^:3: a quoted cell in this row is never closed \(unterminated quote\); check the quotes here/],
    ['invalid JSON', 'bad.json', '[\n  {"id": "S1", "description": "a"},\n  {"id": "S2" "description": "b"}\n]\n', /^:3:\d+: invalid JSON \(.*\); fix the syntax or export the file again$/],
    ['invalid JSON Lines', 'bad.jsonl', '{"id": "S1", "description": "a"}\n{"id": "S2", "description": }\n', /^:2(:\d+)?: invalid JSON/],
    ['a JSON Lines line that is not an object', 'arr.jsonl', '{"id": "S1", "description": "a"}\n[1, 2]\n', /^:2: line 2 is not an object/],
    ['a JSON object with no array of records', 'obj.json', '{"id": "S1"}', /^:1: the JSON object holds no array of records/],
    ['a PDF under a .csv name', 'report.csv', Buffer.concat([Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1'), Buffer.alloc(200, 7)]), /^: this is a PDF document, not CSV or JSON text; save it as CSV UTF-8 \(or JSON\)/],
    ['random bytes with NULs', 'noise.csv', Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256)), /^: the file is not text \(it holds binary bytes\); save it as CSV UTF-8 or JSON/],
    ['an empty file', 'empty.csv', '', /^: the file is empty: expected a header line and records$/],
    ['blank lines only', 'blank.csv', '\n\r\n  \n', /^: the file is empty/],
    ['an empty JSON Lines file', 'empty.jsonl', '\n\n', /^: the file is empty/],
    ['an empty JSON array', 'empty.json', '[]', /^: the JSON array is empty/],
    ['a header and no records', 'header.csv', 'id,description\n\n', /^:1: the file has a header line but no records$/],
    ['no id column', 'noid.csv', 'name,description\nA,b\n', /^:1: no id column found \(looked for id, codice, code\.\.\.\); name one with --solution-id COLUMN\. Columns: name, description$/],
    ['no text column', 'notext.csv', 'id,website\nS1,x\n', /^:1: no text column found .*name one with --solution-text COLUMN/],
    ['duplicate ids', 'dup.csv', 'id,description\nS1,a\nS2,b\nS1,c\n', /^:4: duplicate id 'S1' \(first seen at line 2\); ids must be unique$/],
    ['duplicate ids across number and string in JSON', 'dup.json', '[{"id": 7, "description": "a"}, {"id": "7", "description": "b"}]', /^:2: duplicate id '7' \(first seen at record 1\)/],
    ['an empty id', 'noval.csv', 'id,description\nS1,a\n ,b\n', /^:3: the row has an empty id in column 'id'/],
    ['duplicate header names', 'dupcol.csv', 'id,Description,description\nS1,a,b\n', /^:1:3: column name 'description' appears twice \(columns 2 and 3\); rename one of them$/],
    ['a row larger than 1 MB', 'huge.csv', `id,description\nS1,a\nS2,"${'x'.repeat(1_100_000)}"\nS3,b\n`, /^:3: the row is larger than 1 MB.*check for a quote that is never closed here/],
    ['an unclosed quote that swallows a long file', 'swallow.csv', `id,description\nS1,"oops\n${'S9,more text here\n'.repeat(80_000)}`, /^:2: the row is larger than 1 MB/],
    ['a JSON Lines line longer than 4 MB', 'huge.jsonl', `{"id": "S1", "description": "a"}\n{"id": "S2", "description": "${'x'.repeat(4_100_000)}"}\n`, /^:2: the line is longer than 4000000 characters/],
    ['corrupt gzip', 'bad.csv.gz', Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 1, 2, 3, 4, 5]), /^: the gzip data is corrupt or truncated/],
  ])('%s', async (_, name, bytes, message) => {
    expect(await refused(name, bytes)).toMatch(message);
  });

  it('a missing file, a folder', async () => {
    expect(await runCli(['rank', await needsFile(), join(dir, 'nope.csv')])).toMatchObject({ code: 3, stderr: `match: ${join(dir, 'nope.csv')}: no such file; check the path\n` });
    expect(await runCli(['rank', await needsFile(), dir])).toMatchObject({ code: 3, stderr: `match: ${dir}: is a folder, not a file\n` });
  });

  it('an error deep in a large file is reported at its line', async () => {
    const rows = Array.from({ length: 60_000 }, (_, i) => `S${i},"quoted text with a line\nbreak inside, row ${i}"`);
    rows.push('S17,dup');
    const path = await write('deep.csv', `id,description\n${rows.join('\n')}\n`);
    const r = await runCli(['rank', await needsFile(), path]);
    expect(r.stderr).toBe(`match: ${path}:120002: duplicate id 'S17' (first seen at line 36); ids must be unique\n`);
  });
});

describe('formula injection in CSV output (OWASP)', () => {
  // Leading tab, CR and spaces are trimmed on reading, so what follows them is what must be neutralised.
  const hostile = ['=HYPERLINK("http://evil.example","click")', '+1+2', '-2+3', '@SUM(A1:A9)', '\t=cmd|calc', '\r\n+cmd', '  -1'];

  async function hostileRun(extra: string[]): Promise<Record<string, string>[]> {
    const q = (v: string) => `"${v.replace(/"/g, '""')}"`;
    const needs = await write('needs.csv', `id,title,description\n${hostile.map((h, i) => `${q(`=N${i}`)},${q(h)},riciclo della lana tessile rigenerata`).join('\n')}\n`);
    const solutions = await write('s.csv', `id,name,description\n${hostile.map((h, i) => `${q(`-S${i}`)},${q(h)},riciclo della lana tessile rigenerata`).join('\n')}\n`);
    const r = await runCli(['rank', needs, solutions, '--format', 'csv', '-q', '--top', '7', ...extra]);
    expect(r.code, r.stderr).toBe(0);
    return parse(r.stdout, { columns: true }) as Record<string, string>[];
  }

  it("text cells starting with = + - @ tab or CR get a leading ', scores stay numbers", async () => {
    const rows = await hostileRun([]);
    expect(rows).toHaveLength(hostile.length ** 2);
    for (const row of rows) {
      for (const column of ['need_id', 'need_title', 'solution_id', 'solution_name']) expect(row[column], column).toMatch(/^'[=+\-@]/);
      expect(row.score).toMatch(/^(0|1|0\.\d+)$/);
      expect(row.rank).toMatch(/^[1-7]$/);
    }
    expect(new Set(rows.map((r) => r.solution_name))).toEqual(new Set(hostile.map((h) => `'${h.trim()}`)));
  });

  it('--no-escape-formulas writes the cells as they are', async () => {
    const rows = await hostileRun(['--no-escape-formulas']);
    expect(new Set(rows.map((r) => r.solution_name))).toEqual(new Set(hostile.map((h) => h.trim())));
    expect(new Set(rows.map((r) => r.need_id))).toEqual(new Set(hostile.map((_, i) => `=N${i}`)));
  });
});
