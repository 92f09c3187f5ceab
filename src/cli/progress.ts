/**
 * A progress line on stderr for long runs: shown only on a terminal (never
 * in scripts or pipes, never with --quiet), only once the work has lasted a
 * moment, redrawn a few times a second, and erased at the end so it leaves
 * nothing in the terminal's scrollback. Its clock starts with the first
 * update, so a line created before its work starts (ranking waits for the
 * index) tells that work's own time left.
 */
export interface Progress {
  /** `done` of `total` items finished. */
  update(done: number, total: number): void;
  /** Erases the line. */
  stop(): void;
}

const SILENT: Progress = { update() {}, stop() {} };
/** Runs shorter than this show nothing. */
const DELAY_MS = 1000;
const REDRAW_MS = 200;
const BAR = 24;

export function createProgress(label: string, options: { quiet?: boolean; stream?: NodeJS.WriteStream } = {}): Progress {
  const stream = options.stream ?? process.stderr;
  if (options.quiet || !stream.isTTY) return SILENT;
  let started = -1;
  let drawn = false;
  let last = 0;
  return {
    update(done, total) {
      const now = Date.now();
      if (started < 0) started = now;
      if (now - started < DELAY_MS || (now - last < REDRAW_MS && done < total)) return;
      last = now;
      const share = total > 0 ? done / total : 0;
      const filled = Math.round(share * BAR);
      const elapsed = (now - started) / 1000;
      const left = done > 0 ? Math.round((elapsed / done) * (total - done)) : null;
      const line = `${label} [${'#'.repeat(filled)}${'-'.repeat(BAR - filled)}] ${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')}${left !== null && done < total ? `, about ${left} s left` : ''}`;
      stream.write(`\r${line.slice(0, Math.max(20, (stream.columns || 80) - 1))}\x1b[K`);
      drawn = true;
    },
    stop() {
      if (drawn) stream.write('\r\x1b[K');
      drawn = false;
    },
  };
}
