import { rank } from '../../rank/rank.js';
import { usageError } from '../../errors.js';
import { OUTPUT_COLUMNS, flattenResults } from '../../render/rows.js';
import { renderCsv } from '../../render/csv.js';
import { renderJson, renderJsonLines } from '../../render/json.js';
import { renderTable } from '../../render/table.js';
import { colorLevel } from '../../render/color.js';
import { writeOutputFile, writeStdout } from '../../io/write-output.js';
import type { NeedResult } from '../../model.js';
import { loadInputs } from '../load-inputs.js';
import { rankOptionsFrom } from '../scoring-settings.js';
import { parseList } from '../parse-options.js';

type Opts = Record<string, unknown>;
export type OutputFormat = 'table' | 'csv' | 'json' | 'jsonl';

/** --format, else -o's extension, else table on a terminal and CSV when piped. */
export function chooseOutputFormat(format: string | undefined, output: string | undefined, isTTY: boolean): OutputFormat {
  if (format) return format as OutputFormat;
  if (output) {
    const ext = /\.([a-z]+)$/i.exec(output)?.[1]?.toLowerCase();
    if (ext === 'csv' || ext === 'json' || ext === 'jsonl') return ext;
    if (ext === 'ndjson') return 'jsonl';
    if (ext === 'txt') return 'table';
    throw usageError(`-o ${output}: cannot tell the format from the extension; add --format csv|json|jsonl|table`);
  }
  return isTTY ? 'table' : 'csv';
}

export function chooseColumns(spec: string | undefined): string[] {
  const columns = parseList(spec) ?? [...OUTPUT_COLUMNS];
  const unknown = columns.filter((c) => !(OUTPUT_COLUMNS as readonly string[]).includes(c));
  if (unknown.length) throw usageError(`--columns: unknown column '${unknown[0]}'; the columns are ${OUTPUT_COLUMNS.join(', ')}`);
  return columns;
}

export function renderResults(results: readonly NeedResult[], format: OutputFormat, opts: Opts, toTerminal: boolean): string {
  const columns = chooseColumns(typeof opts.columns === 'string' ? opts.columns : undefined);
  switch (format) {
    case 'csv':
      return renderCsv(flattenResults(results), columns, { escapeFormulas: opts.escapeFormulas !== false });
    case 'jsonl':
      return renderJsonLines(flattenResults(results), columns);
    case 'json':
      return renderJson(results, columns);
    case 'table': {
      const color = toTerminal ? colorLevel(Boolean(process.stdout.isTTY), process.env, opts.color as boolean | undefined) : 0;
      const width = toTerminal ? process.stdout.columns || Number(process.env.COLUMNS) || 100 : 120;
      return renderTable(results, { width, color });
    }
  }
}

export async function runRank(needsPath: string, solutionsPath: string, opts: Opts): Promise<void> {
  const options = rankOptionsFrom(opts);
  const output = typeof opts.output === 'string' ? opts.output : undefined;
  const format = chooseOutputFormat(opts.format as string | undefined, output, Boolean(process.stdout.isTTY));
  chooseColumns(typeof opts.columns === 'string' ? opts.columns : undefined); // fail on bad flags before any work
  const { needs, solutions } = await loadInputs(needsPath, solutionsPath, opts);
  const results = rank(needs.records, solutions.records, options);
  const text = renderResults(results, format, opts, !output);
  if (output) await writeOutputFile(output, text);
  else await writeStdout(text);
}
