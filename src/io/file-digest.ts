import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { MatchError, EXIT } from '../errors.js';

/** SHA-256 and size of a file as it is on disk (compressed bytes for .gz), streamed. */
export async function fileDigest(path: string): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  try {
    for await (const chunk of createReadStream(path)) {
      hash.update(chunk as Buffer);
      bytes += (chunk as Buffer).length;
    }
  } catch (err) {
    // The file was read moments ago; failing now means it moved or vanished mid-run.
    throw new MatchError(EXIT.input, `${path}: cannot read it again for the manifest (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  return { sha256: hash.digest('hex'), bytes };
}
