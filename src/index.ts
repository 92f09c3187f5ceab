/**
 * match as a library: load datasets, rank needs against solutions, render
 * results. Everything here but `loadDataset` and `writeOutputFile` is pure.
 */
export type { MatchRecord, Match, NeedResult, Signal, Weights } from './model.js';
export { DEFAULT_WEIGHTS, SIGNALS } from './model.js';
export { rank, rankNeed, createScratch, DEFAULT_RANK_OPTIONS, type RankOptions } from './rank/rank.js';
export { prepareSolutions, type SolutionCorpus } from './rank/corpus.js';
export { tokenize, foldAccents } from './text/tokenize.js';
export { analyzeFields } from './text/analyze.js';
export { detectLanguage } from './text/language.js';
export { stem } from './text/stem.js';
export { buildIndex, type InvertedIndex } from './index/build-index.js';
export { weightIndex, buildQuery, DEFAULT_TEXT_MODEL, type TextModelSettings, type TextModelName } from './index/text-model.js';
export { tagKey, tagKeys, tagScore } from './score/tags.js';
export { parseSector, sectorScore, sectorPairScore } from './score/sector.js';
export { blendScores, type SignalScores } from './score/blend.js';
export { loadDataset, datasetFromBytes, type Dataset, type LoadOptions, type InputFormat } from './io/load-dataset.js';
export { detectColumns, type ColumnMapping } from './io/columns.js';
export { writeOutputFile } from './io/write-output.js';
export { renderCsv, escapeFormula, unescapeFormula } from './render/csv.js';
export { renderJson, renderJsonLines } from './render/json.js';
export { renderTable } from './render/table.js';
export { flattenResults, OUTPUT_COLUMNS } from './render/rows.js';
export { renderHtml, escapeHtml, type ReportContext } from './render/html.js';
export { buildWorkbook, renderXlsx, type XlsxSheet } from './render/xlsx.js';
export { diffRuns, markChanges, summarizeChanges, type PairChange, type RankedPair } from './diff/diff-runs.js';
export { readRun, type RunRow } from './io/read-run.js';
export { MatchError, EXIT } from './errors.js';
export { lintDatasets, lintExitCode, DEFAULT_LINT_SETTINGS, type LintResult, type Finding, type DatasetFacts } from './lint/checks.js';
export { parseCondition, testCondition, type Condition } from './constraints/where.js';
export { compileConstraints, type ConstraintSettings } from './constraints/need-constraints.js';
export { planShortlists, type PlanSettings, type Plan } from './assign/plan.js';
export { allocate, type AllocationNeed } from './assign/allocate.js';
