import { parentPort, receiveMessageOnPort, workerData, type MessagePort } from 'node:worker_threads';
import type { MatchRecord, NeedResult } from '../model.js';
import { createScratch, rankNeed, type RankOptions } from '../rank/rank.js';
import { restoreCorpus, restoreWords, type CorpusSnapshot, type RestoredWords, type WordsSnapshot } from './corpus-transfer.js';
import { receivedGlossary } from '../index/parallel-analysis.js';
import type { FlatTrieData } from '../text/concept-trie.js';

/** What a ranking worker is given when it starts (see rank-parallel.ts): the corpus follows in two messages (RankWorkerTask). */
export interface RankWorkerInput {
  /** Rank options without `constrain` (only pins travel, with each need) and without `concepts`, which `glossary` holds. */
  options: RankOptions;
  /** The glossary's trie as plain data (see sendableGlossary), or null without a glossary. */
  glossary: FlatTrieData | null;
  /** Where the needs come, a chunk at a time and in order, as RankWorkerNeeds. */
  needs: MessagePort;
  /** Where the next chunk to rank starts, shared by every thread ranking: each takes chunks from it. */
  counter: Int32Array;
  /** Where the needs sent so far end (notified as it grows). */
  sent: Int32Array;
  /** How many needs there are to rank, and how many a chunk has. */
  work: number;
  chunk: number;
}

/** The corpus to rank against, in the two messages on the worker's own port: its words, then the rest (see corpus-transfer.ts). */
export type RankWorkerTask = { words: WordsSnapshot } | { snapshot: CorpusSnapshot };

/** The needs of the chunk starting at `start` (positions in the needs to rank), and each one's pins. */
export interface RankWorkerNeeds {
  start: number;
  needs: MatchRecord[];
  pins: (readonly number[] | undefined)[];
}

/** The results of a chunk of needs, from the first need's position on. */
export interface RankWorkerResult {
  start: number;
  results: NeedResult[];
}

// Runs in a worker thread: started while the index is still being built, it reads the glossary, then
// rebuilds the corpus's words as soon as they come, and the rest when it comes; then takes chunks of
// needs from the shared counter until none are left, and answers each with its results.
const { options: sent, glossary, needs: port, counter, sent: sentUpTo, work, chunk } = workerData as RankWorkerInput;
const options: RankOptions = { ...sent, concepts: glossary ? receivedGlossary(glossary) : null };

/** The needs of the chunk at `start`, read from the port in order: chunks before it went to other threads. */
function needsAt(start: number): RankWorkerNeeds {
  for (;;) {
    const received = receiveMessageOnPort(port);
    if (received) {
      const message = received.message as RankWorkerNeeds;
      if (message.start === start) return message;
      if (message.start > start) throw new Error(`ranking worker: the needs at ${start} never came`);
      continue;
    }
    // Not sent yet: wait until more is (with a timeout, so that a missed notification costs little).
    const upTo = Atomics.load(sentUpTo, 0);
    if (upTo <= start) Atomics.wait(sentUpTo, 0, upTo, 50);
  }
}

let words: RestoredWords | null = null;
const onTask = (task: RankWorkerTask) => {
  if ('words' in task) {
    words = restoreWords(task.words, options.concepts);
    return;
  }
  parentPort!.off('message', onTask);
  if (!words) throw new Error('ranking worker: the corpus came before its words');
  const corpus = restoreCorpus(task.snapshot, words);
  const scratch = createScratch(corpus);
  for (let start = Atomics.add(counter, 0, chunk); start < work; start = Atomics.add(counter, 0, chunk)) {
    const { needs, pins } = needsAt(start);
    const results = needs.map((need, i) => {
      const pinned = pins[i];
      return rankNeed(corpus, need, { ...options, constrain: pinned ? () => ({ pinned }) : undefined }, scratch);
    });
    parentPort!.postMessage({ start, results } satisfies RankWorkerResult);
  }
  // Nothing left to listen for: the thread ends once its messages are out.
  port.close();
};
parentPort!.on('message', onTask);
