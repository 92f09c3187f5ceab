import type { NeedResult } from '../model.js';
import type { Plan } from './plan.js';

/**
 * Why each pair of an allocation is where it is, in words an analyst can
 * check, and the totals for the summary. With an optimal allocation, a
 * better-ranked solution missing from a need's list is full (its places went
 * to other needs) or, with --diversity, was set aside as too similar.
 */

const MAX_LISTED = 3;

/** 1st, 2nd, 3rd, 4th … 11th, 12th, 13th, 21st. */
export function ordinal(n: number): string {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : ['th', 'st', 'nd', 'rd'][n % 10] ?? 'th';
  return `${n}${suffix}`;
}

export function annotate(plan: Plan, capacityOf: (doc: number) => number): NeedResult[] {
  const { corpus } = plan;
  const docOf = new Map(corpus.solutions.map((s, d) => [s.id, d] as const));
  const takers = new Map<number, string[]>();
  for (const p of plan.needs) for (const d of p.chosen) {
    const list = takers.get(d);
    if (list) list.push(p.need.id);
    else takers.set(d, [p.need.id]);
  }
  const full = (doc: number) => (plan.load.get(doc) ?? 0) >= capacityOf(doc);
  const listNeeds = (ids: readonly string[]) => (ids.length > MAX_LISTED ? `${ids.slice(0, MAX_LISTED).join(', ')} +${ids.length - MAX_LISTED}` : ids.join(', '));

  return plan.results.map((result, k) => {
    const p = plan.needs[k];
    const chosen = new Set(p.chosen);
    const matches = result.matches.map((m) => {
      const doc = docOf.get(m.solutionId)!;
      let note: string;
      if (m.status === 'alternate') {
        if (full(doc)) note = `full: ${listNeeds(takers.get(doc) ?? [])}`;
        else {
          const free = capacityOf(doc) - (plan.load.get(doc) ?? 0);
          note = `free: ${free} of ${capacityOf(doc)} place${capacityOf(doc) === 1 ? '' : 's'} left`;
        }
      } else if (m.pinned) {
        note = 'pinned in the pairs file';
      } else {
        const position = (m.choice ?? 1) - 1;
        const missing = p.ranking.slice(0, position).filter((c) => !chosen.has(c.doc));
        const place = position === 0 ? 'its best match' : `its ${ordinal(position + 1)} best match`;
        if (missing.length === 0) note = place;
        else {
          const reasons = missing.slice(0, MAX_LISTED).map((c) => {
            if (full(c.doc)) return `${c.id} full (${listNeeds((takers.get(c.doc) ?? []).filter((id) => id !== p.need.id))})`;
            const nearest = p.mmr?.get(c.doc)?.nearest;
            return nearest ? `${c.id} too similar to ${nearest}` : `${c.id} not taken`;
          });
          if (missing.length > MAX_LISTED) reasons.push(`+${missing.length - MAX_LISTED} more`);
          note = `${place}; better-ranked: ${reasons.join('; ')}`;
        }
      }
      return { ...m, note };
    });
    return { ...result, matches };
  });
}

export interface Shortfall {
  needId: string;
  got: number;
  wanted: number;
  reason: string;
}

export interface AllocationSummary {
  needs: number;
  wanted: number;
  assigned: number;
  /** Sum of the assigned pairs' scores. */
  total: number;
  shortfalls: Shortfall[];
}

/** Totals and, for every need that got fewer places than it wanted, why. */
export function summarize(plan: Plan, results: readonly NeedResult[], candidates: number): AllocationSummary {
  let wanted = 0;
  let assigned = 0;
  let total = 0;
  const shortfalls: Shortfall[] = [];
  plan.needs.forEach((p, k) => {
    wanted += p.demand;
    assigned += p.chosen.length;
    for (const m of results[k].matches) if (m.status !== 'alternate') total += m.score;
    if (p.chosen.length >= p.demand) return;
    const available = p.ranking.length;
    let reason: string;
    if (available < p.demand) {
      reason = available === 0 ? 'no candidate passes the filters and --min-score' : `only ${available} candidate${available === 1 ? '' : 's'} pass${available === 1 ? 'es' : ''} the filters and --min-score`;
    } else {
      const others = available - p.chosen.length;
      reason = `its other ${others} candidate${others === 1 ? ' is' : 's are'} full`;
      if (p.cut) reason += `; raise --candidates above ${candidates} to look further`;
    }
    shortfalls.push({ needId: p.need.id, got: p.chosen.length, wanted: p.demand, reason });
  });
  return { needs: plan.needs.length, wanted, assigned, total: Math.round(total * 10000) / 10000, shortfalls };
}
