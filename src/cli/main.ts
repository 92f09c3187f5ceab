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
    .addOption(new Option('--lang <lang>', 'language for stop words and stemming: en, it, or auto (per record)').choices(['en', 'it', 'auto']).default('auto'))
    .option('-q, --quiet', 'print no column mapping or warnings on stderr');
}

/** Options that shape the score (rank, and later evaluate/tune/assign). */
export function addScoringOptions(cmd: Command): Command {
  return cmd
    .option('-w, --weights <spec>', 'blend weights, e.g. text=0.6,tags=0.25,sector=0.15 (the defaults; listed signals change, 0 turns one off)')
    .addOption(new Option('--model <name>', 'text model: tfidf (cosine) or bm25').choices(['tfidf', 'bm25']))
    .option('--k1 <number>', 'BM25 term-frequency saturation (default 1.2)')
    .option('--b <number>', 'BM25 length normalisation, 0..1 (default 0.75)')
    .option('--title-weight <number>', 'weight of title words against description words (default 1)');
}

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('match')
    .description('Rank startups against innovation needs: TF-IDF text similarity blended with tag and sector overlap.')
    .version(VERSION, '-V, --version', 'print the version')
    .option('--debug', 'show stack traces of internal errors')
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText('after', `
Examples:
  match rank needs.csv startups.csv                      shortlist per need, as a table on a terminal
  match rank needs.csv startups.csv -o shortlist.csv     the same as CSV, written atomically
  match rank needs.csv startups.csv --top 5 --format json

Exit codes: 0 ok, 1 found (diff/lint), 2 usage, 3 input data, 4 output, 5 internal, 130 interrupted.`);

  const rank = program
    .command('rank')
    .description('score every need–solution pair and write a ranked shortlist per need')
    .argument('<needs>', 'needs file (CSV, JSON, JSON Lines; .gz ok; - for stdin)')
    .argument('<solutions>', 'solutions file (CSV, JSON, JSON Lines; .gz ok; - for stdin)');
  addInputOptions(rank);
  addScoringOptions(rank);
  rank
    .option('-n, --top <n>', 'solutions per need', '10')
    .option('--min-score <x>', 'keep pairs scoring at least x, 0..1 (default: any score above 0)')
    .addOption(new Option('-f, --format <format>', 'output format (default: table on a terminal, csv when piped, else from -o\'s extension)').choices(['table', 'csv', 'json', 'jsonl']))
    .option('-o, --output <file>', 'write to this file (atomically) instead of stdout')
    .option('--columns <list>', 'CSV/JSONL columns to write, in this order (default: all)')
    .option('--no-escape-formulas', "do not prefix cells starting with = + - @ with ' in CSV")
    .option('--no-color', 'no colour in table output (also NO_COLOR=1)')
    .addHelpText('after', `
Columns are found by name (English or Italian, any case or accents): id/codice, title/titolo,
description/descrizione/abstract/payoff..., tags/keywords/parole chiave, sector/settore/ATECO.
Override with --need-text descrizione,note or --solution-name "Ragione sociale".

Output columns (csv, jsonl): need_id, need_title, rank, solution_id, solution_name, score,
text_score, tag_score, sector_score, shared_tags, top_terms.

Examples:
  match rank needs.csv startups.csv
  match rank bandi.csv startup.csv --delimiter ';' --weights text=0.8,sector=0
  match rank needs.json startups.jsonl.gz --top 5 --min-score 0.2 -o shortlist.csv
  cat needs.csv | match rank - startups.csv --format jsonl`)
    .action(async (needs: string, solutions: string, opts: Record<string, unknown>) => {
      const { runRank } = await import('./commands/rank.js');
      await runRank(needs, solutions, opts);
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
