import type { MatchRecord } from '../model.js';
import type { SolutionCorpus } from '../rank/corpus.js';
import { Lexicon, type LexiconSnapshot } from '../text/lexicon.js';
import type { ConceptMatcher } from '../text/concepts.js';
import type { Language } from '../text/stopwords.js';
import type { Sector } from '../score/sector.js';

/**
 * A SolutionCorpus as data another thread can receive, in two messages. The
 * words (the lexicon, the index's term names, the solutions' ids and names)
 * are final before the postings are laid out, and are most of what the
 * receiver has to rebuild (hundreds of thousands of strings, and Maps over
 * them): sent first, they are rebuilt while this thread still builds the
 * index. Then the rest, whose large typed arrays move to shared memory (so
 * every thread reads one copy) while the small parts are cloned.
 */
export interface WordsSnapshot {
  lexicon: LexiconSnapshot;
  /** The index's term names, by term id. */
  terms: string[];
  /**
   * The solutions' ids and names as lists of strings, raw sectors only when
   * some solution has any: cloned as 85,000 objects they cost 290 ms, as two
   * lists of strings about 50. Solutions keep only what ranking reads from them.
   */
  solutions: { ids: string[]; names: string[]; sectors: string[][] | null };
}

/** The rest of the corpus: see WordsSnapshot. */
export interface CorpusSnapshot {
  /** Tag keys and sectors are left out (null) when no solution has any; the solutions' languages travel as codes (below); the index's terms came with the words. */
  corpus: Omit<SolutionCorpus, 'lexicon' | 'solutions' | 'tagKeys' | 'sectors' | 'langs'> & { tagKeys: SolutionCorpus['tagKeys'] | null; sectors: SolutionCorpus['sectors'] | null };
  /** Per solution: 1 Italian, 0 English. */
  langs: Uint8Array;
  /** How many terms the index has, to check the words against. */
  termCount: number;
}

/** The words rebuilt by a receiving thread (see restoreWords). */
export interface RestoredWords {
  lexicon: Lexicon;
  terms: string[];
  termIds: Map<string, number>;
  solutions: MatchRecord[];
}

type Typed = Int32Array | Float32Array | Float64Array;

/** The same values in a SharedArrayBuffer. */
function shared<T extends Typed>(array: T): T {
  if (array.buffer instanceof SharedArrayBuffer) return array;
  const copy = new (array.constructor as new (buffer: SharedArrayBuffer) => T)(new SharedArrayBuffer(array.byteLength));
  copy.set(array);
  return copy;
}

/** The words of a corpus being built (see WordsSnapshot): its solutions, and its lexicon and term names once final. */
export function shareWords(solutions: readonly MatchRecord[], lexicon: Lexicon, terms: readonly string[]): WordsSnapshot {
  return {
    lexicon: lexicon.snapshot(),
    terms: terms.slice(),
    solutions: {
      ids: solutions.map((s) => s.id),
      names: solutions.map((s) => s.name),
      sectors: solutions.some((s) => s.sectors.length > 0) ? solutions.map((s) => s.sectors) : null,
    },
  };
}

/**
 * Moves the corpus's large arrays to shared memory, in place (the corpus then
 * reads the shared copies, and the private ones can be freed), and returns
 * what a worker needs, beside its words, to rebuild it.
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
  const { lexicon: _lexicon, solutions: _solutions, langs, ...rest } = corpus;
  // Term names and ids by name come with the words (a Map of 100,000 strings clones slowly).
  const { termIds: _termIds, terms, ...lean } = index;
  const codes = new Uint8Array(langs.length);
  for (let d = 0; d < langs.length; d++) codes[d] = langs[d] === 'it' ? 1 : 0;
  return {
    corpus: {
      ...rest,
      weighted: { ...weighted, index: { ...lean, terms: [], termIds: new Map() } },
      tagKeys: rest.tagKeys.some((k) => k.size > 0) ? rest.tagKeys : null,
      sectors: rest.sectors.some((s) => s.length > 0) ? rest.sectors : null,
    },
    langs: codes,
    termCount: terms.length,
  };
}

// Ranking only reads these: one empty list, map and object for every solution without, not 85,000 of each.
const NO_TAGS = new Map<string, string>();
const NO_SECTORS: Sector[] = [];
const NO_STRINGS: string[] = [];
const NO_FIELDS: Record<string, string> = {};

/** The words a WordsSnapshot describes; `concepts` must be the matcher the receiver's rank options use. */
export function restoreWords(words: WordsSnapshot, concepts: ConceptMatcher | null): RestoredWords {
  const { ids, names, sectors } = words.solutions;
  return {
    lexicon: Lexicon.fromSnapshot(words.lexicon, concepts),
    terms: words.terms,
    termIds: new Map(words.terms.map((t, i) => [t, i])),
    solutions: ids.map((id, d) => ({ id, name: names[d], title: '', text: '', tags: NO_STRINGS, sectors: sectors ? sectors[d] : NO_STRINGS, fields: NO_FIELDS, line: d + 2 })),
  };
}

/** The corpus a snapshot and the words sent before it describe. */
export function restoreCorpus(snapshot: CorpusSnapshot, words: RestoredWords): SolutionCorpus {
  const { corpus } = snapshot;
  const { solutions } = words;
  if (words.terms.length !== snapshot.termCount || solutions.length !== snapshot.langs.length) throw new Error('restoreCorpus: the words do not belong to this corpus');
  const index = corpus.weighted.index;
  index.terms = words.terms;
  index.termIds = words.termIds;
  if (corpus.feedback) corpus.feedback.forward = corpus.forward;
  return {
    ...corpus,
    solutions,
    langs: Array.from(snapshot.langs, (code): Language => (code === 1 ? 'it' : 'en')),
    tagKeys: corpus.tagKeys ?? solutions.map(() => NO_TAGS),
    sectors: corpus.sectors ?? solutions.map(() => NO_SECTORS),
    lexicon: words.lexicon,
  };
}
