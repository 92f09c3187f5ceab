import { expect } from 'vitest';

const WORDS = ['Recycling', 'textile', 'waste', 'the', 'of', 'and', 'AI', 'for', 'sensors', 'riciclo', 'tessile', 'della', 'il', 'per', 'circular', 'economy', 'digital', 'twin', 'gemello', 'digitale', 'città', 'perché', "dell'acqua", '10.000', '4.0', '5G', 'x', 'e', 'naïve', '𝐀lpha', 'machine', 'learning'];

/** Random documents (title, text) in both languages, with fresh words now and then, so each part meets words the others do not. */
export function randomTexts(rnd: () => number, docs: number): string[][] {
  const word = () => (rnd() < 0.1 ? `w${Math.floor(rnd() * 5000)}` : WORDS[Math.floor(rnd() * WORDS.length)]);
  const words = (n: number) => Array.from({ length: n }, word).join(rnd() < 0.8 ? ' ' : ', ');
  return Array.from({ length: docs }, () => [words(Math.floor(rnd() * 6)), words(Math.floor(rnd() * 60))]);
}

/** A small glossary with one- and two-word phrases in both languages. */
export const TEST_CONCEPTS = {
  concepts: [
    { id: 'recycling', domain: 'environment', it: ['riciclo'], en: ['recycling'] },
    { id: 'circular_economy', domain: 'environment', it: ['economia circolare'], en: ['circular economy'] },
    { id: 'digital_twin', domain: 'digital', it: ['gemello digitale'], en: ['digital twin'] },
    { id: 'artificial_intelligence', domain: 'digital', it: ['ai'], en: ['ai', 'machine learning'] },
  ],
};

interface Built {
  index: unknown;
  forward: object;
  langs: unknown;
  tokens: { tokens: Int32Array; start: Int32Array };
  lexicon: { tokens: string[]; stems: string[]; size: number; stemId(id: number, lang: string): number };
}

/** buildTextIndex's results are the same: index, term ids, tokens and lexicon. */
export function expectSameTextIndex(many: Built, one: Built): void {
  expect(many.index).toEqual(one.index);
  expect({ ...many.forward }).toEqual({ ...one.forward });
  expect(many.langs).toEqual(one.langs);
  expect(Array.from(many.tokens.tokens)).toEqual(Array.from(one.tokens.tokens));
  expect(Array.from(many.tokens.start)).toEqual(Array.from(one.tokens.start));
  expect(many.lexicon.tokens).toEqual(one.lexicon.tokens);
  expect(many.lexicon.stems).toEqual(one.lexicon.stems);
  for (let id = 0; id < one.lexicon.size; id++) for (const lang of ['en', 'it']) expect(many.lexicon.stemId(id, lang)).toBe(one.lexicon.stemId(id, lang));
}
