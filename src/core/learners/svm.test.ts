import { METHODS } from '../methods';
import { describe, expect, it } from 'vitest';
import { asFeatureMatrix } from '../matrix';
import { createRng, type Rng } from '../rng';
import { fulfilment } from '../score';
import type { ConstraintSet, FeatureMatrix } from '../types';
import { solveSvm, svmDualityGap, svmKktViolation, svmLearner, svmObjective, svmPrimalFromDual, svmProblem, SVM_DEFAULTS } from './svm';

function features(rng: Rng, n: number, d: number): FeatureMatrix {
  const data = new Float64Array(n * d);
  for (let i = 0; i < data.length; i++) data[i] = rng.normal();
  return asFeatureMatrix({ rows: n, cols: d, data });
}

function constraintSet(rows: readonly (readonly [number, number, number, number?])[]): ConstraintSet {
  const m = rows.length;
  const c = {
    count: m,
    a: new Int32Array(m),
    n: new Int32Array(m),
    f: new Int32Array(m),
    weight: new Float64Array(m),
    triplet: new Int32Array(m),
  };
  rows.forEach(([a, n, f, w], r) => {
    c.a[r] = a;
    c.n[r] = n;
    c.f[r] = f;
    c.weight[r] = w ?? 1;
    c.triplet[r] = r;
  });
  return c;
}

/** Random triplets labelled by a true diagonal metric; `noise` flips that share; `margin` drops near-ties. */
function synthetic(seed: number, n: number, d: number, wTrue: readonly number[], m: number, noise = 0, margin = 0) {
  const rng = createRng(seed);
  const X = features(rng, n, d);
  const dist = (i: number, j: number) => {
    let s = 0;
    for (let k = 0; k < d; k++) {
      const e = X.data[i * d + k] - X.data[j * d + k];
      s += wTrue[k] * e * e;
    }
    return s;
  };
  const rows: [number, number, number, number][] = [];
  while (rows.length < m) {
    const a = rng.int(n);
    const b = rng.int(n);
    const c = rng.int(n);
    if (a === b || b === c || a === c) continue;
    const db = dist(a, b);
    const dc = dist(a, c);
    if (Math.abs(db - dc) < margin * (db + dc)) continue;
    let [near, far] = db < dc ? [b, c] : [c, b];
    if (rng.next() < noise) [near, far] = [far, near];
    rows.push([a, near, far, 1 + rng.int(3)]);
  }
  return { X, c: constraintSet(rows) };
}

/** Brute-force minimum of a convex function on [0, B]^2 by grid search with successive zooming. */
function bruteForce2d(f: (w: Float64Array) => number, B: number): { w: Float64Array; value: number } {
  let lo0 = 0;
  let lo1 = 0;
  let span = B;
  const G = 200;
  const w = new Float64Array(2);
  let best = Infinity;
  const bw = new Float64Array(2);
  for (let level = 0; level < 9; level++) {
    const h = span / G;
    for (let i = 0; i <= G; i++) {
      for (let j = 0; j <= G; j++) {
        w[0] = lo0 + i * h;
        w[1] = lo1 + j * h;
        const v = f(w);
        if (v < best) {
          best = v;
          bw[0] = w[0];
          bw[1] = w[1];
        }
      }
    }
    span = 10 * h;
    lo0 = Math.max(0, bw[0] - span / 2);
    lo1 = Math.max(0, bw[1] - span / 2);
  }
  return { w: bw, value: best };
}

describe('SVM (diagonal, w ≥ 0)', () => {
  it('converges to a relative duality gap ≤ tol with the KKT conditions satisfied', () => {
    const { X, c } = synthetic(1, 80, 8, [2, 0, 1, 0.5, 0, 3, 0, 1], 600, 0.15);
    for (const C of [0.01, 1, 100]) {
      const prob = svmProblem(X, c, C, 'votes');
      const sol = solveSvm(prob, { tol: 1e-6, maxIter: 300 });
      expect(sol.converged).toBe(true);
      // the certificate recomputed independently: primal at the returned w, dual at the returned α
      const gap = svmDualityGap(prob, sol.alpha, sol.w);
      expect(gap.gap).toBeGreaterThanOrEqual(-1e-9 * gap.primal);
      expect(gap.relative).toBeLessThanOrEqual(1e-6);
      expect(gap.primal).toBeCloseTo(sol.primal, 9);
      // w(α) is a (slightly worse or equal) primal point too
      expect(svmDualityGap(prob, sol.alpha).relative).toBeLessThan(1e-3);
      // KKT of the dual (box complementarity) to a tolerance that matches the gap
      expect(svmKktViolation(prob, sol.alpha)).toBeLessThan(1e-2);
      for (const x of sol.w) expect(x).toBeGreaterThanOrEqual(0);
      for (let r = 0; r < prob.count; r++) {
        expect(sol.alpha[r]).toBeGreaterThanOrEqual(0);
        expect(sol.alpha[r]).toBeLessThanOrEqual(prob.cost[r]);
      }
      // history is the gap per epoch and ends at the reported one
      expect(sol.history[sol.history.length - 1]).toBe(sol.relativeGap);
    }
  });

  it('agrees with a brute-force minimum on 2-d problems to 1e-4 in objective', () => {
    for (const [seed, C, wTrue] of [
      [2, 1, [1, 0.3]],
      [5, 10, [0.2, 1]],
      [9, 0.1, [1, 1]],
      [11, 3, [1, 0]],
    ] as const) {
      const { X, c } = synthetic(seed, 30, 2, wTrue, 60, 0.25);
      const prob = svmProblem(X, c, C, 'votes');
      const sol = solveSvm(prob, { tol: 1e-9, maxIter: 500 });
      expect(sol.converged).toBe(true);
      const ours = svmObjective(prob, sol.w);
      // bound for the search box: ½‖w‖² ≤ P(0) = Σ C_r
      const B = Math.sqrt(2 * prob.cost.reduce((s, x) => s + x, 0));
      const ref = bruteForce2d((w) => svmObjective(prob, w), B);
      expect(ours).toBeLessThanOrEqual(ref.value + 1e-9 * ref.value);
      expect(Math.abs(ours - ref.value) / ref.value).toBeLessThan(1e-4);
      expect(Math.hypot(sol.w[0] - ref.w[0], sol.w[1] - ref.w[1])).toBeLessThan(1e-2 * (1 + Math.hypot(...ref.w)));
    }
  });

  it('a nonnegativity-active solution: a feature that hurts gets weight exactly 0', () => {
    // feature 1 anti-correlates with the labels: unconstrained SVM would give it a negative weight
    const { X, c } = synthetic(21, 40, 2, [1, -0.5], 200, 0);
    const prob = svmProblem(X, c, 10, 'none');
    const sol = solveSvm(prob, { tol: 1e-9, maxIter: 500 });
    expect(sol.converged).toBe(true);
    expect(sol.w[1]).toBe(0);
    expect(sol.w[0]).toBeGreaterThan(0);
    const ref = bruteForce2d((w) => svmObjective(prob, w), 50);
    expect(Math.abs(svmObjective(prob, sol.w) - ref.value) / ref.value).toBeLessThan(1e-4);
  });

  it('fulfils all training constraints of a separable set (true diagonal metric) for large C', () => {
    const wTrue = [3, 0, 1, 0.5, 0, 2];
    const { X, c } = synthetic(4, 100, 6, wTrue, 800, 0, 0.05);
    const fit = svmLearner.fit(X, c, null, { ...SVM_DEFAULTS, C: 1000 });
    expect(fit.converged).toBe(true);
    expect(fulfilment(X, fit.W, c)).toBe(1);
    const d = X.cols;
    for (let i = 0; i < d; i++) {
      expect(fit.W.data[i * d + i]).toBeGreaterThanOrEqual(0);
      for (let j = 0; j < d; j++) if (i !== j) expect(fit.W.data[i * d + j]).toBe(0);
    }
    // the learned weights point the way of the true metric (features with true weight 0 stay small)
    const w = Array.from({ length: d }, (_, i) => fit.W.data[i * d + i]);
    expect(w[0]).toBeGreaterThan(w[1]);
    expect(w[0]).toBeGreaterThan(w[4]);
    expect(fit.history.length).toBe(fit.iterations);
    expect(fit.info?.relativeGap as number).toBeLessThanOrEqual(1e-6);
  });

  it("'votes' weighting equals replicating constraints; 'none' ignores weights", () => {
    const rng = createRng(8);
    const X = features(rng, 12, 3);
    const weighted = constraintSet([
      [0, 1, 2, 3],
      [3, 4, 5, 1],
      [6, 7, 8, 2],
      [9, 10, 11, 1],
      [1, 5, 9, 1],
    ]);
    const replicated = constraintSet([
      [0, 1, 2],
      [0, 1, 2],
      [0, 1, 2],
      [3, 4, 5],
      [6, 7, 8],
      [6, 7, 8],
      [9, 10, 11],
      [1, 5, 9],
    ]);
    const a = svmLearner.fit(X, weighted, null, { ...SVM_DEFAULTS, C: 2, tol: 1e-10, maxIter: 50000 });
    const b = svmLearner.fit(X, replicated, null, { ...SVM_DEFAULTS, C: 2, weighting: 'none', tol: 1e-10, maxIter: 50000 });
    for (let k = 0; k < 9; k++) expect(a.W.data[k]).toBeCloseTo(b.W.data[k], 5);
    const pa = svmProblem(X, weighted, 2, 'none');
    expect(Array.from(pa.cost)).toEqual([2, 2, 2, 2, 2]);
  });

  it('is deterministic and w(α) is close to the returned w', () => {
    const { X, c } = synthetic(6, 50, 4, [1, 2, 0, 1], 300, 0.1);
    const prob = svmProblem(X, c, 1);
    const s1 = solveSvm(prob, { tol: 1e-8, maxIter: 300 });
    const s2 = solveSvm(prob, { tol: 1e-8, maxIter: 300 });
    expect(Array.from(s1.w)).toEqual(Array.from(s2.w));
    const w = svmPrimalFromDual(prob, s1.alpha);
    for (let k = 0; k < 4; k++) expect(Math.abs(w[k] - s1.w[k])).toBeLessThan(1e-3 * (1 + s1.w[k]));
  });

  it('stops at maxIter without claiming convergence', () => {
    const { X, c } = synthetic(6, 50, 4, [1, 2, 0, 1], 300, 0.2);
    const fit = svmLearner.fit(X, c, null, { ...SVM_DEFAULTS, C: 100, maxIter: 1, tol: 1e-12 });
    expect(fit.converged).toBe(false);
    expect(fit.iterations).toBe(1);
  });

  it('rejects empty and degenerate input with clear errors (no NaN)', () => {
    const rng = createRng(3);
    const X = features(rng, 5, 3);
    expect(() => svmLearner.fit(X, constraintSet([]), null, SVM_DEFAULTS)).toThrow(/no training constraints/);
    // near and far are the same clip: z = 0 for every constraint
    expect(() =>
      svmLearner.fit(
        X,
        constraintSet([
          [0, 1, 1],
          [2, 3, 3],
        ]),
        null,
        SVM_DEFAULTS,
      ),
    ).toThrow(/z = 0/);
    const dup = asFeatureMatrix({ rows: 3, cols: 2, data: new Float64Array([1, 2, 3, 4, 3, 4]) });
    expect(() => svmLearner.fit(dup, constraintSet([[0, 1, 2]]), null, SVM_DEFAULTS)).toThrow(/identical/);
    expect(() => svmLearner.fit(X, constraintSet([[0, 1, 2]]), null, { ...SVM_DEFAULTS, C: 0 })).toThrow(/C must be/);
    expect(() => svmLearner.fit(X, constraintSet([[0, 1, 2, -1]]), null, SVM_DEFAULTS)).toThrow(/constraint 0 has an invalid weight/);
    expect(() => svmLearner.fit(X, constraintSet([[0, 1, 7]]), null, SVM_DEFAULTS)).toThrow(/outside the feature matrix/);
  });

  it('declares its id and defaults; the method table tunes C', () => {
    expect(svmLearner.id).toBe('svm');
    expect(svmLearner.defaults).toMatchObject({ C: 1, tol: 1e-6, weighting: 'votes' });
    expect(METHODS.svm.tuned).toBe('C');
  });
});
