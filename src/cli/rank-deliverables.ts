import { usageError } from '../errors.js';
import type { NeedResult, Weights } from '../model.js';
import type { Dataset } from '../io/load-dataset.js';
import type { RunRow } from '../io/read-run.js';
import { writeOutputFile } from '../io/write-output.js';
import { findDuplicatePair, markChanges } from '../diff/diff-runs.js';
import { attachKeptFields, resolveKeptColumns, type KeptColumn } from '../render/kept-fields.js';
import { countResults, flattenSettings, summaryEntries, type RunInput, type RunSummary } from '../render/run-summary.js';
import type { ManifestInput } from '../render/manifest.js';
import { flattenResults } from '../render/rows.js';
import { VERSION } from '../version.js';
import { parseList } from './parse-options.js';

/**
 * The rank options that make a shortlist a deliverable: --keep/--keep-need,
 * --previous, --excel, --format xlsx|html and --manifest. The rank command
 * calls these around ranking; the work itself is in src/render and src/diff.
 */

type Opts = Record<string, unknown>;
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** The column --previous adds. */
export const CHANGE_COLUMN = 'change';

/** Flag combinations that cannot work, refused before any file is read. Returns the manifest path, if any. */
export function checkDeliverableFlags(opts: Opts, format: string, output: string | undefined): { manifest?: string } {
  if ((format === 'xlsx' || format === 'html') && !output) {
    throw usageError(`--format ${format} writes a file, not to the terminal; add -o ${format === 'xlsx' ? 'shortlists.xlsx' : 'report.html'}`);
  }
  if (opts.excel && format !== 'csv') {
    throw usageError(`--excel shapes CSV for Excel, but the format is ${format}; drop --excel, or use --format csv (for a workbook, --format xlsx)`);
  }
  if (opts.manifest === undefined || opts.manifest === false) return {};
  const manifest = opts.manifest === true ? (output ? `${output}.manifest.json` : undefined) : str(opts.manifest);
  if (!manifest) throw usageError('--manifest: name the file (--manifest run.json), or write the output with -o so it goes beside it');
  if (manifest === output) throw usageError('--manifest: the manifest cannot overwrite the output; choose another name');
  return { manifest };
}

/** The --excel CSV dialect: what Italian Excel opens correctly on a double click. */
export function excelCsvOptions(opts: Opts): { delimiter?: string; decimalComma?: boolean; bom?: boolean } {
  return opts.excel ? { delimiter: ';', decimalComma: true, bom: true } : {};
}

export interface Carried {
  keepNeed: KeptColumn[];
  keepSolution: KeptColumn[];
  previous?: { file: string; rows: RunRow[] };
}

/**
 * Resolves --keep and --keep-need against the files' columns and reads
 * --previous: after loading, before ranking, so mistakes cost no ranking time.
 * `taken` are the output's other column names.
 */
export async function prepareCarried(opts: Opts, needs: Dataset, solutions: Dataset, taken: readonly string[]): Promise<Carried> {
  const previousPath = str(opts.previous);
  const reserved = previousPath ? [...taken, CHANGE_COLUMN] : [...taken];
  const keepNeed = resolveKeptColumns(parseList(str(opts.keepNeed)) ?? [], needs.columns, '--keep-need', needs.file, 'need', reserved);
  const keepSolution = resolveKeptColumns(parseList(str(opts.keep)) ?? [], solutions.columns, '--keep', solutions.file, 'solution', [...reserved, ...keepNeed.map((k) => k.output)]);
  if (!previousPath) return { keepNeed, keepSolution };
  const { readRun } = await import('../io/read-run.js');
  const rows = await readRun(previousPath);
  const duplicate = findDuplicatePair(rows);
  if (duplicate) throw usageError(`--previous ${previousPath}: the pair ${duplicate.needId}–${duplicate.solutionId} appears twice; give one match rank output`);
  return { keepNeed, keepSolution, previous: { file: previousPath, rows } };
}

/** Results with the kept fields and, with --previous, the change column. */
export function carryThrough(results: readonly NeedResult[], needs: Dataset, solutions: Dataset, carried: Carried): NeedResult[] {
  const kept = attachKeptFields(results, needs.records, solutions.records, carried.keepNeed, carried.keepSolution);
  return carried.previous ? markChanges(kept, carried.previous.rows, CHANGE_COLUMN) : kept;
}

function runInputs(needs: Dataset, solutions: Dataset, carried: Carried): RunInput[] {
  const inputs: RunInput[] = [needs, solutions].map((d, i) => ({ role: i === 0 ? 'needs' : 'solutions', file: d.file, format: d.format, rows: d.records.length, ...(d.sheet ? { sheet: d.sheet } : {}) }));
  if (carried.previous) inputs.push({ role: 'previous', file: carried.previous.file, format: 'rank output', rows: carried.previous.rows.length });
  return inputs;
}

/** The run as the Settings sheet, the report and the manifest describe it. */
export function summarizeRun(results: readonly NeedResult[], needs: Dataset, solutions: Dataset, carried: Carried, rankOptions: object, opts: Opts, format: string): RunSummary {
  const output = {
    format,
    columns: parseList(str(opts.columns)),
    escapeFormulas: opts.escapeFormulas !== false,
    excel: Boolean(opts.excel),
    keep: carried.keepSolution.map((k) => k.source),
    keepNeed: carried.keepNeed.map((k) => k.source),
    previous: carried.previous?.file,
  };
  return {
    version: VERSION,
    inputs: runInputs(needs, solutions, carried),
    settings: flattenSettings({ ...rankOptions, output }),
    counts: countResults(results, solutions.records.length),
  };
}

/** The bytes of a workbook or a report: the formats that only go to a file. */
export async function renderDeliverable(results: readonly NeedResult[], format: 'xlsx' | 'html', columns: readonly string[], summary: RunSummary, weights: Weights, opts: Opts, needs: Dataset, solutions: Dataset): Promise<Buffer | string> {
  if (format === 'xlsx') {
    const { buildWorkbook, renderXlsx } = await import('../render/xlsx.js');
    return renderXlsx(buildWorkbook(flattenResults(results), columns, summaryEntries(summary), { escapeFormulas: opts.escapeFormulas !== false }));
  }
  const { renderHtml } = await import('../render/html.js');
  const byId = (d: Dataset) => new Map(d.records.map((r) => [r.id, r]));
  return renderHtml(results, { summary, weights, needs: byId(needs), solutions: byId(solutions) });
}

/** Writes the manifest beside the output: inputs with their SHA-256, settings, counts, times. */
export async function writeManifest(path: string, summary: RunSummary, needs: Dataset, solutions: Dataset, carried: Carried, output: { file?: string; format: string; columns: readonly string[] }, startedAt: Date): Promise<void> {
  // Loaded here, as the workbook and report renderers are: a run without --manifest needs neither.
  const [{ fileDigest }, { renderManifest }] = await Promise.all([import('../io/file-digest.js'), import('../render/manifest.js')]);
  const digest = async (file: string, role: string) => (role === 'previous' ? file === '-' : file === '<stdin>') ? { sha256: null, bytes: null } : fileDigest(file);
  const inputs: ManifestInput[] = [];
  for (const [role, d] of [['needs', needs], ['solutions', solutions]] as const) {
    inputs.push({ role, file: d.file, ...(await digest(d.file, role)), rows: d.records.length, format: d.format, encoding: d.format === 'xlsx' ? undefined : d.encoding, delimiter: d.delimiter, sheet: d.sheet, columns: { ...d.mapping } as Record<string, string | string[]> });
  }
  if (carried.previous) inputs.push({ role: 'previous', file: carried.previous.file, ...(await digest(carried.previous.file, 'previous')), rows: carried.previous.rows.length, format: 'rank output' });
  const text = renderManifest(summary, inputs, {
    file: output.file ?? null,
    format: output.format,
    columns: [...output.columns],
    needs: summary.counts.needs,
    rows: summary.counts.pairs,
    needsWithoutMatch: summary.counts.needsWithoutMatch,
  }, { startedAt, finishedAt: new Date() }, process.argv.slice(2));
  await writeOutputFile(path, text);
}
