import type { ConceptMatcher } from '../text/concepts.js';
import { ConceptTrie, type FlatTrieData } from '../text/concept-trie.js';

/**
 * The built-in glossary's phrase trie, built once at `npm run build`
 * (scripts/cache-glossary.js) and read back at start-up: parsing about
 * 1,800 concepts and tokenising their forms costs a few hundred
 * milliseconds, reading the trie back a few. The cache holds the glossary
 * text it was built from, and any other text is built afresh: the text
 * itself rather than a digest, since comparing texts costs next to nothing
 * while hashing meant loading node:crypto, 5 ms of every run.
 *
 * The trie is stored as it is laid out (see text/concept-trie.ts): a few
 * arrays and strings, which parse much faster than nested JSON.
 */

/** Bumped when the layout changes, so an older cache is rebuilt rather than misread. */
const FORMAT = 4;

/** The trie's data (see FlatTrieData), its words joined by newlines (tokens hold none): one string parses faster than 21,000. */
export interface GlossaryCache extends Omit<FlatTrieData, 'words'> {
  format: number;
  /** The glossary text the trie was built from. */
  source: string;
  words: string;
}

/** The glossary as text: the file's bytes, as UTF-8, or its text already decoded. */
function glossaryText(text: string | Uint8Array): string {
  return typeof text === 'string' ? text : Buffer.from(text.buffer, text.byteOffset, text.byteLength).toString('utf8');
}

function joinWords(list: readonly string[]): string {
  if (list.some((w) => w.includes('\n'))) throw new Error('a glossary token holds a line break; the cache cannot store it');
  return list.join('\n');
}

function splitWords(joined: string): string[] {
  return joined === '' ? [] : joined.split('\n');
}

/** The cache of `matcher`'s trie, built from glossary text `text`. */
export function encodeGlossaryCache(matcher: ConceptMatcher, text: string): GlossaryCache {
  const data = matcher.data();
  return { format: FORMAT, source: text, ...data, words: joinWords(data.words) };
}

/**
 * The cache as JSON, non-ASCII characters escaped: a single 'ł' would make
 * the whole file a two-byte string, slower to parse.
 */
export function glossaryCacheJson(cache: GlossaryCache): string {
  return JSON.stringify(cache).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The matcher the cache holds, or null when it was built from another text or in another layout. */
export function decodeGlossaryCache(cache: GlossaryCache, text: string | Uint8Array): ConceptMatcher | null {
  if (cache.format !== FORMAT || cache.source !== glossaryText(text)) return null;
  return new ConceptTrie({ size: cache.size, concepts: cache.concepts, words: splitWords(cache.words), nodes: cache.nodes });
}
