import { createHash } from 'node:crypto';
import type { MatchRecord } from '../model.js';
import type { ColumnMapping } from '../io/columns.js';
import { tokenize } from '../text/tokenize.js';
import { termsOf } from '../text/analyze.js';
import { detectLanguage, type LanguageOption } from '../text/language.js';
import { tagKey } from '../score/tags.js';
import { parseSector } from '../score/sector.js';
import { EXIT } from '../errors.js';
import { findNearDuplicates } from './near-duplicates.js';

/**
 * Checks on datasets before scoring, as plain functions over loaded records:
 * what `match lint` reports. Nothing here reads files or prints.
 */

export type Severity = 'error' | 'warning' | 'note';

export type CheckName =
  | 'load'
  | 'unmatchable'
  | 'metadata-only'
  | 'empty-description'
  | 'short-text'
  | 'duplicate-text'
  | 'near-duplicate'
  | 'rare-tag'
  | 'rare-sector'
  | 'unshared-tags'
  | 'language-mismatch'
  | 'near-duplicate-capped';

export interface RecordRef {
  file: string;
  id: string;
  line: number;
}

export interface Finding {
  severity: Severity;
  check: CheckName;
  /** The file the finding is about, or `*` when it spans both. */
  file: string;
  /** How many records (or pairs, tags...) it concerns. */
  count: number;
  message: string;
  /** Examples, at most MAX_EXAMPLES: records, or groups of records that belong together. */
  examples: string[];
}

/** What a dataset looked like once loaded. */
export interface DatasetFacts {
  file: string;
  role: 'needs' | 'solutions';
  format: string;
  encoding: string;
  delimiter?: string;
  sheet?: string;
  columns: string[];
  mapping: ColumnMapping;
  records: readonly MatchRecord[];
}

export interface LanguageMix {
  en: number;
  it: number;
  /** No stop words of either language (tag lists, bare titles): `--lang auto` falls back to English. */
  undetermined: number;
}

export interface DatasetSummary {
  file: string;
  role: 'needs' | 'solutions';
  format: string;
  encoding: string;
  delimiter?: string;
  sheet?: string;
  records: number;
  columns: string[];
  mapping: ColumnMapping;
  languages: LanguageMix;
  withTags: number;
  distinctTags: number;
  withSectors: number;
  /** Content words (after stop words) per record: median and maximum. */
  medianWords: number;
  maxWords: number;
}

export interface LintSettings {
  lang: LanguageOption;
  /** Fewer content words than this is a very short description. */
  shortWords: number;
  /** Jaccard similarity of the records' word stems at or above which two records are near-duplicates. */
  nearDuplicate: number;
  /** Records with fewer distinct stems are not compared for near-duplicates (short texts agree by chance). */
  nearDuplicateMinTerms: number;
  maxComparisons?: number;
}

export const DEFAULT_LINT_SETTINGS: LintSettings = { lang: 'auto', shortWords: 5, nearDuplicate: 0.9, nearDuplicateMinTerms: 5 };

export const MAX_EXAMPLES = 20;

interface Analysed {
  record: MatchRecord;
  /** Lower-cased words of title and text, for the exact-duplicate key. */
  tokens: string[];
  terms: string[];
  language: keyof LanguageMix;
}

/** Per-record language as `--lang auto` decides it; undetermined when the English and Italian fallbacks disagree. */
function recordLanguage(tokens: readonly string[]): keyof LanguageMix {
  const en = detectLanguage(tokens, 'en');
  return en === detectLanguage(tokens, 'it') ? en : 'undetermined';
}

function analyse(records: readonly MatchRecord[], lang: LanguageOption): Analysed[] {
  return records.map((record) => {
    const tokens = tokenize(`${record.title}\n${record.text}`);
    const language = recordLanguage(tokens);
    // What --lang auto does (detectLanguage falls back to English), without detecting twice.
    const termLang = lang === 'auto' ? (language === 'it' ? 'it' : 'en') : lang;
    return { record, tokens, terms: termsOf(tokens, termLang), language };
  });
}

const ref = (file: string, r: MatchRecord): string => `${r.id} (${file}:${r.line})`;

function finding(severity: Severity, check: CheckName, file: string, items: readonly string[], message: string): Finding {
  return { severity, check, file, count: items.length, message, examples: items.slice(0, MAX_EXAMPLES) };
}

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;


function languageMix(analysed: readonly Analysed[]): LanguageMix {
  const mix: LanguageMix = { en: 0, it: 0, undetermined: 0 };
  for (const a of analysed) mix[a.language]++;
  return mix;
}

function median(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

function summarize(facts: DatasetFacts, analysed: readonly Analysed[]): DatasetSummary {
  const tagKeysSeen = new Set<string>();
  for (const r of facts.records) for (const t of r.tags) tagKeysSeen.add(tagKey(t));
  tagKeysSeen.delete('');
  const words = analysed.map((a) => a.terms.length);
  return {
    file: facts.file,
    role: facts.role,
    format: facts.format,
    encoding: facts.encoding,
    delimiter: facts.delimiter,
    sheet: facts.sheet,
    records: facts.records.length,
    columns: facts.columns,
    mapping: facts.mapping,
    languages: languageMix(analysed),
    withTags: facts.records.filter((r) => r.tags.length > 0).length,
    distinctTags: tagKeysSeen.size,
    withSectors: facts.records.filter((r) => r.sectors.length > 0).length,
    medianWords: median(words),
    maxWords: words.reduce((m, w) => Math.max(m, w), 0),
  };
}

/** Records the blend would treat oddly, and descriptions too thin to score on. */
function textChecks(facts: DatasetFacts, analysed: readonly Analysed[], settings: LintSettings): Finding[] {
  const { file } = facts;
  const unmatchable: string[] = [];
  const metadataOnly: string[] = [];
  const emptyDescription: string[] = [];
  const short: string[] = [];
  for (const { record, terms } of analysed) {
    const hasMetadata = record.tags.length > 0 || record.sectors.length > 0;
    if (terms.length === 0) (hasMetadata ? metadataOnly : unmatchable).push(ref(file, record));
    else if (!record.text) emptyDescription.push(ref(file, record));
    else if (terms.length < settings.shortWords) short.push(ref(file, record));
  }
  const out: Finding[] = [];
  if (unmatchable.length) out.push(finding('warning', 'unmatchable', file, unmatchable, `${plural(unmatchable.length, 'record has', 'records have')} no words, tags or sector: ${unmatchable.length === 1 ? 'it' : 'they'} can never score above 0`));
  if (metadataOnly.length) out.push(finding('warning', 'metadata-only', file, metadataOnly, `${plural(metadataOnly.length, 'record has', 'records have')} tags or a sector but no words: text scores 0 and still weighs in the blend, so ${metadataOnly.length === 1 ? 'it ranks' : 'they rank'} below records with any text; add a description`));
  if (emptyDescription.length) out.push(finding('warning', 'empty-description', file, emptyDescription, `${plural(emptyDescription.length, 'record has', 'records have')} a title but an empty description: only the title's words are scored`));
  if (short.length) out.push(finding('warning', 'short-text', file, short, `${plural(short.length, 'record has', 'records have')} fewer than ${settings.shortWords} content words: too little text to rank reliably`));
  return out;
}

/** Exact duplicates by normalised words (case, punctuation, spacing ignored); near-duplicates by stem sets. */
function duplicateChecks(facts: DatasetFacts, analysed: readonly Analysed[], settings: LintSettings): Finding[] {
  const { file } = facts;
  const groups = new Map<string, MatchRecord[]>();
  for (const { record, tokens, terms } of analysed) {
    if (terms.length === 0) continue;
    // A digest, not the text, so a large file's texts are not held twice.
    const key = createHash('sha1').update(tokens.join(' ')).digest('base64');
    const group = groups.get(key);
    if (group) group.push(record);
    else groups.set(key, [record]);
  }
  const duplicates = [...groups.values()].filter((g) => g.length > 1);
  // Copies are reported once above; the first of each group still takes part in the near-duplicate search.
  const copies = new Set(duplicates.flatMap((g) => g.slice(1)));
  const out: Finding[] = [];
  if (duplicates.length) {
    const extra = copies.size;
    const shown = duplicates.map((g) => g.slice(0, 4).map((r) => ref(file, r)).join(' = ') + (g.length > 4 ? ` = … (${g.length} records in all)` : ''));
    out.push(finding('warning', 'duplicate-text', file, shown, `${plural(duplicates.length, 'text appears', 'texts appear')} more than once (${plural(extra, 'extra copy', 'extra copies')} under other ids); the same entity listed twice splits its matches`));
  }

  const candidates = analysed.filter((a) => !copies.has(a.record) && new Set(a.terms).size >= settings.nearDuplicateMinTerms);
  const { pairs, truncated } = findNearDuplicates(candidates.map((a) => a.terms), settings.nearDuplicate, settings.maxComparisons);
  if (pairs.length) {
    const shown = pairs.map((p) => `${ref(file, candidates[p.a].record)} ~ ${ref(file, candidates[p.b].record)} (${Math.round(p.similarity * 100)}%)`);
    out.push(finding('warning', 'near-duplicate', file, shown, `${plural(pairs.length, 'pair of records shares', 'pairs of records share')} at least ${Math.round(settings.nearDuplicate * 100)}% of their word stems: the same entity twice, or a template left unfilled?`));
  }
  if (truncated) out.push(finding('note', 'near-duplicate-capped', file, [], 'the near-duplicate check stopped early (too many similar texts to compare them all); the pairs listed may be incomplete'));
  return out;
}

/**
 * Tags seen once across both files can never be shared by a need and a
 * solution (often a typo); need tags no solution carries never score either.
 * Sector codes match by prefix, so only sector labels are checked.
 */
function metadataChecks(datasets: readonly DatasetFacts[]): Finding[] {
  const tagUses = new Map<string, { spelling: string; where: string[] }>();
  const sectorUses = new Map<string, { spelling: string; where: string[] }>();
  for (const d of datasets) {
    for (const r of d.records) {
      for (const t of new Set(r.tags.map((tag) => tagKey(tag)).filter(Boolean))) {
        const use = tagUses.get(t) ?? { spelling: r.tags.find((tag) => tagKey(tag) === t)!, where: [] };
        use.where.push(`${d.file}:${r.line}`);
        tagUses.set(t, use);
      }
      for (const s of r.sectors) {
        const sector = parseSector(s);
        if (sector?.kind !== 'label') continue;
        const use = sectorUses.get(sector.label) ?? { spelling: s, where: [] };
        use.where.push(`${d.file}:${r.line}`);
        sectorUses.set(sector.label, use);
      }
    }
  }
  const once = (uses: Map<string, { spelling: string; where: string[] }>) =>
    [...uses.values()].filter((u) => u.where.length === 1).map((u) => `${u.spelling} (${u.where[0]})`).sort();
  const out: Finding[] = [];
  const rareTags = once(tagUses);
  if (rareTags.length) out.push(finding('note', 'rare-tag', '*', rareTags, `${plural(rareTags.length, 'tag appears', 'tags appear')} only once across both files, so ${rareTags.length === 1 ? 'it' : 'they'} can never be shared (a typo, or a synonym of a common tag?)`));
  const rareSectors = once(sectorUses);
  if (rareSectors.length) out.push(finding('note', 'rare-sector', '*', rareSectors, `${plural(rareSectors.length, 'sector label appears', 'sector labels appear')} only once across both files (not an ATECO/NACE code, so ${rareSectors.length === 1 ? 'it matches' : 'they match'} only when spelt the same)`));

  const needs = datasets.find((d) => d.role === 'needs');
  const solutions = datasets.find((d) => d.role === 'solutions');
  if (needs && solutions && solutions.records.some((r) => r.tags.length > 0)) {
    const offered = new Set<string>();
    for (const r of solutions.records) for (const t of r.tags) offered.add(tagKey(t));
    const asked = new Map<string, string>();
    for (const r of needs.records) for (const t of r.tags) if (tagKey(t) && !asked.has(tagKey(t))) asked.set(tagKey(t), t.trim());
    const unshared = [...asked].filter(([k]) => !offered.has(k)).map(([, spelling]) => spelling).sort();
    if (unshared.length && asked.size) {
      out.push(finding('note', 'unshared-tags', needs.file, unshared, `${unshared.length} of ${asked.size} distinct need tags appear on no solution, so they never add to a tag score`));
    }
  }
  return out;
}

/** Needs in one language and solutions in the other share few words: worth knowing before reading scores. */
function languageChecks(summaries: readonly DatasetSummary[]): Finding[] {
  const needs = summaries.find((s) => s.role === 'needs');
  const solutions = summaries.find((s) => s.role === 'solutions');
  if (!needs || !solutions) return [];
  const main = (m: LanguageMix): 'en' | 'it' | null => (m.en > 2 * m.it ? 'en' : m.it > 2 * m.en ? 'it' : null);
  const [a, b] = [main(needs.languages), main(solutions.languages)];
  if (!a || !b || a === b) return [];
  const name = { en: 'English', it: 'Italian' };
  return [finding('note', 'language-mismatch', '*', [], `the needs are mostly ${name[a]} and the solutions mostly ${name[b]}: the text signal compares words, so scores will be low unless the glossary bridges the two`)];
}

export interface LintResult {
  summaries: DatasetSummary[];
  findings: Finding[];
}

/** Every check over the datasets that loaded; findings in a stable order (file, then check). */
export function lintDatasets(datasets: readonly DatasetFacts[], settings: LintSettings = DEFAULT_LINT_SETTINGS): LintResult {
  const summaries: DatasetSummary[] = [];
  const findings: Finding[] = [];
  for (const facts of datasets) {
    const analysed = analyse(facts.records, settings.lang);
    summaries.push(summarize(facts, analysed));
    // Appended in loops: push(...list) of a very long list overflows the stack.
    for (const list of [textChecks(facts, analysed, settings), duplicateChecks(facts, analysed, settings)]) for (const f of list) findings.push(f);
  }
  for (const list of [metadataChecks(datasets), languageChecks(summaries)]) for (const f of list) findings.push(f);
  return { summaries, findings };
}

/** Input error when a file could not be loaded; "found" when --strict and there are warnings; else ok. */
export function lintExitCode(findings: readonly Finding[], strict: boolean): number {
  if (findings.some((f) => f.severity === 'error')) return EXIT.input;
  return strict && findings.some((f) => f.severity === 'warning') ? EXIT.found : EXIT.ok;
}
