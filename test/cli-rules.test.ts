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

const tmp = useTempDir();

describe('match rank --where', () => {
  it('keeps only solutions passing every filter, and says how many pass', async () => {
    const r = await runCli(['rank', needs, startups, '--where', 'trl>=8', '--where', 'region in lombardia, Emilia-Romagna']);
    expect(r.code).toBe(0);
    const s = await byId(startups);
    const rows = csv(r.stdout);
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      const solution = s.get(row.solution_id)!;
      expect(Number(solution.trl)).toBeGreaterThanOrEqual(8);
      expect(['Lombardia', 'Emilia-Romagna']).toContain(solution.region);
    }
    const passing = [...s.values()].filter((x) => Number(x.trl) >= 8 && ['Lombardia', 'Emilia-Romagna'].includes(x.region)).length;
    expect(r.stderr).toContain(`: ${passing} of 80 solutions pass`);
  });

  it('matches sector codes by prefix, with a decimal comma and by role name', async () => {
    const r = await runCli(['rank', needs, startups, '-q', '--where', 'sector~C26', '--where', 'employees<=20,5']);
    const s = await byId(startups);
    for (const row of csv(r.stdout)) {
      const solution = s.get(row.solution_id)!;
      expect(solution.sector.split(';').some((c) => c.startsWith('C26'))).toBe(true);
      expect(Number(solution.employees)).toBeLessThanOrEqual(20.5);
    }
  });

  it('refuses a bad expression or an unknown column with exit 2 and one line', async () => {
    const bad = await runCli(['rank', needs, startups, '--where', 'trl >> 5']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^match: --where 'trl >> 5': .*\n$/);
    const unknown = await runCli(['rank', needs, startups, '-q', '--where', 'budget>=5']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^match: --where 'budget>=5': .*startups\.csv has no column 'budget'; the columns are id, name, .*\n$/);
  });
});

describe('per-need requirements and --stage', () => {
  it("applies a need's min_trl as a filter by default, on the quick start too", async () => {
    const r = await runCli(['rank', needs, startups]);
    expect(r.stderr).toMatch(/requirements from min_trl for 16 of 30 needs \(stage as filter/);
    const n = await byId(needs);
    const s = await byId(startups);
    for (const row of csv(r.stdout)) {
      const min = n.get(row.need_id)!.min_trl;
      if (min) expect(Number(s.get(row.solution_id)!.trl)).toBeGreaterThanOrEqual(Number(min));
    }
    // --stage off lists solutions below a need's minimum again.
    const off = csv((await runCli(['rank', needs, startups, '-q', '--stage', 'off'])).stdout);
    expect(off.some((row) => n.get(row.need_id)!.min_trl && Number(s.get(row.solution_id)!.trl) < Number(n.get(row.need_id)!.min_trl))).toBe(true);
    const none = await runCli(['rank', needs, startups, '-q', '--no-requirements']);
    expect(none.stdout).toBe((await runCli(['rank', needs, startups, '-q', '--stage', 'off'])).stdout);
  });

  it('blends the stage as a signal with --stage signal, adding stage_score at the end', async () => {
    const r = await runCli(['rank', needs, startups, '-q', '--stage', 'signal', '--top', '20']);
    const rows = csv(r.stdout);
    expect(Object.keys(rows[0])).toEqual([...COLUMNS, 'stage_score']);
    const n = await byId(needs);
    const s = await byId(startups);
    for (const row of rows) {
      const min = n.get(row.need_id)!.min_trl;
      if (!min) expect(row.stage_score).toBe('');
      else expect(Number(row.stage_score)).toBe(Number(s.get(row.solution_id)!.trl) >= Number(min) ? 1 : Number(row.stage_score));
    }
    // Short of the minimum scores below 1, far short 0.
    expect(rows.some((row) => row.stage_score !== '' && Number(row.stage_score) < 1)).toBe(true);
    const plain = await runCli(['rank', needs, startups, '-q']);
    expect(Object.keys(csv(plain.stdout)[0])).toEqual(COLUMNS);
  });

  it('reads regions and max_X columns of the needs', async () => {
    const rows = csv(await readFile(needs, 'utf8'));
    rows[0].regions = 'Lombardia;Veneto';
    rows[0].max_employees = '20';
    for (const row of rows.slice(1)) { row.regions = ''; row.max_employees = ''; }
    const file = join(tmp.dir, 'needs.csv');
    await writeFile(file, stringify(rows, { header: true }));
    const r = await runCli(['rank', file, startups, '--top', '20']);
    expect(r.stderr).toMatch(/requirements from min_trl, max_employees, regions for 16 of 30 needs/);
    const s = await byId(startups);
    const first = csv(r.stdout).filter((row) => row.need_id === rows[0].id);
    expect(first.length).toBeGreaterThan(0);
    for (const row of first) {
      const solution = s.get(row.solution_id)!;
      expect(['Lombardia', 'Veneto']).toContain(solution.region);
      expect(Number(solution.employees)).toBeLessThanOrEqual(20);
    }
  });
});

describe('match rank --pairs', () => {
  it('excludes and pins pairs; a pin wins over filters and --min-score; unknown ids are warned about', async () => {
    const pairs = join(tmp.dir, 'pairs.csv');
    await writeFile(pairs, 'need_id,solution_id,action,reason\nN01,S002,exclude,already in talks\nN01,S080,pin,district request\nN05,S999,pin,typo\n');
    const r = await runCli(['rank', needs, startups, '--pairs', pairs, '--top', '3', '--where', 'trl>=8', '--min-score', '0.05']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('pairs.csv: 1 pair excluded, 1 pinned');
    expect(r.stderr).toMatch(/warning: .*pairs\.csv:4: unknown solution id 'S999'; the pin rule is ignored/);
    const rows = csv(r.stdout);
    expect(Object.keys(rows[0])).toEqual([...COLUMNS, 'pinned']);
    const n01 = rows.filter((row) => row.need_id === 'N01');
    expect(n01.map((row) => row.solution_id)).not.toContain('S002');
    const pinned = n01.find((row) => row.solution_id === 'S080')!;
    expect(pinned.pinned).toBe('yes'); // trl 7, no description: fails --where and --min-score, listed anyway
    expect(Number(pinned.score)).toBeLessThan(0.05);
    expect(n01).toHaveLength(3);
    expect(rows.filter((row) => row.solution_id !== 'S080').every((row) => row.pinned === 'no')).toBe(true);
  });

  it('refuses a pair both pinned and excluded with exit 3, naming the lines', async () => {
    const pairs = join(tmp.dir, 'pairs.csv');
    await writeFile(pairs, 'need_id,solution_id,action\nN01,S002,pin\nN01,S002,exclude\n');
    const r = await runCli(['rank', needs, startups, '-q', '--pairs', pairs]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^match: .*pairs\.csv:3: pair N01–S002 is both pinned and excluded \(also at line 2\); keep one of the two lines\n$/);
  });
});

describe('match rank --capacity and --diversity', () => {
  it('lists a startup in at most L shortlists, giving its lost places to the next best', async () => {
    const free = csv((await runCli(['rank', needs, startups, '-q', '--top', '3'])).stdout);
    const r = await runCli(['rank', needs, startups, '--top', '3', '--capacity', '2']);
    expect(r.code).toBe(0);
    const rows = csv(r.stdout);
    const uses = new Map<string, number>();
    for (const row of rows) uses.set(row.solution_id, (uses.get(row.solution_id) ?? 0) + 1);
    expect(Math.max(...uses.values())).toBeLessThanOrEqual(2);
    // 80 startups × 2 places cover 30 × 3: every need keeps a full shortlist.
    for (const id of new Set(free.map((row) => row.need_id))) expect(rows.filter((row) => row.need_id === id)).toHaveLength(3);
    const freeUses = new Map<string, number>();
    for (const row of free) freeUses.set(row.solution_id, (freeUses.get(row.solution_id) ?? 0) + 1);
    expect(Math.max(...freeUses.values())).toBeGreaterThan(2); // the limit did bite
    expect(r.stderr).toMatch(/--capacity 2: \d+ solutions? at capacity/);
    const again = await runCli(['rank', needs, startups, '--top', '3', '--capacity', '2', '-q']);
    expect(again.stdout).toBe(r.stdout);
  });

  it('moves a near-duplicate startup down the shortlist', async () => {
    const n = join(tmp.dir, 'needs.csv');
    const s = join(tmp.dir, 'startups.csv');
    await writeFile(n, 'id,title,description\nN1,Textile sorting,Automated sorting of textile waste by fibre and colour for our recycling plant; we are also interested in saving water\n');
    await writeFile(s, [
      'id,name,description',
      'A,SortTex,Automated sorting of textile waste by fibre and colour with NIR cameras',
      'A2,SortTex Plus,Automated sorting of textile waste by fibre and colour with NIR cameras and conveyors',
      'B,AquaSave,Saving water in recycling plants',
      'C,CheeseLab,Whey proteins from small dairies',
      'D,GridFlex,Battery storage for factories',
    ].join('\n'));
    const plain = csv((await runCli(['rank', n, s, '-q', '--lang', 'en', '--top', '2'])).stdout).map((row) => row.solution_id);
    expect(plain).toEqual(['A', 'A2']);
    const diverse = csv((await runCli(['rank', n, s, '-q', '--lang', 'en', '--top', '2', '--diversity', '0.2'])).stdout).map((row) => row.solution_id);
    expect(diverse).toEqual(['A', 'B']);
  });

  it('refuses a diversity outside 0..1 and a capacity of 0 with exit 2', async () => {
    expect((await runCli(['rank', needs, startups, '--diversity', '1.5'])).code).toBe(2);
    expect((await runCli(['rank', needs, startups, '--capacity', '0'])).code).toBe(2);
  });
});
