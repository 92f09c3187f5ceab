#!/usr/bin/env node
/**
 * Time and memory of `match assign` at scale: SBIR topics as needs, SBIR
 * awards (with a real abstract) as startups, read from ../shared/data and
 * never copied into the project.
 *
 *   npm run build && node scripts/bench-assign.js [--needs 1000] [--solutions 10000] [--top 5] [--capacity 1] [--candidates 50]
 *
 * Reports the ranking pass and the exact allocation separately (the solver is
 * also run alone on the same candidate lists), the result against a greedy
 * baseline (best pairs first), and the process's peak memory.
 */
import { resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { DEFAULT_RANK_OPTIONS, loadDataset } from '../dist/index.js';
import { planShortlists } from '../dist/assign/plan.js';
import { allocate } from '../dist/assign/allocate.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DATA = resolve(ROOT, '..', 'shared', 'data', 'sbir');

const args = Object.fromEntries(process.argv.slice(2).reduce((pairs, a, i, all) => (a.startsWith('--') ? [...pairs, [a.slice(2), Number(all[i + 1])]] : pairs), []));
const N = args.needs ?? 1000;
const M = args.solutions ?? 10000;
const TOP = args.top ?? 5;
const CAPACITY = args.capacity ?? 1;
const CANDIDATES = args.candidates ?? 50;

const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const secs = (ms) => `${(ms / 1000).toFixed(2)} s`;

const t0 = performance.now();
const topics = await loadDataset(resolve(DATA, 'topics.csv.gz'), { role: 'needs' });
const awards = await loadDataset(resolve(DATA, 'awards.csv.gz'), { role: 'solutions', columns: { name: ['firm'] } });
const needs = topics.records.filter((r) => r.text.length >= 150).slice(0, N);
const solutions = awards.records.filter((r) => r.text.length >= 150).slice(0, M);
const t1 = performance.now();
console.log(`data: ${needs.length} needs × ${solutions.length} startups, top ${TOP}, capacity ${CAPACITY}, ${CANDIDATES} candidates per need (loaded in ${secs(t1 - t0)})`);

const settings = { demandOf: () => TOP, capacityOf: () => CAPACITY, candidates: CANDIDATES, diversity: 0, alternates: 0 };
const plan = planShortlists(needs, solutions, { ...DEFAULT_RANK_OPTIONS }, settings);
const t2 = performance.now();
console.log(`assign end to end (rank ${CANDIDATES} per need, solve, describe): ${secs(t2 - t1)}`);

// The solver alone, on the same candidate lists.
const problem = plan.needs.map((p) => ({ id: p.need.id, demand: p.demand, candidates: p.ranking.map((c) => ({ doc: c.doc, id: c.id, value: c.score })), pinned: [] }));
const edges = problem.reduce((n, p) => n + p.candidates.length, 0);
const s0 = performance.now();
const exact = allocate(problem, () => CAPACITY);
const s1 = performance.now();
const total = (chosen) => chosen.reduce((sum, docs, k) => sum + docs.reduce((s, d) => s + problem[k].candidates.find((c) => c.doc === d).value, 0), 0);
const count = (chosen) => chosen.reduce((n, docs) => n + docs.length, 0);
console.log(`solver alone: ${secs(s1 - s0)} for ${edges} candidate pairs; ${count(exact.chosen)} pairs, total ${total(exact.chosen).toFixed(4)}`);

// Greedy baseline: best pairs first, while the need and the startup have room.
const pairs = problem.flatMap((p, k) => p.candidates.map((c) => ({ k, ...c }))).sort((a, b) => b.value - a.value);
const used = new Map();
const greedy = problem.map(() => []);
for (const p of pairs) {
  if (greedy[p.k].length >= TOP || (used.get(p.doc) ?? 0) >= CAPACITY) continue;
  greedy[p.k].push(p.doc);
  used.set(p.doc, (used.get(p.doc) ?? 0) + 1);
}
const unconstrained = problem.reduce((sum, p) => sum + p.candidates.slice(0, TOP).reduce((s, c) => s + c.value, 0), 0);
console.log(`greedy: ${count(greedy)} pairs, total ${total(greedy).toFixed(4)}; without capacity: ${problem.reduce((n, p) => n + Math.min(TOP, p.candidates.length), 0)} pairs, total ${unconstrained.toFixed(4)}`);
console.log(`peak memory (max RSS): ${mb(process.resourceUsage().maxRSS * 1024)}`);
