import { describe, expect, it } from 'vitest';
import { allocatePostings, scoreSums, type PostingStore } from '../src/index/posting-kernel.js';
import { weightIndex } from '../src/index/text-model.js';
import { TopTextSearch } from '../src/index/top-text-search.js';
import { buildQuery } from '../src/index/text-model.js';
import { prepareSolutions } from '../src/rank/corpus.js';
import { DEFAULT_RANK_OPTIONS, createScratch, rankNeed } from '../src/rank/rank.js';
import type { MatchRecord } from '../src/model.js';
import { random } from './helpers/random.js';

// Scoring's hot loops run in WebAssembly where they can, in JavaScript where
// they cannot; either way the scores must be the same to the last bit, or
// rankings (ties broken by id, scores rounded) could differ between machines.

/** Random postings for `terms` terms over `docs` documents, sorted by document within each term, in `store`. */
function fill(store: PostingStore, rnd: () => number, terms: number, docs: number): void {
  let p = 0;
  for (let t = 0; t < terms; t++) {
    store.postingStart[t] = p;
    for (let d = 0; d < docs; d++) {
      if (rnd() < 0.3) {
        store.postingDoc[p] = d;
        store.weights[p] = rnd() * 2.2;
        p++;
      }
    }
  }
  store.postingStart[terms] = p;
}

const record = (id: string, title: string, text: string): MatchRecord => ({ id, name: id, title, text, tags: [], sectors: [], fields: {}, line: 2 });

describe('scoring loops in WebAssembly', () => {
  it('give the JavaScript loops\u2019 sums bit for bit, through additions and rescaling, and the same picks of the largest', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const terms = 12;
      const docs = 50 + seed * 37;
      const wasm = allocatePostings(terms + 1, terms * docs);
      const plain = allocatePostings(terms + 1, terms * docs, true);
      expect(wasm.memory).not.toBeNull();
      expect(plain.memory).toBeNull();
      fill(wasm, random(seed), terms, docs);
      fill(plain, random(seed), terms, docs);
      const a = scoreSums(wasm, docs);
      const b = scoreSums(plain, docs);
      a.sums.fill(0);
      const rnd = random(1000 + seed);
      for (let step = 0; step < 30; step++) {
        if (rnd() < 0.15) {
          const scale = rnd();
          a.scale(scale);
          b.scale(scale);
        } else {
          const t = Math.floor(rnd() * terms);
          const weight = rnd() / 7;
          a.addPostings(wasm.postingStart[t], wasm.postingStart[t + 1], weight);
          b.addPostings(plain.postingStart[t], plain.postingStart[t + 1], weight);
        }
      }
      for (let d = 0; d < docs; d++) expect(Object.is(a.sums[d], b.sums[d])).toBe(true);
      expect(a.sums.some((s) => s > 0)).toBe(true);
      // Ties, and documents flagged out of the pick.
      a.sums[3] = a.sums[5] = a.sums[8];
      b.sums[3] = b.sums[5] = b.sums[8];
      for (let d = 0; d < docs; d++) a.flags[d] = b.flags[d] = rnd() < 0.2 ? 1 : 0;
      for (const [skip, m] of [[0, 1], [1, 5], [0, 18], [1, 200]]) {
        const keys = [new Float64Array(m), new Float64Array(m)];
        const found = [new Int32Array(m), new Int32Array(m)];
        const size = a.largestSums(skip, m, keys[0], found[0]);
        expect(b.largestSums(skip, m, keys[1], found[1])).toBe(size);
        expect(size).toBeGreaterThan(0);
        expect([...keys[0].subarray(0, size)]).toEqual([...keys[1].subarray(0, size)]);
        expect([...found[0].subarray(0, size)]).toEqual([...found[1].subarray(0, size)]);
      }
      // Clearing zeroes every sum and nothing past them (the flags follow the sums in memory).
      a.flags.fill(1);
      a.clear();
      b.clear();
      expect(a.sums.every((s) => Object.is(s, 0))).toBe(true);
      expect(b.sums.every((s) => Object.is(s, 0))).toBe(true);
      expect(a.flags.every((f) => f === 1)).toBe(true);
      a.flags.fill(0);
    }
  });

  it('keep one set of sums per thread and corpus, however many searches there are', () => {
    const store = allocatePostings(2, 4);
    expect(scoreSums(store, 100)).toBe(scoreSums(store, 100));
    expect(scoreSums(allocatePostings(2, 4), 100)).not.toBe(scoreSums(store, 100));
  });

  it('refuse a search whose sums another search took over before it finished', () => {
    const corpus = prepareSolutions([record('a', 'solar sensor', 'energy'), record('b', 'textile waste', 'recycling')], DEFAULT_RANK_OPTIONS);
    const query = buildQuery(corpus.weighted, new Map([['solar', 1]]));
    const first = new TopTextSearch(corpus.weighted);
    const second = new TopTextSearch(corpus.weighted);
    first.begin(query);
    second.begin(query);
    expect(() => first.topFirst(1, () => true)).toThrow(/another search/);
    expect(second.topFirst(1, () => true).map((t) => t.doc)).toEqual([0]);
  });

  it('rank as the JavaScript loops do, on a corpus with postings in plain arrays', () => {
    const rnd = random(7);
    const words = ['sensor', 'textile', 'waste', 'energy', 'battery', 'solar', 'robot', 'vision', 'water', 'filter', 'coating', 'laser', 'drone', 'riciclo', 'tessile', 'acqua', 'energia'];
    const text = (n: number) => Array.from({ length: n }, () => words[Math.floor(rnd() ** 1.4 * words.length)]).join(' ');
    const solutions = Array.from({ length: 300 }, (_, i) => record(`s${i}`, text(3), text(20)));
    const needs = Array.from({ length: 25 }, (_, i) => record(`n${i}`, text(3), text(15)));
    const corpus = prepareSolutions(solutions, DEFAULT_RANK_OPTIONS);
    expect(corpus.weighted.memory).not.toBeNull();
    const plain = { ...corpus, weighted: weightIndex(corpus.weighted.index, corpus.weighted.settings, true) };
    expect(plain.weighted.memory).toBeNull();
    const a = createScratch(corpus);
    const b = createScratch(plain);
    for (const need of needs) expect(rankNeed(corpus, need, DEFAULT_RANK_OPTIONS, a)).toEqual(rankNeed(plain, need, DEFAULT_RANK_OPTIONS, b));
  });
});
