import { METHODS } from '../methods';
import { describe, expect, it } from 'vitest';
import { symEig } from '../linalg';
import { asFeatureMatrix } from '../matrix';
import { createRng } from '../rng';
import { fulfilment } from '../score';
import type { ConstraintSet } from '../types';
import { aucSeparationOracle, buildQueries, MLR_DEFAULTS, mlrDiagLearner, mlrLearner, mlrSlack } from './mlr';

function constraintSet(rows: readonly (readonly [number, number, number, number?])[]): ConstraintSet {
  const m = rows.length;
  const c = { count: m, a: new Int32Array(m), n: new Int32Array(m), f: new Int32Array(m), weight: new Float64Array(m), triplet: new Int32Array(m) };
  rows.forEach(([a, n, f, w], r) => {
    c.a[r] = a;
    c.n[r] = n;
    c.f[r] = f;
    c.weight[r] = w ?? 1;
    c.triplet[r] = r;
  });
  return c;
}

function permutations(n: number): number[][] {
  if (n === 0) return [[]];
  const out: number[][] = [];
  for (const p of permutations(n - 1)) for (let i = 0; i <= p.length; i++) out.push([...p.slice(0, i), n - 1, ...p.slice(i)]);
  return out;
}

/**
 * Brute force over all rankings of P relevant + N irrelevant candidates: max of Δ(y) + ⟨W, ψ(y)⟩ with
 * ⟨W, ψ(y)⟩ = Σ_ij y_ij (d_j − d_i)/(PN), and the ψ-coefficients of the maximiser.
 */
function bruteForce(dPos: number[], dNeg: number[]) {
  const P = dPos.length;
  const N = dNeg.length;
  let best = -Infinity;
  let bestCoef: number[] = [];
  let bestLoss = NaN;
  for (const perm of permutations(P + N)) {
    const pos = new Array<number>(P + N);
    perm.forEach((item, rank) => (pos[item] = rank)); // items 0..P-1 relevant, P.. irrelevant
    let mis = 0;
    let score = 0;
    const coef = new Array<number>(P + N).fill(0);
    for (let i = 0; i < P; i++) {
      for (let j = 0; j < N; j++) {
        const y = pos[i] < pos[P + j] ? 1 : -1;
        if (y < 0) mis++;
        score += (y * (dNeg[j] - dPos[i])) / (P * N);
        coef[i] += y / (P * N);
        coef[P + j] -= y / (P * N);
      }
    }
    const value = mis / (P * N) + score;
    if (value > best + 1e-12) {
      best = value;
      bestCoef = coef;
      bestLoss = mis / (P * N);
    }
  }
  return { best, coef: bestCoef, loss: bestLoss };
}

describe('AUC separation oracle', () => {
  it('equals brute force over all rankings (≤ 6 candidates)', () => {
    const rng = createRng('oracle');
    let cases = 0;
    for (let P = 1; P <= 4; P++) {
      for (let N = 1; N + P <= 6; N++) {
        for (let rep = 0; rep < 6; rep++) {
          // distances on the scale of the ½ margin so every case mixes ordered and misordered pairs
          const dPos = Array.from({ length: P }, () => rng.next() * 2);
          const dNeg = Array.from({ length: N }, () => rng.next() * 2);
          const cp = new Float64Array(P);
          const cn = new Float64Array(N);
          const loss = aucSeparationOracle(Float64Array.from(dPos), Float64Array.from(dNeg), cp, cn);
          // value of the oracle's ranking: Δ + ⟨W, ψ(y')⟩ = Δ − Σ c'_k d_k
          let value = loss;
          dPos.forEach((x, i) => (value -= cp[i] * x));
          dNeg.forEach((x, j) => (value -= cn[j] * x));
          const bf = bruteForce(dPos, dNeg);
          expect(value).toBeCloseTo(bf.best, 12);
          expect(loss).toBeCloseTo(bf.loss, 12);
          [...cp, ...cn].forEach((c, k) => expect(c).toBeCloseTo(bf.coef[k], 12));
          cases++;
        }
      }
    }
    expect(cases).toBe(6 * 14);
  });

  it('at W = 0 every pair is misordered; far-apart distances give no violation', () => {
    const cp = new Float64Array(2);
    const cn = new Float64Array(3);
    expect(aucSeparationOracle(new Float64Array(2), new Float64Array(3), cp, cn)).toBe(1);
    expect(aucSeparationOracle(Float64Array.from([0, 0.1]), Float64Array.from([5, 6, 7]), cp, cn)).toBe(0);
    // then ψ(y') = ψ(y*): c_i = 1/P, c_j = −1/N
    expect(Array.from(cp)).toEqual([0.5, 0.5]);
    for (const c of cn) expect(c).toBeCloseTo(-1 / 3, 15);
    expect(() => aucSeparationOracle(new Float64Array(0), new Float64Array(1), cp, cn)).toThrow(/at least one relevant/);
  });
});

describe('MLR queries from relative constraints', () => {
  it('resolves conflicts by weight majority, drops ties, and needs relevant and irrelevant clips', () => {
    const c = constraintSet([
      [0, 1, 2, 2], // anchor 0: 1 near (+2), 2 far (−2)
      [0, 2, 1, 1], // conflict: 2 near (+1), 1 far (−1) → balance 1: +1, 2: −1
      [0, 3, 4, 1], // 3 +1, 4 −1
      [0, 4, 3, 1], // tie: 3 and 4 balance 0 → both dropped
      [5, 6, 7, 1], // anchor 5: one query
      [8, 9, 10, 1], // anchor 8 …
      [8, 10, 9, 1], // … tie on both → no query
    ]);
    const q = buildQueries(c, 11, 'anchor', 'votes');
    expect(q.count).toBe(2);
    expect(Array.from(q.anchor)).toEqual([0, 5]);
    expect(q.droppedTies).toBe(4); // (0,3), (0,4), (8,9), (8,10)
    expect(q.conflicting).toBe(6); // (0,1), (0,2), (0,3), (0,4), (8,9), (8,10)
    expect(q.droppedAnchors).toBe(1);
    expect(Array.from(q.cand.subarray(q.start[0], q.start[1]))).toEqual([1, 2]);
    expect(Array.from(q.relevant.subarray(q.start[0], q.start[1]))).toEqual([1, 0]);
    expect(q.pairs).toBe(2);
    expect(Array.from(q.weight)).toEqual([0.5, 0.5]);
    // unweighted: (0,1) and (0,2) become ties as well
    const u = buildQueries(c, 11, 'anchor', 'none');
    expect(u.count).toBe(1);
    expect(Array.from(u.anchor)).toEqual([5]);
    // constraint mode: one query per constraint, weights ∝ votes
    const k = buildQueries(c, 11, 'constraint', 'votes');
    expect(k.count).toBe(7);
    expect(k.weight[0]).toBeCloseTo(2 / 8, 15);
  });

  it('rejects empty, all-tie and out-of-range input clearly', () => {
    expect(() => buildQueries(constraintSet([]), 3, 'anchor', 'votes')).toThrow(/no training constraints/);
    expect(() =>
      buildQueries(
        constraintSet([
          [0, 1, 2],
          [0, 2, 1],
        ]),
        3,
        'anchor',
        'votes',
      ),
    ).toThrow(/no query has both/);
    expect(() => buildQueries(constraintSet([[0, 1, 9]]), 3, 'anchor', 'votes')).toThrow(/clip row 9 outside/);
    const X = asFeatureMatrix({ rows: 3, cols: 2, data: new Float64Array([0, 0, 1, 0, 0, 1]) });
    expect(() => mlrLearner.fit(X, constraintSet([[0, 1, 2]]), null, { ...MLR_DEFAULTS, C: -1 })).toThrow(/C must be/);
  });
});

/**
 * Separable ranking data: for every anchor, the `k` nearest clips under a true metric are relevant, the
 * rest irrelevant, with a clear gap; constraints are all relevant × irrelevant pairs.
 */
function separableRanking(seed: number, n: number, d: number, full: boolean) {
  const rng = createRng(seed);
  const data = new Float64Array(n * d);
  for (let i = 0; i < data.length; i++) data[i] = rng.normal();
  const X = asFeatureMatrix({ rows: n, cols: d, data });
  const L = new Float64Array(d * d);
  for (let i = 0; i < d; i++) L[i * d + i] = i === 0 ? 3 : 0.3;
  if (full) L[0 * d + 1] = 2;
  const dist = (i: number, j: number) => {
    let s = 0;
    for (let r = 0; r < d; r++) {
      let t = 0;
      for (let k = 0; k < d; k++) t += L[r * d + k] * (data[i * d + k] - data[j * d + k]);
      s += t * t;
    }
    return s;
  };
  const rows: [number, number, number][] = [];
  for (let a = 0; a < n; a++) {
    const others = Array.from({ length: n }, (_, j) => j).filter((j) => j !== a);
    others.sort((x, y) => dist(a, x) - dist(a, y));
    const rel = others.slice(0, 3);
    const irr = others.slice(3).filter((j) => dist(a, j) > 1.5 * dist(a, rel[2]));
    for (const i of rel) for (const j of irr.slice(0, 6)) rows.push([a, i, j]);
  }
  return { X, c: constraintSet(rows) };
}

function minEig(W: { rows: number; cols: number; data: Float64Array }): number {
  return symEig(W).values[0];
}

describe('MLR (full W ⪰ 0)', () => {
  it('fulfils all training constraints of a separable ranking set, stays PSD and reports its exact objective', () => {
    const { X, c } = separableRanking(3, 24, 4, true);
    const fit = mlrLearner.fit(X, c, null, { ...MLR_DEFAULTS, C: 100, maxIter: 400 });
    expect(fit.converged).toBe(true);
    expect(fulfilment(X, fit.W, c)).toBe(1);
    expect(minEig(fit.W)).toBeGreaterThanOrEqual(-1e-10);
    const info = fit.info as Record<string, number>;
    // the reported loss and objective, recomputed independently (direct distances, the oracle per query)
    const qs = buildQueries(c, X.rows, 'anchor', 'votes');
    const slack = mlrSlack(X, qs, fit.W.data, true);
    expect(slack).toBeCloseTo(info.xi, 10);
    let tr = 0;
    for (let k = 0; k < X.cols; k++) tr += fit.W.data[k * X.cols + k];
    expect(tr / X.cols + 100 * slack).toBeCloseTo(info.objective, 10);
    // the stopping rule: the last predicted decrease is within ε of the objective
    expect(fit.history[fit.history.length - 1]).toBeLessThanOrEqual(MLR_DEFAULTS.epsilon);
    expect(info.lastGap).toBe(fit.history[fit.history.length - 1]);
  });

  it('reaches the minimum of the objective found by brute force over a grid (d = 2, full and diagonal)', () => {
    const rng = createRng(29);
    const n = 14;
    const d = 2;
    const data = new Float64Array(n * d);
    for (let i = 0; i < data.length; i++) data[i] = rng.normal();
    const X = asFeatureMatrix({ rows: n, cols: d, data });
    const rows: [number, number, number, number][] = [];
    const truth = (i: number, j: number) =>
      4 * (data[i * d] - data[j * d]) ** 2 + (data[i * d] - data[j * d]) * (data[i * d + 1] - data[j * d + 1]) + 0.5 * (data[i * d + 1] - data[j * d + 1]) ** 2;
    while (rows.length < 120) {
      const [a, b, e] = [rng.int(n), rng.int(n), rng.int(n)];
      if (a === b || b === e || a === e) continue;
      rows.push(truth(a, b) < truth(a, e) === rng.next() < 0.85 ? [a, b, e, 1] : [a, e, b, 1]);
    }
    const c = constraintSet(rows);
    const qs = buildQueries(c, n, 'anchor', 'votes');
    const C = 5;
    const objective = (W: Float64Array, full: boolean) => (full ? W[0] + W[3] : W[0] + W[1]) / d + C * mlrSlack(X, qs, W, full);
    // brute force: W = [[u, v], [v, w]] ⪰ 0 (v² ≤ u w) and the diagonal W = diag(u, w): a grid, then two finer
    // grids around its best point (the objective is convex, so the minimiser lies next to the coarse one)
    const search = (full: boolean) => {
      let best = { f: Infinity, at: [1.5, 0, 1.5] };
      let [h, half] = [0.1, 1.5];
      for (let level = 0; level < 3; level++, h /= 5, half = 2 * h * 5) {
        const [u0, v0, w0] = best.at;
        for (let u = Math.max(0, u0 - half); u <= u0 + half; u += h) {
          for (let w = Math.max(0, w0 - half); w <= w0 + half; w += h) {
            const vmax = Math.sqrt(u * w);
            const vs = full ? [] : [0];
            if (full) for (let v = Math.max(-vmax, v0 - half); v <= Math.min(vmax, v0 + half); v += h) vs.push(v);
            for (const v of vs) {
              const f = objective(full ? Float64Array.of(u, v, v, w) : Float64Array.of(u, w), full);
              if (f < best.f) best = { f, at: [u, v, w] };
            }
          }
        }
      }
      return best.f;
    };
    const bestFull = search(true);
    const bestDiag = search(false);
    const full = mlrLearner.fit(X, c, null, { ...MLR_DEFAULTS, C });
    const diag = mlrDiagLearner.fit(X, c, null, { ...MLR_DEFAULTS, C });
    expect(full.converged && diag.converged).toBe(true);
    const fFull = (full.info as Record<string, number>).objective;
    const fDiag = (diag.info as Record<string, number>).objective;
    // within a few ε (relative) of the grid's best — the stopping rule bounds the predicted decrease, not the gap
    // itself (measured: 1.1e-4 full, 1.0e-3 diagonal) — and the grid, fine near its best point, is not much worse
    const tol = 3 * MLR_DEFAULTS.epsilon;
    expect(fFull).toBeLessThanOrEqual(bestFull * (1 + tol));
    expect(fDiag).toBeLessThanOrEqual(bestDiag * (1 + tol));
    expect(fFull).toBeGreaterThanOrEqual(bestFull * (1 - tol));
    expect(fDiag).toBeGreaterThanOrEqual(bestDiag * (1 - tol));
    expect(fFull).toBeLessThanOrEqual(fDiag * (1 + MLR_DEFAULTS.epsilon));
  });

  it('stays PSD on noisy data for every C of the grid; small C gives a small trace', () => {
    const rng = createRng(17);
    const n = 30;
    const d = 5;
    const data = new Float64Array(n * d);
    for (let i = 0; i < data.length; i++) data[i] = rng.normal();
    const X = asFeatureMatrix({ rows: n, cols: d, data });
    const rows: [number, number, number, number][] = [];
    while (rows.length < 200) {
      const a = rng.int(n);
      const b = rng.int(n);
      const e = rng.int(n);
      if (a === b || b === e || a === e) continue;
      const db = (data[a * d] - data[b * d]) ** 2;
      const de = (data[a * d] - data[e * d]) ** 2;
      rows.push(db < de === rng.next() < 0.8 ? [a, b, e, 1] : [a, e, b, 1]);
    }
    const c = constraintSet(rows);
    const traces: number[] = [];
    for (const C of [0.01, 0.1, 1, 10, 100]) {
      const fit = mlrLearner.fit(X, c, null, { ...MLR_DEFAULTS, C, maxIter: 100 });
      expect(minEig(fit.W)).toBeGreaterThanOrEqual(-1e-10);
      let tr = 0;
      for (let k = 0; k < d; k++) tr += fit.W.data[k * d + k];
      traces.push(tr);
      expect(fit.converged).toBe(true);
      expect(fit.history[fit.history.length - 1]).toBeLessThanOrEqual(MLR_DEFAULTS.epsilon);
    }
    expect(traces[0]).toBeLessThan(traces[traces.length - 1]);
    // C = 0.01: the trace penalty dominates, W = 0 (the exact optimum: tr(W)/d ≥ C·(1 − ξ) gain)
    expect(traces[0]).toBe(0);
  });
});

describe('MLR (diagonal W ≥ 0)', () => {
  it('fulfils all training constraints of a separable set with zero off-diagonals and w ≥ 0', () => {
    const { X, c } = separableRanking(5, 24, 4, false);
    const fit = mlrDiagLearner.fit(X, c, null, { ...MLR_DEFAULTS, C: 100, maxIter: 400 });
    expect(fit.converged).toBe(true);
    expect(fulfilment(X, fit.W, c)).toBe(1);
    const d = X.cols;
    for (let i = 0; i < d; i++) {
      expect(fit.W.data[i * d + i]).toBeGreaterThanOrEqual(0);
      for (let j = 0; j < d; j++) if (i !== j) expect(fit.W.data[i * d + j]).toBe(0);
    }
    // the informative feature 0 gets the largest weight
    const w = Array.from({ length: d }, (_, i) => fit.W.data[i * d + i]);
    expect(w.indexOf(Math.max(...w))).toBe(0);
    const qs = buildQueries(c, X.rows, 'anchor', 'votes');
    const diag = Float64Array.from(w);
    expect(mlrSlack(X, qs, diag, false)).toBeLessThanOrEqual((fit.info as Record<string, number>).xi + MLR_DEFAULTS.epsilon + 1e-12);
  });

  it("'constraint' queries work too and maxIter stops without convergence", () => {
    const { X, c } = separableRanking(5, 16, 3, false);
    const fit = mlrDiagLearner.fit(X, c, null, { ...MLR_DEFAULTS, C: 10, queries: 'constraint' });
    expect(fit.converged).toBe(true);
    expect(fulfilment(X, fit.W, c)).toBeGreaterThan(0.95);
    const capped = mlrLearner.fit(X, c, null, { ...MLR_DEFAULTS, C: 100, maxIter: 2 });
    expect(capped.converged).toBe(false);
    expect(capped.iterations).toBe(2);
  });

  it('declares ids and defaults; the method table tunes C', () => {
    expect(mlrLearner.id).toBe('mlr');
    expect(mlrDiagLearner.id).toBe('mlr-diag');
    expect(mlrLearner.defaults).toMatchObject({ C: 1, epsilon: 1e-3 });
    expect(METHODS.mlr.tuned).toBe('C');
    expect(METHODS['mlr-diag'].tuned).toBe('C');
  });
});
