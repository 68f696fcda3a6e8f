/**
 * Dense float64 linear algebra for small symmetric matrices (d up to ~1000): symmetric
 * eigendecomposition, Cholesky, log-determinant, PSD projection, inverse, LogDet divergence and the
 * prior whitening used by ITML. Matrices are row-major `Matrix` values (see types.ts); nothing here
 * mutates its inputs.
 *
 * Symmetric routines read the full matrix unless stated otherwise; they do not check symmetry
 * (use `matrix.asSpd` for that) except `isPositiveDefinite`, which does.
 */
import { asFeatureMatrix } from './matrix';
import type { FeatureMatrix, Matrix, SpdMatrix } from './types';

function assertSquare(A: Matrix, where: string): number {
  if (A.rows !== A.cols) throw new Error(`${where}: matrix must be square, got ${A.rows}×${A.cols}`);
  if (A.data.length !== A.rows * A.cols) throw new Error(`${where}: ${A.data.length} values for ${A.rows}×${A.cols}`);
  return A.rows;
}

/** sqrt(a² + b²) without destructive under/overflow (faster than Math.hypot in V8). */
function hypot(a: number, b: number): number {
  const x = Math.abs(a);
  const y = Math.abs(b);
  if (x > y) {
    const r = y / x;
    return x * Math.sqrt(1 + r * r);
  }
  if (y !== 0) {
    const r = x / y;
    return y * Math.sqrt(1 + r * r);
  }
  return 0;
}

export function transpose(A: Matrix): Matrix {
  const { rows, cols } = A;
  const a = A.data;
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    const ri = i * cols;
    for (let j = 0; j < cols; j++) out[j * rows + i] = a[ri + j];
  }
  return { rows: cols, cols: rows, data: out };
}

/** C = A B (i-k-j loop order: the inner loop streams rows of B and C). */
export function matmul(A: Matrix, B: Matrix): Matrix {
  if (A.cols !== B.rows) throw new Error(`matmul: inner dimensions differ (${A.rows}×${A.cols} times ${B.rows}×${B.cols})`);
  const n = A.rows;
  const m = A.cols;
  const p = B.cols;
  const a = A.data;
  const b = B.data;
  const c = new Float64Array(n * p);
  for (let i = 0; i < n; i++) {
    const ci = i * p;
    const ai = i * m;
    for (let k = 0; k < m; k++) {
      const aik = a[ai + k];
      if (aik === 0) continue;
      const bk = k * p;
      for (let j = 0; j < p; j++) c[ci + j] += aik * b[bk + j];
    }
  }
  return { rows: n, cols: p, data: c };
}

/**
 * Eigendecomposition of a real symmetric matrix A = V diag(values) Vᵀ, O(d³): Householder
 * tridiagonalisation followed by the implicit QL algorithm (tred2 / tql2 of EISPACK, as in JAMA).
 * The full matrix is read (pass a symmetric one; asymmetry is not detected).
 *
 * `values` are sorted ASCENDING by default (`order = 'descending'` reverses); `vectors` holds the
 * orthonormal eigenvectors as COLUMNS in the same order: vector k is vectors.data[i * d + k], i = 0..d-1.
 * Throws if A is not square, has non-finite entries, or the QL iteration fails to converge.
 */
export function symEig(A: Matrix, order: 'ascending' | 'descending' = 'ascending'): { values: Float64Array; vectors: Matrix } {
  const n = assertSquare(A, 'symEig');
  for (let k = 0; k < A.data.length; k++) {
    if (!Number.isFinite(A.data[k])) throw new Error(`symEig: non-finite value at (${Math.floor(k / n)}, ${k % n})`);
  }
  if (n === 0) return { values: new Float64Array(0), vectors: { rows: 0, cols: 0, data: new Float64Array(0) } };
  // Z: the eigenvector basis stored one vector per ROW (the transpose of the usual V), so that the
  // Householder accumulation and the QL rotations stream contiguous memory. A symmetric: Aᵀ = A.
  const Z = new Float64Array(A.data);
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  tred2(n, Z, d, e);
  tql2(n, Z, d, e);
  // sort ascending (selection sort on values, swapping rows of Z)
  for (let i = 0; i < n - 1; i++) {
    let k = i;
    let p = d[i];
    for (let j = i + 1; j < n; j++) {
      if (d[j] < p) {
        k = j;
        p = d[j];
      }
    }
    if (k !== i) {
      d[k] = d[i];
      d[i] = p;
      const ri = i * n;
      const rk = k * n;
      for (let j = 0; j < n; j++) {
        const t = Z[ri + j];
        Z[ri + j] = Z[rk + j];
        Z[rk + j] = t;
      }
    }
  }
  const values = new Float64Array(n);
  const vec = new Float64Array(n * n);
  for (let k = 0; k < n; k++) {
    const src = order === 'ascending' ? k : n - 1 - k;
    values[k] = d[src];
    const rs = src * n;
    for (let i = 0; i < n; i++) vec[i * n + k] = Z[rs + i];
  }
  return { values, vectors: { rows: n, cols: n, data: vec } };
}

/**
 * Householder reduction to tridiagonal form (d = diagonal, e = sub-diagonal in e[1..n-1]) of the
 * symmetric matrix held in T, which is overwritten by the accumulated orthogonal transform Q
 * (A = Q tridiag Qᵀ). EISPACK tred2 as in JAMA, but with JAMA's V stored TRANSPOSED (V[r][c] = T[c·n + r]):
 * every inner loop of the column-oriented original then runs along a contiguous row of T, and T is
 * directly the row-per-vector layout that tql2 wants.
 */
function tred2(n: number, T: Float64Array, d: Float64Array, e: Float64Array): void {
  const n1 = n - 1;
  for (let j = 0; j < n; j++) d[j] = T[j * n + n1];
  for (let i = n - 1; i > 0; i--) {
    let scale = 0;
    let h = 0;
    for (let k = 0; k < i; k++) scale += Math.abs(d[k]);
    const ri = i * n;
    if (scale === 0) {
      e[i] = d[i - 1];
      for (let j = 0; j < i; j++) {
        const rj = j * n;
        d[j] = T[rj + i - 1];
        T[rj + i] = 0;
        T[ri + j] = 0;
      }
    } else {
      for (let k = 0; k < i; k++) {
        d[k] /= scale;
        h += d[k] * d[k];
      }
      let f = d[i - 1];
      let g = Math.sqrt(h);
      if (f > 0) g = -g;
      e[i] = scale * g;
      h -= f * g;
      d[i - 1] = f - g;
      for (let j = 0; j < i; j++) e[j] = 0;
      for (let j = 0; j < i; j++) {
        const rj = j * n;
        f = d[j];
        T[ri + j] = f;
        g = e[j] + T[rj + j] * f;
        for (let k = j + 1; k <= i - 1; k++) {
          const vkj = T[rj + k];
          g += vkj * d[k];
          e[k] += vkj * f;
        }
        e[j] = g;
      }
      f = 0;
      for (let j = 0; j < i; j++) {
        e[j] /= h;
        f += e[j] * d[j];
      }
      const hh = f / (h + h);
      for (let j = 0; j < i; j++) e[j] -= hh * d[j];
      for (let j = 0; j < i; j++) {
        const rj = j * n;
        f = d[j];
        g = e[j];
        for (let k = j; k <= i - 1; k++) T[rj + k] -= f * e[k] + g * d[k];
        d[j] = T[rj + i - 1];
        T[rj + i] = 0;
      }
    }
    d[i] = h;
  }
  // accumulate transformations
  for (let i = 0; i < n - 1; i++) {
    const ri = i * n;
    const ri1 = ri + n; // row i + 1 of T = column i + 1 of V
    T[ri + n1] = T[ri + i];
    T[ri + i] = 1;
    const h = d[i + 1];
    if (h !== 0) {
      for (let k = 0; k <= i; k++) d[k] = T[ri1 + k] / h;
      for (let j = 0; j <= i; j++) {
        const rj = j * n;
        let g = 0;
        for (let k = 0; k <= i; k++) g += T[ri1 + k] * T[rj + k];
        for (let k = 0; k <= i; k++) T[rj + k] -= g * d[k];
      }
    }
    for (let k = 0; k <= i; k++) T[ri1 + k] = 0;
  }
  for (let j = 0; j < n; j++) {
    d[j] = T[j * n + n1];
    T[j * n + n1] = 0;
  }
  T[n1 * n + n1] = 1;
  e[0] = 0;
}

/** Implicit QL on tridiagonal (d, e); Z holds the eigenvector basis transposed (row k = vector k). */
function tql2(n: number, Z: Float64Array, d: Float64Array, e: Float64Array): void {
  for (let i = 1; i < n; i++) e[i - 1] = e[i];
  e[n - 1] = 0;
  let f = 0;
  let tst1 = 0;
  const eps = 2 ** -52;
  const maxIter = 60;
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(d[l]) + Math.abs(e[l]));
    let m = l;
    while (m < n) {
      if (Math.abs(e[m]) <= eps * tst1) break;
      m++;
    }
    if (m > l) {
      let iter = 0;
      do {
        if (++iter > maxIter) throw new Error(`symEig: QL iteration did not converge for eigenvalue ${l} after ${maxIter} iterations`);
        let g = d[l];
        let p = (d[l + 1] - g) / (2 * e[l]);
        let r = hypot(p, 1);
        if (p < 0) r = -r;
        d[l] = e[l] / (p + r);
        d[l + 1] = e[l] * (p + r);
        const dl1 = d[l + 1];
        let h = g - d[l];
        for (let i = l + 2; i < n; i++) d[i] -= h;
        f += h;
        p = d[m];
        let c = 1;
        let c2 = c;
        let c3 = c;
        const el1 = e[l + 1];
        let s = 0;
        let s2 = 0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * e[i];
          h = c * p;
          r = hypot(p, e[i]);
          e[i + 1] = s * r;
          s = e[i] / r;
          c = p / r;
          p = c * d[i] - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]);
          // rotate vectors i and i+1 (rows of Z)
          const ri = i * n;
          const ri1 = ri + n;
          for (let k = 0; k < n; k++) {
            const zh = Z[ri1 + k];
            const zi = Z[ri + k];
            Z[ri1 + k] = s * zi + c * zh;
            Z[ri + k] = c * zi - s * zh;
          }
        }
        p = (-s * s2 * c3 * el1 * e[l]) / dl1;
        e[l] = s * p;
        d[l] = c * p;
      } while (Math.abs(e[l]) > eps * tst1);
    }
    d[l] += f;
    e[l] = 0;
  }
}

/**
 * In-place Cholesky of the leading n×n block of `a` (row stride `ld`): its lower triangle becomes L with
 * A = L Lᵀ (the upper triangle is not read or written). Returns -1, or the index of the pivot that was not
 * positive (its value is left in a[j·ld + j]). The one Cholesky of the project: `cholesky`, the SVM's
 * Newton steps and the GPU's whitening all use it.
 */
export function choleskyInPlace(a: Float64Array, n: number, ld: number): number {
  for (let j = 0; j < n; j++) {
    let s = a[j * ld + j];
    for (let k = 0; k < j; k++) s -= a[j * ld + k] * a[j * ld + k];
    if (!(s > 0) || !Number.isFinite(s)) {
      a[j * ld + j] = s;
      return j;
    }
    const l = Math.sqrt(s);
    a[j * ld + j] = l;
    for (let i = j + 1; i < n; i++) {
      let t = a[i * ld + j];
      for (let k = 0; k < j; k++) t -= a[i * ld + k] * a[j * ld + k];
      a[i * ld + j] = t / l;
    }
  }
  return -1;
}

/** Solves L Lᵀ x = b in place (b ← x) with a factor from `choleskyInPlace`. */
export function choleskySolveInPlace(l: Float64Array, n: number, ld: number, b: Float64Array): void {
  for (let i = 0; i < n; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= l[i * ld + k] * b[k];
    b[i] = s / l[i * ld + i];
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i];
    for (let k = i + 1; k < n; k++) s -= l[k * ld + i] * b[k];
    b[i] = s / l[i * ld + i];
  }
}

/**
 * Cholesky factor: lower-triangular L with A = L Lᵀ (upper triangle of the result is 0). Reads the
 * lower triangle of A. Throws if A is not square or not (numerically) positive definite, naming the
 * pivot that failed.
 */
export function cholesky(A: Matrix): Matrix {
  const n = assertSquare(A, 'cholesky');
  const L = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) L[i * n + j] = A.data[i * n + j];
  const bad = choleskyInPlace(L, n, n);
  if (bad >= 0) {
    throw new Error(`cholesky: matrix (${n}×${n}) is not positive definite: pivot ${bad} is ${L[bad * n + bad]} (diagonal entry ${A.data[bad * n + bad]})`);
  }
  return { rows: n, cols: n, data: L };
}

/** log det A via Cholesky (2 Σ log L_kk); throws if A is not positive definite. */
export function logDet(A: Matrix): number {
  const L = cholesky(A);
  const n = L.rows;
  let s = 0;
  for (let k = 0; k < n; k++) s += Math.log(L.data[k * n + k]);
  return 2 * s;
}

/**
 * True when A is square, finite, symmetric (relative tolerance `symTol` of the largest entry) and
 * its Cholesky factorisation succeeds (all pivots > 0).
 */
export function isPositiveDefinite(A: Matrix, symTol = 1e-8): boolean {
  if (A.rows !== A.cols || A.data.length !== A.rows * A.cols) return false;
  const n = A.rows;
  const a = A.data;
  let scale = 0;
  for (let k = 0; k < a.length; k++) {
    if (!Number.isFinite(a[k])) return false;
    scale = Math.max(scale, Math.abs(a[k]));
  }
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) if (Math.abs(a[i * n + j] - a[j * n + i]) > symTol * Math.max(1, scale)) return false;
  }
  try {
    cholesky(A);
    return true;
  } catch {
    return false;
  }
}

/** V diag(lam) Vᵀ, exactly symmetric. */
function reconstruct(V: Matrix, lam: Float64Array): SpdMatrix {
  const n = V.rows;
  const v = V.data;
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    for (let j = i; j < n; j++) {
      const rj = j * n;
      let s = 0;
      for (let k = 0; k < n; k++) s += v[ri + k] * lam[k] * v[rj + k];
      out[ri + j] = s;
      out[rj + i] = s;
    }
  }
  return { rows: n, cols: n, data: out } as SpdMatrix;
}

/**
 * Nearest (Frobenius) symmetric matrix with all eigenvalues ≥ minEig: eigenvalues below minEig are
 * raised to it. A is symmetrised first ((A + Aᵀ)/2). With minEig > 0 the result is positive definite.
 */
export function projectPsd(A: Matrix, minEig = 0): SpdMatrix {
  const n = assertSquare(A, 'projectPsd');
  if (!(minEig >= 0) || !Number.isFinite(minEig)) throw new Error(`projectPsd: minEig must be a finite number ≥ 0, got ${minEig}`);
  const s = new Float64Array(n * n);
  const a = A.data;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) s[i * n + j] = 0.5 * (a[i * n + j] + a[j * n + i]);
  const { values, vectors } = symEig({ rows: n, cols: n, data: s });
  let clipped = false;
  for (let k = 0; k < n; k++) {
    if (values[k] < minEig) {
      values[k] = minEig;
      clipped = true;
    }
  }
  if (!clipped) return { rows: n, cols: n, data: s } as SpdMatrix;
  return reconstruct(vectors, values);
}

/**
 * 2-norm condition number of a symmetric matrix: max |λ| / min |λ| (Infinity when singular, 1 for the
 * empty matrix).
 */
export function conditionNumber(A: Matrix): number {
  assertSquare(A, 'conditionNumber');
  const { values } = symEig(A);
  if (values.length === 0) return 1;
  let lo = Infinity;
  let hi = 0;
  for (let k = 0; k < values.length; k++) {
    const x = Math.abs(values[k]);
    if (x < lo) lo = x;
    if (x > hi) hi = x;
  }
  return lo === 0 ? Infinity : hi / lo;
}

/** Inverse of the lower-triangular L (forward substitution), lower-triangular. */
export function inverseLower(L: Matrix): Matrix {
  const n = assertSquare(L, 'inverseLower');
  const l = L.data;
  const X = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    // column j of L⁻¹: solve L x = e_j; x_i = 0 for i < j
    X[j * n + j] = 1 / l[j * n + j];
    for (let i = j + 1; i < n; i++) {
      const ri = i * n;
      let s = 0;
      for (let k = j; k < i; k++) s -= l[ri + k] * X[k * n + j];
      X[ri + j] = s / l[ri + i];
    }
  }
  return { rows: n, cols: n, data: X };
}

/** Inverse of a symmetric positive definite matrix via Cholesky (A⁻¹ = L⁻ᵀ L⁻¹), exactly symmetric. */
export function inverseSpd(A: Matrix): SpdMatrix {
  const n = assertSquare(A, 'inverseSpd');
  const Li = inverseLower(cholesky(A)).data;
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      // (L⁻ᵀ L⁻¹)_ij = Σ_k Li[k][i] Li[k][j], k ≥ max(i, j) = j
      let s = 0;
      for (let k = j; k < n; k++) s += Li[k * n + i] * Li[k * n + j];
      out[i * n + j] = s;
      out[j * n + i] = s;
    }
  }
  return { rows: n, cols: n, data: out } as SpdMatrix;
}

/**
 * LogDet (Burg) divergence D_ld(W, Wp) = tr(W Wp⁻¹) − log det(W Wp⁻¹) − d. Both must be symmetric
 * positive definite (throws naming which is not).
 */
export function logDetDivergence(W: Matrix, Wp: Matrix): number {
  const n = assertSquare(W, 'logDetDivergence (W)');
  if (Wp.rows !== n || Wp.cols !== n) throw new Error(`logDetDivergence: W is ${n}×${n} but Wp is ${Wp.rows}×${Wp.cols}`);
  let ldW: number;
  let ldP: number;
  let P: SpdMatrix;
  try {
    ldW = logDet(W);
  } catch (e) {
    throw new Error(`logDetDivergence: W is not positive definite (${(e as Error).message})`);
  }
  try {
    ldP = logDet(Wp);
    P = inverseSpd(Wp);
  } catch (e) {
    throw new Error(`logDetDivergence: prior Wp is not positive definite (${(e as Error).message})`);
  }
  // tr(W P) = Σ_ij W_ij P_ji
  let tr = 0;
  const w = W.data;
  const p = P.data;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) tr += w[i * n + j] * p[j * n + i];
  return tr - (ldW - ldP) - n;
}

/**
 * Whitening by the prior: Wp = L Lᵀ (L lower Cholesky factor), so d_Wp(x, y) = ‖Lᵀ(x − y)‖².
 * Features map x ↦ Lᵀx (`whitenFeatures`), the prior becomes I, and a metric W̃ learned in whitened
 * coordinates maps back as W = L W̃ Lᵀ (`unwhitenMetric`); d_W(x, y) = d_W̃(Lᵀx, Lᵀy).
 * `Linv` = L⁻¹ (lower) maps metrics forward: W̃ = L⁻¹ W L⁻ᵀ (`whitenMetric`).
 */
export function whiteningFromPrior(Wp: SpdMatrix): { L: Matrix; Linv: Matrix } {
  let L: Matrix;
  try {
    L = cholesky(Wp);
  } catch (e) {
    throw new Error(`whiteningFromPrior: prior is not positive definite (${(e as Error).message})`);
  }
  return { L, Linv: inverseLower(L) };
}

/** Rows x ↦ Lᵀx, i.e. X̃ = X L (n × d). */
export function whitenFeatures(X: Matrix, L: Matrix): FeatureMatrix {
  if (L.rows !== X.cols || L.cols !== X.cols) throw new Error(`whitenFeatures: X has ${X.cols} columns but L is ${L.rows}×${L.cols}`);
  return asFeatureMatrix(matmul(X, L));
}

/** W = L W̃ Lᵀ (exactly symmetric). */
export function unwhitenMetric(Wt: Matrix, L: Matrix): SpdMatrix {
  return congruence(L, Wt, 'unwhitenMetric');
}

/** W̃ = L⁻¹ W L⁻ᵀ (the inverse of `unwhitenMetric`; pass Linv from `whiteningFromPrior`). */
export function whitenMetric(W: Matrix, Linv: Matrix): SpdMatrix {
  return congruence(Linv, W, 'whitenMetric');
}

/** B M Bᵀ for square B and symmetric M, symmetrised exactly. */
function congruence(B: Matrix, M: Matrix, where: string): SpdMatrix {
  const n = assertSquare(M, where);
  if (B.rows !== n || B.cols !== n) throw new Error(`${where}: metric is ${n}×${n} but the factor is ${B.rows}×${B.cols}`);
  const T = matmul(B, M).data; // B M
  const b = B.data;
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    for (let j = i; j < n; j++) {
      const rj = j * n;
      let s = 0;
      for (let k = 0; k < n; k++) s += T[ri + k] * b[rj + k];
      out[ri + j] = s;
    }
  }
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) out[i * n + j] = out[j * n + i];
  }
  return { rows: n, cols: n, data: out } as SpdMatrix;
}
