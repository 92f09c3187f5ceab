import { parentPort, workerData } from 'node:worker_threads';
import type { MatchRecord, NeedResult } from '../model.js';
import { createScratch, rankNeed, type RankOptions } from '../rank/rank.js';
import { restoreCorpus, type CorpusSnapshot } from './corpus-transfer.js';
import { receivedGlossary } from '../index/parallel-analysis.js';
import type { GlossaryCache } from '../io/glossary-cache.js';

/** What a ranking worker is given when it starts (see rank-parallel.ts). */
export interface RankWorkerInput {
  snapshot: CorpusSnapshot;
  /** Rank options without `constrain`: only pins travel, with each need. Without `concepts` when `glossary` holds them. */
  options: RankOptions;
  /** The glossary's trie in flat form (see sendableGlossary), or null when `options.concepts` is the trie itself. */
  glossary: GlossaryCache | null;
}

/** A chunk of needs to rank, from the first need's position on; or the end of the work. */
export type RankWorkerTask = { start: number; needs: MatchRecord[]; pins: (readonly number[] | undefined)[] } | { done: true };

/** The results of a task. */
export interface RankWorkerResult {
  start: number;
  results: NeedResult[];
}

// Runs in a worker thread: ranks the chunks of needs it is sent, and answers each with its results.
const { snapshot, options: sent, glossary } = workerData as RankWorkerInput;
const concepts = glossary ? receivedGlossary(glossary) : sent.concepts;
if (glossary && !concepts) throw new Error('ranking worker: the glossary did not decode');
const options: RankOptions = { ...sent, concepts };
const corpus = restoreCorpus(snapshot, options.concepts);
const scratch = createScratch(corpus);
parentPort!.on('message', (task: RankWorkerTask) => {
  if ('done' in task) {
    parentPort!.close();
    return;
  }
  const results = task.needs.map((need, i) => {
    const pinned = task.pins[i];
    return rankNeed(corpus, need, { ...options, constrain: pinned ? () => ({ pinned }) : undefined }, scratch);
  });
  parentPort!.postMessage({ start: task.start, results } satisfies RankWorkerResult);
});
