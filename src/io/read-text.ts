import { sniffBinary, type Encoding } from './decode.js';
import { inputChunks } from './input-stream.js';
import { createStreamDecoder, type StreamDecoder } from './text-decoder.js';

/** Bytes looked at before deciding anything: binary magic, BOM, and a header line's worth of text. */
const PREFIX_BYTES = 64 * 1024;
const PREFIX_CHARS = 64 * 1024;

/** An input read as text in chunks: enough of the start to sniff the format and dialect, then the rest. */
export interface TextInput {
  kind: 'text';
  /** The start of the text (at least 64 K characters, or all of it). */
  prefix: string;
  /** True when `prefix` is the whole text. */
  complete: boolean;
  /** The text after `prefix`, decoded as it is read; pulls the file as it is consumed. */
  rest: AsyncIterable<string>;
  /** Knows the encoding once `rest` has been read to its end. */
  decoder: StreamDecoder;
  /** Releases the file when `rest` is not read to its end. */
  close(): Promise<void>;
}

/** An input whose first bytes say it is not text (a workbook, a PDF...): read whole, for whoever reads or refuses it. */
export interface BinaryInput {
  kind: 'bytes';
  bytes: Buffer;
}

/** Opens an input for reading as text, or hands it over whole when its first bytes say it is binary. */
export async function openInput(path: string, file: string, encoding?: Encoding, stdin?: AsyncIterable<Buffer>): Promise<TextInput | BinaryInput> {
  const chunks = inputChunks(path, stdin);
  const head: Buffer[] = [];
  let headLength = 0;
  let done = false;
  while (headLength < PREFIX_BYTES) {
    const next = await chunks.next();
    if (next.done) { done = true; break; }
    head.push(next.value);
    headLength += next.value.length;
  }
  const start = Buffer.concat(head);
  if (sniffBinary(start)) {
    const all: Buffer[] = [start];
    for await (const chunk of chunks) all.push(chunk);
    return { kind: 'bytes', bytes: Buffer.concat(all) };
  }

  const decoder = createStreamDecoder(file, encoding);
  let prefix = decoder.write(start);
  // The decoder may hold back a window of bytes while it decides; read on until the prefix is useful.
  while (!done && prefix.length < PREFIX_CHARS) {
    const next = await chunks.next();
    if (next.done) done = true;
    else prefix += decoder.write(next.value);
  }
  const close = async () => { await chunks.return(undefined); };
  if (done) return { kind: 'text', prefix: prefix + decoder.end(), complete: true, rest: (async function* () {})(), decoder, close };
  const rest = (async function* () {
    for await (const chunk of chunks) {
      const text = decoder.write(chunk);
      if (text) yield text;
    }
    const last = decoder.end();
    if (last) yield last;
  })();
  return { kind: 'text', prefix, complete: false, rest, decoder, close };
}
