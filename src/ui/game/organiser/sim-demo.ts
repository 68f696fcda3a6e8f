/**
 * "Add simulated players (demo)" as plain data (pure): bots of two populations with planted feature-pair
 * couplings (src/game/sim-populations.ts) play whole matches of the current session, continuing its schedule,
 * so that a newcomer can follow game → votes → lab → heatmaps without a room of people.
 *
 * The features the bots answer by are the ones the lab's handoff notebook analyses: the clip set's features
 * standardised, then reduced to their first principal components when there are more than HANDOFF_PCA (the
 * lab's own preprocess, so PC1…PC6 are the same on both sides) — so the heatmaps' axes are the planted pairs'.
 * The bots hear each of those components scaled to unit variance (every component counts alike: unscaled, PC1
 * of the tones has 20 times the variance of PC6 and a coupling of PC3–PC4 would change few answers). The lab
 * learns on the unscaled components, so its raw ΔW entries are scaled by 1 / (sd_i sd_j); the heatmaps'
 * Correlation view (ρ_ij = W_ij / √(W_ii W_jj)) is free of that scale and shows the planted pairs.
 * Population A couples the 1st and 2nd of those features, population B the 3rd and 4th. They answer the
 * grouping attribute with two different options (age: 18–25 and 46–55); their player records carry the flag
 * 'simulated', and their votes travel as one imported batch named DEMO_SOURCE, which "Remove" deletes.
 */
import { parseFeatures } from '../../../core/parse/features';
import { preprocess } from '../../../core/preprocess';
import {
  type ChoiceQuestion,
  type ClipId,
  DEFAULT_PLANTED,
  type PlantedSpec,
  plantedPopulations,
  RATHER_NOT_SAY,
  type SessionSettings,
  simPlayerRecord,
  simSession,
  type VoteBatch,
  type VoteRecord,
} from '../../../game';
import { handoffPca } from '../../game-handoff';

/** the imported batch that holds the simulated players' votes */
export const DEMO_SOURCE = 'simulated players (demo)';
export const DEMO_MATCHES = 3;

export interface DemoFeatures {
  readonly names: readonly string[];
  readonly byClip: ReadonlyMap<ClipId, readonly number[]>;
  /** how they were made, in words */
  readonly rule: string;
}

/** The clip set's features as the handoff notebook's experiment sees them (standardised, PCA by handoffPca). */
export function demoFeatures(text: string, file: string): DemoFeatures {
  const pca = handoffPca(text);
  const fs = preprocess(parseFeatures(text, file), { standardise: true, ...(pca ? { pca } : {}) }).features;
  const d = fs.X.cols;
  const sd = Array.from({ length: d }, (_, k) => {
    let m = 0;
    for (let i = 0; i < fs.X.rows; i++) m += fs.X.data[i * d + k] ** 2;
    return Math.sqrt(m / fs.X.rows) || 1;
  });
  const byClip = new Map(fs.ids.map((id, i) => [id as ClipId, Array.from(fs.X.data.slice(i * d, (i + 1) * d), (v, k) => v / sd[k])]));
  const rule = pca
    ? `the first ${pca} principal components of the clip set's standardised features (as the lab's experiment will use them)`
    : `the clip set's ${d} standardised features`;
  return { names: fs.names, byClip, rule };
}

export interface DemoPlan {
  readonly spec: Omit<PlantedSpec, 'perPopulation' | 'seed'>;
  readonly attributeLabel: string;
  /** "PC1–PC2" for each population */
  readonly pairs: readonly [string, string];
}

/** The attribute (age if asked, else the first choice question) and its two options; or why there is none. */
export function demoPlan(s: SessionSettings, f: DemoFeatures): DemoPlan | string {
  if (f.names.length < 4) return `the clip set has ${f.names.length} usable features; the demo needs 4 (two pairs)`;
  const choices = s.questionnaire.questions.filter((q): q is ChoiceQuestion => q.kind === 'choice');
  const q = choices.find((c) => c.id === 'age') ?? choices[0];
  const opts = q?.options.filter((o) => o !== RATHER_NOT_SAY) ?? [];
  if (!q || opts.length < 2) return 'the questionnaire has no choice question with two options to tell the populations apart';
  const values = [opts[Math.floor(opts.length / 4)], opts[Math.floor((3 * opts.length) / 4)]];
  const pairOf = (k: number) => [2 * k, 2 * k + 1] as const;
  return {
    spec: { ...DEFAULT_PLANTED, attribute: q.id, populations: [0, 1].map((k) => ({ value: values[k], pair: pairOf(k) })) as never },
    attributeLabel: q.label,
    pairs: [0, 1].map((k) =>
      pairOf(k)
        .map((i) => f.names[i])
        .join('–'),
    ) as [string, string],
  };
}

/** N bots per population play DEMO_MATCHES matches, continuing the session's schedule after `prior`. */
export function simulateDemo(
  s: SessionSettings,
  plan: DemoPlan,
  f: DemoFeatures,
  perPopulation: number,
  prior: readonly VoteRecord[],
  seed: string,
  now: number,
): VoteBatch {
  const bots = plantedPopulations({ ...plan.spec, perPopulation, seed }, f.byClip);
  const missing = s.clipIds.filter((c) => !f.byClip.has(c));
  if (missing.length) throw new Error(`the features file has no row for ${missing.length} of the session's clips (e.g. ${missing[0]})`);
  const votes = simSession(s, bots, DEMO_MATCHES, f.byClip, now, prior);
  return { source: DEMO_SOURCE, session: s.id, votes, players: bots.map((b) => simPlayerRecord(s, b)) };
}
