import { describe, expect, it } from 'vitest';
import type { MatchRecord } from '../src/model.js';
import { needTermCounts, prepareSolutions } from '../src/rank/corpus.js';
import { DEFAULT_RANK_OPTIONS, type RankOptions } from '../src/rank/rank.js';
import { queryWithBound } from '../src/index/text-model.js';
import { expandQuery, expansionScoring, topDocuments } from '../src/rank/feedback.js';
import { accumulateText, createAccumulator } from '../src/index/accumulate.js';
import { needOnlyQuery } from '../src/rank/term-breakdown.js';
import { random } from './helpers/random.js';
import { TEST_GLOSSARY as GLOSSARY } from './helpers/glossary.js';

// Ranking finds a need's words in the index by stem number, and tells the need's own terms from
// feedback's by term id: both must give what looking the terms up by string gives.

const CORPUS_WORDS = ['sensor', 'sensors', 'sensori', 'recycling', 'riciclo', 'textile', 'tessile', 'waste', 'energy', 'energia', 'battery', 'solar', 'robot', 'vision', 'digital', 'twin', 'gemello', 'digitale', 'circular', 'economy', 'economia', 'circolare', 'water', 'acqua', 'filter', 'coating', 'laser'];
// Stop words make a text English or Italian: concepts give terms of the other language on the need's side.
const STOP = [['the', 'of', 'and', 'with'], ['il', 'di', 'e', 'la', 'per']];
// Rarer made-up words, which feedback may add to a need's query (it skips words in over 10% of the solutions).
const SYLLABLES = ['ka', 'lo', 'mi', 'ne', 'ru', 'sa', 'te', 'vo'];
const RARE = Array.from({ length: 120 }, (_, i) => SYLLABLES[i % 8] + SYLLABLES[(i >> 3) % 8] + SYLLABLES[(i >> 6) % 8] + 'x');
// Words no solution has: new stems, numbered by the need.
const NEED_ONLY = ['quantum', 'hydrogen', 'membrane', 'idrogeno', 'membrana', 'città', 'über'];

const record = (id: string, title: string, text: string): MatchRecord => ({ id, name: id, title, text, tags: [], sectors: [], fields: {}, line: 2 });

describe("a need's terms, looked up by stem number", () => {
  it('are the look-up by string, and the need-only part of an expanded query is the same', () => {
    let compared = 0;
    let concepts = 0;
    for (let seed = 1; seed <= 12; seed++) {
      const rnd = random(seed);
      const words = (list: string[], n: number) => Array.from({ length: n }, () => list[Math.floor(rnd() ** 1.3 * list.length)]).join(' ');
      const titleWeight = seed % 4 === 0 ? -1 : seed % 4 === 1 ? 0 : 2;
      const options: RankOptions = { ...DEFAULT_RANK_OPTIONS, concepts: seed % 3 === 0 ? null : GLOSSARY, textModel: { ...DEFAULT_RANK_OPTIONS.textModel, titleWeight } };
      const corpus = prepareSolutions(Array.from({ length: 120 }, (_, i) => record(`s${i}`, words(CORPUS_WORDS, 3), `${words(CORPUS_WORDS, 20)} ${words(RARE, 6)} ${words(STOP[i % 2], 8)}`)), options);
      const { weighted, feedback } = corpus;
      const acc = createAccumulator(weighted.index.docCount);
      for (let n = 0; n < 8; n++) {
        const need = record(`n${n}`, `${words(CORPUS_WORDS, 3)} ${words(NEED_ONLY, 2)}`, `${words([...CORPUS_WORDS, ...NEED_ONLY], 30)} ${words(RARE, 4)} ${words(STOP[n % 2], 8)}`);
        const { counts, terms } = needTermCounts(need, options, weighted.index, corpus.lexicon);
        expect(terms).toBeDefined();
        const byString = queryWithBound(weighted, counts);
        expect(terms).toEqual(byString.terms);
        for (const term of counts.keys()) if (term.startsWith('§')) concepts++;
        expect(queryWithBound(weighted, counts, terms)).toEqual(byString);

        accumulateText(weighted, byString.query, acc);
        const docs = topDocuments(acc, feedback!.settings.docs, (a, b) => a < b);
        const expansion = expandQuery(counts, docs, weighted.index, feedback!.forward, feedback!.settings);
        if (!expansion) continue;
        const { query } = expansionScoring(weighted, counts, expansion, byString);
        const own = needOnlyQuery(query, corpus, counts);
        expect(needOnlyQuery(query, corpus, counts, terms)).toEqual(own);
        if (own.termIds.length < query.termIds.length) compared++;
      }
    }
    // Concepts were looked up, and feedback added terms of its own to many of the needs.
    expect(concepts).toBeGreaterThan(50);
    expect(compared).toBeGreaterThan(20);
  });

  it('are the same before and after needs number new stems of their own', () => {
    const options: RankOptions = { ...DEFAULT_RANK_OPTIONS, concepts: GLOSSARY };
    const corpus = prepareSolutions([record('s0', 'water filter', 'membrane water filters for textile waste'), record('s1', 'solar', 'battery energy')], options);
    const first = needTermCounts(record('n0', 'quantum sensors', 'hydrogen membrane sensors'), options, corpus.weighted.index, corpus.lexicon);
    needTermCounts(record('n1', 'zeolite', 'graphene aerogel electrolyser'), options, corpus.weighted.index, corpus.lexicon);
    const again = needTermCounts(record('n0', 'quantum sensors', 'hydrogen membrane sensors'), options, corpus.weighted.index, corpus.lexicon);
    expect(again.terms).toEqual(first.terms);
    expect(again.terms).toEqual(queryWithBound(corpus.weighted, again.counts).terms);
    // Words no solution has stay in the counts but are no terms of the index.
    expect([...again.counts.keys()]).toContain('quantum');
    expect(again.terms!.ids[[...again.counts.keys()].indexOf('quantum')]).toBe(-1);
  });
});
