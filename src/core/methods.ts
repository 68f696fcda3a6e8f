/**
 * Method ids, their display labels and the default experiment spec: a light module (no learner code) shared
 * by the runner, the CLI and the UI, so the page and the CLI start from the very same defaults.
 */
import type { ExperimentSpec, MethodId } from './experiment-types';

export const ALL_METHODS: readonly MethodId[] = ['euclidean', 'itml', 'ritml', 'w0-ritml', 'joint', 'svm', 'mlr', 'mlr-diag'];

export const METHOD_LABELS: Readonly<Record<MethodId, string>> = {
  euclidean: 'Euclidean',
  itml: 'ITML',
  ritml: 'RITML',
  'w0-ritml': 'W0-RITML',
  joint: 'JOINT',
  svm: 'SVM',
  mlr: 'MLR',
  'mlr-diag': 'MLR (diagonal)',
};

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
