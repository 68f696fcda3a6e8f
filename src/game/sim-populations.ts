/**
 * Two populations of simulated players with planted feature-PAIR couplings (issue 14, "Simulated players"): the
 * loop game → votes → lab must recover the difference between them in the heatmaps of ΔW = W − W0.
 *
 * Each population hears the clips by the metric M = I + s·(e_i e_jᵀ + e_j e_iᵀ) on the given features: every
 * feature counts equally, and the features i and j of the population's planted pair are coupled with strength
 * s (|s| < 1 keeps M positive definite; s > 0: differences in i and j in the same direction add up, in opposite
 * directions cancel). A bot picks the clip outside the closest pair after adding Gaussian noise of sd
 * `noise` × (the mean distance between two clips under M) to each of the three distances; with probability
 * `lapse` it picks at random, with probability `timeoutRate` it lets the round time out. Its only questionnaire
 * answer is the population's value of `attribute`; its choices are seeded by the session's seed and its id
 * (sim.ts simRound), the ids by `seed`.
 *
 * In the lab, with two groups, each group's template W0 is learned on the other group's votes, so group A's
 * ΔW = W_A − W0_A should show A's pair increased and B's pair decreased (and B's ΔW the reverse).
 */
import type { ClipId, PlayerId } from './types';
import type { SimPlayer } from './sim';
import { simMetricDistance } from './sim';

export interface PlantedPopulation {
  /** the answer to the grouping attribute, e.g. '18–25' */
  readonly value: string;
  /** the coupled features (indices into the feature vectors), i ≠ j */
  readonly pair: readonly [number, number];
}

export interface PlantedSpec {
  /** the questionnaire attribute the populations answer differently (e.g. 'age') */
  readonly attribute: string;
  readonly populations: readonly [PlantedPopulation, PlantedPopulation];
  /** coupling s of each planted pair, |s| < 1 (e.g. 0.8) */
  readonly strength: number;
  /** noise sd relative to the mean distance between two clips (e.g. 0.1) */
  readonly noise: number;
  /** probability of a random pick per round (e.g. 0.05) */
  readonly lapse: number;
  /** probability of letting a round time out (e.g. 0.02) */
  readonly timeoutRate: number;
  /** bots per population */
  readonly perPopulation: number;
  /** makes the ids: `sim-<seed>-<a|b><nn>` */
  readonly seed: string;
}

export const DEFAULT_PLANTED: Omit<PlantedSpec, 'attribute' | 'populations' | 'perPopulation' | 'seed'> = Object.freeze({
  strength: 0.8,
  noise: 0.1,
  lapse: 0.05,
  timeoutRate: 0.02,
});

/** M = I + s·(e_i e_jᵀ + e_j e_iᵀ), d×d. */
export function plantedMetric(dims: number, pair: readonly [number, number], strength: number): number[][] {
  const [i, j] = pair;
  if (!(Math.abs(strength) < 1)) throw new Error(`coupling strength must be in (−1, 1), got ${strength}`);
  if (i === j || i < 0 || j < 0 || i >= dims || j >= dims) throw new Error(`planted pair (${i}, ${j}) is not two different features of ${dims}`);
  return Array.from({ length: dims }, (_, r) =>
    Array.from({ length: dims }, (_, c) => (r === c ? 1 : (r === i && c === j) || (r === j && c === i) ? strength : 0)),
  );
}

/** The mean of (x − y)ᵀ M (x − y) over all pairs of clips. */
export function meanPairDistance(M: readonly (readonly number[])[], features: ReadonlyMap<ClipId, readonly number[]>): number {
  const f = [...features.values()];
  let s = 0;
  let n = 0;
  for (let a = 0; a < f.length; a++) {
    for (let b = a + 1; b < f.length; b++) {
      s += simMetricDistance(M, f[a], f[b]);
      n++;
    }
  }
  return n ? s / n : 1;
}

/** The bots of both populations (population A first), answering on `features` (all vectors of one length). */
export function plantedPopulations(spec: PlantedSpec, features: ReadonlyMap<ClipId, readonly number[]>): SimPlayer[] {
  const dims = features.values().next().value?.length ?? 0;
  return spec.populations.flatMap((pop, k) => {
    const metric = plantedMetric(dims, pop.pair, spec.strength);
    const scale = meanPairDistance(metric, features);
    return Array.from(
      { length: spec.perPopulation },
      (_, i): SimPlayer => ({
        id: `sim-${spec.seed}-${'ab'[k]}${String(i).padStart(2, '0')}` as PlayerId,
        metric,
        scale,
        noise: spec.noise,
        timeoutRate: spec.timeoutRate,
        randomRate: spec.lapse,
        answers: { [spec.attribute]: pop.value },
      }),
    );
  });
}
