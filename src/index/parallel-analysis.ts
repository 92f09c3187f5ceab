import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MessageChannel, receiveMessageOnPort, type MessagePort, type Worker } from 'node:worker_threads';
import { startWorker } from '../parallel/worker-exec-argv.js';
import { Lexicon, TokenList, type LexiconVocabulary } from '../text/lexicon.js';
import { DocumentAnalyzer, type AnalysisSettings } from './document-analyzer.js';
import { decodeGlossaryCache, encodeGlossaryCache, type GlossaryCache } from '../io/glossary-cache.js';
import type { ConceptMatcher } from '../text/concepts.js';

/**
 * Analysing documents on other threads. Documents are cut into consecutive
 * parts; each part but the first is analysed on a worker thread with a
 * lexicon and term numbers of its own, and the calling thread, which
 * analyses the first part, takes the others in after it, in order (see
 * buildTextIndex): as a lexicon numbers tokens, stems and terms in the order
 * it first meets them, taking in the parts in document order numbers
 * everything as one thread reading every document would. The index is the
 * same whatever the number of threads.
 */

/** The texts of a part's documents: those of its document d are texts[fieldStart[d] .. fieldStart[d + 1]). */
export interface PartTexts {
  texts: string[];
  fieldStart: Int32Array;
}

/** A part's documents analysed, numbered by the part's own lexicon and terms. */
export interface PartAnalysis {
  /** Document d's tokens are tokens[tokenStart[d] .. tokenStart[d + 1]). */
  tokenStart: Int32Array;
  tokens: Int32Array;
  /** Per document: 0 English, 1 Italian. */
  langs: Uint8Array;
  /** Document d's terms, in the order first met, and their frequencies, are at [termStart[d], termStart[d + 1]). */
  termStart: Int32Array;
  terms: Int32Array;
  tfs: Float64Array;
  wordLengths: Float64Array;
  vocabulary: LexiconVocabulary;
  /** The part's terms by number. */
  termNames: string[];
}

/** How a worker analyses: the settings, the glossary's trie as plain data (see `sendable`). */
export interface SentSettings extends Omit<AnalysisSettings, 'concepts'> {
  glossary: GlossaryCache | null;
}

/**
 * Settings a worker can be sent, or null if they cannot be (then the caller
 * analyses every part). The glossary's trie goes in the flat form of the
 * glossary cache: cloning the trie itself (21,000 nodes of Maps) costs both
 * threads several times as much.
 */
export function sendable(settings: AnalysisSettings): SentSettings | null {
  const { concepts, ...rest } = settings;
  if (!concepts) return { ...rest, glossary: null };
  const glossary = sendableGlossary(concepts);
  return glossary ? { ...rest, glossary } : null;
}

/** A glossary's trie in the flat form a worker is sent (see `sendable`); null when the cache cannot hold it. */
export function sendableGlossary(concepts: ConceptMatcher): GlossaryCache | null {
  try {
    return encodeGlossaryCache(concepts, '');
  } catch {
    return null; // a trie the cache cannot hold (a word with a line break, which tokens never have)
  }
}

/** The trie a worker was sent by sendableGlossary; null if it does not decode. */
export function receivedGlossary(glossary: GlossaryCache): ConceptMatcher | null {
  return decodeGlossaryCache(glossary, '');
}

/** The settings a worker was sent; null if the glossary does not decode. */
export function received(sent: SentSettings): AnalysisSettings | null {
  const { glossary, ...rest } = sent;
  const concepts = glossary ? receivedGlossary(glossary) : null;
  return glossary && !concepts ? null : { ...rest, concepts };
}

/** What a worker is given (see analysis-worker.ts). */
export interface PartInput extends PartTexts {
  settings: SentSettings;
  /** Where the worker posts its PartAnalysis (or what went wrong). */
  port: MessagePort;
  /** Shared flags, at DONE and PROGRESS. */
  signal: Int32Array;
}

/** Set once the worker has posted its reply. */
export const DONE = 0;
/** Counts up as the worker goes, to tell a working thread from a lost one. */
export const PROGRESS = 1;

/** A worker that made no progress this long is given up on, and its part analysed by the calling thread. */
const STALL_MS = 10_000;

/** Analyses a part's documents (on a worker: see analysis-worker.ts), counting progress in `signal`. */
export function analyzePart(part: PartTexts, settings: AnalysisSettings, signal?: Int32Array): PartAnalysis {
  const lexicon = new Lexicon(settings.concepts);
  const analyzer = new DocumentAnalyzer(lexicon, settings);
  const { texts, fieldStart } = part;
  const docs = fieldStart.length - 1;
  let chars = 0;
  for (const text of texts) chars += text.length;
  // First guesses at the sizes, as in buildTextIndex.
  const tokens = new TokenList(Math.ceil(chars / 5));
  const terms = new TokenList(Math.ceil(chars / 10));
  let tfs = new Float64Array(terms.ids.length);
  const tokenStart = new Int32Array(docs + 1);
  const termStart = new Int32Array(docs + 1);
  const langs = new Uint8Array(docs);
  const wordLengths = new Float64Array(docs);
  const fieldEnds: number[] = [];
  for (let d = 0; d < docs; d++) {
    const start = tokens.length;
    fieldEnds.length = 0;
    for (let f = fieldStart[d]; f < fieldStart[d + 1]; f++) {
      lexicon.tokenizeInto(texts[f], tokens);
      fieldEnds.push(tokens.length);
    }
    tokenStart[d + 1] = tokens.length;
    langs[d] = analyzer.analyze(tokens.ids, start, fieldEnds, false) === 'it' ? 1 : 0;
    for (let k = 0; k < analyzer.termCount; k++) terms.push(analyzer.docTerms[k]);
    if (tfs.length < terms.ids.length) {
      const grown = new Float64Array(terms.ids.length);
      grown.set(tfs);
      tfs = grown;
    }
    tfs.set(analyzer.docTfs.subarray(0, analyzer.termCount), termStart[d]);
    termStart[d + 1] = terms.length;
    wordLengths[d] = analyzer.wordLength;
    if (signal && (d & 255) === 255) Atomics.add(signal, PROGRESS, 1);
  }
  return {
    tokenStart,
    tokens: tokens.ids.slice(0, tokens.length),
    langs,
    termStart,
    terms: terms.ids.slice(0, terms.length),
    tfs: tfs.slice(0, terms.length),
    wordLengths,
    vocabulary: lexicon.vocabulary(),
    termNames: analyzer.terms,
  };
}

/** The arrays of a PartAnalysis, which a worker hands over rather than copies. */
export function transferables(part: PartAnalysis): ArrayBuffer[] {
  const { tokenStart, tokens, langs, termStart, terms, tfs, wordLengths, vocabulary } = part;
  return [tokenStart, tokens, langs, termStart, terms, tfs, wordLengths, vocabulary.stemOf.en, vocabulary.stemOf.it].map((a) => a.buffer as ArrayBuffer);
}

const WORKER = new URL('./analysis-worker.js', import.meta.url);

/**
 * A part being analysed on a worker thread. The calling thread collects it
 * with `result`, which blocks (the index is built synchronously), or, should
 * the worker fail or be lost, answers null for the caller to analyse the
 * part itself: the index is the same either way, only slower.
 */
export class PartWorker {
  private constructor(
    private readonly worker: Worker,
    private readonly port: MessagePort,
    private readonly signal: Int32Array,
  ) {}

  /** Starts analysing `part` on a new thread; null when no thread can be started (then the caller analyses it). */
  static start(part: PartTexts, settings: SentSettings): PartWorker | null {
    // Running from the sources (tests) there is no compiled worker to start.
    if (!existsSync(fileURLToPath(WORKER))) return null;
    const { port1, port2 } = new MessageChannel();
    const signal = new Int32Array(new SharedArrayBuffer(8));
    try {
      const input: PartInput = { ...part, settings, port: port2, signal };
      const worker = startWorker(WORKER, { workerData: input, transferList: [port2] });
      // Failures show as a missing reply (see `result`); the worker must not keep the process alive.
      worker.on('error', () => {});
      worker.unref();
      return new PartWorker(worker, port1, signal);
    } catch {
      port1.close();
      return null;
    }
  }

  /** The worker's analysis, once it is done; null if it failed or stopped making progress. */
  result(): PartAnalysis | null {
    const { signal } = this;
    let seen = -1;
    while (Atomics.load(signal, DONE) === 0) {
      const progress = Atomics.load(signal, PROGRESS);
      if (progress === seen) {
        void this.worker.terminate().catch(() => {});
        this.port.close();
        return null;
      }
      seen = progress;
      Atomics.wait(signal, DONE, 0, STALL_MS);
    }
    const reply = receiveMessageOnPort(this.port)?.message as { result: PartAnalysis } | { error: string } | undefined;
    this.port.close();
    return reply && 'result' in reply ? reply.result : null;
  }
}
