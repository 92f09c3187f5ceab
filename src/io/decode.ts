import { legacyCodecs } from './legacy-codecs.js';

export type Encoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';
export const ENCODINGS: readonly string[] = ['utf-8', 'utf-16le', 'utf-16be', 'windows-1252', 'latin1'];

/** Canonical name for an `--encoding` value, or null when we do not support it. */
export function parseEncoding(name: string): Encoding | null {
  const n = name.toLowerCase().replace(/[^a-z0-9]/g, '');
  if (n === 'utf8') return 'utf-8';
  if (n === 'utf16le' || n === 'utf16' || n === 'ucs2') return 'utf-16le';
  if (n === 'utf16be') return 'utf-16be';
  if (n === 'windows1252' || n === 'cp1252' || n === 'latin1' || n === 'iso88591' || n === 'ansi') return 'windows-1252';
  return null;
}

const isZip = (bytes: Uint8Array) => bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;

/** A ZIP archive holding a workbook part: an Excel .xlsx (or .xlsm) file, whatever its name. */
export function isXlsx(bytes: Uint8Array): boolean {
  // File names are stored uncompressed in the ZIP headers, so a byte search finds the part.
  return isZip(bytes) && Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).includes('xl/workbook.xml');
}

/** What a byte prefix says the file is, when it is clearly not text. Excel workbooks are read, not refused (see isXlsx). */
export function sniffBinary(bytes: Uint8Array): string | null {
  if (isZip(bytes)) return isXlsx(bytes) ? 'an Excel .xlsx workbook' : 'a ZIP archive that is not an Excel workbook (a Word or PowerPoint file?)';
  if (bytes[0] === 0xd0 && bytes[1] === 0xcf && bytes[2] === 0x11 && bytes[3] === 0xe0) return 'an old Excel .xls / Office file';
  if (bytes[0] === 0x25 && bytes[1] === 0x50 && bytes[2] === 0x44 && bytes[3] === 0x46) return 'a PDF document';
  return null;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Decodes file bytes: a BOM decides (UTF-8, UTF-16 LE/BE); otherwise valid
 * UTF-8 stays UTF-8 and anything else is read as Windows-1252, what Italian
 * Excel writes for "CSV (separato da punto e virgola)". iconv-lite rather than
 * latin1, which would lose € ’ –.
 */
export function decode(bytes: Uint8Array, forced?: Encoding): { text: string; encoding: Encoding } {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const bom = detectBom(buffer);
  const encoding = forced ?? bom?.encoding ?? (isUtf8(buffer) ? 'utf-8' : 'windows-1252');
  const start = bom && bom.encoding === encoding ? bom.length : 0;
  const body = buffer.subarray(start);
  const text = encoding === 'utf-8' ? body.toString('utf8') : legacyCodecs().decode(body, encoding);
  // A forced UTF-8 decode of a BOM-less file may still start with U+FEFF.
  return { text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, encoding };
}

function detectBom(b: Buffer): { encoding: Encoding; length: number } | null {
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return { encoding: 'utf-8', length: 3 };
  if (b[0] === 0xff && b[1] === 0xfe) return { encoding: 'utf-16le', length: 2 };
  if (b[0] === 0xfe && b[1] === 0xff) return { encoding: 'utf-16be', length: 2 };
  return null;
}

function isUtf8(b: Buffer): boolean {
  try {
    UTF8.decode(b);
    return true;
  } catch {
    return false;
  }
}

/** True when decoded text holds NUL or other control bytes no text file has (a binary file read as text). */
export function looksBinary(text: string): boolean {
  const sample = text.slice(0, 8192);
  let control = 0;
  for (let i = 0; i < sample.length; i++) {
    const c = sample.charCodeAt(i);
    if (c === 0) return true;
    if (c < 32 && c !== 9 && c !== 10 && c !== 13 && c !== 12) control++;
  }
  return control > 8 && control > sample.length / 100;
}
