import { workerData } from 'node:worker_threads';
import { DONE, PROGRESS, analyzePart, received, transferables, type PartInput } from './parallel-analysis.js';

// Runs in a worker thread: analyses one part of the documents (see parallel-analysis.ts),
// posts the result, then raises DONE, which the thread waiting for it watches.
const { port, signal, settings: sent, ...part } = workerData as PartInput;
Atomics.add(signal, PROGRESS, 1);
try {
  const settings = received(sent);
  if (!settings) throw new Error('the glossary did not decode');
  const result = analyzePart(part, settings, signal);
  port.postMessage({ result }, transferables(result));
} catch (err) {
  port.postMessage({ error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
}
port.unref();
Atomics.store(signal, DONE, 1);
Atomics.notify(signal, DONE);
