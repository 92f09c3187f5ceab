import { foldAccents, tokenize } from './tokenize.js';
import { isStopWord, type Language } from './stopwords.js';
import { ANY_TEXT, ConceptTrie, ONLY_EN, ONLY_IT, type TrieDraft } from './concept-trie.js';

/**
 * A bilingual concept layer: Italian and English words and phrases mapped onto
 * shared concepts ("riciclo", "recycling" → recycling), so an Italian need and an
 * English profile can share a term. Pure: the glossary text is read at the edge.
 */
export interface Concept {
  id: string;
  domain: string;
  it: string[];
  en: string[];
}

export interface Glossary {
  concepts: Concept[];
}

/** Finds concepts in token sequences, longest phrase first: the glossary's phrase trie (see concept-trie.ts). */
export type ConceptMatcher = ConceptTrie;

/** A concept found in a text: its id and the tokens [start, end) it covers. */
export interface ConceptHit {
  concept: string;
  start: number;
  end: number;
  formLang: Language | 'both';
}

/**
 * Which side of a match a text is on. Documents index a concept under the
 * language of the words that named it; queries ask for it in the other
 * language. So a concept only scores across languages ("riciclo" ↔
 * "recycling"), and same-language pairs, which already share the words, are
 * not counted twice: monolingual ranking is left exactly as it was.
 */
export type ConceptSide = 'query' | 'document';

/** Prefix that keeps concept terms apart from word stems in the index. */
export const CONCEPT_PREFIX = '§';

export const GLOSSARY_HEADER = ['concept', 'domain', 'it', 'en'];

/** Parses glossary CSV (`concept,domain,it,en`, forms separated by `|`); returns the entries or the first problem with its line. */
export function parseGlossary(text: string): Glossary | { line: number; problem: string } {
  const lines = text.replace(/^\ufeff/, '').split(/\r?\n/);
  const header = lines[0].split(',').map((h) => h.trim().toLowerCase());
  if (header.join(',') !== GLOSSARY_HEADER.join(',')) return { line: 1, problem: `the header must be ${GLOSSARY_HEADER.join(',')}` };
  const concepts: Concept[] = [];
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i].trim();
    if (!line || line.startsWith('#')) continue;
    const cells = line.split(',');
    if (cells.length !== 4) return { line: i + 1, problem: `expected 4 fields (concept,domain,it,en), found ${cells.length}; forms are separated by | and may not contain commas` };
    const [id, domain, it, en] = cells.map((c) => c.trim());
    const forms = (cell: string) => cell.split('|').map((f) => f.trim().toLowerCase()).filter(Boolean);
    if (!/^[a-z0-9_]+$/.test(id)) return { line: i + 1, problem: `concept id '${id}' must be snake_case (a-z, 0-9, _)` };
    const entry = { id, domain, it: forms(it), en: forms(en) };
    if (entry.it.length === 0 || entry.en.length === 0) return { line: i + 1, problem: `concept '${id}' needs at least one Italian and one English form` };
    concepts.push(entry);
  }
  return { concepts };
}

/** Entries of `extra` replace those of `base` with the same id; new ones are added. */
export function mergeGlossaries(base: Glossary, extra: Glossary): Glossary {
  const byId = new Map(base.concepts.map((c) => [c.id, c]));
  for (const c of extra.concepts) byId.set(c.id, c);
  return { concepts: [...byId.values()] };
}

/** Tokens as the matcher compares them: the text model's tokens, accents folded. */
export function matchKey(token: string): string {
  return /[^\x00-\x7f]/.test(token) ? foldAccents(token) : token;
}

/** Builds the phrase trie. When two concepts claim one form, the later entry wins (user glossaries come last). */
export function createConceptMatcher(glossary: Glossary): ConceptMatcher {
  const root: TrieDraft = { next: new Map() };
  for (const concept of glossary.concepts) {
    const forms = [...concept.it.map((f) => [f, 'it'] as const), ...concept.en.map((f) => [f, 'en'] as const)];
    for (const [form, lang] of forms) {
      const tokens = tokenize(form).map(matchKey);
      if (tokens.length === 0) continue;
      let node = root;
      for (const t of tokens) {
        let child = node.next.get(t);
        if (!child) node.next.set(t, (child = { next: new Map() }));
        node = child;
      }
      node.formLang = node.concept === concept.id && node.formLang !== lang ? 'both' : lang;
      node.concept = concept.id;
      node.onlyIn = tokens.length === 1 && isStopWord(tokens[0]) ? lang : undefined;
    }
  }
  return ConceptTrie.fromDraft(root, glossary.concepts.length);
}

/**
 * Concepts in a token sequence, scanning left to right and taking the longest
 * phrase at each position. `lang` is the text's language, for forms that are
 * stop words in the other one.
 */
export function findConcepts(tokens: readonly string[], matcher: ConceptMatcher, lang?: Language): ConceptHit[] {
  const hits: ConceptHit[] = [];
  const keys = tokens.map(matchKey);
  const here = lang === 'en' ? ONLY_EN : lang === 'it' ? ONLY_IT : ANY_TEXT;
  let i = 0;
  while (i < keys.length) {
    let node = matcher.child(0, keys[i]);
    let bestNode = -1;
    let bestEnd = 0;
    for (let j = i; node >= 0; ) {
      const match = matcher.match[node];
      if (match === ANY_TEXT || match === here) {
        bestNode = node;
        bestEnd = j + 1;
      }
      j++;
      if (j >= keys.length) break;
      node = matcher.child(node, keys[j]);
    }
    if (bestNode >= 0) {
      hits.push({ concept: matcher.concept(bestNode)!, start: i, end: bestEnd, formLang: matcher.formLang(bestNode) });
      i = bestEnd;
    } else {
      i++;
    }
  }
  return hits;
}

/**
 * The index term of a hit on one side, or null when it cannot bridge languages:
 * a form both languages write alike ("iot") already matches as a word, and a
 * form of the other language inside a text (an English loanword in Italian,
 * or an English word that happens to spell an Italian form) matches the other
 * side's words directly.
 */
export function conceptTerm(hit: ConceptHit, side: ConceptSide, textLang?: Language): string | null {
  if (hit.formLang === 'both' || (textLang !== undefined && hit.formLang !== textLang)) return null;
  const lang = side === 'document' ? hit.formLang : hit.formLang === 'it' ? 'en' : 'it';
  return `${CONCEPT_PREFIX}${hit.concept}@${lang}`;
}

/** Index terms for the concepts of `tokens`. */
export function conceptTerms(tokens: readonly string[], matcher: ConceptMatcher, side: ConceptSide, lang?: Language): string[] {
  const terms: string[] = [];
  for (const hit of findConcepts(tokens, matcher, lang)) {
    const term = conceptTerm(hit, side, lang);
    if (term) terms.push(term);
  }
  return terms;
}

/** Surface text behind each concept term, counted: "riciclo" for recycling in an Italian need. */
export function conceptForms(tokens: readonly string[], matcher: ConceptMatcher, side: ConceptSide, into: Map<string, Map<string, number>>, lang?: Language): void {
  for (const hit of findConcepts(tokens, matcher, lang)) {
    const term = conceptTerm(hit, side, lang);
    if (!term) continue;
    const form = tokens.slice(hit.start, hit.end).join(' ');
    let forms = into.get(term);
    if (!forms) into.set(term, (forms = new Map()));
    forms.set(form, (forms.get(form) ?? 0) + 1);
  }
}

/** A concept term's readable name, for when no surface form is at hand. */
export function conceptName(term: string): string {
  return term.slice(CONCEPT_PREFIX.length).replace(/@[a-z]+$/, '').replace(/_/g, ' ');
}

export function isConceptTerm(term: string): boolean {
  return term.startsWith(CONCEPT_PREFIX);
}
