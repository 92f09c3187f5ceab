/**
 * Ranking-quality measures for evaluating a run against graded judgments
 * (qrels), as used by TREC/BEIR-style test collections. All pure.
 *
 * Conventions (those of trec_eval and the BEIR paper):
 * - a solution is relevant when its grade is > 0; unjudged solutions count as not relevant;
 * - nDCG uses gains 2^grade − 1 and a log2(rank + 1) discount; the ideal ranking
 *   is built from ALL judged relevant solutions of the need, not only the retrieved ones;
 * - average precision is divided by the number of relevant solutions of the need,
 *   so relevant solutions never retrieved count as zero.
 */

/** Solution id → grade, for one need. */
export type Judgments = ReadonlyMap<string, number>;

/** Number of relevant (grade > 0) solutions in `judgments`. */
export function relevantCount(judgments: Judgments): number {
  let n = 0;
  for (const grade of judgments.values()) if (grade > 0) n++;
  return n;
}

function gradeOf(judgments: Judgments, id: string): number {
  return judgments.get(id) ?? 0;
}

/** Graded gain of a judgment: 2^grade − 1 (0 for unjudged or non-relevant). */
function gain(grade: number): number {
  return grade > 0 ? 2 ** grade - 1 : 0;
}

/** Discounted cumulative gain of `grades` (in rank order), over the first k. */
function dcg(grades: readonly number[], k: number): number {
  let sum = 0;
  const n = Math.min(k, grades.length);
  for (let i = 0; i < n; i++) sum += gain(grades[i]) / Math.log2(i + 2);
  return sum;
}

/** nDCG@k of a ranking; 0 when the need has no relevant solution (nothing to find). */
export function ndcgAt(ranking: readonly string[], judgments: Judgments, k: number): number {
  const ideal = [...judgments.values()].filter((g) => g > 0).sort((a, b) => b - a);
  const best = dcg(ideal, k);
  if (best === 0) return 0;
  return dcg(ranking.slice(0, k).map((id) => gradeOf(judgments, id)), k) / best;
}

/** Average precision: mean of precision at each relevant rank, over ALL relevant solutions of the need. */
export function averagePrecision(ranking: readonly string[], judgments: Judgments): number {
  const relevant = relevantCount(judgments);
  if (relevant === 0) return 0;
  let hits = 0;
  let sum = 0;
  ranking.forEach((id, i) => {
    if (gradeOf(judgments, id) > 0) {
      hits++;
      sum += hits / (i + 1);
    }
  });
  return sum / relevant;
}

/** 1 / rank of the first relevant solution; 0 when none is retrieved. */
export function reciprocalRank(ranking: readonly string[], judgments: Judgments): number {
  const i = ranking.findIndex((id) => gradeOf(judgments, id) > 0);
  return i < 0 ? 0 : 1 / (i + 1);
}

/** Share of the first k positions holding a relevant solution (a short ranking still divides by k). */
export function precisionAt(ranking: readonly string[], judgments: Judgments, k: number): number {
  if (k <= 0) return 0;
  let hits = 0;
  for (const id of ranking.slice(0, k)) if (gradeOf(judgments, id) > 0) hits++;
  return hits / k;
}

/** Share of the need's relevant solutions found in the first k positions. */
export function recallAt(ranking: readonly string[], judgments: Judgments, k: number): number {
  const relevant = relevantCount(judgments);
  if (relevant === 0) return 0;
  let hits = 0;
  for (const id of ranking.slice(0, k)) if (gradeOf(judgments, id) > 0) hits++;
  return hits / relevant;
}

/** The measures of one need. `ndcg`, `precision` and `recall` are at the cutoff k given to evaluateRun. */
export interface NeedMetrics {
  ndcg: number;
  ap: number;
  rr: number;
  precision: number;
  recall: number;
}

export interface RunEvaluation {
  k: number;
  /** Per judged need, in the order of the qrels. */
  perNeed: Map<string, NeedMetrics>;
  /** Means over all judged needs: nDCG@k, MAP, MRR, P@k, R@k. */
  mean: NeedMetrics;
  /** Needs with at least one relevant solution: the ones averaged. */
  judgedNeeds: number;
  /** Judged needs the run has no ranking for (they count as 0 in every mean). */
  missingNeeds: number;
}

/**
 * Evaluates a run (need id → solution ids in rank order) against qrels
 * (need id → solution id → grade). Every need with at least one relevant
 * solution is evaluated, whether or not the run ranked anything for it; needs
 * in the run without judgments are ignored (nothing says what is right there),
 * and so are judged needs with no relevant solution (no measure is defined).
 */
export function evaluateRun(run: ReadonlyMap<string, readonly string[]>, qrels: ReadonlyMap<string, Judgments>, k: number): RunEvaluation {
  const perNeed = new Map<string, NeedMetrics>();
  const sum: NeedMetrics = { ndcg: 0, ap: 0, rr: 0, precision: 0, recall: 0 };
  let missingNeeds = 0;
  for (const [needId, judgments] of qrels) {
    if (relevantCount(judgments) === 0) continue;
    const ranking = run.get(needId);
    if (!ranking || ranking.length === 0) missingNeeds++;
    const r = ranking ?? [];
    const m: NeedMetrics = {
      ndcg: ndcgAt(r, judgments, k),
      ap: averagePrecision(r, judgments),
      rr: reciprocalRank(r, judgments),
      precision: precisionAt(r, judgments, k),
      recall: recallAt(r, judgments, k),
    };
    perNeed.set(needId, m);
    sum.ndcg += m.ndcg;
    sum.ap += m.ap;
    sum.rr += m.rr;
    sum.precision += m.precision;
    sum.recall += m.recall;
  }
  const n = perNeed.size;
  const mean: NeedMetrics = n === 0
    ? { ndcg: 0, ap: 0, rr: 0, precision: 0, recall: 0 }
    : { ndcg: sum.ndcg / n, ap: sum.ap / n, rr: sum.rr / n, precision: sum.precision / n, recall: sum.recall / n };
  return { k, perNeed, mean, judgedNeeds: n, missingNeeds };
}

/** Parses qrels text: tab-separated, a header naming `query_id`, `doc_id` and `relevance` (other columns ignored). */
export function parseQrels(text: string): Map<string, Map<string, number>> {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  const qrels = new Map<string, Map<string, number>>();
  if (lines.length === 0) return qrels;
  const header = lines[0].split('\t').map((h) => h.trim().toLowerCase());
  const q = header.indexOf('query_id');
  const d = header.indexOf('doc_id');
  const r = header.indexOf('relevance');
  if (q < 0 || d < 0 || r < 0) throw new Error(`qrels header must name query_id, doc_id and relevance; found: ${header.join(', ')}`);
  for (const line of lines.slice(1)) {
    const cells = line.split('\t');
    const grade = Number(cells[r]);
    if (!Number.isFinite(grade)) throw new Error(`qrels: bad relevance '${cells[r]}' in line: ${line}`);
    const needId = cells[q].trim();
    let judgments = qrels.get(needId);
    if (!judgments) qrels.set(needId, (judgments = new Map()));
    judgments.set(cells[d].trim(), grade);
  }
  return qrels;
}
