import { afterEach, describe, expect, it, vi } from 'vitest';
import { createProgress } from '../src/cli/progress.js';
import { prepareSolutions } from '../src/rank/corpus.js';
import { DEFAULT_RANK_OPTIONS } from '../src/rank/rank.js';
import type { MatchRecord } from '../src/model.js';

// Long runs show where they are on a terminal: indexing the solutions first
// (seconds on a large file, before any need is ranked), then ranking.

function terminal(isTTY = true) {
  const written: string[] = [];
  return { written, stream: { isTTY, columns: 80, write: (chunk: string) => written.push(chunk) } as unknown as NodeJS.WriteStream };
}

afterEach(() => vi.useRealTimers());

describe('the progress line', () => {
  it('stays silent for a moment, then draws a bar, and erases it at the end', () => {
    vi.useFakeTimers();
    const { written, stream } = terminal();
    const progress = createProgress('indexing', { stream });
    progress.update(10, 100);
    expect(written).toEqual([]);
    vi.advanceTimersByTime(1500);
    progress.update(40, 100);
    expect(written.join('')).toContain('indexing [##########--------------] 40/100');
    progress.stop();
    expect(written.at(-1)).toBe('\r\x1b[K');
  });

  it('is never drawn in a pipe or with --quiet', () => {
    vi.useFakeTimers();
    for (const [{ written, stream }, quiet] of [[terminal(false), false], [terminal(true), true]] as const) {
      const progress = createProgress('ranking', { stream, quiet });
      vi.advanceTimersByTime(5000);
      progress.update(50, 100);
      progress.stop();
      expect(written).toEqual([]);
    }
  });

  it('follows the indexing of the solutions up to the last one', () => {
    const solutions: MatchRecord[] = Array.from({ length: 5000 }, (_, i) => ({ id: `s${i}`, name: `s${i}`, title: `sensor ${i}`, text: 'textile recycling with sensors', tags: [], sectors: [], fields: {}, line: i + 2 }));
    const seen: number[] = [];
    prepareSolutions(solutions, DEFAULT_RANK_OPTIONS, {
      progress: (done, total) => {
        expect(total).toBe(5000);
        seen.push(done);
      },
    });
    expect(seen.at(-1)).toBe(5000);
    expect(seen.length).toBeGreaterThan(1);
    expect([...seen].sort((a, b) => a - b)).toEqual(seen);
  });
});
