import { CsvTableBuilder, csvDialect, type RowListener, type Table } from './parse-table.js';

/**
 * A fast reader for well-formed CSV, giving exactly what csv-parse gives with
 * the options parse-table.ts uses (relaxed quotes and column counts, empty
 * lines skipped), line numbers included, at a fraction of the cost: csv-parse
 * spends most of the time of loading a large file. It reads the common
 * forms only (unquoted cells, which may hold quotes; quoted cells with ""
 * and line breaks inside) and gives up on anything else (text after a
 * closing quote, an unclosed quote, a huge row) by throwing
 * FastCsvUnsupported, for the caller to read the file again with csv-parse,
 * which knows what to make of it or how to say what is wrong.
 */
export class FastCsvUnsupported extends Error {
  constructor(why: string) {
    super(`fast CSV reader: ${why}`);
  }
}

/** Rows longer than this go to csv-parse, which enforces its byte limit (MAX_CELL_BYTES) itself. */
const MAX_ROW_CHARS = 200_000;

const SURROGATE = /[\ud800-\udfff]/;

/**
 * A cell as a string of its own. A slice of the chunk it was read from would
 * keep the whole chunk alive, and stored as wide (UTF-16) characters when any
 * character of the chunk is beyond Latin-1; a copy through UTF-8 is compact
 * and lets the chunk go.
 */
function cell(text: string, from: number, to: number): string {
  const value = text.slice(from, to);
  return to - from > 12 ? Buffer.from(value, 'utf8').toString('utf8') : value;
}

const CR = 13;
const LF = 10;
const QUOTE = 34;

/** Parses CSV text arriving as `prefix` then `rest`, as parseCsvStream does. */
export async function parseCsvFast(prefix: string, rest: AsyncIterable<string>, file: string, forcedDelimiter?: string, onRow?: RowListener): Promise<Table> {
  const dialect = csvDialect(prefix, forcedDelimiter);
  const builder = new CsvTableBuilder(file, dialect, onRow);
  const reader = new FastCsvReader(dialect.delimiter.charCodeAt(0), builder);
  if (dialect.delimiter.length !== 1) throw new FastCsvUnsupported('a delimiter of more than one character');
  reader.push(dialect.skip ? prefix.slice(dialect.skip) : prefix);
  for await (const chunk of rest) reader.push(chunk);
  reader.end();
  return builder.finish();
}

/**
 * The reader's state between chunks. Like csv-parse: the record delimiter is
 * the first line break met outside quotes (\r\n, \n or \r); a line counts
 * each \r and \n read (the \n of a \r\n record delimiter excepted), and a
 * record is reported with the line it ends on.
 */
class FastCsvReader {
  /** The text not yet consumed: the start of an unfinished record. */
  private pending = '';
  /** Lines counted before `pending`. */
  private lines = 1;
  /** The record delimiter: 0 until found, else LF, CR, or -1 for CRLF. */
  private rd = 0;

  constructor(private readonly delimiter: number, private readonly builder: CsvTableBuilder) {}

  push(chunk: string): void {
    // csv-parse reads text as UTF-8 bytes, which turns a lone surrogate into U+FFFD: leave such text to it.
    if (SURROGATE.test(chunk)) throw new FastCsvUnsupported('UTF-16 surrogates');
    const text = this.pending ? this.pending + chunk : chunk;
    const consumed = this.parse(text, false);
    this.pending = text.slice(consumed);
    if (this.pending.length > MAX_ROW_CHARS) throw new FastCsvUnsupported('a very long row');
  }

  end(): void {
    if (this.pending) this.parse(this.pending, true);
    this.pending = '';
  }

  /**
   * Reads the complete records of `text` (and at the end, the last one);
   * returns how many characters were consumed.
   */
  private parse(text: string, atEnd: boolean): number {
    const n = text.length;
    const d = this.delimiter;
    // Line breaks and delimiters are found by indexOf (native, much faster than a loop over
    // characters), each searched for once: positions asked about only move forward.
    const lf = new NextChar(text, '\n');
    const cr = new NextChar(text, '\r');
    const delimiter = new NextChar(text, String.fromCharCode(d));
    const countBreaks = (from: number, to: number) => lf.count(from, to) + cr.count(from, to);
    let pos = 0;
    while (pos < n) {
      // One record from `pos`.
      const record: string[] = [];
      let lines = this.lines;
      let i = pos;
      let complete = false;
      let rdLength = 0;
      for (;;) {
        // One field from `i`.
        if (i < n && text.charCodeAt(i) === QUOTE) {
          // A quoted field: "" is a quote; it ends at a quote followed by a delimiter, a line break or the end.
          let value = '';
          let from = i + 1;
          let j = from;
          for (;;) {
            const q = text.indexOf('"', j);
            if (q === -1 || q + 1 >= n) {
              if (!atEnd) return this.unfinished(pos);
              if (q === -1) throw new FastCsvUnsupported('a quote that is never closed');
              // A closing quote at the very end of the text.
              lines += countBreaks(j, q);
              value += cell(text, from, q);
              i = q + 1;
              break;
            }
            lines += countBreaks(j, q);
            const next = text.charCodeAt(q + 1);
            if (next === QUOTE) {
              value += cell(text, from, q + 1);
              from = q + 2;
              j = from;
              continue;
            }
            if (next === d || next === LF || next === CR) {
              value += cell(text, from, q);
              i = q + 1;
              break;
            }
            throw new FastCsvUnsupported('text after a closing quote');
          }
          record.push(value);
        } else {
          // An unquoted field: up to the delimiter or a line break (quotes inside are text).
          const j = Math.min(delimiter.from(i), lf.from(i), cr.from(i));
          if (j >= n && !atEnd) return this.unfinished(pos);
          record.push(cell(text, i, j));
          i = j;
        }
        // After a field: a delimiter, a record delimiter, or the end.
        if (i >= n) {
          if (!atEnd) return this.unfinished(pos);
          break;
        }
        const c = text.charCodeAt(i);
        if (c === d) {
          i++;
          continue;
        }
        rdLength = this.recordDelimiter(text, i, atEnd);
        if (rdLength === -1) return this.unfinished(pos);
        if (rdLength === 0) {
          // A line break that is not this file's record delimiter (a lone \r in a \n file): csv-parse keeps it in the cell.
          throw new FastCsvUnsupported('a line break other than the record delimiter');
        }
        complete = true;
        break;
      }
      if (i - pos > MAX_ROW_CHARS) throw new FastCsvUnsupported('a very long row');
      // A line with nothing on it is skipped; a record is reported with the line it ends on.
      const empty = record.length === 1 && record[0] === '' && text.charCodeAt(pos) !== QUOTE;
      if (!empty) this.builder.add(record, lines);
      if (complete) {
        // The record delimiter's \r or \n counts once the next character is read (a \r\n counts once).
        pos = i + rdLength;
        this.lines = lines + (pos < n || !atEnd ? 1 : 0);
      } else {
        pos = n;
        this.lines = lines;
      }
    }
    return pos;
  }

  /** Length of the record delimiter at `i` (discovering it on the first line break), 0 if none, -1 if more text is needed to tell. */
  private recordDelimiter(text: string, i: number, atEnd: boolean): number {
    const c = text.charCodeAt(i);
    if (c !== CR && c !== LF) return 0;
    if (this.rd === 0) {
      if (c === CR && i + 1 >= text.length && !atEnd) return -1;
      this.rd = c === LF ? LF : text.charCodeAt(i + 1) === LF ? -1 : CR;
    }
    if (this.rd === LF) return c === LF ? 1 : 0;
    if (this.rd === CR) return c === CR ? 1 : 0;
    if (c !== CR) return 0;
    if (i + 1 >= text.length) return atEnd ? 0 : -1;
    return text.charCodeAt(i + 1) === LF ? 2 : 0;
  }

  private unfinished(pos: number): number {
    return pos;
  }
}

/**
 * Where a character next occurs in a text, from positions that never move
 * back: each occurrence is found once, with indexOf, however often asked for.
 */
class NextChar {
  /** The first occurrence at or after the last position asked about (the text's length: none). */
  private at = -1;

  constructor(
    private readonly text: string,
    private readonly char: string,
  ) {}

  /** The first occurrence at or after `i` (no earlier than the last `i` asked about), or the text's length. */
  from(i: number): number {
    if (this.at < i) {
      const at = this.text.indexOf(this.char, i);
      this.at = at === -1 ? this.text.length : at;
    }
    return this.at;
  }

  /** How many occurrences are in [from, to) (`from` no earlier than the last position asked about). */
  count(from: number, to: number): number {
    let count = 0;
    for (let i = this.from(from); i < to; i = this.from(i + 1)) count++;
    return count;
  }
}
