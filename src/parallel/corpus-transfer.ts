import type { MatchRecord } from '../model.js';
import type { SolutionCorpus } from '../rank/corpus.js';
import { Lexicon, type LexiconSnapshot } from '../text/lexicon.js';
import type { ConceptMatcher } from '../text/concepts.js';

/**
 * A SolutionCorpus as data another thread can receive: the large typed arrays
 * move to shared memory (so every thread reads one copy), the rest is cloned.
 * Solutions keep only what ranking reads from them (id, name, sectors).
 */
export interface CorpusSnapshot {
  /** Tag keys and sectors are left out (null) when no solution has any. */
  corpus: Omit<SolutionCorpus, 'lexicon' | 'solutions' | 'tagKeys' | 'sectors'> & { tagKeys: SolutionCorpus['tagKeys'] | null; sectors: SolutionCorpus['sectors'] | null };
  solutions: { id: string; name: string; sectors: string[] }[];
  lexicon: LexiconSnapshot;
}

type Typed = Int32Array | Float32Array | Float64Array;

/** The same values in a SharedArrayBuffer. */
function shared<T extends Typed>(array: T): T {
  if (array.buffer instanceof SharedArrayBuffer) return array;
  const copy = new (array.constructor as new (buffer: SharedArrayBuffer) => T)(new SharedArrayBuffer(array.byteLength));
  copy.set(array);
  return copy;
}

/**
 * Moves the corpus's large arrays to shared memory, in place (the corpus then
 * reads the shared copies, and the private ones can be freed), and returns
 * what a worker needs to rebuild it.
 */
export function shareCorpus(corpus: SolutionCorpus): CorpusSnapshot {
  const { weighted, forward, tokens } = corpus;
  const index = weighted.index;
  index.postingStart = shared(index.postingStart);
  index.postingDoc = shared(index.postingDoc);
  index.postingTf = shared(index.postingTf);
  weighted.weights = shared(weighted.weights);
  forward.docStart = shared(forward.docStart);
  forward.termId = shared(forward.termId);
  forward.tf = shared(forward.tf);
  forward.posting = shared(forward.posting);
  tokens.start = shared(tokens.start);
  tokens.tokens = shared(tokens.tokens);
  const { lexicon, solutions, ...rest } = corpus;
  // Term ids by term are rebuilt by the receiver rather than sent (a Map of 100,000 strings clones slowly).
  const { termIds: _termIds, ...lean } = index;
  return {
    corpus: {
      ...rest,
      weighted: { ...weighted, index: { ...lean, termIds: new Map() } },
      tagKeys: rest.tagKeys.some((k) => k.size > 0) ? rest.tagKeys : null,
      sectors: rest.sectors.some((s) => s.length > 0) ? rest.sectors : null,
    },
    solutions: solutions.map((s) => ({ id: s.id, name: s.name, sectors: s.sectors })),
    lexicon: lexicon.snapshot(),
  };
}

/** The corpus a snapshot describes; `concepts` must be the matcher the worker's rank options use. */
export function restoreCorpus(snapshot: CorpusSnapshot, concepts: ConceptMatcher | null): SolutionCorpus {
  const solutions: MatchRecord[] = snapshot.solutions.map((s, d) => ({ id: s.id, name: s.name, title: '', text: '', tags: [], sectors: s.sectors, fields: {}, line: d + 2 }));
  const { corpus } = snapshot;
  corpus.weighted.index.termIds = new Map(corpus.weighted.index.terms.map((t, i) => [t, i]));
  if (corpus.feedback) corpus.feedback.forward = corpus.forward;
  return {
    ...corpus,
    solutions,
    tagKeys: corpus.tagKeys ?? solutions.map(() => new Map()),
    sectors: corpus.sectors ?? solutions.map(() => []),
    lexicon: Lexicon.fromSnapshot(snapshot.lexicon, concepts),
  };
}
