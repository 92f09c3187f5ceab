#!/usr/bin/env node
/**
 * Ranking quality on public IR test collections, text signal only.
 *
 *   npm run build && npm run eval:ir -- [--only scifact,npl] [--model bm25 --k1 1.2 --b 0.75 ...]
 *
 * Any text-model setting (see DEFAULT_TEXT_MODEL in src/index/text-model.ts)
 * can be overridden with a flag: `--title-weight 2` sets `titleWeight`. The
 * collections are read from ../shared/data relative to the project root and
 * never copied into the project. Each collection is loaded with the project's
 * own loader and ranked with the library (weights text=1, tags and sector off,
 * top 1000), so the figures are those the tool itself would reach.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_RANK_OPTIONS, DEFAULT_TEXT_MODEL, createScratch, loadDataset, prepareSolutions, rankNeed } from '../dist/index.js';
import { evaluateRun, parseQrels } from '../dist/eval/metrics.js';
import { TEXT_MODELS } from '../dist/index/text-model.js';
import { loadConcepts } from '../dist/io/read-glossary.js';

const FEEDBACK_METHODS = ['rm3', 'bo1'];

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DATA = resolve(ROOT, '..', 'shared', 'data');

/** Collections, with the published or known figures they are compared against. */
const COLLECTIONS = [
  { name: 'scifact', reference: 'BM25 nDCG@10 0.665 (BEIR) / 0.679 (Anserini flat)' },
  { name: 'npl', reference: 'Terrier TF_IDF MAP 0.2909' },
  { name: 'cranfield', reference: 'plain BM25 ≈ MAP 0.29, nDCG@10 0.37' },
  { name: 'med', reference: 'plain BM25 ≈ MAP 0.52, nDCG@10 0.67' },
];

const DEPTH = 1000;
const CUTOFF = 10;

function usage(message) {
  if (message) console.error(`eval-ir: ${message}`);
  const keys = Object.entries(DEFAULT_TEXT_MODEL).map(([k, v]) => `--${kebab(k)} ${typeof v === 'number' ? 'N' : 'NAME'}`).join(' ');
  console.error(`usage: node scripts/eval-ir.js [--no-glossary] [--concept-weight N] [--only ${COLLECTIONS.map((c) => c.name).join(',')}] [--lang auto|en|it] [${keys}]`);
  process.exit(2);
}

const kebab = (s) => s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
const camel = (s) => s.replace(/-([a-z0-9])/g, (_, c) => c.toUpperCase());

/** Flags → { only, lang, textModel }: every key of DEFAULT_TEXT_MODEL is a flag; numbers stay numbers. */
function parseArgs(argv) {
  const textModel = { ...DEFAULT_TEXT_MODEL };
  let only = COLLECTIONS.map((c) => c.name);
  let lang = DEFAULT_RANK_OPTIONS.lang;
  let glossary = true;
  let conceptWeight = DEFAULT_RANK_OPTIONS.conceptWeight;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') usage();
    // As in `match rank`: the built-in glossary is on unless --no-glossary.
    if (arg === '--no-glossary') { glossary = false; continue; }
    if (!arg.startsWith('--')) usage(`unexpected argument '${arg}'`);
    let [flag, value] = arg.slice(2).split('=', 2);
    if (value === undefined) {
      value = argv[++i];
      if (value === undefined) usage(`--${flag} needs a value`);
    }
    if (flag === 'only') {
      only = value.split(',').map((s) => s.trim()).filter(Boolean);
      const unknown = only.filter((n) => !COLLECTIONS.some((c) => c.name === n));
      if (unknown.length) usage(`unknown collection ${unknown.join(', ')}`);
      continue;
    }
    if (flag === 'lang') { lang = value; continue; }
    if (flag === 'concept-weight') { conceptWeight = Number(value); continue; }
    const key = camel(flag);
    if (!(key in DEFAULT_TEXT_MODEL)) usage(`unknown flag --${flag}`);
    if (typeof DEFAULT_TEXT_MODEL[key] === 'number') {
      const n = Number(value);
      if (!Number.isFinite(n)) usage(`--${flag} needs a number, got '${value}'`);
      textModel[key] = n;
    } else {
      const allowed = key === 'model' ? TEXT_MODELS : key === 'feedbackMethod' ? FEEDBACK_METHODS : undefined;
      if (allowed && !allowed.includes(value)) usage(`--${flag} must be one of ${allowed.join(', ')}, got '${value}'`);
      textModel[key] = value;
    }
  }
  return { only, lang, textModel, glossary, conceptWeight };
}

/** The solutions file of a collection: plain or gzipped. */
function solutionsFile(dir) {
  for (const name of ['solutions.csv', 'solutions.csv.gz']) if (existsSync(join(dir, name))) return join(dir, name);
  return undefined;
}

async function evaluateCollection(name, options) {
  const dir = join(DATA, name);
  const solutionsPath = solutionsFile(dir);
  const needsPath = join(dir, 'needs.csv');
  const qrelsPath = join(dir, 'qrels.tsv');
  if (!solutionsPath || !existsSync(needsPath) || !existsSync(qrelsPath)) return { skipped: `${dir} lacks needs.csv, solutions.csv[.gz] or qrels.tsv` };

  // Loading and parsing are not timed: the seconds are the ranking work (index build + all needs).
  const needs = (await loadDataset(needsPath, { role: 'needs' })).records;
  const solutions = (await loadDataset(solutionsPath, { role: 'solutions' })).records;
  const qrels = parseQrels(readFileSync(qrelsPath, 'utf8'));

  const start = process.hrtime.bigint();
  const corpus = prepareSolutions(solutions, options);
  const indexed = process.hrtime.bigint();
  const scratch = createScratch(corpus);
  const run = new Map();
  for (const need of needs) run.set(need.id, rankNeed(corpus, need, options, scratch).matches.map((m) => m.solutionId));
  const end = process.hrtime.bigint();

  const result = evaluateRun(run, qrels, CUTOFF);
  return {
    needs: needs.length,
    solutions: solutions.length,
    judged: result.judgedNeeds,
    ndcg: result.mean.ndcg,
    map: result.mean.ap,
    mrr: result.mean.rr,
    indexSeconds: Number(indexed - start) / 1e9,
    seconds: Number(end - start) / 1e9,
  };
}

async function main() {
  const { only, lang, textModel, glossary, conceptWeight } = parseArgs(process.argv.slice(2));
  const options = {
    ...DEFAULT_RANK_OPTIONS,
    concepts: await loadConcepts({ useDefault: glossary }),
    conceptWeight,
    top: DEPTH,
    minScore: 0,
    weights: { text: 1, tags: 0, sector: 0 },
    lang,
    textModel,
    topTerms: 0, // explanations are not measured, and cost time per pair
  };
  if (!existsSync(DATA)) {
    console.error(`eval-ir: no data folder at ${DATA}; skipping every collection (see ../shared/data/README.md).`);
    return;
  }
  const { model, ...rest } = textModel;
  const settings = [`model=${model}`, ...Object.entries(rest).map(([k, v]) => `${kebab(k)}=${v}`)].join(' ');
  console.log(`Text model: ${settings}; lang=${lang}; glossary ${glossary ? `on (concept weight ${conceptWeight})` : 'off'}; depth ${DEPTH}; weights text=1 tags=0 sector=0\n`);
  // seconds: building the index (analysis included) plus ranking every need; reading and parsing the files is not counted.
  console.log(`| collection | needs (judged) | solutions | nDCG@${CUTOFF} | MAP | MRR | reference | seconds (of which index) |`);
  console.log('|---|---|---|---|---|---|---|---|');
  for (const { name, reference } of COLLECTIONS.filter((c) => only.includes(c.name))) {
    const r = await evaluateCollection(name, options);
    if (r.skipped) {
      console.error(`eval-ir: skipping ${name}: ${r.skipped}`);
      continue;
    }
    console.log(`| ${name} | ${r.needs} (${r.judged}) | ${r.solutions} | ${r.ndcg.toFixed(4)} | ${r.map.toFixed(4)} | ${r.mrr.toFixed(4)} | ${reference} | ${r.seconds.toFixed(2)} (${r.indexSeconds.toFixed(2)}) |`);
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.stack ?? err.message : err);
  process.exit(1);
});
