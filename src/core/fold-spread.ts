/**
 * How much one cross-validation fold's score varies by chance alone. A fold's score is the percentage of
 * its n test constraints that a metric satisfies: a proportion, whose standard deviation is about
 * 100·√(p(1−p)/n) percentage points (p = the true rate; p = 0.5 gives the largest spread). With few
 * constraints per test fold the folds' scores scatter so much that methods cannot be told apart.
 */

/** sd in percentage points of a score on `testConstraints` constraints with true rate `p`. */
export function foldScoreSd(testConstraints: number, p = 0.5): number {
  if (!(testConstraints > 0)) return Number.POSITIVE_INFINITY;
  return 100 * Math.sqrt((p * (1 - p)) / testConstraints);
}

export interface FoldSpread {
  readonly constraints: number;
  readonly folds: number;
  /** constraints per test fold (on average) */
  readonly perTestFold: number;
  /** expected sd of one fold's score, percentage points */
  readonly sd: number;
  /** the most folds (≥ 2, fewer than `folds`) that keep the sd within the limit; 2 when none does */
  readonly suggestedFolds: number;
  readonly suggestedSd: number;
  /** even 2 folds leave the sd above the limit */
  readonly tooSmall: boolean;
}

/**
 * The expected spread of a fold's score for `constraints` split into `folds` folds; null when it is within
 * `maxSd` points (default 10), i.e. no warning is needed.
 */
export function foldSpread(constraints: number, folds: number, opts: { maxSd?: number; p?: number } = {}): FoldSpread | null {
  const maxSd = opts.maxSd ?? 10;
  const p = opts.p ?? 0.5;
  if (!(folds >= 2) || !(constraints >= 0)) return null;
  const sd = foldScoreSd(constraints / folds, p);
  if (sd <= maxSd) return null;
  let suggestedFolds = 2;
  for (let f = folds - 1; f >= 2; f--) {
    if (foldScoreSd(constraints / f, p) <= maxSd) {
      suggestedFolds = f;
      break;
    }
  }
  const suggestedSd = foldScoreSd(constraints / suggestedFolds, p);
  return { constraints, folds, perTestFold: constraints / folds, sd, suggestedFolds, suggestedSd, tooSmall: suggestedSd > maxSd };
}
