import { describe, expect, it } from 'vitest';
import { random } from './helpers/random.js';

// Analysing the documents on several threads must build what one thread
// builds: the same index, term ids, tokens and lexicon. Worker threads run
// the built code, so this test imports dist/ (npm test builds first).
const dist = '../dist/';

const WORDS = ['Recycling', 'textile', 'waste', 'the', 'of', 'and', 'AI', 'for', 'sensors', 'riciclo', 'tessile', 'della', 'il', 'per', 'circular', 'economy', 'digital', 'twin', 'gemello', 'digitale', 'città', 'perché', "dell'acqua", '10.000', '4.0', '5G', 'x', 'e', 'naïve', '𝐀lpha', 'machine', 'learning'];

function texts(rnd: () => number, docs: number): string[][] {
  // Fresh words now and then, so each part meets words the others do not.
  const word = () => (rnd() < 0.1 ? `w${Math.floor(rnd() * 5000)}` : WORDS[Math.floor(rnd() * WORDS.length)]);
  const words = (n: number) => Array.from({ length: n }, word).join(rnd() < 0.8 ? ' ' : ', ');
  return Array.from({ length: docs }, () => [words(Math.floor(rnd() * 6)), words(Math.floor(rnd() * 60))]);
}

describe('analysing documents on several threads', () => {
  it('builds what one thread builds', async () => {
    const { buildTextIndex } = await import(`${dist}index/build-text-index.js`);
    const { createConceptMatcher } = await import(`${dist}text/concepts.js`);
    // A worker that fails leaves its part to this thread, which builds the same index: count the parts the workers did.
    const { PartWorker } = await import(`${dist}index/parallel-analysis.js`);
    const result = PartWorker.prototype.result;
    let fromWorkers = 0;
    PartWorker.prototype.result = function (this: unknown) {
      const part = result.call(this);
      if (part) fromWorkers++;
      return part;
    };
    const glossary = createConceptMatcher({
      concepts: [
        { id: 'recycling', domain: 'environment', it: ['riciclo'], en: ['recycling'] },
        { id: 'circular_economy', domain: 'environment', it: ['economia circolare'], en: ['circular economy'] },
        { id: 'digital_twin', domain: 'digital', it: ['gemello digitale'], en: ['digital twin'] },
        { id: 'artificial_intelligence', domain: 'digital', it: ['ai'], en: ['ai', 'machine learning'] },
      ],
    });
    const rnd = random(21);
    const docs = texts(rnd, 1500);
    for (const concepts of [null, glossary]) {
      const options = { lang: 'auto', concepts, fieldWeights: [2, 1, 1], minPartChars: 1000 };
      const one = buildTextIndex(docs.length, (d: number) => docs[d], { ...options, threads: 1 });
      for (const threads of [2, 3]) {
        const many = buildTextIndex(docs.length, (d: number) => docs[d], { ...options, threads, shared: threads === 3 });
        expect(many.index).toEqual(one.index);
        expect({ ...many.forward }).toEqual({ ...one.forward });
        expect(many.langs).toEqual(one.langs);
        expect(Array.from(many.tokens.tokens)).toEqual(Array.from(one.tokens.tokens));
        expect(Array.from(many.tokens.start)).toEqual(Array.from(one.tokens.start));
        expect(many.lexicon.tokens).toEqual(one.lexicon.tokens);
        expect(many.lexicon.stems).toEqual(one.lexicon.stems);
        for (let id = 0; id < one.lexicon.size; id++) for (const lang of ['en', 'it']) expect(many.lexicon.stemId(id, lang)).toBe(one.lexicon.stemId(id, lang));
      }
    }
    PartWorker.prototype.result = result;
    expect(fromWorkers).toBe(2 * (1 + 2));
  });
});
