import { usageError } from '../errors.js';
import type { MatchConfig } from '../config.js';
import { loadDataset, type Dataset, type LoadOptions } from '../io/load-dataset.js';
import { describeMapping, type ColumnOverrides, type Role } from '../io/columns.js';
import { describeDelimiter } from '../io/dialect.js';
import { parseDelimiter, parseEncodingOption, parseInputFormat, parseList } from './parse-options.js';

type Opts = Record<string, unknown>;
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

function overrides(opts: Opts, prefix: 'need' | 'solution', base: ColumnOverrides = {}): ColumnOverrides {
  const out: ColumnOverrides = { ...base };
  const roles: Role[] = ['id', 'name', 'title', 'text', 'tags', 'sector'];
  for (const role of roles) {
    const key = `${prefix}${role[0].toUpperCase()}${role.slice(1)}`;
    const value = str(opts[key]);
    if (value !== undefined) out[role] = role === 'text' ? parseList(value) : [value];
  }
  return out;
}

/** The Excel sheet for one file: its own flag, else --sheet (files that are not workbooks ignore it). */
function sheetOption(opts: Opts, key: string, flag: string): { sheet?: string; sheetFlag?: string } {
  const own = str(opts[key]);
  if (own !== undefined) return { sheet: own, sheetFlag: flag };
  const shared = str(opts.sheet);
  return shared !== undefined ? { sheet: shared, sheetFlag: '--sheet' } : {};
}

/** Load options for one of the two files, from the shared input flags (`--needs-*` beat the flags for both). */
export function loadOptionsFor(opts: Opts, role: 'needs' | 'solutions', config: MatchConfig = {}): LoadOptions {
  const one = role === 'needs' ? 'need' : 'solution';
  return {
    role,
    format: parseInputFormat(str(opts[`${role}Format`]), `--${role}-format`),
    delimiter: parseDelimiter(str(opts[`${role}Delimiter`]), `--${role}-delimiter`) ?? parseDelimiter(str(opts.delimiter)),
    encoding: parseEncodingOption(str(opts[`${role}Encoding`]), `--${role}-encoding`) ?? parseEncodingOption(str(opts.encoding)),
    columns: overrides(opts, one, config[role]),
    ...sheetOption(opts, `${role}Sheet`, `--${role}-sheet`),
  };
}

/**
 * Loads needs and solutions as the shared input flags say, and reports the
 * mapping on stderr. `onSolution`: told of each solution as its file is read
 * (see LoadOptions.onRecord).
 */
export async function loadInputs(needsPath: string, solutionsPath: string, opts: Opts, config: MatchConfig = {}, onSolution?: LoadOptions['onRecord']): Promise<{ needs: Dataset; solutions: Dataset }> {
  if (needsPath === '-' && solutionsPath === '-') throw usageError('only one of the two files can be read from stdin (-)');
  const needsOptions = loadOptionsFor(opts, 'needs', config);
  const solutionsOptions = { ...loadOptionsFor(opts, 'solutions', config), onRecord: onSolution };
  const [needs, solutions] = await Promise.all([loadDataset(needsPath, needsOptions), loadDataset(solutionsPath, solutionsOptions)]);
  if (!opts.quiet) {
    for (const d of [needs, solutions]) {
      const dialect = d.format === 'csv' ? `csv ${describeDelimiter(d.delimiter ?? ',')}, ${d.encoding}` : d.format === 'xlsx' ? `xlsx, sheet '${d.sheet}'` : `${d.format}, ${d.encoding}`;
      process.stderr.write(`${d.file}: ${d.records.length} records (${dialect}); columns ${describeMapping(d.mapping)}\n`);
      for (const w of d.warnings) process.stderr.write(`warning: ${w}\n`);
    }
  }
  return { needs, solutions };
}
