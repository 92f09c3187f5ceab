import type { MatchRecord } from '../model.js';
import type { SolutionCorpus } from '../rank/corpus.js';
import { Lexicon, type LexiconSnapshot } from '../text/lexicon.js';
import type { ConceptMatcher } from '../text/concepts.js';
import type { Language } from '../text/stopwords.js';
import type { Sector } from '../score/sector.js';

/**
 * A SolutionCorpus as data another thread can receive: the large typed arrays
 * move to shared memory (so every thread reads one copy), the rest is cloned.
 * Solutions keep only what ranking reads from them (id, name, sectors).
 */
export interface CorpusSnapshot {
  /** Tag keys and sectors are left out (null) when no solution has any; the solutions' languages travel as codes (below). */
  corpus: Omit<SolutionCorpus, 'lexicon' | 'solutions' | 'tagKeys' | 'sectors' | 'langs'> & { tagKeys: SolutionCorpus['tagKeys'] | null; sectors: SolutionCorpus['sectors'] | null };
  /** Per solution: 1 Italian, 0 English. */
  langs: Uint8Array;
  /**
   * The solutions' ids and names as lists of strings, raw sectors only when
   * some solution has any: cloned as 85,000 objects they cost 290 ms, as two
   * lists of strings about 50.
   */
  solutions: { ids: string[]; names: string[]; sectors: string[][] | null };
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
  const { lexicon, solutions, langs, ...rest } = corpus;
  // Term ids by term are rebuilt by the receiver rather than sent (a Map of 100,000 strings clones slowly).
  const { termIds: _termIds, ...lean } = index;
  const codes = new Uint8Array(langs.length);
  for (let d = 0; d < langs.length; d++) codes[d] = langs[d] === 'it' ? 1 : 0;
  return {
    corpus: {
      ...rest,
      weighted: { ...weighted, index: { ...lean, termIds: new Map() } },
      tagKeys: rest.tagKeys.some((k) => k.size > 0) ? rest.tagKeys : null,
      sectors: rest.sectors.some((s) => s.length > 0) ? rest.sectors : null,
    },
    langs: codes,
    solutions: {
      ids: solutions.map((s) => s.id),
      names: solutions.map((s) => s.name),
      sectors: solutions.some((s) => s.sectors.length > 0) ? solutions.map((s) => s.sectors) : null,
    },
    lexicon: lexicon.snapshot(),
  };
}

// Ranking only reads these: one empty list, map and object for every solution without, not 85,000 of each.
const NO_TAGS = new Map<string, string>();
const NO_SECTORS: Sector[] = [];
const NO_STRINGS: string[] = [];
const NO_FIELDS: Record<string, string> = {};

/** The corpus a snapshot describes; `concepts` must be the matcher the worker's rank options use. */
export function restoreCorpus(snapshot: CorpusSnapshot, concepts: ConceptMatcher | null): SolutionCorpus {
  const { ids, names, sectors } = snapshot.solutions;
  const solutions: MatchRecord[] = ids.map((id, d) => ({ id, name: names[d], title: '', text: '', tags: NO_STRINGS, sectors: sectors ? sectors[d] : NO_STRINGS, fields: NO_FIELDS, line: d + 2 }));
  const { corpus } = snapshot;
  const index = corpus.weighted.index;
  index.termIds = new Map(index.terms.map((t, i) => [t, i]));
  if (corpus.feedback) corpus.feedback.forward = corpus.forward;
  return {
    ...corpus,
    solutions,
    langs: Array.from(snapshot.langs, (code): Language => (code === 1 ? 'it' : 'en')),
    tagKeys: corpus.tagKeys ?? solutions.map(() => NO_TAGS),
    sectors: corpus.sectors ?? solutions.map(() => NO_SECTORS),
    lexicon: Lexicon.fromSnapshot(snapshot.lexicon, concepts),
  };
}
