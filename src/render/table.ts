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

/** Shortlists grouped per need, fitted to the terminal; colour only as decided by the caller. */
export function renderTable(results: readonly NeedResult[], options: TableOptions): string {
  const c = new Chalk({ level: options.color });
  const compact = options.width < 90;
  const widths = columnWidths(options.width, compact);
  const head = compact ? ['#', 'Solution', 'Score', 'Why'] : ['#', 'Solution', 'Score', 'Text', 'Tags', 'Sector', 'Shared tags', 'Top terms'];
  const out: string[] = [];
  for (const need of results) {
    out.push(`${c.bold.cyan(need.needId)}  ${c.bold(need.needTitle)}`);
    if (need.matches.length === 0) {
      out.push(c.dim('  no solution scored above the minimum'), '');
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
      const name = `${m.solutionName}\n${c.dim(m.solutionId)}`;
      const terms = m.topTerms.join(', ');
      const tags = m.sharedTags.join(', ');
      if (compact) {
        table.push([String(m.rank), name, c.green(m.score.toFixed(2)), [tags && `tags: ${tags}`, terms].filter(Boolean).join('\n')]);
      } else {
        table.push([String(m.rank), name, c.green(m.score.toFixed(2)), score(m.textScore), score(m.tagScore), score(m.sectorScore), tags, terms]);
      }
    }
    out.push(table.toString(), '');
  }
  return out.join('\n');
}
