import { describe, expect, it } from 'vitest';
import { readFile, writeFile, readdir, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { FIXTURES, runCli, useTempDir } from './helpers/cli.js';

const needs = join(FIXTURES, 'needs.csv');
const startups = join(FIXTURES, 'startups.csv');
const COLUMNS = ['need_id', 'need_title', 'rank', 'solution_id', 'solution_name', 'score', 'text_score', 'tag_score', 'sector_score', 'shared_tags', 'top_terms'];

const tmp = useTempDir();

describe('match rank on the fixtures', () => {
  it('writes parseable CSV with the documented columns when piped', async () => {
    const r = await runCli(['rank', needs, startups]);
    expect(r.code).toBe(0);
    const rows = parse(r.stdout, { columns: true }) as Record<string, string>[];
    expect(Object.keys(rows[0])).toEqual(COLUMNS);
    expect(new Set(rows.map((x) => x.need_id)).size).toBe(30);
    // Ranks run 1..n per need, scores descend, ties broken by id.
    const n01 = rows.filter((x) => x.need_id === 'N01');
    expect(n01.map((x) => Number(x.rank))).toEqual(n01.map((_, i) => i + 1));
    for (let i = 1; i < n01.length; i++) {
      const [a, b] = [n01[i - 1], n01[i]];
      expect(Number(a.score) > Number(b.score) || (a.score === b.score && a.solution_id < b.solution_id)).toBe(true);
    }
    expect(n01.length).toBeLessThanOrEqual(10);
    // The mapping goes to stderr, never stdout.
    expect(r.stderr).toMatch(/needs\.csv: 30 records/);
    expect(r.stderr).toMatch(/empty description: S080/);
  });

  it('gives a need that repeats another need\u2019s text the same shortlist under its own id', async () => {
    const rows = parse(await readFile(needs, 'utf8'), { columns: true }) as Record<string, string>[];
    const line = (r: Record<string, string>, id: string) => [id, r.title, r.description, r.tags, r.sector].map((v) => `"${v.replace(/"/g, '""')}"`).join(',');
    const file = join(tmp.dir, 'needs.csv');
    await writeFile(file, ['id,title,description,tags,sector', line(rows[0], 'N01'), line(rows[1], 'N02'), line(rows[0], 'N99')].join('\n'));
    const r = await runCli(['rank', file, startups, '--format', 'csv', '-q']);
    expect(r.code).toBe(0);
    const out = parse(r.stdout, { columns: true }) as Record<string, string>[];
    const of = (id: string) => out.filter((x) => x.need_id === id).map((x) => ({ ...x, need_id: '' }));
    expect(of('N01').length).toBeGreaterThan(0);
    expect(of('N99')).toEqual(of('N01'));
    expect(out.map((x) => x.need_id).filter((id, i, all) => all.indexOf(id) === i)).toEqual(['N01', 'N02', 'N99']);
  });

  it('writes a pipe, rows a need at a time, the same bytes it writes to an -o file', async () => {
    for (const [flags, name] of [[['--format', 'csv'], 'out.csv'], [['--excel'], 'excel.csv'], [['--format', 'jsonl', '--top', '3'], 'out.jsonl'], [['--format', 'csv', '--min-score', '0.99'], 'none.csv']] as const) {
      const piped = await runCli(['rank', needs, startups, ...flags, '-q']);
      const file = join(tmp.dir, name);
      const written = await runCli(['rank', needs, startups, ...flags, '-q', '-o', file]);
      expect(piped.code).toBe(0);
      expect(written.code).toBe(0);
      expect(written.stdout).toBe('');
      expect(piped.stdout).toBe(await readFile(file, 'utf8'));
    }
  });

  it('puts the startups an analyst would pick at the top', async () => {
    const r = await runCli(['rank', needs, startups, '--format', 'json', '--top', '3', '-q']);
    const result = JSON.parse(r.stdout) as { need_id: string; matches: { solution_id: string }[] }[];
    const top = (id: string) => result.find((n) => n.need_id === id)!.matches.map((m) => m.solution_id);
    expect(top('N05')).toContain('S014'); // visual inspection → InspectAI
    expect(top('N06')[0]).toBe('S017'); // digital twin → TwinForge
    expect(top('N08')[0]).toBe('S023'); // ham curing sensors → CuraSense
  });

  it('is byte-identical across runs', async () => {
    const a = await runCli(['rank', needs, startups, '-q']);
    const b = await runCli(['rank', needs, startups, '-q']);
    expect(a.stdout).toBe(b.stdout);
  });

  it('reads JSON and JSON Lines copies of the data to the same result', async () => {
    const csv = await runCli(['rank', needs, startups, '-q', '--format', 'jsonl']);
    const json = await runCli(['rank', join(FIXTURES, 'needs.json'), join(FIXTURES, 'startups.jsonl'), '-q', '--format', 'jsonl']);
    expect(json.code).toBe(0);
    expect(json.stdout).toBe(csv.stdout);
  });

  it('reads one file from stdin with -', async () => {
    const text = await readFile(needs, 'utf8');
    const viaStdin = await runCli(['rank', '-', startups, '-q'], { input: text });
    const direct = await runCli(['rank', needs, startups, '-q']);
    expect(viaStdin.code).toBe(0);
    expect(viaStdin.stdout).toBe(direct.stdout);
  });

  it('reads gzip files transparently', async () => {
    const { gzipSync } = await import('node:zlib');
    const gz = join(tmp.dir, 'startups.csv.gz');
    await writeFile(gz, gzipSync(await readFile(startups)));
    const a = await runCli(['rank', needs, gz, '-q']);
    const b = await runCli(['rank', needs, startups, '-q']);
    expect(a.stdout).toBe(b.stdout);
  });

  it('writes JSON with one entry per need and null for signals left out', async () => {
    const r = await runCli(['rank', needs, startups, '--format', 'json', '-q', '--weights', 'sector=0']);
    const result = JSON.parse(r.stdout);
    expect(result).toHaveLength(30);
    const m = result[0].matches[0];
    expect(Object.keys(m)).toEqual(COLUMNS.slice(2));
    expect(m.sector_score).toBeNull();
    expect(Array.isArray(m.shared_tags)).toBe(true);
    expect(typeof m.score).toBe('number');
  });

  it('honours --top, --min-score and --columns', async () => {
    const r = await runCli(['rank', needs, startups, '-q', '--top', '2', '--min-score', '0.3', '--columns', 'need_id,solution_id,score']);
    const rows = parse(r.stdout, { columns: true }) as Record<string, string>[];
    expect(Object.keys(rows[0])).toEqual(['need_id', 'solution_id', 'score']);
    for (const row of rows) expect(Number(row.score)).toBeGreaterThanOrEqual(0.3);
    const perNeed = new Map<string, number>();
    for (const row of rows) perNeed.set(row.need_id, (perNeed.get(row.need_id) ?? 0) + 1);
    for (const n of perNeed.values()) expect(n).toBeLessThanOrEqual(2);
  });

  it('renders a table without colour codes when asked for a table in a pipe', async () => {
    const r = await runCli(['rank', needs, startups, '-q', '--format', 'table', '--top', '2']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('N01');
    expect(r.stdout).not.toMatch(/\u001b\[/);
    const forced = await runCli(['rank', needs, startups, '-q', '--format', 'table', '--top', '2'], { env: { FORCE_COLOR: '1' } });
    expect(forced.stdout).toMatch(/\u001b\[/);
    const noColor = await runCli(['rank', needs, startups, '-q', '--format', 'table', '--top', '2'], { env: { FORCE_COLOR: '1', NO_COLOR: '1' } });
    expect(noColor.stdout).not.toMatch(/\u001b\[/);
  });

  it('ends quietly when the reader closes the pipe early', async () => {
    const { spawn } = await import('node:child_process');
    const { BIN } = await import('./helpers/cli.js');
    const code = await new Promise<number | null>((resolve) => {
      const child = spawn(process.execPath, [BIN, 'rank', needs, startups, '-q', '--top', '50']);
      let stderr = '';
      child.stderr.on('data', (d) => (stderr += d));
      child.stdout.once('data', () => child.stdout.destroy());
      child.on('close', (c) => {
        expect(stderr).not.toMatch(/EPIPE|Error/);
        resolve(c);
      });
    });
    expect(code).toBe(0);
  });
});

describe('-o writes atomically', () => {
  it('writes the file, format from the extension, and nothing on stdout', async () => {
    const out = join(tmp.dir, 'shortlist.json');
    const r = await runCli(['rank', needs, startups, '-q', '-o', out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(JSON.parse(await readFile(out, 'utf8'))).toHaveLength(30);
  });

  it('leaves an older file intact and no temporary file when the run fails', async () => {
    const out = join(tmp.dir, 'shortlist.csv');
    await writeFile(out, 'old contents\n');
    const r = await runCli(['rank', join(tmp.dir, 'missing.csv'), startups, '-o', out]);
    expect(r.code).toBe(3);
    expect(await readFile(out, 'utf8')).toBe('old contents\n');
    expect(await readdir(tmp.dir)).toEqual(['shortlist.csv']);
  });

  it('reports an output it cannot write with exit 4', async () => {
    const r = await runCli(['rank', needs, startups, '-q', '-o', join(tmp.dir, 'no/such/folder/out.csv')]);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/^match: cannot write .*out\.csv: the folder does not exist\n$/);
  });

  it('refuses a target that cannot be replaced (a folder) with exit 4', async () => {
    const target = join(tmp.dir, 'taken.csv');
    await mkdir(target);
    const r = await runCli(['rank', needs, startups, '-q', '-o', target]);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/cannot write .*taken\.csv/);
  });
});

describe('usage and version', () => {
  it('prints the version', async () => {
    const r = await runCli(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('explains every option of rank with examples', async () => {
    const r = await runCli(['rank', '--help']);
    expect(r.code).toBe(0);
    for (const flag of ['--top', '--min-score', '--weights', '--format', '--output', '--delimiter', '--lang', '--need-text', '--solution-name', '--columns']) expect(r.stdout).toContain(flag);
    expect(r.stdout).toContain('Examples:');
  });

  it('exits 2 on an unknown option, a missing argument or a bad value', async () => {
    for (const args of [['rank', needs, startups, '--frobnicate'], ['rank', needs], ['rank', needs, startups, '--weights', 'text=x'], ['rank', needs, startups, '--top', '0'], ['rank', needs, startups, '--format', 'xml'], ['bogus']]) {
      const r = await runCli(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    }
  });
});
