import type { MatchRecord, NeedResult } from '../model.js';

/**
 * Needs that repeat another's text. A call for proposals re-posted under a
 * new id, or a challenge filed by two agencies, ranks exactly as the first
 * one: ranking reads only a need's title, text, tags and sectors (and its
 * constraints, when it has any). On the SBIR topics 795 of 6,924 needs
 * repeat an earlier one, so each is ranked once and its result given to the
 * others under their own id and title.
 */

/** True when a need's constraints (see NeedConstraints in rank.ts) can make its ranking its own: filters, a stage signal or pins. */
export function hasOwnConstraints(c: { admit?: unknown; stage?: unknown; pinned?: unknown }): boolean {
  return Boolean(c.admit || c.stage || c.pinned);
}

/**
 * For each need, the position of the first need whose ranking it is sure to
 * repeat: the same title, text, tags and sectors, neither of them with
 * constraints of its own (`constrained`). A need that repeats none is its own.
 */
export function firstOfSame(needs: readonly MatchRecord[], constrained: (index: number) => boolean): Int32Array {
  const first = new Int32Array(needs.length);
  const seen = new Map<string, number>();
  needs.forEach((need, i) => {
    first[i] = i;
    if (constrained(i)) return;
    const key = JSON.stringify([need.title, need.text, need.tags, need.sectors]);
    const earlier = seen.get(key);
    if (earlier === undefined) seen.set(key, i);
    else first[i] = earlier;
  });
  return first;
}

/** The result of `need`, which repeats the need ranked as `result`: the same shortlist, under the need's own id and title. */
export function repeatedResult(result: NeedResult, need: MatchRecord): NeedResult {
  const out: NeedResult = { ...result, needId: need.id, needTitle: need.name, matches: result.matches.map((m) => ({ ...m })) };
  if (result.gaps) out.gaps = [...result.gaps];
  return out;
}
