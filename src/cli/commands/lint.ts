import { EXIT, MatchError, usageError } from '../../errors.js';
import { loadDataset } from '../../io/load-dataset.js';
import { writeStdout } from '../../io/write-output.js';
import { DEFAULT_LINT_SETTINGS, lintDatasets, lintExitCode, type DatasetFacts, type Finding } from '../../lint/checks.js';
import { renderLintJson, renderLintText } from '../../render/lint-report.js';
import type { LanguageOption } from '../../text/language.js';
import { loadOptionsFor } from '../load-inputs.js';

type Opts = Record<string, unknown>;

/** A file that does not load is an error finding, not the end of the run: the other file is still checked. */
async function loadForLint(path: string, role: 'needs' | 'solutions', opts: Opts): Promise<DatasetFacts | Finding> {
  const options = loadOptionsFor(opts, role);
  try {
    const d = await loadDataset(path, options);
    return { file: d.file, role, format: d.format, encoding: d.encoding, delimiter: d.delimiter, sheet: d.sheet, columns: d.columns, mapping: d.mapping, records: d.records };
  } catch (err) {
    if (err instanceof MatchError && err.exitCode === EXIT.input) {
      return { severity: 'error', check: 'load', file: path === '-' ? '<stdin>' : path, count: 1, message: err.message, examples: [] };
    }
    throw err; // usage errors (a column flag naming no column) and bugs end the run as usual
  }
}

export async function runLint(needsPath: string, solutionsPath: string, opts: Opts): Promise<void> {
  if (needsPath === '-' && solutionsPath === '-') throw usageError('only one of the two files can be read from stdin (-)');
  const format = opts.format === 'json' ? 'json' : 'text';
  const loaded = await Promise.all([loadForLint(needsPath, 'needs', opts), loadForLint(solutionsPath, 'solutions', opts)]);
  const errors = loaded.filter((x): x is Finding => 'severity' in x);
  const datasets = loaded.filter((x): x is DatasetFacts => !('severity' in x));
  const result = lintDatasets(datasets, { ...DEFAULT_LINT_SETTINGS, lang: (opts.lang as LanguageOption | undefined) ?? 'auto' });
  result.findings.unshift(...errors);
  // The error lines also go to stderr, as every command reports input errors.
  for (const e of errors) process.stderr.write(`match: ${e.message}\n`);
  await writeStdout(format === 'json' ? renderLintJson(result) : renderLintText(result));
  process.exitCode = lintExitCode(result.findings, Boolean(opts.strict));
}
