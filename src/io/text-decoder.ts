import { isAscii, isUtf8 } from 'node:buffer';
import { TextDecoder } from 'node:util';
import { inputError } from '../errors.js';
import type { Encoding } from './decode.js';
import { legacyCodecs } from './legacy-codecs.js';

/**
 * Bytes seen from the first non-ASCII byte on before the encoding is decided
 * (at least: everything that has arrived by then is looked at, a whole file
 * read in one chunk included). ASCII reads the same in UTF-8 and
 * Windows-1252, so the decision waits for real evidence: an English file may
 * hold its first "€" far down.
 */
export const ENCODING_WINDOW = 64 * 1024;

/** Turns a file's bytes into text chunk by chunk; `encoding` is final once `end()` has run. */
export interface StreamDecoder {
  write(bytes: Uint8Array): string;
  end(): string;
  readonly encoding: Encoding;
}

/**
 * Decodes as `decode()` in decode.ts does, but in chunks: a BOM decides
 * (UTF-8, UTF-16 LE/BE); otherwise valid UTF-8 is UTF-8 and anything else is
 * Windows-1252. Without a BOM the choice is made on at least
 * ENCODING_WINDOW bytes from the first non-ASCII byte on (all of the input
 * when it comes in one chunk, so whole files decide as `decode()` does). A file that reads as UTF-8
 * there but holds invalid UTF-8 later is refused with its line, rather than
 * decoded half one way and half the other.
 */
export function createStreamDecoder(file: string, forced?: Encoding): StreamDecoder {
  return new Decoder(file, forced);
}

class Decoder implements StreamDecoder {
  private decided: Encoding | undefined;
  /** Bytes not yet turned into text: the start (BOM check), the undecided window, or a split UTF-8 sequence. */
  private held: Buffer = Buffer.alloc(0);
  private started = false;
  private emitted = false;
  /** Line breaks already decoded, for the line of a late invalid byte. */
  private lines = 0;
  private iconvDecoder: { write(b: Buffer): string; end(): string | undefined } | undefined;
  private lenient: TextDecoder | undefined;

  constructor(
    private readonly file: string,
    private readonly forced?: Encoding,
  ) {}

  get encoding(): Encoding {
    return this.decided ?? 'utf-8';
  }

  write(bytes: Uint8Array): string {
    const chunk = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.held = this.held.length ? Buffer.concat([this.held, chunk]) : chunk;
    return this.text(this.drain(false));
  }

  end(): string {
    return this.text(this.drain(true));
  }

  private drain(final: boolean): string {
    if (!this.started) {
      // A BOM needs its first 3 bytes.
      if (this.held.length < 3 && !final) return '';
      this.started = true;
      const bom = detectBom(this.held);
      if (this.forced ?? bom) this.choose(this.forced ?? bom!.encoding, true);
      if (bom && bom.encoding === this.decided) this.held = this.held.subarray(bom.length);
    }
    if (this.decided) return this.decodeAs(final);
    // Undecided: everything so far is ASCII, which both candidates read alike.
    const body = this.held;
    if (isAscii(body)) {
      this.held = Buffer.alloc(0);
      this.countLines(body);
      return body.toString('latin1');
    }
    const first = firstNonAscii(body);
    if (body.length - first < ENCODING_WINDOW && !final) {
      // Hand out the ASCII part now, keep the rest until the window is full.
      this.held = body.subarray(first);
      this.countLines(body.subarray(0, first));
      return body.toString('latin1', 0, first);
    }
    const window = final ? body.subarray(first) : body.subarray(first, body.length - incompleteUtf8Tail(body));
    this.choose(isUtf8(window) ? 'utf-8' : 'windows-1252');
    return this.decodeAs(final);
  }

  /** `declared`: forced or stated by a BOM, so UTF-8 reads what it can (U+FFFD for bad bytes) instead of refusing. */
  private choose(encoding: Encoding, declared = false): void {
    this.decided = encoding;
    if (encoding === 'utf-16le' || encoding === 'utf-16be' || encoding === 'windows-1252') this.iconvDecoder = legacyCodecs().getDecoder(encoding);
    else if (declared) this.lenient = new TextDecoder('utf-8', { ignoreBOM: true });
  }

  private decodeAs(final: boolean): string {
    const body = this.held;
    if (this.iconvDecoder) {
      this.held = Buffer.alloc(0);
      return this.iconvDecoder.write(body) + (final ? this.iconvDecoder.end() ?? '' : '');
    }
    if (this.lenient) {
      this.held = Buffer.alloc(0);
      return this.lenient.decode(body, { stream: !final });
    }
    // Guessed UTF-8: decode whole sequences, keep a split one for the next chunk.
    const cut = final ? body.length : body.length - incompleteUtf8Tail(body);
    const whole = body.subarray(0, cut);
    this.held = body.subarray(cut);
    if (!isUtf8(whole)) {
      const bad = firstInvalidUtf8(whole);
      this.countLines(whole.subarray(0, bad));
      throw inputError(this.file, this.lines + 1, `byte 0x${whole[bad].toString(16).toUpperCase().padStart(2, '0')} is not UTF-8, though the file read as UTF-8 up to here; it mixes encodings or is Windows-1252: add --encoding windows-1252`);
    }
    this.countLines(whole);
    return whole.toString('utf8');
  }

  private countLines(bytes: Buffer): void {
    for (let i = bytes.indexOf(10); i !== -1; i = bytes.indexOf(10, i + 1)) this.lines++;
  }

  /** A forced decode of a BOM-less file may still start with U+FEFF. */
  private text(out: string): string {
    if (this.emitted || out.length === 0) return out;
    this.emitted = true;
    return out.charCodeAt(0) === 0xfeff ? out.slice(1) : out;
  }
}

function detectBom(b: Buffer): { encoding: Encoding; length: number } | null {
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return { encoding: 'utf-8', length: 3 };
  if (b[0] === 0xff && b[1] === 0xfe) return { encoding: 'utf-16le', length: 2 };
  if (b[0] === 0xfe && b[1] === 0xff) return { encoding: 'utf-16be', length: 2 };
  return null;
}

function firstNonAscii(b: Buffer): number {
  for (let i = 0; i < b.length; i++) if (b[i] >= 0x80) return i;
  return b.length;
}

/** Bytes at the end of `b` that start a UTF-8 sequence the chunk cuts short (0 to 3). */
export function incompleteUtf8Tail(b: Uint8Array): number {
  for (let back = 1; back <= Math.min(3, b.length); back++) {
    const byte = b[b.length - back];
    if (byte < 0x80) return 0;
    if (byte >= 0xc0) {
      const need = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : 2;
      return need > back ? back : 0;
    }
  }
  return 0;
}

/** Index of the first byte that is not part of a valid UTF-8 sequence (b.length when all are). */
export function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i];
    if (c < 0x80) { i++; continue; }
    const need = c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : -1;
    if (need < 0 || i + need >= b.length) return i;
    const second = b[i + 1];
    // Overlong forms, surrogates and code points above U+10FFFF are invalid.
    const low = c === 0xe0 ? 0xa0 : c === 0xf0 ? 0x90 : 0x80;
    const high = c === 0xed ? 0x9f : c === 0xf4 ? 0x8f : 0xbf;
    if (second < low || second > high) return i;
    for (let k = 2; k <= need; k++) if ((b[i + k] & 0xc0) !== 0x80) return i;
    i += need + 1;
  }
  return b.length;
}
