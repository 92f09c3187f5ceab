import type { PairExplanation } from '../rank/explain-pair.js';

const pct = (x: number) => `${Math.round(x * 100)}%`;
const num = (x: number | null) => (x === null ? '–' : x.toFixed(4));

/** `match explain` as text for a reader: signals, words, tags, sectors. */
export function renderExplanation(e: PairExplanation): string {
  const lines: string[] = [];
  lines.push(`${e.need.id}  ${e.need.title}`);
  lines.push(`${e.solution.id}  ${e.solution.name}`);
  lines.push(`score ${e.score.toFixed(4)}: ${e.sentence}`, '');
  lines.push('signal   score    weight  contribution');
  for (const s of e.signals) {
    const note = s.contribution === null ? (s.weight === 0 ? '  (weight 0: off)' : '  (left out: no data on one side)') : '';
    lines.push(`${s.signal.padEnd(8)} ${num(s.score).padEnd(8)} ${s.weight.toFixed(2).padEnd(7)} ${s.contribution === null ? '–' : s.contribution.toFixed(4)}${note}`);
  }
  lines.push('', 'words behind the text score:');
  if (e.terms.length === 0) lines.push('  none in common');
  for (const t of e.terms.slice(0, 12)) lines.push(`  ${t.word.padEnd(24)} ${pct(t.share)}`);
  if (e.relatedShare > 0.005) lines.push(`  ${'(related words)'.padEnd(24)} ${pct(e.relatedShare)}`);
  lines.push('', 'tags:');
  lines.push(`  shared:        ${e.tags.shared.join(', ') || '–'}`);
  lines.push(`  need only:     ${e.tags.needOnly.join(', ') || '–'}`);
  lines.push(`  solution only: ${e.tags.solutionOnly.join(', ') || '–'}`);
  lines.push('', `sectors: ${e.sector.need.join(', ') || '–'} vs ${e.sector.solution.join(', ') || '–'}: ${e.sector.relation}`);
  return `${lines.join('\n')}\n`;
}
