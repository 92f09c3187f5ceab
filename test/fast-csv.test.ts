import { describe, expect, it } from 'vitest';
import { parseCsvStream, type Table } from '../src/io/parse-table.js';
import { FastCsvUnsupported, parseCsvFast } from '../src/io/fast-csv.js';
import { random } from './helpers/random.js';

// The fast CSV reader must read every file it accepts exactly as csv-parse
// does (cells, line numbers, errors), and hand everything else back.


const PIECES = ['a', 'b', 'Città', 'x y', ' ', '5" screen', '""', '"', '"q"', '"a,b"', '"line\nbreak"', '"cr\r\nlf"', '"x""y"', ',', ';', '\n', '\r\n', '\r', '', '\t', '"unclosed', '"a"b', "it's"];

const WELL_FORMED = PIECES.filter((p) => !['"', '"unclosed', '"a"b', '"q"', '""', '"x""y"', '"a,b"', '"line\nbreak"', '"cr\r\nlf"', '\n', '\r\n', '\r'].includes(p));

function csv(rnd: () => number, delimiter: string, newline: string, pieces = PIECES): string {
  const header = ['id', 'title', 'text'].join(delimiter);
  const rows: string[] = [header];
  const n = Math.floor(rnd() * 8);
  for (let r = 0; r < n; r++) {
    const cells: string[] = [];
    const count = 1 + Math.floor(rnd() * 4);
    for (let c = 0; c < count; c++) {
      let cell = `${r}${c}`;
      if (rnd() < 0.6) cell += pieces[Math.floor(rnd() * pieces.length)];
      if (rnd() < 0.2) cell = pieces[Math.floor(rnd() * pieces.length)];
      // Cells quoted as a spreadsheet writes them.
      if (rnd() < 0.3) cell = `"${cell.replace(/"/g, '""')}"`;
      cells.push(cell);
    }
    rows.push(cells.join(delimiter));
    if (rnd() < 0.1) rows.push('');
  }
  return rows.join(newline) + (rnd() < 0.5 ? newline : '');
}

async function* chunks(text: string, rnd: () => number): AsyncGenerator<string> {
  let i = 0;
  while (i < text.length) {
    const n = 1 + Math.floor(rnd() * 7);
    yield text.slice(i, i + n);
    i += n;
  }
}

async function outcome(read: () => Promise<Table>): Promise<{ table?: Table; error?: string; unsupported?: boolean }> {
  try {
    return { table: await read() };
  } catch (err) {
    if (err instanceof FastCsvUnsupported) return { unsupported: true };
    return { error: (err as Error).message };
  }
}

describe('fast CSV reader', () => {
  it('reads what csv-parse reads, or gives the file back', async () => {
    let read = 0;
    for (let seed = 1; seed <= 1500; seed++) {
      const rnd = random(seed);
      const delimiter = rnd() < 0.7 ? ',' : ';';
      const newline = ['\n', '\r\n', '\r'][Math.floor(rnd() * 3)];
      const text = csv(rnd, delimiter, newline);
      const cut = Math.floor(rnd() * text.length);
      const prefix = text.slice(0, Math.max(cut, Math.min(text.length, 20)));
      const rest = text.slice(prefix.length);
      const expected = await outcome(() => parseCsvStream(prefix, chunks(rest, random(seed)), 'f.csv', delimiter));
      const got = await outcome(() => parseCsvFast(prefix, chunks(rest, random(seed + 1)), 'f.csv', delimiter));
      if (got.unsupported) continue;
      expect(got, `seed ${seed}: ${JSON.stringify(text)}`).toEqual(expected);
      if (got.table) read++;
    }
    expect(read).toBeGreaterThan(200);
  });

  it('reads every well-formed file itself', async () => {
    for (let seed = 1; seed <= 500; seed++) {
      const rnd = random(seed);
      const newline = ['\n', '\r\n', '\r'][Math.floor(rnd() * 3)];
      const text = csv(rnd, ',', newline, WELL_FORMED);
      const expected = await outcome(() => parseCsvStream(text.slice(0, 10), chunks(text.slice(10), random(seed)), 'f.csv', ','));
      expect(await outcome(() => parseCsvFast(text.slice(0, 10), chunks(text.slice(10), random(seed + 1)), 'f.csv', ',')), `seed ${seed}: ${JSON.stringify(text)}`).toEqual(expected);
    }
  });
});
