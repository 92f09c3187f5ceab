import { createHash } from 'node:crypto';
import type { ConceptMatcher } from '../text/concepts.js';

/**
 * The built-in glossary's phrase trie, built once at `npm run build`
 * (scripts/cache-glossary.js) and read back at start-up: parsing about
 * 1,800 concepts and tokenising their forms costs a few hundred
 * milliseconds, reading the trie back a few. The cache names the glossary
 * text it was built from; any other text is built afresh.
 */

type TrieNode = ConceptMatcher['root'];
/** A trie node as JSON: its own fields (concept, languages), then its children by word. */
type EncodedNode = [Record<string, unknown>, [string, EncodedNode][]];

export interface GlossaryCache {
  /** SHA-1 of the glossary text the trie was built from. */
  source: string;
  size: number;
  root: EncodedNode;
  /** See ConceptMatcher.phraseWords. */
  phraseWords: string[];
}

export function glossaryFingerprint(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}

function encode(node: TrieNode): EncodedNode {
  const { next, ...fields } = node;
  return [fields, [...next].map(([word, child]) => [word, encode(child)])];
}

/** A node whose children are decoded when first asked for: a run only walks a small part of the trie. */
function decode([fields, children]: EncodedNode): TrieNode {
  let next: Map<string, TrieNode> | undefined;
  return {
    ...fields,
    get next() {
      next ??= new Map(children.map(([word, child]) => [word, decode(child)]));
      return next;
    },
  } as TrieNode;
}

function phraseWords(node: TrieNode, into: Set<string>): Set<string> {
  for (const [word, child] of node.next) {
    into.add(word);
    phraseWords(child, into);
  }
  return into;
}

export function encodeGlossaryCache(matcher: ConceptMatcher, text: string): GlossaryCache {
  const words = new Set<string>();
  for (const child of matcher.root.next.values()) phraseWords(child, words);
  return { source: glossaryFingerprint(text), size: matcher.size, root: encode(matcher.root), phraseWords: [...words] };
}

/** The matcher the cache holds, or null when it was built from another text. */
export function decodeGlossaryCache(cache: GlossaryCache, text: string): ConceptMatcher | null {
  if (cache.source !== glossaryFingerprint(text)) return null;
  return { root: decode(cache.root), size: cache.size, phraseWords: new Set(cache.phraseWords) };
}
