import type { AllocationSummary } from '../assign/notes.js';

export interface SummaryContext {
  solutions: number;
  /** "3 per need (--top)" or "from the demand column (3 where empty)". */
  demand: string;
  /** "2 per startup (--capacity)" or "from the capacity column (1 where empty)". */
  capacity: string;
  candidates: number;
}

const MAX_SHORTFALLS = 20;

const fixed = (x: number) => x.toFixed(4).replace(/\.?0+$/, '') || '0';

/** The lines `match assign` prints on stderr: the setting, the totals, and each need left short and why. */
export function formatAssignSummary(s: AllocationSummary, ctx: SummaryContext): string[] {
  const lines = [
    `assign: ${s.needs} needs, ${ctx.solutions} startups; places ${ctx.demand}; capacity ${ctx.capacity}; best ${ctx.candidates} candidates per need (--candidates)`,
    `assigned ${s.assigned} of ${s.wanted} places; total score ${fixed(s.total)}, mean ${fixed(s.needs ? s.total / s.needs : 0)} per need${s.assigned ? ` (${fixed(s.total / s.assigned)} per pair)` : ''}`,
  ];
  if (s.shortfalls.length === 0) {
    lines.push('every need got all its places');
    return lines;
  }
  lines.push(`${s.shortfalls.length} need${s.shortfalls.length === 1 ? '' : 's'} got fewer places than wanted:`);
  for (const f of s.shortfalls.slice(0, MAX_SHORTFALLS)) lines.push(`  ${f.needId} got ${f.got} of ${f.wanted}: ${f.reason}`);
  if (s.shortfalls.length > MAX_SHORTFALLS) lines.push(`  … and ${s.shortfalls.length - MAX_SHORTFALLS} more`);
  return lines;
}
