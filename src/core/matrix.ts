/** Constructors and checks for the branded matrix types (see types.ts). */
import type { FeatureMatrix, Matrix, SpdMatrix } from './types';

export function zeros(rows: number, cols: number): Matrix {
  return { rows, cols, data: new Float64Array(rows * cols) };
}

export function identity(d: number): SpdMatrix {
  const data = new Float64Array(d * d);
  for (let i = 0; i < d; i++) data[i * d + i] = 1;
  return { rows: d, cols: d, data } as SpdMatrix;
}

export function fromRows(rows: readonly (readonly number[])[]): Matrix {
  const r = rows.length;
  const c = r ? rows[0].length : 0;
  const data = new Float64Array(r * c);
  rows.forEach((row, i) => {
    if (row.length !== c) throw new Error(`row ${i} has ${row.length} values, expected ${c}`);
    data.set(row, i * c);
  });
  return { rows: r, cols: c, data };
}

/** Brand a matrix as features after checking every value is finite. */
export function asFeatureMatrix(m: Matrix): FeatureMatrix {
  if (m.data.length !== m.rows * m.cols) throw new Error(`feature matrix: ${m.data.length} values for ${m.rows}×${m.cols}`);
  for (let k = 0; k < m.data.length; k++) {
    if (!Number.isFinite(m.data[k])) {
      throw new Error(`feature matrix: non-finite value at row ${Math.floor(k / m.cols)}, column ${k % m.cols}`);
    }
  }
  return m as FeatureMatrix;
}

/** True when `data` (row-major, d × d) is the identity, each entry within `tol` (0: exactly). */
export function isIdentityData(data: ArrayLike<number>, d: number, tol = 0): boolean {
  if (data.length !== d * d) return false;
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) if (Math.abs(data[i * d + j] - (i === j ? 1 : 0)) > tol) return false;
  return true;
}

/**
 * Brand a square matrix as a metric after checking it is finite and symmetric (to a relative
 * tolerance); it is symmetrised exactly. Positive (semi)definiteness is checked by
 * `linalg.isPositiveDefinite` where it matters (priors), not on every construction.
 */
export function asSpd(m: Matrix, tol = 1e-8): SpdMatrix {
  const d = m.rows;
  if (m.cols !== d) throw new Error(`metric must be square, got ${m.rows}×${m.cols}`);
  const a = m.data;
  let scale = 0;
  for (let k = 0; k < a.length; k++) {
    if (!Number.isFinite(a[k])) throw new Error(`metric has a non-finite value at (${Math.floor(k / d)}, ${k % d})`);
    scale = Math.max(scale, Math.abs(a[k]));
  }
  const out = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    out[i * d + i] = a[i * d + i];
    for (let j = i + 1; j < d; j++) {
      const x = a[i * d + j];
      const y = a[j * d + i];
      if (Math.abs(x - y) > tol * Math.max(1, scale)) throw new Error(`metric is not symmetric at (${i}, ${j}): ${x} vs ${y}`);
      const s = 0.5 * (x + y);
      out[i * d + j] = s;
      out[j * d + i] = s;
    }
  }
  return { rows: d, cols: d, data: out } as SpdMatrix;
}

/**
 * Squared Mahalanobis distance (x_i − x_j)ᵀ W (x_i − x_j) between rows i and j of X; W = identity when null
 * (the same bits as the identity matrix, in O(d)). The one squared-Mahalanobis of the float64 code.
 */
export function mahalanobis(X: Matrix, W: Matrix | null, i: number, j: number, buf?: Float64Array): number {
  const d = X.cols;
  const x = X.data;
  const v = buf && buf.length >= d ? buf : new Float64Array(d);
  const oi = i * d;
  const oj = j * d;
  for (let k = 0; k < d; k++) v[k] = x[oi + k] - x[oj + k];
  let s = 0;
  if (!W) {
    for (let k = 0; k < d; k++) s += v[k] * v[k];
    return s;
  }
  const w = W.data;
  for (let r = 0; r < d; r++) {
    const row = r * d;
    let t = 0;
    for (let c = 0; c < d; c++) t += w[row + c] * v[c];
    s += v[r] * t;
  }
  return s;
}
