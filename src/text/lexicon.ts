import { tokenize } from './tokenize.js';
import { stem } from './stem.js';
import { STOPWORDS, type Language } from './stopwords.js';
import type { LanguageOption } from './language.js';
import { matchKey, type ConceptMatcher } from './concepts.js';

type TrieNode = ConceptMatcher['root'];

const EN_STOP = 1;
const IT_STOP = 2;
/** Stem not worked out yet; -2 means the token is not a content word in that language. */
const UNKNOWN = -1;
const NOT_CONTENT = -2;

const NON_ASCII = /[^\x00-\x7f]/;
const SURROGATE = /[\ud800-\udfff]/;
const DIGIT = /\d/;

// Character classes of the scanner, which reads the grammar of `tokenize`:
// \p{N}+(?:[.,]\p{N}+)*(?:\p{L}[\p{L}\p{N}\p{M}]*)? | \p{L}[\p{L}\p{N}\p{M}]*
const OTHER = 0;
const LETTER = 1;
const NUMBER = 2;
const MARK = 3;
const UNCLASSIFIED = 255;
/** Class of each UTF-16 code unit, filled in as characters are first met. */
const CLASSES = new Uint8Array(0x10000).fill(UNCLASSIFIED);

function classify(c: number): number {
  const ch = String.fromCharCode(c);
  const k = /\p{L}/u.test(ch) ? LETTER : /\p{N}/u.test(ch) ? NUMBER : /\p{M}/u.test(ch) ? MARK : OTHER;
  CLASSES[c] = k;
  return k;
}
for (let c = 0; c < 128; c++) classify(c);

const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 16777619;

/** A Lexicon as plain data (see Lexicon.snapshot). */
export interface LexiconSnapshot {
  tokens: string[];
  table: Int32Array;
  chars: Uint16Array;
  flags: Uint8Array;
  stemOf: Record<Language, Int32Array>;
  stems: string[];
}

/**
 * The distinct tokens of a corpus, each given a number, with what analysis
 * needs to know about a token (stop word in which language, its stem in
 * each, where it enters the glossary's phrase trie) worked out once per
 * token instead of once per occurrence. Tokenising a text then costs one
 * regular-expression pass and one map look-up per word; the results are
 * those of `tokenize`, `detectLanguage`, `termsOf` and `findConcepts`.
 */
export class Lexicon {
  readonly tokens: string[] = [];
  /**
   * Open-addressing hash table over `tokens`, so the scanner looks a word up
   * without first making it a string: per slot the word's hash (FNV-1a of its
   * lower-cased characters), its number + 1 (0: empty), and where its
   * characters are in `chars`, kept side by side so a look-up touches little memory.
   */
  private table: Int32Array = new Int32Array(4 << 13);
  private chars: Uint16Array = new Uint16Array(1 << 16);
  private charsUsed = 0;
  private flags: Uint8Array = new Uint8Array(1 << 12);
  /** Per language: token → stem number (see `stems`), NOT_CONTENT, or UNKNOWN. */
  private readonly stemOf: Record<Language, Int32Array> = { en: new Int32Array(1 << 12).fill(UNKNOWN), it: new Int32Array(1 << 12).fill(UNKNOWN) };
  /** Distinct stems, numbered in the order they were first asked for. */
  readonly stems: string[] = [];
  private readonly stemIds = new Map<string, number>();
  /** Per token, filled in when first needed (kept dense: arrays with holes are slow). */
  private readonly keys: (string | undefined)[] = [];
  /**
   * The glossary's phrase trie, walked by token number: trie nodes are
   * numbered as they are reached, `startNode[token]` is where a phrase
   * starting with the token leads (-1: nowhere, -2: not worked out), and
   * `steps[node]` caches the node's children by token number.
   */
  private readonly nodes: TrieNode[] = [];
  private readonly nodeNumbers = new Map<TrieNode, number>();
  /**
   * What findConcepts reads of each numbered node, in arrays of one shape:
   * trie nodes come in many shapes, which makes reading them slow.
   */
  private readonly nodeConcept: (string | undefined)[] = [];
  private readonly nodeOnlyIn: (Language | undefined)[] = [];
  private readonly nodeForm: (Language | 'both')[] = [];
  /** Children by token: an open-addressing table of (node, token, child + 2) triples (child -1: none), 0 when empty. */
  private stepTable = new Int32Array(3 << 12);
  private stepCount = 0;
  private startNode = new Int32Array(1 << 12).fill(-2);
  /** 1: the token occurs in some phrase past its first word; 2: in none; 0: not worked out. */
  private inPhrase = new Uint8Array(1 << 12);
  /** Words that occur in glossary phrases past the first. */
  private phraseKeys: ReadonlySet<string> | null = null;

  constructor(readonly concepts: ConceptMatcher | null = null) {}

  /** What the lexicon knows, as plain data that another thread can receive. */
  snapshot(): LexiconSnapshot {
    return {
      tokens: this.tokens.slice(),
      table: this.table.slice(),
      chars: this.chars.slice(0, this.charsUsed),
      flags: this.flags.slice(),
      stemOf: { en: this.stemOf.en.slice(), it: this.stemOf.it.slice() },
      stems: this.stems.slice(),
    };
  }

  /** A lexicon that knows what `snapshot` knew, matching phrases of `concepts`. */
  static fromSnapshot(snapshot: LexiconSnapshot, concepts: ConceptMatcher | null): Lexicon {
    const lexicon = new Lexicon(concepts);
    lexicon.tokens.push(...snapshot.tokens);
    for (let i = 0; i < snapshot.tokens.length; i++) lexicon.keys.push(undefined);
    lexicon.table = snapshot.table;
    lexicon.chars = snapshot.chars;
    lexicon.charsUsed = snapshot.chars.length;
    lexicon.flags = snapshot.flags;
    lexicon.stemOf.en = snapshot.stemOf.en;
    lexicon.stemOf.it = snapshot.stemOf.it;
    lexicon.startNode = new Int32Array(snapshot.flags.length).fill(-2);
    lexicon.inPhrase = new Uint8Array(snapshot.flags.length);
    snapshot.stems.forEach((stem, i) => {
      lexicon.stems.push(stem);
      lexicon.stemIds.set(stem, i);
    });
    return lexicon;
  }

  get size(): number {
    return this.tokens.length;
  }

  /** The number of `token` (lower-cased, NFC), adding it when new. */
  id(token: string): number {
    let h = FNV_OFFSET;
    for (let i = 0; i < token.length; i++) h = Math.imul(h ^ token.charCodeAt(i), FNV_PRIME);
    return this.intern(token, 0, token.length, h, false);
  }

  /**
   * Appends the token numbers of `text` to `out`: the tokens of
   * `tokenize(text)`, in order. A hand-written scanner over character codes
   * with a hash table behind it: no string per word, except for new words.
   */
  tokenize(text: string, out: number[]): void {
    if (!text) return;
    let s = text;
    // ASCII text is already NFC, and lower-casing it only maps A-Z, which the scanner does as it reads.
    const ascii = !NON_ASCII.test(text);
    if (!ascii) {
      s = text.normalize('NFC').toLowerCase();
      if (SURROGATE.test(s)) {
        // Letters beyond the BMP (rare): let the regular expression handle them.
        for (const token of tokenize(text)) out.push(this.id(token));
        return;
      }
    }
    const n = s.length;
    let i = 0;
    while (i < n) {
      let c = s.charCodeAt(i);
      let k = CLASSES[c];
      if (k === UNCLASSIFIED) k = classify(c);
      if (k !== LETTER && k !== NUMBER) {
        i++;
        continue;
      }
      const start = i;
      let h = FNV_OFFSET;
      let letters = k === LETTER;
      if (!letters) {
        // \p{N}+ (?:[.,]\p{N}+)*
        for (;;) {
          h = Math.imul(h ^ c, FNV_PRIME);
          i++;
          if (i >= n) break;
          c = s.charCodeAt(i);
          k = CLASSES[c];
          if (k === UNCLASSIFIED) k = classify(c);
          if (k === NUMBER) continue;
          if ((c === 46 || c === 44) && i + 1 < n) {
            const d = s.charCodeAt(i + 1);
            let dk = CLASSES[d];
            if (dk === UNCLASSIFIED) dk = classify(d);
            if (dk === NUMBER) continue;
          }
          // then (?:\p{L}[\p{L}\p{N}\p{M}]*)?
          letters = k === LETTER;
          break;
        }
      }
      if (letters) {
        // \p{L}[\p{L}\p{N}\p{M}]*
        for (;;) {
          h = Math.imul(h ^ (c >= 65 && c <= 90 ? c | 32 : c), FNV_PRIME);
          i++;
          if (i >= n) break;
          c = s.charCodeAt(i);
          k = CLASSES[c];
          if (k === UNCLASSIFIED) k = classify(c);
          if (k === OTHER) break;
        }
      }
      out.push(this.intern(s, start, i, h, ascii));
    }
  }

  /** The number of the word s[start, end) (A-Z lower-cased when `fold`), whose hash is `h`. */
  private intern(s: string, start: number, end: number, h: number, fold: boolean): number {
    const length = end - start;
    const table = this.table;
    const mask = table.length - 1;
    let slot = (h << 2) & mask;
    for (;;) {
      const id = table[slot + 1] - 1;
      if (id < 0) break;
      if (table[slot] === h && table[slot + 3] === length) {
        const chars = this.chars;
        const at = table[slot + 2] - start;
        let j = start;
        while (j < end) {
          const c = s.charCodeAt(j);
          if ((c >= 65 && c <= 90 ? c | 32 : c) !== chars[at + j]) break;
          j++;
        }
        if (j === end) return id;
      }
      slot = (slot + 4) & mask;
    }
    const token = fold ? s.slice(start, end).toLowerCase() : s.slice(start, end);
    const id = this.tokens.length;
    this.tokens.push(token);
    this.keys.push(undefined);
    if (id === this.flags.length) this.grow();
    this.flags[id] = (STOPWORDS.en.has(token) ? EN_STOP : 0) | (STOPWORDS.it.has(token) ? IT_STOP : 0);
    if (this.charsUsed + length > this.chars.length) {
      const chars = new Uint16Array(Math.max(this.chars.length * 2, this.charsUsed + length));
      chars.set(this.chars);
      this.chars = chars;
    }
    const at = this.charsUsed;
    for (let j = 0; j < length; j++) this.chars[at + j] = token.charCodeAt(j);
    this.charsUsed += length;
    table[slot] = h;
    table[slot + 1] = id + 1;
    table[slot + 2] = at;
    table[slot + 3] = length;
    // Keep the table at most half full.
    if (this.tokens.length * 8 > table.length) this.rehash(table.length * 2);
    return id;
  }

  private rehash(size: number): void {
    const old = this.table;
    const table = new Int32Array(size);
    const mask = size - 1;
    for (let o = 0; o < old.length; o += 4) {
      if (old[o + 1] === 0) continue;
      let slot = (old[o] << 2) & mask;
      while (table[slot + 1] !== 0) slot = (slot + 4) & mask;
      table.set(old.subarray(o, o + 4), slot);
    }
    this.table = table;
  }

  /** `detectLanguage` over tokens [start, end) of `tokens`, or the forced language. */
  language(tokens: ArrayLike<number>, option: LanguageOption, start = 0, end = tokens.length): Language {
    if (option !== 'auto') return option;
    let en = 0;
    let it = 0;
    const flags = this.flags;
    for (let i = start; i < end; i++) {
      const f = flags[tokens[i]];
      en += f & EN_STOP;
      it += (f & IT_STOP) >> 1;
    }
    if (en === it) return 'en';
    return it > en ? 'it' : 'en';
  }

  /**
   * The stem number of token `id` in `lang` (the stem is `stems[n]`), or -1
   * when the token is not a content word there (a stop word or a lone letter).
   */
  stemId(id: number, lang: Language): number {
    const cache = this.stemOf[lang];
    let s = cache[id];
    if (s === UNKNOWN) {
      const token = this.tokens[id];
      const content = !(token.length === 1 && !DIGIT.test(token)) && !(this.flags[id] & (lang === 'en' ? EN_STOP : IT_STOP));
      if (content) {
        const word = stem(token, lang);
        const known = this.stemIds.get(word);
        if (known === undefined) {
          s = this.stems.length;
          this.stemIds.set(word, s);
          this.stems.push(word);
        } else {
          s = known;
        }
      } else {
        s = NOT_CONTENT;
      }
      cache[id] = s;
    }
    return s < 0 ? -1 : s;
  }

  /**
   * `findConcepts` over tokens [start, end): calls `hit(concept, from, to)`
   * for each concept found, longest phrase first, left to right.
   */
  findConcepts(tokens: ArrayLike<number>, start: number, end: number, lang: Language, hit: (concept: string, from: number, to: number, formLang: Language | 'both') => void): void {
    if (!this.concepts) return;
    let i = start;
    while (i < end) {
      let node = this.startNode[tokens[i]];
      if (node === -2) node = this.start(tokens[i]);
      let bestConcept: string | undefined;
      let bestForm: Language | 'both' = 'both';
      let bestEnd = 0;
      for (let j = i; node >= 0; ) {
        const concept = this.nodeConcept[node];
        const onlyIn = this.nodeOnlyIn[node];
        if (concept && (!onlyIn || onlyIn === lang)) {
          bestConcept = concept;
          bestForm = this.nodeForm[node];
          bestEnd = j + 1;
        }
        j++;
        if (j >= end) break;
        const next = tokens[j];
        let inside = this.inPhrase[next];
        if (inside === 0) inside = this.phraseWord(next);
        if (inside !== 1) break;
        node = this.step(node, next);
      }
      if (bestConcept !== undefined) {
        hit(bestConcept, i, bestEnd, bestForm);
        i = bestEnd;
      } else {
        i++;
      }
    }
  }

  private key(id: number): string {
    let key = this.keys[id];
    if (key === undefined) this.keys[id] = key = matchKey(this.tokens[id]);
    return key;
  }

  private number(node: TrieNode | undefined): number {
    if (!node) return -1;
    let n = this.nodeNumbers.get(node);
    if (n === undefined) {
      n = this.nodes.length;
      this.nodeNumbers.set(node, n);
      this.nodes.push(node);
      this.nodeConcept.push(node.concept);
      this.nodeOnlyIn.push(node.onlyIn);
      this.nodeForm.push(node.formLang ?? 'both');
    }
    return n;
  }

  private start(id: number): number {
    return (this.startNode[id] = this.number(this.concepts!.root.next.get(this.key(id))));
  }

  /** The child of `node` by token `id`, or -1. */
  private step(node: number, id: number): number {
    let table = this.stepTable;
    let mask = table.length / 3 - 1;
    let slot = (Math.imul(node, 0x9e3779b1) ^ id) & mask;
    for (;;) {
      const at = slot * 3;
      if (table[at + 2] === 0) break;
      if (table[at] === node && table[at + 1] === id) return table[at + 2] - 2;
      slot = (slot + 1) & mask;
    }
    const child = this.number(this.nodes[node].next.get(this.key(id)));
    if (++this.stepCount * 2 > mask) {
      // Keep the table at most half full.
      const old = table;
      table = this.stepTable = new Int32Array(old.length * 2);
      mask = table.length / 3 - 1;
      for (let at = 0; at < old.length; at += 3) {
        if (old[at + 2] === 0) continue;
        let s = (Math.imul(old[at], 0x9e3779b1) ^ old[at + 1]) & mask;
        while (table[s * 3 + 2] !== 0) s = (s + 1) & mask;
        table.set(old.subarray(at, at + 3), s * 3);
      }
      slot = (Math.imul(node, 0x9e3779b1) ^ id) & mask;
      while (table[slot * 3 + 2] !== 0) slot = (slot + 1) & mask;
    }
    table[slot * 3] = node;
    table[slot * 3 + 1] = id;
    table[slot * 3 + 2] = child + 2;
    return child;
  }

  /** Whether token `id` occurs in some glossary phrase past its first word (most do not, which spares a look-up). */
  private phraseWord(id: number): number {
    if (!this.phraseKeys && this.concepts!.phraseWords) this.phraseKeys = this.concepts!.phraseWords;
    if (!this.phraseKeys) {
      const keys = new Set<string>();
      const walk = (node: TrieNode) => {
        for (const [key, child] of node.next) {
          keys.add(key);
          walk(child);
        }
      };
      for (const child of this.concepts!.root.next.values()) walk(child);
      this.phraseKeys = keys;
    }
    return (this.inPhrase[id] = this.phraseKeys.has(this.key(id)) ? 1 : 2);
  }

  private grow(): void {
    const size = this.flags.length * 2;
    const flags = new Uint8Array(size);
    flags.set(this.flags);
    this.flags = flags;
    const startNode = new Int32Array(size).fill(-2);
    startNode.set(this.startNode);
    this.startNode = startNode;
    const inPhrase = new Uint8Array(size);
    inPhrase.set(this.inPhrase);
    this.inPhrase = inPhrase;
    for (const lang of ['en', 'it'] as const) {
      const next = new Int32Array(size).fill(UNKNOWN);
      next.set(this.stemOf[lang]);
      this.stemOf[lang] = next;
    }
  }
}
