/**
 * All learners behind the one `Learner` interface (types.ts); methods map to them through the method table. The RITML family is also
 * run in batches through a ComputeBackend by the experiment runner; these wrappers give the same
 * results one problem at a time (the float64 reference).
 */
import { METHODS, type LearnerId, type MethodId } from '../methods';
import { identity } from '../matrix';
import { ritml, RITML_DEFAULTS, type RitmlParams } from '../ritml';
import type { Learner } from '../types';
import { mlrDiagLearner, mlrLearner } from './mlr';
import { svmLearner } from './svm';

export const euclideanLearner: Learner<Record<string, never>> = {
  id: 'euclidean',
  defaults: {},
  fit: (X) => ({ W: identity(X.cols), converged: true, iterations: 0, history: [] }),
};

/** RITML; W0-RITML is this learner with the template W0 as prior, JOINT with the complement's data added. */
export const ritmlLearner: Learner<RitmlParams> = {
  id: 'ritml',
  defaults: { ...RITML_DEFAULTS },
  fit: (X, train, prior, params, ctx) => ritml(X, train, prior, params, ctx),
};

/** The learner implementations by id; which method uses which is the method table's `learner` (methods.ts). */
// biome-ignore lint/suspicious/noExplicitAny: each learner has its own parameter type; the table and the driver pass them through
export const LEARNERS: Readonly<Record<LearnerId, Learner<any>>> = {
  euclidean: euclideanLearner,
  ritml: ritmlLearner,
  svm: svmLearner,
  mlr: mlrLearner,
  'mlr-diag': mlrDiagLearner,
};

/** The learner behind a method (the method table's `learner`). */
// biome-ignore lint/suspicious/noExplicitAny: see LEARNERS
export function learnerFor(m: MethodId): Learner<any> {
  const row = METHODS[m];
  if (!row) throw new Error(`unknown method "${m as string}"`);
  return LEARNERS[row.learner];
}
