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
