import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { diffRuns, markChanges, summarizeChanges, type RankedPair } from '../src/diff/diff-runs.js';
import { readRun } from '../src/io/read-run.js';
import type { NeedResult } from '../src/model.js';
import { FIXTURES, runCli, useTempDir } from './helpers/cli.js';

const needs = join(FIXTURES, 'needs.csv');
const startups = join(FIXTURES, 'startups.csv');

const tmp = useTempDir();

const pair = (needId: string, solutionId: string, rank: number, score: number): RankedPair => ({ needId, needTitle: `title ${needId}`, solutionId, solutionName: `name ${solutionId}`, rank, score });

describe('diffRuns', () => {
  const before = [pair('N1', 'A', 1, 0.9), pair('N1', 'B', 2, 0.8), pair('N1', 'C', 3, 0.7), pair('N2', 'A', 1, 0.5), pair('N3', 'Z', 1, 0.4)];
  const after = [pair('N1', 'B', 1, 0.85), pair('N1', 'A', 2, 0.84), pair('N1', 'D', 3, 0.6), pair('N2', 'A', 1, 0.55), pair('N4', 'Y', 1, 0.3)];

  it('lists new, dropped and moved pairs per need, by new rank then old rank', () => {
    const changes = diffRuns(before, after);
    expect(changes.map((c) => [c.needId, c.solutionId, c.change, c.oldRank, c.newRank])).toEqual([
      ['N1', 'B', 'up', 2, 1],
      ['N1', 'A', 'down', 1, 2],
      ['N1', 'D', 'new', null, 3],
      ['N1', 'C', 'dropped', 3, null],
      ['N4', 'Y', 'new', null, 1],
      ['N3', 'Z', 'dropped', 1, null],
    ]);
    expect(changes[0]).toMatchObject({ oldScore: 0.8, newScore: 0.85, needTitle: 'title N1', solutionName: 'name B' });
    expect(summarizeChanges(changes, before, after)).toEqual({ needs: 4, needsChanged: 3, new: 2, dropped: 2, moved: 2, score: 0 });
  });

  it('lists score changes at the same rank only when asked', () => {
    expect(diffRuns(before, after).some((c) => c.needId === 'N2')).toBe(false);
    const withScores = diffRuns(before, after, { scores: true });
    expect(withScores.filter((c) => c.change === 'score')).toEqual([expect.objectContaining({ needId: 'N2', solutionId: 'A', oldRank: 1, newRank: 1, oldScore: 0.5, newScore: 0.55 })]);
  });

  it('finds nothing between a run and itself, in any order', () => {
    expect(diffRuns(before, [...before].reverse(), { scores: true })).toEqual([]);
  });

  it('marks each pair of a new ranking against the previous run', () => {
    const results: NeedResult[] = [{ needId: 'N1', needTitle: 't', matches: ['B', 'A', 'C', 'D'].map((id, i) => ({ solutionId: id, solutionName: id, rank: i + 1, score: 1 - i / 10, textScore: 0, tagScore: null, sectorScore: null, sharedTags: [], topTerms: [] })) }];
    const marked = markChanges(results, before);
    expect(marked[0].matches.map((m) => m.extra?.change)).toEqual(['up', 'down', 'same', 'new']);
  });
});

describe('readRun', () => {
  it('reads ids back exactly from every output format, formula escaping undone', async () => {
    await writeFile(join(tmp.dir, 's.csv'), 'id,name,description\n=1+1,@cmd,robot welding cells for steel\n-7,+plus,robot welding arms for steel\n');
    await writeFile(join(tmp.dir, 'n.csv'), 'id,title\n=N1,robot welding steel\n');
    const runs: Record<string, RankedPair[]> = {};
    for (const ext of ['csv', 'json', 'jsonl', 'xlsx']) {
      const out = join(tmp.dir, `run.${ext}`);
      expect((await runCli(['rank', join(tmp.dir, 'n.csv'), join(tmp.dir, 's.csv'), '-o', out, '-q'])).code).toBe(0);
      runs[ext] = await readRun(out);
    }
    await runCli(['rank', join(tmp.dir, 'n.csv'), join(tmp.dir, 's.csv'), '--excel', '-o', join(tmp.dir, 'excel.csv'), '-q']);
    runs.excel = await readRun(join(tmp.dir, 'excel.csv'));
    for (const rows of Object.values(runs)) {
      const bySolution = [...rows].sort((x, y) => (x.solutionId < y.solutionId ? -1 : 1));
      expect(bySolution.map((r) => [r.needId, r.solutionId, r.solutionName])).toEqual([['=N1', '-7', '+plus'], ['=N1', '=1+1', '@cmd']]);
      expect(rows.map((r) => r.rank)).toEqual([1, 2]);
      expect(rows.every((r) => r.score > 0 && r.score <= 1)).toBe(true);
    }
    expect(runs.excel.map((r) => r.score)).toEqual(runs.csv.map((r) => r.score));
  });
});

describe('match diff', () => {
  async function twoRuns(): Promise<[string, string]> {
    const [a, b] = [join(tmp.dir, 'last.csv'), join(tmp.dir, 'tonight.csv')];
    await runCli(['rank', needs, startups, '-q', '-o', a]);
    await runCli(['rank', needs, startups, '-q', '-o', b, '--weights', 'text=0.9,tags=0.05']);
    return [a, b];
  }

  it('exits 1 and lists the pairs that changed, as CSV when piped', async () => {
    const [a, b] = await twoRuns();
    const r = await runCli(['diff', a, b]);
    expect(r.code).toBe(1);
    const rows = parse(r.stdout, { columns: true }) as Record<string, string>[];
    expect(Object.keys(rows[0])).toEqual(['need_id', 'need_title', 'change', 'solution_id', 'solution_name', 'old_rank', 'new_rank', 'old_score', 'new_score']);
    expect(rows.length).toBeGreaterThan(0);
    // Each row agrees with the two files.
    const old = parse(await readFile(a, 'utf8'), { columns: true }) as Record<string, string>[];
    const now = parse(await readFile(b, 'utf8'), { columns: true }) as Record<string, string>[];
    const find = (run: Record<string, string>[], row: Record<string, string>) => run.find((x) => x.need_id === row.need_id && x.solution_id === row.solution_id);
    for (const row of rows) {
      const [was, is] = [find(old, row), find(now, row)];
      expect(row.old_rank).toBe(was?.rank ?? '');
      expect(row.new_rank).toBe(is?.rank ?? '');
      const expected = !was ? 'new' : !is ? 'dropped' : Number(is.rank) < Number(was.rank) ? 'up' : 'down';
      expect(row.change).toBe(expected);
    }
    expect(r.stderr).toMatch(/^\d+ of 30 needs changed: \d+ new, \d+ dropped, \d+ moved\n$/);
  });

  it('exits 0 when nothing changed, across formats (csv, json, jsonl, xlsx, --excel)', async () => {
    const base = join(tmp.dir, 'run.csv');
    await runCli(['rank', needs, startups, '-q', '-o', base]);
    for (const [name, extra] of [['run.json', []], ['run.jsonl', []], ['run.xlsx', []], ['excel.csv', ['--excel']]] as const) {
      await runCli(['rank', needs, startups, '-q', '-o', join(tmp.dir, name), ...extra]);
      const r = await runCli(['diff', base, join(tmp.dir, name), '--scores', '--format', 'json']);
      expect(r.code, name).toBe(0);
      expect(JSON.parse(r.stdout)).toEqual({ summary: { needs: 30, needs_changed: 0, new: 0, dropped: 0, moved: 0, score: 0 }, changes: [] });
    }
  });

  it('groups changes per need in a table', async () => {
    const [a, b] = await twoRuns();
    const r = await runCli(['diff', a, b, '--format', 'table']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^N\d\d {2}\S/m);
    expect(r.stdout).toMatch(/^ {2}[+\-↑↓] .+ \(S\d{3}\) {2}(new at #\d+|dropped from #\d+|#\d+ → #\d+)/m);
    expect(r.stdout.trimEnd().split('\n').pop()).toMatch(/^\d+ of 30 needs changed/);
  });

  it('refuses a file that is not a rank output', async () => {
    const r = await runCli(['diff', startups, startups]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/startups\.csv:1: not a match output: no 'need_id' column/);
  });
});

describe('match rank --previous and --manifest', () => {
  it("adds a 'change' column, and 'same' everywhere against an identical run", async () => {
    const last = join(tmp.dir, 'last.csv');
    await runCli(['rank', needs, startups, '-q', '-o', last]);
    const same = await runCli(['rank', needs, startups, '-q', '--previous', last]);
    const rows = parse(same.stdout, { columns: true }) as Record<string, string>[];
    expect(Object.keys(rows[0]).at(-1)).toBe('change');
    expect(new Set(rows.map((r) => r.change))).toEqual(new Set(['same']));
    const moved = await runCli(['rank', needs, startups, '-q', '--previous', last, '--weights', 'text=0.9,tags=0.05']);
    const changes = new Set((parse(moved.stdout, { columns: true }) as Record<string, string>[]).map((r) => r.change));
    expect([...changes].every((c) => ['new', 'up', 'down', 'same'].includes(c))).toBe(true);
    expect(changes.has('same') && changes.size > 1).toBe(true);
  });

  it('writes a manifest beside the output, and the output stays identical', async () => {
    const out = join(tmp.dir, 'shortlist.csv');
    const plain = join(tmp.dir, 'plain.csv');
    const r = await runCli(['rank', needs, startups, '-q', '-o', out, '--manifest', '--top', '5']);
    expect(r.code).toBe(0);
    await runCli(['rank', needs, startups, '-q', '-o', plain, '--top', '5']);
    expect(await readFile(out, 'utf8')).toBe(await readFile(plain, 'utf8'));
    const manifest = JSON.parse(await readFile(`${out}.manifest.json`, 'utf8'));
    const sha = createHash('sha256').update(await readFile(needs)).digest('hex');
    expect(manifest).toMatchObject({ tool: 'match', command: 'rank', output: { file: out, format: 'csv', needs: 30 } });
    expect(manifest.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(manifest.inputs[0]).toMatchObject({ role: 'needs', file: needs, sha256: sha, rows: 30, format: 'csv' });
    expect(manifest.inputs[1]).toMatchObject({ role: 'solutions', rows: 80 });
    expect(manifest.settings).toMatchObject({ top: 5, 'weights.text': 0.6, 'output.format': 'csv' });
    // The glossary is named by its size, not written out.
    expect(Object.keys(manifest.settings).filter((k) => k.startsWith('concepts'))).toEqual(['concepts.size']);
    expect(manifest.settings['concepts.size']).toBeGreaterThan(1000);
    expect(manifest.output.rows).toBe((await readFile(out, 'utf8')).trimEnd().split('\n').length - 1);
    expect(Date.parse(manifest.started_at)).not.toBeNaN();
  });

  it('needs a file name for the manifest when the output goes to stdout', async () => {
    const r = await runCli(['rank', needs, startups, '--manifest']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--manifest: name the file/);
  });
});
