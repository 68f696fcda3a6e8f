import { describe, expect, it } from 'vitest';
import { foldScoreSd, foldSpread } from './fold-spread';

describe('fold score spread', () => {
  it('is 100·sqrt(p(1-p)/n) points', () => {
    expect(foldScoreSd(4)).toBeCloseTo(25, 12);
    expect(foldScoreSd(100, 0.8)).toBeCloseTo(4, 12);
    expect(foldScoreSd(0)).toBe(Number.POSITIVE_INFINITY);
  });
  it('warns for 40 constraints in 10 folds and suggests fewer folds', () => {
    const w = foldSpread(40, 10)!;
    expect(w.perTestFold).toBe(4);
    expect(w.sd).toBeCloseTo(25, 12);
    // no fold count keeps 40 constraints within ±10 points: 2 folds (20 per test fold, ±11.2) is the best
    expect(w.suggestedFolds).toBe(2);
    expect(w.suggestedSd).toBeCloseTo(11.18, 2);
    expect(w.tooSmall).toBe(true);
  });
  it('suggests the most folds that stay within the limit, and says nothing for enough data', () => {
    const w = foldSpread(200, 10)!; // 20 per fold: ±11.2
    expect(w.suggestedFolds).toBe(8); // 25 per fold: ±10
    expect(w.tooSmall).toBe(false);
    expect(foldSpread(3000, 10)).toBeNull();
    expect(foldSpread(250, 10)).toBeNull();
    expect(foldSpread(40, 1)).toBeNull();
  });
});
