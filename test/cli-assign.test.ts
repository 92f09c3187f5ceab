import { describe, expect, it } from 'vitest';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { FIXTURES, runCli, useTempDir } from './helpers/cli.js';

const needs = join(FIXTURES, 'needs.csv');
const startups = join(FIXTURES, 'startups.csv');
const COLUMNS = ['need_id', 'need_title', 'rank', 'solution_id', 'solution_name', 'score', 'text_score', 'tag_score', 'sector_score', 'shared_tags', 'top_terms'];

type Row = Record<string, string>;
const csv = (text: string): Row[] => parse(text, { columns: true }) as Row[];
const byId = async (file: string): Promise<Map<string, Row>> => new Map(csv(await readFile(file, 'utf8')).map((r) => [r.id, r]));
const count = (rows: readonly Row[], key: string) => {
  const out = new Map<string, number>();
  for (const row of rows) out.set(row[key], (out.get(row[key]) ?? 0) + 1);
  return out;
};

const tmp = useTempDir();

describe('match assign on the fixtures (pitch day)', () => {
  it('gives each need at most --top startups and each startup at most its capacity column, with a summary', async () => {
    const r = await runCli(['assign', needs, startups, '--top', '3']);
    expect(r.code).toBe(0);
    const rows = csv(r.stdout);
    expect(Object.keys(rows[0])).toEqual([...COLUMNS, 'status', 'choice', 'note']);
    for (const n of count(rows, 'need_id').values()) expect(n).toBeLessThanOrEqual(3);
    const s = await byId(startups);
    for (const [id, n] of count(rows, 'solution_id')) expect(n).toBeLessThanOrEqual(Number(s.get(id)!.capacity));
    for (const row of rows) {
      expect(row.status).toBe('assigned');
      expect(Number(row.choice)).toBeGreaterThanOrEqual(1);
      expect(row.note).toMatch(/^its (best|\d+(st|nd|rd|th) best) match/);
    }
    // The summary on stderr: the setting, the totals (matching the output), and the shortfalls.
    expect(r.stderr).toMatch(/assign: 30 needs, 80 startups; places 3 per need; capacity from the capacity column \(1 where empty\); best 50 candidates per need/);
    const total = rows.reduce((sum, row) => sum + Number(row.score), 0);
    const m = /assigned (\d+) of 90 places; total score ([\d.]+), mean ([\d.]+) per need/.exec(r.stderr)!;
    expect(Number(m[1])).toBe(rows.length);
    expect(Number(m[2])).toBeCloseTo(total, 3);
    expect(Number(m[3])).toBeCloseTo(total / 30, 3);
  });

  it("says why a need's better-ranked startups went elsewhere", async () => {
    const rows = csv((await runCli(['assign', needs, startups, '--top', '3', '-q'])).stdout);
    const displaced = rows.filter((row) => row.note.includes('better-ranked'));
    expect(displaced.length).toBeGreaterThan(0);
    for (const row of displaced) {
      // "its 3rd best match; better-ranked: S072 full (N04, N30)": each named startup is assigned to those needs.
      for (const [, id, takers] of row.note.matchAll(/(S\d+) full \(([^)]*)\)/g)) {
        for (const need of takers.split(', ')) expect(rows.some((x) => x.need_id === need && x.solution_id === id)).toBe(true);
      }
    }
  });

  it('lists --alternates after the assigned startups, with whether each has room', async () => {
    const rows = csv((await runCli(['assign', needs, startups, '--top', '2', '--alternates', '2', '-q'])).stdout);
    for (const need of new Set(rows.map((row) => row.need_id))) {
      const list = rows.filter((row) => row.need_id === need);
      const assigned = list.filter((row) => row.status === 'assigned');
      const alternates = list.filter((row) => row.status === 'alternate');
      expect(alternates.length).toBeLessThanOrEqual(2);
      expect(list.map((row) => row.status)).toEqual([...assigned.map(() => 'assigned'), ...alternates.map(() => 'alternate')]);
      for (const a of alternates) {
        expect(assigned.map((x) => x.solution_id)).not.toContain(a.solution_id);
        expect(a.note).toMatch(/^(full: N\d+|free: \d+ of \d+ places? left)/);
      }
    }
  });

  it('stops with exit 2 and says what to change when the places cannot cover the demand; --partial assigns what fits', async () => {
    const r = await runCli(['assign', needs, startups, '-q', '--top', '5', '--capacity', '1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('match: 30 needs want 5 startups each but only 80 places exist (80 startups × 1): raise --capacity to 2, lower --top to 2 or add --partial to assign what fits\n');
    const partial = await runCli(['assign', needs, startups, '--top', '5', '--capacity', '1', '--partial']);
    expect(partial.code).toBe(0);
    expect(partial.stderr).toMatch(/warning: 30 needs want 5 startups each but only 80 places exist .*; assigning what fits/);
    const rows = csv(partial.stdout);
    expect(rows.length).toBeLessThanOrEqual(80);
    expect(partial.stderr).toContain(`assigned ${rows.length} of 150 places`);
    expect(Math.max(...count(rows, 'solution_id').values())).toBe(1);
    expect(partial.stderr).toMatch(/needs got fewer places than wanted:\n {2}N\d+ got \d of 5: its other \d+ candidates are full/);
  });

  it('respects exclusions, pins, --where, min_trl and --min-score', async () => {
    const pairs = join(tmp.dir, 'pairs.csv');
    await writeFile(pairs, 'need_id,solution_id,action\nN06,S017,exclude\nN06,S080,pin\n');
    const r = await runCli(['assign', needs, startups, '-q', '--top', '2', '--capacity', '3', '--pairs', pairs, '--where', 'region != Lazio', '--min-score', '0.1']);
    expect(r.code).toBe(0);
    const rows = csv(r.stdout);
    expect(Object.keys(rows[0])).toEqual([...COLUMNS, 'pinned', 'status', 'choice', 'note']);
    const n06 = rows.filter((row) => row.need_id === 'N06');
    expect(n06.map((row) => row.solution_id)).not.toContain('S017');
    expect(n06.find((row) => row.solution_id === 'S080')).toMatchObject({ pinned: 'yes', note: 'pinned in the pairs file' });
    const s = await byId(startups);
    const n = await byId(needs);
    for (const row of rows.filter((x) => x.pinned === 'no')) {
      expect(s.get(row.solution_id)!.region).not.toBe('Lazio');
      expect(Number(row.score)).toBeGreaterThanOrEqual(0.1);
      const min = n.get(row.need_id)!.min_trl;
      if (min) expect(Number(s.get(row.solution_id)!.trl)).toBeGreaterThanOrEqual(Number(min));
    }
  });

  it('is byte-identical across runs and does not depend on the order of the rows', async () => {
    const a = await runCli(['assign', needs, startups, '-q', '--top', '3', '--capacity', '1', '--partial']);
    const b = await runCli(['assign', needs, startups, '-q', '--top', '3', '--capacity', '1', '--partial']);
    expect(a.stdout).toBe(b.stdout);
    const rows = csv(await readFile(startups, 'utf8')).reverse();
    const reversed = join(tmp.dir, 'startups.csv');
    await writeFile(reversed, stringify(rows, { header: true }));
    const c = await runCli(['assign', needs, reversed, '-q', '--top', '3', '--capacity', '1', '--partial']);
    const pairs = (text: string) => csv(text).map((row) => `${row.need_id} ${row.solution_id}`).sort();
    expect(pairs(c.stdout)).toEqual(pairs(a.stdout));
  });

  it('writes JSON and a table too', async () => {
    const json = JSON.parse((await runCli(['assign', needs, startups, '-q', '--top', '2', '--format', 'json'])).stdout);
    expect(json).toHaveLength(30);
    expect(json[0].matches[0]).toMatchObject({ status: 'assigned', choice: 1, note: 'its best match' });
    const table = await runCli(['assign', needs, startups, '-q', '--top', '2', '--format', 'table', '--alternates', '1']);
    expect(table.stdout).toContain('its best match');
    expect(table.stdout).toContain('alternate');
  });

  it('reports a capacity cell that is not a whole number with its line and column (exit 3)', async () => {
    const text = (await readFile(startups, 'utf8')).replace(/,3\n(S002,)/, ',tre\n$1');
    const file = join(tmp.dir, 'startups.csv');
    await writeFile(file, text);
    const r = await runCli(['assign', needs, file, '-q']);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^match: .*startups\.csv:2:10: capacity 'tre' is not a whole number; write 0 or more, or leave it empty for 1\n$/);
  });
});
