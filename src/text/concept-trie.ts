import type { Language } from './stopwords.js';

/** What a trie node's concept matches (see ConceptTrie.match): nothing, any text, or only texts in one language. */
export const NO_CONCEPT = 0;
export const ANY_TEXT = 1;
export const ONLY_EN = 2;
export const ONLY_IT = 3;

/** Language codes in `langs`: 0 is none. */
const LANGS: readonly (Language | 'both' | undefined)[] = [undefined, 'it', 'en', 'both'];

/** A trie node as built from a glossary, before it is laid out flat. */
export interface TrieDraft {
  next: Map<string, TrieDraft>;
  concept?: string;
  /** Set for a one-word form that is a stop word somewhere ("ai" is Italian for "to the"): it matches only in texts of this language. */
  onlyIn?: Language;
  /** The glossary column the form comes from; `both` when Italian and English write it alike ("iot"). */
  formLang?: Language | 'both';
}

/** The flat trie as plain data (what the glossary cache stores and a worker is sent). */
export interface FlatTrieData {
  /** Concepts in the glossary. */
  size: number;
  /** Concept ids, numbered from 1 in `nodes` (0: no concept). */
  concepts: readonly string[];
  /** The word leading to each node but the root, in node order: node m's is words[m - 1]. */
  words: readonly string[];
  /** Per node, three numbers: its concept's number, formLang + 4 × onlyIn as language codes, and its number of children. */
  nodes: readonly number[];
}

/**
 * A glossary's phrase trie laid out flat: nodes numbered breadth-first from
 * the root (0), so a node's children are consecutive numbers, with per-node
 * facts in arrays. Reading the built-in glossary back is then a few arrays,
 * not 21,000 objects and Maps; and a node's number is the same in every
 * thread, which may then tell concepts apart by it.
 */
export class ConceptTrie {
  readonly size: number;
  readonly concepts: readonly string[];
  readonly words: readonly string[];
  readonly nodes: readonly number[];
  /** Where each node's children start; the entry past the last node is where none start. */
  private readonly firstChild: Int32Array;
  /** The root's children by word: the root has thousands, every other node a few. Made on the first look-up. */
  private rootChildren: Map<string, number> | null = null;
  /** Per node: NO_CONCEPT, ANY_TEXT, ONLY_EN or ONLY_IT. */
  readonly match: Uint8Array;
  /** The words of every phrase past its first: a token that is none of them ends any phrase it is in. */
  readonly phraseWords: ReadonlySet<string>;

  constructor(data: FlatTrieData) {
    this.size = data.size;
    this.concepts = data.concepts;
    this.words = data.words;
    this.nodes = data.nodes;
    const count = data.nodes.length / 3;
    if (!Number.isInteger(count) || data.words.length !== count - 1) throw new Error('a flat trie needs three numbers per node and a word per node but the root');
    this.firstChild = new Int32Array(count + 1);
    this.match = new Uint8Array(count);
    let first = 1;
    for (let n = 0; n < count; n++) {
      this.firstChild[n] = first;
      first += data.nodes[n * 3 + 2];
      const onlyIn = LANGS[data.nodes[n * 3 + 1] >> 2];
      this.match[n] = data.nodes[n * 3] === 0 ? NO_CONCEPT : !onlyIn ? ANY_TEXT : onlyIn === 'en' ? ONLY_EN : ONLY_IT;
    }
    this.firstChild[count] = first;
    // Breadth-first, the root's children are nodes 1 .. its count; the words of the others continue phrases.
    this.phraseWords = new Set(data.words.slice(data.nodes[2]));
  }

  /** A draft trie laid out flat, its nodes numbered breadth-first in each node's insertion order. */
  static fromDraft(root: TrieDraft, size: number): ConceptTrie {
    const conceptNumbers = new Map<string, number>();
    const concepts: string[] = [];
    const words: string[] = [];
    const nodes: number[] = [];
    const queue = [root];
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
    return new ConceptTrie({ size, concepts, words, nodes });
  }

  /** The trie as plain data: its arrays as they are (the class's methods do not survive cloning). */
  data(): FlatTrieData {
    const { size, concepts, words, nodes } = this;
    return { size, concepts, words, nodes };
  }

  /** How settings and JSON show a glossary: by its size. */
  toJSON(): { size: number } {
    return { size: this.size };
  }

  get nodeCount(): number {
    return this.match.length;
  }

  /** The child of `node` by `word`, or -1. */
  child(node: number, word: string): number {
    if (node === 0) {
      if (!this.rootChildren) {
        this.rootChildren = new Map();
        for (let m = 1; m < this.firstChild[1]; m++) this.rootChildren.set(this.words[m - 1], m);
      }
      return this.rootChildren.get(word) ?? -1;
    }
    for (let m = this.firstChild[node], end = this.firstChild[node + 1]; m < end; m++) if (this.words[m - 1] === word) return m;
    return -1;
  }

  /** The children of `node`: the numbers [first, end). */
  childrenOf(node: number): { first: number; end: number } {
    return { first: this.firstChild[node], end: this.firstChild[node + 1] };
  }

  /** The concept a phrase ending at `node` names, if any. */
  concept(node: number): string | undefined {
    const c = this.nodes[node * 3];
    return c === 0 ? undefined : this.concepts[c - 1];
  }

  /** See TrieDraft.formLang: `both` when the node names no concept in one language only. */
  formLang(node: number): Language | 'both' {
    return (LANGS[this.nodes[node * 3 + 1] & 3] ?? 'both') as Language | 'both';
  }

  /** See TrieDraft.onlyIn. */
  onlyIn(node: number): Language | undefined {
    return LANGS[this.nodes[node * 3 + 1] >> 2] as Language | undefined;
  }
}
