import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MessageChannel, receiveMessageOnPort, type MessagePort, type Worker } from 'node:worker_threads';
import { startWorker } from '../parallel/worker-exec-argv.js';
import { Lexicon, TokenList, type LexiconSnapshot } from '../text/lexicon.js';
import { DocumentAnalyzer, type AnalysisSettings } from './document-analyzer.js';
import { ConceptTrie, type FlatTrieData } from '../text/concept-trie.js';
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
  /**
   * Document d's terms and their frequencies are at [termStart[d], termStart[d + 1]): in ascending
   * number when `ascending`, else in the order first met.
   */
  termStart: Int32Array;
  terms: Int32Array;
  /** Single precision, as the index keeps them (see IndexBuilder): half the memory, the same index. */
  tfs: Float32Array;
  wordLengths: Float64Array;
  vocabulary: LexiconSnapshot;
  /** The part's terms by number. */
  termNames: string[];
  ascending: boolean;
}

/** How a worker analyses: the settings, the glossary's trie as plain data (see `sendable`). */
export interface SentSettings extends Omit<AnalysisSettings, 'concepts'> {
  glossary: FlatTrieData | null;
}

/** Settings a worker can be sent: the glossary's trie as plain data, which structured cloning copies as it is. */
export function sendable(settings: AnalysisSettings): SentSettings {
  const { concepts, ...rest } = settings;
  return { ...rest, glossary: concepts ? sendableGlossary(concepts) : null };
}

/** A glossary's trie as a worker is sent it: its arrays. */
export function sendableGlossary(concepts: ConceptMatcher): FlatTrieData {
  return concepts.data();
}

/** The trie a worker was sent by sendableGlossary. */
export function receivedGlossary(glossary: FlatTrieData): ConceptMatcher {
  return new ConceptTrie(glossary);
}

/** The settings a worker was sent. */
export function received(sent: SentSettings): AnalysisSettings {
  const { glossary, ...rest } = sent;
  return { ...rest, concepts: glossary ? receivedGlossary(glossary) : null };
}

/** What a worker is given (see analysis-worker.ts): its first documents; more may follow as messages (see PartWorker.send). */
export interface PartInput extends PartTexts {
  settings: SentSettings;
  /** Where the worker posts its PartAnalysis (or what went wrong), and receives more documents. */
  port: MessagePort;
  /** Shared counters, at DONE, PROGRESS, LIMIT and ANALYSED. */
  signal: Int32Array;
  /** More documents will follow. */
  more: boolean;
  /** Each document's terms in ascending number (see PartAnalyzer). */
  ascending: boolean;
}

/** More documents for a worker (see PartWorker.send), or word that none will follow. */
export type PartMessage = PartTexts | { end: true };

/** Set once the worker has posted its reply. */
export const DONE = 0;
/** Counts up as the worker goes, to tell a working thread from a lost one. */
export const PROGRESS = 1;
/** How many documents the worker is to analyse: it stops there, and replies, even with more sent. */
export const LIMIT = 2;
/** How many documents the worker has analysed. */
export const ANALYSED = 3;

/** A worker that made no progress this long is given up on, and its part analysed by the calling thread. */
const STALL_MS = 10_000;

/** Analyses a part's documents (on a worker: see analysis-worker.ts), counting progress in `signal`. */
export function analyzePart(part: PartTexts, settings: AnalysisSettings, signal?: Int32Array): PartAnalysis {
  const { texts, fieldStart } = part;
  let chars = 0;
  for (const text of texts) chars += text.length;
  const analyzer = new PartAnalyzer(settings, chars, false);
  const docs = fieldStart.length - 1;
  for (let d = 0; d < docs; d++) {
    analyzer.add(texts, fieldStart[d], fieldStart[d + 1]);
    if (signal && (d & 255) === 255) Atomics.add(signal, PROGRESS, 1);
  }
  return analyzer.result();
}

/** `analyzePart` a document at a time, for documents that arrive as a file is read. */
export class PartAnalyzer {
  private readonly lexicon: Lexicon;
  private readonly analyzer: DocumentAnalyzer;
  private readonly tokens: TokenList;
  private readonly terms: TokenList;
  private tfs: Float32Array;
  private readonly tokenStart = new TokenList(1024);
  private readonly termStart = new TokenList(1024);
  private readonly langs: number[] = [];
  private readonly wordLengths: number[] = [];
  private readonly fieldEnds: number[] = [];

  /**
   * `chars`: about how much text is coming, to size the arrays (they grow as needed).
   * `ascending`: each document's terms in ascending number, for the part taken in first
   * (see buildTextIndex), whose numbers stay as they are: its documents then go into the
   * index as they are, where sorting them there would hold up the one thread building it.
   */
  constructor(settings: AnalysisSettings, chars = 0, private readonly ascending = false) {
    this.lexicon = new Lexicon(settings.concepts);
    this.analyzer = new DocumentAnalyzer(this.lexicon, settings);
    // First guesses at the sizes, as in buildTextIndex.
    this.tokens = new TokenList(Math.ceil(chars / 5));
    this.terms = new TokenList(Math.ceil(chars / 10));
    this.tfs = new Float32Array(this.terms.ids.length);
    this.tokenStart.push(0);
    this.termStart.push(0);
  }

  /** Documents analysed so far. */
  get docs(): number {
    return this.langs.length;
  }

  /** Analyses the next document, whose texts are texts[from .. to). */
  add(texts: readonly string[], from: number, to: number): void {
    const { lexicon, analyzer, tokens, terms, fieldEnds } = this;
    const start = tokens.length;
    fieldEnds.length = 0;
    for (let f = from; f < to; f++) {
      lexicon.tokenizeInto(texts[f], tokens);
      fieldEnds.push(tokens.length);
    }
    this.tokenStart.push(tokens.length);
    this.langs.push(analyzer.analyze(tokens.ids, start, fieldEnds, this.ascending) === 'it' ? 1 : 0);
    const termsBefore = terms.length;
    for (let k = 0; k < analyzer.termCount; k++) terms.push(analyzer.docTerms[k]);
    if (this.tfs.length < terms.ids.length) {
      const grown = new Float32Array(terms.ids.length);
      grown.set(this.tfs);
      this.tfs = grown;
    }
    this.tfs.set(analyzer.docTfs.subarray(0, analyzer.termCount), termsBefore);
    this.termStart.push(terms.length);
    this.wordLengths.push(analyzer.wordLength);
  }

  /** The analysis so far, in views of the analyzer's arrays (not copies: they may be large), to use once. */
  result(): PartAnalysis {
    const { tokens, terms } = this;
    return {
      tokenStart: this.tokenStart.ids.subarray(0, this.tokenStart.length),
      tokens: tokens.ids.subarray(0, tokens.length),
      langs: Uint8Array.from(this.langs),
      termStart: this.termStart.ids.subarray(0, this.termStart.length),
      terms: terms.ids.subarray(0, terms.length),
      tfs: this.tfs.subarray(0, terms.length),
      wordLengths: Float64Array.from(this.wordLengths),
      vocabulary: this.lexicon.snapshot(),
      termNames: this.analyzer.terms,
      ascending: this.ascending,
    };
  }
}

/** The arrays of a PartAnalysis, which a worker hands over rather than copies. */
export function transferables(part: PartAnalysis): ArrayBuffer[] {
  const { tokenStart, tokens, langs, termStart, terms, tfs, wordLengths, vocabulary } = part;
  const { table, spans, chars, flags, stemOf } = vocabulary;
  return [tokenStart, tokens, langs, termStart, terms, tfs, wordLengths, stemOf.en, stemOf.it, table, spans, chars, flags].map((a) => a.buffer as ArrayBuffer);
}

const WORKER = new URL('./analysis-worker.js', import.meta.url);

/**
 * A part being analysed on a worker thread: the documents it was started
 * with, and those sent after, up to a limit. The calling thread collects it
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

  /**
   * Starts analysing `part` on a new thread; null when no thread can be
   * started (then the caller analyses it). `more`: documents will follow
   * (`send`) until `finish`; otherwise the worker stops after `part`.
   * `ascending`: see PartAnalyzer.
   */
  static start(part: PartTexts, settings: SentSettings, { more = false, ascending = false } = {}): PartWorker | null {
    // Running from the sources (tests) there is no compiled worker to start.
    if (!existsSync(fileURLToPath(WORKER))) return null;
    const { port1, port2 } = new MessageChannel();
    const signal = new Int32Array(new SharedArrayBuffer(16));
    signal[LIMIT] = more ? 0x7fffffff : part.fieldStart.length - 1;
    try {
      const input: PartInput = { ...part, settings, port: port2, signal, more, ascending };
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

  /** Documents analysed so far. */
  get analysed(): number {
    return Atomics.load(this.signal, ANALYSED);
  }

  /** More documents, after those sent before. */
  send(part: PartTexts): void {
    this.port.postMessage(part satisfies PartMessage);
  }

  /**
   * Tells the worker to analyse the first `limit` documents sent and reply.
   * Returns true when it will stop exactly there; false when it may have
   * gone past (it stops at its next document, and its reply says where).
   */
  finish(limit: number): boolean {
    Atomics.store(this.signal, LIMIT, limit);
    // The worker reads the limit before each document: while fewer than `limit` are done, the one
    // under way (begun before the limit was set) is within it, and the worker stops at `limit`.
    const exact = Atomics.load(this.signal, ANALYSED) < limit;
    this.port.postMessage({ end: true } satisfies PartMessage);
    return exact;
  }

  /** Stops the worker, whatever it is doing; `result` then answers null. */
  stop(): void {
    void this.worker.terminate().catch(() => {});
    this.port.close();
  }

  /** The worker's analysis, once it is done; null if it failed or stopped making progress. */
  result(): PartAnalysis | null {
    const { signal } = this;
    let seen = -1;
    while (Atomics.load(signal, DONE) === 0) {
      const progress = Atomics.load(signal, PROGRESS);
      if (progress === seen) {
        this.stop();
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
