import { usageError } from '../../errors.js';
import { OUTPUT_COLUMNS, extraColumnNames, flattenResults } from '../../render/rows.js';
import { writeOutputFile, writeStdout } from '../../io/write-output.js';
import type { NeedResult } from '../../model.js';
import { loadInputs } from '../load-inputs.js';
import { EarlyAnalysis } from '../../index/early-analysis.js';
import { analysisThreads } from '../../index/build-text-index.js';
import { recordFields, solutionAnalysis } from '../../rank/corpus.js';
import { createProgress } from '../progress.js';
import { resolveRankOptions } from '../scoring-settings.js';
import { parseList } from '../parse-options.js';
import { constraintColumns, parseConstraintFlags, rankUnderConstraints, type ConstraintFlags } from '../constraint-settings.js';
import { carryThrough, checkDeliverableFlags, excelCsvOptions, prepareCarried, renderDeliverable, summarizeRun, writeManifest, type Carried } from '../rank-deliverables.js';

type Opts = Record<string, unknown>;
/** Formats that can go to stdout; xlsx and html only go to a file (-o). */
export type TextFormat = 'table' | 'csv' | 'json' | 'jsonl';
export type OutputFormat = TextFormat | 'xlsx' | 'html';

/** --format, else -o's extension, else table on a terminal and CSV when piped. */
export function chooseOutputFormat(format: string | undefined, output: string | undefined, isTTY: boolean): OutputFormat {
  if (format) return format as OutputFormat;
  if (output) {
    const ext = /\.([a-z]+)$/i.exec(output)?.[1]?.toLowerCase();
    if (ext === 'csv' || ext === 'json' || ext === 'jsonl' || ext === 'xlsx' || ext === 'html') return ext;
    if (ext === 'ndjson') return 'jsonl';
    if (ext === 'htm') return 'html';
    if (ext === 'txt') return 'table';
    throw usageError(`-o ${output}: cannot tell the format from the extension; add --format csv|json|jsonl|table|xlsx|html`);
  }
  return isTTY ? 'table' : 'csv';
}

/** Columns that options add at the end of every row, only when used. */
export function optionalColumns(opts: Opts): string[] {
  return [...(opts.explain ? ['explanation'] : []), ...constraintColumns(opts)];
}

export function chooseColumns(spec: string | undefined, extra: readonly string[] = []): string[] {
  const available = [...OUTPUT_COLUMNS, ...extra];
  const columns = parseList(spec) ?? available;
  const unknown = columns.filter((c) => !available.includes(c));
  if (unknown.length) throw usageError(`--columns: unknown column '${unknown[0]}'; the columns are ${available.join(', ')}`);
  return columns;
}

/** The chosen columns, then those options carried through (--keep-need, --keep, --previous) at the end. */
export function outputColumns(results: readonly NeedResult[], opts: Opts, optional: readonly string[] = optionalColumns(opts)): string[] {
  const columns = chooseColumns(typeof opts.columns === 'string' ? opts.columns : undefined, optional);
  return [...columns, ...extraColumnNames(results).filter((c) => !columns.includes(c))];
}

/** Only the renderer of the chosen format is loaded: the table's (cli-table3, chalk) costs start-up time a CSV run has no use for. */
export async function renderResults(results: readonly NeedResult[], format: TextFormat, opts: Opts, toTerminal: boolean, optional: readonly string[] = optionalColumns(opts)): Promise<string> {
  const columns = outputColumns(results, opts, optional);
  switch (format) {
    case 'csv': {
      const { renderCsv } = await import('../../render/csv.js');
      return renderCsv(flattenResults(results), columns, { escapeFormulas: opts.escapeFormulas !== false, ...excelCsvOptions(opts) });
    }
    case 'jsonl': {
      const { renderJsonLines } = await import('../../render/json.js');
      return renderJsonLines(flattenResults(results), columns);
    }
    case 'json': {
      const { renderJson } = await import('../../render/json.js');
      return renderJson(results, columns);
    }
    case 'table': {
      const [{ renderTable }, { colorLevel }] = await Promise.all([import('../../render/table.js'), import('../../render/color.js')]);
      const color = toTerminal ? colorLevel(Boolean(process.stdout.isTTY), process.env, opts.color as boolean | undefined) : 0;
      const width = toTerminal ? process.stdout.columns || Number(process.env.COLUMNS) || 100 : 120;
      return renderTable(results, { width, color });
    }
  }
}

/**
 * A CSV or JSON Lines run's text a need at a time, when each need's rows are
 * known as soon as it is ranked: nothing carried from other files or runs
 * (those add columns), no capacity or diversity (those decide across needs).
 * Null when the output must wait for every need.
 */
async function rowsByNeed(format: OutputFormat, opts: Opts, carried: Carried, constraints: ConstraintFlags): Promise<{ header: string; rows: (result: NeedResult) => string } | null> {
  if (format !== 'csv' && format !== 'jsonl') return null;
  if (carried.keepNeed.length > 0 || carried.keepSolution.length > 0 || carried.previous) return null;
  if (constraints.capacity !== undefined || constraints.diversity !== 0) return null;
  const columns = outputColumns([], opts);
  if (format === 'jsonl') {
    const { renderJsonLines } = await import('../../render/json.js');
    return { header: '', rows: (result) => renderJsonLines(flattenResults([result]), columns) };
  }
  const { renderCsvHeader, renderCsvRows } = await import('../../render/csv.js');
  const options = { escapeFormulas: opts.escapeFormulas !== false, ...excelCsvOptions(opts) };
  return { header: renderCsvHeader(columns, options), rows: (result) => renderCsvRows(flattenResults([result]), columns, options) };
}

export async function runRank(needsPath: string, solutionsPath: string, opts: Opts): Promise<void> {
  const startedAt = new Date();
  const resolved = await resolveRankOptions(opts);
  const config = resolved.config;
  const options = { ...resolved.options, explain: Boolean(opts.explain) };
  const output = typeof opts.output === 'string' ? opts.output : undefined;
  // --excel means CSV even on a terminal.
  const format = chooseOutputFormat(opts.format as string | undefined, output, Boolean(process.stdout.isTTY) && !opts.excel);
  const taken = chooseColumns(undefined, optionalColumns(opts));
  chooseColumns(typeof opts.columns === 'string' ? opts.columns : undefined, optionalColumns(opts)); // fail on bad flags before any work
  const { manifest } = checkDeliverableFlags(opts, format, output);
  const constraints = parseConstraintFlags(opts);
  // A large solutions file is analysed on a worker as it is read (see EarlyAnalysis); stopped if left unused.
  const early = new EarlyAnalysis(solutionAnalysis(options), analysisThreads());
  try {
    const { needs, solutions } = await loadInputs(needsPath, solutionsPath, opts, config, (record, index) => early.add(record, recordFields(record), index));
    const carried = await prepareCarried(opts, needs, solutions, taken);
    // Indexing a large file takes seconds before the first need is ranked: it gets a line of its own.
    const indexing = createProgress('indexing', { quiet: Boolean(opts.quiet) });
    const ranking = createProgress('ranking', { quiet: Boolean(opts.quiet) });
    // Rows are rendered as needs finish, while the other threads rank. A pipe gets them at once (a script
    // reading stdout starts sooner); an -o file is still written whole at the end, atomically, as is a
    // terminal, where the progress line would break into the rows.
    const byNeed = await rowsByNeed(format, opts, carried, constraints);
    const piped = !output && !process.stdout.isTTY;
    const parts: string[] = [];
    const emit = (text: string) => {
      if (!text) return;
      if (piped) process.stdout.write(text);
      else parts.push(text);
    };
    if (byNeed) emit(byNeed.header);
    const ranked = await rankUnderConstraints(constraints, needs, solutions, options, opts, {
      indexing: indexing.update,
      progress: (done, total) => {
        indexing.stop();
        ranking.update(done, total);
      },
      onResult: byNeed ? (_, result) => emit(byNeed.rows(result)) : undefined,
      early,
    });
    indexing.stop();
    ranking.stop();
    const results = carryThrough(ranked, needs, solutions, carried);
    const columns = outputColumns(results, opts);
    const summary = summarizeRun(results, needs, solutions, carried, options, opts, format);
    const data = byNeed
      ? parts.join('')
      : format === 'xlsx' || format === 'html'
        ? await renderDeliverable(results, format, columns, summary, options.weights, opts, needs, solutions)
        : await renderResults(results, format, opts, !output);
    if (output) await writeOutputFile(output, data);
    else if (!(byNeed && piped)) await writeStdout(data as string);
    if (manifest) await writeManifest(manifest, summary, needs, solutions, carried, { file: output, format, columns }, startedAt);
  } finally {
    early.stop();
  }
}
