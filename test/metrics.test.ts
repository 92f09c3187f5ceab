import { describe, it, expect } from 'vitest';
import { averagePrecision, evaluateRun, ndcgAt, parseQrels, precisionAt, recallAt, reciprocalRank } from '../src/eval/metrics.js';

const judged = (entries: Record<string, number>): Map<string, number> => new Map(Object.entries(entries));

describe('nDCG with graded gains, checked by hand', () => {
  // Judgments: a = 2, b = 1, c = 0 (judged not relevant), d = 1. Ranking: b, x (unjudged), a, c.
  // Gains 2^g − 1: a → 3, b → 1, d → 1. Discount 1 / log2(rank + 1).
  // DCG@3 = 1/log2(2) + 0 + 3/log2(4) = 1 + 1.5 = 2.5
  // Ideal (from ALL relevant judged: a, b, d, including d never retrieved): 3/1 + 1/log2(3) + 1/2 = 4.130930
  const judgments = judged({ a: 2, b: 1, c: 0, d: 1 });
  const ranking = ['b', 'x', 'a', 'c'];

  it('divides by the ideal ranking of every judged relevant solution', () => {
    expect(ndcgAt(ranking, judgments, 3)).toBeCloseTo(2.5 / 4.130930, 6); // 0.605191
  });

  it('cuts both rankings at k', () => {
    // DCG@1 = 1 (b); ideal@1 = 3 (a)
    expect(ndcgAt(ranking, judgments, 1)).toBeCloseTo(1 / 3, 6);
    // k past the end: DCG stays 2.5 (c has grade 0), ideal has only three relevant → 4.130930
    expect(ndcgAt(ranking, judgments, 10)).toBeCloseTo(0.605191, 6);
  });

  it('is 1 for the ideal order and 0 with nothing relevant retrieved', () => {
    expect(ndcgAt(['a', 'b', 'd'], judgments, 10)).toBeCloseTo(1, 10);
    expect(ndcgAt(['x', 'c'], judgments, 10)).toBe(0);
    expect(ndcgAt([], judgments, 10)).toBe(0);
  });
});

describe('average precision, reciprocal rank, P@k, R@k, checked by hand', () => {
  // Relevant: a, b, c (c is never retrieved). Ranking: x, a, y, b.
  const judgments = judged({ a: 1, b: 1, c: 1 });
  const ranking = ['x', 'a', 'y', 'b'];

  it('AP divides by all relevant solutions, retrieved or not', () => {
    // hits at ranks 2 and 4: precisions 1/2 and 2/4 → (0.5 + 0.5) / 3 relevant = 0.333333
    expect(averagePrecision(ranking, judgments)).toBeCloseTo(1 / 3, 10);
  });

  it('AP is 0 for a need whose relevant solutions are not retrieved', () => {
    expect(averagePrecision(['x', 'y'], judged({ z: 1 }))).toBe(0);
    expect(averagePrecision([], judged({ z: 1 }))).toBe(0);
  });

  it('treats grade 0 as not relevant', () => {
    // only b is relevant, at rank 4 → 1/4
    expect(averagePrecision(ranking, judged({ a: 0, b: 2 }))).toBeCloseTo(0.25, 10);
  });

  it('reciprocal rank is 1 / rank of the first relevant solution', () => {
    expect(reciprocalRank(ranking, judgments)).toBeCloseTo(0.5, 10); // a at rank 2
    expect(reciprocalRank(['x', 'y'], judgments)).toBe(0);
  });

  it('precision@k divides by k, even past the end of the ranking', () => {
    expect(precisionAt(ranking, judgments, 1)).toBe(0); // x
    expect(precisionAt(ranking, judgments, 2)).toBeCloseTo(0.5, 10); // x, a
    expect(precisionAt(ranking, judgments, 4)).toBeCloseTo(0.5, 10); // a, b of 4
    expect(precisionAt(ranking, judgments, 10)).toBeCloseTo(0.2, 10); // 2 of 10
  });

  it('recall@k divides by all relevant solutions', () => {
    expect(recallAt(ranking, judgments, 2)).toBeCloseTo(1 / 3, 10); // a of a, b, c
    expect(recallAt(ranking, judgments, 4)).toBeCloseTo(2 / 3, 10); // a, b of a, b, c
  });
});

describe('evaluateRun', () => {
  // q1: relevant a, b, c; ranked x, a, y, b
  // q2: relevant z; ranked x, y (nothing relevant retrieved)
  // q3: relevant a; not in the run at all → counts 0
  // q4: in the run but not judged → ignored
  // q5: judged, nothing relevant → no measure defined, skipped
  const qrels = new Map([
    ['q1', judged({ a: 1, b: 1, c: 1 })],
    ['q2', judged({ z: 1 })],
    ['q3', judged({ a: 2 })],
    ['q5', judged({ a: 0 })],
  ]);
  const run = new Map([
    ['q1', ['x', 'a', 'y', 'b']],
    ['q2', ['x', 'y']],
    ['q4', ['a']],
  ]);
  const result = evaluateRun(run, qrels, 2);

  it('averages over every judged need, counting unranked ones as 0', () => {
    expect(result.judgedNeeds).toBe(3);
    expect(result.missingNeeds).toBe(1);
    expect([...result.perNeed.keys()]).toEqual(['q1', 'q2', 'q3']);
    expect(result.perNeed.get('q3')).toEqual({ ndcg: 0, ap: 0, rr: 0, precision: 0, recall: 0 });
  });

  it('gives the hand-computed means', () => {
    // q1 nDCG@2: DCG = 0 + 1/log2(3) = 0.630930; ideal@2 = 1 + 0.630930 → 0.386853; mean (q1, 0, 0) = 0.128951
    expect(result.mean.ndcg).toBeCloseTo(0.386853 / 3, 6);
    // MAP = (1/3 + 0 + 0) / 3 = 0.111111
    expect(result.mean.ap).toBeCloseTo(1 / 9, 10);
    // MRR = (1/2 + 0 + 0) / 3 = 0.166667
    expect(result.mean.rr).toBeCloseTo(1 / 6, 10);
    // P@2 = (1/2 + 0 + 0) / 3; R@2 = (1/3 + 0 + 0) / 3
    expect(result.mean.precision).toBeCloseTo(1 / 6, 10);
    expect(result.mean.recall).toBeCloseTo(1 / 9, 10);
  });
});

describe('parseQrels', () => {
  it('reads the header-named columns and ignores the others', () => {
    const qrels = parseQrels('query_id\tdoc_id\trelevance\textra\n1\t10\t1\t2\n1\t11\t0\t4\n2\t10\t2\t1\n');
    expect(qrels.get('1')).toEqual(new Map([['10', 1], ['11', 0]]));
    expect(qrels.get('2')).toEqual(new Map([['10', 2]]));
  });
});
