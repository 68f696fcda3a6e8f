/**
 * Simulated players (issue 14, "Simulated players"): bots that answer by a known metric on the clips' features
 * plus noise, playing whole matches through the same state machine and schedule as people. For tests and for
 * a demo (two populations with different planted metrics).
 */
import { createRng, type Rng } from '../core/rng';
import { playClip, startMatch, startRound, stopClip, vote } from './match';
import type { Answers, ClipId, Index3, MatchId, Player, PlayerId, SessionSettings, VoteId, VoteRecord } from './types';

export interface SimPlayer {
  readonly id: PlayerId;
  /** diagonal metric on the features: d(x, y) = Σ w_k (x_k − y_k)² (used when `metric` is absent) */
  readonly weights?: readonly number[];
  /** full PSD metric M (d×d, symmetric): d(x, y) = (x − y)ᵀ M (x − y); takes precedence over `weights` */
  readonly metric?: readonly (readonly number[])[];
  /** sd of Gaussian noise added to each pair's distance, relative to `scale` (e.g. 0.1) */
  readonly noise: number;
  /**
   * the distance the noise is relative to; default: the mean distance of two independent uniform [0, 1) feature
   * vectors under the metric, trace(M) / 6 (simFeatures' features). plantedPopulations sets the features' own mean.
   */
  readonly scale?: number;
  /** probability of letting a round time out */
  readonly timeoutRate: number;
  /** probability of a random pick (an inattentive player) */
  readonly randomRate: number;
  readonly answers: Answers;
}

/** Seeded features in [0, 1) for each clip. */
export function simFeatures(clipIds: readonly ClipId[], dims: number, seed: string): Map<ClipId, number[]> {
  const rng = createRng(`${seed}/features`);
  return new Map(clipIds.map((c) => [c, Array.from({ length: dims }, () => rng.next())]));
}

/** Squared weighted distance. */
export function simDistance(w: readonly number[], x: readonly number[], y: readonly number[]): number {
  let d = 0;
  for (let k = 0; k < w.length; k++) d += w[k] * (x[k] - y[k]) ** 2;
  return d;
}

/** (x − y)ᵀ M (x − y) for a full metric M. */
export function simMetricDistance(M: readonly (readonly number[])[], x: readonly number[], y: readonly number[]): number {
  let d = 0;
  for (let i = 0; i < M.length; i++) {
    const di = x[i] - y[i];
    for (let j = 0; j < M.length; j++) d += di * M[i][j] * (x[j] - y[j]);
  }
  return d;
}

/** The player's metric as a full matrix (diag(weights) when only weights are given). */
export function simMetric(p: Pick<SimPlayer, 'weights' | 'metric'>): number[][] {
  if (p.metric) return p.metric.map((r) => [...r]);
  const w = p.weights ?? [];
  return w.map((wi, i) => w.map((_, j) => (i === j ? wi : 0)));
}

/** The player's (noise-free) distance between two feature vectors. */
export function simPlayerDistance(p: Pick<SimPlayer, 'weights' | 'metric'>, x: readonly number[], y: readonly number[]): number {
  if (p.metric) return simMetricDistance(p.metric, x, y);
  if (p.weights) return simDistance(p.weights, x, y);
  throw new Error('a simulated player needs weights or a metric');
}

/** The odd one out by the player's metric: the clip outside the closest (noisy) pair; null for a timeout. */
export function simChoice(p: SimPlayer, clips: readonly [ClipId, ClipId, ClipId], features: ReadonlyMap<ClipId, readonly number[]>, rng: Rng): Index3 | null {
  if (rng.next() < p.timeoutRate) return null;
  if (rng.next() < p.randomRate) return rng.int(3) as Index3;
  const f = clips.map((c) => features.get(c) as readonly number[]);
  const scale = p.scale ?? simMetric(p).reduce((s, r, k) => s + r[k], 0) / 6;
  // pair k leaves out clip k
  const d = ([0, 1, 2] as const).map((k) => {
    const [i, j] = [0, 1, 2].filter((x) => x !== k);
    return simPlayerDistance(p, f[i], f[j]) + p.noise * scale * rng.normal();
  });
  return d.indexOf(Math.min(...d)) as Index3;
}

/** The flag of a simulated player's record (shown in the dashboard; the organiser can remove them). */
export const SIMULATED_FLAG = 'simulated';

/** A player record for the simulated player (consent given, answers as set, flagged 'simulated'). */
export function simPlayerRecord(settings: SessionSettings, p: SimPlayer): Player {
  return { id: p.id, session: settings.id, answers: p.answers, consent: true, flags: [SIMULATED_FLAG] };
}

/**
 * Play one round of a match for a bot: start it at `now`, listen to each clip once (2–6 s), pick. Returns the
 * new state and the vote (to be appended to the session's votes by the caller).
 */
export function simRound(
  settings: SessionSettings,
  p: SimPlayer,
  state: ReturnType<typeof startMatch>,
  votes: readonly VoteRecord[],
  features: ReadonlyMap<ClipId, readonly number[]>,
  now: number,
): { state: ReturnType<typeof startMatch>; vote: VoteRecord; end: number } {
  const rng = createRng(`${settings.seed}/bot/${p.id}/${state.match}/${state.done}`);
  let m = startRound(state, settings, votes, now);
  let t = now;
  for (const k of [0, 1, 2] as const) {
    m = playClip(m, settings, k, t);
    t += 2000 + rng.int(4000);
    m = stopClip(m, settings, t);
  }
  const choice = simChoice(p, m.current?.clips as [ClipId, ClipId, ClipId], features, rng);
  const at = choice === null ? now + settings.voteSeconds * 1000 : t + 500 + rng.int(3000);
  const out = vote(m, settings, choice, at, `${p.id}-${state.match}-${state.done}` as VoteId);
  return { ...out, end: at + 1000 };
}

/**
 * Matches of several bots played round by round in turn (so votes accumulate between players). `prior`: the
 * session's votes so far (the schedule continues from them); only the bots' new votes are returned.
 */
export function simSession(
  settings: SessionSettings,
  bots: readonly SimPlayer[],
  matches: number,
  features: ReadonlyMap<ClipId, readonly number[]>,
  t0 = 1_700_000_000_000,
  prior: readonly VoteRecord[] = [],
): VoteRecord[] {
  const votes: VoteRecord[] = [...prior];
  let now = t0;
  for (let k = 0; k < matches; k++) {
    const states = bots.map((b) => startMatch(settings, b.id, `${b.id}-m${k}` as MatchId));
    for (let r = 0; r < settings.roundsPerMatch; r++) {
      bots.forEach((b, i) => {
        const out = simRound(settings, b, states[i], votes, features, now);
        states[i] = out.state;
        votes.push(out.vote);
        now += 1500;
      });
    }
  }
  return votes.slice(prior.length);
}
