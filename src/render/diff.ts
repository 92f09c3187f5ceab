import { Chalk } from 'chalk';
import type { DiffSummary, PairChange } from '../diff/diff-runs.js';
import type { ColorLevel } from './color.js';
import type { OutputRow } from './rows.js';

/** `match diff` output: one row per changed pair, as CSV/JSON rows or a table grouped per need. */

export const DIFF_COLUMNS = ['need_id', 'need_title', 'change', 'solution_id', 'solution_name', 'old_rank', 'new_rank', 'old_score', 'new_score'] as const;

export function diffRows(changes: readonly PairChange[]): OutputRow[] {
  return changes.map((c) => ({
    need_id: c.needId,
    need_title: c.needTitle,
    change: c.change,
    solution_id: c.solutionId,
    solution_name: c.solutionName,
    old_rank: c.oldRank,
    new_rank: c.newRank,
    old_score: c.oldScore,
    new_score: c.newScore,
  }));
}

/** `{summary, changes}`: the counts a script checks first, then every changed pair. */
export function renderDiffJson(changes: readonly PairChange[], summary: DiffSummary): string {
  const counts = { needs: summary.needs, needs_changed: summary.needsChanged, new: summary.new, dropped: summary.dropped, moved: summary.moved, score: summary.score };
  return `${JSON.stringify({ summary: counts, changes: diffRows(changes) }, null, 2)}\n`;
}

export function describeSummary(summary: DiffSummary): string {
  if (summary.needsChanged === 0) return `no change in ${summary.needs} need${summary.needs === 1 ? '' : 's'}`;
  const parts = [`${summary.new} new`, `${summary.dropped} dropped`, `${summary.moved} moved`];
  if (summary.score) parts.push(`${summary.score} rescored`);
  return `${summary.needsChanged} of ${summary.needs} needs changed: ${parts.join(', ')}`;
}

const score = (v: number | null) => (v === null ? '–' : v.toFixed(2));

/** Changes grouped per need, one line per pair, with a marker a reader scans: + new, - dropped, ↑ ↓ moved, ~ score. */
export function renderDiffTable(changes: readonly PairChange[], summary: DiffSummary, color: ColorLevel): string {
  const c = new Chalk({ level: color });
  const out: string[] = [];
  let need: string | undefined;
  for (const ch of changes) {
    if (ch.needId !== need) {
      if (need !== undefined) out.push('');
      need = ch.needId;
      out.push(`${c.bold.cyan(ch.needId)}  ${c.bold(ch.needTitle)}`);
    }
    const who = `${ch.solutionName} ${c.dim(`(${ch.solutionId})`)}`;
    switch (ch.change) {
      case 'new':
        out.push(`  ${c.green('+')} ${who}  new at #${ch.newRank} (${score(ch.newScore)})`);
        break;
      case 'dropped':
        out.push(`  ${c.red('-')} ${who}  dropped from #${ch.oldRank} (${score(ch.oldScore)})`);
        break;
      case 'up':
      case 'down':
        out.push(`  ${ch.change === 'up' ? c.green('↑') : c.yellow('↓')} ${who}  #${ch.oldRank} → #${ch.newRank} (${score(ch.oldScore)} → ${score(ch.newScore)})`);
        break;
      case 'score':
        out.push(`  ${c.dim('~')} ${who}  #${ch.newRank}, score ${score(ch.oldScore)} → ${score(ch.newScore)}`);
        break;
    }
  }
  out.push(out.length ? '' : '', describeSummary(summary), '');
  return out.join('\n').replace(/^\n/, '');
}
