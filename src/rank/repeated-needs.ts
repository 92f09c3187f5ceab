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
  // Grouped by text, whose hash a string keeps once computed, then compared field by field: a key
  // joining the fields (JSON) copied every need's text again, 0.15 s or more on the SBIR topics.
  const byText = new Map<string, number[]>();
  needs.forEach((need, i) => {
    first[i] = i;
    if (constrained(i)) return;
    const group = byText.get(need.text);
    if (!group) {
      byText.set(need.text, [i]);
      return;
    }
    const earlier = group.find((j) => sameRanking(needs[j], need));
    if (earlier === undefined) group.push(i);
    else first[i] = earlier;
  });
  return first;
}

/** Whether two needs with the same text have the same title, tags and sectors too. */
function sameRanking(a: MatchRecord, b: MatchRecord): boolean {
  return a.title === b.title && sameList(a.tags, b.tags) && sameList(a.sectors, b.sectors);
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** The result of `need`, which repeats the need ranked as `result`: the same shortlist, under the need's own id and title. */
export function repeatedResult(result: NeedResult, need: MatchRecord): NeedResult {
  const out: NeedResult = { ...result, needId: need.id, needTitle: need.name, matches: result.matches.map((m) => ({ ...m })) };
  if (result.gaps) out.gaps = [...result.gaps];
  return out;
}
