import { createHash } from 'node:crypto';
import type { ConceptMatcher } from '../text/concepts.js';

/**
 * The built-in glossary's phrase trie, built once at `npm run build`
 * (scripts/cache-glossary.js) and read back at start-up: parsing about
 * 1,800 concepts and tokenising their forms costs a few hundred
 * milliseconds, reading the trie back a few. The cache names the glossary
 * text it was built from; any other text is built afresh.
 *
 * The trie is stored flat, its 21,000 nodes in breadth-first order so that
 * a node's children are consecutive: a few arrays and strings parse much
 * faster than nested JSON, and nodes become objects only when a run reaches
 * them (a run walks a small part of the trie).
 */

type TrieNode = ConceptMatcher['root'];
type Lang = TrieNode['formLang'];

/** Bumped when the layout changes, so an older cache is rebuilt rather than misread. */
const FORMAT = 2;
/** Language codes in `nodes`: 0 is none. */
const LANGS: readonly Lang[] = [undefined, 'it', 'en', 'both'];
/** Numbers per node in `nodes`. */
const STRIDE = 3;

export interface GlossaryCache {
  format: number;
  /** SHA-1 of the glossary text the trie was built from. */
  source: string;
  size: number;
  /** Concept ids, numbered from 1 in `nodes` (0: no concept). */
  concepts: string[];
  /** The word leading to each node but the root, in node order, joined by newlines (tokens hold none): one string parses faster than 21,000. */
  words: string;
  /** Per node: its concept's number, formLang + 4 × onlyIn as language codes, and its number of children. */
  nodes: number[];
  /** See ConceptMatcher.phraseWords, joined by newlines. */
  phraseWords: string;
}

/** SHA-1 of the glossary as UTF-8: the text, or the file's bytes, give the same fingerprint. */
export function glossaryFingerprint(text: string | Uint8Array): string {
  return createHash('sha1').update(text).digest('hex');
}

function phraseWords(node: TrieNode, into: Set<string>): Set<string> {
  for (const [word, child] of node.next) {
    into.add(word);
    phraseWords(child, into);
  }
  return into;
}

function joinWords(words: Iterable<string>): string {
  const list = [...words];
  if (list.some((w) => w.includes('\n'))) throw new Error('a glossary token holds a line break; the cache cannot store it');
  return list.join('\n');
}

function splitWords(joined: string): string[] {
  return joined === '' ? [] : joined.split('\n');
}

/** The cache each matcher read back from a cache came from. */
const decodedFrom = new WeakMap<ConceptMatcher, GlossaryCache>();

/**
 * The cache of `matcher`'s trie, named after `text`. A matcher read back from
 * a cache gives that cache again (the same trie in the same order), without
 * walking the trie: walking it would turn every node of a lazily read trie
 * into objects (measured: 126 ms for the built-in glossary, against a few).
 */
export function encodeGlossaryCache(matcher: ConceptMatcher, text: string): GlossaryCache {
  const read = decodedFrom.get(matcher);
  if (read) return { ...read, source: glossaryFingerprint(text) };
  const conceptNumbers = new Map<string, number>();
  const concepts: string[] = [];
  const words: string[] = [];
  const nodes: number[] = [];
  const queue = [matcher.root];
  for (let q = 0; q < queue.length; q++) {
    const node = queue[q];
    let concept = 0;
    if (node.concept !== undefined) {
      concept = conceptNumbers.get(node.concept) ?? concepts.push(node.concept);
      conceptNumbers.set(node.concept, concept);
    }
    nodes.push(concept, LANGS.indexOf(node.formLang) + 4 * LANGS.indexOf(node.onlyIn), node.next.size);
    for (const [word, child] of node.next) {
      words.push(word);
      queue.push(child);
    }
  }
  const inPhrases = new Set<string>();
  for (const child of matcher.root.next.values()) phraseWords(child, inPhrases);
  return { format: FORMAT, source: glossaryFingerprint(text), size: matcher.size, concepts, words: joinWords(words), nodes, phraseWords: joinWords(inPhrases) };
}

/**
 * The cache as JSON, non-ASCII characters escaped: a single 'ł' would make
 * the whole file a two-byte string, slower to parse.
 */
export function glossaryCacheJson(cache: GlossaryCache): string {
  return JSON.stringify(cache).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

const NODE_NUMBER = Symbol('node number');
type CachedNode = TrieNode & { [NODE_NUMBER]: number };

/** Turns the flat nodes into trie nodes as they are reached. */
class FlatTrie {
  private readonly words: string[];
  /** Where each node's children start, as node numbers. */
  private readonly firstChild: Int32Array;
  /**
   * `next` of a node not reached yet. It is an own, enumerable getter, not a
   * class accessor: structured cloning (the ranking threads' workerData)
   * copies own properties only, and so still copies the whole trie.
   */
  private readonly lazyNext: PropertyDescriptor;

  constructor(private readonly cache: GlossaryCache) {
    this.words = splitWords(cache.words);
    const count = cache.nodes.length / STRIDE;
    this.firstChild = new Int32Array(count);
    for (let i = 0, first = 1; i < count; i++) {
      this.firstChild[i] = first;
      first += cache.nodes[i * STRIDE + 2];
    }
    const trie = this;
    this.lazyNext = {
      enumerable: true,
      configurable: true,
      get(this: CachedNode) {
        const next = trie.children(this[NODE_NUMBER]);
        Object.defineProperty(this, 'next', { value: next, writable: true, enumerable: true, configurable: true });
        return next;
      },
    };
  }

  node(n: number): TrieNode {
    const { nodes, concepts } = this.cache;
    const concept = nodes[n * STRIDE];
    const langs = nodes[n * STRIDE + 1];
    const node = { concept: concept === 0 ? undefined : concepts[concept - 1], onlyIn: LANGS[langs >> 2], formLang: LANGS[langs & 3], [NODE_NUMBER]: n };
    return Object.defineProperty(node, 'next', this.lazyNext) as CachedNode;
  }

  private children(n: number): Map<string, TrieNode> {
    const next = new Map<string, TrieNode>();
    const first = this.firstChild[n];
    const end = first + this.cache.nodes[n * STRIDE + 2];
    // Node m's word is words[m - 1]: the root has none.
    for (let m = first; m < end; m++) next.set(this.words[m - 1], this.node(m));
    return next;
  }
}

/** The matcher the cache holds, or null when it was built from another text or in another layout. */
export function decodeGlossaryCache(cache: GlossaryCache, text: string | Uint8Array): ConceptMatcher | null {
  if (cache.format !== FORMAT || cache.source !== glossaryFingerprint(text)) return null;
  const matcher = { root: new FlatTrie(cache).node(0), size: cache.size, phraseWords: new Set(splitWords(cache.phraseWords)) };
  decodedFrom.set(matcher, cache);
  return matcher;
}
