/**
 * A batch of RITML problems from the bundled timbre data (public/data/timbre): studies × folds × γ on
 * features_spectrum standardised + PCA 16, constraints.csv (relative, group = study). Pure: takes the
 * two CSV texts, so Node tests, the browser harness and the benchmark share it.
 */
import { parseFeatures, parseJudgments } from '../../src/core/parse';
import { preprocess } from '../../src/core/preprocess';
import { toConstraints, TripletRegistry } from '../../src/core/constraints';
import { assignFolds, foldIndices } from '../../src/core/folds';
import { subsetConstraints } from '../../src/core/score';
import { createRng } from '../../src/core/rng';
import type { RitmlProblem } from '../../src/core/compute';
import type { ConstraintSet, FeatureMatrix } from '../../src/core/types';
import { ritmlParams, type RitmlParams } from '../../src/core/ritml';

export interface TimbreBatchOptions {
  studies: readonly string[];
  folds: number;
  gammas: readonly number[];
  pca: number;
  seed: number;
  params: Partial<RitmlParams>;
}

export interface TimbreBatch {
  X: FeatureMatrix;
  problems: RitmlProblem[];
  /** held-out constraints of each problem (same order) */
  tests: ConstraintSet[];
  labels: string[];
}

export function buildTimbreBatch(featuresCsv: string, constraintsCsv: string, o: TimbreBatchOptions): TimbreBatch {
  const fs = parseFeatures(featuresCsv, 'features_spectrum.csv');
  const pre = preprocess(fs, { standardise: true, pca: o.pca });
  const X = pre.features.X;
  const js = parseJudgments(constraintsCsv, 'constraints.csv', { knownIds: fs.ids });
  const problems: RitmlProblem[] = [];
  const tests: ConstraintSet[] = [];
  const labels: string[] = [];
  for (const study of o.studies) {
    const mine = js.judgments.filter((j) => j.attrs.group === study);
    if (mine.length === 0) throw new Error(`timbre batch: no constraints of study "${study}"`);
    const { constraints } = toConstraints(mine, pre.features.ids, new TripletRegistry());
    const fa = assignFolds(constraints, o.folds, 'triplet', createRng(`${o.seed}/${study}`), study);
    for (let f = 0; f < o.folds; f++) {
      const { train, test } = foldIndices(fa, f);
      const tr = subsetConstraints(constraints, train);
      const te = subsetConstraints(constraints, test);
      for (const gamma of o.gammas) {
        problems.push({ X, train: tr, prior: null, params: ritmlParams({ ...o.params, gamma }) });
        tests.push(te);
        labels.push(`${study} fold ${f} γ=${gamma}`);
      }
    }
  }
  return { X, problems, tests, labels };
}

/** The default e2e / test batch: 5 studies × 10 folds × 2 γ = 100 problems, short RITML runs. */
export const DEFAULT_TIMBRE_BATCH: TimbreBatchOptions = {
  studies: ['Patil2012_A3', 'Patil2012_DX4', 'Patil2012_GD4', 'Siedenburg2016_e2set1', 'Siedenburg2016_e3'],
  folds: 10,
  gammas: [1, 0.1],
  pca: 16,
  seed: 7,
  params: { outer: 3, maxSweeps: 15 },
};
