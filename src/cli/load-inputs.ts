import { usageError } from '../errors.js';
import { loadDataset, type Dataset } from '../io/load-dataset.js';
import { describeMapping, type ColumnOverrides, type Role } from '../io/columns.js';
import { describeDelimiter } from '../io/dialect.js';
import { parseDelimiter, parseEncodingOption, parseInputFormat, parseList } from './parse-options.js';

type Opts = Record<string, unknown>;
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

function overrides(opts: Opts, prefix: 'need' | 'solution'): ColumnOverrides {
  const out: ColumnOverrides = {};
  const roles: Role[] = ['id', 'name', 'title', 'text', 'tags', 'sector'];
  for (const role of roles) {
    const key = `${prefix}${role[0].toUpperCase()}${role.slice(1)}`;
    const value = str(opts[key]);
    if (value !== undefined) out[role] = role === 'text' ? parseList(value) : [value];
  }
  return out;
}

/** Loads needs and solutions as the shared input flags say, and reports the mapping on stderr. */
export async function loadInputs(needsPath: string, solutionsPath: string, opts: Opts): Promise<{ needs: Dataset; solutions: Dataset }> {
  if (needsPath === '-' && solutionsPath === '-') throw usageError('only one of the two files can be read from stdin (-)');
  const delimiter = parseDelimiter(str(opts.delimiter));
  const encoding = parseEncodingOption(str(opts.encoding));
  const [needs, solutions] = await Promise.all([
    loadDataset(needsPath, {
      role: 'needs',
      format: parseInputFormat(str(opts.needsFormat), '--needs-format'),
      delimiter: parseDelimiter(str(opts.needsDelimiter), '--needs-delimiter') ?? delimiter,
      encoding: parseEncodingOption(str(opts.needsEncoding), '--needs-encoding') ?? encoding,
      columns: overrides(opts, 'need'),
    }),
    loadDataset(solutionsPath, {
      role: 'solutions',
      format: parseInputFormat(str(opts.solutionsFormat), '--solutions-format'),
      delimiter: parseDelimiter(str(opts.solutionsDelimiter), '--solutions-delimiter') ?? delimiter,
      encoding: parseEncodingOption(str(opts.solutionsEncoding), '--solutions-encoding') ?? encoding,
      columns: overrides(opts, 'solution'),
    }),
  ]);
  if (!opts.quiet) {
    for (const d of [needs, solutions]) {
      const dialect = d.format === 'csv' ? `csv ${describeDelimiter(d.delimiter ?? ',')}, ${d.encoding}` : `${d.format}, ${d.encoding}`;
      process.stderr.write(`${d.file}: ${d.records.length} records (${dialect}); columns ${describeMapping(d.mapping)}\n`);
      for (const w of d.warnings) process.stderr.write(`warning: ${w}\n`);
    }
  }
  return { needs, solutions };
}
