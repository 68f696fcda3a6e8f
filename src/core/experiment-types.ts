/** Types of a whole experiment: what the CLI, the worker and the UI exchange. */
import type { MethodId } from './methods';

export type { MethodId };

export type BackendId = 'cpu-f64' | 'webgpu' | 'webgl' | 'wasm' | 'cpu-tfjs';

/** The engine a result was computed on (stored in every result's provenance). */
export interface BackendInfo {
  readonly id: BackendId;
  readonly precision: 'float64' | 'float32';
  /** human readable: adapter / renderer name (e.g. "SwiftShader", "NVIDIA H100") */
  readonly description: string;
}

export interface ExperimentSpec {
  readonly methods: readonly MethodId[];
  /** attribute / `group` column defining groups; undefined: one group "all" */
  readonly groupBy?: string;
  /** subset of group values (default: all values of groupBy) */
  readonly groups?: readonly string[];
  readonly folds: number;
  readonly split: 'triplet' | 'item';
  readonly seed: number;
  /** PCA to k dims over all clips (after standardising); undefined: none */
  readonly pca?: number;
  readonly standardise: boolean;
  /** γ grid for ITML/RITML-family inner CV; one value = no inner CV */
  readonly gammaGrid: readonly number[];
  /** C grid for SVM/MLR inner CV */
  readonly cGrid: readonly number[];
  readonly innerFolds: number;
  /** remove complement constraints on the group's triplets from W0's training data */
  readonly removeGroupTripletsFromW0: boolean;
  /** per-method parameter overrides (e.g. { ritml: { outer: 5 } }) */
  readonly params?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

export interface ResultRow {
  readonly method: MethodId;
  readonly group: string;
  /** fraction 0..1 of held-out constraints fulfilled, mean over folds */
  readonly mean: number;
  readonly sd: number;
  readonly folds: readonly number[];
  /** training fulfilment, mean over folds */
  readonly train: number;
  /** hyper-parameter chosen per fold by inner CV, if any */
  readonly chosen?: readonly number[];
  readonly fitMs: number;
  /**
   * SVM / MLR: how many of this row's fold fits stopped without meeting their tolerance (iteration cap), and how
   * many of those returned the zero metric (every distance 0: a failed solve, its score means nothing). Absent
   * when every fit converged. The table, the CLI and the exports mark such a score; it is never a plain number.
   */
  readonly notConverged?: { readonly fits: number; readonly of: number; readonly zeroMetric: number };
}

export interface Comparison {
  readonly group: string;
  readonly a: MethodId;
  readonly b: MethodId;
  /** mean over folds of (score a − score b) */
  readonly meanDiff: number;
  /** paired t-test p (two-sided) */
  readonly p: number;
  /** Wilcoxon signed-rank p (two-sided) */
  readonly pWilcoxon: number;
}

export interface Provenance {
  readonly app: string;
  readonly version: string;
  /** FNV-1a fingerprint of the features + judgments content */
  readonly dataFingerprint: string;
  readonly featuresSource: string;
  readonly judgmentsSource: string;
  readonly spec: ExperimentSpec;
  readonly backend: BackendInfo;
  readonly startedAt: string;
  readonly elapsedMs: number;
  readonly constraintCounts: Readonly<Record<string, number>>;
  readonly featureNames: readonly string[];
  readonly notes: readonly string[];
}

export interface GroupMetrics {
  readonly group: string;
  /** template W0 trained on the complement (W0-RITML), d×d row-major */
  readonly W0?: readonly number[];
  /** fine-tuned group metric (W0-RITML trained on all the group's constraints) */
  readonly W?: readonly number[];
  readonly d: number;
}

/**
 * What a group's template W0 (trained once on the group's complement) is and carries: the learner and its
 * hyper-parameter, how that was chosen, its training fulfilment on the complement beside Euclidean's, and
 * W0 alone (no fine-tuning) on the group's held-out splits.
 */
export interface TemplateInfo {
  readonly group: string;
  /** the template's learner (protocol.w0Method, or the one inner CV chose); 'euclidean': no template, W0 = I */
  readonly method: 'euclidean' | 'ritml' | 'mlr' | 'svm';
  /** γ (RITML) or C (SVM, MLR); absent for 'euclidean' */
  readonly param?: 'gamma' | 'C';
  readonly value?: number;
  readonly chosenBy: 'fixed' | 'inner CV';
  /** mean inner-CV fulfilment on the complement per candidate ("I", "RITML γ = 1", "SVM C = 0.1", …) */
  readonly innerCv?: { readonly candidates: readonly string[]; readonly fulfilment: readonly number[] };
  readonly complementConstraints: number;
  /** W0's fulfilment of the complement's constraints (its training data) */
  readonly trainFulfilment: number;
  /** Euclidean's fulfilment of the same constraints */
  readonly euclideanTrain: number;
  /** W0 is the identity (inner CV chose I, RITML's best-iterate rule kept its prior, or the fit failed and I stands in) */
  readonly identity: boolean;
  /** the template's fit gave no usable metric, so I stands in */
  readonly failed?: boolean;
  /** W0 alone on each of the group's outer test splits (the same splits as the rows' folds) */
  readonly heldOut: readonly number[];
}

export interface ExperimentResult {
  readonly rows: readonly ResultRow[];
  readonly comparisons: readonly Comparison[];
  readonly metrics: readonly GroupMetrics[];
  /** one per group when a method with a template (W0-RITML) ran */
  readonly templates?: readonly TemplateInfo[];
  readonly meta: Provenance;
}

/** The experiment's defaults, shared by the CLI and the page, so equal inputs give equal numbers. */
export const DEFAULT_SPEC: ExperimentSpec = Object.freeze({
  methods: ['euclidean', 'ritml', 'w0-ritml', 'joint'] as MethodId[],
  folds: 10,
  split: 'triplet' as const,
  seed: 1,
  standardise: true,
  gammaGrid: [0.1, 1, 10],
  cGrid: [0.1, 1, 10],
  innerFolds: 3,
  removeGroupTripletsFromW0: true,
});

/** What a run has finished so far, reported while it runs (`RunContext.onPartial`). */
export interface PartialResult {
  /** rows of the methods finished in a group (the same rows the final result holds); averages once a method is done in every group */
  readonly rows: readonly ResultRow[];
  /** paired comparisons among the finished rows */
  readonly comparisons: readonly Comparison[];
  /** the methods not finished yet: fitting now ('running') or waiting ('queued') */
  readonly pending: Readonly<Partial<Record<MethodId, 'running' | 'queued'>>>;
  /** every group of the run (the table's columns) */
  readonly groups: readonly string[];
}

/**
 * A run's progress as one bar: `done` of `total` cost units (fits weighted by their method's expected
 * cost), the stage running now, and the time left as measured so far (ms; absent until something was timed).
 */
export interface RunProgress {
  readonly stage: string;
  readonly done: number;
  readonly total: number;
  readonly detail?: string;
  readonly etaMs?: number;
}

/** "3 of 10 fits did not converge (2 gave the zero metric)": what the table, the CLI and the exports say of a row's fits. */
export function notConvergedText(nc: NonNullable<ResultRow['notConverged']>): string {
  const zero = nc.zeroMetric ? ` (${nc.zeroMetric === nc.fits ? (nc.fits === 1 ? 'it' : 'all') : nc.zeroMetric} gave the zero metric: a failed solve)` : '';
  return `${nc.fits} of ${nc.of} fits did not converge${zero}`;
}

/** every fit of the row returned the zero metric without converging: a failed solve, not a score */
export function allFailed(r: ResultRow): boolean {
  return r.notConverged !== undefined && r.notConverged.zeroMetric === r.notConverged.of;
}
