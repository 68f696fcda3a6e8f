/**
 * Issue 14, "Simulated players": the loop game → votes → lab recovers the difference between two populations
 * with different planted metrics, in the groups' ΔW = W − W0 heatmaps.
 *
 * Set-up (a workshop's size): 27 clips (as the bundled tones) with 6 seeded features in [0, 1) (simFeatures);
 * 2 populations × 12 bots (sim-populations.ts plantedPopulations, DEFAULT_PLANTED: coupling s = 0.8, noise
 * 0.1 of the mean distance, lapse 0.05, timeouts 0.02), answering age '18–25' (pair f1–f2 coupled) and
 * '46–55' (pair f3–f4 coupled); each bot plays 3 matches of 10 rounds through the schedule (simSession: 720
 * rounds; catch trials 1 in 15). Votes → toLabCsv → the lab's parser → constraints grouped by age → the lab's
 * experiment with the handoff notebook's settings (Euclidean, RITML, W0-RITML, SVM, MLR; 5 folds; γ = 1,
 * C = 1; a RITML template, prior I) → each group's heatmap metrics (the template W0 is learned on the OTHER group's votes, W fine-tunes it
 * on the group's): ΔW should raise the group's own pair and lower the other group's.
 *
 * Tolerance, for each group: (1) both planted pairs are among the 5 changes the heatmap outlines (the k largest
 * |ΔW_ij|, k = 5 its default, of 15 pairs), (2) the own pair is the largest increase and the other group's pair
 * the largest decrease of ΔW, (3) the cosine between ΔW's off-diagonal entries and the planted pattern
 * (+1 own pair, −1 other pair, 0 elsewhere) is ≥ 0.6 (unrelated changes give ≈ 0 ± 0.26 over 15 pairs).
 * Measured before fixing the seed, over 8 seeds of this set-up ('seed-1' … 'seed-8', γ = 1): (2) held for
 * 15 of the 16 groups (once the own pair was the 3rd largest increase), the cosine was 0.63–0.93 (mean 0.83).
 * This test runs 'seed-1' (the first, not chosen by its result); it logs what it measured.
 */
import { describe, expect, it } from 'vitest';
import { cpuBackend } from '../src/core/compute-cpu';
import { DEFAULT_SPEC, runExperiment } from '../src/core/experiment';
import type { ExperimentSpec } from '../src/core/experiment-types';
import { joinUsers, parseFeatures, parseJudgments, parseUsers } from '../src/core/parse';
import { createSession, DEFAULT_PLANTED, plantedPopulations, simFeatures, simPlayerRecord, simSession, toLabCsv } from '../src/game';
import { difference, topChanges } from '../src/ui/heatmap/model';

const SEED = 'seed-1';
const DIMS = 6;
const NAMES = Array.from({ length: DIMS }, (_, k) => `f${k + 1}`);
const PLANTED: Record<string, readonly [number, number]> = { '18–25': [0, 1], '46–55': [2, 3] };
const S = createSession({ clipSetId: 'sim', clipIds: Array.from({ length: 27 }, (_, i) => `clip${String(i).padStart(2, '0')}`), seed: SEED });
const F = simFeatures(S.clipIds, DIMS, SEED);

const pairName = ([i, j]: readonly [number, number]) => `${NAMES[i]}–${NAMES[j]}`;

/** ΔW's off-diagonal entries (i < j) by pair name */
function offDiagonal(dW: ArrayLike<number>, d: number): Map<string, number> {
  const out = new Map<string, number>();
  for (let i = 0; i < d; i++) for (let j = i + 1; j < d; j++) out.set(pairName([i, j]), dW[i * d + j]);
  return out;
}

async function playAndAnalyse() {
  const bots = plantedPopulations(
    {
      ...DEFAULT_PLANTED,
      attribute: 'age',
      populations: Object.entries(PLANTED).map(([value, pair]) => ({ value, pair })) as never,
      perPopulation: 12,
      seed: SEED,
    },
    F,
  );
  const votes = simSession(S, bots, 3, F);
  const lab = toLabCsv(
    S,
    votes,
    bots.map((b) => simPlayerRecord(S, b)),
  );
  const features = parseFeatures(`id,${NAMES.join(',')}\n${S.clipIds.map((c) => [c, ...(F.get(c) as number[])].join(',')).join('\n')}\n`, 'features.csv');
  const judgments = joinUsers(
    parseJudgments(lab.votesCsv, 'votes.csv', { knownIds: features.ids }),
    parseUsers(lab.usersCsv as string, 'users.csv'),
    'users.csv',
  );
  const spec: ExperimentSpec = {
    ...DEFAULT_SPEC,
    methods: ['euclidean', 'ritml', 'w0-ritml', 'svm', 'mlr'],
    groupBy: 'age',
    folds: 5,
    gammaGrid: [1],
    cGrid: [1],
    // a RITML template (full W0, as in the poster's heatmaps): the lab's default chooses the template by inner CV
    // among I, RITML and SVM, and a diagonal SVM template holds no coupling of the other group to lower
    params: { protocol: { w0Method: 'ritml' } },
  };
  return { votes, lab, result: await runExperiment({ features, judgments }, spec, cpuBackend) };
}

describe('simulated populations with planted couplings → game → lab → ΔW heatmaps', () => {
  it("each group's ΔW points at its planted pair (up) and the other group's pair (down)", async () => {
    const { votes, lab, result } = await playAndAnalyse();
    expect(votes).toHaveLength(2 * 12 * 3 * 10);
    expect(result.metrics.map((m) => m.group).sort()).toEqual(Object.keys(PLANTED).sort());
    const lines: string[] = [];
    for (const m of result.metrics) {
      const own = pairName(PLANTED[m.group]);
      const other = pairName(Object.entries(PLANTED).find(([g]) => g !== m.group)?.[1] as [number, number]);
      const dW = difference(m.W as number[], m.W0 as number[]);
      const outlined = topChanges(dW, m.d, NAMES, 5).map((c) => `${c.a}–${c.b}`);
      const off = offDiagonal(dW, m.d);
      const byValue = [...off.entries()].sort((a, b) => b[1] - a[1]);
      const t = [...off.keys()].map((k) => (k === own ? 1 : k === other ? -1 : 0));
      const v = [...off.values()];
      const cos = v.reduce((s, x, k) => s + x * t[k], 0) / Math.sqrt(2 * v.reduce((s, x) => s + x * x, 0));
      lines.push(
        `${m.group}: outlined ${outlined.join(' ')}; ${own} ${off.get(own)?.toFixed(3)} (rank ${byValue.findIndex(([k]) => k === own) + 1} up), ` +
          `${other} ${off.get(other)?.toFixed(3)} (rank ${[...byValue].reverse().findIndex(([k]) => k === other) + 1} down); cos ${cos.toFixed(3)}`,
      );
      expect(outlined).toContain(own);
      expect(outlined).toContain(other);
      expect(byValue[0][0]).toBe(own);
      expect(byValue[byValue.length - 1][0]).toBe(other);
      expect(cos).toBeGreaterThanOrEqual(0.6);
    }
    const rows = result.rows.filter((r) => r.group !== 'average').map((r) => `${r.method}/${r.group} ${(100 * r.mean).toFixed(1)}`);
    console.log(`game-transfer: ${lab.exported} lab votes of ${votes.length} rounds\n  ${lines.join('\n  ')}\n  CV: ${rows.join(', ')}`);
  }, 60_000);
});
