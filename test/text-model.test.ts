import { describe, expect, it } from 'vitest';
import { buildIndex, termCounts } from '../src/index/build-index.js';
import { buildQuery, weightIndex, termContributions, type TextModelSettings } from '../src/index/text-model.js';
import { accumulateText, createAccumulator } from '../src/index/accumulate.js';

// Tiny corpus, terms already analysed:
//   d0: apple banana       d1: apple cherry cherry       d2: banana
const docs = [[[], ['apple', 'banana']], [[], ['apple', 'cherry', 'cherry']], [[], ['banana']]];
const tfidf: TextModelSettings = { model: 'tfidf', k1: 1.2, b: 0.75, titleWeight: 1 };

function scores(model: TextModelSettings, query: string[]): number[] {
  const weighted = weightIndex(buildIndex(docs, [1, 1]), model);
  const acc = createAccumulator(3);
  accumulateText(weighted, buildQuery(weighted, termCounts([query], [1])), acc);
  return Array.from(acc.scores);
}

describe('TF-IDF cosine, checked by hand', () => {
  // N = 3; idf = ln((N+1)/(df+1)) + 1: apple, banana (df 2) → ln(4/3)+1 = 1.287682; cherry (df 1) → ln 2 + 1 = 1.693147
  // tf is sublinear: 1 + ln tf; cherry in d1: (1 + ln 2) · 1.693147 = 2.866747
  // d0 = (1.287682, 1.287682) / (1.287682·√2) = (0.707107, 0.707107)
  // d1 = (apple 1.287682, cherry 2.866747) / 3.142668 = (0.409741, 0.912200)
  it('scores a one-word query by the document weight of that word', () => {
    const [d0, d1, d2] = scores(tfidf, ['apple']);
    expect(d0).toBeCloseTo(0.707107, 5);
    expect(d1).toBeCloseTo(0.409741, 5);
    expect(d2).toBe(0);
  });

  it('normalises the query vector too', () => {
    // q = (banana 1.287682, cherry 1.693147) / 2.127175 = (0.605348, 0.795963)
    const [d0, d1, d2] = scores(tfidf, ['cherry', 'banana']);
    expect(d0).toBeCloseTo(0.605348 * 0.707107, 5); // 0.428043
    expect(d1).toBeCloseTo(0.795963 * 0.9122, 4); // 0.726078
    expect(d2).toBeCloseTo(0.605348, 5); // d2 is banana alone: weight 1
  });

  it('counts query words missing from every document in the query norm', () => {
    // "apple durian": durian has df 0 → idf ln 4 + 1 = 2.386294; q_apple = 1.287682 / sqrt(1.287682² + 2.386294²) = 0.474891
    const [d0] = scores(tfidf, ['apple', 'durian']);
    expect(d0).toBeCloseTo(0.474891 * 0.707107, 5);
  });

  it('explains a score as the sum of its term contributions', () => {
    const weighted = weightIndex(buildIndex(docs, [1, 1]), tfidf);
    const query = buildQuery(weighted, termCounts([['cherry', 'banana']], [1]));
    const parts = termContributions(weighted, query, 1);
    expect(parts.reduce((s, p) => s + p.contribution, 0)).toBeCloseTo(0.726078, 4);
  });
});

describe('BM25 with a comparable bound', () => {
  it('stays within 0..1 and gives 0 to documents without query words', () => {
    const bm25: TextModelSettings = { model: 'bm25', k1: 1.2, b: 0.75, titleWeight: 1 };
    const s = scores(bm25, ['cherry', 'banana']);
    for (const v of s) expect(v).toBeGreaterThanOrEqual(0);
    for (const v of s) expect(v).toBeLessThanOrEqual(1);
    expect(scores(bm25, ['apple'])[2]).toBe(0);
  });
});

describe('field weights', () => {
  it('weights title terms before saturation', () => {
    const index = buildIndex([[['pump'], ['valve']]], [3, 1]);
    expect(index.postingTf[index.postingStart[index.termIds.get('pump')!]]).toBe(3);
    expect(index.docLength[0]).toBe(4);
  });
});

describe('the order of query terms', () => {
  it('is a stable sort by decreasing bound: equal bounds keep their order, on any length', async () => {
    const { orderByDecreasing } = await import('../src/index/text-model.js');
    const { random } = await import('./helpers/random.js');
    const rnd = random(5);
    for (let trial = 0; trial < 300; trial++) {
      const n = trial < 40 ? trial : Math.floor(rnd() * 400);
      // Few distinct values, so that many keys tie; zeros and negative zeros among them.
      const values = [0, -0, 0.5, 0.25, 1e-300, 3, rnd()];
      const keys = Float64Array.from({ length: n }, () => values[Math.floor(rnd() * values.length)] * (rnd() < 0.5 ? 1 : 1 + Math.floor(rnd() * 3)));
      const expected = Array.from({ length: n }, (_, i) => i).sort((a, b) => keys[b] - keys[a]);
      expect(Array.from(orderByDecreasing(keys, n))).toEqual(expected);
    }
  });
});
