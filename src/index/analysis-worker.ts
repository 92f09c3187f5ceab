import { workerData } from 'node:worker_threads';
import { ANALYSED, DONE, LIMIT, PROGRESS, PartAnalyzer, received, transferables, type PartInput, type PartMessage, type PartTexts } from './parallel-analysis.js';

// Runs in a worker thread: analyses one part of the documents (see parallel-analysis.ts), the
// documents it was started with and any sent after, up to LIMIT; posts the result, then raises
// DONE, which the thread waiting for it watches.
const { port, signal, settings: sent, texts, fieldStart, more, ascending } = workerData as PartInput;
Atomics.add(signal, PROGRESS, 1);

/**
 * Characters of text a worker's arrays first have room for when more documents will follow: room for a large file from the start. Pages never written are never resident, so
 * this costs address space only, while arrays grown as batches come are copied each time, and the
 * old copies' memory stays with the allocator (measured on the SBIR awards: 20-25 MB more peak RSS).
 */
const STREAMED_CHARS = 128_000_000;

let analyzer: PartAnalyzer | null = null;
let finished = false;

function finish(reply: object, transfer: ArrayBuffer[] = []): void {
  finished = true;
  port.postMessage(reply, transfer);
  port.close();
  Atomics.store(signal, DONE, 1);
  Atomics.notify(signal, DONE);
}

/** Analyses `part`'s documents until LIMIT; replies once there, or once told that no more will come. */
function take(part: PartTexts | null, ended: boolean): void {
  if (finished) return;
  try {
    if (!analyzer) {
      const settings = received(sent);
      let chars = 0;
      for (const text of texts) chars += text.length;
      analyzer = new PartAnalyzer(settings, more ? Math.max(chars, STREAMED_CHARS) : chars, ascending);
    }
    if (part) {
      const docs = part.fieldStart.length - 1;
      for (let d = 0; d < docs && analyzer.docs < Atomics.load(signal, LIMIT); d++) {
        analyzer.add(part.texts, part.fieldStart[d], part.fieldStart[d + 1]);
        Atomics.store(signal, ANALYSED, analyzer.docs);
        if ((d & 255) === 255) Atomics.add(signal, PROGRESS, 1);
      }
    }
    if (ended || analyzer.docs >= Atomics.load(signal, LIMIT)) {
      const result = analyzer.result();
      finish({ result }, transferables(result));
    }
  } catch (err) {
    finish({ error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  }
}

port.on('message', (message: PartMessage) => take('end' in message ? null : message, 'end' in message));
take({ texts, fieldStart }, false);
