/** The poster-like set's note shows exactly the numbers of the CLI run saved next to the data (public/data/poster/experiment.json). */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ExperimentResult } from '../core/experiment-types';
import { splitGroup, toConstraints, TripletRegistry } from '../core/constraints';
import { joinUsers, parseFeatures, parseJudgments, parseUsers } from '../core/parse';
import { preprocess } from '../core/preprocess';
import { dataFingerprint } from '../core/provenance';
import { fulfilment } from '../core/score';
import { generateSynthetic, POSTER_PRESET } from '../core/synthetic';
import { POSTER_GROUPS, POSTER_SET_RESULTS, POSTER_SET_TRUTH } from './poster-results';

const run = JSON.parse(readFileSync(resolve('public/data/poster/experiment.json'), 'utf8')) as ExperimentResult;
const r2 = (v: number) => Math.round(v * 1e4) / 100;

describe('poster-results', () => {
  it('equal the CLI JSON (mean and sd over folds, %, 2 decimals) for every method and group', () => {
    for (const row of POSTER_SET_RESULTS) {
      for (const g of POSTER_GROUPS) {
        const cli = run.rows.find((r) => r.method === row.method && r.group === g);
        expect(cli, `${row.method} ${g}`).toBeDefined();
        expect(row.ours[g]).toEqual({ mean: r2(cli!.mean), sd: r2(cli!.sd) });
      }
    }
  });

  it('come from a run of the lab default spec on the bundled poster files', () => {
    const m = run.meta;
    // the same files, read as the CLI reads them (features; votes with users.csv joined)
    const text = (f: string) => readFileSync(resolve('public/data/poster', f), 'utf8');
    const features = parseFeatures(text('features.csv'), 'features.csv');
    const votes = parseJudgments(text('votes.csv'), 'votes.csv', { knownIds: features.ids });
    const joined = joinUsers(votes, parseUsers(text('users.csv'), 'users.csv'), 'users.csv');
    expect(m.dataFingerprint).toBe(dataFingerprint(features, joined));
    expect(m.spec).toMatchObject({ folds: 10, split: 'triplet', seed: 1, standardise: true, gammaGrid: [0.1, 1, 10], cGrid: [0.1, 1, 10], innerFolds: 3 });
    expect(new Set(run.rows.map((r) => r.method))).toEqual(new Set(POSTER_SET_RESULTS.map((r) => r.method)));
  });

  it('state the true metrics’ fulfilment of each group’s constraints (the ceiling)', () => {
    const ds = generateSynthetic(POSTER_PRESET);
    const X = preprocess(ds.features, { standardise: true }).features.X;
    for (const g of POSTER_GROUPS) {
      const { constraints } = toConstraints(splitGroup(ds.judgments, 'age_group', g).group, ds.features.ids, new TripletRegistry());
      expect(POSTER_SET_TRUTH[g]).toBe(r2(fulfilment(X, ds.trueMetrics[g], constraints)));
    }
  });
});
