import type { DatasetSummary, Finding, LintResult, Severity } from '../lint/checks.js';
import { describeMapping } from '../io/columns.js';
import { describeDelimiter } from '../io/dialect.js';

/** Examples shown per finding in the text report; JSON carries up to MAX_EXAMPLES. */
const SHOWN = 5;

function counts(findings: readonly Finding[]): Record<Severity, number> {
  const c: Record<Severity, number> = { error: 0, warning: 0, note: 0 };
  for (const f of findings) c[f.severity]++;
  return c;
}

function describeSource(s: DatasetSummary): string {
  if (s.format === 'csv') return `CSV ${describeDelimiter(s.delimiter ?? ',')}, ${s.encoding}`;
  if (s.format === 'xlsx') return `Excel, sheet '${s.sheet ?? ''}'`;
  return `${s.format === 'json' ? 'JSON' : 'JSON Lines'}, ${s.encoding}`;
}

function summaryLines(s: DatasetSummary): string[] {
  const n = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;
  const { en, it, undetermined } = s.languages;
  return [
    `${s.file} (${s.role}): ${n(s.records, 'record')}, ${describeSource(s)}`,
    `  columns   ${describeMapping(s.mapping)}${s.columns.length ? `  [${s.columns.length} in the file]` : ''}`,
    `  language  ${it} Italian, ${en} English, ${undetermined} undetermined`,
    `  metadata  ${s.withTags} with tags (${n(s.distinctTags, 'distinct tag')}), ${s.withSectors} with a sector`,
    `  words     median ${s.medianWords}, most ${s.maxWords} content words per record`,
  ];
}

function findingLines(f: Finding): string[] {
  const lines = [`${f.severity.padEnd(7)}  ${f.file}  ${f.check}`, `  ${f.message}`];
  for (const e of f.examples.slice(0, SHOWN)) lines.push(`    ${e}`);
  if (f.count > SHOWN && f.examples.length > 0) lines.push(`    … and ${f.count - SHOWN} more`);
  return lines;
}

/** The report `match lint` prints: one block per dataset, then the findings, then the totals. */
export function renderLintText(result: LintResult): string {
  const blocks: string[] = result.summaries.map((s) => summaryLines(s).join('\n'));
  const order: Severity[] = ['error', 'warning', 'note'];
  const findings = [...result.findings].sort((a, b) => order.indexOf(a.severity) - order.indexOf(b.severity));
  if (findings.length) blocks.push(findings.map((f) => findingLines(f).join('\n')).join('\n'));
  const c = counts(result.findings);
  blocks.push(`${c.error} error${c.error === 1 ? '' : 's'}, ${c.warning} warning${c.warning === 1 ? '' : 's'}, ${c.note} note${c.note === 1 ? '' : 's'}`);
  return `${blocks.join('\n\n')}\n`;
}

/** The same report for machines: datasets, findings and totals. */
export function renderLintJson(result: LintResult): string {
  return `${JSON.stringify({ datasets: result.summaries, findings: result.findings, totals: counts(result.findings) }, null, 2)}\n`;
}
