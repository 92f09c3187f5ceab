import { EXIT, inputError, usageError } from '../../errors.js';
import { readRun } from '../../io/read-run.js';
import { writeOutputFile, writeStdout } from '../../io/write-output.js';
import { diffRuns, findDuplicatePair, summarizeChanges } from '../../diff/diff-runs.js';
import { DIFF_COLUMNS, describeSummary, diffRows, renderDiffJson, renderDiffTable } from '../../render/diff.js';
import { renderCsv } from '../../render/csv.js';
import { colorLevel } from '../../render/color.js';

type Opts = Record<string, unknown>;
type DiffFormat = 'table' | 'csv' | 'json';

function chooseDiffFormat(format: string | undefined, output: string | undefined): DiffFormat {
  if (format) return format as DiffFormat;
  if (output) {
    const ext = /\.([a-z]+)$/i.exec(output)?.[1]?.toLowerCase();
    if (ext === 'csv' || ext === 'json') return ext;
    if (ext === 'txt') return 'table';
    throw usageError(`-o ${output}: cannot tell the format from the extension; add --format table|csv|json`);
  }
  return process.stdout.isTTY ? 'table' : 'csv';
}

async function readOneRun(path: string) {
  const rows = await readRun(path);
  const duplicate = findDuplicatePair(rows);
  if (duplicate) throw inputError(path === '-' ? '<stdin>' : path, undefined, `the pair ${duplicate.needId}–${duplicate.solutionId} appears twice; this is not one match rank output`);
  return rows;
}

/** `match diff OLD NEW`: what changed between two rank outputs; exit 1 when something did. */
export async function runDiff(oldPath: string, newPath: string, opts: Opts): Promise<void> {
  if (oldPath === '-' && newPath === '-') throw usageError('only one of the two runs can be read from stdin (-)');
  const output = typeof opts.output === 'string' ? opts.output : undefined;
  const format = chooseDiffFormat(opts.format as string | undefined, output);
  const [before, after] = await Promise.all([readOneRun(oldPath), readOneRun(newPath)]);
  const changes = diffRuns(before, after, { scores: Boolean(opts.scores) });
  const summary = summarizeChanges(changes, before, after);
  let text: string;
  if (format === 'json') text = renderDiffJson(changes, summary);
  else if (format === 'csv') text = renderCsv(diffRows(changes), DIFF_COLUMNS, { escapeFormulas: opts.escapeFormulas !== false });
  else text = renderDiffTable(changes, summary, output ? 0 : colorLevel(Boolean(process.stdout.isTTY), process.env, opts.color as boolean | undefined));
  if (output) await writeOutputFile(output, text);
  else await writeStdout(text);
  if (!opts.quiet && format !== 'table') process.stderr.write(`${describeSummary(summary)}\n`);
  process.exitCode = changes.length > 0 ? EXIT.found : EXIT.ok;
}
