import { describe, expect, it } from 'vitest';
import { cpuBackend } from '../src/core/compute-cpu';
import { DEFAULT_SPEC, ExperimentError, runExperiment, runHoldout, validateSpec, type LabData } from '../src/core/experiment';
import type { ExperimentSpec } from '../src/core/experiment-types';
import { generateSynthetic } from '../src/core/synthetic';
import { parseFeatures, parseJudgments } from '../src/core/parse';
import type { JudgmentSet } from '../src/core/types';

function data(seed: number, votes = 900): LabData {
  const ds = generateSynthetic({ seed, votes, triplets: 400 });
  return { features: ds.features, judgments: ds.judgments };
}

const quick: ExperimentSpec = {
  ...DEFAULT_SPEC,
  methods: ['euclidean', 'ritml', 'w0-ritml'],
  groupBy: 'age_group',
  folds: 3,
  gammaGrid: [1],
  params: { ritml: { outer: 2, maxSweeps: 5 } },
};

describe('runExperiment', () => {
  it('is deterministic for a seed, scores are fractions, never NaN, provenance complete', async () => {
    const d = data(1);
    const a = await runExperiment(d, quick, cpuBackend);
    const b = await runExperiment(d, quick, cpuBackend);
    expect(a.rows.map((r) => r.folds)).toEqual(b.rows.map((r) => r.folds));
    for (const r of a.rows) {
      expect(r.folds).toHaveLength(3);
      for (const f of r.folds) expect(f >= 0 && f <= 1).toBe(true);
      expect(Number.isFinite(r.mean) && Number.isFinite(r.sd) && Number.isFinite(r.train)).toBe(true);
    }
    expect(a.rows.map((r) => r.group)).toContain('average');
    expect(a.meta.dataFingerprint).toMatch(/^[0-9a-f]{16}$/);
    expect(a.meta.spec.seed).toBe(1);
    expect(a.meta.backend.id).toBe('cpu-f64');
    expect(a.metrics.map((m) => m.group).sort()).toEqual(['<=25', '>25']);
    expect(a.metrics[0].W0).toHaveLength(a.metrics[0].d ** 2);
    const c = await runExperiment(d, { ...quick, seed: 2 }, cpuBackend);
    expect(c.rows.map((r) => r.folds)).not.toEqual(a.rows.map((r) => r.folds));
  });
  it('rejects a group with no constraints and a requested group that does not exist', async () => {
    const d = data(2);
    // a judgments set whose only '>25' votes are removed: that group then has no constraints
    const js: JudgmentSet = { ...d.judgments, judgments: d.judgments.judgments.filter((j) => j.attrs.age_group !== '>25') };
    await expect(runExperiment({ ...d, judgments: js }, { ...quick, groups: ['>25'] }, cpuBackend)).rejects.toThrow(
      /group ">25" does not occur|has no constraints/,
    );
    await expect(runExperiment(d, { ...quick, groups: ['teen'] }, cpuBackend)).rejects.toThrow(/group "teen" does not occur in column "age_group"/);
  });
  it('a group-by column without any value is a clear error, not a crash', async () => {
    const d = data(2);
    const bare = d.judgments.judgments.map((j) => {
      const { age_group: _drop, ...attrs } = j.attrs;
      return { ...j, attrs };
    });
    const js: JudgmentSet = { ...d.judgments, judgments: bare };
    await expect(runExperiment({ ...d, judgments: js }, quick, cpuBackend)).rejects.toThrow(
      /column "age_group" of .* has no values: there are no groups to compare/,
    );
  });

  it('an attribute column named like an inherited property reads only own values', async () => {
    const d = data(2);
    const js: JudgmentSet = { ...d.judgments, attributeColumns: [...d.judgments.attributeColumns, 'constructor'] };
    await expect(runExperiment({ ...d, judgments: js }, { ...quick, groupBy: 'constructor' }, cpuBackend)).rejects.toThrow(
      /column "constructor" of .* has no values/,
    );
  });

  it('rejects too few constraints for the folds with a clear message', async () => {
    const d = data(3, 30);
    await expect(runExperiment(d, { ...quick, folds: 50 }, cpuBackend)).rejects.toThrow(ExperimentError);
    await expect(runExperiment(d, { ...quick, folds: 50 }, cpuBackend)).rejects.toThrow(/too few for 50 folds/);
  });
  it('validates the spec: methods, folds, grids, group-by', () => {
    const d = data(4, 100);
    expect(validateSpec(d, { ...quick, methods: [] })).toContain('choose at least one method');
    expect(validateSpec(d, { ...quick, folds: 1 }).join()).toMatch(/folds must be an integer ≥ 2/);
    expect(validateSpec(d, { ...quick, gammaGrid: [0] }).join()).toMatch(/γ grid must hold positive numbers/);
    expect(validateSpec(d, { ...quick, groupBy: undefined }).join()).toMatch(/need groups/);
    expect(validateSpec(d, { ...quick, groupBy: 'shoe_size' }).join()).toMatch(/group-by "shoe_size" is not an attribute/);
  });
  it('scores a held-out judgments file instead of CV (--test)', async () => {
    const train = data(5);
    const test = generateSynthetic({ seed: 6, votes: 600, triplets: 300 }).judgments;
    const r = await runHoldout(train, test, { ...quick, methods: ['euclidean', 'ritml'] }, cpuBackend);
    for (const row of r.rows) expect(row.folds).toHaveLength(1);
    expect(r.comparisons).toHaveLength(0); // no paired test with one split
    expect(r.meta.constraintCounts['>25 (test)']).toBeGreaterThan(0);
  });
  it('SVM with only zero z vectors (identical clips) fails with a clear error, not NaN', async () => {
    const f = parseFeatures('id,x,y\na,1,1\nb,1,1\nc,1,1\nd,1,1\n', 'f.csv');
    const rows = ['anchor,near,far'];
    for (const [a, n, fa] of [
      ['a', 'b', 'c'],
      ['b', 'c', 'd'],
      ['c', 'd', 'a'],
      ['d', 'a', 'b'],
      ['a', 'c', 'd'],
      ['b', 'd', 'a'],
    ])
      rows.push(`${a},${n},${fa}`);
    const j = parseJudgments(rows.join('\n'), 'j.csv', { knownIds: f.ids });
    await expect(
      runExperiment({ features: f, judgments: j }, { ...DEFAULT_SPEC, methods: ['svm'], folds: 2, cGrid: [1], standardise: false }, cpuBackend),
    ).rejects.toThrow(/zero/i);
  });
});
