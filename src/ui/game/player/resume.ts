/**
 * Where a player was after a reload. resumeMatch (src/game/match.ts) finds their latest unfinished match and
 * its first round without a vote; rounds passed over (a clip that would not load) have no vote either, so the
 * match resumes after its last recorded round instead.
 */
import { type MatchState, type PlayerId, resumeMatch, type SessionSettings, type VoteRecord } from '../../../game';

export function resumeFor(settings: SessionSettings, player: PlayerId, votes: readonly VoteRecord[]): MatchState | null {
  const m = resumeMatch(settings, player, votes);
  if (!m) return null;
  const rounds = votes.filter((v) => v.player === player && v.match === m.match).map((v) => v.round);
  const done = Math.max(m.done, ...rounds.map((r) => r + 1));
  return done >= settings.roundsPerMatch ? null : { ...m, done };
}

/** The player's latest match (by the time of its last vote), or null without votes. */
export function lastMatchOf(player: PlayerId, votes: readonly VoteRecord[]): string | null {
  let last: VoteRecord | null = null;
  for (const v of votes) if (v.player === player && (!last || v.at > last.at)) last = v;
  return last?.match ?? null;
}
