import { describe, expect, it } from 'vitest';
import type { MatchRecord } from '../src/model.js';
import { random } from './helpers/random.js';

// Ranking on several threads must give what one thread gives, in the needs'
// order. Worker threads run the built code, so this test imports dist/
// (npm test builds first).
const dist = '../dist/';

const WORDS = ['sensor', 'recycling', 'textile', 'waste', 'energy', 'battery', 'solar', 'robot', 'vision', 'learning', 'maintenance', 'water', 'filter', 'coating', 'laser', 'drone', 'soil', 'packaging', 'polymer', 'radar', 'network', 'the', 'of', 'riciclo', 'tessile', 'energia', 'digital', 'twin', 'hydrogen', 'membrane'];

function records(rnd: () => number, n: number, prefix: string): MatchRecord[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `${prefix}${i}`,
    name: `${prefix}${i}`,
    title: WORDS[Math.floor(rnd() * WORDS.length)],
    text: Array.from({ length: 5 + Math.floor(rnd() * 40) }, () => WORDS[Math.floor(rnd() ** 2 * WORDS.length)]).join(' '),
    tags: rnd() < 0.3 ? [WORDS[Math.floor(rnd() * 8)]] : [],
    sectors: rnd() < 0.2 ? ['C13.20'] : [],
    fields: {},
    line: i + 2,
  }));
}

describe('ranking on several threads', () => {
  it('gives the results one thread gives, in order, pins included', async () => {
    const { rankParallel } = await import(`${dist}parallel/rank-parallel.js`);
    const { DEFAULT_RANK_OPTIONS } = await import(`${dist}rank/rank.js`);
    const rnd = random(11);
    const solutions = records(rnd, 600, 'S');
    const needs = records(rnd, 90, 'N');
    const options = { ...DEFAULT_RANK_OPTIONS, top: 7, constrain: (need: MatchRecord) => (need.id.endsWith('3') ? { pinned: [5] } : {}) };
    const one = await rankParallel(needs, solutions, options, { threads: 1 });
    let progress = 0;
    const three = await rankParallel(needs, solutions, options, { threads: 3, minPairs: 0, progress: (done: number) => (progress = done) });
    expect(three).toEqual(one);
    expect(progress).toBe(needs.length);
    expect(one.map((r: { needId: string }) => r.needId)).toEqual(needs.map((n) => n.id));
  });

  it('gives the same results with the glossary, which workers get as its flat arrays', async () => {
    const { rankParallel } = await import(`${dist}parallel/rank-parallel.js`);
    const { DEFAULT_RANK_OPTIONS } = await import(`${dist}rank/rank.js`);
    const { loadConcepts } = await import(`${dist}io/read-glossary.js`);
    const rnd = random(13);
    const solutions = records(rnd, 400, 'S');
    // Needs in Italian, which only the glossary links to the solutions' English words.
    const italian = ['riciclo', 'tessile', 'energia', 'sensori', 'rifiuti', 'acqua', 'batterie', 'il', 'della', 'per', 'con'];
    const needs = records(rnd, 60, 'N').map((n) => ({ ...n, title: italian[Math.floor(rnd() * 7)], text: Array.from({ length: 12 }, () => italian[Math.floor(rnd() * italian.length)]).join(' ') }));
    const options = { ...DEFAULT_RANK_OPTIONS, concepts: await loadConcepts({ useDefault: true }), top: 5 };
    const one = await rankParallel(needs, solutions, options, { threads: 1 });
    const three = await rankParallel(needs, solutions, options, { threads: 3, minPairs: 0 });
    expect(three).toEqual(one);
    // The glossary takes part: without it, the scores differ.
    expect(await rankParallel(needs, solutions, { ...options, concepts: null }, { threads: 1 })).not.toEqual(one);
  });

  it('rebuilds a corpus from its words and the rest, sent apart, and refuses the words of another corpus', async () => {
    const { prepareSolutions } = await import(`${dist}rank/corpus.js`);
    const { DEFAULT_RANK_OPTIONS, createScratch, rankNeed } = await import(`${dist}rank/rank.js`);
    const { restoreCorpus, restoreWords, shareCorpus, shareWords } = await import(`${dist}parallel/corpus-transfer.js`);
    const rnd = random(17);
    const solutions = records(rnd, 300, 'S');
    const needs = records(rnd, 20, 'N');
    const options = { ...DEFAULT_RANK_OPTIONS, top: 5 };
    const corpus = prepareSolutions(solutions, options, { sharedMemory: true });
    const rankAll = (c: typeof corpus) => needs.map((need) => rankNeed(c, need, options, createScratch(c)));
    const expected = rankAll(corpus);
    const words = structuredClone(shareWords(solutions, corpus.lexicon, corpus.weighted.index.terms));
    const snapshot = structuredClone(shareCorpus(corpus));
    const restored = restoreCorpus(snapshot, restoreWords(words, null));
    expect(rankAll(restored)).toEqual(expected);
    // Words of a corpus with other solutions do not fit this one.
    const other = prepareSolutions(solutions.slice(0, 200), options);
    expect(() => restoreCorpus(snapshot, restoreWords(shareWords(other.solutions, other.lexicon, other.weighted.index.terms), null))).toThrow(/do not belong/);
  });

  it('hands each result out in the needs\u2019 order as soon as the needs before it are ranked', async () => {
    const { rankParallel } = await import(`${dist}parallel/rank-parallel.js`);
    const { DEFAULT_RANK_OPTIONS } = await import(`${dist}rank/rank.js`);
    const rnd = random(12);
    const solutions = records(rnd, 500, 'S');
    const needs = records(rnd, 70, 'N');
    for (const threads of [1, 3]) {
      const seen: { index: number; result: unknown; done: number }[] = [];
      let done = 0;
      const results = await rankParallel(needs, solutions, DEFAULT_RANK_OPTIONS, {
        threads,
        minPairs: 0,
        progress: (n: number) => (done = n),
        onResult: (index: number, result: unknown) => seen.push({ index, result, done }),
      });
      expect(seen.map((s) => s.index)).toEqual(needs.map((_, i) => i));
      seen.forEach((s) => expect(s.result).toBe(results[s.index]));
      // Not all held back to the end: the first results went out while later needs were still to rank.
      expect(seen[0].done).toBeLessThan(needs.length);
    }
  });
});

describe('needs that repeat another need\u2019s text', () => {
  it('get the shortlist ranking them on their own gives, under their own id and title, on any threads', async () => {
    const { rankParallel } = await import(`${dist}parallel/rank-parallel.js`);
    const { DEFAULT_RANK_OPTIONS, createScratch, rank, rankNeed } = await import(`${dist}rank/rank.js`);
    const { prepareSolutions } = await import(`${dist}rank/corpus.js`);
    const rnd = random(14);
    const solutions = records(rnd, 500, 'S');
    const originals = records(rnd, 40, 'N');
    // Every third need repeats an earlier one under a new id and title-less name; one repeat is pinned, one has other tags.
    const needs = originals.flatMap((n, i) => (i % 3 === 0 && i > 0 ? [n, { ...originals[i - 3], id: `R${i}`, name: `repeat ${i}` }] : [n]));
    needs.push({ ...originals[1], id: 'P1', name: 'pinned repeat' }, { ...originals[2], id: 'T2', name: 'tagged repeat', tags: ['laser'] });
    const options = { ...DEFAULT_RANK_OPTIONS, top: 6, explain: true, constrain: (need: MatchRecord) => (need.id === 'P1' ? { pinned: [7] } : {}) };
    // Each need ranked on its own, nothing shared.
    const corpus = prepareSolutions(solutions, options);
    const alone = needs.map((need) => rankNeed(corpus, need, options, createScratch(corpus)));
    expect(alone.find((r: { needId: string }) => r.needId === 'P1').matches.some((m: { pinned?: boolean }) => m.pinned)).toBe(true);
    expect(rank(needs, solutions, options)).toEqual(alone);
    for (const threads of [1, 3]) expect(await rankParallel(needs, solutions, options, { threads, minPairs: 0 })).toEqual(alone);
    // The repeats' shortlists are their own objects: changing one leaves the other as it was.
    const results = await rankParallel(needs, solutions, options, { threads: 1 });
    const r3 = results.find((r: { needId: string }) => r.needId === 'R3');
    r3.matches[0].score = -1;
    expect(results.find((r: { needId: string }) => r.needId === 'N0').matches[0].score).not.toBe(-1);
  });
});

describe('worker options', () => {
  it('leaves out --input-type, which a worker started from a file refuses', async () => {
    const { workerExecArgv } = await import('../src/parallel/worker-exec-argv.js');
    expect(workerExecArgv(['--input-type=module', '--max-old-space-size=4096'])).toEqual(['--max-old-space-size=4096']);
    expect(workerExecArgv(['--input-type', 'module', '--enable-source-maps'])).toEqual(['--enable-source-maps']);
  });

  it('starts a thread even when this process runs with options a thread refuses (V8 heap sizes)', async () => {
    const { startWorker } = await import('../src/parallel/worker-exec-argv.js');
    const { Worker } = await import('node:worker_threads');
    const code = "require('node:worker_threads').parentPort.postMessage('started')";
    expect(() => new Worker(code, { eval: true, execArgv: ['--max-semi-space-size=32'] })).toThrow(/execArgv/);
    const worker = startWorker(code, { eval: true }, ['--max-semi-space-size=32']);
    const message = await new Promise((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    expect(message).toBe('started');
    await worker.terminate();
  });
});

describe('a large solutions file, analysed as it is read', () => {
  it('ranks as one thread does, from the command line', async () => {
    const { runCli, tempDir } = await import('./helpers/cli.js');
    const { writeFile } = await import('node:fs/promises');
    const { join } = await import('node:path');
    const { dir, cleanup } = await tempDir();
    try {
      // Past the 4 million characters from which a worker starts analysing while the file is read.
      const rnd = random(8);
      const line = (r: MatchRecord) => `${r.id},"${r.title}","${r.text}"`;
      const solutions = records(rnd, 9000, 'S').map((r) => ({ ...r, text: `${r.text} ${r.text} ${r.text} ${r.text}` }));
      await writeFile(join(dir, 'solutions.csv'), ['id,title,description', ...solutions.map(line)].join('\n'));
      await writeFile(join(dir, 'needs.csv'), ['id,title,description', ...records(rnd, 40, 'N').map(line)].join('\n'));
      const args = ['rank', join(dir, 'needs.csv'), join(dir, 'solutions.csv'), '--format', 'csv', '--top', '5', '-q'];
      const one = await runCli(args, { env: { MATCH_THREADS: '1' } });
      const two = await runCli(args, { env: { MATCH_THREADS: '2' } });
      expect(one.code).toBe(0);
      expect(one.stdout.split('\n').length).toBe(1 + 40 * 5 + 1);
      expect(two.stderr).toBe('');
      expect(two.stdout).toBe(one.stdout);
    } finally {
      await cleanup();
    }
  }, 60_000);
});
