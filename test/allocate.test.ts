import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { MatchRecord } from '../src/model.js';
import { allocate, type AllocationNeed } from '../src/assign/allocate.js';
import { diversify } from '../src/assign/diversity.js';
import { planShortlists } from '../src/assign/plan.js';
import { DEFAULT_RANK_OPTIONS } from '../src/rank/rank.js';

/** Value in the allocator's units (1e-4), so totals compare exactly. */
const units = (v: number) => Math.round(v * 10000);

interface Instance {
  needs: AllocationNeed[];
  capacity: number[];
}

/** Every feasible allocation, by enumeration: the best (pairs, then total value) as [pairs, total]. */
function bruteForce({ needs, capacity }: Instance): [number, number] {
  const pinLoad = new Map<number, number>();
  for (const n of needs) for (const p of n.pinned) pinLoad.set(p.doc, (pinLoad.get(p.doc) ?? 0) + 1);
  const edges = needs.flatMap((n, k) => n.candidates.map((c) => ({ k, doc: c.doc, value: units(c.value) })));
  let best: [number, number] = [0, 0];
  for (let mask = 0; mask < 1 << edges.length; mask++) {
    const perNeed = needs.map(() => 0);
    const perDoc = new Map<number, number>();
    let pairs = 0;
    let total = 0;
    let ok = true;
    for (let e = 0; e < edges.length && ok; e++) {
      if (!(mask & (1 << e))) continue;
      const { k, doc, value } = edges[e];
      perNeed[k]++;
      perDoc.set(doc, (perDoc.get(doc) ?? 0) + 1);
      ok = perNeed[k] <= Math.max(0, needs[k].demand - needs[k].pinned.length) && perDoc.get(doc)! <= Math.max(0, capacity[doc] - (pinLoad.get(doc) ?? 0));
      pairs++;
      total += value;
    }
    if (ok && (pairs > best[0] || (pairs === best[0] && total > best[1]))) best = [pairs, total];
  }
  return best;
}

/** What `allocate` achieved, as [pairs, total], after checking it breaks no limit. */
function achieved({ needs, capacity }: Instance): [number, number] {
  const { chosen } = allocate(needs, (d) => capacity[d]);
  const perDoc = new Map<number, number>();
  let pairs = 0;
  let total = 0;
  chosen.forEach((docs, k) => {
    const need = needs[k];
    for (const p of need.pinned) expect(docs).toContain(p.doc);
    const free = docs.filter((d) => !need.pinned.some((p) => p.doc === d));
    expect(free.length).toBeLessThanOrEqual(Math.max(0, need.demand - need.pinned.length));
    expect(new Set(docs).size).toBe(docs.length);
    for (const d of free) {
      const c = need.candidates.find((x) => x.doc === d);
      expect(c).toBeDefined();
      perDoc.set(d, (perDoc.get(d) ?? 0) + 1);
      pairs++;
      total += units(c!.value);
    }
  });
  const pinLoad = new Map<number, number>();
  for (const n of needs) for (const p of n.pinned) pinLoad.set(p.doc, (pinLoad.get(p.doc) ?? 0) + 1);
  for (const [d, used] of perDoc) expect(used).toBeLessThanOrEqual(capacity[d] - (pinLoad.get(d) ?? 0));
  return [pairs, total];
}

/** Small random instances: up to 4 needs × 5 solutions, at most 16 candidate pairs, scores with ties. */
const instance: fc.Arbitrary<Instance> = fc
  .record({
    solutions: fc.integer({ min: 1, max: 5 }),
    needs: fc.integer({ min: 1, max: 4 }),
    seed: fc.array(fc.tuple(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 20 })), { maxLength: 16 }),
    demands: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 4, maxLength: 4 }),
    capacity: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 5, maxLength: 5 }),
    pins: fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 4 })), { maxLength: 2 }),
  })
  .map(({ solutions, needs: n, seed, demands, capacity, pins }) => {
    const needs: AllocationNeed[] = Array.from({ length: n }, (_, k) => ({ id: `N${k}`, demand: demands[k], candidates: [], pinned: [] }));
    const pinned = new Set(pins.filter(([k, d]) => k < n && d < solutions).map(([k, d]) => `${k}:${d}`));
    for (const key of pinned) {
      const [k, d] = key.split(':').map(Number);
      needs[k].pinned.push({ doc: d, id: `S${d}` });
    }
    const seen = new Set<string>();
    for (const [d, k, v] of seed) {
      if (d >= solutions || k >= n || seen.has(`${k}:${d}`) || pinned.has(`${k}:${d}`)) continue;
      seen.add(`${k}:${d}`);
      // Few distinct values, so ties are common.
      (needs[k].candidates as { doc: number; id: string; value: number }[]).push({ doc: d, id: `S${d}`, value: (v % 7) / 10 + 0.05 });
    }
    for (const need of needs) (need.candidates as { value: number; id: string }[]).sort((a, b) => b.value - a.value || a.id.localeCompare(b.id));
    return { needs, capacity };
  });

describe('allocate (exact min-cost flow)', () => {
  it('matches a brute-force optimum on small random instances: most pairs, then highest total', () => {
    fc.assert(fc.property(instance, (inst) => {
      expect(achieved(inst)).toEqual(bruteForce(inst));
    }), { numRuns: 400, seed: 20240611 });
  });

  it('prefers filling every need over a higher total with a need left empty', () => {
    // A alone would take S1 (0.9); giving A S2 lets B have S1 too.
    const needs: AllocationNeed[] = [
      { id: 'A', demand: 1, candidates: [{ doc: 0, id: 'S1', value: 0.9 }, { doc: 1, id: 'S2', value: 0.1 }], pinned: [] },
      { id: 'B', demand: 1, candidates: [{ doc: 0, id: 'S1', value: 0.1 }], pinned: [] },
    ];
    expect(allocate(needs, () => 1).chosen).toEqual([[1], [0]]);
  });

  it('gives a contested startup to the need it is worth most to, not the first in file order', () => {
    const needs: AllocationNeed[] = [
      { id: 'N1', demand: 1, candidates: [{ doc: 0, id: 'S1', value: 0.5 }, { doc: 1, id: 'S2', value: 0.45 }], pinned: [] },
      { id: 'N2', demand: 1, candidates: [{ doc: 0, id: 'S1', value: 0.6 }, { doc: 2, id: 'S3', value: 0.2 }], pinned: [] },
    ];
    // Greedy by need order: N1-S1, N2-S3 = 0.7. Optimal: N1-S2, N2-S1 = 1.05.
    expect(allocate(needs, () => 1).chosen).toEqual([[1], [0]]);
  });

  it('keeps every pin, even beyond a capacity, and reports it', () => {
    const needs: AllocationNeed[] = [
      { id: 'N1', demand: 1, candidates: [], pinned: [{ doc: 0, id: 'S1' }] },
      { id: 'N2', demand: 2, candidates: [{ doc: 0, id: 'S1', value: 0.9 }, { doc: 1, id: 'S2', value: 0.3 }], pinned: [] },
      { id: 'N3', demand: 1, candidates: [], pinned: [{ doc: 0, id: 'S1' }] },
    ];
    const result = allocate(needs, () => 1);
    expect(result.chosen).toEqual([[0], [1], [0]]);
    expect(result.overPinned.get(0)).toBe(2);
  });

  it('does not depend on the order the needs come in', () => {
    fc.assert(fc.property(instance, (inst) => {
      const forward = allocate(inst.needs, (d) => inst.capacity[d]).chosen;
      const reversed = allocate([...inst.needs].reverse(), (d) => inst.capacity[d]).chosen.reverse();
      expect(reversed.map((docs) => [...docs].sort())).toEqual(forward.map((docs) => [...docs].sort()));
    }), { numRuns: 200, seed: 7 });
  });
});

describe('diversity (MMR)', () => {
  // Docs 0 and 1 are near-duplicates; doc 2 is different.
  const sim = (a: number, b: number) => (a === b ? 1 : (a < 2 && b < 2 ? 0.95 : 0.05));
  const items = [{ doc: 0, id: 'S1', score: 0.8 }, { doc: 1, id: 'S2', score: 0.78 }, { doc: 2, id: 'S3', score: 0.6 }];

  it('keeps the score order at 0', () => {
    expect(diversify(items, [], 0, sim).map((x) => x.id)).toEqual(['S1', 'S2', 'S3']);
  });

  it('moves a near-duplicate below a different solution', () => {
    const order = diversify(items, [], 0.3, sim);
    expect(order.map((x) => x.id)).toEqual(['S1', 'S3', 'S2']);
    expect(order[2].nearest).toBe('S1');
  });

  it('judges candidates against pinned solutions taken first', () => {
    expect(diversify(items.slice(1), [items[0]], 0.3, sim).map((x) => x.id)).toEqual(['S1', 'S3', 'S2']);
  });
});

describe('capacity in rank (planShortlists)', () => {
  const WORDS = ['sensor', 'vision', 'wool', 'textile', 'energy', 'solar', 'robot', 'cheese'];
  const rec = (id: string, words: string[]): MatchRecord => ({ id, name: id, title: '', text: words.join(' '), tags: [], sectors: [], fields: {}, line: 1 });

  const corpus = fc.record({
    needs: fc.array(fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 3 }),
    solutions: fc.array(fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 4 }),
    top: fc.integer({ min: 1, max: 3 }),
    capacity: fc.integer({ min: 1, max: 2 }),
  });

  it('reaches the brute-force optimum over all scored pairs', () => {
    fc.assert(fc.property(corpus, ({ needs: n, solutions: s, top, capacity }) => {
      const needs = n.map((w, i) => rec(`N${i}`, w));
      const solutions = s.map((w, i) => rec(`S${i}`, w));
      const options = { ...DEFAULT_RANK_OPTIONS, lang: 'en' as const, top };
      const plan = planShortlists(needs, solutions, options, { demandOf: () => top, capacityOf: () => capacity, candidates: 50, diversity: 0, alternates: 0 });
      // Every pair with a positive score, from a plain ranking deep enough to list them all.
      const inst: Instance = {
        needs: plan.needs.map((p) => ({ id: p.need.id, demand: top, candidates: p.ranking.map((c) => ({ doc: c.doc, id: c.id, value: c.score })), pinned: [] })),
        capacity: solutions.map(() => capacity),
      };
      const got: [number, number] = [0, 0];
      plan.results.forEach((r) => {
        expect(r.matches.length).toBeLessThanOrEqual(top);
        for (const m of r.matches) { got[0]++; got[1] += units(m.score); }
      });
      const uses = new Map<string, number>();
      for (const r of plan.results) for (const m of r.matches) uses.set(m.solutionId, (uses.get(m.solutionId) ?? 0) + 1);
      for (const used of uses.values()) expect(used).toBeLessThanOrEqual(capacity);
      expect(got).toEqual(bruteForce(inst));
    }), { numRuns: 60, seed: 11 });
  });
});
