import type { NeedMetrics, RunEvaluation } from './metrics.js';

/** Column names of an evaluation, with k spelled out: need_id, ndcg@10, map, mrr, p@10, r@10. */
export function metricColumns(k: number): string[] {
  return [`ndcg@${k}`, 'map', 'mrr', `p@${k}`, `r@${k}`];
}

const round = (x: number) => Math.round(x * 10000) / 10000;

function values(m: NeedMetrics): number[] {
  return [m.ndcg, m.ap, m.rr, m.precision, m.recall].map(round);
}

/** Rows of an evaluation: `all` (the means) first, then each need when asked. */
export function evaluationRows(evaluation: RunEvaluation, byNeed: boolean): (string | number)[][] {
  const rows: (string | number)[][] = [['all', ...values(evaluation.mean)]];
  if (byNeed) for (const [need, m] of evaluation.perNeed) rows.push([need, ...values(m)]);
  return rows;
}

export function evaluationJson(evaluation: RunEvaluation, byNeed: boolean): string {
  const columns = metricColumns(evaluation.k);
  const obj = (m: NeedMetrics) => Object.fromEntries(columns.map((c, i) => [c, values(m)[i]]));
  return `${JSON.stringify(
    {
      k: evaluation.k,
      judged_needs: evaluation.judgedNeeds,
      needs_without_ranking: evaluation.missingNeeds,
      mean: obj(evaluation.mean),
      ...(byNeed ? { by_need: [...evaluation.perNeed].map(([need, m]) => ({ need_id: need, ...obj(m) })) } : {}),
    },
    null,
    2,
  )}\n`;
}
