import { describe, expect, it } from 'vitest';
import { cpuBackend } from './compute-cpu';
import { DEFAULT_SPEC, runExperiment, type Split } from './experiment';
import type { ExperimentSpec } from './experiment-types';
import { runLearningCurve, subsampleSplits, validateCurve } from './learning-curve';
import { studentTQuantileTwoSided } from './stats';
import { generateSynthetic } from './synthetic';
import type { ConstraintSet } from './types';

/** a constraint set whose rows are told apart by `a` (0..n−1) */
function rows(n: number, offset = 0): ConstraintSet {
  const ix = Int32Array.from({ length: n }, (_, i) => i + offset);
  return { count: n, a: ix, n: ix.slice(), f: ix.slice(), weight: new Float64Array(n).fill(1), triplet: ix.slice() };
}
const ids = (c: ConstraintSet) => Array.from(c.a);
const folds: Split[] = [
  { train: rows(200), test: rows(20, 1000) },
  { train: rows(180, 300), test: rows(40, 2000) },
];
const slots = [0.05, 0.25, 0.5, 1].flatMap((fraction) =>
  Array.from({ length: fraction === 1 ? 1 : 3 }, (_, repeat) => [0, 1].map((fold) => ({ fraction, repeat, fold }))).flat(),
);

describe('learning-curve subsampling', () => {
  const splits = subsampleSplits(7, 'g', folds, slots);
  const at = (fraction: number, repeat: number, fold: number) =>
    splits[slots.findIndex((s) => s.fraction === fraction && s.repeat === repeat && s.fold === fold)];

  it('keeps round(p·n) training constraints, in their original order, and leaves the test folds untouched', () => {
    expect(at(0.05, 0, 0).train.count).toBe(10);
    expect(at(0.25, 2, 1).train.count).toBe(45);
    for (let k = 0; k < slots.length; k++) {
      const s = splits[k];
      expect(s.test).toBe(folds[slots[k].fold].test);
      const a = ids(s.train);
      expect(a).toEqual([...a].sort((x, y) => x - y));
      expect(new Set(a).size).toBe(a.length);
      for (const x of a) expect(ids(folds[slots[k].fold].train)).toContain(x);
    }
  });

  it('is nested within a repeat (a smaller subsample lies inside every larger one) and differs between repeats', () => {
    for (const fold of [0, 1]) {
      for (let r = 0; r < 3; r++) {
        const s5 = new Set(ids(at(0.05, r, fold).train));
        const s25 = new Set(ids(at(0.25, r, fold).train));
        const s50 = new Set(ids(at(0.5, r, fold).train));
        for (const x of s5) expect(s25.has(x)).toBe(true);
        for (const x of s25) expect(s50.has(x)).toBe(true);
      }
      expect(ids(at(0.25, 0, fold).train)).not.toEqual(ids(at(0.25, 1, fold).train));
    }
  });

  it('is seeded: the same seed and group give the same subsamples, another seed or group others', () => {
    expect(subsampleSplits(7, 'g', folds, slots).map((s) => ids(s.train))).toEqual(splits.map((s) => ids(s.train)));
    expect(ids(subsampleSplits(8, 'g', folds, slots)[0].train)).not.toEqual(ids(splits[0].train));
    expect(ids(subsampleSplits(7, 'h', folds, slots)[0].train)).not.toEqual(ids(splits[0].train));
  });

  it('fraction 1 is the fold itself (same training set, inner CV keyed by the fold index as in runExperiment); a tiny fraction keeps one constraint', () => {
    expect(at(1, 0, 1).train).toBe(folds[1].train);
    expect(at(1, 0, 1).key).toBe('1');
    expect(at(0.05, 0, 0).key).toBe('0/curve-0/0.05');
    expect(subsampleSplits(1, 'g', folds, [{ fraction: 0.001, repeat: 0, fold: 0 }])[0].train.count).toBe(1);
  });

  it('refuses bad curve specs', () => {
    expect(validateCurve({ fractions: [0.1, 1], repeats: 2 })).toEqual([]);
    expect(validateCurve({ fractions: [0], repeats: 1 }).join()).toMatch(/\(0, 1\]/);
    expect(validateCurve({ fractions: [1.5], repeats: 1 }).join()).toMatch(/\(0, 1\]/);
    expect(validateCurve({ fractions: [0.5], repeats: 0 }).join()).toMatch(/repeats/);
    expect(validateCurve({ fractions: [], repeats: 1 }).join()).toMatch(/at least one/);
  });

  it('t quantiles match tables (df 9: 2.262, df 1: 12.706, df 1000: ≈ 1.962)', () => {
    expect(studentTQuantileTwoSided(0.05, 9)).toBeCloseTo(2.2622, 3);
    expect(studentTQuantileTwoSided(0.05, 1)).toBeCloseTo(12.7062, 3);
    expect(studentTQuantileTwoSided(0.05, 1000)).toBeCloseTo(1.9623, 3);
  });
});

describe('learning curve through the experiment driver', () => {
  it('at fraction 1 reproduces runExperiment exactly (same seed, γ by inner CV), and reports the run as one progress bar', async () => {
    const ds = generateSynthetic({ seed: 3, votes: 900, clips: 60, triplets: 300, users: 24 });
    const data = { features: ds.features, judgments: ds.judgments };
    const spec: ExperimentSpec = { ...DEFAULT_SPEC, methods: ['euclidean', 'ritml', 'w0-ritml'], groupBy: 'age_group', folds: 3, gammaGrid: [0.1, 1] };
    const full = await runExperiment(data, spec, cpuBackend);
    let last = { done: 0, total: 0 };
    const curve = await runLearningCurve(data, spec, { fractions: [0.5, 1], repeats: 2 }, cpuBackend, { onRunProgress: (p) => (last = p) });
    expect(last.total).toBeGreaterThan(0);
    expect(last.done).toBeCloseTo(last.total, 6);
    for (const r of full.rows.filter((x) => x.group !== 'average')) {
      const c = curve.rows.find((x) => x.method === r.method && x.group === r.group && x.fraction === 1)!;
      expect(c.folds).toEqual(r.folds);
      expect(c.mean).toBe(r.mean);
      expect(c.repeats).toBe(1);
    }
    const half = curve.rows.filter((x) => x.fraction === 0.5);
    expect(half.every((x) => x.folds.length === 6 && x.repeats === 2)).toBe(true);
    const g = full.meta.constraintCounts;
    for (const r of half) expect(Math.abs(r.trainConstraints - (g[r.group] * 2) / 3 / 2)).toBeLessThanOrEqual(1);
    const d = curve.differences.find((x) => x.fraction === 0.5)!;
    expect([d.a, d.b, d.n]).toEqual(['w0-ritml', 'ritml', 6]);
    expect(d.lo!).toBeLessThanOrEqual(d.meanDiff);
    expect(d.hi!).toBeGreaterThanOrEqual(d.meanDiff);
  }, 120_000);
});
