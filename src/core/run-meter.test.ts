import { describe, expect, it } from 'vitest';
import { cpuBackend } from './compute-cpu';
import { DEFAULT_SPEC, estimateUnits, runExperiment, type LabData } from './experiment';
import type { ExperimentSpec, PartialResult, RunProgress } from './experiment-types';
import { generateSynthetic } from './synthetic';

function data(): LabData {
  const ds = generateSynthetic({ seed: 3, votes: 600, triplets: 300 });
  return { features: ds.features, judgments: ds.judgments };
}

const spec: ExperimentSpec = {
  ...DEFAULT_SPEC,
  methods: ['euclidean', 'svm', 'ritml', 'w0-ritml', 'joint'],
  groupBy: 'age_group',
  folds: 2,
  gammaGrid: [0.1, 1],
  cGrid: [0.1, 1],
  innerFolds: 2,
  params: { ritml: { outer: 1, maxSweeps: 3 }, svm: { maxIter: 20 } },
};

describe('progress and partial results of a run', () => {
  it('counts every fit (the bar ends at its total, never goes back) and reports rows as methods finish', async () => {
    const d = data();
    const progress: RunProgress[] = [];
    const partials: PartialResult[] = [];
    const r = await runExperiment(d, spec, cpuBackend, { onRunProgress: (p) => progress.push(p), onPartial: (p) => partials.push(p) });
    const last = progress.at(-1)!;
    expect(last.done).toBe(last.total);
    // the default template is chosen by inner CV: planned as RITML, the bar's total shrinks once I or an SVM is chosen
    expect(last.total).toBeLessThanOrEqual(estimateUnits(d, spec) + 1e-9);
    for (let i = 1; i < progress.length; i++) expect(progress[i].done).toBeGreaterThanOrEqual(progress[i - 1].done);
    for (let i = 1; i < progress.length; i++) expect(progress[i].total).toBeLessThanOrEqual(progress[i - 1].total + 1e-9);
    // Euclidean first, with everything else waiting; at the end nothing is pending and the rows are the result's
    expect(partials[0].rows.every((x) => x.method === 'euclidean')).toBe(true);
    expect(Object.keys(partials[0].pending).sort()).toEqual(['joint', 'ritml', 'svm', 'w0-ritml']);
    expect(partials.at(-1)!.pending).toEqual({});
    expect(partials.at(-1)!.rows).toEqual(r.rows.map((x) => ({ ...x, fitMs: expect.any(Number) })));
    // methods finish one after another (more than two distinct row counts along the way)
    expect(new Set(partials.map((p) => p.rows.length)).size).toBeGreaterThan(2);
  });
  it('with a fixed template learner the run costs exactly what was estimated before it started', async () => {
    const d = data();
    const fixed: ExperimentSpec = { ...spec, params: { ...spec.params, protocol: { w0Method: 'ritml' } } };
    let last: RunProgress | undefined;
    await runExperiment(d, fixed, cpuBackend, { onRunProgress: (p) => (last = p) });
    expect(last!.done).toBe(last!.total);
    expect(last!.total).toBe(estimateUnits(d, fixed));
  });
});
