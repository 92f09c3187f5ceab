import { availableParallelism } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { MatchRecord, NeedResult } from '../model.js';
import { DEFAULT_RANK_OPTIONS, createScratch, rankNeed, type RankOptions } from '../rank/rank.js';
import { prepareSolutions, type SolutionCorpus } from '../rank/corpus.js';
import { firstOfSame, hasOwnConstraints, repeatedResult } from '../rank/repeated-needs.js';
import type { EarlyAnalysis } from '../index/early-analysis.js';
import { shareCorpus } from './corpus-transfer.js';
import { sendableGlossary } from '../index/parallel-analysis.js';
import { startWorker } from './worker-exec-argv.js';
import type { Worker } from 'node:worker_threads';
import type { RankWorkerInput, RankWorkerResult, RankWorkerTask } from './rank-worker.js';

export interface ParallelSettings {
  /** Threads to rank with, the calling one included (default: MATCH_THREADS, else the cores available). */
  threads?: number;
  /** Called as needs are ranked: how many are done, of how many. */
  progress?: (done: number, total: number) => void;
  /** Called as the solutions are indexed, before any need is ranked: how many are done, of how many. */
  indexing?: (done: number, total: number) => void;
  /** Below this much work (needs × solutions), one thread ranks: a worker would cost more than it saves. */
  minPairs?: number;
  /**
   * Called with each need's result in the needs' order, as soon as it and
   * every need before it are ranked (for writing rows out while ranking goes on).
   */
  onResult?: (index: number, result: NeedResult) => void;
  /** The solutions' texts as analysed while their file was read, if they were (see EarlyAnalysis). */
  early?: EarlyAnalysis | null;
}

/** Needs per chunk a thread takes at a time: small enough to balance the threads, large enough that messages are few. */
const CHUNK = 8;
/** Below this much work (needs × solutions), starting a worker costs more than it saves. */
const MIN_PAIRS = 20_000_000;

/** A full garbage collection, through a context where V8 exposes `gc`. */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

/** Threads from MATCH_THREADS (a positive integer), else the cores this process may use. */
export function defaultThreads(env: NodeJS.ProcessEnv = process.env): number {
  const n = Number(env.MATCH_THREADS);
  return Number.isInteger(n) && n >= 1 ? n : availableParallelism();
}

/**
 * `rank` on several threads: the corpus is built once, shared with worker
 * threads through shared memory, and needs are handed out in chunks. Each
 * need is ranked by the same pure code whichever thread takes it, so the
 * results are the same as `rank`'s, in the needs' order, whatever the number
 * of threads. Constraints other than pins (filters, the stage signal) are
 * functions, which cannot travel between threads: with them, one thread ranks.
 */
export async function rankParallel(needs: readonly MatchRecord[], solutions: readonly MatchRecord[], options: Partial<RankOptions> = {}, settings: ParallelSettings = {}): Promise<NeedResult[]> {
  const opts: RankOptions = { ...DEFAULT_RANK_OPTIONS, ...options };
  const total = needs.length;
  const results: NeedResult[] = new Array(total);
  const threads = Math.max(1, settings.threads ?? defaultThreads());

  const pins: (readonly number[] | undefined)[] = [];
  const constrained: boolean[] = [];
  let portable = true;
  for (const need of needs) {
    const c = opts.constrain?.(need) ?? {};
    if (c.admit || c.stage) portable = false;
    pins.push(c.pinned && c.pinned.length > 0 ? c.pinned : undefined);
    constrained.push(hasOwnConstraints(c));
  }
  // A need repeating an earlier one's text gets its result (see repeated-needs.ts): only the others are ranked.
  const first = firstOfSame(needs, (i) => constrained[i]);
  const order: number[] = [];
  const repeats: number[][] = needs.map(() => []);
  first.forEach((f, i) => (f === i ? order.push(i) : repeats[f].push(i)));
  const work = order.length;
  const workers = portable && work >= 2 * CHUNK && work * solutions.length >= (settings.minPairs ?? MIN_PAIRS) ? Math.min(threads, Math.ceil(work / CHUNK)) - 1 : 0;
  // The workers start once the texts are analysed, while this thread alone builds the index: their start
  // (loading modules, reading the glossary) then takes a core that would otherwise sit idle.
  // The glossary travels as its cache (see io/glossary-cache.ts): cloning the trie itself (21,000 nodes
  // of Maps, every one reached) cost this thread about 100 ms and each worker as much again.
  const started: { worker: Worker; ended: Promise<void> }[] = [];
  const startWorkers = () => {
    if (started.length > 0) return;
    const glossary = opts.concepts ? sendableGlossary(opts.concepts) : null;
    const input: RankWorkerInput = { options: { ...opts, constrain: undefined, concepts: glossary ? null : opts.concepts }, glossary };
    for (let w = 0; w < workers; w++) {
      const worker = startWorker(new URL('./rank-worker.js', import.meta.url), { workerData: input });
      // Listening from the start: a worker that fails while the index is built fails the run once ranking waits for it.
      const ended = new Promise<void>((resolve, reject) => {
        worker.on('error', reject);
        worker.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`ranking worker stopped with exit code ${code}`))));
      });
      ended.catch(() => {});
      started.push({ worker, ended });
    }
  };
  // With workers, the index is built in shared memory: one copy for every thread.
  let corpus: SolutionCorpus;
  try {
    corpus = prepareSolutions(solutions, opts, { sharedMemory: workers > 0, progress: settings.indexing, early: settings.early, analysed: workers > 0 ? startWorkers : undefined });
  } catch (err) {
    for (const { worker } of started) void worker.terminate();
    throw err;
  }

  let done = 0;
  // Results go out in the needs' order: each waits for those before it.
  let emitted = 0;
  const report = () => {
    if (settings.onResult) while (emitted < total && results[emitted] !== undefined) settings.onResult(emitted, results[emitted++]);
    settings.progress?.(done, total);
  };
  const scratch = createScratch(corpus);
  /** The result of need i, and of the needs repeating it. */
  const place = (i: number, result: NeedResult) => {
    results[i] = result;
    for (const k of repeats[i]) results[k] = repeatedResult(result, needs[k]);
    done += 1 + repeats[i].length;
  };
  if (workers === 0) {
    order.forEach((i, n) => {
      place(i, rankNeed(corpus, needs[i], opts, scratch));
      if ((n + 1) % CHUNK === 0 || n + 1 === work) report();
    });
    return results;
  }

  // Needs to rank are handed out in chunks, in order, to this thread and to the workers alike; each worker
  // holds two chunks at a time (one to rank, one waiting), so that it need not wait while this thread
  // ranks a need. A chunk is told by its start in `order`.
  let next = 0;
  const take = (): number | null => {
    if (next >= work) return null;
    const start = next;
    next += CHUNK;
    return start;
  };
  const taskFrom = (start: number): RankWorkerTask => {
    const chunk = order.slice(start, Math.min(start + CHUNK, work));
    // Only what ranking reads travels: the other columns stay here.
    return { start, needs: chunk.map((i) => ({ ...needs[i], fields: {} })), pins: chunk.map((i) => pins[i]) };
  };
  startWorkers();
  const snapshot: RankWorkerTask = { snapshot: shareCorpus(corpus) };
  const finished = started.map(({ worker, ended }) => {
    worker.postMessage(snapshot);
    let pending = 0;
    const feed = () => {
      const start = take();
      if (start === null) {
        if (pending === 0) worker.postMessage({ done: true } satisfies RankWorkerTask);
        return;
      }
      pending++;
      worker.postMessage(taskFrom(start));
    };
    worker.on('message', (message: RankWorkerResult) => {
      pending--;
      message.results.forEach((r, j) => place(order[message.start + j], r));
      report();
      feed();
    });
    feed();
    feed();
    return ended;
  });
  // Building the index leaves large buffers behind that V8 frees only when it next collects; with the
  // workers adding their own memory now, free them (peak memory is a target, see scripts/bench.js).
  // Collected once the workers have the corpus, so that they set it up meanwhile.
  if (workers > 0) collectGarbage();

  // This thread ranks too, a chunk at a time, letting the workers' results in after each need: a worker
  // is fed only when its result is let in, and waiting for a whole chunk here (which also writes every
  // thread's rows out) left it idle 2-3% of the time in a profile of the SBIR workload.
  for (let start = take(); start !== null; start = take()) {
    for (let n = start; n < Math.min(start + CHUNK, work); n++) {
      place(order[n], rankNeed(corpus, needs[order[n]], opts, scratch));
      await new Promise((resolve) => setImmediate(resolve));
    }
    report();
  }
  await Promise.all(finished);
  report();
  return results;
}
