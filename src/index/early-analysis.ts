import { PartWorker, sendable } from './parallel-analysis.js';
import type { AnalysisSettings } from './document-analyzer.js';

/**
 * Analysing documents while their file is still being read. Reading a large
 * CSV keeps one thread busy for seconds; a worker started once enough text
 * has come analyses the documents in the order they arrive, so that when
 * indexing begins (see buildTextIndex's `head`) it is already well into
 * them, and it is told where to stop: the rest is analysed as usual, and
 * taken in after its part. The index is the one reading every document on
 * one thread gives.
 *
 * Documents are told by a key (the record): indexing uses the worker's part
 * only if the documents it is given are the same keys in the same order,
 * analysed with the same settings; otherwise the worker is stopped and
 * nothing changes.
 */
export class EarlyAnalysis {
  private worker: PartWorker | null = null;
  /** Stopped, or never to start (one thread, or the worker could not start). */
  private stopped = false;
  private readonly keys: object[] = [];
  private chars = 0;
  /** Texts not yet sent, of `pending` documents. */
  private texts: string[] = [];
  private fieldStart: number[] = [0];

  /**
   * `threads`: analysis threads in all (below 2, nothing is started);
   * `minChars`: text to wait for before starting the worker (a smaller file
   * is not worth a thread); `batch`: documents sent at a time.
   */
  constructor(
    readonly settings: AnalysisSettings,
    private readonly threads: number,
    private readonly minChars = 4_000_000,
    private readonly batch = 512,
  ) {
    if (threads < 2) this.stopped = true;
  }

  /** Document number `index` (counting from 0; a file read again starts again at 0) and its texts. */
  add(key: object, fields: readonly string[], index: number): void {
    if (this.stopped) return;
    if (index !== this.keys.length) {
      // Read again from the start (see loadDataset): what was sent no longer stands.
      this.stop();
      return;
    }
    this.keys.push(key);
    for (const text of fields) {
      this.texts.push(text);
      this.chars += text.length;
    }
    this.fieldStart.push(this.texts.length);
    if (this.worker ? this.fieldStart.length > this.batch : this.chars >= this.minChars) this.flush();
  }

  /**
   * The worker analysing documents `keys` (every one sent to it) with
   * `settings`, for buildTextIndex's `head`; null when there is none or it
   * was given other documents or settings (then it is stopped).
   */
  claim(keys: readonly object[], settings: AnalysisSettings): PartWorker | null {
    if (!this.stopped && this.worker && this.matches(keys, settings)) {
      this.flush();
      const worker = this.worker;
      this.worker = null;
      this.stopped = true;
      return worker;
    }
    this.stop();
    return null;
  }

  /** Stops the worker, if it has not been claimed. */
  stop(): void {
    this.stopped = true;
    this.worker?.stop();
    this.worker = null;
    this.texts = [];
  }

  private matches(keys: readonly object[], settings: AnalysisSettings): boolean {
    const mine = this.settings;
    if (settings.lang !== mine.lang || settings.concepts !== mine.concepts) return false;
    const weights = settings.fieldWeights;
    if (weights.length !== mine.fieldWeights.length || weights.some((w, i) => w !== mine.fieldWeights[i])) return false;
    if (keys.length !== this.keys.length) return false;
    for (let i = 0; i < keys.length; i++) if (keys[i] !== this.keys[i]) return false;
    return true;
  }

  /** Sends the pending documents, starting the worker with them the first time. */
  private flush(): void {
    if (this.fieldStart.length === 1) return;
    const part = { texts: this.texts, fieldStart: Int32Array.from(this.fieldStart) };
    this.texts = [];
    this.fieldStart = [0];
    if (this.worker) {
      this.worker.send(part);
      return;
    }
    // The head's part is taken in first (see buildTextIndex).
    this.worker = PartWorker.start(part, sendable(this.settings), { more: true, ascending: true });
    if (!this.worker) this.stop();
  }
}
