import { usageError } from '../../errors.js';
import { writeOutputFile, writeStdout } from '../../io/write-output.js';
import { planShortlists } from '../../assign/plan.js';
import { annotate, summarize } from '../../assign/notes.js';
import { infeasibility } from '../../assign/feasibility.js';
import { CAPACITY_COLUMNS, DEMAND_COLUMNS, findQuotaColumn, quotasFrom } from '../../assign/quotas.js';
import { formatAssignSummary } from '../../render/assign-summary.js';
import { loadInputs } from '../load-inputs.js';
import { resolveRankOptions } from '../scoring-settings.js';
import { parseCount } from '../parse-options.js';
import { applyConstraints, cellLocator, constraintColumns, parseConstraintFlags } from '../constraint-settings.js';
import { carryThrough, checkDeliverableFlags, prepareCarried, renderDeliverable, summarizeRun } from '../rank-deliverables.js';
import { chooseColumns, chooseOutputFormat, outputColumns, renderResults } from './rank.js';

type Opts = Record<string, unknown>;

/** Places per need when neither --top nor a demand column says: a pitch day's usual handful of meetings. */
export const DEFAULT_ASSIGN_TOP = 3;
/** Needs per startup when neither --capacity nor a capacity column says. */
export const DEFAULT_ASSIGN_CAPACITY = 1;

/** Columns assign adds after rank's: why each pair is listed. */
export function assignColumns(opts: Opts): string[] {
  return [...constraintColumns(opts), 'status', 'choice', 'note'];
}

export async function runAssign(needsPath: string, solutionsPath: string, opts: Opts): Promise<void> {
  const { options: resolved, config } = await resolveRankOptions(opts);
  const options = { ...resolved, explain: false };
  const flags = parseConstraintFlags(opts);
  const alternates = typeof opts.alternates === 'string' ? parseCount(opts.alternates, '--alternates', 0) : 0;
  const output = typeof opts.output === 'string' ? opts.output : undefined;
  const format = chooseOutputFormat(opts.format as string | undefined, output, Boolean(process.stdout.isTTY) && !opts.excel);
  const optional = assignColumns(opts);
  const taken = chooseColumns(undefined, optional);
  chooseColumns(typeof opts.columns === 'string' ? opts.columns : undefined, optional); // fail on bad flags before any work
  checkDeliverableFlags(opts, format, output);
  const { needs, solutions } = await loadInputs(needsPath, solutionsPath, opts, config);
  const carried = await prepareCarried(opts, needs, solutions, taken);
  const { options: constrained, compiled } = await applyConstraints(flags, needs, solutions, options, opts);

  // Places: a flag for everyone, else a column per record, else the default.
  const locate = cellLocator(needs, solutions);
  const topFlag = typeof opts.top === 'string';
  const demandColumn = topFlag ? undefined : findQuotaColumn(needs.columns, DEMAND_COLUMNS);
  const defaultTop = topFlag ? options.top : config.top ?? DEFAULT_ASSIGN_TOP;
  const demands = quotasFrom(needs.records, demandColumn, defaultTop, locate);
  const capacityColumn = flags.capacity !== undefined ? undefined : findQuotaColumn(solutions.columns, CAPACITY_COLUMNS);
  const capacities = quotasFrom(solutions.records, capacityColumn, flags.capacity ?? DEFAULT_ASSIGN_CAPACITY, locate);

  let offered = 0;
  capacities.forEach((c, d) => (offered += compiled.passes[d] ? c : 0));
  const wanted = demands.reduce((a, b) => a + b, 0);
  const problem = infeasibility({
    needs: needs.records.length,
    wanted,
    uniformDemand: demandColumn ? null : defaultTop,
    solutions: compiled.passing,
    offered,
    uniformCapacity: capacityColumn ? null : flags.capacity ?? DEFAULT_ASSIGN_CAPACITY,
  });
  if (problem && !opts.partial) throw usageError(problem);
  if (problem && !opts.quiet) process.stderr.write(`warning: ${problem.replace(/: [^:]*$/, '')}; assigning what fits (--partial)\n`);

  const demandOf = new Map(needs.records.map((r, i) => [r, demands[i]] as const));
  const capacityOf = (doc: number) => capacities[doc];
  const plan = planShortlists(needs.records, solutions.records, constrained, {
    demandOf: (need) => demandOf.get(need)!,
    capacityOf,
    candidates: flags.candidates,
    diversity: flags.diversity,
    alternates,
  });
  const annotated = annotate(plan, capacityOf);
  if (!opts.quiet) {
    const lines = formatAssignSummary(summarize(plan, annotated, flags.candidates), {
      solutions: solutions.records.length,
      demand: demandColumn ? `from the ${demandColumn} column (${defaultTop} where empty)` : `${defaultTop} per need`,
      capacity: capacityColumn ? `from the ${capacityColumn} column (${DEFAULT_ASSIGN_CAPACITY} where empty)` : `${flags.capacity ?? DEFAULT_ASSIGN_CAPACITY} per startup`,
      candidates: flags.candidates,
    });
    for (const [doc, pins] of plan.overPinned) lines.push(`warning: ${solutions.records[doc].id} is pinned to ${pins} needs, above its capacity ${capacities[doc]}; every pin is kept`);
    process.stderr.write(`${lines.join('\n')}\n`);
  }

  const results = carryThrough(annotated, needs, solutions, carried);
  let data: string | Buffer;
  if (format === 'xlsx' || format === 'html') {
    const columns = outputColumns(results, opts, optional);
    const summary = summarizeRun(results, needs, solutions, carried, { ...constrained, constrain: undefined }, opts, format);
    data = await renderDeliverable(results, format, columns, summary, constrained.weights, opts, needs, solutions);
  } else {
    data = await renderResults(results, format, opts, !output, optional);
  }
  if (output) await writeOutputFile(output, data);
  else await writeStdout(data as string);
}
