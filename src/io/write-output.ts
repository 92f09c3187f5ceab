import { MatchError, EXIT } from '../errors.js';

/**
 * Writes `-o` files atomically: a temporary file in the same folder, then a
 * rename, so a failed or interrupted run leaves any older file intact.
 */
export async function writeOutputFile(path: string, data: string | Buffer): Promise<void> {
  // Imported here: a run writing to stdout does without it (it loads worker_threads to name its files).
  const { default: writeFileAtomic } = await import('write-file-atomic');
  try {
    await writeFileAtomic(path, data);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'the folder does not exist' : code === 'EACCES' || code === 'EPERM' ? 'permission denied (read-only or locked by another program?)' : code === 'EISDIR' ? 'it is a folder' : code === 'ENOSPC' ? 'the disk is full' : (err as Error).message;
    throw new MatchError(EXIT.output, `cannot write ${path}: ${why}`);
  }
}

/** Writes to stdout, resolving when the data is flushed; a closed pipe (`| head`) is not an error. */
export function writeStdout(data: string): Promise<void> {
  return new Promise((resolve) => {
    if (!data) return resolve();
    process.stdout.write(data, () => resolve());
  });
}
