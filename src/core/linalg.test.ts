import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  cholesky,
  conditionNumber,
  inverseSpd,
  isPositiveDefinite,
  logDet,
  logDetDivergence,
  matmul,
  projectPsd,
  symEig,
  transpose,
  unwhitenMetric,
  whitenFeatures,
  whitenMetric,
  whiteningFromPrior,
} from './linalg';
import { asFeatureMatrix, fromRows, identity, mahalanobis } from './matrix';
import { createRng, type Rng } from './rng';
import type { Matrix, SpdMatrix } from './types';

function maxAbsDiff(a: Matrix, b: Matrix): number {
  expect(a.rows).toBe(b.rows);
  expect(a.cols).toBe(b.cols);
  let m = 0;
  for (let k = 0; k < a.data.length; k++) m = Math.max(m, Math.abs(a.data[k] - b.data[k]));
  return m;
}

function randn(rng: Rng, rows: number, cols: number): Matrix {
  const data = new Float64Array(rows * cols);
  for (let k = 0; k < data.length; k++) data[k] = rng.normal();
  return { rows, cols, data };
}

/** Q diag(lam) Qᵀ with a random orthogonal Q (Gram–Schmidt of a Gaussian matrix). */
function spdWithSpectrum(rng: Rng, lam: number[]): { A: SpdMatrix; Q: Matrix } {
  const d = lam.length;
  const G = randn(rng, d, d).data;
  const Q = new Float64Array(d * d); // columns orthonormal
  for (let j = 0; j < d; j++) {
    for (let i = 0; i < d; i++) Q[i * d + j] = G[i * d + j];
    for (let p = 0; p < j; p++) {
      let dot = 0;
      for (let i = 0; i < d; i++) dot += Q[i * d + p] * Q[i * d + j];
      for (let i = 0; i < d; i++) Q[i * d + j] -= dot * Q[i * d + p];
    }
    let nrm = 0;
    for (let i = 0; i < d; i++) nrm += Q[i * d + j] ** 2;
    nrm = Math.sqrt(nrm);
    for (let i = 0; i < d; i++) Q[i * d + j] /= nrm;
  }
  const A = new Float64Array(d * d);
  for (let i = 0; i < d; i++)
    for (let j = 0; j < d; j++) {
      let s = 0;
      for (let k = 0; k < d; k++) s += Q[i * d + k] * lam[k] * Q[j * d + k];
      A[i * d + j] = s;
    }
  for (let i = 0; i < d; i++) for (let j = 0; j < i; j++) A[i * d + j] = A[j * d + i];
  return { A: { rows: d, cols: d, data: A } as SpdMatrix, Q: { rows: d, cols: d, data: Q } };
}

/** G Gᵀ + eps I: a random SPD matrix. */
function randomSpd(rng: Rng, d: number, eps = 0.1): SpdMatrix {
  const G = randn(rng, d, d);
  const A = matmul(G, transpose(G));
  for (let i = 0; i < d; i++) A.data[i * d + i] += eps;
  for (let i = 0; i < d; i++) for (let j = 0; j < i; j++) A.data[i * d + j] = A.data[j * d + i];
  return A as SpdMatrix;
}

function randomSymmetric(rng: Rng, d: number): Matrix {
  const A = randn(rng, d, d);
  for (let i = 0; i < d; i++) for (let j = 0; j < i; j++) A.data[i * d + j] = A.data[j * d + i];
  return A;
}

function reconstructFromEig(values: Float64Array, V: Matrix): Matrix {
  const d = values.length;
  const out = new Float64Array(d * d);
  for (let i = 0; i < d; i++)
    for (let j = 0; j < d; j++) {
      let s = 0;
      for (let k = 0; k < d; k++) s += V.data[i * d + k] * values[k] * V.data[j * d + k];
      out[i * d + j] = s;
    }
  return { rows: d, cols: d, data: out };
}

function orthogonalityError(V: Matrix): number {
  const VtV = matmul(transpose(V), V);
  return maxAbsDiff(VtV, identity(V.rows));
}

describe('symEig', () => {
  it('finds hand-computed eigenpairs of a 2×2 and a 3×3 matrix', () => {
    // [[2,1],[1,2]]: λ = 1 (1,−1)/√2, λ = 3 (1,1)/√2
    const { values, vectors } = symEig(
      fromRows([
        [2, 1],
        [1, 2],
      ]),
    );
    expect(values[0]).toBeCloseTo(1, 14);
    expect(values[1]).toBeCloseTo(3, 14);
    const v0 = [vectors.data[0], vectors.data[2]];
    const v1 = [vectors.data[1], vectors.data[3]];
    expect(Math.abs(v0[0])).toBeCloseTo(Math.SQRT1_2, 14);
    expect(v0[0] * v0[1]).toBeCloseTo(-0.5, 14); // opposite signs
    expect(v1[0] * v1[1]).toBeCloseTo(0.5, 14); // same sign

    // tridiagonal [[2,−1,0],[−1,2,−1],[0,−1,2]]: λ = 2 − √2, 2, 2 + √2
    const t = symEig(
      fromRows([
        [2, -1, 0],
        [-1, 2, -1],
        [0, -1, 2],
      ]),
    );
    expect(Array.from(t.values)).toEqual([expect.closeTo(2 - Math.SQRT2, 14), expect.closeTo(2, 14), expect.closeTo(2 + Math.SQRT2, 14)]);
    // eigenvector of 2 is (1, 0, −1)/√2
    const mid = [t.vectors.data[1], t.vectors.data[4], t.vectors.data[7]];
    expect(Math.abs(mid[0])).toBeCloseTo(Math.SQRT1_2, 14);
    expect(mid[1]).toBeCloseTo(0, 14);
    expect(mid[0] + mid[2]).toBeCloseTo(0, 14);
  });

  it('handles diagonal, 1×1, empty and repeated-eigenvalue matrices', () => {
    const diag = symEig(
      fromRows([
        [3, 0, 0],
        [0, -1, 0],
        [0, 0, 2],
      ]),
    );
    expect(Array.from(diag.values)).toEqual([-1, 2, 3]);
    expect(orthogonalityError(diag.vectors)).toBeLessThan(1e-15);
    expect(Array.from(symEig(fromRows([[5]])).values)).toEqual([5]);
    expect(symEig({ rows: 0, cols: 0, data: new Float64Array(0) }).values.length).toBe(0);
    const I = symEig(identity(6));
    for (const v of I.values) expect(v).toBe(1);
    expect(orthogonalityError(I.vectors)).toBeLessThan(1e-15);
    // spectrum with multiplicity: 1, 1, 1, 4, 4
    const { A } = spdWithSpectrum(createRng('rep'), [1, 4, 1, 4, 1]);
    const r = symEig(A);
    const vals = Array.from(r.values);
    [1, 1, 1, 4, 4].forEach((x, k) => expect(vals[k]).toBeCloseTo(x, 12));
    expect(maxAbsDiff(reconstructFromEig(r.values, r.vectors), A)).toBeLessThan(1e-12);
    expect(orthogonalityError(r.vectors)).toBeLessThan(1e-12);
  });

  it('recovers a known spectrum and reconstructs random symmetric matrices to 1e-10 (d up to 120)', () => {
    const rng = createRng('eig');
    const lam = [0.001, 0.5, 1, 2, 3.25, 7, 10, 100];
    const { A, Q } = spdWithSpectrum(rng, lam);
    const r = symEig(A);
    lam.forEach((x, k) => expect(Math.abs(r.values[k] - x)).toBeLessThan(1e-12 * 100));
    // each eigenvector matches the generating column up to sign
    for (let k = 0; k < lam.length; k++) {
      let dot = 0;
      for (let i = 0; i < lam.length; i++) dot += r.vectors.data[i * lam.length + k] * Q.data[i * lam.length + k];
      expect(Math.abs(dot)).toBeCloseTo(1, 10);
    }
    for (const d of [2, 5, 17, 64, 120]) {
      const S = randomSymmetric(rng, d);
      const e = symEig(S);
      for (let k = 1; k < d; k++) expect(e.values[k]).toBeGreaterThanOrEqual(e.values[k - 1]);
      expect(maxAbsDiff(reconstructFromEig(e.values, e.vectors), S)).toBeLessThan(1e-10);
      expect(orthogonalityError(e.vectors)).toBeLessThan(1e-10);
    }
  });

  it('descending order reverses values and vector columns', () => {
    const S = randomSymmetric(createRng('desc'), 7);
    const a = symEig(S);
    const d = symEig(S, 'descending');
    for (let k = 0; k < 7; k++) {
      expect(d.values[k]).toBe(a.values[6 - k]);
      for (let i = 0; i < 7; i++) expect(d.vectors.data[i * 7 + k]).toBe(a.vectors.data[i * 7 + 6 - k]);
    }
  });

  it('property: A V = V Λ for random symmetric matrices', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.integer(), (d, seed) => {
        const S = randomSymmetric(createRng(seed), d);
        const { values, vectors } = symEig(S);
        const AV = matmul(S, vectors);
        for (let i = 0; i < d; i++)
          for (let k = 0; k < d; k++) {
            if (Math.abs(AV.data[i * d + k] - vectors.data[i * d + k] * values[k]) > 1e-11) return false;
          }
        return orthogonalityError(vectors) < 1e-12;
      }),
      { numRuns: 200 },
    );
  });

  it('rejects non-square and non-finite input', () => {
    expect(() => symEig({ rows: 2, cols: 3, data: new Float64Array(6) })).toThrow(/square, got 2×3/);
    expect(() =>
      symEig(
        fromRows([
          [1, NaN],
          [NaN, 1],
        ]),
      ),
    ).toThrow(/non-finite value at \(0, 1\)/);
  });
});

describe('cholesky, logDet, isPositiveDefinite', () => {
  it('factors a known matrix', () => {
    // A = L Lᵀ with L = [[2,0,0],[6,1,0],[-8,5,3]]
    const A = fromRows([
      [4, 12, -16],
      [12, 37, -43],
      [-16, -43, 98],
    ]);
    const L = cholesky(A);
    expect(Array.from(L.data)).toEqual([2, 0, 0, 6, 1, 0, -8, 5, 3]);
    expect(logDet(A)).toBeCloseTo(2 * Math.log(2 * 1 * 3), 14);
  });

  it('throws a clear error when not positive definite', () => {
    expect(() =>
      cholesky(
        fromRows([
          [1, 2],
          [2, 1],
        ]),
      ),
    ).toThrow(/not positive definite: pivot 1 is -3/);
    expect(() =>
      cholesky(
        fromRows([
          [0, 0],
          [0, 1],
        ]),
      ),
    ).toThrow(/pivot 0/);
    expect(() => logDet(fromRows([[-1]]))).toThrow(/not positive definite/);
    expect(() => cholesky({ rows: 1, cols: 2, data: new Float64Array(2) })).toThrow(/square/);
  });

  it('logDet equals the sum of log eigenvalues for random SPD matrices', () => {
    const rng = createRng('logdet');
    for (const d of [1, 3, 10, 40]) {
      const A = randomSpd(rng, d);
      const { values } = symEig(A);
      let s = 0;
      for (const v of values) s += Math.log(v);
      expect(Math.abs(logDet(A) - s)).toBeLessThan(1e-9 * Math.max(1, Math.abs(s)));
      const L = cholesky(A);
      expect(maxAbsDiff(matmul(L, transpose(L)), A)).toBeLessThan(1e-10);
    }
  });

  it('isPositiveDefinite', () => {
    expect(isPositiveDefinite(identity(4))).toBe(true);
    expect(
      isPositiveDefinite(
        fromRows([
          [1, 2],
          [2, 1],
        ]),
      ),
    ).toBe(false);
    expect(
      isPositiveDefinite(
        fromRows([
          [1, 0],
          [0, 0],
        ]),
      ),
    ).toBe(false); // PSD, singular
    expect(
      isPositiveDefinite(
        fromRows([
          [2, 1],
          [0, 2],
        ]),
      ),
    ).toBe(false); // not symmetric
    expect(isPositiveDefinite(fromRows([[1, 0, 0]]))).toBe(false);
    expect(isPositiveDefinite(fromRows([[Infinity]]))).toBe(false);
    expect(isPositiveDefinite(randomSpd(createRng('pd'), 12))).toBe(true);
  });
});

describe('projectPsd, conditionNumber, inverseSpd, logDetDivergence', () => {
  it('clips negative eigenvalues and keeps the eigenvectors', () => {
    const rng = createRng('psd');
    const { A, Q } = spdWithSpectrum(rng, [-2, -0.5, 1, 3]);
    const P = projectPsd(A);
    const e = symEig(P);
    [0, 0, 1, 3].forEach((x, k) => expect(e.values[k]).toBeCloseTo(x, 12));
    // P = Σ_{λ>0} λ q qᵀ
    const expected = reconstructFromEig(new Float64Array([0, 0, 1, 3]), Q);
    expect(maxAbsDiff(P, expected)).toBeLessThan(1e-12);
    const P1 = projectPsd(A, 0.25);
    expect(symEig(P1).values[0]).toBeCloseTo(0.25, 12);
    expect(isPositiveDefinite(P1)).toBe(true);
    // an SPD input comes back unchanged (up to symmetrisation)
    const S = randomSpd(rng, 5);
    expect(maxAbsDiff(projectPsd(S), S)).toBe(0);
    expect(() => projectPsd(S, -1)).toThrow(/minEig/);
  });

  it('condition number', () => {
    const { A } = spdWithSpectrum(createRng('cond'), [0.5, 2, 50]);
    expect(conditionNumber(A)).toBeCloseTo(100, 9);
    expect(conditionNumber(identity(3))).toBe(1);
    expect(
      conditionNumber(
        fromRows([
          [1, 0],
          [0, 0],
        ]),
      ),
    ).toBe(Infinity);
    expect(
      conditionNumber(
        fromRows([
          [-4, 0],
          [0, 2],
        ]),
      ),
    ).toBe(2);
  });

  it('inverseSpd gives A A⁻¹ = I', () => {
    const rng = createRng('inv');
    for (const d of [1, 4, 25]) {
      const A = randomSpd(rng, d, 1);
      const Ai = inverseSpd(A);
      expect(maxAbsDiff(matmul(A, Ai), identity(d))).toBeLessThan(1e-10);
      for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) expect(Ai.data[i * d + j]).toBe(Ai.data[j * d + i]);
    }
    expect(() =>
      inverseSpd(
        fromRows([
          [1, 2],
          [2, 1],
        ]),
      ),
    ).toThrow(/not positive definite/);
  });

  it('logDetDivergence: 0 at W = Wp, closed form for diagonal matrices, positive otherwise', () => {
    const rng = createRng('dld');
    const W = randomSpd(rng, 6);
    expect(Math.abs(logDetDivergence(W, W))).toBeLessThan(1e-10);
    // diagonal: Σ (w/p − log(w/p) − 1)
    const w = [1, 2, 0.5];
    const p = [2, 2, 4];
    const expected = w.reduce((s, x, k) => s + x / p[k] - Math.log(x / p[k]) - 1, 0);
    const Wd = fromRows([
      [1, 0, 0],
      [0, 2, 0],
      [0, 0, 0.5],
    ]);
    const Pd = fromRows([
      [2, 0, 0],
      [0, 2, 0],
      [0, 0, 4],
    ]);
    expect(logDetDivergence(Wd, Pd)).toBeCloseTo(expected, 13);
    expect(logDetDivergence(W, identity(6))).toBeGreaterThan(0);
    // invariance under congruence: D(B W Bᵀ, B P Bᵀ) = D(W, P)
    const P = randomSpd(rng, 6);
    const B = randn(rng, 6, 6);
    const cong = (M: Matrix) => matmul(matmul(B, M), transpose(B));
    expect(logDetDivergence(cong(W), cong(P))).toBeCloseTo(logDetDivergence(W, P), 7);
    expect(() =>
      logDetDivergence(
        fromRows([
          [1, 2],
          [2, 1],
        ]),
        identity(2),
      ),
    ).toThrow(/W is not positive definite/);
    expect(() =>
      logDetDivergence(
        identity(2),
        fromRows([
          [1, 2],
          [2, 1],
        ]),
      ),
    ).toThrow(/prior Wp is not positive definite/);
    expect(() => logDetDivergence(identity(2), identity(3))).toThrow(/2×2 but Wp is 3×3/);
  });
});

describe('whitening by the prior', () => {
  it('Wp = L Lᵀ, Linv L = I, and the prior whitens to I', () => {
    const Wp = randomSpd(createRng('white'), 8);
    const { L, Linv } = whiteningFromPrior(Wp);
    expect(maxAbsDiff(matmul(L, transpose(L)), Wp)).toBeLessThan(1e-10);
    expect(maxAbsDiff(matmul(Linv, L), identity(8))).toBeLessThan(1e-10);
    expect(maxAbsDiff(whitenMetric(Wp, Linv), identity(8))).toBeLessThan(1e-10);
    expect(() =>
      whiteningFromPrior(
        fromRows([
          [1, 2],
          [2, 1],
        ]) as SpdMatrix,
      ),
    ).toThrow(/prior is not positive definite/);
  });

  it('round trip: d_W(x, y) = d_W̃(Lᵀx, Lᵀy) with W = L W̃ Lᵀ, and whitenMetric inverts unwhitenMetric', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9 }), fc.integer(), (d, seed) => {
        const rng = createRng(seed);
        const Wp = randomSpd(rng, d, 0.5);
        const Wt = randomSpd(rng, d, 0.5);
        const X = asFeatureMatrix(randn(rng, 12, d));
        const { L, Linv } = whiteningFromPrior(Wp);
        const Xt = whitenFeatures(X, L);
        const W = unwhitenMetric(Wt, L);
        for (let i = 0; i < 12; i++) {
          for (let j = i + 1; j < 12; j++) {
            const a = mahalanobis(X, W, i, j);
            const b = mahalanobis(Xt, Wt, i, j);
            if (Math.abs(a - b) > 1e-9 * Math.max(1, Math.abs(a))) return false;
            // the prior distance is the whitened Euclidean one
            const p = mahalanobis(X, Wp, i, j);
            const e = mahalanobis(Xt, identity(d), i, j);
            if (Math.abs(p - e) > 1e-9 * Math.max(1, p)) return false;
          }
        }
        return maxAbsDiff(whitenMetric(W, Linv), Wt) < 1e-8 * Math.max(1, Math.max(...Wt.data));
      }),
      { numRuns: 100 },
    );
  });

  it('checks shapes', () => {
    const { L } = whiteningFromPrior(identity(3));
    expect(() => whitenFeatures(asFeatureMatrix(fromRows([[1, 2]])), L)).toThrow(/X has 2 columns but L is 3×3/);
    expect(() => unwhitenMetric(identity(2), L)).toThrow(/metric is 2×2 but the factor is 3×3/);
  });
});

describe('symEig at PCA size', () => {
  it('decomposes a 300×300 covariance in well under a few seconds with 1e-10 accuracy', () => {
    const rng = createRng('pca');
    const d = 300;
    const Xf = randn(rng, 400, d);
    const C = matmul(transpose(Xf), Xf);
    for (let i = 0; i < d; i++) for (let j = 0; j < i; j++) C.data[i * d + j] = C.data[j * d + i];
    const t0 = performance.now();
    const { values, vectors } = symEig(C);
    const ms = performance.now() - t0;
    expect(ms).toBeLessThan(5000);
    let scale = 0;
    for (const x of C.data) scale = Math.max(scale, Math.abs(x));
    expect(maxAbsDiff(reconstructFromEig(values, vectors), C) / scale).toBeLessThan(1e-12);
    expect(values[0]).toBeGreaterThan(0);
  });
});
