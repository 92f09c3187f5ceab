import { availableParallelism } from 'node:os';
import type { Language } from '../text/stopwords.js';
import { Lexicon, TokenList } from '../text/lexicon.js';
import { IndexBuilder, type InvertedIndex } from './build-index.js';
import { DocumentAnalyzer, type AnalysisSettings } from './document-analyzer.js';
import { PartWorker, analyzePart, sendable, type PartAnalysis, type PartTexts } from './parallel-analysis.js';
import { int32Array } from './typed-arrays.js';
import type { ForwardIndex } from '../rank/feedback.js';

/** Each document's token numbers (see Lexicon): those of document d are tokens[start[d] .. start[d+1]). */
export interface DocumentTokens {
  start: Int32Array;
  tokens: Int32Array;
}

export interface TextIndexOptions extends AnalysisSettings {
  /** Put the large arrays in shared memory, for several threads to read. */
  shared?: boolean;
  /** Threads to analyse the documents on, this one included (default 1): fewer when the texts are short. */
  threads?: number;
  /** Characters of text a thread must have at least (default MIN_PART_CHARS; tests lower it). */
  minPartChars?: number;
  /** Called now and then with how many documents are analysed, of how many. */
  progress?: (done: number, total: number) => void;
  /**
   * A worker already analysing the first documents, which has been sent every
   * document (see EarlyAnalysis): it is told where to stop, and the rest are
   * analysed here and on other workers as usual.
   */
  head?: PartWorker | null;
  /**
   * Called once the other threads are done analysing, when what is left (taking their parts in, building
   * the index) runs on this thread alone: a moment for other work to start on the other cores.
   */
  analysed?: () => void;
  /**
   * Called once every document is taken in, before the postings are laid out: the lexicon and the
   * term names are then final (the index's terms are these, in this order).
   */
  worded?: (lexicon: Lexicon, terms: readonly string[]) => void;
}

/** Documents analysed between two progress reports. */
const PROGRESS_EVERY = 2048;

/** Characters of text a thread should have at least: below that, starting it costs more than it saves. */
const MIN_PART_CHARS = 4_000_000;

/**
 * Threads to analyse documents on: MATCH_THREADS when set, else the cores
 * this process may use, as ranking does (see defaultThreads in
 * parallel/rank-parallel.ts). Texts too short to be worth a thread keep to
 * fewer (see MIN_PART_CHARS).
 */
export function analysisThreads(env: NodeJS.ProcessEnv = process.env): number {
  const n = Number(env.MATCH_THREADS);
  return Number.isInteger(n) && n >= 1 ? n : availableParallelism();
}

/**
 * How much more text this thread analyses than each worker: a worker starts
 * cold (modules loaded, code not yet optimised), and this thread must take
 * the workers' parts in afterwards; measured on the SBIR awards on 2 cores,
 * equal parts left this thread waiting about 0.8 s for the worker.
 */
const OWN_PART_WEIGHT = 1.3;

/**
 * How much more of what is left a head worker is given than each other
 * thread: it has met most words already, while this thread's part starts a
 * lexicon of its own and stems every word of it again. With equal shares, CPU
 * profiles of the SBIR awards on 2 cores showed the head done 0.4-0.5 s
 * before this thread, in two runs.
 */
const HEAD_WEIGHT = 1.15;

/**
 * Documents a head worker is left at least beyond those it has done when
 * told where to stop: far more than it analyses in the moment that takes, so
 * that it stops exactly there (see PartWorker.finish).
 */
const HEAD_SLACK = 64;

/**
 * The inverted index of `docCount` documents whose texts `fieldsOf(d)` gives,
 * and each document's language: the same index as `buildIndex` over
 * `analyzeFields` of every document, term ids included, built without a
 * string per term occurrence (see DocumentAnalyzer). Also each document's
 * tokens, and the forward index (each document's terms). With `threads`,
 * consecutive parts of the documents are analysed on other threads and taken
 * in here in order (see parallel-analysis.ts): the same index, sooner.
 */
export function buildTextIndex(docCount: number, fieldsOf: (doc: number) => readonly string[], options: TextIndexOptions, lexicon = new Lexicon(options.concepts)): { index: InvertedIndex; forward: ForwardIndex; langs: Language[]; lexicon: Lexicon; tokens: DocumentTokens } {
  const analyzer = new DocumentAnalyzer(lexicon, options);
  const langs: Language[] = new Array(docCount);
  const docChars = new Float64Array(docCount);
  let chars = 0;
  for (let doc = 0; doc < docCount; doc++) {
    for (const text of fieldsOf(doc)) docChars[doc] += text.length;
    chars += docChars[doc];
  }
  // First guesses at the sizes from the texts' length (words run about 6 characters with the space; a
  // document has about half as many distinct terms as words), so that the large arrays rarely grow:
  // each growth copies them, and large allocations make V8 collect garbage sooner.
  const builder = new IndexBuilder({ docs: docCount, postings: Math.ceil(chars / 10) });
  // Every document's token numbers, texts one after the other, kept for showing words (surface forms) later.
  const tokenStart = int32Array(docCount + 1, options.shared);
  const tokens = new TokenList(Math.ceil(chars / 5), options.shared);
  const fieldEnds: number[] = [];
  const analyzeHere = (from: number, to: number) => {
    for (let doc = from; doc < to; doc++) {
      const start = tokens.length;
      fieldEnds.length = 0;
      for (const text of fieldsOf(doc)) {
        lexicon.tokenizeInto(text, tokens);
        fieldEnds.push(tokens.length);
      }
      tokenStart[doc + 1] = tokens.length;
      // Terms in ascending id, so that the builder holds the forward index (see IndexBuilder.documents).
      langs[doc] = analyzer.analyze(tokens.ids, start, fieldEnds, true);
      builder.addDocument(analyzer.docTerms, analyzer.docTfs, analyzer.termCount, analyzer.wordLength);
      if (options.progress && (doc + 1) % PROGRESS_EVERY === 0) options.progress(doc + 1, docCount);
    }
  };
  // A part analysed on a worker, numbered as this thread would have numbered it reading the part after what it read (see Lexicon.absorb).
  const takeIn = (part: PartAnalysis, from: number, to: number) => {
    // Taken in first, a part keeps its term numbers (numberTerms numbers them in order): with each document's terms
    // in ascending number, its documents go into the index as they are.
    const asTheyAre = analyzer.terms.length === 0 && part.ascending;
    const tokenMap = lexicon.absorb(part.vocabulary);
    const termMap = analyzer.numberTerms(part.termNames);
    const base = tokens.length;
    tokens.pushMapped(part.tokens, tokenMap);
    for (let d = 0; d < to - from; d++) {
      tokenStart[from + d + 1] = base + part.tokenStart[d + 1];
      langs[from + d] = part.langs[d] === 1 ? 'it' : 'en';
      const start = part.termStart[d];
      const end = part.termStart[d + 1];
      if (asTheyAre) {
        builder.addDocument(part.terms, part.tfs, end - start, part.wordLengths[d], start);
      } else {
        analyzer.load(part.terms, part.tfs, start, end, termMap, part.wordLengths[d]);
        builder.addDocument(analyzer.docTerms, analyzer.docTfs, analyzer.termCount, analyzer.wordLength);
      }
    }
  };
  // With a head worker: where it stops, so that it finishes with the others (it counts as one of them).
  const { head } = options;
  let headDocs = 0;
  let headPart: PartAnalysis | null = null;
  if (head) {
    const sharing = Math.max(2, Math.min(options.threads ?? 1, Math.floor(chars / (options.minPartChars ?? MIN_PART_CHARS))));
    const done = Math.min(head.analysed, docCount);
    let left = 0;
    for (let doc = done; doc < docCount; doc++) left += docChars[doc];
    // Warm by now, the head works faster than this thread does on its part (see HEAD_WEIGHT).
    const share = (left * HEAD_WEIGHT) / (sharing - 1 + HEAD_WEIGHT);
    headDocs = done;
    for (let sum = 0; headDocs < docCount && (sum < share || headDocs < done + HEAD_SLACK); headDocs++) sum += docChars[headDocs];
    if (!head.finish(headDocs)) {
      // It may have gone past that point: what it did decides where the rest starts.
      headPart = head.result();
      headDocs = headPart ? headPart.langs.length : 0;
    }
  }
  // Parts of about equal text (this thread's larger, see OWN_PART_WEIGHT) after the head's: the first analysed
  // here, the others on workers started first, then taken in in order.
  let tailChars = 0;
  for (let doc = headDocs; doc < docCount; doc++) tailChars += docChars[doc];
  const parts = Math.max(1, Math.min((options.threads ?? 1) - (head ? 1 : 0), Math.floor(tailChars / (options.minPartChars ?? MIN_PART_CHARS))));
  const bounds = [headDocs];
  const shares = OWN_PART_WEIGHT + parts - 1;
  for (let doc = headDocs, sum = 0; doc < docCount && bounds.length < parts; doc++) {
    sum += docChars[doc];
    if (sum >= (tailChars * (OWN_PART_WEIGHT + bounds.length - 1)) / shares) bounds.push(doc + 1);
  }
  bounds.push(docCount);
  const settings = bounds.length > 2 ? sendable({ lang: options.lang, concepts: options.concepts, fieldWeights: options.fieldWeights }) : null;
  // A part whose worker cannot start (null) is analysed here in its turn.
  const workers = bounds.slice(1, -1).map((from, i) => (settings ? PartWorker.start(partTexts(fieldsOf, from, bounds[i + 2]), settings) : null));
  // This thread's part: with a head, it comes after the head's, so it is analysed on its own and taken in after it.
  const own = head && headDocs < bounds[1] ? analyzePart(partTexts(fieldsOf, headDocs, bounds[1]), options) : null;
  if (!head) analyzeHere(0, bounds[1]);
  // Every other thread's part (a part is null when its worker failed: then it is analysed here in its turn).
  if (head) headPart ??= head.result();
  const analysed = workers.map((worker) => worker?.result() ?? null);
  options.analysed?.();
  if (head) {
    if (headPart) takeIn(headPart, 0, headDocs);
    else analyzeHere(0, headDocs);
    if (own) takeIn(own, headDocs, bounds[1]);
  }
  options.progress?.(bounds[1], docCount);
  analysed.forEach((part, i) => {
    const [from, to] = [bounds[i + 1], bounds[i + 2]];
    if (part) takeIn(part, from, to);
    else analyzeHere(from, to);
    options.progress?.(to, docCount);
  });
  options.worded?.(lexicon, analyzer.terms);
  const index = builder.build(analyzer.terms, analyzer.termIds, options.shared);
  return { index, forward: builder.documents(), langs, lexicon, tokens: { start: tokenStart, tokens: tokens.ids.subarray(0, tokens.length) } };
}

/** The texts of documents [from, to), for a worker. */
function partTexts(fieldsOf: (doc: number) => readonly string[], from: number, to: number): PartTexts {
  const texts: string[] = [];
  const fieldStart = new Int32Array(to - from + 1);
  for (let doc = from; doc < to; doc++) {
    texts.push(...fieldsOf(doc));
    fieldStart[doc - from + 1] = texts.length;
  }
  return { texts, fieldStart };
}
