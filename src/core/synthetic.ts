/**
 * Seeded synthetic "CASimIR-like" data: clips with Echo-Nest-style features, users with
 * attributes, and odd-one-out votes on repeated triplets, generated from KNOWN per-group metrics.
 * Synthetic, not real listeners: it exists so the lab can show (and test) that a method recovers a
 * planted difference between user groups, as in the poster (Wolff, MacFarlane & Weyde, ISMIR 2015).
 *
 * Everything is determined by `seed` through `createRng` (independent forks per stage, so e.g.
 * changing `noise` does not change the clips, users or triplets).
 *
 * Model
 * - Features: each clip belongs to one of `genres` latent clusters; a latent vector z (8 dims) =
 *   genre centre + N(0, I); each feature's latent score mixes a SHARED part (its block's loadings · z,
 *   so timbre, chroma and rhythm features co-vary within their blocks and with the genre) and a
 *   SPECIFIC part (independent noise) with variance shares 1 − `featureIndependence` and
 *   `featureIndependence`; it is then mapped to an Echo-Nest-like range (timbre T1 ≈ loudness-like
 *   0…60, T2..T12 centred with falling spread, chroma C1..C12 in (0, 1) with a boost at the clip's key
 *   and its fifth, loudness in dB tied to T1, tempo in BPM, confidences in (0, 1), tatum confidence
 *   tied to beat confidence). Values are rounded to 4 decimals so the CSV holds exactly the
 *   generated numbers.
 *   Why mostly independent (default 0.8): with almost all variance shared (0.05) the 12 timbre
 *   features are nearly rank 4, a coupling Wᵢⱼ is then confounded with the diagonal and other
 *   couplings, and no learner recovered the planted pairs (z-scores ≈ 0–2 among the off-diagonal
 *   entries even with 6000 votes); at 0.8 they stand out.
 * - **True metrics live on the STANDARDISED features**: X is z-scored (population sd, exactly as
 *   `preprocess(…, { standardise: true })` does) before any true distance is computed, so the
 *   planted couplings are directly comparable with metrics learned on standardised data.
 * - Template W_T (everyone): diagonal-dominant SPD; diagonal weights per block (`templateWeights`,
 *   default T1–T4 ≈ 5…4.4, T5–T12 ≈ 1…0.79, chroma 0.2, loudness/tempo/confidences 0.23–0.53), small
 *   seeded off-diagonal couplings (|w| ≤ 0.05 · smallest timbre weight / 0.79) inside the timbre block
 *   only. A template far from Euclidean is what makes a template learned on the complement worth
 *   transferring: a group model trained from I must first learn it from scarce data.
 * - Planted group (`plantedGroup`, default '>25'): W_T + Δ where Δ couples the `plantedPairs`
 *   (default timbre–timbre, timbre–beat_confidence, timbre–chroma, timbre–tatum_confidence, as the
 *   poster describes the fine-tuned metric); δ_ij = sign · couplingStrength · sqrt(W_T,ii · W_T,jj),
 *   i.e. `couplingStrength` is the correlation coefficient the pair's 2×2 block gets. The result is
 *   checked to be positive definite (Cholesky) or generation throws.
 * - Votes: each vote's group is the planted group with probability `plantedShare`, its user is drawn
 *   from that group's users (log-normal activity weights), its triplet uniformly from a pool of
 *   `triplets` distinct triplets (so triplets get several votes, as in CASimIR). The user picks as
 *   odd one out the clip farthest from the other two under HIS GROUP's true metric (the clip
 *   opposite the closest pair), except with probability `noise` a uniformly random clip of the three.
 *
 * Defaults (seed 1 is the bundled demo set, public/data/synthetic): 160 clips, 60 users, 5000 votes
 * on a pool of 1500 triplets, noise 0.05, planted group '>25' with 25% of votes and users, coupling
 * strength 0.8, featureIndependence 0.8. Chosen so that the poster's transfer claim shows and is
 * tested (test/transfer.test.ts): on the planted group W0-RITML > RITML > Euclidean in CV, and
 * W0-RITML's change from W0 matches the planted couplings better than RITML's metric does. Both
 * groups vote on the same triplet pool (as in CASimIR), so a template trained on the complement
 * already fits the group's triplets up to the planted difference.
 *
 * Optional options (absent: the above, byte-identical): `votesPerGroup` (exact votes per stated age group,
 * including players who gave no age), `noAgeShare`, `tripletSkew` (Zipf-popular triplets). POSTER_PRESET uses
 * them for the second bundled set, public/data/poster, with the sizes and difficulty of the poster's data.
 */
import { cholesky } from './linalg';
import { asFeatureMatrix, asSpd, mahalanobis } from './matrix';
import { preprocess, standardiseInPlace } from './preprocess';
import { createRng, type Rng } from './rng';
import type { FeatureSet, JudgmentSet, Matrix, OddOneOutVote, SpdMatrix } from './types';

export const AGE_GROUPS = ['<=25', '>25'] as const;
export type AgeGroup = (typeof AGE_GROUPS)[number];

export const SYNTHETIC_ATTRIBUTES = ['age_group', 'gender', 'occupation', 'language', 'location'] as const;

/** A planted coupling between two named features; sign of δ. */
export interface PlantedPairSpec {
  readonly i: string;
  readonly j: string;
  readonly sign: 1 | -1;
}

export interface SyntheticOptions {
  readonly seed: number | string;
  /** number of clips */
  readonly clips: number;
  /** number of users */
  readonly users: number;
  /** number of odd-one-out votes */
  readonly votes: number;
  /** size of the pool of distinct triplets the votes are drawn from (repeats → several votes per triplet) */
  readonly triplets: number;
  /** latent genre clusters of the clips */
  readonly genres: number;
  /** probability that a vote is a uniformly random choice instead of the metric's answer */
  readonly noise: number;
  /** the age group whose true metric has the planted couplings */
  readonly plantedGroup: AgeGroup;
  /** expected share of votes (and of users) from the planted group */
  readonly plantedShare: number;
  /** correlation coefficient of each planted pair's 2×2 block in the planted metric, in [0, 1) */
  readonly couplingStrength: number;
  readonly plantedPairs: readonly PlantedPairSpec[];
  /**
   * share (0..1] of each feature's latent variance that is specific to the feature (independent of all
   * others); the rest comes from its block's shared latent factors and the clip's genre cluster
   */
  readonly featureIndependence: number;
  /** diagonal of the template W_T (on standardised features), per feature block */
  readonly templateWeights: TemplateWeights;
  /**
   * Optional (absent = the original generator, byte-identical output): exact vote counts per STATED
   * age group, `noAge` for votes by users who gave no age (they join neither group, so they are in both
   * complements). The counts must sum to `votes`; each vote's group is then a seeded shuffle of these
   * counts instead of a draw with `plantedShare` (which still sets the users' true groups).
   */
  readonly votesPerGroup?: Readonly<Record<AgeGroup | 'noAge', number>>;
  /**
   * Optional (absent = 0): share of users whose age_group is left empty in users.csv (they did not answer
   * the questionnaire's age question); their votes still follow their true group's metric.
   */
  readonly noAgeShare?: number;
  /**
   * Optional (absent = 0: every pool triplet equally likely): Zipf exponent of triplet popularity; the
   * k-th pool triplet (k = 1, 2, …, in drawn order) is chosen with probability ∝ k^(−tripletSkew), so a
   * few triplets get many votes while new ones keep appearing, as when a game shows some triplets often.
   */
  readonly tripletSkew?: number;
}

/** The optional options (not in SYNTHETIC_DEFAULTS, so the default set's truth.json keeps its option list). */
const OPTIONAL_OPTIONS = ['votesPerGroup', 'noAgeShare', 'tripletSkew'] as const;

/** Template diagonal per block: T1–T4, T5–T12 (falling by 3% per feature), chroma, the other six. */
export interface TemplateWeights {
  readonly timbreLead: number;
  readonly timbreRest: number;
  readonly chroma: number;
  readonly other: number;
}

export const SYNTHETIC_DEFAULTS: SyntheticOptions = {
  seed: 1,
  clips: 160,
  users: 60,
  votes: 5000,
  triplets: 1500,
  genres: 5,
  noise: 0.05,
  plantedGroup: '>25',
  plantedShare: 0.25,
  couplingStrength: 0.8,
  plantedPairs: [
    { i: 'T5', j: 'T6', sign: 1 },
    { i: 'T2', j: 'beat_confidence', sign: 1 },
    { i: 'T1', j: 'C3', sign: 1 },
    { i: 'T3', j: 'tatum_confidence', sign: 1 },
    { i: 'T4', j: 'C8', sign: 1 },
  ],
  featureIndependence: 0.8,
  templateWeights: { timbreLead: 5, timbreRest: 1, chroma: 0.2, other: 0.3 },
};

/**
 * "A demo set like the poster's data" (issue 16; public/data/poster): the generator above with the sizes
 * and difficulty of the CASimIR data in Wolff, MacFarlane & Weyde (ISMIR 2015), read as follows:
 * age group <=25 has 919 ratings (≈ 576 constraints), >25 has 1183 (≈ 723), and 644 ratings come
 * from players who gave no age (in neither group, in both complements), so the complement of <=25 has
 * 1183 + 644 = 1827 ratings (≈ 914 constraints) and that of >25 919 + 644 = 1563 (≈ 809); 919 + 1183 =
 * 2102 ratings from players who gave an age. Calibrated to those statistics, never to a method's result:
 * - `tripletSkew` 1.17 and `triplets` 3000 (a Zipf-popular pool: the poster's constraints per rating fall
 *   from 0.63 to 0.50 as sets grow, which a uniform pool cannot give with the lab's ≥ 2 constraints per
 *   voted triplet): the worst of the four constraint counts is 4–12 % off its target on seeds 1–20
 *   (median ≈ 6 %; scan in docs/METHOD.md);
 * - `noise` 0.6: Euclidean whole-set fulfilment averaged over the two groups and seeds 1–20 is 59.7 %
 *   (the poster: 59.75 % overall);
 * - `seed` 13: among seeds 1–20 with all four constraint counts within ±6 % of the targets, the one whose
 *   two groups' Euclidean fulfilment is closest to 59.5 %.
 * Not calibrated (the bundled set's defaults): template weights, planted pairs and coupling strength
 * (planted group >25), feature model; 175 clips (170–180), 80 users with 20 % not giving an age, the
 * true >25 share of users 0.56 ≈ 1183 / 2102.
 */
export const POSTER_PRESET: Partial<SyntheticOptions> = {
  seed: 13,
  clips: 175,
  users: 80,
  votes: 2746,
  votesPerGroup: { '<=25': 919, '>25': 1183, noAge: 644 },
  noAgeShare: 0.2,
  plantedShare: 0.56,
  triplets: 3000,
  tripletSkew: 1.17,
  noise: 0.6,
};

/** The poster's per-group sizes that POSTER_PRESET targets (ratings exact, constraints approximately). */
export const POSTER_TARGETS = {
  '<=25': { ratings: 919, constraints: 576, complementRatings: 1827, complementConstraints: 914 },
  '>25': { ratings: 1183, constraints: 723, complementRatings: 1563, complementConstraints: 809 },
  noAgeRatings: 644,
} as const;

export const TIMBRE = Array.from({ length: 12 }, (_, k) => `T${k + 1}`);
export const CHROMA = Array.from({ length: 12 }, (_, k) => `C${k + 1}`);
export const RHYTHM_AND_CONFIDENCE = ['loudness', 'tempo', 'beat_confidence', 'tatum_confidence', 'key_confidence', 'mode_confidence'] as const;
/** the 30 feature names, in column order */
export const SYNTHETIC_FEATURES: readonly string[] = [...TIMBRE, ...CHROMA, ...RHYTHM_AND_CONFIDENCE];

export interface SyntheticDataset {
  /** raw (unstandardised) features, as in features.csv */
  readonly features: FeatureSet;
  /** votes with every user's attributes joined (layout 'votes') */
  readonly judgments: JudgmentSet;
  readonly users: Map<string, Record<string, string>>;
  /** true metric of each age group, on the standardised features */
  readonly trueMetrics: Record<string, SpdMatrix>;
  /** the shared template W_T, on the standardised features */
  readonly template: SpdMatrix;
  /** planted couplings: trueMetrics[plantedGroup] = template + δ at (i, j) and (j, i) */
  readonly planted: ReadonlyArray<{ i: string; j: string; delta: number }>;
  readonly options: SyntheticOptions;
  readonly stats: {
    /** votes per age group */
    readonly votesPerGroup: Readonly<Record<string, number>>;
    /** distinct triplets that received at least one vote */
    readonly tripletsVoted: number;
    /** triplets with votes for more than one odd-one-out choice */
    readonly contradictedTriplets: number;
    /** share of pool triplets whose noiseless answer differs between the template and the planted metric */
    readonly plantedFlipShare: number;
    /** share of pool triplets whose noiseless template answer differs from the Euclidean one */
    readonly templateVsEuclideanFlipShare: number;
  };
}

const round4 = (v: number): number => Math.round(v * 1e4) / 1e4;
const sigmoid = (v: number): number => 1 / (1 + Math.exp(-v));

function check(cond: boolean, name: string, want: string, got: unknown): void {
  if (!cond) throw new Error(`generateSynthetic: option "${name}" must be ${want}, got ${JSON.stringify(got)}`);
}

function validate(o: SyntheticOptions): void {
  const isInt = (v: number) => Number.isInteger(v);
  check(typeof o.seed === 'number' ? Number.isFinite(o.seed) : typeof o.seed === 'string', 'seed', 'a finite number or a string', o.seed);
  check(isInt(o.clips) && o.clips >= 6, 'clips', 'an integer ≥ 6', o.clips);
  check(isInt(o.users) && o.users >= 2, 'users', 'an integer ≥ 2 (one per age group at least)', o.users);
  check(isInt(o.votes) && o.votes >= 1, 'votes', 'an integer ≥ 1', o.votes);
  const maxTriplets = (o.clips * (o.clips - 1) * (o.clips - 2)) / 6;
  check(
    isInt(o.triplets) && o.triplets >= 1 && o.triplets <= maxTriplets / 2,
    'triplets',
    `an integer in [1, ${Math.floor(maxTriplets / 2)}] (half the distinct triplets of ${o.clips} clips)`,
    o.triplets,
  );
  check(isInt(o.genres) && o.genres >= 1 && o.genres <= o.clips, 'genres', `an integer in [1, clips]`, o.genres);
  check(o.noise >= 0 && o.noise <= 1, 'noise', 'in [0, 1]', o.noise);
  check((AGE_GROUPS as readonly string[]).includes(o.plantedGroup), 'plantedGroup', `one of ${AGE_GROUPS.join(', ')}`, o.plantedGroup);
  check(o.plantedShare > 0 && o.plantedShare < 1, 'plantedShare', 'in (0, 1)', o.plantedShare);
  check(o.featureIndependence > 0 && o.featureIndependence <= 1, 'featureIndependence', 'in (0, 1]', o.featureIndependence);
  const tw = o.templateWeights;
  check(
    !!tw && [tw.timbreLead, tw.timbreRest, tw.chroma, tw.other].every((w) => Number.isFinite(w) && w > 0),
    'templateWeights',
    'an object { timbreLead, timbreRest, chroma, other } of positive numbers',
    tw,
  );
  check(o.couplingStrength >= 0 && o.couplingStrength < 1, 'couplingStrength', 'in [0, 1)', o.couplingStrength);
  if (o.tripletSkew !== undefined) check(Number.isFinite(o.tripletSkew) && o.tripletSkew >= 0 && o.tripletSkew <= 4, 'tripletSkew', 'in [0, 4]', o.tripletSkew);
  if (o.noAgeShare !== undefined) check(o.noAgeShare >= 0 && o.noAgeShare < 1, 'noAgeShare', 'in [0, 1)', o.noAgeShare);
  if (o.votesPerGroup !== undefined) {
    const c = o.votesPerGroup;
    const parts = [c['<=25'], c['>25'], c.noAge];
    check(
      parts.every((n) => isInt(n) && n >= 0) && parts[0] + parts[1] + parts[2] === o.votes,
      'votesPerGroup',
      `{ '<=25', '>25', noAge } non-negative integers summing to votes (${o.votes})`,
      c,
    );
    check(c.noAge === 0 || (o.noAgeShare ?? 0) > 0, 'votesPerGroup', 'noAge = 0 unless noAgeShare > 0', c);
  }
  const seen = new Set<string>();
  for (const p of o.plantedPairs) {
    for (const f of [p.i, p.j]) check(SYNTHETIC_FEATURES.includes(f), 'plantedPairs', `pairs of feature names (${SYNTHETIC_FEATURES.join(', ')})`, f);
    check(p.i !== p.j, 'plantedPairs', 'pairs of two different features', `${p.i}–${p.j}`);
    check(p.sign === 1 || p.sign === -1, 'plantedPairs', 'signs of +1 or −1', p.sign);
    const key = [p.i, p.j].sort().join('|');
    check(!seen.has(key), 'plantedPairs', 'distinct pairs', `${p.i}–${p.j}`);
    seen.add(key);
  }
}

/** Raw features: latent genre clusters → named Echo-Nest-like features (rounded to 4 decimals). */
function generateFeatures(o: SyntheticOptions, rng: Rng): FeatureSet {
  const n = o.clips;
  const d = SYNTHETIC_FEATURES.length; // 30
  const L = 8;
  // loadings: timbre on latents 0–3 (+ a little 6–7), chroma on 4–5, rhythm/confidence on 6–7 (+ a little timbre)
  const block = (j: number): number[] => (j < 12 ? [0, 1, 2, 3] : j < 24 ? [4, 5] : [6, 7]);
  const A = new Float64Array(d * L);
  for (let j = 0; j < d; j++) {
    const own = block(j);
    for (let l = 0; l < L; l++) A[j * L + l] = rng.normal() * (own.includes(l) ? 0.8 : 0.2);
  }
  const centres = Array.from({ length: o.genres }, () => Float64Array.from({ length: L }, () => 1.3 * rng.normal()));
  const genreWeights = Array.from({ length: o.genres }, () => 0.5 + rng.next());
  const wsum = genreWeights.reduce((s, w) => s + w, 0);
  // latent scores S (n × d) and keys: a shared part (block latents, genre cluster) and a feature-
  // specific part, each column-standardised and mixed by featureIndependence; then each column of S
  // is z-scored again so the mappings below give the intended ranges whatever the random loadings
  const shared = new Float64Array(n * d);
  const specific = new Float64Array(n * d);
  const keys = new Int32Array(n);
  const z = new Float64Array(L);
  for (let i = 0; i < n; i++) {
    let u = rng.next() * wsum;
    let g = 0;
    while (g < o.genres - 1 && u >= genreWeights[g]) u -= genreWeights[g++];
    for (let l = 0; l < L; l++) z[l] = centres[g][l] + rng.normal();
    for (let j = 0; j < d; j++) {
      specific[i * d + j] = rng.normal();
      let v = 0;
      for (let l = 0; l < L; l++) v += A[j * L + l] * z[l];
      shared[i * d + j] = v;
    }
    keys[i] = rng.int(12);
  }
  standardiseInPlace({ rows: n, cols: d, data: shared });
  standardiseInPlace({ rows: n, cols: d, data: specific });
  const wShared = Math.sqrt(1 - o.featureIndependence);
  const wSpecific = Math.sqrt(o.featureIndependence);
  const S = new Float64Array(n * d);
  for (let k = 0; k < n * d; k++) S[k] = wShared * shared[k] + wSpecific * specific[k];
  standardiseInPlace({ rows: n, cols: d, data: S });
  const data = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    const o_ = i * d;
    const s = S.subarray(o_, o_ + d);
    const key = keys[i];
    // timbre: T1 loudness-like level, T2..T12 centred with falling spread (Echo Nest ranges)
    data[o_] = Math.min(60, Math.max(0, 42 + 6 * s[0]));
    for (let k = 1; k < 12; k++) data[o_ + k] = (90 / Math.sqrt(k + 1)) * s[k];
    // chroma: energy per pitch class, boosted at the key and its fifth
    for (let k = 0; k < 12; k++) {
      const boost = k === key ? 1.5 : k === (key + 7) % 12 ? 0.8 : 0;
      data[o_ + 12 + k] = sigmoid(0.8 * s[12 + k] + boost - 0.5);
    }
    data[o_ + 24] = Math.min(-0.5, 0.45 * (data[o_] - 42) - 9 + 1.5 * s[24]); // loudness dB, tied to T1
    data[o_ + 25] = Math.min(210, Math.max(60, 120 + 22 * s[25])); // tempo BPM
    data[o_ + 26] = sigmoid(1.2 * s[26] + 0.5); // beat_confidence
    data[o_ + 27] = sigmoid(0.7 * s[26] + 0.8 * s[27]); // tatum_confidence, correlated with beat
    data[o_ + 28] = sigmoid(0.9 * s[28] - 0.3 + 0.6 * (data[o_ + 12 + key] - 0.5)); // key_confidence
    data[o_ + 29] = sigmoid(0.9 * s[29]); // mode_confidence
    for (let j = 0; j < d; j++) data[o_ + j] = round4(data[o_ + j]);
  }
  const width = String(n).length;
  const ids = Array.from({ length: n }, (_, i) => `clip${String(i + 1).padStart(width, '0')}`);
  return { ids, names: [...SYNTHETIC_FEATURES], X: asFeatureMatrix({ rows: n, cols: d, data }), source: 'features.csv' };
}

/** Template W_T: block diagonal weights (`templateWeights`), small couplings inside the timbre block. */
function makeTemplate(o: SyntheticOptions, rng: Rng): SpdMatrix {
  const d = SYNTHETIC_FEATURES.length;
  const tw = o.templateWeights;
  const W = new Float64Array(d * d);
  const diag = (j: number): number => {
    if (j < 4) return tw.timbreLead * (1 - 0.0375 * j); // T1..T4 falling by 3.75% each
    if (j < 12) return tw.timbreRest * (1 - 0.03 * (j - 4)); // T5..T12 falling by 3% each
    if (j < 24) return tw.chroma;
    return tw.other * [1.75, 1.25, 1, 1, 0.75, 0.75][j - 24]; // loudness, tempo, beat/tatum/key/mode confidence
  };
  for (let j = 0; j < d; j++) W[j * d + j] = diag(j);
  // |v| ≤ 0.05 · (smallest timbre weight): row sums of |off| ≤ 0.55 · that < every timbre diagonal
  const scale = Math.min(diag(3), diag(11)) / 0.79;
  for (let a = 0; a < 12; a++) {
    for (let b = a + 1; b < 12; b++) {
      const v = Math.round(0.1 * scale * (rng.next() - 0.5) * 1e4) / 1e4;
      W[a * d + b] = v;
      W[b * d + a] = v;
    }
  }
  return asSpd({ rows: d, cols: d, data: W });
}

function assertPd(W: Matrix, what: string): void {
  try {
    cholesky(W);
  } catch (e) {
    throw new Error(
      `generateSynthetic: the ${what} is not positive definite (${(e as Error).message}); lower couplingStrength or use fewer overlapping plantedPairs`,
    );
  }
}

/** index 0..2 of the odd one out: the clip opposite the closest pair under W (ties → lowest index). */
function oddUnder(Z: Float64Array, d: number, W: Float64Array, t: readonly [number, number, number], v: Float64Array): 0 | 1 | 2 {
  const X = { rows: Z.length / d, cols: d, data: Z };
  const M = { rows: d, cols: d, data: W };
  const dist = (p: number, q: number): number => mahalanobis(X, M, p, q, v);
  const d12 = dist(t[1], t[2]); // pair without clip 0
  const d02 = dist(t[0], t[2]); // without clip 1
  const d01 = dist(t[0], t[1]); // without clip 2
  if (d12 <= d02 && d12 <= d01) return 0;
  if (d02 <= d01) return 1;
  return 2;
}

const GENDERS = [
  ['male', 0.58],
  ['female', 0.39],
  ['other', 0.03],
] as const;
const LANGUAGES: ReadonlyArray<readonly [string, number, readonly string[]]> = [
  ['English', 0.45, ['UK', 'UK', 'US', 'Ireland', 'Australia']],
  ['German', 0.18, ['Germany', 'Germany', 'Austria', 'Switzerland']],
  ['Spanish', 0.1, ['Spain', 'Mexico', 'Argentina']],
  ['French', 0.1, ['France', 'Belgium', 'Canada']],
  ['Greek', 0.07, ['Greece', 'Cyprus']],
  ['Chinese', 0.1, ['China', 'UK']],
];
const OCCUPATIONS: Record<AgeGroup, ReadonlyArray<readonly [string, number]>> = {
  '<=25': [
    ['student', 0.68],
    ['employed', 0.24],
    ['unemployed', 0.05],
    ['self-employed', 0.03],
  ],
  '>25': [
    ['employed', 0.6],
    ['self-employed', 0.16],
    ['student', 0.12],
    ['retired', 0.08],
    ['unemployed', 0.04],
  ],
};

function pick<T extends readonly [unknown, number, ...unknown[]]>(rng: Rng, items: readonly T[]): T {
  let u = rng.next() * items.reduce((s, it) => s + it[1], 0);
  for (const it of items) {
    if (u < it[1]) return it;
    u -= it[1];
  }
  return items[items.length - 1];
}

/** Users with attributes; the planted group gets round(users · plantedShare) users (at least 1 each side). */
function generateUsers(o: SyntheticOptions, rng: Rng): { ids: string[]; attrs: Record<string, string>[]; group: AgeGroup[]; activity: number[] } {
  const other: AgeGroup = o.plantedGroup === '>25' ? '<=25' : '>25';
  const nPlanted = Math.min(o.users - 1, Math.max(1, Math.round(o.users * o.plantedShare)));
  const groups: AgeGroup[] = Array.from({ length: o.users }, (_, u) => (u < nPlanted ? o.plantedGroup : other));
  rng.shuffle(groups);
  const width = String(o.users).length;
  const ids: string[] = [];
  const attrs: Record<string, string>[] = [];
  const activity: number[] = [];
  for (let u = 0; u < o.users; u++) {
    const g = groups[u];
    const [language, , places] = pick(rng, LANGUAGES);
    const a: Record<string, string> = {
      age_group: g,
      gender: pick(rng, GENDERS)[0],
      occupation: pick(rng, OCCUPATIONS[g])[0],
      language,
      location: places[rng.int(places.length)],
    };
    // like real surveys, a few answers are missing (age_group only through noAgeShare, see hideAges)
    if (rng.next() < 0.05) a.occupation = '';
    if (rng.next() < 0.05) a.location = '';
    ids.push(`u${String(u + 1).padStart(width, '0')}`);
    attrs.push(a);
    activity.push(Math.exp(0.8 * rng.normal()));
  }
  return { ids, attrs, group: groups, activity };
}

/**
 * Users by STATED age group ('<=25', '>25', 'noAge'): round(users · noAgeShare) users, chosen by a seeded
 * shuffle, leave age_group empty (it is removed from their attributes); the others state their true group.
 * With noAgeShare absent or 0 nothing changes and no random number is drawn.
 */
function hideAges(o: SyntheticOptions, users: { attrs: Record<string, string>[]; group: AgeGroup[] }, rng: Rng): Record<string, number[]> {
  const n = users.group.length;
  const hidden = new Set<number>();
  if (o.noAgeShare) {
    const order = Array.from({ length: n }, (_, u) => u);
    rng.shuffle(order);
    for (const u of order.slice(0, Math.round(n * o.noAgeShare))) hidden.add(u);
  }
  const stated: Record<string, number[]> = { '<=25': [], '>25': [], noAge: [] };
  for (let u = 0; u < n; u++) {
    if (hidden.has(u)) users.attrs[u].age_group = '';
    stated[hidden.has(u) ? 'noAge' : users.group[u]].push(u);
  }
  if (o.votesPerGroup) {
    for (const [cat, list] of Object.entries(stated)) {
      const want = o.votesPerGroup[cat as keyof typeof o.votesPerGroup];
      if (want > 0 && list.length === 0)
        throw new Error(`generateSynthetic: votesPerGroup asks for ${want} votes of "${cat}" but no user is in it; use more users`);
    }
  }
  return stated;
}

/** Cumulative Zipf weights k^(−s), k = 1..n (normalised to end at 1). */
function cumulativeZipf(n: number, s: number): Float64Array {
  const c = new Float64Array(n);
  let sum = 0;
  for (let k = 0; k < n; k++) c[k] = sum += (k + 1) ** -s;
  for (let k = 0; k < n; k++) c[k] /= sum;
  return c;
}

/** The first index whose cumulative weight exceeds u ∈ [0, 1) (binary search). */
function drawIndex(c: Float64Array, u: number): number {
  let lo = 0;
  let hi = c.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (c[mid] > u) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** The stated group of each vote: the exact counts, in a seeded random order. */
function votePlan(counts: Readonly<Record<string, number>>, rng: Rng): string[] {
  const plan: string[] = [];
  for (const [cat, n] of Object.entries(counts)) for (let k = 0; k < n; k++) plan.push(cat);
  rng.shuffle(plan);
  return plan;
}

/** Generate a synthetic CASimIR-like data set (see the module comment); fully determined by the seed. */
export function generateSynthetic(opts: Partial<SyntheticOptions> = {}): SyntheticDataset {
  for (const k of Object.keys(opts)) {
    if (!(k in SYNTHETIC_DEFAULTS) && !(OPTIONAL_OPTIONS as readonly string[]).includes(k)) {
      throw new Error(`generateSynthetic: unknown option "${k}" (known: ${[...Object.keys(SYNTHETIC_DEFAULTS), ...OPTIONAL_OPTIONS].join(', ')})`);
    }
  }
  const o: SyntheticOptions = { ...SYNTHETIC_DEFAULTS, ...opts };
  validate(o);
  const root = createRng(`synthetic/${o.seed}`);

  // 1. features, and their standardised version (exactly as preprocess does it)
  const features = generateFeatures(o, root.fork('features'));
  const prep = preprocess(features, { standardise: true });
  if (prep.report.droppedZeroVariance.length) {
    throw new Error(`generateSynthetic: generated features have zero variance (${prep.report.droppedZeroVariance.join(', ')}); use more clips`);
  }
  const Z = prep.features.X.data;
  const d = features.X.cols;

  // 2. true metrics
  const template = makeTemplate(o, root.fork('template'));
  assertPd(template, 'template metric');
  const Wp = new Float64Array(template.data);
  const planted: { i: string; j: string; delta: number }[] = [];
  for (const p of o.plantedPairs) {
    const a = SYNTHETIC_FEATURES.indexOf(p.i);
    const b = SYNTHETIC_FEATURES.indexOf(p.j);
    const delta = p.sign * o.couplingStrength * Math.sqrt(template.data[a * d + a] * template.data[b * d + b]);
    Wp[a * d + b] += delta;
    Wp[b * d + a] += delta;
    planted.push({ i: p.i, j: p.j, delta });
  }
  const plantedMetric = asSpd({ rows: d, cols: d, data: Wp });
  assertPd(plantedMetric, `metric of group ${o.plantedGroup}`);
  const other: AgeGroup = o.plantedGroup === '>25' ? '<=25' : '>25';
  const trueMetrics: Record<string, SpdMatrix> = { [o.plantedGroup]: plantedMetric, [other]: template };

  // 3. users
  const users = generateUsers(o, root.fork('users'));
  const byGroup: Record<string, number[]> = { [o.plantedGroup]: [], [other]: [] };
  users.group.forEach((g, u) => byGroup[g].push(u));
  const stated = hideAges(o, users, root.fork('no-age'));

  // 4. triplet pool (distinct unordered triplets, kept in the drawn presentation order)
  const trng = root.fork('triplets');
  const pool: [number, number, number][] = [];
  const seen = new Set<string>();
  while (pool.length < o.triplets) {
    const a = trng.int(o.clips);
    const b = trng.int(o.clips);
    const c = trng.int(o.clips);
    if (a === b || a === c || b === c) continue;
    const key = [a, b, c].sort((x, y) => x - y).join(',');
    if (seen.has(key)) continue;
    seen.add(key);
    pool.push([a, b, c]);
  }
  const v = new Float64Array(d);
  const I = new Float64Array(d * d);
  for (let k = 0; k < d; k++) I[k * d + k] = 1;
  const answers: Record<string, Uint8Array> = {};
  for (const g of AGE_GROUPS) answers[g] = Uint8Array.from(pool, (t) => oddUnder(Z, d, trueMetrics[g].data, t, v));
  let flips = 0;
  let flipsEuclid = 0;
  for (let t = 0; t < pool.length; t++) {
    if (answers['<=25'][t] !== answers['>25'][t]) flips++;
    if (oddUnder(Z, d, I, pool[t], v) !== answers[other][t]) flipsEuclid++;
  }

  // 5. votes
  const vrng = root.fork('votes');
  const cumulative = (us: number[]): Float64Array => {
    const c = new Float64Array(us.length);
    let s = 0;
    us.forEach((u, k) => (c[k] = s += users.activity[u]));
    return c;
  };
  const cum: Record<string, Float64Array> = { [o.plantedGroup]: cumulative(byGroup[o.plantedGroup]), [other]: cumulative(byGroup[other]) };
  const judgments: OddOneOutVote[] = [];
  const votesPerGroup: Record<string, number> = { '<=25': 0, '>25': 0 };
  const choices = new Map<number, Set<number>>();
  const popularity = o.tripletSkew ? cumulativeZipf(pool.length, o.tripletSkew) : null;
  const plan = o.votesPerGroup ? votePlan(o.votesPerGroup, root.fork('vote-groups')) : null;
  const statedCum: Record<string, Float64Array> = {};
  if (plan) {
    votesPerGroup.noAge = 0;
    for (const cat of Object.keys(stated)) statedCum[cat] = cumulative(stated[cat]);
  }
  const draw = (cg: Float64Array, list: number[]): number => {
    const r = vrng.next() * cg[cg.length - 1];
    let lo = 0;
    while (lo < cg.length - 1 && cg[lo] <= r) lo++;
    return list[lo];
  };
  for (let k = 0; k < o.votes; k++) {
    // exact counts per stated group (the poster-like set), or the original draw with plantedShare
    const cat = plan ? plan[k] : vrng.next() < o.plantedShare ? o.plantedGroup : other;
    const u = plan ? draw(statedCum[cat], stated[cat]) : draw(cum[cat], byGroup[cat]);
    const g = users.group[u];
    const t = popularity ? drawIndex(popularity, vrng.next()) : vrng.int(pool.length);
    const noisy = vrng.next() < o.noise;
    const randomChoice = vrng.int(3) as 0 | 1 | 2; // always drawn, so the stream does not depend on noise
    const odd = noisy ? randomChoice : (answers[g][t] as 0 | 1 | 2);
    votesPerGroup[cat]++;
    let set = choices.get(t);
    if (!set) {
      set = new Set();
      choices.set(t, set);
    }
    set.add(odd);
    const attrs: Record<string, string> = {};
    for (const [key, val] of Object.entries(users.attrs[u])) if (val !== '') attrs[key] = val;
    const [a, b, c] = pool[t];
    judgments.push({
      kind: 'vote',
      clips: [features.ids[a], features.ids[b], features.ids[c]],
      odd,
      count: 1,
      user: users.ids[u],
      attrs,
      line: k + 2,
    });
  }
  let contradicted = 0;
  for (const s of choices.values()) if (s.size > 1) contradicted++;

  const userMap = new Map<string, Record<string, string>>();
  users.ids.forEach((id, u) => {
    const a: Record<string, string> = {};
    for (const [key, val] of Object.entries(users.attrs[u])) if (val !== '') a[key] = val;
    userMap.set(id, a);
  });

  return {
    features,
    judgments: { layout: 'votes', judgments, attributeColumns: [...SYNTHETIC_ATTRIBUTES], source: 'votes.csv' },
    users: userMap,
    trueMetrics,
    template,
    planted,
    options: o,
    stats: {
      votesPerGroup,
      tripletsVoted: choices.size,
      contradictedTriplets: contradicted,
      plantedFlipShare: flips / pool.length,
      templateVsEuclideanFlipShare: flipsEuclid / pool.length,
    },
  };
}

function matrixRows(m: Matrix): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < m.rows; i++) out.push(Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols)));
  return out;
}

/**
 * The data set as interchange files (FORMATS.md): features.csv (`id,<features>`), votes.csv
 * (layout 2 `a,b,c,odd,user`; attributes come from users.csv), users.csv
 * (`user,age_group,gender,occupation,language,location`, empty cell = not answered) and truth.json
 * (template, per-group true metrics on the standardised features, planted pairs, options, stats).
 */
export function syntheticToFiles(ds: SyntheticDataset): Array<{ name: string; text: string }> {
  const { X, ids, names } = ds.features;
  const d = X.cols;
  const feat: string[] = [['id', ...names].join(',')];
  for (let i = 0; i < X.rows; i++) {
    const cells = [ids[i]];
    for (let k = 0; k < d; k++) cells.push(String(X.data[i * d + k]));
    feat.push(cells.join(','));
  }
  const votes: string[] = ['a,b,c,odd,user'];
  for (const j of ds.judgments.judgments) {
    if (j.kind !== 'vote') continue;
    votes.push([...j.clips, j.clips[j.odd], j.user ?? ''].join(','));
  }
  const users: string[] = [['user', ...SYNTHETIC_ATTRIBUTES].join(',')];
  for (const [id, a] of ds.users) users.push([id, ...SYNTHETIC_ATTRIBUTES.map((k) => a[k] ?? '')].join(','));
  const truth = {
    what: 'Synthetic CASimIR-like data (not real listeners): the true metrics the votes were generated from.',
    generator: 'similarity-lab src/core/synthetic.ts generateSynthetic',
    seed: ds.options.seed,
    options: ds.options,
    featureSpace:
      'standardised features: every column of features.csv z-scored with its mean and population sd over all clips; ' +
      'the true distance is (x − y)ᵀ W (x − y) on those',
    featureNames: names,
    template: matrixRows(ds.template),
    trueMetrics: Object.fromEntries(Object.entries(ds.trueMetrics).map(([g, W]) => [g, matrixRows(W)])),
    plantedGroup: ds.options.plantedGroup,
    planted: ds.planted,
    stats: ds.stats,
  };
  return [
    { name: 'features.csv', text: feat.join('\n') + '\n' },
    { name: 'votes.csv', text: votes.join('\n') + '\n' },
    { name: 'users.csv', text: users.join('\n') + '\n' },
    { name: 'truth.json', text: JSON.stringify(truth, null, 1) + '\n' },
  ];
}
