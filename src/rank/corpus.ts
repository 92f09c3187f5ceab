import type { MatchRecord } from '../model.js';
import { analyzeFields, type AnalyzerOptions } from '../text/analyze.js';
import type { Language } from '../text/stopwords.js';
import { termCounts, type InvertedIndex } from '../index/build-index.js';
import { analysisThreads, buildTextIndex, type DocumentTokens, type TextIndexOptions } from '../index/build-text-index.js';
import type { EarlyAnalysis } from '../index/early-analysis.js';
import type { AnalysisSettings } from '../index/document-analyzer.js';
import type { Lexicon } from '../text/lexicon.js';
import { lexiconTermCounts } from '../text/lexicon-terms.js';
import { isConceptTerm, type ConceptMatcher } from '../text/concepts.js';
import { supportsFeedback, weightIndex, type TermCounts, type TextModelSettings, type WeightedIndex } from '../index/text-model.js';
import type { FeedbackSettings, ForwardIndex } from './feedback.js';
import { tagKeys, tagWeights, type TagWeights } from '../score/tags.js';
import { parseSector, type Sector } from '../score/sector.js';

/** Everything about the solutions that ranking needs, built once and reused for every need. */
export interface SolutionCorpus {
  solutions: readonly MatchRecord[];
  langs: Language[];
  weighted: WeightedIndex;
  /** Each solution's terms, for reading documents back. */
  forward: ForwardIndex;
  /** The words of the solutions, each analysed once: for analysing needs and showing words. */
  lexicon: Lexicon;
  /** Each solution's title and description as token numbers of `lexicon`. */
  tokens: DocumentTokens;
  /** Pseudo-relevance feedback, when the text model asks for it. */
  feedback: { settings: FeedbackSettings; forward: ForwardIndex } | null;
  tagKeys: Map<string, string>[];
  tagWeights: TagWeights;
  /** Tag key → solutions carrying it, for finding tag-only candidates. */
  tagPostings: Map<string, number[]>;
  sectors: Sector[][];
  /** Solutions grouped by identical sector value, for finding sector-only candidates. */
  sectorGroups: { sector: Sector; docs: number[] }[];
}

export interface CorpusOptions extends AnalyzerOptions {
  textModel: TextModelSettings;
  /** Weight of concept terms against word terms, applied to counts before saturation. */
  conceptWeight: number;
}

/** Title and description as separately weighted fields. */
export function recordFields(record: MatchRecord): string[] {
  return [record.title, record.text];
}

/** Weights of the title, description and concept fields. */
export function fieldWeights(options: CorpusOptions): number[] {
  return [options.textModel.titleWeight, 1, options.conceptWeight];
}

export function parseSectors(values: readonly string[], concepts?: ConceptMatcher | null): Sector[] {
  return values.map((v) => parseSector(v, concepts)).filter((s): s is Sector => s !== null);
}

/** How prepareSolutions analyses the solutions' texts under `options`. */
export function solutionAnalysis(options: CorpusOptions): AnalysisSettings {
  return { lang: options.lang, concepts: options.concepts ?? null, fieldWeights: fieldWeights(options) };
}

/** How prepareSolutions builds the corpus, beyond what it holds. */
export interface PrepareSettings {
  /** Build the large arrays in shared memory, for ranking on several threads (see parallel/). */
  sharedMemory?: boolean;
  /** Called now and then with how many solutions are analysed, of how many. */
  progress?: (done: number, total: number) => void;
  /** Solutions analysed while their file was read (used if they are these, under these options). */
  early?: EarlyAnalysis | null;
  /** Called once every text is analysed, when what is left (building the index) runs on this thread alone. */
  analysed?: () => void;
  /** Called once the solutions' words are final, before their postings are laid out (see TextIndexOptions.worded). */
  worded?: TextIndexOptions['worded'];
}

export function prepareSolutions(solutions: readonly MatchRecord[], options: CorpusOptions, settings: PrepareSettings = {}): SolutionCorpus {
  const { sharedMemory = false, progress, early, analysed, worded } = settings;
  // The same index as buildIndex over analyzeFields of each solution, built a word at a time (see build-text-index.ts).
  const analysis = solutionAnalysis(options);
  const head = early?.claim(solutions, analysis);
  const built = buildTextIndex(solutions.length, (d) => recordFields(solutions[d]), { ...analysis, shared: sharedMemory, threads: analysisThreads(), progress, head, analysed, worded });
  const { langs } = built;
  const weighted = weightIndex(built.index, options.textModel);
  const model = weighted.settings;
  // Pruned scoring reads the few documents it keeps back from the forward index, as feedback does (built with the index).
  const { forward } = built;
  const feedback = model.feedbackDocs > 0 && model.feedbackTerms > 0 && supportsFeedback(model.model)
    ? { settings: { method: model.feedbackMethod, docs: model.feedbackDocs, terms: model.feedbackTerms, originalWeight: model.feedbackWeight }, forward }
    : null;

  const keys = solutions.map((s) => tagKeys(s.tags, options.concepts));
  const tagPostings = new Map<string, number[]>();
  keys.forEach((k, d) => {
    for (const key of k.keys()) {
      const list = tagPostings.get(key);
      if (list) list.push(d);
      else tagPostings.set(key, [d]);
    }
  });

  const sectors = solutions.map((s) => parseSectors(s.sectors, options.concepts));
  const groups = new Map<string, { sector: Sector; docs: number[] }>();
  sectors.forEach((list, d) => {
    for (const sector of list) {
      const id = JSON.stringify(sector);
      const group = groups.get(id);
      if (group) group.docs.push(d);
      else groups.set(id, { sector, docs: [d] });
    }
  });

  return {
    solutions,
    langs,
    weighted,
    forward,
    lexicon: built.lexicon,
    tokens: built.tokens,
    feedback,
    tagKeys: keys,
    tagWeights: tagWeights(keys),
    tagPostings,
    sectors,
    sectorGroups: [...groups.values()],
  };
}

/**
 * The need's analysed text as field-weighted term counts, ready for `buildQuery`;
 * with the corpus's lexicon, also the token numbers of its title and text (for needForms),
 * and with its index too, the counts looked up in the index (`terms`, for queryWithBound).
 */
export function needTermCounts(need: MatchRecord, options: CorpusOptions, index?: InvertedIndex, lexicon?: Lexicon): { lang: Language; counts: Map<string, number>; tokens?: number[]; terms?: TermCounts } {
  let analyzed: { lang: Language; counts: Map<string, number>; tokens?: number[]; stems?: readonly number[] };
  if (lexicon && lexicon.concepts === (options.concepts ?? null)) {
    // The corpus's lexicon knows most of the need's words already: the same analysis, faster.
    analyzed = lexiconTermCounts(lexicon, recordFields(need), options.lang, 'query', fieldWeights(options));
  } else {
    const { lang, fields } = analyzeFields(recordFields(need), { ...options, side: 'query' });
    analyzed = { lang, counts: termCounts(fields, fieldWeights(options)) };
  }
  const { counts } = analyzed;
  // A concept only restates the need's words for the other language: when no
  // solution uses it, it is dropped rather than lowering every score through
  // the bound (words absent from the corpus, by contrast, do count there).
  if (index) for (const term of counts.keys()) if (isConceptTerm(term) && !index.termIds.has(term)) counts.delete(term);
  const terms = index && lexicon && analyzed.stems ? lookUpByStem(index, lexicon, counts, analyzed.stems) : undefined;
  return { lang: analyzed.lang, counts, tokens: analyzed.tokens, terms };
}

/**
 * What text-model.ts's look-up of `counts` in the index gives (positive counts
 * with their term ids, in the counts' order), with the words (the first
 * `stems.length` counts, concepts follow) found by stem number: an array read
 * where a Map look-up by string cost 3% of ranking a need.
 */
function lookUpByStem(index: InvertedIndex, lexicon: Lexicon, counts: ReadonlyMap<string, number>, stems: readonly number[]): TermCounts {
  const table = stemTermIds(index, lexicon);
  const ids = new Int32Array(counts.size);
  const tfs = new Float64Array(counts.size);
  let n = 0;
  let i = 0;
  for (const [term, tf] of counts) {
    const s = i < stems.length ? stems[i] : -1;
    i++;
    if (!(tf > 0)) continue;
    ids[n] = s < 0 ? (index.termIds.get(term) ?? -1) : s < table.length ? table[s] : -1;
    tfs[n++] = tf;
  }
  return { ids: ids.subarray(0, n), tfs: tfs.subarray(0, n) };
}

/** Each lexicon's stem numbers as term ids of an index (-1: in no document), made on first use. */
const stemTables = new WeakMap<Lexicon, { index: InvertedIndex; table: Int32Array }>();

/**
 * The term id of each stem the lexicon has numbered so far. Stems numbered
 * later come from needs' words, which no document has: they are no terms.
 */
function stemTermIds(index: InvertedIndex, lexicon: Lexicon): Int32Array {
  const known = stemTables.get(lexicon);
  if (known?.index === index) return known.table;
  const { stems } = lexicon;
  const table = new Int32Array(stems.length);
  for (let s = 0; s < stems.length; s++) table[s] = index.termIds.get(stems[s]) ?? -1;
  stemTables.set(lexicon, { index, table });
  return table;
}
