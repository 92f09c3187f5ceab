import { tokenize } from './tokenize.js';
import { stem } from './stem.js';
import { STOPWORDS, type Language } from './stopwords.js';
import type { LanguageOption } from './language.js';
import { matchKey, type ConceptMatcher } from './concepts.js';
import { ANY_TEXT, ONLY_EN, ONLY_IT } from './concept-trie.js';

const EN_STOP = 1;
const IT_STOP = 2;
/** Stem not worked out yet; -2 means the token is not a content word in that language. */
const UNKNOWN = -1;
const NOT_CONTENT = -2;

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

/** Whether a Uint16Array holds its values little-endian, as Buffer writes UTF-16 ('utf16le'). */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 16777619;

/** A Lexicon as plain data (see Lexicon.snapshot). */
export interface LexiconSnapshot {
  tokens: string[];
  table: Int32Array;
  spans: Int32Array;
  chars: Uint16Array;
  flags: Uint8Array;
  stemOf: Record<Language, Int32Array>;
  stems: string[];
}

/**
 * A growable list of token numbers: an Int32Array and a length, which the
 * scanner appends to at less cost than to a JS array, and which an index
 * keeps as it is (`ids.subarray(0, length)`), in shared memory with `shared`.
 */
export class TokenList {
  ids: Int32Array;
  length = 0;

  constructor(capacity = 1024, private readonly shared = false) {
    this.ids = this.allocate(Math.max(capacity, 16));
  }

  push(id: number): void {
    if (this.length === this.ids.length) this.grow();
    this.ids[this.length++] = id;
  }

  /**
   * Appends map[source[i]] for every i: another lexicon's token numbers as this one's (see
   * Lexicon.absorb); without a map, the numbers as they are.
   */
  pushMapped(source: Int32Array, map: Int32Array | null): void {
    let capacity = this.ids.length;
    while (capacity < this.length + source.length) capacity *= 2;
    if (capacity > this.ids.length) this.grow(capacity);
    const { ids } = this;
    const base = this.length;
    if (map) for (let i = 0; i < source.length; i++) ids[base + i] = map[source[i]];
    else ids.set(source, base);
    this.length += source.length;
  }

  private grow(capacity = this.ids.length * 2): void {
    const ids = this.allocate(capacity);
    ids.set(this.ids);
    this.ids = ids;
  }

  private allocate(length: number): Int32Array {
    return this.shared ? new Int32Array(new SharedArrayBuffer(4 * length)) : new Int32Array(length);
  }
}

/**
 * The distinct tokens of a corpus, each given a number, with what analysis
 * needs to know about a token (stop word in which language, its stem in
 * each, where it enters the glossary's phrase trie) worked out once per
 * token instead of once per occurrence. Tokenising a text then costs one
 * pass over its characters and one hash-table look-up per word; the results
 * are those of `tokenize`, `detectLanguage`, `termsOf` and `findConcepts`.
 */
export class Lexicon {
  readonly tokens: string[] = [];
  /**
   * Open-addressing hash table over `tokens`, so the scanner looks a word up
   * without first making it a string: per slot the word's hash (FNV-1a of its
   * lower-cased characters) and its number + 1 (0: empty). A token's
   * characters are found through `spans`, and compared only when the hashes agree.
   */
  private table: Int32Array = new Int32Array(2 << 13);
  /** Per token: where its characters start in `chars`, and how many there are. */
  private spans: Int32Array = new Int32Array(2 << 12);
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
  /** Scratch list for `tokenize`. */
  private readonly scratch = new TokenList();
  /** Scratch for the text being scanned (see `codesOf`), and the same memory as bytes. */
  private codes = new Uint16Array(1 << 14);
  private codeBytes = Buffer.from(this.codes.buffer);
  /**
   * The glossary's phrase trie, walked by numbers: `startNode[token]` is the
   * trie node a phrase starting with the token leads to (-1: nowhere, -2: not
   * worked out), and the words past a phrase's first are numbered too
   * (`phraseWord[token]`, -1: in no phrase, -2: not worked out), so that a
   * step is a look-up of (node, word) in `edges`.
   */
  private startNode = new Int32Array(1 << 12).fill(-2);
  private phraseWord = new Int32Array(1 << 12).fill(-2);
  /** Whether a node's children are in `edges` yet (they are added on the first step from it). */
  private nodeExpanded: Uint8Array | null = null;
  /** The children of expanded nodes: an open-addressing table of (node, word, child + 1) triples, 0 when empty. */
  private edges = new Int32Array(3 << 10);
  private edgeCount = 0;
  /** Numbers of the words that occur in glossary phrases past the first. */
  private readonly phraseWordIds = new Map<string, number>();

  constructor(readonly concepts: ConceptMatcher | null = null) {}

  /**
   * What the lexicon knows, as plain data that another thread can receive
   * (Lexicon.fromSnapshot) or another lexicon take in (absorb): the lexicon's
   * own arrays, not copies. postMessage copies them as it is called, or takes
   * them over when they are transferred (the lexicon is then done); anything
   * else must clone the snapshot before the lexicon reads on. Copying them here
   * as well held 13 MB more (the word table alone is 8 MB for the SBIR awards)
   * while the index is built (see shareWords).
   */
  snapshot(): LexiconSnapshot {
    return {
      tokens: this.tokens,
      table: this.table,
      spans: this.spans,
      // Cloned, a view would copy its whole buffer, room to grow included.
      chars: this.chars.slice(0, this.charsUsed),
      flags: this.flags,
      stemOf: this.stemOf,
      stems: this.stems,
    };
  }

  /** A lexicon that knows what `snapshot` knew, matching phrases of `concepts`. */
  static fromSnapshot(snapshot: LexiconSnapshot, concepts: ConceptMatcher | null): Lexicon {
    const lexicon = new Lexicon(concepts);
    lexicon.load(snapshot);
    return lexicon;
  }

  /** Makes this lexicon, which knows no token yet, know what `snapshot` knew (its arrays become this one's). */
  private load(snapshot: LexiconSnapshot): void {
    // A loop, not push(...tokens): hundreds of thousands of arguments overflow the stack.
    for (const token of snapshot.tokens) {
      this.tokens.push(token);
      this.keys.push(undefined);
    }
    this.table = snapshot.table;
    this.spans = snapshot.spans;
    this.chars = snapshot.chars;
    this.charsUsed = snapshot.chars.length;
    this.flags = snapshot.flags;
    this.stemOf.en = snapshot.stemOf.en;
    this.stemOf.it = snapshot.stemOf.it;
    this.startNode = new Int32Array(snapshot.flags.length).fill(-2);
    this.phraseWord = new Int32Array(snapshot.flags.length).fill(-2);
    snapshot.stems.forEach((stem, i) => {
      this.stems.push(stem);
      this.stemIds.set(stem, i);
    });
  }

  /**
   * Takes in the tokens of another lexicon (its snapshot), which read texts that come after
   * this one's: afterwards this lexicon is the one that would have read them
   * all, token numbers, stems and their numbers included. Returns the other's
   * token numbers as this one's, or null when they are the same numbers.
   */
  absorb(other: LexiconSnapshot): Int32Array | null {
    const count = other.tokens.length;
    // Into a lexicon that knows nothing yet, the other's tokens and stems keep their numbers: its word
    // table is taken as it is, where numbering every token again cost 0.3 s for the SBIR awards' first half.
    if (this.tokens.length === 0 && this.stems.length === 0) {
      this.load(other);
      return null;
    }
    // Room for every token at once: growing step by step would rehash the table many times over.
    let table = this.table.length;
    while ((this.tokens.length + count) * 8 > table) table *= 2;
    if (table > this.table.length) this.rehash(table);
    while (this.flags.length < this.tokens.length + count) this.grow();
    // New tokens and stems are numbered as met, in the order the other met them.
    const tokenMap = new Int32Array(count);
    for (let t = 0; t < count; t++) tokenMap[t] = this.id(other.tokens[t]);
    const stemMap = new Int32Array(other.stems.length);
    for (let s = 0; s < other.stems.length; s++) stemMap[s] = this.stemNumber(other.stems[s]);
    for (const lang of ['en', 'it'] as const) {
      const theirs = other.stemOf[lang];
      const ours = this.stemOf[lang];
      for (let t = 0; t < count; t++) {
        const s = theirs[t];
        if (s === UNKNOWN || ours[tokenMap[t]] !== UNKNOWN) continue;
        ours[tokenMap[t]] = s >= 0 ? stemMap[s] : NOT_CONTENT;
      }
    }
    return tokenMap;
  }

  get size(): number {
    return this.tokens.length;
  }

  /** The number of `token` (lower-cased, NFC), adding it when new. */
  id(token: string): number {
    // A word is short: copied by a loop, which costs less than codesOf's call into native code.
    const codes = token.length <= this.codes.length ? this.codes : this.codesOf(token);
    if (codes === this.codes) for (let i = 0; i < token.length; i++) codes[i] = token.charCodeAt(i);
    let h = FNV_OFFSET;
    for (let i = 0; i < token.length; i++) h = Math.imul(h ^ codes[i], FNV_PRIME);
    return this.intern(codes, token, 0, token.length, h, false);
  }

  /** Appends the token numbers of `text` to `out`: the tokens of `tokenize(text)`, in order. */
  tokenize(text: string, out: number[]): void {
    const list = this.scratch;
    list.length = 0;
    this.tokenizeInto(text, list);
    for (let i = 0; i < list.length; i++) out.push(list.ids[i]);
  }

  /**
   * Appends the token numbers of `text` to `out`, as `tokenize` does. A
   * hand-written scanner over character codes with a hash table behind it:
   * no string per word, except for new words.
   */
  tokenizeInto(text: string, out: TokenList): void {
    if (!text) return;
    let s = text;
    // Only ASCII takes one UTF-8 byte a character (counting bytes is much faster
    // than a regular expression). ASCII text is already NFC, and lower-casing it
    // only maps A-Z, which the scanner does as it reads.
    const ascii = Buffer.byteLength(text, 'utf8') === text.length;
    if (!ascii) {
      s = text.normalize('NFC').toLowerCase();
      if (SURROGATE.test(s)) {
        // Letters beyond the BMP (rare): let the regular expression handle them.
        for (const token of tokenize(text)) out.push(this.id(token));
        return;
      }
    }
    const codes = this.codesOf(s);
    const n = s.length;
    let i = 0;
    while (i < n) {
      let c = codes[i];
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
          c = codes[i];
          k = CLASSES[c];
          if (k === UNCLASSIFIED) k = classify(c);
          if (k === NUMBER) continue;
          if ((c === 46 || c === 44) && i + 1 < n) {
            const d = codes[i + 1];
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
          // Lower-cased in place too, so that comparing the word with the lexicon's is a plain comparison.
          const lower = c >= 65 && c <= 90 ? c | 32 : c;
          codes[i] = lower;
          h = Math.imul(h ^ lower, FNV_PRIME);
          i++;
          if (i >= n) break;
          c = codes[i];
          // ASCII letters and digits without the table: most characters are, and arithmetic costs less.
          const letter = (c | 32) - 97;
          if (letter >= 0 && letter <= 25) continue;
          if (c < 128) {
            if (c >= 48 && c <= 57) continue;
            break;
          }
          k = CLASSES[c];
          if (k === UNCLASSIFIED) k = classify(c);
          if (k === OTHER) break;
        }
      }
      out.push(this.intern(codes, s, start, i, h, ascii));
    }
  }

  /**
   * The UTF-16 code units of `s` in a scratch array: the scanner reads a typed
   * array faster than it calls charCodeAt, and copying the text there costs
   * one pass in native code.
   */
  private codesOf(s: string): Uint16Array {
    if (s.length > this.codes.length) {
      this.codes = new Uint16Array(Math.max(2 * this.codes.length, s.length));
      this.codeBytes = Buffer.from(this.codes.buffer);
    }
    const codes = this.codes;
    if (LITTLE_ENDIAN) this.codeBytes.write(s, 0, 'utf16le');
    else for (let i = 0; i < s.length; i++) codes[i] = s.charCodeAt(i);
    return codes;
  }

  /**
   * The number of the word s[start, end), whose code units, lower-cased,
   * are at the same places in `codes` (`fold`: s itself is not lower-cased),
   * and whose hash is `h`.
   */
  private intern(codes: Uint16Array, s: string, start: number, end: number, h: number, fold: boolean): number {
    const length = end - start;
    const table = this.table;
    const mask = table.length - 1;
    let slot = (h << 1) & mask;
    for (;;) {
      const id = table[slot + 1] - 1;
      if (id < 0) break;
      if (table[slot] === h && this.spans[2 * id + 1] === length) {
        const chars = this.chars;
        const at = this.spans[2 * id] - start;
        let j = start;
        while (j < end && codes[j] === chars[at + j]) j++;
        if (j === end) return id;
      }
      slot = (slot + 2) & mask;
    }
    return this.add(fold ? s.slice(start, end).toLowerCase() : s.slice(start, end), h, slot);
  }

  /** Numbers a new token, whose hash `h` goes to the empty `slot`. */
  private add(token: string, h: number, slot: number): number {
    const id = this.tokens.length;
    this.tokens.push(token);
    this.keys.push(undefined);
    if (id === this.flags.length) this.grow();
    this.flags[id] = (STOPWORDS.en.has(token) ? EN_STOP : 0) | (STOPWORDS.it.has(token) ? IT_STOP : 0);
    const length = token.length;
    if (this.charsUsed + length > this.chars.length) {
      const chars = new Uint16Array(Math.max(this.chars.length * 2, this.charsUsed + length));
      chars.set(this.chars);
      this.chars = chars;
    }
    const at = this.charsUsed;
    for (let j = 0; j < length; j++) this.chars[at + j] = token.charCodeAt(j);
    this.charsUsed += length;
    this.spans[2 * id] = at;
    this.spans[2 * id + 1] = length;
    this.table[slot] = h;
    this.table[slot + 1] = id + 1;
    // Keep the table at most a quarter full: probes stay short.
    if (this.tokens.length * 8 > this.table.length) this.rehash(this.table.length * 2);
    return id;
  }

  private rehash(size: number): void {
    const old = this.table;
    const table = new Int32Array(size);
    const mask = size - 1;
    for (let o = 0; o < old.length; o += 2) {
      if (old[o + 1] === 0) continue;
      let slot = (old[o] << 1) & mask;
      while (table[slot + 1] !== 0) slot = (slot + 2) & mask;
      table[slot] = old[o];
      table[slot + 1] = old[o + 1];
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
      s = content ? this.stemNumber(stem(token, lang)) : NOT_CONTENT;
      cache[id] = s;
    }
    return s < 0 ? -1 : s;
  }

  /**
   * `stemId` of each of tokens[from, to) in `lang`, into `out` from 0 (which
   * must have room): one call for a whole text, with the language's table
   * read once, where a call per token cost twice as much (showing words).
   */
  stemIdsInto(tokens: ArrayLike<number>, from: number, to: number, lang: Language, out: Int32Array): void {
    const cache = this.stemOf[lang];
    for (let i = from; i < to; i++) {
      const id = tokens[i];
      const s = cache[id];
      out[i - from] = s >= 0 ? s : s === UNKNOWN ? this.stemId(id, lang) : -1;
    }
  }

  /** The number of stem `word`, or -1 when no token has it. */
  stemNumberOf(word: string): number {
    return this.stemIds.get(word) ?? -1;
  }

  /** The number of stem `word`, numbering it when new. */
  private stemNumber(word: string): number {
    let s = this.stemIds.get(word);
    if (s === undefined) {
      s = this.stems.length;
      this.stemIds.set(word, s);
      this.stems.push(word);
    }
    return s;
  }

  /**
   * `findConcepts` over tokens [start, end): calls `hit(concept, from, to, formLang, node)`
   * for each concept found, longest phrase first, left to right. `node`
   * numbers the trie node matched: the same node, the same concept and form.
   */
  findConcepts(tokens: ArrayLike<number>, start: number, end: number, lang: Language, hit: (concept: string, from: number, to: number, formLang: Language | 'both', node: number) => void): void {
    if (!this.concepts) return;
    const onlyHere = lang === 'en' ? ONLY_EN : ONLY_IT;
    // No token is added meanwhile, so these arrays stay the ones to read (and to fill in).
    const { startNode, phraseWord } = this;
    const trie = this.concepts;
    const nodeMatch = trie.match;
    let i = start;
    while (i < end) {
      let node = startNode[tokens[i]];
      if (node === -2) node = this.start(tokens[i]);
      let bestNode = -1;
      let bestEnd = 0;
      for (let j = i; node >= 0; ) {
        const match = nodeMatch[node];
        if (match === ANY_TEXT || match === onlyHere) {
          bestNode = node;
          bestEnd = j + 1;
        }
        j++;
        if (j >= end) break;
        const next = tokens[j];
        let word = phraseWord[next];
        if (word === -2) word = this.numberPhraseWord(next);
        if (word < 0) break;
        node = this.step(node, word);
      }
      if (bestNode >= 0) {
        hit(trie.concept(bestNode)!, i, bestEnd, trie.formLang(bestNode), bestNode);
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

  private start(id: number): number {
    return (this.startNode[id] = this.concepts!.child(0, this.key(id)));
  }

  /** The slot of (node, word) in `edges`: where it is, or the empty slot where it would go. */
  private edgeSlot(node: number, word: number): number {
    const table = this.edges;
    const mask = table.length / 3 - 1;
    let slot = (Math.imul(node, 0x9e3779b1) ^ Math.imul(word, 0x85ebca6b)) & mask;
    for (;;) {
      const at = slot * 3;
      if (table[at + 2] === 0 || (table[at] === node && table[at + 1] === word)) return at;
      slot = (slot + 1) & mask;
    }
  }

  /** The child of `node` by phrase word number `word`, or -1. */
  private step(node: number, word: number): number {
    if (!this.nodeExpanded?.[node]) this.expand(node);
    return this.edges[this.edgeSlot(node, word) + 2] - 1;
  }

  /** Adds the edges from `node` to its children to `edges`. */
  private expand(node: number): void {
    const trie = this.concepts!;
    (this.nodeExpanded ??= new Uint8Array(trie.nodeCount))[node] = 1;
    const { first, end } = trie.childrenOf(node);
    for (let child = first; child < end; child++) {
      const word = this.phraseWordNumber(trie.words[child - 1]);
      if (++this.edgeCount * 2 > this.edges.length / 3) {
        // Keep the table at most half full.
        const old = this.edges;
        this.edges = new Int32Array(old.length * 2);
        for (let at = 0; at < old.length; at += 3) {
          if (old[at + 2] === 0) continue;
          this.edges.set(old.subarray(at, at + 3), this.edgeSlot(old[at], old[at + 1]));
        }
      }
      const at = this.edgeSlot(node, word);
      this.edges[at] = node;
      this.edges[at + 1] = word;
      this.edges[at + 2] = child + 1;
    }
  }

  private phraseWordNumber(key: string): number {
    let word = this.phraseWordIds.get(key);
    if (word === undefined) this.phraseWordIds.set(key, (word = this.phraseWordIds.size));
    return word;
  }

  /** The phrase word number of token `id`, or -1 when no glossary phrase has it past its first word (most do not, which spares a look-up). */
  private numberPhraseWord(id: number): number {
    const key = this.key(id);
    return (this.phraseWord[id] = this.concepts!.phraseWords.has(key) ? this.phraseWordNumber(key) : -1);
  }

  private grow(): void {
    const size = this.flags.length * 2;
    const flags = new Uint8Array(size);
    flags.set(this.flags);
    this.flags = flags;
    const spans = new Int32Array(2 * size);
    spans.set(this.spans);
    this.spans = spans;
    for (const name of ['startNode', 'phraseWord'] as const) {
      const next = new Int32Array(size).fill(-2);
      next.set(this[name]);
      this[name] = next;
    }
    for (const lang of ['en', 'it'] as const) {
      const next = new Int32Array(size).fill(UNKNOWN);
      next.set(this.stemOf[lang]);
      this.stemOf[lang] = next;
    }
  }
}
