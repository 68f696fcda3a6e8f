/**
 * Feature preprocessing (METHOD.md §2): drop zero-variance features, z-score, optional PCA.
 *
 * Order of operations, all fitted on every clip of the feature set (it is unsupervised, so a
 * template W0 and the group models always live in one feature space):
 *  1. **Zero-variance features** are reported by name and dropped first, so standardising never
 *     divides by zero: a column is dropped when it is exactly constant or its population variance
 *     is ≤ `ZERO_VARIANCE_REL` × its mean square (i.e. constant up to rounding).
 *  2. **Standardise** (optional): z = (x − mean) / sd with the *population* standard deviation
 *     (divide by n, not n − 1), so every output column has mean 0 and mean square 1 exactly
 *     (up to rounding). Without standardising the features are passed through raw (no centring).
 *  3. **PCA** to k dimensions (optional): eigen-decomposition of the population covariance
 *     Zᵀ Z / n of the centred (and, if chosen, standardised) features; the output is the centred
 *     data projected on the k leading eigenvectors, named PC1..PCk. Sign convention: each component
 *     is flipped so that its largest-|loading| entry (first such entry on ties) is positive, so the
 *     result does not depend on the eigen-solver's arbitrary signs. The report gives the share of
 *     the total variance (trace of the covariance) the k components explain.
 *
 * The `FittedTransform` records everything needed to show or re-apply the mapping
 * (`applyTransform`).
 */
import { symEig } from './linalg';
import { asFeatureMatrix } from './matrix';
import type { ConstraintSet, FeatureMatrix, FeatureSet, Matrix, PreprocessReport } from './types';

/** A column is "zero variance" when its variance ≤ this × its mean square (or it is exactly constant). */
export const ZERO_VARIANCE_REL = 1e-12;

export interface PreprocessOptions {
  readonly standardise: boolean;
  /** number of principal components to keep (1 ≤ k ≤ kept features and ≤ clips); omit for no PCA */
  readonly pca?: number;
}

/** The fitted mapping from raw feature rows to preprocessed rows. */
export interface FittedTransform {
  /** feature names of the input, in input order */
  readonly inputNames: readonly string[];
  /** input column index of each kept (non-zero-variance) feature */
  readonly kept: Int32Array;
  readonly keptNames: readonly string[];
  /** names of the dropped zero-variance features */
  readonly dropped: readonly string[];
  /** column means of the kept features (always recorded) */
  readonly means: Float64Array;
  /** population standard deviations of the kept features (always recorded, > 0) */
  readonly sds: Float64Array;
  readonly standardised: boolean;
  /**
   * PCA, if asked for: `components` is k × (kept features), row c = unit loading vector of PCc
   * (sign convention: largest-|loading| entry positive); `eigenvalues` all eigenvalues of the
   * covariance, descending; `explainedVariance` share of the trace in the first k.
   */
  readonly pca?: {
    readonly k: number;
    readonly components: Matrix;
    readonly eigenvalues: Float64Array;
    readonly explainedVariance: number;
  };
  /** names of the output columns (kept names, or PC1..PCk) */
  readonly outputNames: readonly string[];
}

export interface PreprocessResult {
  readonly features: FeatureSet;
  readonly report: PreprocessReport;
  readonly transform: FittedTransform;
}

/**
 * A power of two near the largest |value| of column j (1 for a zero or non-finite column): dividing by it
 * is exact, so statistics computed on x / 2^e and multiplied back are bit-identical to the plain ones
 * wherever those neither overflow nor underflow — and finite and accurate where they would.
 */
function columnScale(x: Float64Array, n: number, d: number, j: number): number {
  let big = 0;
  for (let i = 0; i < n; i++) big = Math.max(big, Math.abs(x[i * d + j]));
  if (!(big > 0) || big === Infinity) return 1;
  // 2^-1022 at least, so that 1 / scale stays finite
  return 2 ** Math.max(-1022, Math.min(1023, Math.floor(Math.log2(big))));
}

/**
 * Column means and population sds of an n × d matrix (two-pass, for accuracy), scale-safe: each column is
 * computed divided by a power of two near its largest |value| (`columnScale`) and multiplied back, so
 * values like ±1e300 or 1e-200 neither overflow nor underflow. `scaledVariance` and `scaledMeanSquare` are
 * the variance and mean square of the scaled column (the zero-variance test compares them; they are
 * exactly the plain ones divided by scale², whatever the scale). A mean or sd that overflows float64
 * (values near ±1.8e308) comes back as ±Infinity.
 */
export function columnStats(X: Matrix): {
  means: Float64Array;
  sds: Float64Array;
  scaledVariance: Float64Array;
  scaledMeanSquare: Float64Array;
  constant: Uint8Array;
} {
  const n = X.rows;
  const d = X.cols;
  const x = X.data;
  const means = new Float64Array(d);
  const sds = new Float64Array(d);
  const scaledVariance = new Float64Array(d);
  const scaledMeanSquare = new Float64Array(d);
  const constant = new Uint8Array(d).fill(1);
  if (n === 0) return { means, sds, scaledVariance, scaledMeanSquare, constant };
  const scale = new Float64Array(d);
  for (let j = 0; j < d; j++) scale[j] = columnScale(x, n, d, j);
  for (let i = 0; i < n; i++) {
    const o = i * d;
    for (let j = 0; j < d; j++) {
      const v = x[o + j] / scale[j];
      means[j] += v;
      scaledMeanSquare[j] += v * v;
      if (constant[j] && x[o + j] !== x[j]) constant[j] = 0;
    }
  }
  for (let j = 0; j < d; j++) {
    means[j] /= n;
    scaledMeanSquare[j] /= n;
  }
  for (let i = 0; i < n; i++) {
    const o = i * d;
    for (let j = 0; j < d; j++) {
      const c = x[o + j] / scale[j] - means[j];
      scaledVariance[j] += c * c;
    }
  }
  for (let j = 0; j < d; j++) {
    const sd = Math.sqrt(scaledVariance[j] / n);
    // sd² (not the sum / n): the zero-variance test compares what it always compared, divided by scale²
    scaledVariance[j] = sd * sd;
    sds[j] = sd * scale[j];
    means[j] *= scale[j];
  }
  return { means, sds, scaledVariance, scaledMeanSquare, constant };
}

/**
 * Z-score the columns of X in place with the population sd. Columns must have sd > 0 (drop
 * zero-variance columns first). Returns the means and sds used.
 */
export function standardiseInPlace(X: Matrix): { means: Float64Array; sds: Float64Array } {
  const { means, sds } = columnStats(X);
  const d = X.cols;
  for (let j = 0; j < d; j++) {
    if (!(sds[j] > 0)) throw new Error(`standardise: column ${j} has zero variance (drop it first)`);
  }
  const x = X.data;
  // (v − mean) / sd exactly as `preprocess` does it, so both give bit-identical values
  for (let i = 0; i < X.rows; i++) {
    const o = i * d;
    for (let j = 0; j < d; j++) x[o + j] = (x[o + j] - means[j]) / sds[j];
  }
  return { means, sds };
}

/** Fit and apply the preprocessing to a feature set. */
export function preprocess(fs: FeatureSet, opts: PreprocessOptions): PreprocessResult {
  const X = fs.X;
  const n = X.rows;
  const d = X.cols;
  const where = `preprocess (${fs.source})`;
  if (fs.names.length !== d) throw new Error(`${where}: ${fs.names.length} feature names for ${d} columns`);
  if (n === 0) throw new Error(`${where}: the feature set has no clips`);

  // 1. zero-variance features
  const stats = columnStats(X);
  const keptList: number[] = [];
  const dropped: string[] = [];
  for (let j = 0; j < d; j++) {
    if (stats.constant[j] || stats.scaledVariance[j] <= ZERO_VARIANCE_REL * stats.scaledMeanSquare[j]) dropped.push(fs.names[j]);
    else if (!Number.isFinite(stats.means[j]) || !Number.isFinite(stats.sds[j])) {
      throw new Error(
        `${where}: feature "${fs.names[j]}" is too large for float64 arithmetic (its ${Number.isFinite(stats.means[j]) ? 'standard deviation' : 'mean'} overflows); rescale it`,
      );
    } else keptList.push(j);
  }
  if (keptList.length === 0)
    throw new Error(`${where}: all ${d} features have zero variance (${dropped.slice(0, 5).join(', ')}${d > 5 ? ', …' : ''}); nothing is left to learn from`);
  const kept = Int32Array.from(keptList);
  const dk = kept.length;
  const keptNames = keptList.map((j) => fs.names[j]);
  const means = new Float64Array(dk);
  const sds = new Float64Array(dk);
  for (let c = 0; c < dk; c++) {
    means[c] = stats.means[kept[c]];
    sds[c] = stats.sds[kept[c]];
  }

  // PCA arguments are checked before any work
  const k = opts.pca;
  if (k !== undefined) {
    if (!Number.isInteger(k) || k < 1) throw new Error(`${where}: PCA dimension must be a positive integer, got ${k}`);
    const avail = Math.min(dk, n);
    if (k > avail) {
      throw new Error(
        `${where}: PCA to ${k} dimensions is impossible: only ${avail} available (${dk} features with non-zero variance` +
          `${dropped.length ? ` after dropping ${dropped.length} zero-variance` : ''}, ${n} clips)`,
      );
    }
  }

  // 2. select (and standardise, or centre for PCA)
  const Z = new Float64Array(n * dk);
  const centre = opts.standardise || k !== undefined;
  const x = X.data;
  for (let i = 0; i < n; i++) {
    const oi = i * d;
    const oz = i * dk;
    for (let c = 0; c < dk; c++) {
      const v = x[oi + kept[c]];
      Z[oz + c] = opts.standardise ? (v - means[c]) / sds[c] : centre ? v - means[c] : v;
    }
  }
  if (centre) checkFinite(Z, n, dk, keptNames, where);

  let outX: Float64Array = Z;
  let outD = dk;
  let outNames: readonly string[] = keptNames;
  let pca: FittedTransform['pca'];
  if (k !== undefined) {
    const { components, eigenvalues, explainedVariance } = fitPca(Z, n, dk, k);
    outX = project(Z, n, dk, components.data, k);
    outD = k;
    outNames = Array.from({ length: k }, (_, c) => `PC${c + 1}`);
    pca = { k, components, eigenvalues, explainedVariance };
  }

  const transform: FittedTransform = {
    inputNames: [...fs.names],
    kept,
    keptNames,
    dropped,
    means,
    sds,
    standardised: opts.standardise,
    pca,
    outputNames: outNames,
  };
  const report: PreprocessReport = {
    droppedZeroVariance: dropped,
    standardised: opts.standardise,
    ...(pca ? { pca: { k: pca.k, explainedVariance: pca.explainedVariance } } : {}),
  };
  const features: FeatureSet = {
    ids: fs.ids,
    names: outNames,
    X: asFeatureMatrix({ rows: n, cols: outD, data: outX }),
    source: fs.source,
  };
  return { features, report, transform };
}

/** Centred values that overflow float64 (x − mean beyond ±1.8e308) are an error naming the feature. */
function checkFinite(Z: Float64Array, n: number, d: number, names: readonly string[], where: string): void {
  for (let k = 0; k < n * d; k++) {
    if (!Number.isFinite(Z[k])) throw new Error(`${where}: feature "${names[k % d]}" is too large for float64 arithmetic (centring it overflows); rescale it`);
  }
}

/**
 * The run's note when constraints involve two clips with identical (preprocessed) features — no metric
 * separates them, so ITML skips their pair and the SVM / MLR difference vector loses a term — naming the
 * clip pairs (the first 5), or null. Duplicates that no constraint puts together are not reported.
 */
export function duplicateClipsNote(fs: FeatureSet, sets: readonly ConstraintSet[]): string | null {
  const { rows: n, cols: d, data: x } = fs.X;
  const first = new Map<string, number>();
  const rep = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const key = Array.prototype.join.call(x.subarray(i * d, (i + 1) * d), ',');
    const r = first.get(key);
    rep[i] = r ?? i;
    if (r === undefined) first.set(key, i);
  }
  if (first.size === n) return null;
  const pairs = new Set<string>();
  const add = (i: number, j: number) => {
    if (i !== j && rep[i] === rep[j]) pairs.add(i < j ? `${fs.ids[i]} = ${fs.ids[j]}` : `${fs.ids[j]} = ${fs.ids[i]}`);
  };
  for (const c of sets) {
    for (let r = 0; r < c.count; r++) {
      add(c.a[r], c.n[r]);
      add(c.a[r], c.f[r]);
      add(c.n[r], c.f[r]);
    }
  }
  if (!pairs.size) return null;
  const shown = [...pairs].slice(0, 5).join('; ');
  return (
    `${pairs.size} pair(s) of clips with identical features occur together in constraints (${shown}${pairs.size > 5 ? '; …' : ''}): ` +
    'no metric separates them, so ITML skips their pair constraints'
  );
}

/** Population covariance of centred Z (n × d), its eigen-decomposition, sign-fixed top-k components. */
function fitPca(Z: Float64Array, n: number, d: number, k: number): { components: Matrix; eigenvalues: Float64Array; explainedVariance: number } {
  const C = new Float64Array(d * d);
  // upper triangle of Zᵀ Z, row by row (cache friendly: one pass over Z per row i)
  for (let i = 0; i < n; i++) {
    const o = i * d;
    for (let a = 0; a < d; a++) {
      const za = Z[o + a];
      if (za === 0) continue;
      const row = a * d;
      for (let b = a; b < d; b++) C[row + b] += za * Z[o + b];
    }
  }
  const invN = 1 / n;
  for (let a = 0; a < d; a++) {
    for (let b = a; b < d; b++) {
      const v = C[a * d + b] * invN;
      C[a * d + b] = v;
      C[b * d + a] = v;
    }
  }
  let trace = 0;
  for (let a = 0; a < d; a++) trace += C[a * d + a];
  if (!Number.isFinite(trace)) throw new Error('PCA: the covariance of the features overflows float64 (values too large); standardise or rescale the features');
  const eig = symEig({ rows: d, cols: d, data: C }, 'descending');
  // order descending regardless of the solver's convention
  const order = Array.from({ length: d }, (_, i) => i).sort((p, q) => eig.values[q] - eig.values[p] || p - q);
  const eigenvalues = Float64Array.from(order, (i) => eig.values[i]);
  const V = eig.vectors.data; // column i is the eigenvector of values[i]
  const comps = new Float64Array(k * d);
  let top = 0;
  for (let c = 0; c < k; c++) {
    const col = order[c];
    let best = 0;
    let bestAbs = -1;
    let norm = 0;
    for (let a = 0; a < d; a++) {
      const v = V[a * d + col];
      norm += v * v;
      const av = Math.abs(v);
      // ties (within rounding) go to the first index, so tiny solver differences cannot flip the sign
      if (av > bestAbs * (1 + 1e-9)) {
        bestAbs = av;
        best = a;
      }
    }
    const s = (V[best * d + col] < 0 ? -1 : 1) / Math.sqrt(norm);
    for (let a = 0; a < d; a++) comps[c * d + a] = s * V[a * d + col];
    top += Math.max(0, eigenvalues[c]);
  }
  const explainedVariance = trace > 0 ? Math.min(1, top / trace) : 0;
  return { components: { rows: k, cols: d, data: comps }, eigenvalues, explainedVariance };
}

/** rows of Z (n × d) times componentsᵀ (d × k) → n × k */
function project(Z: Float64Array, n: number, d: number, comps: Float64Array, k: number): Float64Array {
  const out = new Float64Array(n * k);
  for (let i = 0; i < n; i++) {
    const oz = i * d;
    const oo = i * k;
    for (let c = 0; c < k; c++) {
      const oc = c * d;
      let s = 0;
      for (let a = 0; a < d; a++) s += Z[oz + a] * comps[oc + a];
      out[oo + c] = s;
    }
  }
  return out;
}

/**
 * Apply a fitted transform to rows with the input's columns (e.g. new clips, or to show the
 * mapping): select kept columns, centre / scale as fitted, project on the PCA components.
 */
export function applyTransform(X: Matrix, t: FittedTransform): FeatureMatrix {
  const d = t.inputNames.length;
  if (X.cols !== d)
    throw new Error(
      `applyTransform: the rows have ${X.cols} columns, the transform was fitted on ${d} (${t.inputNames.slice(0, 3).join(', ')}${d > 3 ? ', …' : ''})`,
    );
  const n = X.rows;
  const dk = t.kept.length;
  const centre = t.standardised || t.pca !== undefined;
  const Z = new Float64Array(n * dk);
  const x = X.data;
  for (let i = 0; i < n; i++) {
    const oi = i * d;
    const oz = i * dk;
    for (let c = 0; c < dk; c++) {
      const v = x[oi + t.kept[c]];
      Z[oz + c] = t.standardised ? (v - t.means[c]) / t.sds[c] : centre ? v - t.means[c] : v;
    }
  }
  if (!t.pca) return asFeatureMatrix({ rows: n, cols: dk, data: Z });
  return asFeatureMatrix({ rows: n, cols: t.pca.k, data: project(Z, n, dk, t.pca.components.data, t.pca.k) });
}
