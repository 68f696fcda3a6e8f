/**
 * Significance tests between methods over CV folds (METHOD.md §7): paired t-test and Wilcoxon
 * signed-rank test, both two-sided, plus `mean` / `sd`. Pure TypeScript, float64, no dependencies.
 *
 * Conventions (documented here because R and scipy differ in places):
 * - `pairedTTest`: differences dᵢ = aᵢ − bᵢ, t = mean(d) / (sd(d)/√n), df = n − 1, two-sided p from the
 *   Student t CDF (regularised incomplete beta). Degenerate cases never give NaN:
 *     · n = 1: no variance can be estimated → t = 0, df = 0, p = 1 (no evidence either way);
 *     · sd(d) = 0 (all differences equal), n ≥ 2: p = 1 and t = 0 if the mean difference is 0,
 *       otherwise p = 0 and t = ±Infinity (a constant non-zero shift is treated as certain).
 * - `wilcoxonSignedRank`: zero differences are DROPPED (Wilcoxon's original treatment, R's and scipy's
 *   default `zero_method='wilcox'`); n is the number of non-zero differences. Ranks of |d| use average
 *   ranks for ties (ties detected with a relative tolerance of 1e-12, so 0.3 − 0.1 and 0.2 count equal).
 *   W is the sum of ranks of the positive differences (R's V). p is two-sided:
 *     · exact null distribution (all 2ⁿ sign patterns) when n ≤ 25 and there are no ties:
 *       p = min(1, 2·min(P(W⁺ ≤ W), P(W⁺ ≥ W)));
 *     · otherwise the normal approximation with tie correction of the variance and continuity
 *       correction 0.5 (as R's wilcox.test(..., paired = TRUE, correct = TRUE)).
 *     · n = 0 (all differences zero): W = 0, p = 1.
 */

function checkPair(a: readonly number[], b: readonly number[], where: string): void {
  if (a.length !== b.length) throw new Error(`${where}: samples differ in length (${a.length} vs ${b.length})`);
  if (a.length === 0) throw new Error(`${where}: empty samples`);
  for (let i = 0; i < a.length; i++) {
    if (!Number.isFinite(a[i]) || !Number.isFinite(b[i])) {
      throw new Error(`${where}: non-finite value at index ${i} (${a[i]}, ${b[i]})`);
    }
  }
}

/** Arithmetic mean; throws on an empty array. */
export function mean(x: readonly number[]): number {
  if (x.length === 0) throw new Error('mean: empty array');
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i];
  return s / x.length;
}

/** Sample standard deviation (divisor n − 1); 0 for a single value; throws on an empty array. */
export function sd(x: readonly number[]): number {
  const n = x.length;
  if (n === 0) throw new Error('sd: empty array');
  if (n === 1) return 0;
  const m = mean(x);
  let s = 0;
  for (let i = 0; i < n; i++) {
    const e = x[i] - m;
    s += e * e;
  }
  return Math.sqrt(s / (n - 1));
}

// ---------------------------------------------------------------- special functions

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012,
  9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** log Γ(x) for x > 0 (Lanczos, g = 7, n = 9; relative error ~1e-15). */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  const z = x - 1;
  let s = LANCZOS[0];
  for (let i = 1; i < 9; i++) s += LANCZOS[i] / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(s);
}

/** Continued fraction of the incomplete beta function (modified Lentz; Numerical Recipes betacf). */
function betaContinuedFraction(a: number, b: number, x: number): number {
  const TINY = 1e-300;
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 10000; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-16) return h;
  }
  throw new Error(`incomplete beta: continued fraction did not converge (a=${a}, b=${b}, x=${x})`);
}

/** Regularised incomplete beta I_x(a, b), a, b > 0, 0 ≤ x ≤ 1. */
export function regularizedIncompleteBeta(x: number, a: number, b: number): number {
  if (!(a > 0 && b > 0)) throw new Error(`incomplete beta: parameters must be positive (a=${a}, b=${b})`);
  if (!(x >= 0 && x <= 1)) throw new Error(`incomplete beta: x must be in [0, 1], got ${x}`);
  if (x === 0) return 0;
  if (x === 1) return 1;
  const lbt = logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log1p(-x);
  const bt = Math.exp(lbt);
  if (x < (a + 1) / (a + b + 2)) return (bt * betaContinuedFraction(a, b, x)) / a;
  return 1 - (bt * betaContinuedFraction(b, a, 1 - x)) / b;
}

/** Two-sided tail probability P(|T| ≥ |t|) of Student's t with df > 0 degrees of freedom. */
export function studentTTwoSided(t: number, df: number): number {
  if (!(df > 0)) throw new Error(`Student t: degrees of freedom must be positive, got ${df}`);
  if (Number.isNaN(t)) throw new Error('Student t: t is NaN');
  if (!Number.isFinite(t)) return 0;
  return regularizedIncompleteBeta(df / (df + t * t), df / 2, 0.5);
}

/** The t > 0 with P(|T| ≥ t) = alpha for Student's t with df > 0 (bisection to 1e-12; alpha in (0, 1)). */
export function studentTQuantileTwoSided(alpha: number, df: number): number {
  if (!(alpha > 0 && alpha < 1)) throw new Error(`Student t quantile: alpha must be in (0, 1), got ${alpha}`);
  let lo = 0;
  let hi = 1;
  while (studentTTwoSided(hi, df) > alpha) hi *= 2;
  while (hi - lo > 1e-12 * Math.max(1, hi)) {
    const mid = (lo + hi) / 2;
    if (studentTTwoSided(mid, df) > alpha) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** Regularised upper incomplete gamma Q(a, x) (series for x < a + 1, continued fraction otherwise). */
function gammaQ(a: number, x: number): number {
  if (x <= 0) return 1;
  const gln = logGamma(a);
  if (x < a + 1) {
    let ap = a;
    let sum = 1 / a;
    let del = sum;
    for (let n = 0; n < 10000; n++) {
      ap += 1;
      del *= x / ap;
      sum += del;
      if (Math.abs(del) < Math.abs(sum) * 1e-17) break;
    }
    return 1 - sum * Math.exp(-x + a * Math.log(x) - gln);
  }
  const TINY = 1e-300;
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i <= 10000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-16) break;
  }
  return Math.exp(-x + a * Math.log(x) - gln) * h;
}

/** Standard normal CDF Φ(z), accurate in both tails (via erfc = Q(½, z²/2)). */
export function normalCdf(z: number): number {
  if (Number.isNaN(z)) throw new Error('normal CDF: z is NaN');
  if (z === Infinity) return 1;
  if (z === -Infinity) return 0;
  const q = 0.5 * gammaQ(0.5, (z * z) / 2); // = ½ erfc(|z|/√2) = P(Z ≥ |z|)
  return z < 0 ? q : 1 - q;
}

// ---------------------------------------------------------------- tests

export interface PairedTTestResult {
  t: number;
  df: number;
  /** two-sided p-value */
  p: number;
  /** mean of a − b */
  meanDiff: number;
}

/** Two-sided paired t-test of a vs b (see the header for the degenerate cases). */
export function pairedTTest(a: readonly number[], b: readonly number[]): PairedTTestResult {
  checkPair(a, b, 'paired t-test');
  const n = a.length;
  const diff = new Array<number>(n);
  for (let i = 0; i < n; i++) diff[i] = a[i] - b[i];
  const meanDiff = mean(diff);
  if (n === 1) return { t: 0, df: 0, p: 1, meanDiff };
  const s = sd(diff);
  const df = n - 1;
  // A spread that is rounding noise relative to the values counts as zero variance.
  let scale = 0;
  for (let i = 0; i < n; i++) scale = Math.max(scale, Math.abs(a[i]), Math.abs(b[i]));
  if (s <= 1e-14 * scale || s === 0) {
    const zeroMean = Math.abs(meanDiff) <= 1e-14 * scale;
    return zeroMean ? { t: 0, df, p: 1, meanDiff } : { t: meanDiff > 0 ? Infinity : -Infinity, df, p: 0, meanDiff };
  }
  const t = meanDiff / (s / Math.sqrt(n));
  return { t, df, p: Math.min(1, studentTTwoSided(t, df)), meanDiff };
}

export interface WilcoxonResult {
  /** sum of the ranks of the positive differences a − b (R's V) */
  W: number;
  /** two-sided p-value */
  p: number;
  /** number of non-zero differences used */
  n: number;
  /** which null distribution gave p */
  method: 'exact' | 'normal' | 'none';
}

/** Number of sign patterns of ranks 1..n per value of W⁺ (index = W⁺), as float64 counts. */
function signedRankCounts(n: number): Float64Array {
  const max = (n * (n + 1)) / 2;
  const c = new Float64Array(max + 1);
  c[0] = 1;
  let top = 0;
  for (let k = 1; k <= n; k++) {
    top += k;
    for (let s = top; s >= k; s--) c[s] += c[s - k];
  }
  return c;
}

/** Two-sided Wilcoxon signed-rank test of a vs b (see the header for conventions). */
export function wilcoxonSignedRank(a: readonly number[], b: readonly number[]): WilcoxonResult {
  checkPair(a, b, 'Wilcoxon signed-rank test');
  let scale = 0;
  for (let i = 0; i < a.length; i++) scale = Math.max(scale, Math.abs(a[i]), Math.abs(b[i]));
  const eps = 1e-12 * Math.max(scale, Number.MIN_VALUE);
  const d: number[] = [];
  for (let i = 0; i < a.length; i++) {
    const x = a[i] - b[i];
    if (Math.abs(x) > eps) d.push(x);
  }
  const n = d.length;
  if (n === 0) return { W: 0, p: 1, n: 0, method: 'none' };
  const order = d.map((_, i) => i).sort((i, j) => Math.abs(d[i]) - Math.abs(d[j]));
  const ranks = new Float64Array(n);
  let tieTerm = 0; // Σ (t³ − t) over tie groups
  for (let i = 0; i < n; ) {
    let j = i + 1;
    while (j < n && Math.abs(d[order[j]]) - Math.abs(d[order[i]]) <= eps) j++;
    const avg = (i + 1 + j) / 2; // ranks i+1..j
    for (let k = i; k < j; k++) ranks[order[k]] = avg;
    const t = j - i;
    if (t > 1) tieTerm += t * t * t - t;
    i = j;
  }
  let W = 0;
  for (let i = 0; i < n; i++) if (d[i] > 0) W += ranks[i];

  if (n <= 25 && tieTerm === 0) {
    const counts = signedRankCounts(n);
    const total = Math.pow(2, n);
    let lower = 0; // P(W⁺ ≤ W)
    for (let s = 0; s <= W; s++) lower += counts[s];
    let upper = 0; // P(W⁺ ≥ W)
    for (let s = W; s < counts.length; s++) upper += counts[s];
    return { W, p: Math.min(1, (2 * Math.min(lower, upper)) / total), n, method: 'exact' };
  }
  const mu = (n * (n + 1)) / 4;
  const sigma = Math.sqrt((n * (n + 1) * (2 * n + 1)) / 24 - tieTerm / 48);
  const dev = W - mu;
  const z = (dev - Math.sign(dev) * 0.5) / sigma;
  const p = Math.min(1, 2 * normalCdf(-Math.abs(z)));
  return { W, p, n, method: 'normal' };
}
