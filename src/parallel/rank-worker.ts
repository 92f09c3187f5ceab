import { parentPort, workerData } from 'node:worker_threads';
import type { MatchRecord } from '../model.js';
import { createScratch, rankNeed, type RankOptions } from '../rank/rank.js';
import { restoreCorpus, type CorpusSnapshot } from './corpus-transfer.js';

/** What a ranking worker is given (see rank-parallel.ts). */
export interface RankWorkerInput {
  snapshot: CorpusSnapshot;
  /** Rank options without `constrain`: only pins travel, per need. */
  options: RankOptions;
  needs: MatchRecord[];
  pins: (readonly number[] | undefined)[];
  /** Shared counter of the next need to rank: threads take needs in chunks from it. */
  counter: SharedArrayBuffer;
  chunk: number;
}

/** A chunk of results, or the end. */
export type RankWorkerMessage = { start: number; results: ReturnType<typeof rankNeed>[] } | { done: true };

// Runs in a worker thread: ranks chunks of needs until none is left, posting each chunk's results.
const input = workerData as RankWorkerInput;
const corpus = restoreCorpus(input.snapshot, input.options.concepts);
const scratch = createScratch(corpus);
const next = new Int32Array(input.counter);
const { needs, pins, chunk } = input;
for (;;) {
  const start = Atomics.add(next, 0, chunk);
  if (start >= needs.length) break;
  const results = [];
  for (let i = start; i < Math.min(start + chunk, needs.length); i++) {
    const pinned = pins[i];
    results.push(rankNeed(corpus, needs[i], { ...input.options, constrain: pinned ? () => ({ pinned }) : undefined }, scratch));
  }
  parentPort!.postMessage({ start, results } satisfies RankWorkerMessage);
}
parentPort!.postMessage({ done: true } satisfies RankWorkerMessage);
