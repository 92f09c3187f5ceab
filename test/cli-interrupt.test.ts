import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { watch } from 'node:fs';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { constants } from 'node:os';
import { join } from 'node:path';
import { BIN, tempDir } from './helpers/cli.js';

/**
 * Ctrl-C (SIGINT) and SIGTERM during a run with -o: the run stops, an older
 * output file is left as it was, and no temporary file is left behind.
 */

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(async () => cleanup());

const WORDS = 'sensori agricoltura tessile riciclo lana visione industriale manutenzione predittiva energia solare idrogeno logistica magazzino robotica dati piattaforma sicurezza stampa additiva materiali packaging tracciabilità filiera qualità'.split(' ');
const text = (i: number, n: number) => Array.from({ length: n }, (_, k) => `${WORDS[(i * 31 + k * 17 + (i >> 3)) % WORDS.length]}${k % 7 === 0 ? i % 97 : ''}`).join(' ');

/** Generated inputs; 300 × 15000 takes seconds to rank on any machine. */
async function largeInputs(needCount: number, solutionCount: number): Promise<{ needs: string; solutions: string }> {
  const needs = join(dir, 'needs.csv');
  const solutions = join(dir, 'startups.csv');
  await writeFile(needs, `id,title,description\n${Array.from({ length: needCount }, (_, i) => `N${i},need ${i},${text(i, 40)}`).join('\n')}\n`);
  await writeFile(solutions, `id,name,description\n${Array.from({ length: solutionCount }, (_, i) => `S${i},startup ${i},${text(i + 7, 30)}`).join('\n')}\n`);
  return { needs, solutions };
}

/** The status a shell reports: the exit code, or 128 + the signal's number when the signal ended the process. */
function shellStatus(code: number | null, signal: NodeJS.Signals | null): number {
  return code ?? 128 + constants.signals[signal!];
}

/** Starts `match rank ... -o out.csv` and sends `signal` once `when` says so; resolves with the shell status and stderr. */
function runAndSignal(args: string[], signal: NodeJS.Signals, when: (send: () => void, child: ReturnType<typeof spawn>) => void): Promise<{ status: number; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: dir });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    child.stdout.resume();
    child.on('error', reject);
    child.on('close', (code, sig) => resolve({ status: shellStatus(code, sig), stderr }));
    when(() => child.kill(signal), child);
  });
}

describe('an interrupted run with -o', () => {
  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)('%s after loading: the run ends with status %i, the old file intact, no temporary file', async (signal, status) => {
    const { needs, solutions } = await largeInputs(300, 15_000);
    const out = join(dir, 'shortlist.csv');
    await writeFile(out, 'old contents\n');
    // The column summary is printed once both files are loaded: ranking has just begun.
    const r = await runAndSignal(['rank', needs, solutions, '-o', out], signal, (send, child) => {
      let sent = false;
      child.stderr!.on('data', (d: Buffer) => {
        if (!sent && d.toString().includes('startups.csv: 15000 records')) { sent = true; send(); }
      });
    });
    expect(r.stderr).toContain('startups.csv: 15000 records');
    expect(r.stderr).not.toMatch(/Error|\n\s+at /);
    expect(r.status).toBe(status);
    expect(await readFile(out, 'utf8')).toBe('old contents\n');
    expect((await readdir(dir)).sort()).toEqual(['needs.csv', 'shortlist.csv', 'startups.csv']);
  }, 60_000);

  it('a signal while the output is being written removes the temporary file and never leaves a partial file', async () => {
    // A quick ranking with a long output (40 000 rows), so the write is a good share of the run.
    const { needs, solutions } = await largeInputs(100, 1000);
    const out = join(dir, 'shortlist.csv');
    await writeFile(out, 'old contents\n');
    // Signal as soon as write-file-atomic creates its temporary file next to the target.
    const r = await runAndSignal(['rank', needs, solutions, '-o', out, '-q', '--top', '400'], 'SIGINT', (send, child) => {
      const watcher = watch(dir, (_, name) => {
        if (name?.startsWith('shortlist.csv.')) { watcher.close(); send(); }
      });
      child.on('close', () => watcher.close());
    });
    const written = await readFile(out, 'utf8');
    expect([0, 130]).toContain(r.status);
    // Either the signal came before the rename (old file kept) or after it (new file complete): never anything in between.
    if (written !== 'old contents\n') {
      expect(written.startsWith('need_id,')).toBe(true);
      expect(written.endsWith('\n')).toBe(true);
      expect(written.split('\n')).toHaveLength(1 + 100 * 400 + 1);
    }
    expect((await readdir(dir)).sort()).toEqual(['needs.csv', 'shortlist.csv', 'startups.csv']);
  }, 120_000);
});
