import { availableParallelism } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { MatchRecord, NeedResult } from '../model.js';
import { DEFAULT_RANK_OPTIONS, createScratch, rankNeed, type RankOptions } from '../rank/rank.js';
import { prepareSolutions, type SolutionCorpus } from '../rank/corpus.js';
import { firstOfSame, hasOwnConstraints, repeatedResult } from '../rank/repeated-needs.js';
import type { EarlyAnalysis } from '../index/early-analysis.js';
import { shareCorpus, shareWords } from './corpus-transfer.js';
import type { Lexicon } from '../text/lexicon.js';
import { sendableGlossary } from '../index/parallel-analysis.js';
import { startWorker } from './worker-exec-argv.js';
import { MessageChannel, type MessagePort, type Worker } from 'node:worker_threads';
import type { RankWorkerInput, RankWorkerNeeds, RankWorkerResult, RankWorkerTask } from './rank-worker.js';

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
/** Chunks whose needs each worker is sent beyond those taken (see supply in rankParallel). */
const AHEAD = 16;
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
  // The glossary travels as its trie's arrays (see text/concept-trie.ts).
  // Needs to rank are taken in chunks, in order, by this thread and the workers alike, each taking the
  // next chunk from a shared counter when it is ready for one, so that no thread waits while another is
  // busy (when this thread handed chunks out, a worker sat idle whenever this thread was ranking, taking
  // results in or collecting garbage: 1.5 s of a 30 s run in a profile). A chunk is told by its start in
  // `order`. The needs themselves go to each worker ahead of the counter (see supply).
  const counter = new Int32Array(new SharedArrayBuffer(4));
  const take = (): number | null => {
    const start = Atomics.add(counter, 0, CHUNK);
    return start < work ? start : null;
  };
  const sent = new Int32Array(new SharedArrayBuffer(4));
  const started: { worker: Worker; port: MessagePort; ended: Promise<void> }[] = [];
  const startWorkers = () => {
    if (started.length > 0) return;
    const glossary = opts.concepts ? sendableGlossary(opts.concepts) : null;
    for (let w = 0; w < workers; w++) {
      const { port1, port2 } = new MessageChannel();
      const input: RankWorkerInput = { options: { ...opts, constrain: undefined, concepts: null }, glossary, needs: port2, counter, sent, work, chunk: CHUNK };
      const worker = startWorker(new URL('./rank-worker.js', import.meta.url), { workerData: input, transferList: [port2] });
      // Listening from the start: a worker that fails while the index is built fails the run once ranking waits for it.
      const ended = new Promise<void>((resolve, reject) => {
        worker.on('error', reject);
        worker.on('exit', (code) => {
          port1.close();
          if (code === 0) resolve();
          else reject(new Error(`ranking worker stopped with exit code ${code}`));
        });
      });
      ended.catch(() => {});
      started.push({ worker, port: port1, ended });
    }
  };
  /**
   * Sends every worker the needs of the chunks up to AHEAD beyond the counter, which it reads when it
   * takes one of them (and passes over those another thread took). Called after each need ranked here:
   * a worker runs short only if this thread stalls for as long as AHEAD chunks take; and a worker holds
   * a few hundred needs at most, where all of them at once (7,000 texts) raised peak memory by 40-140 MB.
   */
  const supply = () => {
    const upTo = Math.min(work, Atomics.load(counter, 0) + AHEAD * CHUNK);
    let from = Atomics.load(sent, 0);
    if (from >= upTo) return;
    for (; from < upTo; from += CHUNK) {
      const chunk = order.slice(from, Math.min(from + CHUNK, work));
      // Only what ranking reads travels: the other columns stay here.
      const message: RankWorkerNeeds = { start: from, needs: chunk.map((i) => ({ ...needs[i], fields: {} })), pins: chunk.map((i) => pins[i]) };
      for (const { port } of started) port.postMessage(message);
    }
    Atomics.store(sent, 0, Math.min(from, work));
    Atomics.notify(sent, 0);
  };
  /**
   * Sends the workers the corpus's words as soon as they are final, while this thread builds the
   * index: rebuilding them (hundreds of thousands of strings and Maps over them) took a worker about
   * 1 s after the rest of the corpus came, time it could not rank in. Notes how many tokens the
   * lexicon had, so that a lexicon that grew after all is sent again with the rest.
   */
  let wordsSent = -1;
  const sendWords = (lexicon: Lexicon, terms: readonly string[]) => {
    startWorkers();
    const words: RankWorkerTask = { words: shareWords(solutions, lexicon, terms) };
    for (const { worker } of started) worker.postMessage(words);
    wordsSent = lexicon.size;
  };
  // With workers, the index is built in shared memory: one copy for every thread.
  let corpus: SolutionCorpus;
  try {
    corpus = prepareSolutions(solutions, opts, { sharedMemory: workers > 0, progress: settings.indexing, early: settings.early, analysed: workers > 0 ? startWorkers : undefined, worded: workers > 0 ? sendWords : undefined });
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

  startWorkers();
  if (wordsSent !== corpus.lexicon.size) sendWords(corpus.lexicon, corpus.weighted.index.terms);
  const snapshot: RankWorkerTask = { snapshot: shareCorpus(corpus) };
  const finished = started.map(({ worker, ended }) => {
    worker.postMessage(snapshot);
    worker.on('message', (message: RankWorkerResult) => {
      message.results.forEach((r, j) => place(order[message.start + j], r));
      report();
    });
    return ended;
  });
  supply();
  // Building the index leaves large buffers behind that V8 frees only when it next collects; with the
  // workers adding their own memory now, free them (peak memory is a target, see scripts/bench.js).
  // Collected once the workers have the corpus, so that they set it up meanwhile.
  if (workers > 0) collectGarbage();

  try {
    // This thread ranks too, a chunk at a time, letting the workers' results in between.
    for (let start = take(); start !== null; start = take()) {
      for (let n = start; n < Math.min(start + CHUNK, work); n++) {
        place(order[n], rankNeed(corpus, needs[order[n]], opts, scratch));
        supply();
      }
      report();
      await new Promise((resolve) => setImmediate(resolve));
    }
    supply();
    await Promise.all(finished);
  } catch (err) {
    // A worker waiting for needs that will not come would keep the process alive.
    for (const { worker } of started) void worker.terminate();
    throw err;
  }
  report();
  return results;
}
