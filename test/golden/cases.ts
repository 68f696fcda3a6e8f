/**
 * The golden experiments (issue 10's safety net): `runExperiment` on the float64 CPU reference, pinned as JSON
 * in test/golden/*.json. `npm run golden:update` (scripts/golden-update.ts) rewrites them — never a test.
 *
 * What is compared, and how: every number of the result exactly (JSON keeps a double's 17 significant digits,
 * so a round trip is lossless): fold scores, means, sds, training fulfilment, chosen γ / C, p-values, both
 * metrics of the heatmaps, counts, notes, feature names and the data fingerprint. Nothing is rounded: the
 * float64 engines (JavaScript reference, WebAssembly sweep, the CLI's worker threads) do the same operations
 * in the same order, so no legitimate summation-order difference exists between them. Left out: wall times
 * (`fitMs`, `elapsedMs`, `startedAt`) and the backend's description.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LabData } from '../../src/core/experiment';
import { DEFAULT_SPEC, type ExperimentResult, type ExperimentSpec } from '../../src/core/experiment-types';
import { joinUsers, parseFeatures, parseJudgments, parseUsers } from '../../src/core/parse';

const DATA = join(import.meta.dirname, '../../public/data');
const read = (rel: string) => readFileSync(join(DATA, rel), 'utf8');

function load(features: string, judgments: string, users?: string): LabData {
  const f = parseFeatures(read(features), features);
  const j = parseJudgments(read(judgments), judgments, { knownIds: f.ids });
  return { features: f, judgments: users ? joinUsers(j, parseUsers(read(users), users), users) : j };
}

export interface GoldenCase {
  readonly name: string;
  readonly what: string;
  readonly data: () => LabData;
  readonly spec: ExperimentSpec;
}

export const GOLDEN_CASES: readonly GoldenCase[] = [
  {
    name: 'synthetic-default',
    what: 'the default notebook: synthetic CASimIR-like votes by age group, Euclidean / SVM / MLR / RITML / W0-RITML, 10 folds, γ = 1, C = 1',
    data: () => load('synthetic/features.csv', 'synthetic/votes.csv', 'synthetic/users.csv'),
    spec: { ...DEFAULT_SPEC, methods: ['euclidean', 'svm', 'mlr', 'ritml', 'w0-ritml'], groupBy: 'age_group', folds: 10, gammaGrid: [1], cGrid: [1] },
  },
  {
    name: 'timbre-two-studies',
    what: 'two timbre studies (Grey 1977, McAdams 1995), spectrum features, PCA 16, every method but full MLR, 5 folds, γ and C by inner CV',
    data: () => load('timbre/features_spectrum.csv', 'timbre/constraints.csv'),
    spec: {
      ...DEFAULT_SPEC,
      methods: ['euclidean', 'itml', 'ritml', 'w0-ritml', 'joint', 'svm', 'mlr-diag'],
      groupBy: 'group',
      groups: ['Grey1977', 'McAdams1995'],
      pca: 16,
      folds: 5,
      gammaGrid: [0.1, 1, 10],
      cGrid: [0.1, 1, 10],
    },
  },
];

export const goldenPath = (name: string) => join(import.meta.dirname, `${name}.json`);

/** The result without what legitimately varies between runs (wall times, the backend's wording). */
export function canonical(r: ExperimentResult): unknown {
  const { startedAt: _s, elapsedMs: _e, backend, ...meta } = r.meta;
  return {
    rows: r.rows.map(({ fitMs: _f, ...row }) => row),
    comparisons: r.comparisons,
    metrics: r.metrics,
    meta: { ...meta, backendPrecision: backend.precision },
  };
}
