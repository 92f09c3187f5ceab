import { describe, expect, it } from 'vitest';
import type { MatchRecord } from '../src/model.js';
import { needTermCounts, prepareSolutions } from '../src/rank/corpus.js';
import { DEFAULT_RANK_OPTIONS, type RankOptions } from '../src/rank/rank.js';
import { buildQuery } from '../src/index/text-model.js';
import { createConceptMatcher } from '../src/text/concepts.js';
import { distinctWords, needForms, shownWords, termBreakdown } from '../src/rank/term-breakdown.js';
import { random } from './helpers/random.js';
import { TEST_GLOSSARY as GLOSSARY } from './helpers/glossary.js';

// A shortlist shows each match's first few words ("top terms"): working out
// only those must give exactly the words of the whole breakdown, concept
// pairs ("riciclo ≈ recycling") and repeated words included.

const WORDS = ['sensor', 'sensors', 'sensori', 'recycling', 'recycled', 'riciclo', 'riciclati', 'textile', 'tessile', 'tessili', 'waste', 'energy', 'energia', 'battery', 'solar', 'robot', 'vision', 'machine', 'learning', 'digital', 'twin', 'gemello', 'digitale', 'circular', 'economy', 'economia', 'circolare', 'water', 'acqua', 'filter', 'filters', 'filtering', 'coating', 'laser', 'drone'];


const record = (id: string, title: string, text: string): MatchRecord => ({ id, name: id, title, text, tags: [], sectors: [], fields: {}, line: 2 });

describe('the words shown per match', () => {
  it('are the first words of the whole breakdown, on random corpora with concepts', () => {
    for (let seed = 1; seed <= 12; seed++) {
      const rnd = random(seed);
      const text = (n: number) => Array.from({ length: n }, () => WORDS[Math.floor(rnd() ** 1.3 * WORDS.length)]).join(' ');
      const options: RankOptions = { ...DEFAULT_RANK_OPTIONS, concepts: seed % 3 === 0 ? null : GLOSSARY };
      const corpus = prepareSolutions(Array.from({ length: 40 }, (_, i) => record(`s${i}`, text(3), text(25))), options);
      let compared = 0;
      for (let n = 0; n < 6; n++) {
        const need = record(`n${n}`, text(4), text(30));
        const { lang, counts } = needTermCounts(need, options, corpus.weighted.index, corpus.lexicon);
        const query = buildQuery(corpus.weighted, counts);
        const docs = Array.from({ length: 12 }, (_, i) => (i * 3 + n) % 40);
        const forms = needForms(corpus, need, lang, options.concepts);
        for (const limit of [1, 2, 3, 5, 8, 40]) {
          const expected = docs.map((d) => distinctWords(termBreakdown(corpus, query, d, forms, options.concepts)).slice(0, limit));
          expect(shownWords(corpus, query, docs, need, lang, options.concepts, limit)).toEqual(expected);
          expect(shownWords(corpus, query, docs, need, lang, options.concepts, limit, forms)).toEqual(expected);
          compared += expected.flat().length;
        }
      }
      expect(compared).toBeGreaterThan(100);
    }
  });

  it('are found further down the breakdown when concept pairs hide the first words', () => {
    // Italian and English share the stems of these words, and the glossary pairs them: the plain
    // words ("sensori") come first in the breakdown and the pairs ("sensori ≈ sensors") hide them.
    const pairs = createConceptMatcher({
      concepts: [
        { id: 'sensor', domain: 'digital', it: ['sensori'], en: ['sensors'] },
        { id: 'motor', domain: 'mechanics', it: ['motori'], en: ['motors'] },
        { id: 'turbine', domain: 'energy', it: ['turbine'], en: ['turbines'] },
        { id: 'robotics', domain: 'digital', it: ['robotica'], en: ['robotics'] },
      ],
    });
    const options: RankOptions = { ...DEFAULT_RANK_OPTIONS, concepts: pairs };
    const solutions = [record('s0', 'sensors motors turbines robotics', 'sensors motors turbines robotics and coatings for the blades'), record('s1', 'solar panels', 'battery storage')];
    const corpus = prepareSolutions(solutions, options);
    const need = record('n0', 'sensori motori turbine robotica', 'cerchiamo sensori per motori e turbine, con robotica per le pale');
    const { lang, counts } = needTermCounts(need, options, corpus.weighted.index, corpus.lexicon);
    expect(lang).toBe('it');
    const query = buildQuery(corpus.weighted, counts);
    const forms = needForms(corpus, need, lang, options.concepts);
    const parts = termBreakdown(corpus, query, 0, forms, options.concepts);
    const all = distinctWords(parts);
    // The first words of the breakdown are hidden, so the words shown come from further down.
    expect(all).not.toContain(parts[0].word);
    for (let limit = 1; limit <= all.length + 1; limit++) expect(shownWords(corpus, query, [0], need, lang, options.concepts, limit)).toEqual([all.slice(0, limit)]);
  });

  it('show a concept pair once, and not its words again', () => {
    const parts = [
      { word: 'recycling', stem: 'recycl', contribution: 0.5 },
      { word: 'riciclo ≈ recycling', stem: '~recycling', contribution: 0.4 },
      { word: 'textile', stem: 'textil', contribution: 0.3 },
    ];
    expect(distinctWords(parts)).toEqual(['riciclo ≈ recycling', 'textile']);
    expect(distinctWords(parts.slice(0, 1), parts.slice(1, 2))).toEqual([]);
  });
});
