import Table from 'cli-table3';
import { stringify } from 'csv-stringify/sync';
import { usageError } from '../../errors.js';
import { evaluateRun } from '../../eval/metrics.js';
import { evaluationJson, evaluationRows, metricColumns } from '../../eval/report.js';
import { readLabels } from '../../io/read-labels.js';
import { parseConstraintFlags, rankUnderConstraints } from '../constraint-settings.js';
import { writeOutputFile, writeStdout } from '../../io/write-output.js';
import { loadInputs } from '../load-inputs.js';
import { resolveRankOptions } from '../scoring-settings.js';
import { parseCount } from '../parse-options.js';

type Opts = Record<string, unknown>;

/** need id → solution ids in rank order, from a run file written by `match rank`. */
async function runFromFile(path: string): Promise<Map<string, string[]>> {
  const { readRun } = await import('../../io/read-run.js');
  const rows = await readRun(path);
  const byNeed = new Map<string, { id: string; rank: number }[]>();
  for (const row of rows) {
    let list = byNeed.get(row.needId);
    if (!list) byNeed.set(row.needId, (list = []));
    list.push({ id: row.solutionId, rank: row.rank });
  }
  return new Map([...byNeed].map(([need, list]) => [need, list.sort((a, b) => a.rank - b.rank).map((x) => x.id)]));
}

/** `match evaluate RUN LABELS` or `match evaluate NEEDS SOLUTIONS LABELS`. */
export async function runEvaluate(files: string[], opts: Opts): Promise<void> {
  if (files.length !== 2 && files.length !== 3) throw usageError('evaluate takes RUN LABELS, or NEEDS SOLUTIONS LABELS');
  const k = parseCount(String(opts.k ?? '10'), '--k', 1);
  let run: Map<string, string[]>;
  if (files.length === 2) {
    run = await runFromFile(files[0]);
  } else {
    const { options, config } = await resolveRankOptions(opts);
    // MAP depends on depth: rank deep, whatever --top says for shortlists.
    const depth = parseCount(String(opts.depth ?? '1000'), '--depth', 1);
    const { needs, solutions } = await loadInputs(files[0], files[1], opts, config);
    // Ranked as `match rank` ranks, per-need requirement columns (min_trl…) included.
    const results = await rankUnderConstraints(parseConstraintFlags({}), needs, solutions, { ...options, top: Math.max(depth, k), topTerms: 0 }, opts);
    run = new Map(results.map((r) => [r.needId, r.matches.map((m) => m.solutionId)]));
  }
  const labels = await readLabels(files[files.length - 1]);
  const evaluation = evaluateRun(run, labels, k);
  const byNeed = Boolean(opts.byNeed);
  const output = typeof opts.output === 'string' ? opts.output : undefined;
  const extension = output ? /\.(json|csv)$/i.exec(output)?.[1]?.toLowerCase() : undefined;
  const format = (opts.format as string | undefined) ?? extension ?? (!output && process.stdout.isTTY ? 'table' : 'csv');
  const header = ['need_id', ...metricColumns(k)];
  const rows = evaluationRows(evaluation, byNeed);
  let text: string;
  if (format === 'json') text = evaluationJson(evaluation, byNeed);
  else if (format === 'csv') text = stringify(rows, { header: true, columns: header });
  else {
    const table = new Table({ head: header, style: { head: [], border: [] } });
    for (const row of rows) table.push(row.map((v) => (typeof v === 'number' ? v.toFixed(4) : v)));
    text = `${table.toString()}\n${evaluation.judgedNeeds} judged needs, ${evaluation.missingNeeds} with no ranked solution (counted as 0)\n`;
  }
  if (!opts.quiet && format !== 'table') process.stderr.write(`${evaluation.judgedNeeds} judged needs, ${evaluation.missingNeeds} with no ranked solution (counted as 0)\n`);
  if (output) await writeOutputFile(output, text);
  else await writeStdout(text);
}
