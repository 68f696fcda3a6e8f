import { describe, expect, it } from 'vitest';
import { asFeatureMatrix, identity } from '../src/core/matrix';
import { createRng } from '../src/core/rng';
import { estimatePairConstraints, firstBounds, medianOf2, ritml } from '../src/core/ritml';
import { fulfilment } from '../src/core/score';
import { isPositiveDefinite } from '../src/core/linalg';
import type { ConstraintSet, Matrix } from '../src/core/types';

function problem(seed: number, nClips = 80, d = 5, m = 600) {
  const rng = createRng(seed);
  const X = asFeatureMatrix({ rows: nClips, cols: d, data: Float64Array.from({ length: nClips * d }, () => rng.normal()) });
  // true metric: strongly weights feature 0, ignores feature 3, couples 1 and 2
  const T = new Float64Array(d * d);
  for (let i = 0; i < d; i++) T[i * d + i] = 1;
  T[0] = 6;
  T[3 * d + 3] = 0.05;
  T[1 * d + 2] = T[2 * d + 1] = 0.8;
  const Tm: Matrix = { rows: d, cols: d, data: T };
  const dist = (i: number, j: number) => {
    let s = 0;
    for (let r = 0; r < d; r++)
      for (let c = 0; c < d; c++) s += (X.data[i * d + r] - X.data[j * d + r]) * T[r * d + c] * (X.data[i * d + c] - X.data[j * d + c]);
    return s;
  };
  const a: number[] = [],
    n: number[] = [],
    f: number[] = [];
  while (a.length < m) {
    const x = rng.int(nClips),
      y = rng.int(nClips),
      z = rng.int(nClips);
    if (x === y || y === z || x === z) continue;
    const [near, far] = dist(x, y) < dist(x, z) ? [y, z] : [z, y];
    a.push(x);
    n.push(near);
    f.push(far);
  }
  const all: ConstraintSet = {
    count: m,
    a: Int32Array.from(a),
    n: Int32Array.from(n),
    f: Int32Array.from(f),
    weight: new Float64Array(m).fill(1),
    triplet: Int32Array.from({ length: m }, (_, k) => k),
  };
  const half = (lo: number, hi: number): ConstraintSet => ({
    count: hi - lo,
    a: all.a.slice(lo, hi),
    n: all.n.slice(lo, hi),
    f: all.f.slice(lo, hi),
    weight: all.weight.slice(lo, hi),
    triplet: all.triplet.slice(lo, hi),
  });
  return { X, train: half(0, m / 2), test: half(m / 2, m), T: Tm };
}

describe('RITML', () => {
  it('learns a metric that fulfils more held-out constraints than Euclidean', () => {
    const { X, train, test } = problem(1);
    const I = identity(X.cols);
    const res = ritml(X, train, null, { gamma: 1 });
    const euclTest = fulfilment(X, I, test);
    const learnedTest = fulfilment(X, res.W, test);
    expect(fulfilment(X, res.W, train)).toBeGreaterThan(fulfilment(X, I, train) + 0.05);
    expect(learnedTest).toBeGreaterThan(euclTest + 0.05);
    expect(isPositiveDefinite(res.W)).toBe(true);
    // the strongly weighted feature dominates the learned diagonal
    const diag = Array.from({ length: X.cols }, (_, i) => res.W.data[i * X.cols + i]);
    expect(diag[0]).toBe(Math.max(...diag));
    expect(res.history[0]).toBeCloseTo(fulfilment(X, I, train), 12);
  });
  it('never returns a metric with worse training fulfilment than the prior (selectBest)', () => {
    const { X, train } = problem(2, 40, 4, 200);
    const res = ritml(X, train, null, { gamma: 0.01, outer: 3 });
    expect(fulfilment(X, res.W, train)).toBeGreaterThanOrEqual(res.history[0]);
    expect(res.info?.trainFulfilment).toBeCloseTo(fulfilment(X, res.W, train), 12);
  });
  it('priorCompetes false returns the best LEARNED iterate even when the prior fulfils more (templates that carry something)', () => {
    // constraints kept only where the Euclidean prior fulfils them: I scores 100 %, no iterate can beat it
    const { X, train } = problem(4, 60, 4, 300);
    const I = identity(X.cols);
    const keep: number[] = [];
    for (let r = 0; r < train.count; r++)
      if (fulfilment(X, I, { ...train, count: 1, a: train.a.subarray(r, r + 1), n: train.n.subarray(r, r + 1), f: train.f.subarray(r, r + 1) }) === 1)
        keep.push(r);
    const sub: ConstraintSet = {
      ...train,
      count: keep.length,
      a: Int32Array.from(keep, (r) => train.a[r]),
      n: Int32Array.from(keep, (r) => train.n[r]),
      f: Int32Array.from(keep, (r) => train.f[r]),
      weight: Float64Array.from(keep, (r) => train.weight[r]),
      triplet: Int32Array.from(keep, (r) => train.triplet[r]),
    };
    expect(fulfilment(X, I, sub)).toBe(1);
    const withPrior = ritml(X, sub, null, { gamma: 1, outer: 4 });
    const learned = ritml(X, sub, null, { gamma: 1, outer: 4, priorCompetes: false });
    expect(withPrior.info?.bestIteration).toBe(0);
    expect(Array.from(withPrior.W.data)).toEqual(Array.from(I.data));
    expect(learned.info?.bestIteration).toBeGreaterThanOrEqual(1);
    expect(Array.from(learned.W.data)).not.toEqual(Array.from(I.data));
    // the returned W is the best of the learned iterates, and the history still starts with the prior's score
    expect(learned.history[0]).toBe(1);
    expect(learned.info?.trainFulfilment).toBe(Math.max(...learned.history.slice(1)));
    expect(learned.info?.trainFulfilment).toBeCloseTo(fulfilment(X, learned.W, sub), 12);
  });
  it("initialBounds 'auto': percentile bounds from I (or no prior), the current W's from any other prior", () => {
    const { X, train } = problem(5, 50, 4, 200);
    const I = identity(X.cols);
    const W0 = identity(X.cols);
    (W0.data as Float64Array)[0] = 3;
    expect(firstBounds({ initialBounds: 'auto' }, null)).toBe('percentile');
    expect(firstBounds({ initialBounds: 'auto' }, I)).toBe('percentile');
    expect(firstBounds({ initialBounds: 'auto' }, W0)).toBe('current');
    expect(firstBounds({ initialBounds: 'current' }, null)).toBe('current');
    const same = (a: ReturnType<typeof ritml>, b: ReturnType<typeof ritml>) => expect(Array.from(a.W.data)).toEqual(Array.from(b.W.data));
    same(ritml(X, train, null, { initialBounds: 'auto', outer: 2 }), ritml(X, train, null, { initialBounds: 'percentile', outer: 2 }));
    same(ritml(X, train, W0, { initialBounds: 'auto', outer: 2 }), ritml(X, train, W0, { initialBounds: 'current', outer: 2 }));
  });
  it('is deterministic', () => {
    const { X, train } = problem(3, 40, 4, 200);
    const a = ritml(X, train, null, { gamma: 1 });
    const b = ritml(X, train, null, { gamma: 1 });
    expect(Array.from(a.W.data)).toEqual(Array.from(b.W.data));
  });
  it('rejects bad parameters and empty training sets', () => {
    const { X, train } = problem(4, 20, 3, 20);
    expect(() => ritml(X, train, null, { gamma: 0 })).toThrow(/gamma must be > 0/);
    expect(() => ritml(X, { ...train, count: 0 }, null, {})).toThrow(/no training constraints/);
  });
  it('estimates bounds with stretch and bias exactly as METHOD.md §4', () => {
    const c: ConstraintSet = {
      count: 2,
      a: Int32Array.of(0, 0),
      n: Int32Array.of(1, 2),
      f: Int32Array.of(2, 1),
      weight: Float64Array.of(1, 3),
      triplet: Int32Array.of(0, 0),
    };
    const dn = Float64Array.of(1, 4); // first satisfied, second violated
    const df = Float64Array.of(4, 1);
    const tau = 0.1 * medianOf2(dn, df); // median of [1,4,4,1] = 2.5
    expect(tau).toBeCloseTo(0.25, 15);
    const est = estimatePairConstraints(c, dn, df, { stretch: 2, bias: 0.1, epsilon: 1e-3, weighting: 'replicate' });
    expect(est.violated).toBe(1);
    // satisfied: u = dn, l = df; violated: m = 2.5, h = 1.5 → u = max(ε·2.5, 2.5 − 3 − 0.25), l = 2.5 + 3 + 0.25, replicated 3×
    expect(Array.from(est.pairs.bound)).toEqual([1, 4, 0.0025, 5.75, 0.0025, 5.75, 0.0025, 5.75]);
    expect(Array.from(est.pairs.delta)).toEqual([1, -1, 1, -1, 1, -1, 1, -1]);
    expect(Array.from(est.pairs.j)).toEqual([1, 2, 2, 1, 2, 1, 2, 1]);
    const slack = estimatePairConstraints(c, dn, df, { stretch: 1, bias: 0, epsilon: 1e-9, weighting: 'slack' });
    expect(Array.from(slack.gammaScale!)).toEqual([0.5, 0.5, 1.5, 1.5]);
  });
});
