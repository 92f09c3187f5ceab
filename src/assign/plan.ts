import type { Match, MatchRecord, NeedResult } from '../model.js';
import { createScratch, rankNeed, type NeedConstraints, type RankOptions, type RankScratch } from '../rank/rank.js';
import { prepareSolutions, type SolutionCorpus } from '../rank/corpus.js';
import { compareIds } from '../rank/compare-ids.js';
import { allocate } from './allocate.js';
import { TextVectors, diversify, type DiversifiedItem } from './diversity.js';

/**
 * Shortlists under rules that span needs, in this order:
 *   1. filters, requirements and stage (RankOptions.constrain: `admit`),
 *   2. exclusions and pins (the same hook),
 *   3. diversity within each need (MMR over its best `candidates`),
 *   4. capacity across needs (an exact allocation, see allocate.ts).
 * Ranking runs twice: once cheaply (no explanations) over `candidates` per
 * need to decide, then over the chosen pairs only to describe them.
 */

export interface PlanSettings {
  /** Places per need, pins included (rank: --top; assign: --top or the demand column). */
  demandOf: (need: MatchRecord) => number;
  /** Places per solution (by position); null: no limit (rank without --capacity). */
  capacityOf: ((doc: number) => number) | null;
  /** Candidates per need that diversity and allocation choose from (--candidates). */
  candidates: number;
  /** 0..1; 0 keeps the score order. */
  diversity: number;
  /** Next-best solutions to list per need after the chosen ones (assign --alternates). */
  alternates: number;
}

export interface RankedCandidate {
  doc: number;
  id: string;
  score: number;
  pinned: boolean;
}

export interface NeedPlan {
  need: MatchRecord;
  demand: number;
  /** The need's own ranking, best first: pins and up to `candidates` others. */
  ranking: RankedCandidate[];
  /** True when more candidates may exist beyond `ranking` (it was cut at `candidates`). */
  cut: boolean;
  /** With --diversity: each non-pinned candidate's MMR value and nearest better-placed solution. */
  mmr: Map<number, DiversifiedItem> | null;
  /** Docs given to the need, in display order. */
  chosen: number[];
  alternates: number[];
}

export interface Plan {
  corpus: SolutionCorpus;
  needs: NeedPlan[];
  results: NeedResult[];
  /** Places used per solution doc (with a capacity). */
  load: Map<number, number>;
  /** Solutions pinned to more needs than their capacity: doc → pins. */
  overPinned: Map<number, number>;
}

export function planShortlists(needs: readonly MatchRecord[], solutions: readonly MatchRecord[], options: RankOptions, settings: PlanSettings): Plan {
  const corpus = prepareSolutions(solutions, options);
  const scratch = createScratch(corpus);
  const docOf = new Map(solutions.map((s, d) => [s.id, d] as const));
  const vectors = settings.diversity > 0 ? new TextVectors(corpus.weighted.index, corpus.feedback?.forward) : null;

  // 1–3: each need's candidates, in its own order and, with diversity, in MMR order.
  const plans: NeedPlan[] = needs.map((need) => {
    const constraints: NeedConstraints = options.constrain?.(need) ?? {};
    const pins = constraints.pinned?.length ?? 0;
    const demand = settings.demandOf(need);
    const pool = Math.max(settings.candidates, demand);
    const first = rankNeed(corpus, need, { ...options, top: pool + pins, topTerms: 0, explain: false, constrain: () => constraints }, scratch);
    const ranking = first.matches.map((m) => ({ doc: docOf.get(m.solutionId)!, id: m.solutionId, score: m.score, pinned: m.pinned === true }));
    const others = ranking.filter((c) => !c.pinned);
    const pinned = ranking.filter((c) => c.pinned);
    // Pins are taken first, so the others are judged against them too.
    const mmr = vectors ? new Map(diversify(others, pinned, settings.diversity, (a, b) => vectors.similarity(a, b)).slice(pinned.length).map((x) => [x.doc, x] as const)) : null;
    return { need, demand, ranking, cut: others.length >= pool, mmr, chosen: [], alternates: [] };
  });

  const ordered = (p: NeedPlan) => {
    const others = p.ranking.filter((c) => !c.pinned);
    if (!p.mmr) return others.map((c) => ({ doc: c.doc, id: c.id, value: c.score }));
    return [...p.mmr.values()].map((x) => ({ doc: x.doc, id: x.id, value: x.value }));
  };
  const pinsOf = (p: NeedPlan) => p.ranking.filter((c) => c.pinned);

  // 4: capacity across needs, or each need's best places.
  let load = new Map<number, number>();
  let overPinned = new Map<number, number>();
  if (settings.capacityOf) {
    const allocation = allocate(plans.map((p) => ({ id: p.need.id, demand: p.demand, candidates: ordered(p), pinned: pinsOf(p) })), settings.capacityOf);
    plans.forEach((p, k) => (p.chosen = allocation.chosen[k]));
    ({ load, overPinned } = allocation);
  } else {
    for (const p of plans) {
      const pins = pinsOf(p).map((c) => c.doc);
      p.chosen = [...pins, ...ordered(p).slice(0, Math.max(0, p.demand - pins.length)).map((c) => c.doc)];
    }
  }

  const results = plans.map((p) => {
    p.chosen = displayOrder(p, vectors, settings.diversity);
    const taken = new Set(p.chosen);
    p.alternates = p.ranking.filter((c) => !taken.has(c.doc)).slice(0, settings.alternates).map((c) => c.doc);
    return describe(corpus, p, options, scratch);
  });
  return { corpus, needs: plans, results, load, overPinned };
}

/** Score order (ties by id); with diversity, the order MMR takes the chosen solutions in. */
function displayOrder(p: NeedPlan, vectors: TextVectors | null, diversity: number): number[] {
  const byDoc = new Map(p.ranking.map((c) => [c.doc, c] as const));
  const items = p.chosen.map((d) => byDoc.get(d)!).sort((a, b) => b.score - a.score || compareIds(a.id, b.id));
  if (!vectors) return items.map((c) => c.doc);
  return diversify(items, [], diversity, (a, b) => vectors.similarity(a, b)).map((x) => x.doc);
}

/** Full matches (signals, top terms, explanations) for the chosen solutions and the alternates, in display order. */
function describe(corpus: SolutionCorpus, p: NeedPlan, options: RankOptions, scratch: RankScratch): NeedResult {
  const constraints: NeedConstraints = options.constrain?.(p.need) ?? {};
  const listed = new Set([...p.chosen, ...p.alternates]);
  const pinned = p.ranking.filter((c) => c.pinned && listed.has(c.doc)).map((c) => c.doc);
  const second = rankNeed(corpus, p.need, {
    ...options,
    top: listed.size,
    constrain: () => ({ ...constraints, admit: (d) => listed.has(d), pinned }),
  }, scratch);
  const byId = new Map(second.matches.map((m) => [m.solutionId, m] as const));
  const position = new Map(p.ranking.map((c, i) => [c.doc, i + 1] as const));
  const order = [...p.chosen, ...p.alternates];
  const chosen = new Set(p.chosen);
  const matches: Match[] = order.map((doc, i) => {
    const m = byId.get(corpus.solutions[doc].id)!;
    return { ...m, rank: i + 1, status: chosen.has(doc) ? 'assigned' : 'alternate', choice: position.get(doc) };
  });
  return { ...second, matches };
}
