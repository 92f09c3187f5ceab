import type { NeedResult } from '../model.js';
import { compareIds } from '../rank/compare-ids.js';

/**
 * What changed between two rank runs, pair by pair: plain functions over the
 * rows read back from two outputs (see src/io/read-run.ts). No I/O.
 */

/** One need–solution pair of a rank or assign output, as read back by io/read-run.ts. */
export interface RankedPair {
  needId: string;
  needTitle: string;
  solutionId: string;
  solutionName: string;
  rank: number;
  /** NaN when the run had no score column. */
  score: number;
}

/** new: only in the new run; dropped: only in the old; up/down: moved in rank; score: same rank, other score. */
export type ChangeKind = 'new' | 'dropped' | 'up' | 'down' | 'score';

export interface PairChange {
  needId: string;
  needTitle: string;
  solutionId: string;
  solutionName: string;
  change: ChangeKind;
  oldRank: number | null;
  newRank: number | null;
  oldScore: number | null;
  newScore: number | null;
}

export interface DiffOptions {
  /** List score changes of pairs whose rank did not change. */
  scores: boolean;
}

export interface DiffSummary {
  needs: number;
  needsChanged: number;
  new: number;
  dropped: number;
  moved: number;
  score: number;
}

// Scores are written rounded to 4 decimals; anything smaller is noise of the round trip.
const SCORE_EPSILON = 1e-9;

const scoreOf = (pair: RankedPair | undefined): number | null => (pair && Number.isFinite(pair.score) ? pair.score : null);
const pairKey = (pair: RankedPair) => `${pair.needId}\u0000${pair.solutionId}`;

/** The first pair listed twice for the same need, if any: such a file is not one run. */
export function findDuplicatePair(rows: readonly RankedPair[]): RankedPair | undefined {
  const seen = new Set<string>();
  for (const row of rows) {
    const key = pairKey(row);
    if (seen.has(key)) return row;
    seen.add(key);
  }
  return undefined;
}

/** Pairs grouped by need, needs in the order they first appear. */
function byNeed(rows: readonly RankedPair[]): Map<string, Map<string, RankedPair>> {
  const needs = new Map<string, Map<string, RankedPair>>();
  for (const row of rows) {
    let pairs = needs.get(row.needId);
    if (!pairs) needs.set(row.needId, (pairs = new Map()));
    pairs.set(row.solutionId, row);
  }
  return needs;
}

/**
 * Per need, the pairs that are new, dropped or moved in rank (and, with
 * `scores`, those whose score changed at the same rank). Needs come in the
 * new run's order, then the needs only the old run has; within a need, by
 * new rank, then dropped pairs by old rank, ties by solution id.
 */
export function diffRuns(oldRows: readonly RankedPair[], newRows: readonly RankedPair[], options: DiffOptions = { scores: false }): PairChange[] {
  const before = byNeed(oldRows);
  const after = byNeed(newRows);
  const needIds = [...after.keys(), ...[...before.keys()].filter((id) => !after.has(id))];
  const changes: PairChange[] = [];
  for (const needId of needIds) {
    const oldPairs = before.get(needId) ?? new Map<string, RankedPair>();
    const newPairs = after.get(needId) ?? new Map<string, RankedPair>();
    const perNeed: PairChange[] = [];
    for (const [solutionId, now] of newPairs) {
      const was = oldPairs.get(solutionId);
      const change = changeOf(was, now, options);
      if (change) perNeed.push(pairChange(change, was, now));
    }
    for (const [solutionId, was] of oldPairs) if (!newPairs.has(solutionId)) perNeed.push(pairChange('dropped', was, undefined));
    perNeed.sort((a, b) => (a.newRank ?? Infinity) - (b.newRank ?? Infinity) || (a.oldRank ?? Infinity) - (b.oldRank ?? Infinity) || compareIds(a.solutionId, b.solutionId));
    changes.push(...perNeed);
  }
  return changes;
}

function changeOf(was: RankedPair | undefined, now: RankedPair, options: DiffOptions): ChangeKind | null {
  if (!was) return 'new';
  if (now.rank < was.rank) return 'up';
  if (now.rank > was.rank) return 'down';
  const [a, b] = [scoreOf(was), scoreOf(now)];
  if (options.scores && a !== null && b !== null && Math.abs(a - b) > SCORE_EPSILON) return 'score';
  return null;
}

function pairChange(change: ChangeKind, was: RankedPair | undefined, now: RankedPair | undefined): PairChange {
  const pair = (now ?? was)!;
  return {
    needId: pair.needId,
    // Titles and names as the new run writes them, else the old.
    needTitle: now?.needTitle || was?.needTitle || '',
    solutionId: pair.solutionId,
    solutionName: now?.solutionName || was?.solutionName || '',
    change,
    oldRank: was ? was.rank : null,
    newRank: now ? now.rank : null,
    oldScore: scoreOf(was),
    newScore: scoreOf(now),
  };
}

export function summarizeChanges(changes: readonly PairChange[], oldRows: readonly RankedPair[], newRows: readonly RankedPair[]): DiffSummary {
  const count = (...kinds: ChangeKind[]) => changes.filter((c) => kinds.includes(c.change)).length;
  return {
    needs: new Set([...oldRows, ...newRows].map((r) => r.needId)).size,
    needsChanged: new Set(changes.map((c) => c.needId)).size,
    new: count('new'),
    dropped: count('dropped'),
    moved: count('up', 'down'),
    score: count('score'),
  };
}

/** Rank change of each pair of `results` against a previous run: new, up, down or same. */
export type RankChange = 'new' | 'up' | 'down' | 'same';

/** Results with a `change` column on every match, against the previous run's rows. */
export function markChanges(results: readonly NeedResult[], previous: readonly RankedPair[], column = 'change'): NeedResult[] {
  const before = byNeed(previous);
  return results.map((need) => ({
    ...need,
    matches: need.matches.map((m) => {
      const was = before.get(need.needId)?.get(m.solutionId);
      const change: RankChange = !was ? 'new' : m.rank < was.rank ? 'up' : m.rank > was.rank ? 'down' : 'same';
      return { ...m, extra: { ...m.extra, [column]: change } };
    }),
  }));
}
