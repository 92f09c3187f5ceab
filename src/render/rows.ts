import type { Match, NeedResult } from '../model.js';

/** CSV/JSONL columns, in their documented order. Later features append columns only when their option is used. */
export const OUTPUT_COLUMNS = ['need_id', 'need_title', 'rank', 'solution_id', 'solution_name', 'score', 'text_score', 'tag_score', 'sector_score', 'shared_tags', 'top_terms'] as const;

export type OutputValue = string | number | null | string[];
export type OutputRow = Record<string, OutputValue>;

/** One flat row per need–solution pair. A signal left out of the blend is null. */
export function matchRow(need: NeedResult, match: Match): OutputRow {
  return {
    need_id: need.needId,
    need_title: need.needTitle,
    rank: match.rank,
    solution_id: match.solutionId,
    solution_name: match.solutionName,
    score: match.score,
    text_score: match.textScore,
    tag_score: match.tagScore,
    sector_score: match.sectorScore,
    shared_tags: match.sharedTags,
    top_terms: match.topTerms,
    ...(match.explanation !== undefined ? { explanation: match.explanation } : {}),
    // Written only when their options ask for them (stage_score, pinned; status, choice, note in assign).
    stage_score: match.stageScore ?? null,
    pinned: match.pinned ? 'yes' : 'no',
    status: match.status ?? null,
    choice: match.choice ?? null,
    note: match.note ?? null,
    ...need.extra,
    ...match.extra,
  };
}

/** Names of the columns options carried through (`--keep-need`, `--keep`, `--previous`), in output order. */
export function extraColumnNames(results: readonly NeedResult[]): string[] {
  const names = new Set<string>();
  for (const need of results) {
    for (const key of Object.keys(need.extra ?? {})) names.add(key);
    for (const m of need.matches) for (const key of Object.keys(m.extra ?? {})) names.add(key);
  }
  return [...names];
}

export function flattenResults(results: readonly NeedResult[]): OutputRow[] {
  return results.flatMap((need) => need.matches.map((m) => matchRow(need, m)));
}

/** Keeps and orders the chosen columns (`--columns`). */
export function pickColumns(row: OutputRow, columns: readonly string[]): OutputRow {
  const out: OutputRow = {};
  for (const c of columns) out[c] = row[c] ?? null;
  return out;
}
