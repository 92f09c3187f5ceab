import { describe, expect, it } from 'vitest';
import type { MatchRecord } from '../src/model.js';
import { prepareSolutions } from '../src/rank/corpus.js';
import { DEFAULT_RANK_OPTIONS, createScratch, rankNeed, type NeedConstraints, type RankOptions } from '../src/rank/rank.js';
import { DEFAULT_TEXT_MODEL, TEXT_MODELS, type TextModelSettings } from '../src/index/text-model.js';
import { random } from './helpers/random.js';
import { TEST_GLOSSARY as GLOSSARY } from './helpers/glossary.js';

// The top-k search (index/top-text-search.ts) must give exactly what visiting
// every candidate gives: same solutions, same order, same scores, on random
// corpora and settings.


const WORDS = ['sensor', 'sensors', 'recycling', 'textile', 'waste', 'energy', 'battery', 'solar', 'robot', 'vision', 'machine', 'learning', 'predictive', 'maintenance', 'water', 'filter', 'coating', 'laser', 'welding', 'drone', 'crop', 'soil', 'food', 'packaging', 'plastic', 'polymer', 'quantum', 'radar', 'signal', 'network', 'the', 'of', 'and', 'for', 'riciclo', 'tessile', 'sensori', 'energia', 'acqua', 'della', 'per', 'il', 'digital', 'twin', 'circular', 'economy', 'economia', 'circolare', 'gemello', 'digitale', 'alloy', 'steel', 'ceramic', 'optics', 'lidar', 'fuel', 'cell', 'hydrogen', 'catalyst', 'membrane'];
const TAGS = ['iot', 'ai', 'cleantech', 'robotics', 'materials', 'energy', 'agritech', 'fintech', 'medtech', 'textile'];
const SECTORS = ['C13.20', 'C13', 'C28.1', 'C28.41', 'J62.01', 'J62', 'D35.11', 'A01', 'C20.1', 'fintech'];


function pick<T>(rnd: () => number, list: readonly T[]): T {
  return list[Math.floor(rnd() * list.length)];
}

function text(rnd: () => number, vocabulary: number, length: number): string {
  const words: string[] = [];
  for (let i = 0; i < length; i++) words.push(WORDS[Math.floor(rnd() ** 1.5 * vocabulary)]);
  return words.join(' ');
}

function some<T>(rnd: () => number, list: readonly T[], p: number, max: number): T[] {
  if (rnd() > p) return [];
  const n = 1 + Math.floor(rnd() * max);
  return Array.from({ length: n }, () => pick(rnd, list));
}

function records(rnd: () => number, n: number, prefix: string, vocabulary: number, metadata: { tags: number; sectors: number }): MatchRecord[] {
  const out: MatchRecord[] = [];
  for (let i = 0; i < n; i++) {
    // Some exact duplicates, so that ties (broken by id) are common.
    const copy = i > 0 && rnd() < 0.15 ? out[Math.floor(rnd() * i)] : null;
    const id = `${prefix}${String(Math.floor(rnd() * 1e6)).padStart(6, '0')}-${i}`;
    out.push(copy ? { ...copy, id, line: i + 2 } : {
      id,
      name: id,
      title: text(rnd, vocabulary, Math.floor(rnd() * 4)),
      text: rnd() < 0.05 ? '' : text(rnd, vocabulary, 1 + Math.floor(rnd() * 30)),
      tags: some(rnd, TAGS, metadata.tags, 3),
      sectors: some(rnd, SECTORS, metadata.sectors, 2),
      fields: {},
      line: i + 2,
    });
  }
  return out;
}

function randomCase(seed: number) {
  const rnd = random(seed);
  const vocabulary = 5 + Math.floor(rnd() * (WORDS.length - 5));
  const metadata = { tags: rnd() < 0.5 ? 0 : rnd(), sectors: rnd() < 0.5 ? 0 : rnd() };
  const solutions = records(rnd, 1 + Math.floor(rnd() * 120), 'S', vocabulary, metadata);
  const needs = records(rnd, 1 + Math.floor(rnd() * 8), 'N', vocabulary, metadata);
  const model: TextModelSettings = {
    ...DEFAULT_TEXT_MODEL,
    model: pick(rnd, TEXT_MODELS),
    b: rnd(),
    titleWeight: pick(rnd, [0, 1, 2, 3]),
    feedbackDocs: pick(rnd, [0, 1, 3, 10]),
    feedbackTerms: pick(rnd, [0, 2, 10]),
    feedbackWeight: pick(rnd, [0.5, 0.8, 1]),
    feedbackMethod: pick(rnd, ['rm3', 'bo1'] as const),
  };
  const weights = { text: pick(rnd, [0.2, 0.6, 1]), tags: pick(rnd, [0, 0.25, 0.5]), sector: pick(rnd, [0, 0.15, 0.4]) };
  // Filters and pins by position, as constraints/ compiles them.
  const filtered = rnd() < 0.3 ? new Set(solutions.map((_, d) => d).filter(() => rnd() < 0.3)) : null;
  const pinned = rnd() < 0.3 ? [Math.floor(rnd() * solutions.length)] : [];
  const constrain = filtered || pinned.length ? (): NeedConstraints => ({ admit: filtered ? (d) => !filtered.has(d) : undefined, pinned }) : undefined;
  const options: RankOptions = {
    ...DEFAULT_RANK_OPTIONS,
    top: pick(rnd, [1, 2, 3, 5, 10, 50]),
    minScore: pick(rnd, [0, 0, 0.05, 0.2]),
    weights,
    lang: pick(rnd, ['auto', 'en', 'it'] as const),
    textModel: model,
    concepts: rnd() < 0.5 ? GLOSSARY : null,
    constrain,
  };
  return { needs, solutions, options };
}

describe('top-k text search', () => {
  it('ranks exactly as scoring every candidate, on random corpora and settings', () => {
    let compared = 0;
    for (let seed = 1; seed <= 400; seed++) {
      const { needs, solutions, options } = randomCase(seed);
      const corpus = prepareSolutions(solutions, options);
      const scratch = createScratch(corpus);
      for (const need of needs) {
        const pruned = rankNeed(corpus, need, options, scratch);
        const exhaustive = rankNeed(corpus, need, { ...options, exhaustive: true }, scratch);
        expect(pruned, `seed ${seed}, need ${need.id}`).toEqual(exhaustive);
        compared += exhaustive.matches.length;
      }
    }
    expect(compared).toBeGreaterThan(1000);
  });

  it('keeps every solution tied with the last place, and breaks the ties by id', () => {
    // Far more identical solutions than the shortlist holds, so ties at the k-th score go beyond what one pass keeps.
    const rnd = random(3);
    const base = records(rnd, 1, 'S', WORDS.length, { tags: 0, sectors: 0 })[0];
    const solutions = [
      ...Array.from({ length: 60 }, (_, i) => ({ ...base, id: `T${String(59 - i).padStart(2, '0')}`, line: i + 2 })),
      ...records(rnd, 200, 'S', WORDS.length, { tags: 0.3, sectors: 0.2 }),
    ];
    const need = { ...base, id: 'N1', text: `${base.title} ${base.text}` };
    for (const feedbackDocs of [0, 10]) {
      const options: RankOptions = { ...DEFAULT_RANK_OPTIONS, top: 5, textModel: { ...DEFAULT_TEXT_MODEL, feedbackDocs } };
      const corpus = prepareSolutions(solutions, options);
      const scratch = createScratch(corpus);
      const ranked = rankNeed(corpus, need, options, scratch);
      expect(ranked).toEqual(rankNeed(corpus, need, { ...options, exhaustive: true }, scratch));
      expect(ranked.matches.map((m) => m.solutionId)).toEqual(['T00', 'T01', 'T02', 'T03', 'T04']);
    }
  });

  it('ranks exactly on a larger corpus with long needs', () => {
    const rnd = random(7);
    const solutions = records(rnd, 3000, 'S', WORDS.length, { tags: 0.3, sectors: 0.2 });
    const needs = records(rnd, 40, 'N', WORDS.length, { tags: 0.3, sectors: 0.2 }).map((n) => ({ ...n, text: text(rnd, WORDS.length, 200) }));
    for (const feedbackDocs of [0, 10]) {
      const options: RankOptions = { ...DEFAULT_RANK_OPTIONS, textModel: { ...DEFAULT_TEXT_MODEL, feedbackDocs }, concepts: GLOSSARY };
      const corpus = prepareSolutions(solutions, options);
      const scratch = createScratch(corpus);
      for (const need of needs) {
        expect(rankNeed(corpus, need, options, scratch)).toEqual(rankNeed(corpus, need, { ...options, exhaustive: true }, scratch));
      }
    }
  });
});
