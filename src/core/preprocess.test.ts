import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { asFeatureMatrix } from './matrix';
import { applyTransform, columnStats, duplicateClipsNote, preprocess } from './preprocess';
import { createRng } from './rng';
import type { ConstraintSet, FeatureSet } from './types';

function featureSet(rows: number[][], names?: string[]): FeatureSet {
  const n = rows.length;
  const d = rows[0].length;
  const data = new Float64Array(n * d);
  rows.forEach((r, i) => data.set(r, i * d));
  return {
    ids: rows.map((_, i) => `c${i}`),
    names: names ?? Array.from({ length: d }, (_, j) => `f${j}`),
    X: asFeatureMatrix({ rows: n, cols: d, data }),
    source: 'test',
  };
}

function randomRows(n: number, d: number, seed: number, scale = (j: number) => 1 + j, offset = (j: number) => 10 * j): number[][] {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => Array.from({ length: d }, (_, j) => offset(j) + scale(j) * rng.normal()));
}

function colMeanSd(X: { rows: number; cols: number; data: Float64Array }, j: number): { mean: number; sd: number } {
  let m = 0;
  for (let i = 0; i < X.rows; i++) m += X.data[i * X.cols + j];
  m /= X.rows;
  let v = 0;
  for (let i = 0; i < X.rows; i++) v += (X.data[i * X.cols + j] - m) ** 2;
  return { mean: m, sd: Math.sqrt(v / X.rows) };
}

/** Tiny local CSV reader for the bundled features file (id column + numbers). */
function readFeaturesCsv(path: string): FeatureSet {
  const lines = readFileSync(path, 'utf8')
    .split(/\r?\n/)
    .filter((l) => l.length > 0);
  const header = lines[0].split(',');
  const rows = lines.slice(1).map((l) => l.split(','));
  const d = header.length - 1;
  const data = new Float64Array(rows.length * d);
  rows.forEach((r, i) => {
    if (r.length !== header.length) throw new Error(`${path} line ${i + 2}: ${r.length} cells`);
    for (let j = 0; j < d; j++) data[i * d + j] = Number(r[j + 1]);
  });
  return { ids: rows.map((r) => r[0]), names: header.slice(1), X: asFeatureMatrix({ rows: rows.length, cols: d, data }), source: path };
}

describe('preprocess: zero variance and standardisation', () => {
  it('z-scores every column to mean 0 and population sd 1 (1e-12)', () => {
    // scales 0.01 … 1000, offsets −30 … 20 (extreme offset/scale ratios lose digits to cancellation in any float code)
    const fs = featureSet(
      randomRows(
        50,
        6,
        3,
        (j) => 10 ** (j - 2),
        (j) => 10 * (j - 3),
      ),
    );
    const { features, report, transform } = preprocess(fs, { standardise: true });
    expect(report.standardised).toBe(true);
    expect(report.droppedZeroVariance).toEqual([]);
    expect(features.names).toEqual(fs.names);
    expect(features.ids).toEqual(fs.ids);
    for (let j = 0; j < 6; j++) {
      const { mean, sd } = colMeanSd(features.X, j);
      expect(Math.abs(mean)).toBeLessThan(1e-12);
      expect(Math.abs(sd - 1)).toBeLessThan(1e-12);
    }
    // the recorded transform reproduces the output exactly
    const again = applyTransform(fs.X, transform);
    expect(Array.from(again.data)).toEqual(Array.from(features.X.data));
    // the input is untouched
    expect(fs.X.data[0]).not.toBe(features.X.data[0]);
  });

  it('reports and drops constant and near-constant columns before standardising (no NaN)', () => {
    const base = randomRows(30, 3, 5);
    const rows = base.map((r, i) => [r[0], 7.25, r[1], 1e6 + (i % 2) * 1e-7, 0, r[2]]);
    const fs = featureSet(rows, ['a', 'const', 'b', 'tiny', 'zero', 'c']);
    const { features, report, transform } = preprocess(fs, { standardise: true });
    expect(report.droppedZeroVariance).toEqual(['const', 'tiny', 'zero']);
    expect(features.names).toEqual(['a', 'b', 'c']);
    expect(Array.from(transform.kept)).toEqual([0, 2, 5]);
    expect(features.X.cols).toBe(3);
    for (const v of features.X.data) expect(Number.isFinite(v)).toBe(true);
    // also without standardising: dropped, raw values passed through
    const raw = preprocess(fs, { standardise: false });
    expect(raw.report.droppedZeroVariance).toEqual(['const', 'tiny', 'zero']);
    expect(raw.features.X.data[0]).toBe(rows[0][0]);
    expect(raw.features.X.data[1]).toBe(rows[0][2]);
  });

  it('a column with small but real variance is kept', () => {
    const rows = randomRows(20, 2, 9).map((r) => [r[0], 1 + 1e-5 * r[1]]);
    const { report } = preprocess(featureSet(rows), { standardise: true });
    expect(report.droppedZeroVariance).toEqual([]);
  });

  it('rejects a feature set where every column is constant', () => {
    expect(() =>
      preprocess(
        featureSet([
          [1, 2],
          [1, 2],
          [1, 2],
        ]),
        { standardise: true },
      ),
    ).toThrow(/all 2 features have zero variance/);
  });
});

describe('preprocess: scale-safe statistics (issue 12 item 7)', () => {
  /** The plain two-pass statistics (the formula columnStats used before it became scale-safe). */
  function plainStats(X: { rows: number; cols: number; data: Float64Array }) {
    const { rows: n, cols: d, data: x } = X;
    const means = new Float64Array(d);
    const sds = new Float64Array(d);
    for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) means[j] += x[i * d + j];
    for (let j = 0; j < d; j++) means[j] /= n;
    for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) sds[j] += (x[i * d + j] - means[j]) ** 2;
    for (let j = 0; j < d; j++) sds[j] = Math.sqrt(sds[j] / n);
    return { means, sds };
  }

  it('on data of ordinary scale the means and sds are bit-identical to the plain two-pass formula', () => {
    for (const seed of [1, 2, 3]) {
      const fs = featureSet(
        randomRows(
          57,
          9,
          seed,
          (j) => 10 ** (j - 4),
          (j) => 3 ** j - 40,
        ),
      );
      const want = plainStats(fs.X);
      const got = columnStats(fs.X);
      expect(Array.from(got.means)).toEqual(Array.from(want.means));
      expect(Array.from(got.sds)).toEqual(Array.from(want.sds));
    }
    const timbre = readFeaturesCsv(resolve(__dirname, '../../public/data/timbre/features_spectrum.csv'));
    const want = plainStats(timbre.X);
    expect(Array.from(columnStats(timbre.X).sds)).toEqual(Array.from(want.sds));
  });

  it('a column of ±1e300 is kept and standardised, not called zero-variance', () => {
    const rows = randomRows(40, 2, 4).map((r, i) => [r[0], (i % 2 ? 1 : -1) * 1e300, r[1]]);
    const { report, features, transform } = preprocess(featureSet(rows), { standardise: true });
    expect(report.droppedZeroVariance).toEqual([]);
    expect(transform.sds[1]).toBe(1e300);
    const { mean, sd } = colMeanSd(features.X, 1);
    expect(Math.abs(mean)).toBeLessThan(1e-12);
    expect(Math.abs(sd - 1)).toBeLessThan(1e-12);
  });

  it('the matrix scaled by 1e160 or 1e-200 standardises to the same values as at scale 1 (1e-12)', () => {
    const rows = randomRows(30, 6, 8);
    const ref = preprocess(featureSet(rows), { standardise: true }).features.X.data;
    for (const s of [1e160, 1e-200, 1e300]) {
      const out = preprocess(featureSet(rows.map((r) => r.map((v) => v * s))), { standardise: true });
      expect(out.report.droppedZeroVariance, `s = ${s}`).toEqual([]);
      let worst = 0;
      out.features.X.data.forEach((v, k) => (worst = Math.max(worst, Math.abs(v - ref[k]))));
      expect(worst, `s = ${s}`).toBeLessThan(1e-12);
    }
  });

  it('real overflow is reported as such, naming the feature', () => {
    const rows = [
      [1, 1.7e308],
      [2, 1.7e308],
      [3, -1.7e308],
      [4, 1.7e308],
    ];
    expect(() => preprocess(featureSet(rows, ['ok', 'huge']), { standardise: true })).toThrow(/feature "huge" is too large for float64/);
    // PCA on raw (not standardised) features whose covariance overflows
    const big = randomRows(20, 3, 2).map((r) => r.map((v) => v * 1e160));
    expect(() => preprocess(featureSet(big), { standardise: false, pca: 2 })).toThrow(/covariance of the features overflows float64/);
  });
});

describe('duplicateClipsNote', () => {
  const fs = featureSet([
    [1, 2],
    [3, 4],
    [1, 2],
    [5, 6],
    [3, 4],
  ]);
  const set = (t: number[][]): ConstraintSet => ({
    count: t.length,
    a: Int32Array.from(t, (r) => r[0]),
    n: Int32Array.from(t, (r) => r[1]),
    f: Int32Array.from(t, (r) => r[2]),
    weight: new Float64Array(t.length).fill(1),
    triplet: Int32Array.from(t, (_, k) => k),
  });
  it('names the clip pairs with identical features that occur together in a constraint', () => {
    const note = duplicateClipsNote(fs, [set([[0, 3, 2]]), set([[1, 3, 0]]), set([[3, 4, 1]])]);
    expect(note).toMatch(/^2 pair\(s\) of clips with identical features occur together in constraints \(c0 = c2; c1 = c4\)/);
  });
  it('says nothing when duplicates never meet in a constraint, or there are none', () => {
    expect(duplicateClipsNote(fs, [set([[0, 1, 3]])])).toBeNull();
    expect(duplicateClipsNote(featureSet([[1], [2], [3]]), [set([[0, 1, 2]])])).toBeNull();
  });
});

describe('preprocess: PCA', () => {
  // rank 2: x = u·p + v·q for fixed p, q ∈ R⁵ and random u, v, plus a constant column
  const rng = createRng('rank2');
  const p = [1, 2, 0, -1, 3];
  const q = [0.5, -1, 2, 1, 0];
  const rank2 = Array.from({ length: 40 }, () => {
    const u = rng.normal();
    const v = 3 * rng.normal();
    return [...p.map((pk, k) => u * pk + v * q[k] + k), 4];
  });
  const fs = featureSet(rank2);

  it('explains all the variance of a rank-2 data set at k = 2, with orthonormal components', () => {
    const { features, report, transform } = preprocess(fs, { standardise: false, pca: 2 });
    expect(report.pca?.k).toBe(2);
    expect(report.pca?.explainedVariance).toBeCloseTo(1, 12);
    expect(report.droppedZeroVariance).toEqual(['f5']);
    expect(features.names).toEqual(['PC1', 'PC2']);
    const C = transform.pca!.components;
    expect(C.rows).toBe(2);
    expect(C.cols).toBe(5);
    for (let a = 0; a < 2; a++) {
      for (let b = 0; b < 2; b++) {
        let s = 0;
        for (let k = 0; k < 5; k++) s += C.data[a * 5 + k] * C.data[b * 5 + k];
        expect(s).toBeCloseTo(a === b ? 1 : 0, 12);
      }
    }
    // k = 1 explains less; scores are uncorrelated with variances = the top eigenvalues
    const one = preprocess(fs, { standardise: false, pca: 1 });
    expect(one.report.pca!.explainedVariance).toBeLessThan(0.999);
    expect(one.report.pca!.explainedVariance).toBeGreaterThan(0.5);
    const s1 = colMeanSd(features.X, 0);
    const s2 = colMeanSd(features.X, 1);
    expect(Math.abs(s1.mean)).toBeLessThan(1e-10);
    expect(s1.sd ** 2).toBeCloseTo(transform.pca!.eigenvalues[0], 10);
    expect(s2.sd ** 2).toBeCloseTo(transform.pca!.eigenvalues[1], 10);
    expect(s1.sd).toBeGreaterThanOrEqual(s2.sd);
    // the projection preserves all pairwise distances of rank-2 data
    const raw = fs.X;
    for (const [i, j] of [
      [0, 1],
      [3, 17],
      [20, 39],
    ]) {
      let dr = 0;
      for (let k = 0; k < 5; k++) dr += (raw.data[i * 6 + k] - raw.data[j * 6 + k]) ** 2;
      let dp = 0;
      for (let k = 0; k < 2; k++) dp += (features.X.data[i * 2 + k] - features.X.data[j * 2 + k]) ** 2;
      expect(dp).toBeCloseTo(dr, 9);
    }
  });

  it('fixes the sign of each component: its largest-|loading| entry is positive, deterministically', () => {
    const a = preprocess(fs, { standardise: true, pca: 3 });
    const b = preprocess(fs, { standardise: true, pca: 3 });
    expect(Array.from(a.features.X.data)).toEqual(Array.from(b.features.X.data));
    const C = a.transform.pca!.components;
    for (let c = 0; c < 3; c++) {
      let best = 0;
      for (let k = 1; k < C.cols; k++) if (Math.abs(C.data[c * C.cols + k]) > Math.abs(C.data[c * C.cols + best])) best = k;
      expect(C.data[c * C.cols + best]).toBeGreaterThan(0);
    }
    // negating the data negates nothing in the components (covariance unchanged) and negates the scores
    const neg = featureSet(rank2.map((r) => r.map((v) => -v)));
    const n = preprocess(neg, { standardise: true, pca: 2 });
    expect(Array.from(n.transform.pca!.components.data)).toEqual(
      Array.from(a.transform.pca!.components.data.subarray(0, 10)).map((v) => expect.closeTo(v, 12)),
    );
    for (let k = 0; k < 10; k++) expect(n.features.X.data[k]).toBeCloseTo(-a.features.X.data[Math.floor(k / 2) * 3 + (k % 2)], 10);
  });

  it('applyTransform re-applies standardisation and projection to new rows', () => {
    const { features, transform } = preprocess(fs, { standardise: true, pca: 2 });
    const Y = applyTransform({ rows: 3, cols: 6, data: fs.X.data.slice(6 * 5, 6 * 8) }, transform);
    for (let k = 0; k < 6; k++) expect(Y.data[k]).toBeCloseTo(features.X.data[10 + k], 12);
    expect(() => applyTransform({ rows: 1, cols: 5, data: new Float64Array(5) }, transform)).toThrow(/5 columns.*fitted on 6/);
  });

  it('rejects k larger than the available dimensions, or not a positive integer, with a clear message', () => {
    expect(() => preprocess(fs, { standardise: true, pca: 6 })).toThrow(/PCA to 6 dimensions is impossible: only 5 available.*1 zero-variance/);
    expect(() => preprocess(fs, { standardise: true, pca: 0 })).toThrow(/positive integer/);
    expect(() => preprocess(fs, { standardise: true, pca: 2.5 })).toThrow(/positive integer/);
    const few = featureSet(randomRows(3, 5, 1));
    expect(() => preprocess(few, { standardise: true, pca: 4 })).toThrow(/only 3 available.*3 clips/);
  });

  it('PCA of the timbre spectrum features (257 × 128) to k = 16 runs in < 1 s', () => {
    const fs = readFeaturesCsv(resolve(__dirname, '../../public/data/timbre/features_spectrum.csv'));
    expect(fs.X.rows).toBe(257);
    expect(fs.X.cols).toBe(128);
    const t0 = performance.now();
    const { features, report } = preprocess(fs, { standardise: true, pca: 16 });
    const ms = performance.now() - t0;
    expect(ms).toBeLessThan(1000);
    expect(features.X.rows).toBe(257);
    expect(features.X.cols).toBe(16);
    const ev = report.pca!.explainedVariance;
    expect(ev).toBeGreaterThan(0.5);
    expect(ev).toBeLessThanOrEqual(1);
    // more components explain more
    expect(preprocess(fs, { standardise: true, pca: 4 }).report.pca!.explainedVariance).toBeLessThan(ev);
    console.info(
      `timbre spectrum PCA k=16: ${ms.toFixed(0)} ms, explains ${(100 * ev).toFixed(2)}% (dropped ${report.droppedZeroVariance.length} zero-variance)`,
    );
  });
});
