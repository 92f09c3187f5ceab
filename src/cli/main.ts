import { Command, CommanderError, Option } from 'commander';
import { EXIT, MatchError } from '../errors.js';
import { VERSION } from '../version.js';

/**
 * Registers commands and their options only; each command's code is imported
 * when it runs, so `match --help` stays fast.
 */

/** Options every command that reads the two datasets shares (csvkit-style vocabulary). */
export function addInputOptions(cmd: Command): Command {
  return cmd
    .option('--needs-format <format>', 'format of the needs file: csv, json or jsonl (default: from the extension, else the content)')
    .option('--solutions-format <format>', 'format of the solutions file: csv, json or jsonl')
    .option('--sheet <name>', 'Excel .xlsx inputs: the sheet to read (default: the first); workbooks are recognised by content')
    .option('--needs-sheet <name>', 'the sheet of the needs workbook only')
    .option('--solutions-sheet <name>', 'the sheet of the solutions workbook only')
    .option('-d, --delimiter <char>', "CSV delimiter for both files: ',' ';' tab '|' (default: sniffed from each header)")
    .option('--needs-delimiter <char>', 'CSV delimiter of the needs file only')
    .option('--solutions-delimiter <char>', 'CSV delimiter of the solutions file only')
    .option('-e, --encoding <name>', 'text encoding of both files: utf-8, utf-16le, utf-16be, windows-1252 (default: BOM, else UTF-8 if valid, else windows-1252)')
    .option('--needs-encoding <name>', 'text encoding of the needs file only')
    .option('--solutions-encoding <name>', 'text encoding of the solutions file only')
    .option('--need-id <column>', 'needs: id column')
    .option('--need-title <column>', 'needs: title column')
    .option('--need-text <columns>', 'needs: text column(s), comma-separated, joined in order')
    .option('--need-tags <column>', 'needs: tags column')
    .option('--need-sector <column>', 'needs: sector / ATECO column')
    .option('--need-name <column>', 'needs: display name column (default: the title)')
    .option('--solution-id <column>', 'solutions: id column')
    .option('--solution-name <column>', 'solutions: name column')
    .option('--solution-title <column>', 'solutions: title column')
    .option('--solution-text <columns>', 'solutions: text column(s), comma-separated')
    .option('--solution-tags <column>', 'solutions: tags column')
    .option('--solution-sector <column>', 'solutions: sector / ATECO column')
    .addOption(new Option('--lang <lang>', 'language for stop words and stemming: en, it, or auto (per record; the default)').choices(['en', 'it', 'auto']))
    .option('-q, --quiet', 'print no column mapping or warnings on stderr');
}

/** Options that shape the score (rank, and later evaluate/tune/assign). */
export function addScoringOptions(cmd: Command): Command {
  return cmd
    .option('-c, --config <file>', 'JSON settings file (weights, model, columns; see README); flags override it')
    .option('-w, --weights <spec>', 'blend weights, e.g. text=0.6,tags=0.25,sector=0.15 (the defaults; listed signals change, 0 turns one off)')
    .addOption(new Option('--model <name>', 'text model (default bm25; tfidf is plain cosine; bm25plus, dph, pl2, inl2 for comparison)').choices(['bm25', 'tfidf', 'bm25plus', 'dph', 'pl2', 'inl2']))
    .option('--k1 <number>', 'BM25 term-frequency saturation (default 1.2)')
    .option('--b <number>', 'BM25 length normalisation, 0..1 (default 0.5)')
    .option('--title-weight <number>', 'weight of title words against description words (default 2)')
    .option('--feedback-docs <n>', 'pseudo-relevance feedback: solutions of a first pass to learn related words from (default 10; 0 turns feedback off)')
    .option('--feedback-terms <n>', 'pseudo-relevance feedback: related words added to the need (default 10)')
    .option('--feedback-weight <x>', "pseudo-relevance feedback: weight kept by the need's own words, 0..1 (default 0.8)")
    .option('--glossary <file>', 'extra Italian/English concepts (CSV concept,domain,it,en) added to, or overriding, the built-in glossary')
    .option('--no-glossary', 'turn the bilingual concept layer off (words only)')
    .option('--concept-weight <number>', 'weight of a shared concept against a shared word (default 1)');
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** Filters, requirements, pairs, diversity and capacity: shared by rank and assign (see README, "Rules"). */
export function addConstraintOptions(cmd: Command): Command {
  return cmd
    .option('--where <expr>', 'keep solutions passing this filter, e.g. "trl>=5", "region in Lombardia,Piemonte", "sector~C13"; repeat to combine (AND)', collect)
    .addOption(new Option('--stage <mode>', "a need's minimum stage (min_trl, min_stage): filter out solutions below it, blend it as a signal (adds stage_score), or ignore it (default: filter)").choices(['signal', 'filter', 'off']))
    .option('--no-requirements', 'ignore the per-need requirement columns (min_trl, regions, min_X, max_X)')
    .option('--pairs <file>', "CSV of need_id,solution_id,action with action exclude or pin (adds a 'pinned' column)")
    .option('--capacity <n>', 'a solution goes to at most n needs; the places it loses go to the next best, maximising the total score')
    .option('--diversity <x>', 're-rank each shortlist so near-duplicate solutions do not crowd it, 0..1 (0 = off)')
    .option('--candidates <m>', 'best candidates per need that --capacity, --diversity and assign choose from (default 50)');
}

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('match')
    .description('Rank startups against innovation needs: BM25 text similarity (Italian and English, with a bilingual glossary) blended with tag and sector overlap.')
    .version(VERSION, '-V, --version', 'print the version')
    .option('--debug', 'show stack traces of internal errors')
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText('after', `
Examples:
  match rank needs.csv startups.csv                      shortlist per need, as a table on a terminal
  match rank needs.csv startups.csv -o shortlist.csv     the same as CSV, written atomically
  match rank needs.csv startups.csv --top 5 --format json
  match assign needs.csv startups.csv --top 3            pitch day: each startup to at most its capacity
  match rank needs.csv startups.csv -o shortlists.xlsx   an Excel workbook (also -o report.html)
  match diff last.csv tonight.csv                        what changed since the last run (exit 1 if anything)

Exit codes: 0 ok, 1 found (diff/lint), 2 usage, 3 input data, 4 output, 5 internal, 130 interrupted (143 on SIGTERM).`);

  const rank = program
    .command('rank')
    .description('score every need–solution pair and write a ranked shortlist per need')
    .argument('<needs>', 'needs file (CSV, JSON, JSON Lines, Excel .xlsx; .gz ok; - for stdin)')
    .argument('<solutions>', 'solutions file (CSV, JSON, JSON Lines, Excel .xlsx; .gz ok; - for stdin)');
  addInputOptions(rank);
  addScoringOptions(rank);
  addConstraintOptions(rank);
  rank
    .option('-n, --top <n>', 'solutions per need (default 10)')
    .option('--min-score <x>', 'keep pairs scoring at least x, 0..1 (default: any score above 0)')
    .addOption(new Option('-f, --format <format>', 'output format (default: table on a terminal, csv when piped, else from -o\'s extension); xlsx and html need -o').choices(['table', 'csv', 'json', 'jsonl', 'xlsx', 'html']))
    .option('-o, --output <file>', 'write to this file (atomically) instead of stdout')
    .option('--columns <list>', 'CSV/JSONL columns to write, in this order (default: all)')
    .option('--excel', "CSV that Italian Excel opens on a double click: ';' between cells, decimal comma, UTF-8 BOM")
    .option('--keep <columns>', 'solution columns to carry to the output, e.g. website,region (appended to every row)')
    .option('--keep-need <columns>', 'need columns to carry to the output, written as need_<column>')
    .option('--previous <run>', "a previous rank output (csv, json, jsonl, xlsx): adds a 'change' column, new/up/down/same")
    .option('--manifest [file]', 'also write a JSON manifest: version, inputs with SHA-256, settings, counts, time (default: OUTPUT.manifest.json)')
    .option('--explain', "add an 'explanation' column in plain language, and per need the important words no shortlisted solution covers ('gaps' in json, a line in table)")
    .option('--no-escape-formulas', "do not prefix cells starting with = + - @ with ' in CSV")
    .option('--no-color', 'no colour in table output (also NO_COLOR=1)')
    .addHelpText('after', `
Columns are found by name (English or Italian, any case or accents): id/codice, title/titolo,
description/descrizione/abstract/payoff..., tags/keywords/parole chiave, sector/settore/ATECO.
Override with --need-text descrizione,note or --solution-name "Ragione sociale".

Output columns (csv, jsonl): need_id, need_title, rank, solution_id, solution_name, score,
text_score, tag_score, sector_score, shared_tags, top_terms; then, when asked for, the
--keep-need columns (need_<name>), the --keep columns and change (--previous).

Examples:
  match rank needs.csv startups.csv
  match rank bandi.csv startup.csv --delimiter ';' --weights text=0.8,sector=0
  match rank needs.json startups.jsonl.gz --top 5 --min-score 0.2 -o shortlist.csv
  cat needs.csv | match rank - startups.csv --format jsonl

Deliverables:
  match rank needs.xlsx startups.xlsx --solutions-sheet Startup -o shortlists.xlsx --keep website,region
  match rank needs.csv startups.csv -o report.html --keep website
  match rank needs.csv startups.csv --excel -o shortlist.csv          opens in Italian Excel as is
  match rank needs.csv startups.csv -o tonight.csv --previous last.csv --manifest`)
    .action(async (needs: string, solutions: string, opts: Record<string, unknown>) => {
      const { runRank } = await import('./commands/rank.js');
      await runRank(needs, solutions, opts);
    });

  const assign = program
    .command('assign')
    .description('allocate startups to needs across the whole set: each need gets --top, each startup at most --capacity, the total score as high as possible')
    .argument('<needs>', 'needs file (CSV, JSON, JSON Lines, Excel .xlsx; .gz ok; - for stdin)')
    .argument('<solutions>', 'solutions file (CSV, JSON, JSON Lines, Excel .xlsx; .gz ok; - for stdin)');
  addInputOptions(assign);
  addScoringOptions(assign);
  addConstraintOptions(assign);
  assign
    .option('-n, --top <n>', 'startups per need, overriding a demand column (default: the demand column, else 3)')
    .option('--min-score <x>', 'assign only pairs scoring at least x, 0..1 (default: any score above 0)')
    .option('--alternates <n>', 'also list the n next-best startups not assigned to each need, with why (status alternate)')
    .option('--partial', 'when the places cannot cover the demand, assign what fits instead of stopping')
    .addOption(new Option('-f, --format <format>', 'output format (default: table on a terminal, csv when piped, else from -o\'s extension); xlsx and html need -o').choices(['table', 'csv', 'json', 'jsonl', 'xlsx', 'html']))
    .option('-o, --output <file>', 'write to this file (atomically) instead of stdout')
    .option('--columns <list>', 'CSV/JSONL columns to write, in this order (default: all)')
    .option('--excel', "CSV that Italian Excel opens on a double click: ';' between cells, decimal comma, UTF-8 BOM")
    .option('--keep <columns>', 'solution columns to carry to the output, e.g. website,region')
    .option('--keep-need <columns>', 'need columns to carry to the output, written as need_<column>')
    .option('--no-escape-formulas', "do not prefix cells starting with = + - @ with ' in CSV")
    .option('--no-color', 'no colour in table output (also NO_COLOR=1)')
    .addHelpText('after', `
Capacity: --capacity C for every startup, else a capacity column (capacity, capacità, slots, posti),
else 1. Demand: --top K for every need, else a demand column (demand, domanda, slots, posti), else 3.
The allocation is exact (min-cost flow over each need's best --candidates): first as many pairs as
possible, then the highest total score; ties go to each need's own order (score, then id).

Output columns: rank's, then status (assigned, alternate), choice (the startup's place in the
need's own ranking), note (why: its best match, or which better-ranked startups were full).
A summary goes to stderr: places assigned, total and mean score, and each need left short and why.

Examples:
  match assign needs.csv startups.csv --top 3                          pitch day: capacity column, 3 per firm
  match assign needs.csv startups.csv --top 3 --capacity 2 --alternates 2 -o pitch-day.csv
  match assign needs.csv startups.csv --pairs pairs.csv --where "trl>=5"`)
    .action(async (needs: string, solutions: string, opts: Record<string, unknown>) => {
      const { runAssign } = await import('./commands/assign.js');
      await runAssign(needs, solutions, opts);
    });

  program
    .command('diff')
    .description('what changed between two rank outputs: pairs new, dropped or moved in rank; exit 1 when something changed')
    .argument('<old>', 'the earlier rank output (csv, json, jsonl or xlsx written by match rank)')
    .argument('<new>', 'the later rank output')
    .option('--scores', 'also list pairs whose score changed at the same rank')
    .addOption(new Option('-f, --format <format>', 'table, csv or json (default: table on a terminal, csv when piped, else from -o\'s extension)').choices(['table', 'csv', 'json']))
    .option('-o, --output <file>', 'write to this file (atomically) instead of stdout')
    .option('--no-escape-formulas', "do not prefix cells starting with = + - @ with ' in CSV")
    .option('--no-color', 'no colour in table output (also NO_COLOR=1)')
    .option('-q, --quiet', 'no summary line on stderr')
    .addHelpText('after', `
Output columns (csv): need_id, need_title, change (new, dropped, up, down, score), solution_id,
solution_name, old_rank, new_rank, old_score, new_score. json: {summary, changes}.

Exit status: 0 nothing changed, 1 something changed (score-only changes count only with --scores),
2 usage, 3 a file is missing or not a match output.

Examples:
  match diff last.csv tonight.csv
  match diff last.xlsx tonight.xlsx --scores --format json -o changes.json
  match diff last.csv tonight.csv -o changes.csv; [ $? -eq 1 ] && send-update changes.csv`)
    .action(async (oldRun: string, newRun: string, opts: Record<string, unknown>) => {
      const { runDiff } = await import('./commands/diff.js');
      await runDiff(oldRun, newRun, opts);
    });

  const evaluate = program
    .command('evaluate')
    .description('measure a ranking against labelled pairs: nDCG@k, MAP, MRR, P@k, R@k')
    .argument('<files...>', 'RUN LABELS (a rank output and labels), or NEEDS SOLUTIONS LABELS (rank, then score)')
    .option('-k, --k <n>', 'cut-off for nDCG, precision and recall (default 10)')
    .option('--depth <n>', 'with NEEDS SOLUTIONS: how deep to rank (default 1000; MAP depends on it)')
    .option('--by-need', 'also print the figures of each need')
    .addOption(new Option('-f, --format <format>', 'table, csv or json (default: table on a terminal, csv when piped)').choices(['table', 'csv', 'json']))
    .option('-o, --output <file>', 'write to this file instead of stdout');
  addInputOptions(evaluate);
  addScoringOptions(evaluate);
  evaluate
    .addHelpText('after', `
LABELS is CSV/TSV/JSON with a need id (need_id, query_id), a solution id (solution_id, doc_id) and a
grade (relevance, grade: 0 not relevant, 1, 2, 3 ...). Needs with labels but no ranked solution
count as zero. nDCG uses gains 2^grade - 1 and a log2 discount; MAP is over all labelled needs.

Examples:
  match rank needs.csv startups.csv -o run.csv && match evaluate run.csv labels.csv
  match evaluate fixtures/needs.csv fixtures/startups.csv fixtures/labels.csv --by-need`)
    .action(async (files: string[], opts: Record<string, unknown>) => {
      const { runEvaluate } = await import('./commands/evaluate.js');
      await runEvaluate(files, opts);
    });

  const explain = program
    .command('explain')
    .description("show why a need and a solution scored what they did: signals, words, tags, sectors")
    .argument('<need-id>', 'id of the need')
    .argument('<solution-id>', 'id of the solution')
    .argument('<needs>', 'needs file')
    .argument('<solutions>', 'solutions file')
    .addOption(new Option('-f, --format <format>', 'text or json').choices(['text', 'json']).default('text'));
  addInputOptions(explain);
  addScoringOptions(explain);
  explain
    .addHelpText('after', `
Example:
  match explain N04 S011 fixtures/needs.csv fixtures/startups.csv`)
    .action(async (needId: string, solutionId: string, needs: string, solutions: string, opts: Record<string, unknown>) => {
      const { runExplain } = await import('./commands/explain.js');
      await runExplain(needId, solutionId, needs, solutions, opts);
    });

  const tuneCmd = program
    .command('tune')
    .description('search the blend weights and text-model settings that rank your labelled pairs best (cross-validated)')
    .argument('<needs>', 'needs file')
    .argument('<solutions>', 'solutions file')
    .argument('<labels>', 'labels: need id, solution id, grade (as for evaluate)')
    .option('-k, --k <n>', 'optimise nDCG at this cut-off (default 10)')
    .option('--folds <n>', 'cross-validation folds over needs (default 5)')
    .option('--write-config <file>', 'write the best setting as a config file for match rank --config');
  addInputOptions(tuneCmd);
  addScoringOptions(tuneCmd);
  tuneCmd
    .addHelpText('after', `
Tries the weights on a 0.05 grid (signals weighted 0 stay off) with title weights 1-3 and
length normalisation 0.5-0.9, picks the best on k-1 folds of needs and scores it on the
held-out fold, so the gain it prints is one you can expect on new needs.

Example:
  match tune fixtures/needs.csv fixtures/startups.csv fixtures/labels.csv --write-config tuned.json
  match rank fixtures/needs.csv fixtures/startups.csv --config tuned.json`)
    .action(async (needs: string, solutions: string, labels: string, opts: Record<string, unknown>) => {
      const { runTune } = await import('./commands/tune.js');
      await runTune(needs, solutions, labels, opts);
    });

  const lint = program
    .command('lint')
    .alias('inspect')
    .description('check the two datasets before scoring: columns, encoding, empty or duplicate records, rare tags, languages')
    .argument('<needs>', 'needs file (CSV, JSON, JSON Lines, Excel; .gz ok; - for stdin)')
    .argument('<solutions>', 'solutions file (CSV, JSON, JSON Lines, Excel; .gz ok; - for stdin)');
  addInputOptions(lint);
  lint
    .addOption(new Option('-f, --format <format>', 'report as readable text or JSON').choices(['text', 'json']).default('text'))
    .option('--strict', 'exit 1 when there are warnings (for pipelines to gate on)')
    .addHelpText('after', `
Reports, per file: records, columns found, format, delimiter and encoding, language mix, tags and
sectors; then warnings (records with no words, tags but no words, an empty or very short
description, the same text under two ids, near-duplicates sharing 90% of their word stems) and
notes (tags or sector labels seen once across both files, need tags no solution has, needs and
solutions in different languages).

Exit status: 0 checked (warnings allowed), 1 warnings with --strict, 2 usage,
3 a file cannot be loaded (the report still covers the other one).

Examples:
  match lint needs.csv startups.csv
  match lint needs.csv startups.jsonl.gz --format json
  match lint needs.csv startups.csv --strict -q && match rank needs.csv startups.csv -o shortlist.csv`)
    .action(async (needs: string, solutions: string, opts: Record<string, unknown>) => {
      const { runLint } = await import('./commands/lint.js');
      await runLint(needs, solutions, opts);
    });

  return program;
}

/** Runs the CLI; returns the exit code. Errors meant for the user become one line on stderr. */
export async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  const debug = argv.includes('--debug');
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and version exit 0; every other commander error is a usage error (it exits 1 by default).
      return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (err instanceof MatchError) {
      process.stderr.write(`match: ${err.message}\n`);
      return err.exitCode;
    }
    process.stderr.write(`match: internal error: ${(err as Error)?.message ?? String(err)}; please report it with the command you ran${debug ? '' : ' (add --debug for details)'}\n`);
    if (debug && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
    return EXIT.internal;
  }
}
