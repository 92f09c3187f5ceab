import type { Weights } from '../model.js';

export interface SignalScores {
  text: number;
  /** Null: the pair has no tags on one side, so tags are left out of its blend. */
  tags: number | null;
  sector: number | null;
  /** Stage credit (--stage signal); null or absent when the need asks for no stage or the solution states none. */
  stage?: number | null;
}

/**
 * Weighted mean of the signals present for this pair. Text is always present
 * (a record without text scores 0 on it); missing tags or sectors drop out and
 * the remaining weights are renormalised, so metadata gaps do not punish.
 */
export function blendScores(scores: SignalScores, weights: Weights): number {
  let total = weights.text * scores.text;
  let weight = weights.text;
  if (scores.tags !== null && weights.tags > 0) {
    total += weights.tags * scores.tags;
    weight += weights.tags;
  }
  if (scores.sector !== null && weights.sector > 0) {
    total += weights.sector * scores.sector;
    weight += weights.sector;
  }
  const stageWeight = weights.stage ?? 0;
  if (scores.stage != null && stageWeight > 0) {
    total += stageWeight * scores.stage;
    weight += stageWeight;
  }
  return weight > 0 ? Math.min(1, Math.max(0, total / weight)) : 0;
}
