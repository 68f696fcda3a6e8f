/**
 * Points, AI seats, catch trials and the leaderboard (issue 14), as in CASimIR (github:citymirg/casimir):
 *  - BasicoooCaller::computeProcessedResults (camir_gameServer/UserConnection/moduleCallerDefinitions/
 *    moduleCaller.basicooo.php): a histogram of the table's picks; each player earns 10 × (others at the
 *    table who picked the same clip); a red herring pays 3 × 10 = 30 for the different clip and 0 otherwise;
 *    no pick, no points;
 *  - MainServer::voteSelectionStrategy with VoteSubsetDistribution::histoDistrib (server/ooo/class.MainServer.php,
 *    server/ooo/stat_voteSelection/): an AI player replays an earlier human vote on the same triplet drawn from
 *    its vote histogram, or an unrelated random vote when the triplet has none (here: a uniformly random tile);
 *  - Match::$maxPlayers = 4 (camir_gameServer/UserConnection/data_models/class.Match.php): seats at a table.
 * Every random draw is seeded by the session seed and the vote id, so scores recompute identically anywhere.
 */
import { createRng } from '../core/rng';
import type { ClipId, PlayerId, SessionSettings, VoteId, VoteRecord } from './types';

/** Points per other player at the table who picked the same clip. */
export const AGREEMENT_POINTS = 10;
/** Points for picking the different clip of a catch trial (the original's 3 × 10). */
export const CATCH_POINTS = 30;

export interface RoundScore {
  readonly vote: VoteId;
  readonly player: PlayerId;
  readonly points: number;
  /** others at the table (humans and AI) who picked the same clip */
  readonly agreeing: number;
  /** the other humans at the table, by vote id */
  readonly humans: readonly VoteId[];
  /** picks of the AI seats */
  readonly ai: readonly ClipId[];
  /** catch trials: was the different clip picked? */
  readonly catchPassed?: boolean;
}

/** Votes in the order they were made (time, then id): the order every score is computed in. */
export function chronological(votes: readonly VoteRecord[]): VoteRecord[] {
  return [...votes].sort((x, y) => x.at - y.at || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
}

/** Picks per clip among votes (timeouts left out). */
export function histogram(votes: readonly VoteRecord[]): Map<ClipId, number> {
  const h = new Map<ClipId, number>();
  for (const v of votes) if (v.choiceClip !== null) h.set(v.choiceClip, (h.get(v.choiceClip) ?? 0) + 1);
  return h;
}

/** `n` AI picks for this vote's triplet drawn from the histogram of `earlier` votes on it (a random tile when empty). */
export function aiPicks(settings: SessionSettings, vote: VoteRecord, earlier: readonly VoteRecord[], n: number): ClipId[] {
  const rng = createRng(`${settings.seed}/ai/${vote.id}`);
  const h = [...histogram(earlier)].sort((x, y) => (x[0] < y[0] ? -1 : 1));
  const total = h.reduce((s, [, c]) => s + c, 0);
  const picks: ClipId[] = [];
  for (let s = 0; s < n; s++) {
    if (total === 0) {
      picks.push(vote.clips[rng.int(3)]);
      continue;
    }
    let x = rng.next() * total;
    let k = 0;
    while (k < h.length - 1 && x >= h[k][1]) x -= h[k++][1];
    picks.push(h[k][0]);
  }
  return picks;
}

/**
 * A vote's score at a table: the other humans' votes and AI picks for the empty seats (seats − 1 − humans),
 * drawn from `earlier` (the triplet's earlier votes). Catch trials pay CATCH_POINTS for the different clip.
 */
export function scoreAtTable(settings: SessionSettings, vote: VoteRecord, humans: readonly VoteRecord[], earlier: readonly VoteRecord[]): RoundScore {
  const base = { vote: vote.id, player: vote.player, humans: humans.map((h) => h.id) };
  if (vote.catch) {
    const passed = vote.choice !== null && vote.choice === vote.differs;
    return { ...base, points: passed ? CATCH_POINTS : 0, agreeing: 0, ai: [], catchPassed: passed };
  }
  const ai = aiPicks(settings, vote, earlier, Math.max(0, settings.seats - 1 - humans.length));
  if (vote.choiceClip === null) return { ...base, points: 0, agreeing: 0, ai };
  const agreeing = humans.filter((h) => h.choiceClip === vote.choiceClip).length + ai.filter((c) => c === vote.choiceClip).length;
  return { ...base, points: AGREEMENT_POINTS * agreeing, agreeing, ai };
}

/**
 * Scores of every vote of a session played asynchronously (each device on its own): a vote's table is the
 * latest earlier vote on its triplet of up to seats − 1 other players, AI seats for the rest; timeouts sit at
 * no table and are not in the histogram. Independent of the input order (votes are taken chronologically).
 */
export function scoreSession(settings: SessionSettings, votes: readonly VoteRecord[]): RoundScore[] {
  const byTriplet = new Map<string, VoteRecord[]>();
  const out: RoundScore[] = [];
  for (const v of chronological(votes)) {
    const earlier = byTriplet.get(v.triplet) ?? [];
    const humans: VoteRecord[] = [];
    const players = new Set<string>([v.player]);
    for (let k = earlier.length - 1; k >= 0 && humans.length < settings.seats - 1; k--) {
      if (players.has(earlier[k].player)) continue;
      players.add(earlier[k].player);
      humans.push(earlier[k]);
    }
    out.push(scoreAtTable(settings, v, v.catch ? [] : humans, earlier));
    if (!v.timeout) byTriplet.set(v.triplet, [...earlier, v]);
  }
  return out;
}

/** When a player is marked for failing catch trials. */
export interface CatchRule {
  /** failed catch trials needed (default 1) */
  readonly minFailures: number;
  /** and at least this share of the catch trials taken failed (default 0) */
  readonly minFailShare: number;
  /** a timeout on a catch trial counts as a failure (default false: it is skipped) */
  readonly timeoutIsFailure: boolean;
}
export const DEFAULT_CATCH_RULE: CatchRule = { minFailures: 1, minFailShare: 0, timeoutIsFailure: false };

export interface CatchSummary {
  readonly taken: number;
  readonly passed: number;
  readonly failed: number;
  readonly flagged: boolean;
}

/** Catch-trial results per player (players without catch trials are absent). */
export function catchSummary(votes: readonly VoteRecord[], rule: CatchRule = DEFAULT_CATCH_RULE): Map<PlayerId, CatchSummary> {
  const acc = new Map<PlayerId, { taken: number; passed: number; failed: number }>();
  for (const v of votes) {
    if (!v.catch || (v.timeout && !rule.timeoutIsFailure)) continue;
    const a = acc.get(v.player) ?? { taken: 0, passed: 0, failed: 0 };
    a.taken++;
    if (!v.timeout && v.choice === v.differs) a.passed++;
    else a.failed++;
    acc.set(v.player, a);
  }
  const out = new Map<PlayerId, CatchSummary>();
  for (const [p, a] of acc) out.set(p, { ...a, flagged: a.failed >= rule.minFailures && a.failed >= rule.minFailShare * a.taken });
  return out;
}

/** Players marked by the catch rule. */
export function flaggedPlayers(votes: readonly VoteRecord[], rule: CatchRule = DEFAULT_CATCH_RULE): Set<PlayerId> {
  return new Set([...catchSummary(votes, rule)].filter(([, s]) => s.flagged).map(([p]) => p));
}

export interface LeaderboardRow {
  /** 1-based; equal points share a rank */
  readonly rank: number;
  readonly player: PlayerId;
  readonly points: number;
  readonly rounds: number;
  readonly timeouts: number;
  /** rounds in which someone at the table agreed */
  readonly agreedRounds: number;
  readonly catchPassed: number;
  readonly catchFailed: number;
  readonly flagged: boolean;
}

/** The leaderboard: points descending, then player id. */
export function leaderboard(votes: readonly VoteRecord[], scores: readonly RoundScore[], rule: CatchRule = DEFAULT_CATCH_RULE): LeaderboardRow[] {
  const byVote = new Map(scores.map((s) => [s.vote, s]));
  const catches = catchSummary(votes, rule);
  const rows = new Map<PlayerId, Omit<LeaderboardRow, 'rank' | 'catchPassed' | 'catchFailed' | 'flagged'>>();
  for (const v of votes) {
    const r = rows.get(v.player) ?? { player: v.player, points: 0, rounds: 0, timeouts: 0, agreedRounds: 0 };
    const s = byVote.get(v.id);
    rows.set(v.player, {
      ...r,
      points: r.points + (s?.points ?? 0),
      rounds: r.rounds + 1,
      timeouts: r.timeouts + (v.timeout ? 1 : 0),
      agreedRounds: r.agreedRounds + ((s?.agreeing ?? 0) > 0 ? 1 : 0),
    });
  }
  const sorted = [...rows.values()].sort((x, y) => y.points - x.points || (x.player < y.player ? -1 : 1));
  return sorted.map((r, i) => {
    const c = catches.get(r.player);
    const rank = i > 0 && sorted[i - 1].points === r.points ? sorted.findIndex((q) => q.points === r.points) + 1 : i + 1;
    return { ...r, rank, catchPassed: c?.passed ?? 0, catchFailed: c?.failed ?? 0, flagged: c?.flagged ?? false };
  });
}
