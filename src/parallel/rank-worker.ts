import { parentPort, workerData } from 'node:worker_threads';
import type { MatchRecord, NeedResult } from '../model.js';
import { createScratch, rankNeed, type RankOptions, type RankScratch } from '../rank/rank.js';
import type { SolutionCorpus } from '../rank/corpus.js';
import { restoreCorpus, type CorpusSnapshot } from './corpus-transfer.js';
import { receivedGlossary } from '../index/parallel-analysis.js';
import type { GlossaryCache } from '../io/glossary-cache.js';

/** What a ranking worker is given when it starts (see rank-parallel.ts): the corpus follows as the first message. */
export interface RankWorkerInput {
  /** Rank options without `constrain`: only pins travel, with each need. Without `concepts` when `glossary` holds them. */
  options: RankOptions;
  /** The glossary's trie in flat form (see sendableGlossary), or null when `options.concepts` is the trie itself. */
  glossary: GlossaryCache | null;
}

/** The corpus to rank against (the first message); a chunk of needs to rank, from the first need's position on; or the end of the work. */
export type RankWorkerTask = { snapshot: CorpusSnapshot } | { start: number; needs: MatchRecord[]; pins: (readonly number[] | undefined)[] } | { done: true };

/** The results of a task. */
export interface RankWorkerResult {
  start: number;
  results: NeedResult[];
}

// Runs in a worker thread: started while the index is still being built, it reads the glossary, then
// waits for the corpus; then ranks the chunks of needs it is sent, and answers each with its results.
const { options: sent, glossary } = workerData as RankWorkerInput;
const concepts = glossary ? receivedGlossary(glossary) : sent.concepts;
if (glossary && !concepts) throw new Error('ranking worker: the glossary did not decode');
const options: RankOptions = { ...sent, concepts };
let ranking: { corpus: SolutionCorpus; scratch: RankScratch } | null = null;
parentPort!.on('message', (task: RankWorkerTask) => {
  if ('snapshot' in task) {
    const corpus = restoreCorpus(task.snapshot, options.concepts);
    ranking = { corpus, scratch: createScratch(corpus) };
    return;
  }
  if ('done' in task) {
    parentPort!.close();
    return;
  }
  const { corpus, scratch } = ranking!;
  const results = task.needs.map((need, i) => {
    const pinned = task.pins[i];
    return rankNeed(corpus, need, { ...options, constrain: pinned ? () => ({ pinned }) : undefined }, scratch);
  });
  parentPort!.postMessage({ start: task.start, results } satisfies RankWorkerResult);
});
