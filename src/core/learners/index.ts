/**
 * All learners behind the one `Learner` interface (types.ts), by method id. The RITML family is also
 * run in batches through a ComputeBackend by the experiment runner; these wrappers give the same
 * results one problem at a time (the float64 reference).
 */
import type { MethodId } from '../experiment-types';
import { ITML_DEFAULTS } from '../itml';
import { identity } from '../matrix';
import { ritml, RITML_DEFAULTS, type RitmlParams } from '../ritml';
import type { Learner } from '../types';
import { mlrDiagLearner, mlrLearner } from './mlr';
import { svmLearner } from './svm';

export const RITML_FAMILY = ['itml', 'ritml', 'w0-ritml', 'joint'] as const;
export type RitmlFamilyId = (typeof RITML_FAMILY)[number];

export const euclideanLearner: Learner<Record<string, never>> = {
  id: 'euclidean',
  label: 'Euclidean',
  defaults: {},
  fit: (X) => ({ W: identity(X.cols), converged: true, iterations: 0, history: [] }),
};

const GAMMA_GRID = [0.1, 1, 10] as const;

/** Plain ITML on relative constraints: one ITML call with the 5th/95th percentile bounds. */
export const itmlLearner: Learner<RitmlParams> = {
  id: 'itml',
  label: 'ITML',
  defaults: { ...RITML_DEFAULTS, gamma: ITML_DEFAULTS.gamma, outer: 1, initialBounds: 'percentile', selectBest: false },
  tuned: { param: 'gamma', grid: GAMMA_GRID },
  fit: (X, train, prior, params, ctx) => ritml(X, train, prior, params, ctx),
};

/** RITML; W0-RITML is this learner with the template W0 as prior, JOINT with the complement's data added. */
export const ritmlLearner: Learner<RitmlParams> = {
  id: 'ritml',
  label: 'RITML',
  defaults: { ...RITML_DEFAULTS },
  tuned: { param: 'gamma', grid: GAMMA_GRID },
  fit: (X, train, prior, params, ctx) => ritml(X, train, prior, params, ctx),
};

export { METHOD_LABELS } from '../methods';

export function learnerFor(m: MethodId): Learner<any> {
  switch (m) {
    case 'euclidean':
      return euclideanLearner;
    case 'itml':
      return itmlLearner;
    case 'ritml':
    case 'w0-ritml':
    case 'joint':
      return ritmlLearner;
    case 'svm':
      return svmLearner;
    case 'mlr':
      return mlrLearner;
    case 'mlr-diag':
      return mlrDiagLearner;
    default:
      throw new Error(`unknown method "${m as string}"`);
  }
}
