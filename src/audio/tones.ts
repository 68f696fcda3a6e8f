/**
 * Synthetic tones with controlled timbre dimensions (issue 13), after Grey (1977) and McAdams et al. (1995), whose
 * timbre spaces have three dimensions: log-attack time, spectral centroid and spectral flux. Each tone is a
 * harmonic tone at F0 (311.13 Hz, E♭4 as in Grey's stimuli), TONE_SECONDS long at ANALYSIS_RATE, mono:
 *
 *   x(t) = env(t) · Σₙ aₙ(t) sin(2π n F0 t + φₙ),  n = 1 … while n·F0 < 10 kHz
 *   aₙ(t) ∝ gₙ · n^(−β(t)),  β(t) = β₀ + depth · sin(2π · FLUX_RATE · t)   (Σ aₙ² = 1 at every t)
 *   env: linear rise over the attack time, flat, then an exponential release over the last RELEASE seconds
 *
 * - attack (ms): ATTACKS_MS, log-spaced 10 … 300 ms → attack_log_s
 * - brightness: β₀ ∈ SLOPES (the harmonic amplitude slope; a smaller β₀ is brighter) → centroid_mean_hz
 * - flux: depth ∈ FLUX_DEPTHS, the spectral tilt oscillating at FLUX_RATE Hz → flux_mean
 * gₙ = 10^(0.05 · u) with u uniform in ±1 (a seeded ±1 dB ripple, so no two tones are perfectly regular) and the
 * phases φₙ uniform — both drawn from createRng(`${seed}:${id}`), so every tone is the same on every platform up to
 * the last bit of Math.sin / Math.pow. Peak normalised to PEAK.
 *
 * The simulated listener (simulateToneVotes) judges by the generating dimensions: the z-scored coordinates
 * (log10 attack, −β₀, depth) weighted per listener profile, squared Euclidean distance, each of the three pair
 * distances of a triplet multiplied by exp(σ·N(0,1)) (DISTANCE_NOISE), then with probability LAPSE a uniformly
 * random answer; the odd one out is the clip opposite the closest pair.
 */
import { createRng } from '../core/rng';
import { ANALYSIS_RATE } from './resample';

export const F0 = 311.13;
export const TONE_SECONDS = 2;
export const RELEASE = 0.25;
export const PEAK = 0.5;
export const MAX_PARTIAL_HZ = 10000;
export const ATTACKS_MS = [10, 55, 300] as const;
export const SLOPES = [2.2, 1.4, 0.6] as const;
export const FLUX_DEPTHS = [0, 0.5, 1] as const;
export const FLUX_RATE = 3;
export const DISTANCE_NOISE = 0.3;
export const LAPSE = 0.05;

export interface ToneSpec {
  readonly id: string;
  readonly attackMs: number;
  /** β₀: harmonic amplitude slope (larger = darker) */
  readonly slope: number;
  /** depth of the spectral-tilt oscillation */
  readonly fluxDepth: number;
}

/** The 3 × 3 × 3 grid: ids `t-a<i>-b<j>-f<k>` (i: attack, j: brightness, k: flux; 0 = low). */
export function toneGrid(): ToneSpec[] {
  const out: ToneSpec[] = [];
  ATTACKS_MS.forEach((attackMs, i) =>
    SLOPES.forEach((slope, j) => FLUX_DEPTHS.forEach((fluxDepth, k) => out.push({ id: `t-a${i}-b${j}-f${k}`, attackMs, slope, fluxDepth }))),
  );
  return out;
}

/** One tone's samples at ANALYSIS_RATE. */
export function synthTone(spec: ToneSpec, seed: number | string = 1): Float32Array {
  const rng = createRng(`${seed}:${spec.id}`);
  const N = Math.floor(MAX_PARTIAL_HZ / F0);
  const gain = Float64Array.from({ length: N }, () => 10 ** (0.05 * (2 * rng.next() - 1)));
  const phase = Float64Array.from({ length: N }, () => 2 * Math.PI * rng.next());
  const len = Math.round(TONE_SECONDS * ANALYSIS_RATE);
  const out = new Float64Array(len);
  const amp = new Float64Array(N);
  const attack = spec.attackMs / 1000;
  let peak = 0;
  for (let i = 0; i < len; i++) {
    const t = i / ANALYSIS_RATE;
    const beta = spec.slope + spec.fluxDepth * Math.sin(2 * Math.PI * FLUX_RATE * t);
    let norm = 0;
    for (let n = 0; n < N; n++) {
      amp[n] = gain[n] * (n + 1) ** -beta;
      norm += amp[n] * amp[n];
    }
    norm = Math.sqrt(norm);
    let s = 0;
    for (let n = 0; n < N; n++) s += (amp[n] / norm) * Math.sin(2 * Math.PI * (n + 1) * F0 * t + phase[n]);
    const rel = TONE_SECONDS - t;
    const env = Math.min(1, t / attack) * (rel < RELEASE ? Math.exp(-5 * (1 - rel / RELEASE)) * (rel / RELEASE) : 1);
    out[i] = env * s;
    peak = Math.max(peak, Math.abs(out[i]));
  }
  return Float32Array.from(out, (v) => (PEAK * v) / peak);
}

/** A listener profile: weights of the three generating dimensions (z-scored over the grid). */
export interface ListenerProfile {
  readonly name: string;
  readonly weights: { readonly attack: number; readonly brightness: number; readonly flux: number };
}
export const PROFILES: readonly ListenerProfile[] = [
  { name: 'attack-focused', weights: { attack: 3, brightness: 1, flux: 0.5 } },
  { name: 'brightness-focused', weights: { attack: 0.5, brightness: 3, flux: 1 } },
];

export interface ToneVoteOptions {
  readonly seed: number | string;
  readonly usersPerProfile: number;
  readonly votes: number;
}
export const TONE_VOTE_DEFAULTS: ToneVoteOptions = { seed: 1, usersPerProfile: 10, votes: 3000 };

/** z-scored generating coordinates (log10 attack, −β₀, depth) of each tone. */
export function toneCoordinates(tones: readonly ToneSpec[]): number[][] {
  const raw = tones.map((t) => [Math.log10(t.attackMs / 1000), -t.slope, t.fluxDepth]);
  return raw.map((r) =>
    r.map((v, k) => {
      const col = raw.map((x) => x[k]);
      const m = col.reduce((a, b) => a + b, 0) / col.length;
      const sd = Math.sqrt(col.reduce((a, b) => a + (b - m) ** 2, 0) / col.length);
      return (v - m) / sd;
    }),
  );
}

/** Simulated odd-one-out votes `a,b,c,odd,user` and users `user,profile`. */
export function simulateToneVotes(tones: readonly ToneSpec[], o: ToneVoteOptions = TONE_VOTE_DEFAULTS): { votes: string[][]; users: string[][] } {
  const rng = createRng(`tones-votes:${o.seed}`);
  const z = toneCoordinates(tones);
  const users = PROFILES.flatMap((p, g) =>
    Array.from({ length: o.usersPerProfile }, (_, u) => [`u${String(g * o.usersPerProfile + u + 1).padStart(2, '0')}`, p.name]),
  );
  const profileOf = new Map(users.map(([u, p]) => [u, PROFILES.find((x) => x.name === p)!]));
  const votes: string[][] = [];
  for (let v = 0; v < o.votes; v++) {
    const [user] = users[rng.int(users.length)];
    const w = profileOf.get(user)!.weights;
    const wk = [w.attack, w.brightness, w.flux];
    const tri = rng.shuffle(tones.map((_, i) => i)).slice(0, 3);
    const dist = (i: number, j: number) => wk.reduce((s, wv, k) => s + wv * (z[i][k] - z[j][k]) ** 2, 0) * Math.exp(DISTANCE_NOISE * rng.normal());
    // pair distances (b,c), (a,c), (a,b): the odd one is the clip outside the closest pair
    const d = [dist(tri[1], tri[2]), dist(tri[0], tri[2]), dist(tri[0], tri[1])];
    let odd = d.indexOf(Math.min(...d));
    if (rng.next() < LAPSE) odd = rng.int(3);
    votes.push([...tri.map((i) => tones[i].id), tones[tri[odd]].id, user]);
  }
  return { votes, users };
}
