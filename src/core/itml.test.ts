import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ITML_DEFAULTS, itml, itmlPercentileBounds, percentileLinear, satisfiedShare } from './itml';
import { isPositiveDefinite, matmul, transpose, unwhitenMetric, whitenFeatures, whiteningFromPrior } from './linalg';
import { asFeatureMatrix, identity } from './matrix';
import { createRng } from './rng';
import type { FeatureMatrix, Matrix, PairConstraints, SpdMatrix } from './types';

// --- tiny local reader for the headerless numeric fixture files ---------------------------------
const FIX = resolve(__dirname, '../../test/fixtures/itml-identity');
function readCsv(name: string): number[][] {
  const text = readFileSync(resolve(FIX, name), 'utf8');
  return text
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '')
    .map((l, k) =>
      l.split(',').map((s) => {
        const x = Number(s);
        if (!Number.isFinite(x)) throw new Error(`${name} line ${k + 1}: "${s}" is not a number`);
        return x;
      }),
    );
}
function matrixOf(rows: number[][]): Matrix {
  return { rows: rows.length, cols: rows[0].length, data: Float64Array.from(rows.flat()) };
}
function constraintsOf(rows: number[][]): PairConstraints {
  return {
    count: rows.length,
    i: Int32Array.from(rows, (r) => r[0] - 1),
    j: Int32Array.from(rows, (r) => r[1] - 1),
    delta: Int8Array.from(rows, (r) => r[2]),
    bound: Float64Array.from(rows, (r) => r[3]),
  };
}

const X = asFeatureMatrix(matrixOf(readCsv('X.csv')));
const C = constraintsOf(readCsv('C.csv'));
const Aref = matrixOf(readCsv('A_octave.csv'));
const boundsRef = readCsv('bounds.csv').map((r) => r[0]);

function frobRel(A: Matrix, B: Matrix): number {
  let num = 0;
  let den = 0;
  for (let k = 0; k < A.data.length; k++) {
    num += (A.data[k] - B.data[k]) ** 2;
    den += B.data[k] ** 2;
  }
  return Math.sqrt(num / den);
}
function maxAbs(A: Matrix): number {
  let m = 0;
  for (const x of A.data) m = Math.max(m, Math.abs(x));
  return m;
}
function expectExactlySymmetric(W: Matrix): void {
  const d = W.rows;
  for (let i = 0; i < d; i++) for (let j = 0; j < i; j++) expect(W.data[i * d + j]).toBe(W.data[j * d + i]);
}
function randomSpd(seed: string, d: number, ridge: number): SpdMatrix {
  const rng = createRng(seed);
  const G = { rows: d, cols: d, data: Float64Array.from({ length: d * d }, () => rng.normal()) };
  const A = matmul(G, transpose(G));
  for (let i = 0; i < d; i++) A.data[i * d + i] += ridge;
  for (let i = 0; i < d; i++) for (let j = 0; j < i; j++) A.data[i * d + j] = A.data[j * d + i];
  return A as SpdMatrix;
}

describe('ITML on the golden problem (identity prior, γ = 1, tol = 1e-3)', () => {
  const res = itml(X, C, null, ITML_DEFAULTS);

  it('fixture sanity', () => {
    expect([X.rows, X.cols, C.count, Aref.rows, Aref.cols]).toEqual([300, 10, 597, 10, 10]);
  });

  it('reproduces A_octave.csv to ≤ 1e-9 relative error (Frobenius and element-wise)', () => {
    expect(frobRel(res.W, Aref)).toBeLessThan(1e-9);
    const floor = 1e-12 * maxAbs(Aref);
    for (let k = 0; k < Aref.data.length; k++) {
      const ref = Aref.data[k];
      expect(Math.abs(res.W.data[k] - ref)).toBeLessThanOrEqual(1e-9 * Math.abs(ref) + floor);
    }
  });

  it('takes 706 sweeps, 706 × 597 projections, and converges', () => {
    expect(res.converged).toBe(true);
    expect(res.iterations).toBe(706);
    expect(res.info).toMatchObject({ sweeps: 706, projections: 706 * 597, skipped: 0 });
    // the reference's own counter (iter) reports one less: 421,481
    expect(Number(res.info?.projections) - 1).toBe(421481);
    expect(res.history.length).toBe(706);
    expect(res.history[705]).toBeLessThan(1e-3);
    for (let s = 0; s < 705; s++) expect(res.history[s]).toBeGreaterThanOrEqual(1e-3);
  });

  it('satisfies 72.36% of the constraints', () => {
    expect(res.info?.satisfied).toBe(432 / 597);
    expect(Number(res.info?.satisfied)).toBeCloseTo(0.7236, 4);
    expect(satisfiedShare(X, C, res.W)).toBe(432 / 597);
    // the Euclidean metric satisfies fewer
    expect(satisfiedShare(X, C, identity(10))).toBeLessThan(0.7);
  });

  it('W is exactly symmetric and positive definite', () => {
    expectExactlySymmetric(res.W);
    expect(isPositiveDefinite(res.W)).toBe(true);
  });

  it('percentile bounds reproduce bounds.csv to 1e-12 (linear interpolation, not Matlab prctile)', () => {
    const { lower, upper } = itmlPercentileBounds(X, C.i, C.j, null);
    expect(Math.abs(lower - boundsRef[0]) / boundsRef[0]).toBeLessThan(1e-12);
    expect(Math.abs(upper - boundsRef[1]) / boundsRef[1]).toBeLessThan(1e-12);
    // and they are the bounds C.csv uses
    for (let c = 0; c < C.count; c++) expect(C.bound[c]).toBe(C.delta[c] === 1 ? boundsRef[0] : boundsRef[1]);
    // with the identity as an explicit prior the same
    expect(itmlPercentileBounds(X, C.i, C.j, identity(10))).toEqual({ lower, upper });
  });
});

describe('ITML options and edge cases', () => {
  it('per-constraint gammas equal to γ give the identical result; other γ a different one', () => {
    const base = itml(X, C, null, { ...ITML_DEFAULTS, maxSweeps: 40 });
    const same = itml(X, C, null, { ...ITML_DEFAULTS, maxSweeps: 40, gammas: new Float64Array(C.count).fill(1) });
    expect(Array.from(same.W.data)).toEqual(Array.from(base.W.data));
    const g = new Float64Array(C.count).fill(1);
    for (let c = 0; c < C.count; c += 2) g[c] = 10;
    const other = itml(X, C, null, { ...ITML_DEFAULTS, maxSweeps: 40, gammas: g });
    expect(frobRel(other.W, base.W)).toBeGreaterThan(1e-3);
  });

  it('hard constraints (γ = ∞) on a feasible problem are all met', () => {
    const rng = createRng('hard');
    const n = 40;
    const d = 4;
    const Xs = asFeatureMatrix({ rows: n, cols: d, data: Float64Array.from({ length: n * d }, () => rng.normal()) });
    // a target metric far from I makes the problem feasible: similar bounds 5% above its distances,
    // dissimilar 5% below
    const target = randomSpd('target', d, 0.5);
    const m = 12;
    const cs: PairConstraints = { count: m, i: new Int32Array(m), j: new Int32Array(m), delta: new Int8Array(m), bound: new Float64Array(m) };
    const dist = (W: Matrix, a: number, b: number) => {
      let s = 0;
      for (let p = 0; p < d; p++)
        for (let q = 0; q < d; q++) s += (Xs.data[a * d + p] - Xs.data[b * d + p]) * W.data[p * d + q] * (Xs.data[a * d + q] - Xs.data[b * d + q]);
      return s;
    };
    for (let c = 0; c < m; c++) {
      cs.i[c] = 2 * c;
      cs.j[c] = 2 * c + 1;
      const dt = dist(target, 2 * c, 2 * c + 1);
      // similar where the target shrinks the pair relative to I, dissimilar where it stretches it
      cs.delta[c] = dt < dist(identity(d), 2 * c, 2 * c + 1) ? 1 : -1;
      cs.bound[c] = cs.delta[c] === 1 ? 1.05 * dt : 0.95 * dt;
    }
    expect(satisfiedShare(Xs, cs, target)).toBe(1);
    expect(satisfiedShare(Xs, cs, identity(d))).toBeLessThan(0.5);
    const r = itml(Xs, cs, null, { gamma: Infinity, tol: 1e-9, maxSweeps: 100000 });
    expect(r.converged).toBe(true);
    for (let c = 0; c < m; c++) {
      const s = dist(r.W, cs.i[c], cs.j[c]);
      if (cs.delta[c] === 1) expect(s).toBeLessThanOrEqual(cs.bound[c] * (1 + 1e-6));
      else expect(s).toBeGreaterThanOrEqual(cs.bound[c] * (1 - 1e-6));
    }
    expect(isPositiveDefinite(r.W)).toBe(true);
    // soft constraints (γ = 1) stop short of that
    const soft = itml(Xs, cs, null, ITML_DEFAULTS);
    expect(satisfiedShare(Xs, cs, soft.W)).toBeLessThan(1);
  });

  it('skips constraints on identical points exactly as the reference (no effect on W)', () => {
    // duplicate point 0 as a new row and constrain it to the original: v = 0
    const n = X.rows;
    const d = X.cols;
    const data = new Float64Array((n + 1) * d);
    data.set(X.data);
    data.set(X.data.subarray(0, d), n * d);
    const X2 = asFeatureMatrix({ rows: n + 1, cols: d, data });
    const add = (arr: ArrayLike<number>, at: number, val: number) => {
      const out = Array.from(arr);
      out.splice(at, 0, val);
      return out;
    };
    const at = 100;
    const C2: PairConstraints = {
      count: C.count + 1,
      i: Int32Array.from(add(C.i, at, 0)),
      j: Int32Array.from(add(C.j, at, n)),
      delta: Int8Array.from(add(C.delta, at, -1)),
      bound: Float64Array.from(add(C.bound, at, boundsRef[1])),
    };
    const a = itml(X, C, null, { ...ITML_DEFAULTS, maxSweeps: 30 });
    const b = itml(X2, C2, null, { ...ITML_DEFAULTS, maxSweeps: 30 });
    expect(Array.from(b.W.data)).toEqual(Array.from(a.W.data));
    expect(b.info).toMatchObject({ skipped: 1, projections: 30 * 597 });
    expect(b.history).toEqual(a.history);
  });

  it('a non-identity prior equals ITML with prior I on whitened features, mapped back (1e-8)', () => {
    const d = X.cols;
    const Wp = randomSpd('prior', d, 2);
    const bounds = itmlPercentileBounds(X, C.i, C.j, Wp);
    const Cp: PairConstraints = { ...C, bound: Float64Array.from(C.delta, (dl) => (dl === 1 ? bounds.lower : bounds.upper)) };
    const direct = itml(X, Cp, Wp, ITML_DEFAULTS);
    const { L } = whiteningFromPrior(Wp);
    const Xt = whitenFeatures(X, L);
    // the prior's percentile bounds are the whitened Euclidean ones
    const bt = itmlPercentileBounds(Xt, C.i, C.j, null);
    expect(Math.abs(bt.lower - bounds.lower) / bounds.lower).toBeLessThan(1e-12);
    const white = itml(Xt, Cp, null, ITML_DEFAULTS);
    const back = unwhitenMetric(white.W, L);
    expect(direct.iterations).toBe(white.iterations);
    expect(direct.converged).toBe(true);
    expect(frobRel(back, direct.W)).toBeLessThan(1e-8);
    expect(frobRel(direct.W, Wp)).toBeGreaterThan(1e-2); // it did learn something
    expectExactlySymmetric(direct.W);
    expect(isPositiveDefinite(direct.W)).toBe(true);
    // the prior is not mutated
    expect(Array.from(Wp.data)).toEqual(Array.from(randomSpd('prior', d, 2).data));
  });

  it('stops at maxSweeps without converging', () => {
    const r = itml(X, C, null, { ...ITML_DEFAULTS, maxSweeps: 5 });
    expect(r.converged).toBe(false);
    expect(r.iterations).toBe(5);
    expect(r.history.length).toBe(5);
    expect(r.info).toMatchObject({ projections: 5 * 597 });
  });

  it('reports progress every sweep and stops when checkCancelled throws', () => {
    const seen: number[] = [];
    itml(X, C, null, { ...ITML_DEFAULTS, maxSweeps: 7 }, { onProgress: (p) => seen.push(p.done) });
    expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7]);
    let calls = 0;
    const progress: number[] = [];
    expect(() =>
      itml(X, C, null, ITML_DEFAULTS, {
        checkCancelled: () => {
          if (++calls === 3) throw new Error('cancelled by test');
        },
        onProgress: (p) => progress.push(p.done),
      }),
    ).toThrow('cancelled by test');
    expect(calls).toBe(3);
    expect(progress).toEqual([1, 2]);
  });

  it('no constraints: returns the prior, converged, 0 sweeps', () => {
    const empty: PairConstraints = { count: 0, i: new Int32Array(0), j: new Int32Array(0), delta: new Int8Array(0), bound: new Float64Array(0) };
    const Wp = randomSpd('empty', 10, 1);
    const r = itml(X, empty, Wp, ITML_DEFAULTS);
    expect(r.converged).toBe(true);
    expect(r.iterations).toBe(0);
    expect(Array.from(r.W.data)).toEqual(Array.from(Wp.data));
    expect(r.W.data).not.toBe(Wp.data);
  });

  it('rejects bad input with messages that say what and where', () => {
    const bad = (patch: Partial<PairConstraints>) => ({ ...C, ...patch });
    expect(() => itml(X, bad({ i: Int32Array.from(C.i, (v, k) => (k === 3 ? 300 : v)) }), null, ITML_DEFAULTS)).toThrow(
      /constraint 3 refers to points \(300, \d+\) outside 0\.\.299/,
    );
    expect(() => itml(X, bad({ bound: Float64Array.from(C.bound, (v, k) => (k === 5 ? 0 : v)) }), null, ITML_DEFAULTS)).toThrow(/constraint 5 has bound 0/);
    expect(() => itml(X, bad({ delta: Int8Array.from(C.delta, (v, k) => (k === 7 ? 0 : v)) }), null, ITML_DEFAULTS)).toThrow(/constraint 7 has label 0/);
    expect(() => itml(X, C, identity(3), ITML_DEFAULTS)).toThrow(/prior is 3×3, features have d = 10/);
    const notPd = identity(10);
    notPd.data[0] = -1;
    expect(() => itml(X, C, notPd, ITML_DEFAULTS)).toThrow(/prior is not positive definite/);
    expect(() => itml(X, C, null, { ...ITML_DEFAULTS, gamma: 0 })).toThrow(/gamma must be > 0/);
    expect(() => itml(X, C, null, { ...ITML_DEFAULTS, gammas: new Float64Array(3) })).toThrow(/gammas has 3 entries for 597/);
    expect(() => itmlPercentileBounds(X, new Int32Array([0, 1]), new Int32Array([1]), null)).toThrow(/2 first indices but 1/);
  });
});

describe("ITML does not depend on the features' scale (issue 12 item 8)", () => {
  const scaledX = (s: number) => asFeatureMatrix({ rows: X.rows, cols: X.cols, data: X.data.map((v) => v * s) });
  const withPercentileBounds = (Xs: FeatureMatrix): PairConstraints => {
    const b = itmlPercentileBounds(Xs, C.i, C.j, null);
    return { ...C, bound: Float64Array.from(C.delta, (dl) => (dl === 1 ? b.lower : b.upper)) };
  };
  const ref = itml(X, withPercentileBounds(X), null, ITML_DEFAULTS);

  it('X·1e-12, X·1e12 and X·1e±150 give the sweeps, satisfied share and W of X·1 (relative 1e-9)', () => {
    expect(ref.iterations).toBe(706);
    for (const s of [1e-12, 1e12, 1e-150, 1e150]) {
      const Xs = scaledX(s);
      const r = itml(Xs, withPercentileBounds(Xs), null, ITML_DEFAULTS);
      expect(r.iterations, `s = ${s}`).toBe(ref.iterations);
      expect(r.converged).toBe(true);
      expect(r.info).toMatchObject({ skipped: 0, satisfied: ref.info?.satisfied, projections: ref.info?.projections });
      expect(frobRel(r.W, ref.W), `s = ${s}`).toBeLessThan(1e-9);
    }
  });

  it('identical points are found relative to the scale: a duplicated row is skipped at X·1e-12, no other pair is', () => {
    const s = 1e-12;
    const n = X.rows;
    const d = X.cols;
    const data = new Float64Array((n + 1) * d);
    data.set(X.data);
    data.set(X.data.subarray(0, d), n * d);
    const Xs = asFeatureMatrix({ rows: n + 1, cols: d, data: data.map((v) => v * s) });
    const Cs = withPercentileBounds(Xs);
    const C2: PairConstraints = {
      count: Cs.count + 1,
      i: Int32Array.from([...Cs.i, 0]),
      j: Int32Array.from([...Cs.j, n]),
      delta: Int8Array.from([...Cs.delta, -1]),
      bound: Float64Array.from([...Cs.bound, Cs.bound[0]]),
    };
    const r = itml(Xs, C2, null, { ...ITML_DEFAULTS, maxSweeps: 5 });
    expect(r.info).toMatchObject({ skipped: 1, projections: 5 * C.count });
  });

  it('squared distances that overflow float64 are an error that says so', () => {
    const Xs = scaledX(1e160);
    expect(() => itml(Xs, C, null, ITML_DEFAULTS)).toThrow(/overflows float64.*rescale or standardise/);
  });

  it('a bound that is zero relative to the others is an error naming the largest bound', () => {
    const Cz: PairConstraints = { ...C, bound: Float64Array.from(C.bound, (v, k) => (k === 9 ? v * 1e-10 : v)) };
    expect(() => itml(X, Cz, null, ITML_DEFAULTS)).toThrow(/constraint 9 has bound .* not zero relative to the largest bound/);
    // the same bounds at another scale are fine as long as they are not zero relative to each other
    const tiny: PairConstraints = { ...C, bound: C.bound.map((v) => v * 1e-24) };
    expect(() => itml(scaledX(1e-12), tiny, null, { ...ITML_DEFAULTS, maxSweeps: 2 })).not.toThrow();
  });
});

describe('percentileLinear', () => {
  it('interpolates linearly between order statistics at (n − 1)·p/100', () => {
    const s = new Float64Array([1, 2, 3, 4]);
    expect(percentileLinear(s, 0)).toBe(1);
    expect(percentileLinear(s, 100)).toBe(4);
    expect(percentileLinear(s, 50)).toBe(2.5);
    expect(percentileLinear(s, 5)).toBeCloseTo(1.15, 14); // Matlab prctile would give 1
    expect(percentileLinear(new Float64Array([7]), 95)).toBe(7);
    expect(() => percentileLinear(new Float64Array(0), 5)).toThrow(/empty/);
    expect(() => percentileLinear(s, 101)).toThrow(/\[0, 100\]/);
  });

  it('itmlPercentileBounds on a prior-free toy problem', () => {
    // pairs at squared distances 1, 4, 9, 16, 25 on a line
    const Xl: FeatureMatrix = asFeatureMatrix({ rows: 6, cols: 1, data: new Float64Array([0, 1, 2, 3, 4, 5]) });
    const i = new Int32Array([0, 0, 0, 0, 0]);
    const j = new Int32Array([1, 2, 3, 4, 5]);
    const b = itmlPercentileBounds(Xl, i, j, null, 25, 75);
    expect(b).toEqual({ lower: 4, upper: 16 });
    const scaled = itmlPercentileBounds(Xl, i, j, { rows: 1, cols: 1, data: new Float64Array([2]) } as SpdMatrix, 25, 75);
    expect(scaled).toEqual({ lower: 8, upper: 32 });
  });
});
