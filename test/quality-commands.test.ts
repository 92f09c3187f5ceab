import { describe, expect, it } from 'vitest';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FIXTURES, runCli, useTempDir } from './helpers/cli.js';
import { parseConfig } from '../src/config.js';
import { labelsFromTable } from '../src/io/read-labels.js';
import { parseCsv } from '../src/io/parse-table.js';
import { makeFolds, rankCandidates, tune, weightGrid } from '../src/eval/tune.js';
import { sectorRelation, explanationSentence, signalParts } from '../src/rank/explanation.js';

const needs = join(FIXTURES, 'needs.csv');
const startups = join(FIXTURES, 'startups.csv');
const labels = join(FIXTURES, 'labels.csv');

const tmp = useTempDir();

describe('match evaluate', () => {
  it('scores a run file against labels, overall and per need', async () => {
    const run = join(tmp.dir, 'run.csv');
    expect((await runCli(['rank', needs, startups, '-q', '-o', run])).code).toBe(0);
    const r = await runCli(['evaluate', run, labels, '--by-need', '--format', 'json', '-q']);
    expect(r.code).toBe(0);
    const e = JSON.parse(r.stdout);
    expect(e.k).toBe(10);
    expect(e.judged_needs).toBe(30);
    expect(e.by_need).toHaveLength(30);
    for (const key of ['ndcg@10', 'map', 'mrr', 'p@10', 'r@10']) {
      expect(e.mean[key]).toBeGreaterThan(0);
      expect(e.mean[key]).toBeLessThanOrEqual(1);
    }
  });

  it('counts labelled needs the run never ranked as zero', async () => {
    const run = join(tmp.dir, 'run.csv');
    await writeFile(run, 'need_id,rank,solution_id,score\nN01,1,S001,0.9\n');
    const lab = join(tmp.dir, 'labels.csv');
    await writeFile(lab, 'need_id;solution_id;relevance\nN01;S001;2\nN02;S007;1\n');
    const r = await runCli(['evaluate', run, lab, '--format', 'json', '--k', '5', '-q']);
    const e = JSON.parse(r.stdout);
    // N01 is perfect, N02 missing: every mean is (1 + 0) / 2.
    expect(e.mean).toEqual({ 'ndcg@5': 0.5, map: 0.5, mrr: 0.5, 'p@5': 0.1, 'r@5': 0.5 });
    expect(e.needs_without_ranking).toBe(1);
  });

  it('ranks and scores in one go with NEEDS SOLUTIONS LABELS, matching the two-step result at the same depth', async () => {
    const run = join(tmp.dir, 'run.csv');
    await runCli(['rank', needs, startups, '-q', '--top', '1000', '-o', run]);
    const twoStep = await runCli(['evaluate', run, labels, '--format', 'csv', '-q']);
    const oneGo = await runCli(['evaluate', needs, startups, labels, '--format', 'csv', '-q']);
    expect(oneGo.code).toBe(0);
    expect(oneGo.stdout).toBe(twoStep.stdout);
    expect(oneGo.stdout.split('\n')[0]).toBe('need_id,ndcg@10,map,mrr,p@10,r@10');
  });

  it('refuses labels without a grade column', async () => {
    const lab = join(tmp.dir, 'labels.csv');
    await writeFile(lab, 'need_id,solution_id\nN01,S001\n');
    const r = await runCli(['evaluate', needs, startups, lab, '-q']);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/labels need a column for grade/);
  });
});

describe('match explain', () => {
  it('breaks a pair down into signals, words, tags and sectors', async () => {
    const r = await runCli(['explain', 'N04', 'S012', needs, startups, '-q', '--format', 'json']);
    expect(r.code).toBe(0);
    const e = JSON.parse(r.stdout);
    expect(e.need.id).toBe('N04');
    expect(e.solution.name).toBe('Predicta');
    const contributions = e.signals.map((s: { contribution: number | null }) => s.contribution ?? 0);
    expect(contributions.reduce((a: number, b: number) => a + b, 0)).toBeCloseTo(e.score, 3);
    expect(e.terms.map((t: { word: string }) => t.word)).toContain('manutenzione');
    expect(e.tags.shared).toContain('manutenzione predittiva');
    expect(e.sentence).toMatch(/^shares: /);
  });

  it('agrees with the score match rank gives the pair', async () => {
    const ranked = JSON.parse((await runCli(['rank', needs, startups, '-q', '--format', 'json'])).stdout);
    const pair = ranked.find((n: { need_id: string }) => n.need_id === 'N06').matches[0];
    const e = JSON.parse((await runCli(['explain', 'N06', pair.solution_id, needs, startups, '-q', '--format', 'json'])).stdout);
    expect(e.score).toBe(pair.score);
  });

  it('prints a readable breakdown and says which ids are unknown', async () => {
    const r = await runCli(['explain', 'N04', 'S012', needs, startups, '-q']);
    expect(r.stdout).toMatch(/signal\s+score\s+weight\s+contribution/);
    expect(r.stdout).toMatch(/words behind the text score/);
    const bad = await runCli(['explain', 'N99', 'S012', needs, startups, '-q']);
    expect(bad.code).toBe(3);
    expect(bad.stderr).toMatch(/no need with id 'N99'/);
  });

  it('rank --explain adds an explanation column and per-need gaps', async () => {
    const csv = await runCli(['rank', needs, startups, '-q', '--explain', '--top', '2']);
    expect(csv.stdout.split('\n')[0].endsWith(',top_terms,explanation')).toBe(true);
    const json = JSON.parse((await runCli(['rank', needs, startups, '-q', '--explain', '--format', 'json'])).stdout);
    expect(json[0].matches[0].explanation).toMatch(/shares: /);
    expect(Array.isArray(json[0].gaps)).toBe(true);
    const plain = JSON.parse((await runCli(['rank', needs, startups, '-q', '--format', 'json'])).stdout);
    expect(plain[0].gaps).toBeUndefined();
    expect(plain[0].matches[0].explanation).toBeUndefined();
  });
});

describe('match tune and --config', () => {
  it('reports the held-out score beside the default and writes a config rank accepts', async () => {
    const cfg = join(tmp.dir, 'tuned.json');
    const r = await runCli(['tune', needs, startups, labels, '-q', '--write-config', cfg, '--folds', '3']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/default\s+nDCG@10 0\.\d{4}/);
    expect(r.stdout).toMatch(/tuned\s+nDCG@10 0\.\d{4} held out/);
    const config = JSON.parse(await readFile(cfg, 'utf8'));
    expect(Object.keys(config)).toEqual(['weights', 'model']);
    const ranked = await runCli(['rank', needs, startups, '-q', '--config', cfg]);
    expect(ranked.code).toBe(0);
    const evaluated = await runCli(['evaluate', needs, startups, labels, '-q', '--config', cfg, '--format', 'json']);
    expect(JSON.parse(evaluated.stdout).mean['ndcg@10']).toBeGreaterThan(0);
  });

  it('lets flags override the config and refuses unknown fields', async () => {
    const cfg = join(tmp.dir, 'c.json');
    await writeFile(cfg, JSON.stringify({ top: 1, weights: { sector: 0 } }));
    const one = await runCli(['rank', needs, startups, '-q', '--config', cfg, '--format', 'json']);
    expect(JSON.parse(one.stdout)[0].matches).toHaveLength(1);
    expect(JSON.parse(one.stdout)[0].matches[0].sector_score).toBeNull();
    const two = await runCli(['rank', needs, startups, '-q', '--config', cfg, '--top', '2', '--format', 'json']);
    expect(JSON.parse(two.stdout)[0].matches).toHaveLength(2);
    await writeFile(cfg, JSON.stringify({ wieghts: {} }));
    const bad = await runCli(['rank', needs, startups, '-q', '--config', cfg]);
    expect(bad.code).toBe(3);
    expect(bad.stderr).toMatch(/unknown field 'wieghts'/);
  });

  it('validates every field', () => {
    expect(parseConfig({ weights: { text: 0.5 }, needs: { text: ['a', 'b'] }, lang: 'it' })).toEqual({ weights: { text: 0.5 }, needs: { text: ['a', 'b'] }, lang: 'it' });
    expect(parseConfig({ weights: { txt: 1 } })).toMatch(/unknown signal 'weights.txt'/);
    expect(parseConfig({ model: { k1: 'high' } })).toMatch(/'model.k1' must be a number/);
    expect(parseConfig({ solutions: { colour: 'x' } })).toMatch(/unknown field 'solutions.colour'/);
    expect(parseConfig([])).toMatch(/JSON object/);
  });
});

describe('tuning core', () => {
  it('makes deterministic folds and a simplex weight grid', () => {
    expect(makeFolds(['c', 'a', 'b', 'd'], 2)).toEqual([['a', 'c'], ['b', 'd']]);
    const grid = weightGrid(0.5);
    expect(grid).toEqual([{ text: 0.5, tags: 0, sector: 0.5 }, { text: 0.5, tags: 0.5, sector: 0 }, { text: 1, tags: 0, sector: 0 }]);
    expect(weightGrid(0.5, { text: 1, tags: 1, sector: 0 }).every((w) => w.sector === 0)).toBe(true);
  });

  it('finds the weights that put the labelled solution first', () => {
    // Text prefers x, tags prefer y; y is the right answer for every need.
    const candidates = new Map(['n1', 'n2', 'n3', 'n4'].map((n) => [n, [{ id: 'x', text: 0.9, tags: 0, sector: null }, { id: 'y', text: 0.5, tags: 1, sector: null }]]));
    const labels = new Map(['n1', 'n2', 'n3', 'n4'].map((n) => [n, new Map([['y', 1]])]));
    const result = tune([{ settings: 'only', candidates }], { text: 1, tags: 0, sector: 0 }, labels, { k: 1, folds: 2, weights: weightGrid(0.1) });
    expect(result.defaultScore).toBe(0);
    expect(result.heldOutScore).toBe(1);
    expect(rankCandidates(candidates.get('n1')!, result.best.weights, 1)).toEqual(['y']);
  });

  it('reads labels with Italian-Excel grades and formula-escaped ids', () => {
    const table = parseCsv("query_id;doc_id;grade\n'=N1;S1;2,0\n", 'l.csv');
    expect(labelsFromTable(table, 'l.csv')).toEqual(new Map([['=N1', new Map([['S1', 2]])]]));
  });
});

describe('explanation pieces', () => {
  it('describes how sectors relate', () => {
    expect(sectorRelation(['C13.20'], ['C13.9']).relation).toBe('same ATECO division C13');
    expect(sectorRelation(['C13'], ['C13.20']).relation).toBe('ATECO C13 includes C13.20');
    expect(sectorRelation(['C13.20'], ['J62.01']).relation).toBe('different sectors (C13.20 vs J62.01)');
    expect(sectorRelation([], ['C13']).score).toBeNull();
  });

  it('splits the score into signal contributions and writes a sentence', () => {
    const parts = signalParts({ text: 0.5, tags: null, sector: 1 }, { text: 0.6, tags: 0.25, sector: 0.15 });
    // (0.6·0.5) / 0.75 and (0.15·1) / 0.75; tags have no data on one side
    expect(parts[0].contribution).toBeCloseTo(0.4, 10);
    expect(parts[1].contribution).toBeNull();
    expect(parts[2].contribution).toBeCloseTo(0.2, 10);
    expect(explanationSentence(['riciclo', 'tessile'], ['circular economy'], { score: 0.5, relation: 'same ATECO division C13' })).toBe('shares: riciclo, tessile; tags: circular economy; same ATECO division C13');
  });
});
