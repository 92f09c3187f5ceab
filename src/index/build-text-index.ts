import type { Language } from '../text/stopwords.js';
import type { LanguageOption } from '../text/language.js';
import type { ConceptMatcher } from '../text/concepts.js';
import { CONCEPT_PREFIX } from '../text/concepts.js';
import { Lexicon } from '../text/lexicon.js';
import { IndexBuilder, type FieldWeights, type InvertedIndex } from './build-index.js';
import { int32Array } from './typed-arrays.js';

/** Each document's token numbers (see Lexicon): those of document d are tokens[start[d] .. start[d+1]). */
export interface DocumentTokens {
  start: Int32Array;
  tokens: Int32Array;
}

export interface TextIndexOptions {
  /** Put the large arrays in shared memory, for several threads to read. */
  shared?: boolean;
  lang: LanguageOption;
  /** Bilingual concepts, added as one extra field after the texts; null for words only. */
  concepts: ConceptMatcher | null;
  /** Weight of each text field, then of the concept field (missing = 1, 0 = left out). */
  fieldWeights: FieldWeights;
}

/**
 * The inverted index of `docCount` documents whose texts `fieldsOf(d)` gives,
 * and each document's language: the same index as `buildIndex` over
 * `analyzeFields` of every document, term ids included, built without a
 * string per term occurrence. Every distinct word is looked up, stemmed and
 * matched against the glossary once (see Lexicon); a document is a list of
 * numbers from there on.
 */
export function buildTextIndex(docCount: number, fieldsOf: (doc: number) => readonly string[], options: TextIndexOptions, lexicon = new Lexicon(options.concepts)): { index: InvertedIndex; langs: Language[]; lexicon: Lexicon; tokens: DocumentTokens } {
  const { fieldWeights } = options;
  const terms: string[] = [];
  const termIds = new Map<string, number>();
  const termOf = (name: string): number => {
    let id = termIds.get(name);
    if (id === undefined) {
      id = terms.length;
      termIds.set(name, id);
      terms.push(name);
    }
    return id;
  };
  // Lexicon stem number → term id (undefined: not yet a term).
  const stemTerms: number[] = [];
  const conceptTerm = new Map<string, number>();

  // Per-document scratch: term frequencies by term id, and the terms in first-seen order.
  let tf = new Float64Array(1 << 16);
  let lastDoc = new Int32Array(1 << 16).fill(-1);
  const docTerms: number[] = [];
  const docTfs: number[] = [];
  const tokens: number[] = [];
  const fieldEnds: number[] = [];
  const langs: Language[] = new Array(docCount);
  const builder = new IndexBuilder();
  // Every document's token numbers, texts one after the other, kept for showing words (surface forms) later.
  const tokenStart = int32Array(docCount + 1, options.shared);
  let allTokens = new Int32Array(1 << 16);

  let doc = 0;
  const count = (term: number, weight: number) => {
    if (term >= tf.length) {
      const size = Math.max(tf.length * 2, term + 1);
      const nextTf = new Float64Array(size);
      nextTf.set(tf);
      tf = nextTf;
      const nextLast = new Int32Array(size).fill(-1);
      nextLast.set(lastDoc);
      lastDoc = nextLast;
    }
    if (lastDoc[term] !== doc) {
      lastDoc[term] = doc;
      tf[term] = 0;
      docTerms.push(term);
    }
    tf[term] += weight;
  };

  for (; doc < docCount; doc++) {
    const texts = fieldsOf(doc);
    tokens.length = 0;
    fieldEnds.length = 0;
    for (const text of texts) {
      lexicon.tokenize(text, tokens);
      fieldEnds.push(tokens.length);
    }
    if (tokenStart[doc] + tokens.length > allTokens.length) {
      const grown = new Int32Array(Math.max(allTokens.length * 2, tokenStart[doc] + tokens.length));
      grown.set(allTokens);
      allTokens = grown;
    }
    for (let i = 0; i < tokens.length; i++) allTokens[tokenStart[doc] + i] = tokens[i];
    tokenStart[doc + 1] = tokenStart[doc] + tokens.length;
    const lang = lexicon.language(tokens, options.lang);
    langs[doc] = lang;
    docTerms.length = 0;
    // Length normalisation counts words only: concept terms restate them.
    let wordLength = 0;
    for (let f = 0, start = 0; f < texts.length; start = fieldEnds[f], f++) {
      const weight = fieldWeights[f] ?? 1;
      if (weight === 0) continue;
      for (let i = start; i < fieldEnds[f]; i++) {
        const s = lexicon.stemId(tokens[i], lang);
        if (s < 0) continue;
        let term = stemTerms[s];
        if (term === undefined) stemTerms[s] = term = termOf(lexicon.stems[s]);
        count(term, weight);
        wordLength += weight;
      }
    }
    // Concepts of every text form one extra field, matched per text so no phrase spans two fields.
    const conceptWeight = fieldWeights[texts.length] ?? 1;
    if (options.concepts && conceptWeight !== 0) {
      for (let f = 0, start = 0; f < texts.length; start = fieldEnds[f], f++) {
        // Documents index a concept under the language of its words (see ConceptSide in text/concepts.ts).
        lexicon.findConcepts(tokens, start, fieldEnds[f], lang, (concept, _from, _to, formLang) => {
          if (formLang !== lang) return;
          const name = `${CONCEPT_PREFIX}${concept}@${formLang}`;
          let term = conceptTerm.get(name);
          if (term === undefined) conceptTerm.set(name, (term = termOf(name)));
          count(term, conceptWeight);
        });
      }
    }
    docTfs.length = 0;
    for (const t of docTerms) docTfs.push(tf[t]);
    builder.addDocument(docTerms, docTfs, docTerms.length, wordLength);
  }
  const kept = int32Array(tokenStart[docCount], options.shared);
  kept.set(allTokens.subarray(0, tokenStart[docCount]));
  return { index: builder.build(terms, termIds, options.shared), langs, lexicon, tokens: { start: tokenStart, tokens: kept } };
}
