import Table from 'cli-table3';
import { Chalk } from 'chalk';
import type { NeedResult } from '../model.js';
import type { ColorLevel } from './color.js';

export interface TableOptions {
  width: number;
  color: ColorLevel;
}

const score = (v: number | null) => (v === null ? '–' : v.toFixed(2));

/** Splits the width left after fixed columns between the text-heavy ones. */
function columnWidths(width: number, compact: boolean): number[] {
  // rank, score, then (wide only) text, tags, sector scores
  const [rank, total, signal] = [4, 7, 6];
  const fixed = compact ? rank + total : rank + total + 3 * signal;
  const borders = (compact ? 4 : 8) + 1;
  const flexible = Math.max(30, width - fixed - borders);
  const solution = Math.max(14, Math.floor(flexible * 0.34));
  if (compact) return [rank, solution, total, flexible - solution];
  const shared = Math.max(10, Math.floor(flexible * 0.26));
  return [rank, solution, total, signal, signal, signal, shared, Math.max(10, flexible - solution - shared)];
}

/** Fields carried by --keep / --keep-need as `name: value` pairs; empty values left out. */
function describeFields(extra: Record<string, string> | undefined, separator: string, skip?: string): string {
  return Object.entries(extra ?? {})
    .filter(([key, value]) => key !== skip && value.trim() !== '')
    .map(([key, value]) => `${key.replace(/^need_/, '')}: ${value}`)
    .join(separator);
}

/** Shortlists grouped per need, fitted to the terminal; colour only as decided by the caller. */
export function renderTable(results: readonly NeedResult[], options: TableOptions): string {
  const c = new Chalk({ level: options.color });
  const compact = options.width < 90;
  const widths = columnWidths(options.width, compact);
  const head = compact ? ['#', 'Solution', 'Score', 'Why'] : ['#', 'Solution', 'Score', 'Text', 'Tags', 'Sector', 'Shared tags', 'Top terms'];
  const out: string[] = [];
  for (const need of results) {
    out.push(`${c.bold.cyan(need.needId)}  ${c.bold(need.needTitle)}`);
    const needFields = describeFields(need.extra, ' · ');
    if (needFields) out.push(`  ${c.dim(needFields)}`);
    if (need.matches.length === 0) {
      out.push(c.dim('  no solution scored above the minimum'));
      if (need.gaps?.length) out.push(c.yellow(`  not covered by any solution: ${need.gaps.join(', ')}`));
      out.push('');
      continue;
    }
    const table = new Table({
      head: head.map((h) => c.bold(h)),
      colWidths: widths,
      wordWrap: true,
      wrapOnWordBoundary: true,
      style: { head: [], border: [], compact: false },
    });
    for (const m of need.matches) {
      // Pins, alternates and assign's notes say why the pair is listed.
      const marks = [m.pinned && 'pinned', m.status === 'alternate' && 'alternate'].filter(Boolean).join(', ');
      // --previous and --keep: the rank change beside the id, kept fields under it.
      const change = m.extra?.change && m.extra.change !== 'same' ? ` ${c.yellow(m.extra.change)}` : '';
      const fields = describeFields(m.extra, '\n', 'change');
      const name = `${m.solutionName}\n${c.dim(m.solutionId)}${change}${marks ? ` ${c.yellow(marks)}` : ''}${m.note ? `\n${c.dim(m.note)}` : ''}${fields ? `\n${c.dim(fields)}` : ''}`;
      const terms = m.topTerms.join(', ');
      const tags = m.sharedTags.join(', ');
      if (compact) {
        table.push([String(m.rank), name, c.green(m.score.toFixed(2)), [tags && `tags: ${tags}`, terms].filter(Boolean).join('\n')]);
      } else {
        table.push([String(m.rank), name, c.green(m.score.toFixed(2)), score(m.textScore), score(m.tagScore), score(m.sectorScore), tags, terms]);
      }
    }
    out.push(table.toString());
    if (need.gaps?.length) out.push(c.yellow(`  not covered by this shortlist: ${need.gaps.join(', ')}`));
    out.push('');
  }
  return out.join('\n');
}
