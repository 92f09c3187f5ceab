import type { Language } from '../text/stopwords.js';
import type { LanguageOption } from '../text/language.js';
import { CONCEPT_PREFIX, type ConceptMatcher } from '../text/concepts.js';
import type { Lexicon } from '../text/lexicon.js';
import type { FieldWeights } from './build-index.js';

/** How documents are analysed. */
export interface AnalysisSettings {
  lang: LanguageOption;
  /** Bilingual concepts, added as one extra field after the texts; null for words only. */
  concepts: ConceptMatcher | null;
  /** Weight of each text field, then of the concept field (missing = 1, 0 = left out). */
  fieldWeights: FieldWeights;
}

/** Marks in the per-token (and per-node) term tables: not worked out yet, and no term (a stop word or lone letter). */
const UNSEEN = -1;
const NO_TERM = -2;

/**
 * Turns documents into term counts through a Lexicon: every distinct word is
 * looked up, stemmed and matched against the glossary once, and given its
 * term id once per language, so a word occurrence costs an array read and a
 * count. Term ids are numbered in the order terms are first met, as
 * `buildIndex` numbers them.
 */
export class DocumentAnalyzer {
  readonly terms: string[] = [];
  readonly termIds = new Map<string, number>();
  /** The last document's distinct terms (`termCount` of them) and their field-weighted frequencies. */
  docTerms = new Int32Array(1024);
  docTfs = new Float64Array(1024);
  termCount = 0;
  /** The last document's length: its words, field-weighted (concept terms restate words, so they do not count). */
  wordLength = 0;

  /** Per-document scratch, by term id: frequency, and the last document that counted the term (so nothing needs clearing). */
  private tf = new Float64Array(1 << 16);
  private lastDoc = new Int32Array(1 << 16).fill(-1);
  private doc = -1;
  /** Per language, token number → term id of its stem, UNSEEN or NO_TERM. */
  private readonly tokenTerms: Record<Language, Int32Array> = { en: new Int32Array(0), it: new Int32Array(0) };
  /** Lexicon stem number → term id (undefined: not yet a term). */
  private readonly stemTerms: number[] = [];
  /** Trie node number → term id of the concept it names in texts of its own language (UNSEEN: not yet asked). */
  private nodeTerms = new Int32Array(256).fill(UNSEEN);
  /** What the concept callback needs of the document being analysed. */
  private lang: Language = 'en';
  private conceptWeight = 1;
  private readonly conceptHit = (concept: string, _from: number, _to: number, formLang: Language | 'both', node: number) => {
    // Documents index a concept under the language of its words (see ConceptSide in text/concepts.ts).
    if (formLang !== this.lang) return;
    if (node >= this.nodeTerms.length) this.nodeTerms = grown(this.nodeTerms, 2 * node + 1, UNSEEN);
    let term = this.nodeTerms[node];
    if (term === UNSEEN) this.nodeTerms[node] = term = this.termOf(`${CONCEPT_PREFIX}${concept}@${formLang}`);
    this.count(term, this.conceptWeight);
  };

  constructor(
    readonly lexicon: Lexicon,
    private readonly options: AnalysisSettings,
  ) {}

  /**
   * Analyses the next document, whose texts' tokens are ids[fieldEnds[-1] ..
   * fieldEnds[texts - 1]) (the first text from `start`): returns its language,
   * and leaves its terms in `docTerms`, `docTfs`, `termCount` and `wordLength`:
   * in ascending term id with `ascending`, else in the order first met.
   */
  analyze(ids: Int32Array, start: number, fieldEnds: readonly number[], ascending: boolean): Language {
    const { lexicon, options } = this;
    const { fieldWeights } = options;
    const texts = fieldEnds.length;
    this.doc++;
    if (lexicon.size > this.tokenTerms.en.length) {
      const size = Math.max(2 * this.tokenTerms.en.length, lexicon.size, 1 << 12);
      this.tokenTerms.en = grown(this.tokenTerms.en, size, UNSEEN);
      this.tokenTerms.it = grown(this.tokenTerms.it, size, UNSEEN);
    }
    const end = texts ? fieldEnds[texts - 1] : start;
    const lang = (this.lang = lexicon.language(ids, options.lang, start, end));
    const termOfToken = this.tokenTerms[lang];
    // The word loop in locals, which count() would keep reading from `this`.
    const doc = this.doc;
    let { tf, lastDoc } = this;
    if (end - start > this.docTerms.length) this.docTerms = new Int32Array(2 * (end - start));
    const docTerms = this.docTerms;
    let termCount = 0;
    let wordLength = 0;
    for (let f = 0, from = start; f < texts; from = fieldEnds[f], f++) {
      const weight = fieldWeights[f] ?? 1;
      if (weight === 0) continue;
      for (let i = from, to = fieldEnds[f]; i < to; i++) {
        const token = ids[i];
        let term = termOfToken[token];
        if (term === UNSEEN) {
          termOfToken[token] = term = this.wordTerm(token, lang);
          // A new term may have grown the arrays by term.
          ({ tf, lastDoc } = this);
        }
        if (term < 0) continue;
        if (lastDoc[term] !== doc) {
          lastDoc[term] = doc;
          tf[term] = weight;
          docTerms[termCount++] = term;
        } else {
          tf[term] += weight;
        }
        wordLength += weight;
      }
    }
    this.termCount = termCount;
    this.wordLength = wordLength;
    // Concepts of every text form one extra field, matched per text so no phrase spans two fields.
    this.conceptWeight = fieldWeights[texts] ?? 1;
    if (options.concepts && this.conceptWeight !== 0) {
      for (let f = 0, from = start; f < texts; from = fieldEnds[f], f++) lexicon.findConcepts(ids, from, fieldEnds[f], lang, this.conceptHit);
    }
    // The concepts' terms, counted by count(), may have grown the list.
    const terms = this.docTerms;
    const count = this.termCount;
    if (ascending && count > 1) terms.subarray(0, count).sort();
    if (this.docTfs.length < terms.length) this.docTfs = new Float64Array(terms.length);
    const docTfs = this.docTfs;
    for (let k = 0; k < count; k++) docTfs[k] = this.tf[terms[k]];
    return lang;
  }

  /**
   * Takes in a document analysed by another analyzer (see parallel-analysis.ts):
   * its terms `terms[from, to)` with frequencies `tfs[from, to)`, numbered
   * as `termMap` maps the other's term ids to this one's, and its length.
   * Leaves it as `analyze` with `ascending` does.
   */
  load(terms: Int32Array, tfs: Float32Array, from: number, to: number, termMap: Int32Array, wordLength: number): void {
    const count = to - from;
    if (count > this.docTerms.length) this.docTerms = new Int32Array(2 * count);
    if (count > this.docTfs.length) this.docTfs = new Float64Array(2 * count);
    const { docTerms, docTfs, tf } = this;
    for (let k = 0; k < count; k++) {
      const term = termMap[terms[from + k]];
      docTerms[k] = term;
      tf[term] = tfs[from + k];
    }
    if (count > 1) docTerms.subarray(0, count).sort();
    for (let k = 0; k < count; k++) docTfs[k] = tf[docTerms[k]];
    this.termCount = count;
    this.wordLength = wordLength;
  }

  /** This analyzer's term ids of `names`, numbering those it has not met in order, as if it met them now. */
  numberTerms(names: readonly string[]): Int32Array {
    const ids = new Int32Array(names.length);
    for (let i = 0; i < names.length; i++) ids[i] = this.termOf(names[i]);
    return ids;
  }

  private count(term: number, weight: number): void {
    if (this.lastDoc[term] !== this.doc) {
      this.lastDoc[term] = this.doc;
      this.tf[term] = weight;
      if (this.termCount === this.docTerms.length) this.docTerms = grown(this.docTerms, 2 * this.termCount, 0);
      this.docTerms[this.termCount++] = term;
    } else {
      this.tf[term] += weight;
    }
  }

  private wordTerm(token: number, lang: Language): number {
    const s = this.lexicon.stemId(token, lang);
    if (s < 0) return NO_TERM;
    let term = this.stemTerms[s];
    if (term === undefined) this.stemTerms[s] = term = this.termOf(this.lexicon.stems[s]);
    return term;
  }

  private termOf(name: string): number {
    let id = this.termIds.get(name);
    if (id === undefined) {
      id = this.terms.length;
      this.termIds.set(name, id);
      this.terms.push(name);
      if (id === this.tf.length) {
        this.tf = grown(this.tf, 2 * id, 0);
        this.lastDoc = grown(this.lastDoc, 2 * id, -1);
      }
    }
    return id;
  }
}

/** A copy of `array` with room for `size` values, the new ones set to `fill`. */
function grown<T extends Int32Array | Float64Array>(array: T, size: number, fill: number): T {
  const next = new (array.constructor as new (n: number) => T)(size);
  if (fill !== 0) next.fill(fill, array.length);
  next.set(array);
  return next;
}
