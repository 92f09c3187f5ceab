import { describe, expect, it } from 'vitest';
import { tokenize } from '../src/text/tokenize.js';
import { analyzeFields, surfaceForms } from '../src/text/analyze.js';
import { Lexicon, TokenList } from '../src/text/lexicon.js';
import { lexiconSurfaceForms, lexiconTermCounts } from '../src/text/lexicon-terms.js';
import { createConceptMatcher, type ConceptSide } from '../src/text/concepts.js';
import { buildIndex, termCounts } from '../src/index/build-index.js';
import { buildTextIndex } from '../src/index/build-text-index.js';
import { buildForwardIndex } from '../src/rank/feedback.js';
import type { LanguageOption } from '../src/text/language.js';
import { random } from './helpers/random.js';

// The lexicon is a faster road to the same analysis: every result must equal
// the string-based one (analyze.ts), word for word and in the same order.


const PIECES = [
  'Recycling', 'textile', 'waste', 'the', 'of', 'and', 'AI', 'ai', 'for', 'Sensors', 'sensori', 'riciclo', 'tessile', 'della', 'il', 'per',
  'economia circolare', 'circular economy', 'digital twin', 'gemello digitale', 'città', 'Città', 'citta\u0300', 'perché', 'qualità', 'Qualità',
  "dell'acqua", 'l’energia', '10.000', '4.0', '1,5', '5G', 'COVID-19', 'x', 'e', 'a', 'İstanbul', 'straße', 'ΣΟΦΙΑ', 'ﬁber', 'naïve', '𝐀lpha', '😀',
  '٣', 'Ⅻ', '²', '3D-printed', 'stampa 3d', '3d printing', 'machine learning', 'apprendimento automatico', ',', '.', ';', '(', ')', '\n', '  ', '-', '/',
];

function text(rnd: () => number, words: number): string {
  let out = '';
  for (let i = 0; i < words; i++) out += (rnd() < 0.7 ? ' ' : '') + PIECES[Math.floor(rnd() * PIECES.length)];
  return out;
}

const GLOSSARY = createConceptMatcher({
  concepts: [
    { id: 'recycling', domain: 'environment', it: ['riciclo'], en: ['recycling'] },
    { id: 'circular_economy', domain: 'environment', it: ['economia circolare'], en: ['circular economy'] },
    { id: 'digital_twin', domain: 'digital', it: ['gemello digitale'], en: ['digital twin'] },
    { id: 'artificial_intelligence', domain: 'digital', it: ['intelligenza artificiale', 'ai'], en: ['artificial intelligence', 'ai'] },
    { id: 'sensor', domain: 'digital', it: ['sensori', 'sensore'], en: ['sensors', 'sensor'] },
    { id: 'printing_3d', domain: 'technologies', it: ['stampa 3d'], en: ['3d printing', '3d-printed'] },
    { id: 'city', domain: 'other', it: ['città'], en: ['city'] },
  ],
});

describe('Lexicon', () => {
  it('tokenises as tokenize does', () => {
    const rnd = random(1);
    const lexicon = new Lexicon();
    for (let i = 0; i < 3000; i++) {
      const t = text(rnd, Math.floor(rnd() * 20));
      const ids: number[] = [];
      lexicon.tokenize(t, ids);
      expect(ids.map((id) => lexicon.tokens[id])).toEqual(tokenize(t));
    }
  });

  it('counts terms as analyzeFields and termCounts do, in the same order', () => {
    const rnd = random(2);
    for (const concepts of [null, GLOSSARY]) {
      const lexicon = new Lexicon(concepts);
      for (let i = 0; i < 1500; i++) {
        const texts = [text(rnd, Math.floor(rnd() * 5)), text(rnd, Math.floor(rnd() * 25))];
        const lang: LanguageOption = (['auto', 'en', 'it'] as const)[Math.floor(rnd() * 3)];
        const side: ConceptSide = rnd() < 0.5 ? 'query' : 'document';
        const weights = [[1, 1, 1], [2, 1, 1], [0, 1, 0.5], [3, 1, 0]][Math.floor(rnd() * 4)];
        const expected = analyzeFields(texts, { lang, concepts, side });
        const got = lexiconTermCounts(lexicon, texts, lang, side, weights);
        expect(got.lang).toBe(expected.lang);
        expect([...got.counts]).toEqual([...termCounts(expected.fields, weights)]);
      }
    }
  });

  it('finds surface forms as surfaceForms does', () => {
    const rnd = random(3);
    for (const concepts of [null, GLOSSARY]) {
      const lexicon = new Lexicon(concepts);
      for (let i = 0; i < 1500; i++) {
        const t = text(rnd, Math.floor(rnd() * 30));
        const lang = rnd() < 0.5 ? 'en' : 'it';
        const side: ConceptSide = rnd() < 0.5 ? 'query' : 'document';
        const ids: number[] = [];
        lexicon.tokenize(t, ids);
        const expected = surfaceForms(t, lang, new Map(), concepts, side);
        expect(lexiconSurfaceForms(lexicon, ids, lang, side)).toEqual(expected);
        const only = new Set([...expected.keys()].filter(() => rnd() < 0.5));
        expect(lexiconSurfaceForms(lexicon, ids, lang, side, only)).toEqual(new Map([...expected].filter(([k]) => only.has(k))));
      }
    }
  });

  it('builds the index buildIndex builds from analyzeFields, term ids included', () => {
    const rnd = random(4);
    for (const concepts of [null, GLOSSARY]) {
      const docs = Array.from({ length: 400 }, () => [text(rnd, Math.floor(rnd() * 4)), text(rnd, Math.floor(rnd() * 40))]);
      for (const fieldWeights of [[1, 1, 1], [2, 1, 0.5], [0, 1, 1]]) {
        const expected = buildIndex(docs.map((texts) => analyzeFields(texts, { lang: 'auto', concepts }).fields), fieldWeights);
        const { index, forward, langs, tokens, lexicon } = buildTextIndex(docs.length, (d) => docs[d], { lang: 'auto', concepts, fieldWeights });
        expect(index).toEqual(expected);
        // The builder's documents, terms in ascending id, are the forward index.
        expect(forward).toEqual(buildForwardIndex(index));
        // Asked for threads, parts whose worker cannot start (none runs from the sources) are analysed here in turn.
        expect(buildTextIndex(docs.length, (d) => docs[d], { lang: 'auto', concepts, fieldWeights, threads: 3, minPartChars: 100 }).index).toEqual(expected);
        expect(langs).toEqual(docs.map((texts) => analyzeFields(texts, { lang: 'auto', concepts }).lang));
        // The tokens kept per document are those of its title and text joined, as surface forms read them.
        docs.forEach((texts, d) => {
          expect(Array.from(tokens.tokens.subarray(tokens.start[d], tokens.start[d + 1]), (id) => lexicon.tokens[id])).toEqual(tokenize(`${texts[0]}\n${texts[1]}`));
        });
      }
    }
  });

  it('tokenises into a TokenList as into an array, growing it', () => {
    const rnd = random(5);
    const lexicon = new Lexicon();
    const list = new TokenList(16);
    const ids: number[] = [];
    for (let i = 0; i < 500; i++) {
      const t = text(rnd, Math.floor(rnd() * 30));
      lexicon.tokenize(t, ids);
      lexicon.tokenizeInto(t, list);
    }
    expect(Array.from(list.ids.subarray(0, list.length))).toEqual(ids);
  });

  it('appends another list renumbered, growing as much as it takes at once', () => {
    const list = new TokenList(16);
    list.push(7);
    const map = Int32Array.from({ length: 50 }, (_, i) => 1000 + i);
    const source = Int32Array.from({ length: 300 }, (_, i) => (i * 7) % 50);
    list.pushMapped(source, map);
    list.pushMapped(new Int32Array(0), map);
    expect(list.length).toBe(301);
    expect(Array.from(list.ids.subarray(0, list.length))).toEqual([7, ...Array.from(source, (t) => 1000 + t)]);
  });

  it('takes in another lexicon as if it had read its texts after its own', () => {
    const rnd = random(6);
    for (const concepts of [null, GLOSSARY]) {
      const first = Array.from({ length: 200 }, () => text(rnd, Math.floor(rnd() * 30)));
      const second = Array.from({ length: 200 }, () => text(rnd, Math.floor(rnd() * 30)));
      const langs = second.map(() => (rnd() < 0.5 ? 'en' : 'it') as const);
      // One lexicon reads both, asking for stems as it goes; two split the texts between them.
      const whole = new Lexicon(concepts);
      const part = new Lexicon(concepts);
      const other = new Lexicon(concepts);
      const read = (lexicon: Lexicon, texts: string[], offset: number) =>
        texts.map((t, i) => {
          const ids: number[] = [];
          lexicon.tokenize(t, ids);
          for (const id of ids) lexicon.stemId(id, langs[(offset + i) % langs.length]);
          return ids;
        });
      const expected = [...read(whole, first, 0), ...read(whole, second, first.length)];
      const own = read(part, first, 0);
      const theirs = read(other, second, first.length);
      const map = part.absorb(other.snapshot());
      expect([...own, ...theirs.map((ids) => ids.map((id) => map[id]))]).toEqual(expected);
      expect(part.tokens).toEqual(whole.tokens);
      expect(part.stems).toEqual(whole.stems);
      for (let id = 0; id < whole.size; id++) for (const lang of ['en', 'it'] as const) expect(part.stemId(id, lang)).toBe(whole.stemId(id, lang));
      // It goes on numbering as the other would.
      const more = text(rnd, 40);
      const [a, b]: number[][] = [[], []];
      part.tokenize(more, a);
      whole.tokenize(more, b);
      expect(a).toEqual(b);
    }
  });
});

describe('an empty lexicon taking in another', () => {
  it('takes its words whole, as they come from a worker, and goes on as the other would', () => {
    const rnd = random(8);
    for (const concepts of [null, GLOSSARY]) {
      const texts = Array.from({ length: 300 }, () => text(rnd, Math.floor(rnd() * 30)));
      const read = (lexicon: Lexicon) =>
        texts.map((t, i) => {
          const ids: number[] = [];
          lexicon.tokenize(t, ids);
          for (const id of ids) lexicon.stemId(id, i % 3 === 0 ? 'it' : 'en');
          return ids;
        });
      const whole = new Lexicon(concepts);
      const expected = read(whole);
      const other = new Lexicon(concepts);
      read(other);
      // Handed over as a worker hands it: its arrays transferred, not copied.
      const vocabulary = other.snapshot();
      const { table, spans, chars, flags, stemOf } = vocabulary;
      const sent = structuredClone(vocabulary, { transfer: [table.buffer, spans.buffer, chars.buffer, flags.buffer, stemOf.en.buffer, stemOf.it.buffer] });
      const empty = new Lexicon(concepts);
      // null: the tokens keep their numbers.
      expect(empty.absorb(sent)).toBeNull();
      expect(expected.flat().length).toBeGreaterThan(1000);
      expect(empty.tokens).toEqual(whole.tokens);
      expect(empty.stems).toEqual(whole.stems);
      for (let id = 0; id < whole.size; id++) for (const lang of ['en', 'it'] as const) expect(empty.stemId(id, lang)).toBe(whole.stemId(id, lang));
      // New words, known words, and phrases of the glossary, as the lexicon that read everything finds them.
      for (let k = 0; k < 20; k++) {
        const more = `${text(rnd, 30)} digital twin riciclo economia circolare`;
        const [a, b]: number[][] = [[], []];
        empty.tokenize(more, a);
        whole.tokenize(more, b);
        expect(a).toEqual(b);
        const hits = (lexicon: Lexicon, ids: number[]) => {
          const found: unknown[] = [];
          lexicon.findConcepts(ids, 0, ids.length, 'en', (...hit) => found.push(hit));
          return found;
        };
        expect(hits(empty, a)).toEqual(hits(whole, b));
        if (concepts) expect(hits(empty, a).length).toBeGreaterThan(0);
      }
    }
  });
});

describe('a lexicon sent to another thread', () => {
  it('comes back whole from its snapshot, however many words it knows', () => {
    const lexicon = new Lexicon(null);
    // More words than a function call takes arguments: rebuilding must not spread them into one call.
    const words = Array.from({ length: 300_000 }, (_, i) => `w${i.toString(36)}`);
    for (const w of words) lexicon.id(w);
    lexicon.stemId(lexicon.id('sensors'), 'en');
    const copy = Lexicon.fromSnapshot(structuredClone(lexicon.snapshot()), null);
    expect(copy.size).toBe(lexicon.size);
    for (const w of [words[0], words[123_456], words[299_999], 'sensors']) expect(copy.id(w)).toBe(lexicon.id(w));
    expect(copy.stems[copy.stemId(copy.id('sensors'), 'en')]).toBe('sensor');
    expect(copy.size).toBe(lexicon.size);
  });
});
