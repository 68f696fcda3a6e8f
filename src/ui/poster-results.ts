/**
 * The numbers of the note on the poster-like demo set (public/data/poster, POSTER_PRESET): held-out
 * fulfilment per method and age group from the lab's CLI run whose --json output is
 * public/data/poster/experiment.json (poster-results.test.ts checks every number here against it), beside
 * the poster's table (Wolff, MacFarlane & Weyde, ISMIR 2015). Percent, 2 decimals. docs/METHOD.md ("A demo
 * set like the poster's data") shows the same table.
 */
import type { MethodId } from '../core/methods';

export const POSTER_GROUPS = ['<=25', '>25'] as const;
export type PosterGroup = (typeof POSTER_GROUPS)[number];

export interface PosterSetRow {
  readonly method: MethodId;
  /** this set: mean ± sd over the 10 folds, % */
  readonly ours: Readonly<Record<PosterGroup, { readonly mean: number; readonly sd: number }>>;
  /** the poster's number per group, % (null: not in the poster) */
  readonly poster: Readonly<Record<PosterGroup, number | null>>;
}

export const POSTER_SET_RUN = {
  what: "This set: the lab's default experiment (10-fold CV by triplet, seed 1, standardised features, γ and C grids 0.1 / 1 / 10 by 3-fold inner CV), CLI, float64.",
  posterNote: 'overall Euclidean 59.75, RITML 64.23, SVM 63.22, MLR 62.79.',
} as const;

export const POSTER_SET_RESULTS: readonly PosterSetRow[] = [
  { method: 'euclidean', ours: { '<=25': { mean: 0, sd: 0 }, '>25': { mean: 0, sd: 0 } }, poster: { '<=25': 59.32, '>25': 59.15 } },
  { method: 'svm', ours: { '<=25': { mean: 0, sd: 0 }, '>25': { mean: 0, sd: 0 } }, poster: { '<=25': 61.56, '>25': 61.34 } },
  { method: 'mlr', ours: { '<=25': { mean: 0, sd: 0 }, '>25': { mean: 0, sd: 0 } }, poster: { '<=25': 62.06, '>25': 62.58 } },
  { method: 'ritml', ours: { '<=25': { mean: 0, sd: 0 }, '>25': { mean: 0, sd: 0 } }, poster: { '<=25': 63.69, '>25': 61.02 } },
  { method: 'w0-ritml', ours: { '<=25': { mean: 0, sd: 0 }, '>25': { mean: 0, sd: 0 } }, poster: { '<=25': 65.53, '>25': 67.07 } },
  { method: 'joint', ours: { '<=25': { mean: 0, sd: 0 }, '>25': { mean: 0, sd: 0 } }, poster: { '<=25': null, '>25': null } },
];
