import { foldValue, parseCellNumber } from './values.js';

/**
 * Stage: how far along a solution is, on one of two scales that are never
 * compared with each other: TRL (technology readiness, 1–9) or the funding
 * ladder (idea … public). A need asks for a minimum; a solution meets it,
 * falls one level short, or falls far short.
 */

export type StageScale = 'trl' | 'funding';
export interface Stage {
  scale: StageScale;
  level: number;
}

/** How `--stage` uses a need's minimum: blended as a signal, as a hard filter, or not at all. */
export type StageMode = 'signal' | 'filter' | 'off';
export const STAGE_MODES: readonly StageMode[] = ['signal', 'filter', 'off'];

/** The funding ladder, with the names it goes by in English and Italian (compared folded). */
export const FUNDING_LADDER: readonly { level: number; names: readonly string[] }[] = [
  { level: 0, names: ['idea', 'ideation', 'concept', 'idea stage', 'ideazione'] },
  { level: 1, names: ['pre seed', 'preseed', 'pre seed stage', 'friends and family'] },
  { level: 2, names: ['seed', 'seed stage', 'angel', 'business angel'] },
  { level: 3, names: ['series a', 'serie a', 'round a', 'early', 'early stage'] },
  { level: 4, names: ['series b', 'serie b', 'round b'] },
  { level: 5, names: ['series c', 'serie c', 'round c', 'series d', 'serie d', 'series e'] },
  { level: 6, names: ['growth', 'growth stage', 'scale up', 'scaleup', 'late', 'late stage', 'later stage', 'expansion', 'crescita'] },
  { level: 7, names: ['public', 'ipo', 'listed', 'quotata'] },
];

const FUNDING_LEVEL = new Map(FUNDING_LADDER.flatMap(({ level, names }) => names.map((n) => [n, level] as const)));

/** Levels of shortfall that still earn some credit: one TRL short scores 2/3, three short 0; one funding round short 1/2, two short 0. */
const SPAN: Record<StageScale, number> = { trl: 3, funding: 2 };

/** `7`, `TRL 7`, `trl7` → TRL 7; `Seed`, `Series A`, `pre-seed` → the funding ladder; null for anything else. */
export function parseStage(text: string): Stage | null {
  const folded = foldValue(text);
  if (!folded) return null;
  const trl = /^(?:trl\s*)?(\d+(?:[.,]0+)?)$/.exec(folded);
  if (trl) {
    const n = parseCellNumber(trl[1]);
    return n !== null && Number.isInteger(n) && n >= 1 && n <= 9 ? { scale: 'trl', level: n } : null;
  }
  const level = FUNDING_LEVEL.get(folded.replace(/\s*(?:round|stage|funding)$/, '').trim()) ?? FUNDING_LEVEL.get(folded);
  return level === undefined ? null : { scale: 'funding', level };
}

/** Credit for having `actual` when `required` is asked: 1 when met or exceeded, less per level short, 0 when far short. */
export function stageCredit(required: Stage, actual: Stage): number {
  const shortfall = required.level - actual.level;
  return shortfall <= 0 ? 1 : Math.max(0, 1 - shortfall / SPAN[required.scale]);
}

/** The solution's most advanced stage on a scale, or null when it has none there. */
function best(stages: readonly Stage[], scale: StageScale): Stage | null {
  let out: Stage | null = null;
  for (const s of stages) if (s.scale === scale && (!out || s.level > out.level)) out = s;
  return out;
}

/**
 * The stage signal of a pair: the lowest credit over the need's requirements
 * the solution can be compared on; null when none can (the signal is then left
 * out of the pair's blend, as tags and sectors are).
 */
export function stageScore(required: readonly Stage[], actual: readonly Stage[]): number | null {
  let score: number | null = null;
  for (const r of required) {
    const a = best(actual, r.scale);
    if (a) score = Math.min(score ?? 1, stageCredit(r, a));
  }
  return score;
}

/** True when the solution meets every requirement; a stage it does not state cannot meet one. */
export function meetsStage(required: readonly Stage[], actual: readonly Stage[]): boolean {
  return required.every((r) => {
    const a = best(actual, r.scale);
    return a !== null && a.level >= r.level;
  });
}
