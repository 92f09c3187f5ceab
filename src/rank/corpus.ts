import type { MatchRecord } from '../model.js';
import { analyzeFields, type AnalyzerOptions } from '../text/analyze.js';
import type { Language } from '../text/stopwords.js';
import { buildIndex, termCounts } from '../index/build-index.js';
import { weightIndex, type TextModelSettings, type WeightedIndex } from '../index/text-model.js';
import { tagKeys, tagWeights, type TagWeights } from '../score/tags.js';
import { parseSector, type Sector } from '../score/sector.js';

/** Everything about the solutions that ranking needs, built once and reused for every need. */
export interface SolutionCorpus {
  solutions: readonly MatchRecord[];
  langs: Language[];
  weighted: WeightedIndex;
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
}

/** Title and description as separately weighted fields. */
export function recordFields(record: MatchRecord): string[] {
  return [record.title, record.text];
}

export function fieldWeights(model: TextModelSettings): number[] {
  return [model.titleWeight, 1];
}

export function parseSectors(values: readonly string[]): Sector[] {
  return values.map(parseSector).filter((s): s is Sector => s !== null);
}

export function prepareSolutions(solutions: readonly MatchRecord[], options: CorpusOptions): SolutionCorpus {
  const langs: Language[] = [];
  const docs = solutions.map((s) => {
    const analyzed = analyzeFields(recordFields(s), options);
    langs.push(analyzed.lang);
    return analyzed.fields;
  });
  const weighted = weightIndex(buildIndex(docs, fieldWeights(options.textModel)), options.textModel);

  const keys = solutions.map((s) => tagKeys(s.tags));
  const tagPostings = new Map<string, number[]>();
  keys.forEach((k, d) => {
    for (const key of k.keys()) {
      const list = tagPostings.get(key);
      if (list) list.push(d);
      else tagPostings.set(key, [d]);
    }
  });

  const sectors = solutions.map((s) => parseSectors(s.sectors));
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
    tagKeys: keys,
    tagWeights: tagWeights(keys),
    tagPostings,
    sectors,
    sectorGroups: [...groups.values()],
  };
}

/** The need's analysed text as field-weighted term counts, ready for `buildQuery`. */
export function needTermCounts(need: MatchRecord, options: CorpusOptions): { lang: Language; counts: Map<string, number> } {
  const analyzed = analyzeFields(recordFields(need), options);
  return { lang: analyzed.lang, counts: termCounts(analyzed.fields, fieldWeights(options.textModel)) };
}
