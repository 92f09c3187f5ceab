import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { Script } from 'node:vm';

/**
 * Loads the command line bundled as one CommonJS file (scripts/bundle-cli.js)
 * with the V8 code cache `npm run build` made beside it. V8 compiles a
 * function when it is first called; a run on the fixtures spends about a
 * fifth of its own time doing that, which the cache saves (measured: 100 ms
 * of a 500 ms run). Node 20 has no compile cache for modules
 * (module.enableCompileCache came in Node 22), so the bundle is compiled
 * here as a script, the way Node's CommonJS loader compiles a module.
 *
 * A cache made by another V8 or with other V8 flags is rejected by V8 and
 * the bundle compiles as without one: the cache can make a run slower to
 * start, never different. V8 checks a cache against its source by length
 * only: the build makes the bundle and its cache together, removing both first.
 */

export interface LoadedBundle {
  main(argv: readonly string[]): Promise<number>;
  /** The compiled bundle, for making its code cache (see scripts/bundle-cli.js). */
  script: Script;
  /** Whether V8 turned the cache down; undefined without one. */
  cacheRejected: boolean | undefined;
}

/** Runs `file` as a CommonJS module, compiled with the code cache in `cacheFile` when there is one. */
export function loadBundle(file: string, cacheFile: string | null): LoadedBundle {
  const source = readFileSync(file, 'utf8');
  let cachedData: Buffer | undefined;
  try {
    if (cacheFile) cachedData = readFileSync(cacheFile);
  } catch {
    cachedData = undefined; // not built (or removed): compile without it
  }
  // The wrapper must stay the same between the run that made the cache and the runs that use it.
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, { filename: file, cachedData });
  const module = { exports: {} as { main?: LoadedBundle['main'] } };
  (script.runInThisContext() as (...args: unknown[]) => void)(module.exports, createRequire(file), module, file, dirname(file));
  if (typeof module.exports.main !== 'function') throw new Error(`${file} exports no main()`);
  return { main: module.exports.main, script, cacheRejected: cachedData ? script.cachedDataRejected : undefined };
}
