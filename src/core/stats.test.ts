import { describe, expect, it } from 'vitest';
import { logGamma, mean, normalCdf, pairedTTest, regularizedIncompleteBeta, sd, studentTTwoSided, wilcoxonSignedRank } from './stats';

// Reference values computed with scipy 1.17 (scipy.stats.ttest_rel / wilcoxon / t / norm) and known from R
// (t.test(extra ~ group, data = sleep, paired = TRUE): t = -4.0621, df = 9, p = 0.002833).
const SLEEP1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0];
const SLEEP2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4];

describe('mean / sd', () => {
  it('computes sample statistics', () => {
    expect(mean([1, 2, 3, 4])).toBe(2.5);
    expect(sd([2, 4, 4, 4, 5, 5, 7, 9])).toBeCloseTo(Math.sqrt(32 / 7), 14);
    expect(sd([3])).toBe(0);
    expect(() => mean([])).toThrow(/empty/);
    expect(() => sd([])).toThrow(/empty/);
  });
});

describe('special functions', () => {
  it('logGamma matches factorials and Γ(½)', () => {
    expect(logGamma(1)).toBeCloseTo(0, 13);
    expect(logGamma(5)).toBeCloseTo(Math.log(24), 13);
    expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 13);
    expect(logGamma(30)).toBeCloseTo(71.257038967168, 9);
  });
  it('incomplete beta: closed forms', () => {
    // I_x(1, 1) = x; I_x(a, 1) = x^a; symmetry I_x(a,b) = 1 − I_{1−x}(b,a)
    expect(regularizedIncompleteBeta(0.3, 1, 1)).toBeCloseTo(0.3, 14);
    expect(regularizedIncompleteBeta(0.7, 3, 1)).toBeCloseTo(0.343, 14);
    expect(regularizedIncompleteBeta(0.2, 2.5, 4)).toBeCloseTo(1 - regularizedIncompleteBeta(0.8, 4, 2.5), 14);
    expect(() => regularizedIncompleteBeta(1.5, 1, 1)).toThrow(/\[0, 1\]/);
  });
  it('Student t and normal tails match scipy', () => {
    expect(studentTTwoSided(2.5, 4)).toBeCloseTo(0.06676654481198814, 12);
    expect(studentTTwoSided(0.3, 1)).toBeCloseTo(0.8144528418445154, 12);
    expect(studentTTwoSided(10, 50) / 1.6077334688335447e-13).toBeCloseTo(1, 8);
    expect(studentTTwoSided(Infinity, 3)).toBe(0);
    expect(normalCdf(-6) / 9.865876450376946e-10).toBeCloseTo(1, 10);
    expect(normalCdf(1.3)).toBeCloseTo(0.9031995154143897, 13);
    expect(normalCdf(0)).toBeCloseTo(0.5, 15);
  });
});

describe('pairedTTest', () => {
  it('R sleep data', () => {
    const r = pairedTTest(SLEEP1, SLEEP2);
    expect(r.t).toBeCloseTo(-4.062127683382037, 11);
    expect(r.df).toBe(9);
    expect(r.p).toBeCloseTo(0.002832890197384273, 12);
    expect(r.meanDiff).toBeCloseTo(-1.58, 12);
  });
  it('fold-score-like vectors and n = 3 (scipy)', () => {
    const a = [0.71, 0.69, 0.73, 0.7, 0.72, 0.68, 0.74, 0.7, 0.71, 0.69];
    const b = [0.7, 0.69, 0.71, 0.71, 0.7, 0.67, 0.72, 0.69, 0.7, 0.7];
    const r = pairedTTest(a, b);
    expect(r.t).toBeCloseTo(2.2283440581246228, 10);
    expect(r.p).toBeCloseTo(0.05283944651707038, 11);
    const r3 = pairedTTest([1, 2, 3.5], [0.5, 2.5, 1]);
    expect(r3.t).toBeCloseTo(0.9449111825230683, 12);
    expect(r3.df).toBe(2);
    expect(r3.p).toBeCloseTo(0.44444444444444436, 12);
  });
  it('is antisymmetric in its arguments', () => {
    const r1 = pairedTTest(SLEEP1, SLEEP2);
    const r2 = pairedTTest(SLEEP2, SLEEP1);
    expect(r2.t).toBeCloseTo(-r1.t, 12);
    expect(r2.p).toBeCloseTo(r1.p, 14);
  });
  it('edge cases: identical vectors, constant shift, n = 1, bad input', () => {
    const same = pairedTTest([0.6, 0.7, 0.8], [0.6, 0.7, 0.8]);
    expect(same).toEqual({ t: 0, df: 2, p: 1, meanDiff: 0 });
    const shift = pairedTTest([0.6, 0.7, 0.8], [0.5, 0.6, 0.7]);
    expect(shift.p).toBe(0);
    expect(shift.t).toBe(Infinity);
    expect(shift.meanDiff).toBeCloseTo(0.1, 14);
    const one = pairedTTest([0.7], [0.5]);
    expect(one.p).toBe(1);
    expect(one.df).toBe(0);
    expect(one.meanDiff).toBeCloseTo(0.2, 14);
    expect(Number.isNaN(one.t)).toBe(false);
    expect(() => pairedTTest([1, 2], [1])).toThrow(/length/);
    expect(() => pairedTTest([], [])).toThrow(/empty/);
    expect(() => pairedTTest([1, NaN], [1, 2])).toThrow(/non-finite value at index 1/);
  });
});

describe('wilcoxonSignedRank', () => {
  it('exact p for small n without ties (scipy method="exact")', () => {
    const x = [1.83, 0.5, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.3];
    const y = [0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29];
    const r = wilcoxonSignedRank(x, y);
    expect(r.n).toBe(9);
    expect(r.method).toBe('exact');
    expect(r.W).toBe(40); // scipy reports min(W+, W−) = 5; 45 − 5 = 40 positive
    expect(r.p).toBeCloseTo(0.0390625, 14);
    const d = [0.5, -1.25, 2.0, 3.5, -0.75, 4.25, 1.5, 6.0, -2.75, 5.5, 7.25, 8.0];
    const r12 = wilcoxonSignedRank(
      d,
      d.map(() => 0),
    );
    expect(r12.W).toBe(78 - 11);
    expect(r12.p).toBeCloseTo(0.02685546875, 14);
    // swapping the samples mirrors W and keeps p
    const rs = wilcoxonSignedRank(
      d.map(() => 0),
      d,
    );
    expect(rs.W).toBe(11);
    expect(rs.p).toBeCloseTo(r12.p, 14);
  });
  it('all differences of one sign, n = 5: p = 2/32', () => {
    const r = wilcoxonSignedRank([2, 3, 4, 5, 6], [1, 1, 1, 1, 1]);
    expect(r.W).toBe(15);
    expect(r.p).toBeCloseTo(0.0625, 15);
  });
  it('ties and zeros: normal approximation with corrections (R sleep data, V = 0, p = 0.009091)', () => {
    const r = wilcoxonSignedRank(SLEEP1, SLEEP2);
    expect(r.n).toBe(9); // one zero difference dropped
    expect(r.method).toBe('normal');
    expect(r.W).toBe(0);
    expect(r.p).toBeCloseTo(0.009090698015925044, 12);
  });
  it('n > 25 uses the normal approximation (scipy method="approx", correction=True)', () => {
    const u = [
      0.6456, 1.1216, 0.6304, -1.0032, 1.2054, 0.7464, -0.237, 0.8811, 0.6646, 0.5941, 0.3284, 0.8467, -0.4365, 0.1371, -0.1821, 0.8988, 0.3397, 0.0075,
      -0.4819, 0.0428, 0.3081, 0.0244, 1.5941, 1.3067, -2.4112, -1.589, 0.1252, -0.1222, 0.5136, 0.5173,
    ];
    const r = wilcoxonSignedRank(
      u,
      u.map(() => 0),
    );
    expect(r.n).toBe(30);
    expect(r.method).toBe('normal');
    expect(Math.min(r.W, 465 - r.W)).toBe(126);
    expect(r.p).toBeCloseTo(0.02923938176410581, 12);
  });
  it('edge cases: identical vectors, n = 1, bad input', () => {
    expect(wilcoxonSignedRank([0.5, 0.6], [0.5, 0.6])).toEqual({ W: 0, p: 1, n: 0, method: 'none' });
    const one = wilcoxonSignedRank([0.7], [0.5]);
    expect(one.n).toBe(1);
    expect(one.W).toBe(1);
    expect(one.p).toBe(1);
    // floating-point noise in differences (0.3 − 0.1 vs 0.2) is a tie, not two ranks
    const tie = wilcoxonSignedRank([0.3, 0.2, 0.9], [0.1, 0, 0.4]);
    expect(tie.method).toBe('normal');
    expect(() => wilcoxonSignedRank([1], [1, 2])).toThrow(/length/);
    expect(() => wilcoxonSignedRank([Infinity], [1])).toThrow(/non-finite/);
  });
});
