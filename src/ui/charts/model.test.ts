import { describe, expect, it } from 'vitest';
import type { Comparison, ExperimentResult, MethodId, ResultRow } from '../../core/experiment-types';
import {
  AVERAGE_GROUP,
  buildFoldTraces,
  buildResultsBars,
  methodsAndGroups,
  pairMark,
  percentTicks,
  resultsFileName,
  significanceList,
  stackIntervals,
} from './model';
import { directedMark, significanceMark } from '../export';

function row(method: MethodId, group: string, folds: number[], train = 0.8): ResultRow {
  const mean = folds.reduce((s, v) => s + v, 0) / folds.length;
  const sd = Math.sqrt(folds.reduce((s, v) => s + (v - mean) ** 2, 0) / Math.max(1, folds.length - 1));
  return { method, group, mean, sd, folds, train, fitMs: 1 };
}

function cmp(group: string, a: MethodId, b: MethodId, p: number, pWilcoxon = 0.5, meanDiff = 0.02): Comparison {
  return { group, a, b, p, pWilcoxon, meanDiff };
}

function result(rows: ResultRow[], comparisons: Comparison[], methods: MethodId[]): ExperimentResult {
  return {
    rows,
    comparisons,
    metrics: [],
    meta: {
      app: 'test',
      version: '0',
      dataFingerprint: 'x',
      featuresSource: 'f',
      judgmentsSource: 'j',
      spec: {
        methods,
        folds: 3,
        split: 'triplet',
        seed: 1,
        standardise: true,
        gammaGrid: [1],
        cGrid: [1],
        innerFolds: 3,
        removeGroupTripletsFromW0: false,
      },
      backend: { id: 'cpu-f64', precision: 'float64', description: 'test' },
      startedAt: '',
      elapsedMs: 0,
      constraintCounts: {},
      featureNames: [],
      notes: [],
    },
  };
}

const rows = [
  row('ritml', 'young', [0.64, 0.63, 0.64]),
  row('euclidean', 'young', [0.59, 0.6, 0.59]),
  row('svm', 'young', [0.61, 0.62, 0.61]),
  row('euclidean', 'old<b>', [0.59, 0.58, 0.6]),
  row('ritml', 'old<b>', [0.61, 0.6, 0.62]),
  row('svm', 'old<b>', [0.6, 0.63, 0.62]),
];
const res = result(
  rows,
  [
    cmp('young', 'ritml', 'euclidean', 0.004, 0.2),
    cmp('young', 'ritml', 'svm', 0.03, 0.2),
    cmp('young', 'svm', 'euclidean', 0.2, 0.01),
    cmp('old<b>', 'ritml', 'euclidean', 0.049, 0.3),
    cmp('old<b>', 'svm', 'ritml', 0.05, 0.3),
  ],
  ['euclidean', 'svm', 'ritml'],
);

describe('directedMark', () => {
  it('puts ▲ before the stars of a method better than the baseline and ▼ before those of a worse one', () => {
    expect(directedMark(0.004, 0.02)).toBe('▲**');
    expect(directedMark(0.03, -0.02)).toBe('▼*');
    expect(directedMark(0.2, -0.02)).toBe('');
    expect(directedMark(NaN, 0.02)).toBe('');
  });
});

describe('significanceMark', () => {
  it('maps p to ** / * / nothing with strict thresholds', () => {
    expect(significanceMark(0.0099)).toBe('**');
    expect(significanceMark(0.01)).toBe('*');
    expect(significanceMark(0.0499)).toBe('*');
    expect(significanceMark(0.05)).toBe('');
    expect(significanceMark(1)).toBe('');
    expect(significanceMark(NaN)).toBe('');
  });
});

describe('buildResultsBars', () => {
  const m = buildResultsBars(res);
  it('orders methods by the spec and groups by rows, adds an Average cluster for ≥ 2 groups', () => {
    expect(methodsAndGroups(res)).toEqual({ methods: ['euclidean', 'svm', 'ritml'], groups: ['young', 'old<b>'] });
    expect(m.clusters).toEqual(['young', 'old<b>', AVERAGE_GROUP]);
    expect(m.tickText[1]).toBe('old&lt;b&gt;');
    expect(m.traces.filter((t) => t.showlegend).map((t) => t.name)).toEqual(['Euclidean', 'SVM', 'RITML']);
  });
  it('gives percent means with sd error bars, and the average as the mean of group means without error bar', () => {
    const ritml = m.traces[2] as { y: number[]; error_y: { array: number[] }; x: number[]; showlegend: boolean };
    expect(ritml.y).toHaveLength(2); // the two groups
    expect(ritml.y[0]).toBeCloseTo(((0.64 + 0.63 + 0.64) / 3) * 100, 10);
    expect(ritml.error_y.array[0]).toBeCloseTo(rows[0].sd * 100, 10);
    expect(ritml.showlegend).toBe(true);
    // the average cluster: a separate trace per method, same legend group, no error bar, not in the legend
    expect(m.traces).toHaveLength(6);
    const avg = m.traces[5] as { y: number[]; x: number[]; error_y?: unknown; showlegend: boolean; legendgroup: string };
    expect(avg.legendgroup).toBe('ritml');
    expect(avg.showlegend).toBe(false);
    expect(avg.error_y).toBeUndefined();
    expect(avg.x[0]).toBeCloseTo(2 + 0.8 / 3, 15);
    expect(avg.y[0]).toBeCloseTo(((rows[0].mean + rows[4].mean) / 2) * 100, 10);
    expect(m.cells.find((c) => c.group === AVERAGE_GROUP && c.method === 'ritml')?.sd).toBeNull();
  });
  it('places bars symmetrically around the cluster centre with width 0.8 / M', () => {
    expect(m.barWidth).toBeCloseTo(0.8 / 3, 15);
    const young = m.cells.filter((c) => c.g === 0).map((c) => c.x);
    expect(young[0]).toBeCloseTo(-0.8 / 3, 15);
    expect(young[1]).toBeCloseTo(0, 15);
    expect(young[2]).toBeCloseTo(0.8 / 3, 15);
  });
  it('draws one bracket per significant comparison (t-test), between the right bars, none for p ≥ 0.05', () => {
    expect(m.brackets.map((b) => [b.group, b.a, b.b, b.mark])).toEqual([
      ['young', 'ritml', 'euclidean', '▲**'],
      ['young', 'ritml', 'svm', '*'],
      ['old<b>', 'ritml', 'euclidean', '▲*'],
    ]);
    const [wide, narrow] = m.brackets;
    // ritml–svm (adjacent) is stacked below ritml–euclidean (spans svm too)
    expect(narrow.level).toBe(0);
    expect(wide.level).toBe(1);
    expect(wide.y).toBeGreaterThan(narrow.y);
    expect(wide.x0).toBeCloseTo(-0.8 / 3, 15);
    expect(wide.x1).toBeCloseTo(0.8 / 3, 15);
    // above the highest error bar of the cluster
    const top = Math.max(...m.cells.filter((c) => c.g === 0).map((c) => c.mean + (c.sd ?? 0)));
    expect(narrow.yLeg).toBeGreaterThan(top);
    expect(m.yRange[1]).toBeGreaterThan(wide.y);
    expect(m.shapes.filter((s) => s.type === 'path')).toHaveLength(3);
    expect(m.annotations.map((a) => a.text)).toEqual(['▲**', '*', '▲*']);
  });
  it('uses the Wilcoxon p when asked and names the test in the caption', () => {
    const w = buildResultsBars(res, { test: 'wilcoxon' });
    expect(w.brackets.map((b) => [b.a, b.b, b.mark])).toEqual([['svm', 'euclidean', '▲*']]);
    expect(w.caption).toContain('Wilcoxon signed-rank');
    expect(m.caption).toContain('paired t-test');
    expect(m.caption).toContain('* p < 0.05, ** p < 0.01');
    expect(m.caption).toContain('3 folds by triplet');
  });
  it('y axis starts at a round value below the lowest bar, not below 0, and says so', () => {
    expect(m.yRange[0]).toBe(50);
    expect(m.caption).toContain('starts at 50 %');
    const low = buildResultsBars(result([row('euclidean', 'all', [0.02, 0.03])], [], ['euclidean']));
    expect(low.yRange[0]).toBe(0);
    expect(low.clusters).toEqual(['all']); // one group: no average
  });
  it('draws at most maxBracketLevels stacked levels and counts (and captions) the rest', () => {
    const one = buildResultsBars(res, { maxBracketLevels: 1 });
    // young: ritml–svm (level 0) drawn, ritml–euclidean (level 1) hidden; old: ritml–euclidean (level 0) drawn
    expect(one.brackets.map((b) => [b.group, b.a, b.b])).toEqual([
      ['young', 'ritml', 'svm'],
      ['old<b>', 'ritml', 'euclidean'],
    ]);
    expect(one.hiddenBrackets).toBe(1);
    expect(one.caption).toContain('1 further significant difference is not drawn');
    expect(m.hiddenBrackets).toBe(0);
    expect(m.caption).not.toContain('not drawn');
  });
  it('skips comparisons whose methods have no bar in that group', () => {
    const r2 = result(rows, [cmp('young', 'mlr', 'ritml', 0.001)], ['euclidean', 'svm', 'ritml']);
    expect(buildResultsBars(r2).brackets).toEqual([]);
  });
});

describe('percent axis and export name', () => {
  it('ticks never go above 100 % even when the range leaves room for brackets above', () => {
    expect(percentTicks([40, 112])).toEqual([40, 50, 60, 70, 80, 90, 100]);
    expect(percentTicks([55, 68.3])).toEqual([56, 58, 60, 62, 64, 66, 68]);
    expect(Math.max(...buildResultsBars(res).yTicks)).toBeLessThanOrEqual(100);
  });
  it('names the chart file after the grouping, folds, seed and test', () => {
    expect(resultsFileName(res, 't')).toBe('results-all-3fold-seed1-ttest');
    const g = { ...res, meta: { ...res.meta, spec: { ...res.meta.spec, groupBy: 'age_group', seed: 7 } } };
    expect(resultsFileName(g, 'wilcoxon')).toBe('results-age_group-3fold-seed7-wilcoxon');
  });
});

describe('stackIntervals', () => {
  it('puts non-overlapping brackets on one level and stacks overlapping ones, shortest lowest', () => {
    expect(
      stackIntervals([
        [0, 1],
        [2, 3],
      ]),
    ).toEqual([0, 0]);
    expect(
      stackIntervals([
        [0, 2],
        [0, 1],
        [1, 2],
      ]),
    ).toEqual([2, 0, 1]);
    expect(stackIntervals([])).toEqual([]);
  });
});

describe('significanceList', () => {
  it('lists significant pairs with group, difference in points and p', () => {
    const l = significanceList(res, 't');
    expect(l).toHaveLength(3);
    expect(l[0]).toBe('young: RITML vs Euclidean ▲**, RITML higher (Δ +2.00 points, p = 0.0040)');
  });
  it('marks a method significantly worse than Euclidean with ▼, in the brackets, the list and the caption', () => {
    const worse = result(
      rows,
      [cmp('young', 'euclidean', 'svm', 0.02, 0.5, 0.03), cmp('young', 'ritml', 'euclidean', 0.001, 0.5, -0.04)],
      ['euclidean', 'svm', 'ritml'],
    );
    const b = buildResultsBars(worse);
    expect(b.brackets.map((x) => [x.a, x.b, x.mark])).toEqual([
      ['euclidean', 'svm', '▼*'],
      ['ritml', 'euclidean', '▼**'],
    ]);
    expect(significanceList(worse, 't')[0]).toBe('young: Euclidean vs SVM ▼*, Euclidean higher (Δ +3.00 points, p = 0.0200)');
    expect(b.caption).toContain('▼ one significantly worse than Euclidean');
    // a pair without the baseline keeps the plain stars
    expect(pairMark(cmp('young', 'ritml', 'svm', 0.001, 0.5, -0.01), 0.001, ['euclidean', 'svm', 'ritml'])).toBe('**');
  });
});

describe('buildFoldTraces', () => {
  it('one line per method for the group with per-fold percent scores', () => {
    const f = buildFoldTraces(res, 'young');
    expect(f.methods).toEqual(['euclidean', 'svm', 'ritml']);
    expect(f.folds).toBe(3);
    const t = f.traces[2] as { x: number[]; y: number[]; name: string };
    expect(t.name).toBe('RITML');
    expect(t.x).toEqual([1, 2, 3]);
    expect(t.y[1]).toBeCloseTo(63, 10);
    expect(f.yRange[0]).toBeLessThan(59);
    expect(f.yRange[1]).toBeGreaterThan(64);
  });
  it('a single method adds its mean and training lines', () => {
    const f = buildFoldTraces(res, 'young', 'ritml');
    expect(f.traces).toHaveLength(3);
    expect((f.traces[1] as { y: number[] }).y[0]).toBeCloseTo(rows[0].mean * 100, 10);
    expect((f.traces[2] as { y: number[] }).y[0]).toBeCloseTo(80, 10);
    expect(f.yRange[1]).toBeGreaterThan(80);
  });
  it('throws a clear error for an unknown group or a method without rows', () => {
    expect(() => buildFoldTraces(res, 'nobody')).toThrow(/no results for group "nobody" \(groups: young, old<b>\)/);
    expect(() => buildFoldTraces(res, 'young', 'mlr')).toThrow(/method "mlr" in group "young"/);
  });
});
