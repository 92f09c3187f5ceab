#!/usr/bin/env node
/**
 * Speed and memory of `match rank` at scale (npm run bench; build first).
 *
 *   node scripts/bench.js [--runs 10] [--full-runs 1] [--only startup,floor,full,phases,natural,scaling] [--factors 1,2,4,8]
 *
 * - start-up: `match --help` and `match rank` on the fixtures against a bare
 *   `node -e 0`, median of --runs runs each;
 * - floor: reading, decompressing, parsing and tokenising both SBIR files,
 *   nothing else (what any ranking of them must at least spend);
 * - full: 6,924 SBIR topics against 84,902 SBIR awards, top 10 per need, CSV
 *   out, through the CLI as a user runs it, once with one thread
 *   (MATCH_THREADS=1) and once with the default; wall time, peak RSS, needs/s,
 *   and postings/s, where postings are what exhaustive scoring would read
 *   (Σ over needs of the document frequencies of their terms); all outputs
 *   must be byte-identical; --full-runs N: each N times, taking turns, best kept;
 * - phases: the full workload in-process, timed by phase (loading, building
 *   the index, ranking on the default threads), to show where the time goes;
 * - natural: natural's TfIdf class on a slice, extrapolated to the workload;
 * - scaling: the 413-topic sample against the awards replicated 1x, 2x, 4x,
 *   8x in memory (new ids), one child process per size: index and ranking
 *   time, time per posting, peak RSS.
 *
 * The data is read from ../shared/data/sbir and never copied into the project;
 * without it, only the start-up figures are printed.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DATA = resolve(ROOT, '..', 'shared', 'data', 'sbir');
const BIN = join(ROOT, 'bin', 'match.cjs');
const SELF = fileURLToPath(import.meta.url);
const TOPICS = join(DATA, 'topics.csv.gz');
const AWARDS = join(DATA, 'awards.csv.gz');
const SAMPLE = join(DATA, 'topics_sample.csv');

const flag = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
};
const secs = (ms) => `${(ms / 1000).toFixed(2)} s`;
const mb = (kb) => `${Math.round(kb / 1024)} MB`;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const rate = (n, ms) => (n / (ms / 1000)).toLocaleString('en-US', { maximumFractionDigits: 0 });

// A child reports its peak RSS (resourceUsage: KB) and its own timings on stderr, after a marker.
const MARK = '@@bench ';

/** Runs `node args` and returns wall time, exit code, stdout, and what it reported after MARK. */
function run(args, { env = {}, stdout = 'ignore' } = {}) {
  return new Promise((done, fail) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', stdout === 'ignore' ? 'ignore' : 'pipe', 'pipe'] });
    let err = '';
    let out = '';
    child.stderr.on('data', (d) => (err += d));
    child.stdout?.on('data', (d) => (out += d));
    child.on('error', fail);
    child.on('close', (code) => {
      const wall = performance.now() - started;
      const line = err.split('\n').find((l) => l.startsWith(MARK));
      if (code !== 0) return fail(new Error(`node ${args.join(' ')} exited with ${code}:\n${err.slice(-2000)}`));
      done({ wall, out, report: line ? JSON.parse(line.slice(MARK.length)) : {} });
    });
  });
}

/**
 * Arguments that run the CLI with `args` and report its peak RSS at exit: a
 * wrapper module file rather than `node -e`, whose --input-type flag worker
 * threads would inherit and refuse.
 */
function cliWithRss(args, dir) {
  const wrapper = join(dir, 'run.mjs');
  writeFileSync(wrapper, `process.on('exit', () => process.stderr.write('\\n${MARK}' + JSON.stringify({ maxRss: process.resourceUsage().maxRSS }) + '\\n'));
process.argv = [process.argv[0], ${JSON.stringify(BIN)}, ...${JSON.stringify(args)}];
await import(${JSON.stringify(pathToFileURL(BIN).href)});
`);
  return [wrapper];
}

async function startup(runs) {
  console.log(`\n## Start-up (median of ${runs} runs; the difference to a bare node is what match adds)\n`);
  const cases = [
    ['node -e 0', ['-e', '0']],
    ['match --help', [BIN, '--help']],
    ['match rank fixtures/needs.csv fixtures/startups.csv', [BIN, 'rank', 'fixtures/needs.csv', 'fixtures/startups.csv', '--format', 'csv']],
  ];
  const times = new Map(cases.map(([name]) => [name, []]));
  // Interleaved, so a burst of load on the machine hits every case alike.
  for (let r = 0; r < runs; r++) {
    for (const [name, args] of cases) times.get(name).push((await run(args)).wall);
  }
  const base = median(times.get('node -e 0'));
  console.log('| command | median | min | over node -e 0 |');
  console.log('|---|---|---|---|');
  for (const [name] of cases) {
    const t = times.get(name);
    console.log(`| ${name} | ${median(t).toFixed(0)} ms | ${Math.min(...t).toFixed(0)} ms | ${name === 'node -e 0' ? '' : `+${(median(t) - base).toFixed(0)} ms`} |`);
  }
  // Node parses these certificates as every process starts (140 ms on the development machine): in every row alike.
  if (process.env.NODE_EXTRA_CA_CERTS) console.log('\nNODE_EXTRA_CA_CERTS is set: every row includes Node reading those certificates at start.');
}

/** Child: read, decompress, parse and tokenise both files; nothing else. */
async function floorChild() {
  const { loadDataset, tokenize } = await import('../dist/index.js');
  const started = performance.now();
  const [needs, solutions] = await Promise.all([loadDataset(TOPICS, { role: 'needs' }), loadDataset(AWARDS, { role: 'solutions' })]);
  const loaded = performance.now();
  let tokens = 0;
  for (const r of [...needs.records, ...solutions.records]) tokens += tokenize(r.title).length + tokenize(r.text).length;
  const done = performance.now();
  report({ load: loaded - started, tokenize: done - loaded, tokens, maxRss: process.resourceUsage().maxRSS });
}

function report(value) {
  process.stderr.write(`${MARK}${JSON.stringify(value)}\n`);
}

async function floor() {
  console.log('\n## Floor: read, decompress, parse and tokenise both files (one thread)\n');
  const { wall, report: r } = await run([SELF, '--child', 'floor']);
  console.log(`${secs(wall)} wall (load ${secs(r.load)}, tokenise ${secs(r.tokenize)}: ${r.tokens.toLocaleString('en-US')} tokens), peak RSS ${mb(r.maxRss)}`);
  return wall;
}

/** Child: what exhaustive scoring of the workload would read, Σ_need Σ_term df. */
async function postingsChild(needsFile, factor) {
  const { needs, corpus, needTermCounts, options } = await prepared(needsFile, factor);
  let postings = 0;
  const { termIds, df } = corpus.weighted.index;
  for (const need of needs) {
    for (const term of needTermCounts(need, options).counts.keys()) {
      const t = termIds.get(term);
      if (t !== undefined) postings += df[t];
    }
  }
  report({ postings, terms: corpus.weighted.index.terms.length, indexPostings: corpus.weighted.index.postingDoc.length });
}

/** Loads the needs and the awards (replicated `factor` times with new ids), and prepares the corpus as `match rank` does. */
async function prepared(needsFile, factor) {
  const lib = await import('../dist/index.js');
  const { needTermCounts } = await import('../dist/rank/corpus.js');
  const { loadConcepts } = await import('../dist/io/read-glossary.js');
  const [needs, awards, concepts] = await Promise.all([
    lib.loadDataset(needsFile, { role: 'needs' }),
    lib.loadDataset(AWARDS, { role: 'solutions' }),
    loadConcepts({ useDefault: true }),
  ]);
  const solutions = [];
  for (let k = 0; k < factor; k++) for (const r of awards.records) solutions.push(k === 0 ? r : { ...r, id: `${r.id}~${k}` });
  const options = { ...lib.DEFAULT_RANK_OPTIONS, concepts };
  const started = performance.now();
  const corpus = lib.prepareSolutions(solutions, options);
  return { lib, needs: needs.records, solutions, corpus, options, needTermCounts, prepareMs: performance.now() - started };
}

async function full() {
  console.log('\n## Full workload: 6,924 SBIR topics × 84,902 SBIR awards, top 10, CSV (through the CLI)\n');
  const counted = await run([SELF, '--child', 'postings', TOPICS, '1']);
  const { postings, terms, indexPostings } = counted.report;
  console.log(`index: ${terms.toLocaleString('en-US')} terms, ${indexPostings.toLocaleString('en-US')} postings; exhaustive scoring would read ${postings.toLocaleString('en-US')} postings (${Math.round(postings / 6924).toLocaleString('en-US')} per need)\n`);
  const dir = mkdtempSync(join(tmpdir(), 'match-bench-'));
  try {
    // On a shared machine one run can be much slower than the next: with --full-runs N, the
    // configurations take turns N times and the best wall time of each is kept.
    const runs = Math.max(1, Number(flag('full-runs', '1')));
    const configs = [['one thread', '1'], ['default threads', undefined]];
    const best = configs.map(() => ({ wall: Infinity, maxRss: 0, walls: [] }));
    const outputs = [];
    for (let i = 0; i < runs; i++) {
      for (const [c, [label, threads]] of configs.entries()) {
        const out = join(dir, `${label.replace(/\W+/g, '-')}-${i}.csv`);
        const { wall, report: r } = await run(cliWithRss(['rank', TOPICS, AWARDS, '--top', '10', '--format', 'csv', '-q', '-o', out], dir), { env: threads ? { MATCH_THREADS: threads } : {} });
        outputs.push(readFileSync(out));
        best[c].walls.push(wall);
        best[c].maxRss = Math.max(best[c].maxRss, r.maxRss);
        if (wall < best[c].wall) best[c].wall = wall;
      }
    }
    console.log(`| run | wall${runs > 1 ? ` (best of ${runs}; all runs)` : ''} | peak RSS | needs/s | postings/s |`);
    console.log('|---|---|---|---|---|');
    configs.forEach(([label], c) => {
      const { wall, maxRss, walls } = best[c];
      console.log(`| ${label} | ${secs(wall)}${runs > 1 ? ` (${walls.map((w) => (w / 1000).toFixed(1)).join(', ')})` : ''} | ${mb(maxRss)} | ${rate(6924, wall)} | ${rate(postings, wall)} |`);
    });
    const identical = outputs.every((o) => o.equals(outputs[0]));
    console.log(`\noutputs byte-identical: ${identical ? 'yes' : 'NO'} (${outputs.length} runs, ${outputs[0].length.toLocaleString('en-US')} bytes)`);
    return best[1].wall;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Child: the full workload in-process, by phase (what `match rank` does between reading the files and writing the rows). */
async function phasesChild() {
  const lib = await import('../dist/index.js');
  const { rankParallel, defaultThreads } = await import('../dist/parallel/rank-parallel.js');
  const { loadConcepts } = await import('../dist/io/read-glossary.js');
  const started = performance.now();
  const [needs, awards, concepts] = await Promise.all([lib.loadDataset(TOPICS, { role: 'needs' }), lib.loadDataset(AWARDS, { role: 'solutions' }), loadConcepts({ useDefault: true })]);
  const loaded = performance.now();
  let firstDone = 0;
  // rankParallel builds the index first; the first need done marks the end of that phase (to within one need).
  await rankParallel(needs.records, awards.records, { ...lib.DEFAULT_RANK_OPTIONS, concepts }, { progress: () => (firstDone ||= performance.now()) });
  const done = performance.now();
  report({ load: loaded - started, index: firstDone - loaded, rank: done - firstDone, threads: defaultThreads(), maxRss: process.resourceUsage().maxRSS });
}

async function phases() {
  console.log('\n## Where the time goes: the full workload in-process, by phase\n');
  const { wall, report: r } = await run([SELF, '--child', 'phases']);
  console.log(`${secs(wall)} wall: loading both files ${secs(r.load)}, building the index ${secs(r.index)}, ranking on ${r.threads} thread(s) ${secs(r.rank)} (${((r.rank / 6924)).toFixed(2)} ms per need); peak RSS ${mb(r.maxRss)}`);
}

/** Child: natural's TfIdf on `docs` awards and `needs` topics: time to add the documents and to score each need against all of them. */
async function naturalChild(docCount, needCount) {
  const { default: TfIdf } = await import('natural/lib/natural/tfidf/tfidf.js');
  const { loadDataset } = await import('../dist/index.js');
  const [topics, awards] = await Promise.all([loadDataset(SAMPLE, { role: 'needs' }), loadDataset(AWARDS, { role: 'solutions' })]);
  const tfidf = new TfIdf();
  const docs = awards.records.slice(0, docCount);
  let started = performance.now();
  for (const r of docs) tfidf.addDocument(`${r.title}\n${r.text}`, r.id);
  const add = performance.now() - started;
  started = performance.now();
  for (const need of topics.records.slice(0, needCount)) {
    const scores = [];
    tfidf.tfidfs(`${need.title}\n${need.text}`, (i, measure) => scores.push(measure));
    scores.sort((a, b) => b - a).slice(0, 10);
  }
  const score = performance.now() - started;
  report({ add, score });
}

async function naturalBaseline(ourWallMs) {
  const docs = Number(flag('natural-docs', 2000));
  const needs = Number(flag('natural-needs', 20));
  console.log(`\n## natural's TfIdf (natural/lib/natural/tfidf/tfidf.js) on ${docs} awards × ${needs} topics, extrapolated\n`);
  const { report: r } = await run([SELF, '--child', 'natural', String(docs), String(needs)]);
  const perDoc = r.add / docs;
  const perPair = r.score / (docs * needs);
  const estimate = perDoc * 84902 + perPair * 84902 * 6924;
  console.log(`adding documents: ${(perDoc * 1000).toFixed(1)} µs each; scoring: ${(perPair * 1e6).toFixed(0)} ns per need–document pair`);
  console.log(`extrapolated to 6,924 × 84,902: ${(estimate / 60000).toFixed(0)} min${ourWallMs ? ` (match: ${secs(ourWallMs)}, ${Math.round(estimate / ourWallMs)}× faster)` : ''}`);
}

/** Child: the sample against `factor` copies of the awards: index time, ranking time, postings. */
async function scalingChild(factor) {
  const { lib, needs, solutions, corpus, options, needTermCounts, prepareMs } = await prepared(SAMPLE, factor);
  const { termIds, df } = corpus.weighted.index;
  let postings = 0;
  for (const need of needs) {
    for (const term of needTermCounts(need, options).counts.keys()) {
      const t = termIds.get(term);
      if (t !== undefined) postings += df[t];
    }
  }
  const scratch = lib.createScratch(corpus);
  const started = performance.now();
  for (const need of needs) lib.rankNeed(corpus, need, options, scratch);
  const rankMs = performance.now() - started;
  report({ docs: solutions.length, prepareMs, rankMs, postings, maxRss: process.resourceUsage().maxRSS });
}

async function scaling() {
  const factors = flag('factors', '1,2,4,8').split(',').map(Number);
  console.log('\n## Scaling: 413 sample topics against the awards replicated in memory (one thread)\n');
  console.log('| awards | index | per award | rank 413 needs | postings (exhaustive) | ns per posting | peak RSS |');
  console.log('|---|---|---|---|---|---|---|');
  for (const f of factors) {
    const { report: r } = await run(['--max-old-space-size=8192', SELF, '--child', 'scaling', String(f)]);
    console.log(`| ${f}x ${r.docs.toLocaleString('en-US')} | ${secs(r.prepareMs)} | ${((r.prepareMs / r.docs) * 1000).toFixed(0)} µs | ${secs(r.rankMs)} | ${r.postings.toLocaleString('en-US')} | ${((r.rankMs * 1e6) / r.postings).toFixed(2)} | ${mb(r.maxRss)} |`);
  }
}

async function main() {
  const child = flag('child');
  if (child === 'floor') return floorChild();
  if (child === 'phases') return phasesChild();
  if (child === 'postings') return postingsChild(process.argv[process.argv.indexOf('--child') + 2], Number(process.argv[process.argv.indexOf('--child') + 3]));
  if (child === 'natural') return naturalChild(Number(process.argv[process.argv.indexOf('--child') + 2]), Number(process.argv[process.argv.indexOf('--child') + 3]));
  if (child === 'scaling') return scalingChild(Number(process.argv[process.argv.indexOf('--child') + 2]));

  if (!existsSync(join(ROOT, 'dist', 'cli', 'main.js'))) {
    console.error('bench: dist/ is missing; run npm run build first');
    process.exitCode = 1;
    return;
  }
  const only = new Set(flag('only', 'startup,floor,full,phases,natural,scaling').split(','));
  const load = spawnSync('cat', ['/proc/loadavg'], { encoding: 'utf8' }).stdout?.split(' ').slice(0, 3).join(' ');
  console.log(`# match benchmark — node ${process.version}, ${(await import('node:os')).availableParallelism()} cores${load ? `, load average ${load} at start` : ''}`);
  if (only.has('startup')) await startup(Number(flag('runs', 10)));
  if (![TOPICS, AWARDS, SAMPLE].every(existsSync)) {
    console.log(`\nbench: ${DATA} not found: skipping the SBIR workloads (start-up figures only)`);
    return;
  }
  let ours;
  if (only.has('floor')) await floor();
  if (only.has('full')) ours = await full();
  if (only.has('phases')) await phases();
  if (only.has('natural')) await naturalBaseline(ours);
  if (only.has('scaling')) await scaling();
}

await main();
