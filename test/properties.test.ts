import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFile } from 'node:fs/promises';
import { isUtf8 } from 'node:buffer';
import { join } from 'node:path';
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { datasetFromBytes, loadDataset, type Dataset, type InputFormat } from '../src/io/load-dataset.js';
import { decode } from '../src/io/decode.js';
import { createStreamDecoder } from '../src/io/text-decoder.js';
import { JsonLinesBuilder, csvDialect, parseCsv, parseCsvStream, parseJsonLines, type Table } from '../src/io/parse-table.js';
import { escapeFormula, unescapeFormula } from '../src/render/csv.js';
import { MatchError } from '../src/errors.js';
import { FIXTURES, runCli, tempDir } from './helpers/cli.js';

/**
 * Generated and mangled inputs: whatever bytes come in, the loaders either
 * read them or refuse them with a MatchError (exit 2 or 3), the streaming
 * loader agrees with the whole-file one, and every file we write in an
 * accepted dialect reads back the ids and texts we put in.
 */

// Characters that stress quoting, delimiters, line ends and encodings.
const CHARS = ['a', 'b', 'Z', ' ', 'à', 'é', 'ò', '€', '’', '–', '"', "'", ',', ';', '|', '\t', '\n', '\r', '\r\n', '=', '1', '🙂', '{', '}'];
const text = fc.string({ unit: fc.constantFrom(...CHARS), maxLength: 30 });
const id = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_-]{0,6}$/);

interface Rec {
  id: string;
  description: string;
}
const records = fc.uniqueArray(fc.record({ id, description: text }), { minLength: 1, maxLength: 8, selector: (r) => r.id });

type Encoding = 'utf-8' | 'utf-8-bom' | 'utf-16le' | 'utf-16be' | 'windows-1252';

interface CsvStyle {
  delimiter: ',' | ';' | '\t' | '|';
  eol: '\n' | '\r\n';
  quoteAll: boolean;
  sepLine: boolean;
  trailingLines: number;
  header: [string, string];
  encoding: Encoding;
}

const csvStyle: fc.Arbitrary<CsvStyle> = fc.record({
  delimiter: fc.constantFrom(',', ';', '\t', '|'),
  eol: fc.constantFrom('\n', '\r\n'),
  quoteAll: fc.boolean(),
  sepLine: fc.boolean(),
  trailingLines: fc.integer({ min: 0, max: 2 }),
  header: fc.constantFrom<[string, string]>(['id', 'description'], [' ID ', 'Description'], ['Codice', 'descrizione'], ['id', 'Testo ']),
  encoding: fc.constantFrom<Encoding>('utf-8', 'utf-8-bom', 'utf-16le', 'utf-16be', 'windows-1252'),
});

function encode(textValue: string, encoding: Encoding): Buffer {
  switch (encoding) {
    case 'utf-8': return Buffer.from(textValue, 'utf8');
    case 'utf-8-bom': return Buffer.from(`\ufeff${textValue}`, 'utf8');
    case 'utf-16le': return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(textValue, 'utf16le')]);
    case 'utf-16be': return Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(textValue, 'utf16le').swap16()]);
    case 'windows-1252': {
      const bytes = iconv.encode(textValue, 'windows-1252');
      // Only text Windows-1252 can hold, and that the detector can tell from UTF-8 (pure ASCII is both).
      const faithful = iconv.decode(bytes, 'windows-1252') === textValue;
      return faithful && (!isUtf8(bytes) || bytes.every((b) => b < 0x80)) ? bytes : Buffer.from(textValue, 'utf8');
    }
  }
}

function writeCsv(recs: readonly Rec[], style: CsvStyle): Buffer {
  const d = style.delimiter;
  const cell = (v: string) => (style.quoteAll || /["\r\n]/.test(v) || v.includes(d) ? `"${v.replace(/"/g, '""')}"` : v);
  const lines = [style.header.map(cell).join(d), ...recs.map((r) => [r.id, r.description].map(cell).join(d))];
  const body = (style.sepLine ? `sep=${d}${style.eol}` : '') + lines.join(style.eol) + style.eol + style.eol.repeat(style.trailingLines);
  return encode(body, style.encoding);
}

type JsonShape = 'array' | 'object' | 'lines';

function writeJson(recs: readonly Rec[], shape: JsonShape, numericIds: boolean, bom: boolean): Buffer {
  const values = recs.map((r) => ({ id: numericIds && /^[1-9]\d{0,6}$/.test(r.id) ? Number(r.id) : r.id, description: r.description }));
  const body = shape === 'lines' ? values.map((v) => JSON.stringify(v)).join('\n') + '\n' : JSON.stringify(shape === 'array' ? values : { startups: values }, null, 1);
  return encode(body, bom ? 'utf-8-bom' : 'utf-8');
}

/** Bytes as a stream that cuts them at the given places. */
async function* chunked(bytes: Buffer, cuts: readonly number[]): AsyncGenerator<Buffer> {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  let start = 0;
  for (const p of points) {
    if (p > start) yield bytes.subarray(start, p);
    start = Math.max(start, p);
  }
  if (start < bytes.length) yield bytes.subarray(start);
}

type Outcome = { ok: { id: string; text: string }[] } | { error: string; exitCode: number };

/** What a loader made of the input: the records, or the MatchError (anything else fails the test). */
async function outcome(load: () => Dataset | Promise<Dataset>, label: string): Promise<Outcome> {
  try {
    const d = await load();
    return { ok: d.records.map((r) => ({ id: r.id, text: r.text })) };
  } catch (err) {
    if (!(err instanceof MatchError)) throw err;
    expect([2, 3]).toContain(err.exitCode);
    expect(err.message).not.toContain('\n');
    return { error: err.message.split(label).join('FILE'), exitCode: err.exitCode };
  }
}

const FILE_NAMES: Record<InputFormat, string> = { csv: 'data.csv', json: 'data.json', jsonl: 'data.jsonl' };

/** Both loaders over the same bytes: whole-file (`datasetFromBytes`) and streaming (`loadDataset`, cut into chunks). */
async function loadBoth(bytes: Buffer, format: InputFormat, cuts: readonly number[]): Promise<[Outcome, Outcome]> {
  const whole = await outcome(() => datasetFromBytes(bytes, FILE_NAMES[format], { role: 'solutions' }), FILE_NAMES[format]);
  const streamed = await outcome(() => loadDataset('-', { role: 'solutions', format }, chunked(bytes, cuts)), '<stdin>');
  return [whole, streamed];
}

const expected = (recs: readonly Rec[]) => ({ ok: recs.map((r) => ({ id: r.id, text: r.description.trim() })) });

describe('files written in any accepted dialect read back their ids and texts', () => {
  it('CSV: delimiters, quoting, line ends, sep= line, header spelling, encodings', async () => {
    await fc.assert(
      fc.asyncProperty(records, csvStyle, fc.array(fc.nat(), { maxLength: 6 }), async (recs, style, cuts) => {
        const [whole, streamed] = await loadBoth(writeCsv(recs, style), 'csv', cuts);
        expect(whole).toEqual(expected(recs));
        expect(streamed).toEqual(whole);
      }),
      { numRuns: 300 },
    );
  });

  it('JSON arrays, objects holding an array, JSON Lines; numeric ids', async () => {
    await fc.assert(
      fc.asyncProperty(records, fc.constantFrom<JsonShape>('array', 'object', 'lines'), fc.boolean(), fc.boolean(), fc.array(fc.nat(), { maxLength: 6 }), async (recs, shape, numericIds, bom, cuts) => {
        const [whole, streamed] = await loadBoth(writeJson(recs, shape, numericIds, bom), shape === 'lines' ? 'jsonl' : 'json', cuts);
        expect(whole).toEqual(expected(recs));
        expect(streamed).toEqual(whole);
      }),
      { numRuns: 200 },
    );
  });
});

/** Byte-level damage: insertions, deletions, replacements, truncation. */
const mutations = fc.array(fc.tuple(fc.constantFrom('insert', 'delete', 'replace', 'truncate'), fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 });

function mutate(bytes: Buffer, edits: readonly [string, number, number][]): Buffer {
  let out = Buffer.from(bytes);
  for (const [kind, at, value] of edits) {
    const i = out.length ? at % out.length : 0;
    if (kind === 'insert') out = Buffer.concat([out.subarray(0, i), Buffer.from([value]), out.subarray(i)]);
    else if (kind === 'delete') out = Buffer.concat([out.subarray(0, i), out.subarray(i + 1 + (value % 8))]);
    else if (kind === 'replace' && out.length) out[i] = value;
    else if (kind === 'truncate') out = out.subarray(0, i);
  }
  return out;
}

const damagedInput = fc.oneof(
  fc.tuple(records, csvStyle, mutations).map(([recs, style, edits]) => ({ bytes: mutate(writeCsv(recs, style), edits), format: 'csv' as InputFormat })),
  fc.tuple(records, fc.constantFrom<JsonShape>('array', 'object', 'lines'), mutations).map(([recs, shape, edits]) => ({ bytes: mutate(writeJson(recs, shape, true, false), edits), format: (shape === 'lines' ? 'jsonl' : 'json') as InputFormat })),
  fc.tuple(fc.uint8Array({ maxLength: 300 }), fc.constantFrom<InputFormat>('csv', 'json', 'jsonl')).map(([bytes, format]) => ({ bytes: Buffer.from(bytes), format })),
);

describe('damaged and random inputs', () => {
  it('tell their records as they are read: those loaded, in order, and nothing changes what is loaded or refused', async () => {
    await fc.assert(
      fc.asyncProperty(damagedInput.filter(({ format }) => format === 'csv'), fc.array(fc.nat(), { maxLength: 6 }), async ({ bytes }, cuts) => {
        let told: unknown[] = [];
        const onRecord = (record: unknown, index: number) => {
          // A file read again starts again at 0.
          if (index === 0) told = [];
          expect(index).toBe(told.length);
          told.push(record);
        };
        const plain = await outcome(() => loadDataset('-', { role: 'solutions', format: 'csv' }, chunked(bytes, cuts)), '<stdin>');
        let loaded: Dataset | undefined;
        const listened = await outcome(async () => (loaded = await loadDataset('-', { role: 'solutions', format: 'csv', onRecord }, chunked(bytes, cuts))), '<stdin>');
        expect(listened).toEqual(plain);
        if (loaded) {
          expect(told.length).toBe(loaded.records.length);
          told.forEach((record, i) => expect(record).toBe(loaded!.records[i]));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('are read or refused with a MatchError, the same way by the whole-file and the streaming loader', async () => {
    await fc.assert(
      fc.asyncProperty(damagedInput, fc.array(fc.nat(), { maxLength: 6 }), async ({ bytes, format }, cuts) => {
        const [whole, streamed] = await loadBoth(bytes, format, cuts);
        expect(streamed).toEqual(whole);
      }),
      { numRuns: 500 },
    );
  });
});

describe('the streaming pieces do not care where chunks are cut', () => {
  const pieces = (value: string, cuts: readonly number[]): string[] => {
    const points = [...new Set(cuts.map((c) => c % (value.length + 1)))].sort((a, b) => a - b);
    const out: string[] = [];
    let start = 0;
    for (const p of points) { out.push(value.slice(start, p)); start = p; }
    out.push(value.slice(start));
    return out;
  };

  it('the decoder gives the text and encoding decode() gives for the whole', () => {
    const bytes = fc.oneof(
      fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b)),
      fc.tuple(fc.string({ unit: fc.constantFrom(...CHARS), maxLength: 60 }), fc.constantFrom<Encoding>('utf-8', 'utf-8-bom', 'utf-16le', 'utf-16be', 'windows-1252')).map(([t, e]) => encode(t, e)),
    );
    fc.assert(
      fc.property(bytes, fc.array(fc.nat(), { maxLength: 8 }), (input, cuts) => {
        const decoder = createStreamDecoder('x');
        const points = [...new Set(cuts.map((c) => c % (input.length + 1)))].sort((a, b) => a - b);
        let out = '';
        let start = 0;
        for (const p of [...points, input.length]) { out += decoder.write(input.subarray(start, p)); start = p; }
        out += decoder.end();
        const whole = decode(input);
        expect(out).toBe(whole.text);
        expect(decoder.encoding).toBe(whole.encoding);
      }),
      { numRuns: 1000 },
    );
  });

  const tableOf = (f: () => Table | Promise<Table>): Promise<Table | string> =>
    Promise.resolve().then(f).then((t) => ({ ...t, rows: t.rows.map((r) => ({ line: r.line, cells: [...r.cells] })) }) as unknown as Table, (err: unknown) => {
      if (!(err instanceof MatchError)) throw err;
      return err.message;
    });

  it('CSV parsed as a stream equals CSV parsed whole', async () => {
    const csvText = fc.oneof(
      fc.tuple(records, csvStyle).map(([recs, style]) => writeCsv(recs, { ...style, encoding: 'utf-8' }).toString('utf8')),
      fc.string({ unit: fc.constantFrom(...CHARS, 'id', 'description', 'sep=;'), maxLength: 80 }),
    );
    await fc.assert(
      fc.asyncProperty(csvText, fc.array(fc.nat(), { maxLength: 6 }), async (value, cuts) => {
        // The loader's prefix always holds the first line (it is 64 K characters), so cut only after it.
        const headerEnd = value.indexOf('\n') + 1 || value.length;
        const [tail, ...rest] = pieces(value.slice(headerEnd), cuts);
        const prefix = value.slice(0, headerEnd) + tail;
        const streamed = await tableOf(() => parseCsvStream(prefix, (async function* () { yield* rest; })(), 'x.csv'));
        // The dialect is sniffed from the prefix only: compare with the whole text sniffed from the same prefix.
        const whole = await tableOf(() => parseCsv(value, 'x.csv', prefixDelimiter(prefix)));
        expect(streamed).toEqual(whole);
      }),
      { numRuns: 500 },
    );
  });

  it('JSON Lines pushed in pieces equals JSON Lines parsed whole', () => {
    const lines = fc.oneof(
      fc.tuple(records, fc.constant<JsonShape>('lines')).map(([recs]) => writeJson(recs, 'lines', true, false).toString('utf8')),
      fc.string({ unit: fc.constantFrom(...CHARS, '{"id": 1}', '\n', ':'), maxLength: 60 }),
    );
    fc.assert(
      fc.property(lines, fc.array(fc.nat(), { maxLength: 6 }), (value, cuts) => {
        const whole = (() => { try { return parseJsonLines(value, 'x.jsonl'); } catch (err) { if (err instanceof MatchError) return err.message; throw err; } })();
        const streamed = (() => {
          try {
            const builder = new JsonLinesBuilder('x.jsonl');
            for (const piece of pieces(value, cuts)) builder.push(piece);
            return builder.finish();
          } catch (err) { if (err instanceof MatchError) return err.message; throw err; }
        })();
        expect(streamed).toEqual(whole);
      }),
      { numRuns: 500 },
    );
  });
});

/** The delimiter parseCsvStream picks from a prefix, so the whole-text parse can be given the same one. */
function prefixDelimiter(prefix: string): string {
  return csvDialect(prefix).delimiter;
}

describe('formula escaping', () => {
  it('no escaped cell starts like a formula, and unescaping gives the cell back', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...CHARS, '+', '-', '@', '\t', '\r', "'"), maxLength: 12 }), (cell) => {
        const escaped = escapeFormula(cell);
        expect(escaped).not.toMatch(/^[=+\-@\t\r]/);
        expect(unescapeFormula(escaped)).toBe(cell);
      }),
      { numRuns: 500 },
    );
  });
});

describe('the CLI on damaged files', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeAll(async () => ({ dir, cleanup } = await tempDir()));
  afterAll(async () => cleanup());

  it('never prints a stack trace and exits 0, 2 or 3, with one line on stderr when it refuses', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(damagedInput, async ({ bytes, format }) => {
        const path = join(dir, `input-${++n}.${format}`);
        await writeFile(path, bytes);
        const r = await runCli(['rank', join(FIXTURES, 'needs.csv'), path, '-q', '--top', '2']);
        expect(r.stderr).not.toMatch(/\n\s+at |internal error/);
        expect([0, 2, 3]).toContain(r.code);
        if (r.code !== 0) expect(r.stderr).toMatch(/^match: [^\n]+\n$/);
      }),
      { numRuns: 30 },
    );
  }, 300_000);
});
