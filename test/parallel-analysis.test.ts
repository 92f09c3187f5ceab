import { describe, expect, it } from 'vitest';
import { random } from './helpers/random.js';
import { TEST_CONCEPTS, expectSameTextIndex, randomTexts } from './helpers/analysis.js';

// Analysing the documents on several threads must build what one thread
// builds: the same index, term ids, tokens and lexicon. Worker threads run
// the built code, so this test imports dist/ (npm test builds first).
const dist = '../dist/';

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
    const glossary = createConceptMatcher(TEST_CONCEPTS);
    const rnd = random(21);
    const docs = randomTexts(rnd, 1500);
    for (const concepts of [null, glossary]) {
      const options = { lang: 'auto', concepts, fieldWeights: [2, 1, 1], minPartChars: 1000 };
      const one = buildTextIndex(docs.length, (d: number) => docs[d], { ...options, threads: 1 });
      for (const threads of [2, 3]) {
        const many = buildTextIndex(docs.length, (d: number) => docs[d], { ...options, threads, shared: threads === 3 });
        expectSameTextIndex(many, one);
      }
    }
    PartWorker.prototype.result = result;
    expect(fromWorkers).toBe(2 * (1 + 2));
  });
});

describe('analysing documents while their file is read', () => {
  async function setup() {
    const { buildTextIndex } = await import(`${dist}index/build-text-index.js`);
    const { EarlyAnalysis } = await import(`${dist}index/early-analysis.js`);
    const { PartWorker } = await import(`${dist}index/parallel-analysis.js`);
    const { createConceptMatcher } = await import(`${dist}text/concepts.js`);
    const docs = randomTexts(random(33), 1200);
    const keys = docs.map((_, i) => ({ i }));
    const glossary = createConceptMatcher(TEST_CONCEPTS);
    return { buildTextIndex, EarlyAnalysis, PartWorker, docs, keys, glossary };
  }
  const fieldWeights = [2, 1, 1];

  it('builds what one thread builds, wherever the early worker is told to stop', async () => {
    const { buildTextIndex, EarlyAnalysis, PartWorker, docs, keys, glossary } = await setup();
    const finish = PartWorker.prototype.finish;
    const result = PartWorker.prototype.result;
    const heads: number[] = [];
    const ascending: boolean[] = [];
    PartWorker.prototype.result = function (this: unknown) {
      const part = result.call(this);
      if (part) {
        heads.push(part.langs.length);
        ascending.push(part.ascending);
      }
      return part;
    };
    try {
      for (const concepts of [null, glossary]) {
        const settings = { lang: 'auto', concepts, fieldWeights };
        const one = buildTextIndex(docs.length, (d: number) => docs[d], { ...settings, threads: 1 });
        // Told where to stop at once, after it has done every document, and (as if it had run past the point it
        // was given) after its reply decides where the rest starts.
        for (const when of ['at once', 'done', 'past'] as const) {
          for (const threads of [2, 3]) {
            const early = new EarlyAnalysis(settings, threads, 2000, 50);
            docs.forEach((fields, i) => early.add(keys[i], fields, i));
            const head = early.claim(keys, settings);
            expect(head).not.toBeNull();
            if (when === 'done') while (head.analysed < docs.length) await new Promise((r) => setTimeout(r, 5));
            if (when === 'past') PartWorker.prototype.finish = function (this: unknown, limit: number) { finish.call(this, limit); return false; };
            heads.length = 0;
            ascending.length = 0;
            const many = buildTextIndex(docs.length, (d: number) => docs[d], { ...settings, threads, minPartChars: 1000, head });
            PartWorker.prototype.finish = finish;
            expectSameTextIndex(many, one);
            // The head's part was taken in (not analysed again here), and it stopped short of the end unless it was done.
            expect(heads[0]).toBeGreaterThan(0);
            if (when === 'done') expect(heads[0]).toBe(docs.length);
            else expect(heads[0]).toBeLessThan(docs.length);
            // Taken in first, its documents' terms came sorted, to go into the index as they are; the other parts' did not.
            expect(ascending).toEqual([true, ...heads.slice(1).map(() => false)]);
          }
        }
      }
    } finally {
      PartWorker.prototype.finish = finish;
      PartWorker.prototype.result = result;
    }
  });

  it('gives nothing for other documents or settings, or a file read again, and starts no thread for little text', async () => {
    const { EarlyAnalysis, docs, keys, glossary } = await setup();
    const settings = { lang: 'auto', concepts: null, fieldWeights };
    const claimed = (early: InstanceType<typeof EarlyAnalysis>, k = keys, s: object = settings) => {
      docs.forEach((fields, i) => early.add(keys[i], fields, i));
      const head = early.claim(k, s);
      head?.stop();
      return head !== null;
    };
    expect(claimed(new EarlyAnalysis(settings, 2, 2000))).toBe(true);
    expect(claimed(new EarlyAnalysis(settings, 2, 2000), keys.slice(1))).toBe(false);
    expect(claimed(new EarlyAnalysis(settings, 2, 2000), [...keys.slice(0, -1), {}])).toBe(false);
    expect(claimed(new EarlyAnalysis(settings, 2, 2000), keys, { ...settings, concepts: glossary })).toBe(false);
    expect(claimed(new EarlyAnalysis(settings, 2, 2000), keys, { ...settings, lang: 'it' })).toBe(false);
    expect(claimed(new EarlyAnalysis(settings, 2, 2000), keys, { ...settings, fieldWeights: [1, 1, 1] })).toBe(false);
    // One thread, or less text than is worth a thread: no worker.
    expect(claimed(new EarlyAnalysis(settings, 1, 2000))).toBe(false);
    expect(claimed(new EarlyAnalysis(settings, 2, 10_000_000))).toBe(false);
    // A file read again from its start (the fast CSV reader giving up) makes what was sent void.
    const again = new EarlyAnalysis(settings, 2, 2000);
    docs.forEach((fields, i) => again.add(keys[i], fields, i));
    docs.forEach((fields, i) => again.add(keys[i], fields, i));
    expect(again.claim(keys, settings)).toBeNull();
  });
});
