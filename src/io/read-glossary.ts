import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { inputError } from '../errors.js';
import { createConceptMatcher, mergeGlossaries, parseGlossary, type ConceptMatcher, type Glossary } from '../text/concepts.js';
import { decodeGlossaryCache, glossaryCacheCurrent, type GlossaryCache } from './glossary-cache.js';

/** The glossary that ships with match (glossary/default.csv in the package). */
export const DEFAULT_GLOSSARY_PATH = new URL('../../glossary/default.csv', import.meta.url);

async function readGlossary(path: string | URL, label: string): Promise<Glossary> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw inputError(label, undefined, `cannot read the glossary (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  const parsed = parseGlossary(text);
  if ('problem' in parsed) throw inputError(label, parsed.line, `${parsed.problem}; see "Glossary" in the README for the format`);
  return parsed;
}

/** The built-in glossary's trie, prebuilt by `npm run build` (see glossary-cache.ts). */
export const DEFAULT_GLOSSARY_CACHE = new URL('../glossary-default.json', import.meta.url);
/** A copy of the glossary file the cache was built from. */
export const DEFAULT_GLOSSARY_CACHE_SOURCE = new URL('../glossary-default.source.csv', import.meta.url);

/** The built-in glossary from its prebuilt trie, when the cache was built from the glossary file as it is; else null. */
function cachedDefault(): ConceptMatcher | null {
  try {
    // Read in one call each (a megabyte in all): asynchronous reads cost every run more in round trips to libuv's threads.
    if (!glossaryCacheCurrent(readFileSync(DEFAULT_GLOSSARY_CACHE_SOURCE), readFileSync(DEFAULT_GLOSSARY_PATH))) return null;
    // The JSON is ASCII (see glossaryCacheJson): read as Latin-1, it skips UTF-8 decoding.
    return decodeGlossaryCache(JSON.parse(readFileSync(DEFAULT_GLOSSARY_CACHE, 'latin1')) as GlossaryCache);
  } catch {
    return null; // no cache (running from the sources, or not built): build the trie
  }
}

/** The default glossary, with `extra` entries added or overriding by concept id; null when turned off. */
export async function loadConcepts(options: { useDefault: boolean; extra?: string }): Promise<ConceptMatcher | null> {
  if (options.useDefault && !options.extra) {
    const cached = cachedDefault();
    if (cached) return cached;
  }
  const parts: Glossary[] = [];
  if (options.useDefault) parts.push(await readGlossary(DEFAULT_GLOSSARY_PATH, 'glossary/default.csv'));
  if (options.extra) parts.push(await readGlossary(options.extra, options.extra));
  if (parts.length === 0) return null;
  return createConceptMatcher(parts.reduce(mergeGlossaries));
}
