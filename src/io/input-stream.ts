import { readFileSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { Readable, pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { MatchError, inputError } from '../errors.js';

/** Read size: large enough that per-chunk work is noise, small enough to stay out of the way. */
const CHUNK_BYTES = 1 << 20;

/**
 * The bytes of an input as they arrive: a path, or `-` for standard input;
 * gzip is recognised by its magic bytes and inflated on the way. Nothing is
 * held beyond the chunk in hand, so a 1 GB file costs 1 MB here.
 */
export async function* inputChunks(path: string, stdin: AsyncIterable<Buffer> = process.stdin): AsyncGenerator<Buffer> {
  const file = path === '-' ? '<stdin>' : path;
  const source = path === '-' ? stdin : await openFile(path);
  const it = source[Symbol.asyncIterator]();
  try {
    const first: Buffer[] = [];
    let length = 0;
    // Two bytes tell gzip apart; chunks from a pipe can be shorter.
    while (length < 2) {
      const next = await readNext(it, path);
      if (next.done) break;
      first.push(next.value);
      length += next.value.length;
    }
    const head = Buffer.concat(first);
    if (head[0] !== 0x1f || head[1] !== 0x8b) {
      if (head.length) yield head;
      for (let next = await readNext(it, path); !next.done; next = await readNext(it, path)) yield next.value;
      return;
    }
    const gunzip = createGunzip({ chunkSize: 64 * 1024 });
    const compressed = Readable.from((async function* () {
      yield head;
      for (let next = await readNext(it, path); !next.done; next = await readNext(it, path)) yield next.value;
    })(), { objectMode: false });
    pipeline(compressed, gunzip, () => {}); // errors surface through the loop below
    try {
      for await (const chunk of gunzip) yield chunk as Buffer;
    } catch (err) {
      if (err instanceof MatchError) throw err;
      throw inputError(file, undefined, 'the gzip data is corrupt or truncated; download or compress the file again');
    }
  } finally {
    // A reader that stops early (a refused row) would otherwise leave the file open until garbage
    // collection closes it, with a warning on stderr.
    await it.return?.();
  }
}

/** The whole input as one Buffer, for readers that need it all (JSON arrays, workbooks). */
export async function readInputBytes(path: string, stdin: AsyncIterable<Buffer> = process.stdin): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of inputChunks(path, stdin)) chunks.push(chunk);
  return Buffer.concat(chunks);
}

async function openFile(path: string): Promise<AsyncIterable<Buffer>> {
  try {
    const stats = statSync(path);
    if (stats.isDirectory()) throw Object.assign(new Error('is a folder'), { code: 'EISDIR' });
    // A small file is read in one call: streaming it costs more in round trips to libuv's threads (open,
    // stat, reads, close: 4 ms of a run on the fixtures) than it could save.
    if (stats.isFile() && stats.size <= CHUNK_BYTES) return whole(readFileSync(path));
    const handle = await open(path, 'r');
    return handle.createReadStream({ highWaterMark: CHUNK_BYTES });
  } catch (err) {
    throw readError(path, err);
  }
}

async function* whole(bytes: Buffer): AsyncGenerator<Buffer> {
  if (bytes.length > 0) yield bytes;
}

async function readNext(it: AsyncIterator<Buffer>, path: string): Promise<IteratorResult<Buffer>> {
  try {
    return await it.next();
  } catch (err) {
    throw readError(path, err);
  }
}

function readError(path: string, err: unknown): MatchError {
  if (err instanceof MatchError) return err;
  const code = (err as NodeJS.ErrnoException).code;
  const why = code === 'ENOENT' ? 'no such file; check the path' : code === 'EISDIR' ? 'is a folder, not a file' : code === 'EACCES' ? "permission denied; check the file's permissions" : `cannot read it (${code ?? (err as Error).message})`;
  return inputError(path === '-' ? '<stdin>' : path, undefined, why);
}
