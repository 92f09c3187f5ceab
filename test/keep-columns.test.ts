import { describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { resolveKeptColumns } from '../src/render/kept-fields.js';
import { MatchError } from '../src/errors.js';
import { FIXTURES, runCli } from './helpers/cli.js';

const needs = join(FIXTURES, 'needs.csv');
const startups = join(FIXTURES, 'startups.csv');
const STANDARD = ['need_id', 'need_title', 'rank', 'solution_id', 'solution_name', 'score', 'text_score', 'tag_score', 'sector_score', 'shared_tags', 'top_terms'];

async function csvRecords(path: string): Promise<Map<string, Record<string, string>>> {
  const rows = parse(await readFile(path, 'utf8'), { columns: true }) as Record<string, string>[];
  return new Map(rows.map((r) => [r.id, r]));
}

describe('--keep and --keep-need', () => {
  it('append the chosen columns to every CSV row, with the values of the files', async () => {
    const r = await runCli(['rank', needs, startups, '-q', '--keep', 'Website,REGION', '--keep-need', 'company']);
    expect(r.code).toBe(0);
    const rows = parse(r.stdout, { columns: true }) as Record<string, string>[];
    expect(Object.keys(rows[0])).toEqual([...STANDARD, 'need_company', 'website', 'region']);
    const [solutionById, needById] = [await csvRecords(startups), await csvRecords(needs)];
    for (const row of rows) {
      expect(row.website).toBe(solutionById.get(row.solution_id)!.website);
      expect(row.region).toBe(solutionById.get(row.solution_id)!.region);
      expect(row.need_company).toBe(needById.get(row.need_id)!.company);
    }
  });

  it('put solution fields in each JSON match and need fields beside need_id', async () => {
    const r = await runCli(['rank', needs, startups, '-q', '--format', 'json', '--top', '2', '--keep', 'website', '--keep-need', 'region']);
    const [first] = JSON.parse(r.stdout) as Record<string, unknown>[];
    expect(Object.keys(first).slice(0, 3)).toEqual(['need_id', 'need_title', 'need_region']);
    expect(first.need_region).toBe('Toscana');
    const match = (first.matches as Record<string, unknown>[])[0];
    expect(match.website).toMatch(/^https:\/\/.+\.example$/);
    expect(match).not.toHaveProperty('need_region');
    const jsonl = await runCli(['rank', needs, startups, '-q', '--format', 'jsonl', '--top', '2', '--keep', 'website', '--keep-need', 'region']);
    expect(Object.keys(JSON.parse(jsonl.stdout.split('\n')[0])).slice(-2)).toEqual(['need_region', 'website']);
  });

  it('refuse an unknown column with the columns there are (exit 2)', async () => {
    const r = await runCli(['rank', needs, startups, '--keep', 'email']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--keep email: .*startups\.csv has no such column; its columns are id, name, description/);
  });

  it('rename a kept column that would clash with an output column', () => {
    const taken = [...STANDARD];
    expect(resolveKeptColumns(['Score', 'region'], ['id', 'score', 'region'], '--keep', 's.csv', 'solution', taken)).toEqual([
      { source: 'score', output: 'solution_score' },
      { source: 'region', output: 'region' },
    ]);
    expect(resolveKeptColumns(['region'], ['id', 'region'], '--keep-need', 'n.csv', 'need', taken)).toEqual([{ source: 'region', output: 'need_region' }]);
    expect(() => resolveKeptColumns(['nope'], ['id'], '--keep', 's.csv', 'solution', taken)).toThrow(MatchError);
  });
});
