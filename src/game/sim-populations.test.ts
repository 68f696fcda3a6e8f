import { describe, expect, it } from 'vitest';
import { meanPairDistance, plantedMetric, plantedPopulations } from './sim-populations';
import { simChoice, simDistance, simFeatures, simMetric, simPlayerDistance } from './sim';
import { createRng } from '../core/rng';
import type { ClipId } from './types';

describe('simulated players with a full metric and planted populations', () => {
  const F = simFeatures(
    Array.from({ length: 10 }, (_, i) => `c${i}`),
    4,
    's',
  );
  const [x, y] = [F.get('c0') as number[], F.get('c1') as number[]];

  it('a diagonal metric as weights or as a matrix gives the same distance', () => {
    const w = [2, 1, 0.5, 3];
    expect(simPlayerDistance({ metric: simMetric({ weights: w }) }, x, y)).toBeCloseTo(simDistance(w, x, y), 12);
  });

  it('the planted metric couples exactly its pair, is positive definite, and rejects |s| ≥ 1', () => {
    const M = plantedMetric(4, [1, 3], 0.8);
    expect(M[1][3]).toBe(0.8);
    expect(M[3][1]).toBe(0.8);
    expect(M.flat().filter((v) => v !== 0)).toHaveLength(6);
    // eigenvalues 1 ± s > 0: (x − y)ᵀ M (x − y) ≥ (1 − s)|x − y|² > 0
    expect(simPlayerDistance({ metric: M }, x, y)).toBeGreaterThanOrEqual(0.2 * simDistance([1, 1, 1, 1], x, y) - 1e-12);
    expect(() => plantedMetric(4, [1, 3], 1)).toThrow(/strength/);
    expect(() => plantedMetric(4, [2, 2], 0.5)).toThrow(/pair/);
  });

  it('two populations: unique ids, answers, planted pairs, noise relative to the mean distance', () => {
    const bots = plantedPopulations(
      {
        attribute: 'age',
        populations: [
          { value: 'young', pair: [0, 1] },
          { value: 'old', pair: [2, 3] },
        ],
        strength: 0.5,
        noise: 0.1,
        lapse: 0,
        timeoutRate: 0,
        perPopulation: 3,
        seed: 'x',
      },
      F,
    );
    expect(bots.map((b) => b.id)).toEqual(['sim-x-a00', 'sim-x-a01', 'sim-x-a02', 'sim-x-b00', 'sim-x-b01', 'sim-x-b02']);
    expect(bots.map((b) => b.answers.age)).toEqual(['young', 'young', 'young', 'old', 'old', 'old']);
    expect(bots[0].metric?.[0][1]).toBe(0.5);
    expect(bots[3].metric?.[2][3]).toBe(0.5);
    expect(bots[0].scale).toBeCloseTo(meanPairDistance(bots[0].metric as number[][], F), 12);
    // noise-free: always the clip outside the closest pair
    const clips = ['c0', 'c1', 'c2'] as [ClipId, ClipId, ClipId];
    const d = [
      [1, 2],
      [0, 2],
      [0, 1],
    ].map(([i, j]) => simPlayerDistance(bots[0], F.get(clips[i]) as number[], F.get(clips[j]) as number[]));
    expect(simChoice({ ...bots[0], noise: 0 }, clips, F, createRng(1))).toBe(d.indexOf(Math.min(...d)));
  });
});
