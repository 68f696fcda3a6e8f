/**
 * Shared types of the science core. Pure TypeScript: no DOM, no React, no tfjs.
 *
 * Matrices are dense, row-major Float64Array with their shape. Branded types keep an
 * unchecked array from standing in for a metric: only the constructors in `matrix.ts`
 * (which check shape, finiteness, symmetry / positive definiteness) produce them.
 */

declare const brand: unique symbol;
type Brand<T, B extends string> = T & { readonly [brand]: B };

/** Any dense row-major float64 matrix. */
export interface Matrix {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float64Array;
}

/** n clips × d features, finite values. */
export type FeatureMatrix = Brand<Matrix, 'FeatureMatrix'>;
/** d × d symmetric positive (semi)definite metric matrix. */
export type SpdMatrix = Brand<Matrix, 'SpdMatrix'>;

/** A located input error: every parser/validator throws this. */
export class DataError extends Error {
  readonly file: string;
  readonly line?: number;
  readonly column?: string | number;
  readonly expected?: string;
  constructor(opts: { file: string; line?: number; column?: string | number; message: string; expected?: string }) {
    const where = [
      opts.file,
      opts.line !== undefined ? `line ${opts.line}` : undefined,
      opts.column !== undefined ? `column ${typeof opts.column === 'number' ? opts.column : `"${opts.column}"`}` : undefined,
    ]
      .filter(Boolean)
      .join(', ');
    super(`${where}: ${opts.message}${opts.expected ? ` (expected ${opts.expected})` : ''}`);
    this.name = 'DataError';
    this.file = opts.file;
    this.line = opts.line;
    this.column = opts.column;
    this.expected = opts.expected;
  }
}

/** Parsed features file. */
export interface FeatureSet {
  readonly ids: readonly string[];
  readonly names: readonly string[];
  readonly X: FeatureMatrix;
  /** file name it came from (for messages and provenance) */
  readonly source: string;
}

/** Report of preprocessing (zero-variance features dropped, PCA, ...). */
export interface PreprocessReport {
  readonly droppedZeroVariance: readonly string[];
  readonly standardised: boolean;
  readonly pca?: { readonly k: number; readonly explainedVariance: number };
}

/**
 * One odd-one-out vote (kind 1 rows expand to counts; kind 2 rows are single votes) or one
 * relative judgment (kind 3). Ids refer to FeatureSet.ids.
 */
export interface OddOneOutVote {
  readonly kind: 'vote';
  readonly clips: readonly [string, string, string];
  /** index 0..2 into clips of the clip chosen as odd one out */
  readonly odd: 0 | 1 | 2;
  /** number of identical votes this record stands for (kind 1 counts) */
  readonly count: number;
  readonly user?: string;
  /** user attributes (age_group, gender, ...), joined from a users file if given */
  readonly attrs: Readonly<Record<string, string>>;
  /** 1-based line in its file, for messages */
  readonly line: number;
}

export interface RelativeJudgment {
  readonly kind: 'relative';
  readonly anchor: string;
  readonly near: string;
  readonly far: string;
  readonly weight: number;
  /** includes `group` if the file had it */
  readonly attrs: Readonly<Record<string, string>>;
  readonly line: number;
}

export type Judgment = OddOneOutVote | RelativeJudgment;

export interface JudgmentSet {
  readonly layout: 'counts' | 'votes' | 'relative';
  readonly judgments: readonly Judgment[];
  /** attribute columns that can define groups */
  readonly attributeColumns: readonly string[];
  readonly source: string;
}

/**
 * Relative constraints d(a, n) < d(a, f), struct-of-arrays over clip row indices.
 * `triplet` identifies the unordered clip set {a, n, f}: folds keep a triplet's constraints together.
 */
export interface ConstraintSet {
  readonly count: number;
  readonly a: Int32Array;
  readonly n: Int32Array;
  readonly f: Int32Array;
  readonly weight: Float64Array;
  readonly triplet: Int32Array;
}

/** Pairwise ITML constraints: delta = +1 similar (d ≤ bound), −1 dissimilar (d ≥ bound). */
export interface PairConstraints {
  readonly count: number;
  readonly i: Int32Array;
  readonly j: Int32Array;
  readonly delta: Int8Array;
  readonly bound: Float64Array;
}

/** Progress + cooperative cancellation hooks passed down to long computations. */
export interface FitContext {
  onProgress?: (p: { stage: string; done: number; total: number; detail?: string }) => void;
  /** throws (e.g. a CancelledError) if the run must stop */
  checkCancelled?: () => void;
  /**
   * awaited between independent fits by async drivers (experiment runner, batch backends): a worker uses it
   * to yield to its message loop (pause / cancel messages), to wait while paused, and to throw when cancelled
   */
  checkpoint?: () => Promise<void>;
  /**
   * called by a batch backend as soon as problem `index` of the batch is fitted (optional: a backend may hand
   * every result back at the end only), so a driver can report partial results while the batch runs
   */
  onResult?: (index: number, result: FitResult) => void;
}

export interface FitResult {
  readonly W: SpdMatrix;
  readonly converged: boolean;
  /** sweeps (ITML), outer iterations (RITML), solver iterations (SVM/MLR) */
  readonly iterations: number;
  /** per-iteration convergence measure or training fulfilment */
  readonly history: readonly number[];
  readonly info?: Readonly<Record<string, unknown>>;
}

/**
 * A learner: fits a metric on (standardised) features and relative constraints, with a prior
 * (identity when null). All learners — Euclidean, ITML, RITML, W0-RITML, JOINT, SVM, MLR — share it.
 */
export interface Learner<P = Record<string, unknown>> {
  readonly id: string;
  /** default parameters; every reconstruction choice is a named parameter here */
  readonly defaults: P;
  fit(X: FeatureMatrix, train: ConstraintSet, prior: SpdMatrix | null, params: P, ctx?: FitContext): FitResult;
}
