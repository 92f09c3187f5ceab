import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * The Node options a worker thread should start with: this process's, except
 * --input-type, which Node accepts only with -e/--eval or stdin and makes a
 * worker started from a file refuse to load (as when match runs under `node -e`).
 */
export function workerExecArgv(execArgv: readonly string[] = process.execArgv): string[] {
  const out: string[] = [];
  for (let i = 0; i < execArgv.length; i++) {
    const arg = execArgv[i];
    if (arg.startsWith('--input-type=')) continue;
    if (arg === '--input-type') {
      i++; // and its value
      continue;
    }
    out.push(arg);
  }
  return out;
}

/**
 * A worker thread started with this process's Node options (workerExecArgv),
 * or with none when Node refuses them for a thread: options that apply to a
 * whole process, such as V8's heap sizes (`node --max-semi-space-size=64`),
 * make `new Worker` throw, and the thread does the same work without them.
 */
export function startWorker(filename: string | URL, options: Omit<WorkerOptions, 'execArgv'>, execArgv: readonly string[] = process.execArgv): Worker {
  try {
    return new Worker(filename, { ...options, execArgv: workerExecArgv(execArgv) });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ERR_WORKER_INVALID_EXEC_ARGV') throw err;
    return new Worker(filename, { ...options, execArgv: [] });
  }
}
