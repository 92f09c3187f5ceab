import { SIGNALS, type Weights } from '../model.js';
import { blendScores, type SignalScores } from '../score/blend.js';
import { compareIds, roundScore } from '../rank/compare-ids.js';
import { ndcgAt, relevantCount, type Judgments } from './metrics.js';

/** One candidate of one need, with its signals before blending. */
export interface CandidateSignals extends SignalScores {
  id: string;
}

/** Every need's candidates under one text-model setting (a "variant"). */
export interface Variant<S> {
  settings: S;
  candidates: ReadonlyMap<string, readonly CandidateSignals[]>;
}

/** A point of the search: a text-model variant and blend weights. */
export interface Setting<S> {
  variant: number;
  settings: S;
  weights: Weights;
}

export interface TuneResult<S> {
  k: number;
  folds: number;
  /** The setting chosen on all labelled needs (what to write as config). */
  best: Setting<S>;
  bestScore: number;
  /** Mean nDCG@k of each need when it was held out, its fold's setting chosen on the other folds. */
  heldOutScore: number;
  /** The default setting's mean nDCG@k over the same needs (nothing to fit, so nothing held out). */
  defaultScore: number;
  /** The setting each fold chose. */
  foldChoices: Setting<S>[];
  evaluated: number;
}

/** Weights on a simplex grid (sum 1, `step` apart); signals weighted 0 in `base` stay 0. */
export function weightGrid(step = 0.05, base?: Weights): Weights[] {
  const n = Math.round(1 / step);
  const out: Weights[] = [];
  for (let t = 1; t <= n; t++) {
    for (let g = 0; g <= n - t; g++) {
      const s = n - t - g;
      const w = { text: t / n, tags: g / n, sector: s / n };
      if (base && SIGNALS.some((k) => base[k] === 0 && w[k] > 0)) continue;
      out.push({ text: round(w.text), tags: round(w.tags), sector: round(w.sector) });
    }
  }
  return out;
}

const round = (x: number) => Math.round(x * 1e6) / 1e6;

/** A need's ranking under given weights: scores rounded as in output, ties by id. */
export function rankCandidates(candidates: readonly CandidateSignals[], weights: Weights, depth: number): string[] {
  return candidates
    .map((c) => ({ id: c.id, score: roundScore(blendScores(c, weights)) }))
    .filter((c) => c.score > 0)
    .sort((a, b) => b.score - a.score || compareIds(a.id, b.id))
    .slice(0, depth)
    .map((c) => c.id);
}

function meanNdcg<S>(variant: Variant<S>, weights: Weights, needs: readonly string[], labels: ReadonlyMap<string, Judgments>, k: number): number {
  if (needs.length === 0) return 0;
  let sum = 0;
  for (const need of needs) sum += ndcgAt(rankCandidates(variant.candidates.get(need) ?? [], weights, k), labels.get(need)!, k);
  return sum / needs.length;
}

/** Deterministic folds: labelled needs sorted by id, dealt round-robin. */
export function makeFolds(needs: readonly string[], folds: number): string[][] {
  const sorted = [...needs].sort(compareIds);
  const out: string[][] = Array.from({ length: Math.min(folds, sorted.length) }, () => []);
  sorted.forEach((id, i) => out[i % out.length].push(id));
  return out;
}

/**
 * Grid search over text-model variants × blend weights maximising mean
 * nDCG@k, with k-fold cross-validation over needs so the reported gain is on
 * needs the choice did not see. Variant 0 with `defaults` is the baseline;
 * ties go to the earlier setting, so the default wins when nothing is better.
 */
export function tune<S>(variants: readonly Variant<S>[], defaults: Weights, labels: ReadonlyMap<string, Judgments>, options: { k: number; folds: number; weights?: Weights[] }): TuneResult<S> {
  const { k } = options;
  const needs = [...labels.keys()].filter((n) => relevantCount(labels.get(n)!) > 0);
  const grid = [defaults, ...(options.weights ?? weightGrid(0.05, defaults))];
  const settings: Setting<S>[] = variants.flatMap((v, variant) => grid.map((weights) => ({ variant, settings: v.settings, weights })));
  const score = (s: Setting<S>, on: readonly string[]) => meanNdcg(variants[s.variant], s.weights, on, labels, k);
  const choose = (on: readonly string[]) => {
    let best = settings[0];
    let bestScore = score(best, on);
    for (const s of settings.slice(1)) {
      const v = score(s, on);
      if (v > bestScore + 1e-12) { best = s; bestScore = v; }
    }
    return { best, bestScore };
  };

  const folds = makeFolds(needs, options.folds);
  const foldChoices: Setting<S>[] = [];
  let heldOut = 0;
  for (const fold of folds) {
    const held = new Set(fold);
    const { best } = choose(needs.filter((n) => !held.has(n)));
    foldChoices.push(best);
    heldOut += score(best, fold) * fold.length;
  }
  const overall = choose(needs);
  return {
    k,
    folds: folds.length,
    best: overall.best,
    bestScore: overall.bestScore,
    heldOutScore: needs.length ? heldOut / needs.length : 0,
    defaultScore: score(settings[0], needs),
    foldChoices,
    evaluated: settings.length,
  };
}
