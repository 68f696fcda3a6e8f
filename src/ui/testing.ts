/** Test support shared by the store tests: a complete, schema-valid result for a spec (what a fake runner returns). */
import type { ExperimentResult, ExperimentSpec } from '../core/experiment-types';

export function fakeResult(spec: ExperimentSpec): ExperimentResult {
  return {
    rows: spec.methods.map((method) => ({ method, group: 'all', mean: 0.6, sd: 0.01, folds: [0.6], train: 0.6, fitMs: 1 })),
    comparisons: [],
    metrics: [],
    meta: {
      app: 'similarity-lab',
      version: 'test',
      dataFingerprint: '0',
      featuresSource: 'features.csv',
      judgmentsSource: 'votes.csv',
      spec,
      backend: { id: 'cpu-f64', precision: 'float64', description: 'fake' },
      startedAt: '2026-01-01T00:00:00.000Z',
      elapsedMs: 1,
      constraintCounts: {},
      featureNames: [],
      notes: [],
    },
  };
}
