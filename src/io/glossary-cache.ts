import type { ConceptMatcher } from '../text/concepts.js';
import { ConceptTrie, type FlatTrieData } from '../text/concept-trie.js';

/**
 * The built-in glossary's phrase trie, built once at `npm run build`
 * (scripts/cache-glossary.js) and read back at start-up: parsing about
 * 1,800 concepts and tokenising their forms costs a few hundred
 * milliseconds, reading the trie back a few. Beside the cache, the build
 * keeps a copy of the glossary file it was built from; any other glossary is
 * built afresh. A byte-for-byte copy rather than a digest: comparing bytes
 * costs next to nothing, while hashing meant loading node:crypto (5 ms of
 * every run), and decoding and comparing the text as a string took 3-5 ms.
 *
 * The trie is stored as it is laid out (see text/concept-trie.ts): a few
 * arrays and strings, which parse much faster than nested JSON.
 */

/** Bumped when the layout changes, so an older cache is rebuilt rather than misread. */
const FORMAT = 5;

/** The trie's data (see FlatTrieData), its words joined by newlines (tokens hold none): one string parses faster than 21,000. */
export interface GlossaryCache extends Omit<FlatTrieData, 'words'> {
  format: number;
  words: string;
}

/** Whether a cache built from the glossary file's bytes `builtFrom` holds the glossary whose bytes are `glossary`. */
export function glossaryCacheCurrent(builtFrom: Uint8Array, glossary: Uint8Array): boolean {
  return Buffer.from(builtFrom.buffer, builtFrom.byteOffset, builtFrom.byteLength).equals(glossary);
}

function joinWords(list: readonly string[]): string {
  if (list.some((w) => w.includes('\n'))) throw new Error('a glossary token holds a line break; the cache cannot store it');
  return list.join('\n');
}

function splitWords(joined: string): string[] {
  return joined === '' ? [] : joined.split('\n');
}

/** The cache of `matcher`'s trie. */
export function encodeGlossaryCache(matcher: ConceptMatcher): GlossaryCache {
  const data = matcher.data();
  return { format: FORMAT, ...data, words: joinWords(data.words) };
}

/**
 * The cache as JSON, non-ASCII characters escaped: a single 'ł' would make
 * the whole file a two-byte string, slower to parse.
 */
export function glossaryCacheJson(cache: GlossaryCache): string {
  return JSON.stringify(cache).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The matcher the cache holds, or null when it is in another layout. */
export function decodeGlossaryCache(cache: GlossaryCache): ConceptMatcher | null {
  if (cache.format !== FORMAT) return null;
  return new ConceptTrie({ size: cache.size, concepts: cache.concepts, words: splitWords(cache.words), nodes: cache.nodes });
}
