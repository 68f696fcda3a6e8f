/**
 * The organiser's dashboard as plain data (pure): players and their questionnaires, votes per triplet against
 * the pool's growth rule (70 % of the active triplets with ≥ 2 votes), catch trials with the players they
 * flag, agreement and the leaderboard — over every merged vote (this device's and the imported ones).
 */
import {
  activeCount,
  type CatchSummary,
  catchSummary,
  type ClipId,
  type LeaderboardRow,
  leaderboard,
  type MergeResult,
  type PlayerId,
  playersWithoutRecord,
  scoreSession,
  type SessionSettings,
  SIMULATED_FLAG,
  tripletPool,
  voteCounts,
} from '../../../game';

export interface PlayerRow {
  readonly id: PlayerId;
  readonly votes: number;
  /** questions answered (any answer, "rather not say" included) of the questionnaire's */
  readonly answered: number;
  readonly questions: number;
  /** no questionnaire record reached this device (votes only) */
  readonly noRecord: boolean;
  readonly flagged: boolean;
  /** a simulated player's record (flag 'simulated': the organiser's demo bots) */
  readonly simulated: boolean;
}

export interface TripletRow {
  readonly id: string;
  readonly clips: readonly ClipId[];
  /** votes (no timeouts, no catch trials) */
  readonly votes: number;
  /** picks per clip of `clips` */
  readonly picks: readonly number[];
  /** share of the votes that agree with the most picked clip (null without votes) */
  readonly majority: number | null;
}

export interface Dashboard {
  readonly votes: number;
  readonly timeouts: number;
  readonly players: readonly PlayerRow[];
  readonly triplets: readonly TripletRow[];
  /** the pool's active size and how many of those have ≥ minVotes votes */
  readonly active: number;
  readonly covered: number;
  /** covered triplets still needed before the pool grows (0: it grows with the next vote) */
  readonly toGrow: number;
  readonly catches: ReadonlyMap<PlayerId, CatchSummary>;
  readonly flagged: readonly PlayerId[];
  readonly leaderboard: readonly LeaderboardRow[];
  /** points for agreement (catch-trial points not counted) and rounds in which someone at the table agreed */
  readonly agreementPoints: number;
  readonly agreedRounds: number;
  readonly scoredRounds: number;
}

function tripletRows(settings: SessionSettings, m: MergeResult, active: number): TripletRow[] {
  const counts = voteCounts(m.votes);
  return tripletPool(settings, active).map((t) => {
    const on = m.votes.filter((v) => v.triplet === t.id && !v.timeout && !v.catch);
    const picks = t.clips.map((c) => on.filter((v) => v.choiceClip === c).length);
    const n = counts.get(t.id) ?? 0;
    return { id: t.id, clips: t.clips, votes: n, picks, majority: n ? Math.max(...picks) / n : null };
  });
}

export function dashboardOf(settings: SessionSettings, m: MergeResult): Dashboard {
  const active = activeCount(settings, m.votes);
  const triplets = tripletRows(settings, m, active);
  const covered = triplets.filter((t) => t.votes >= settings.growth.minVotes).length;
  const catches = catchSummary(m.votes);
  const flagged = [...catches]
    .filter(([, c]) => c.flagged)
    .map(([p]) => p)
    .sort();
  const scores = scoreSession(settings, m.votes);
  const board = leaderboard(m.votes, scores);
  const perPlayer = new Map<string, number>();
  for (const v of m.votes) perPlayer.set(v.player, (perPlayer.get(v.player) ?? 0) + 1);
  const qs = settings.questionnaire.questions;
  const players: PlayerRow[] = [
    ...m.players.map((p) => ({
      id: p.id,
      votes: perPlayer.get(p.id) ?? 0,
      answered: qs.filter((q) => q.id in p.answers).length,
      questions: qs.length,
      noRecord: false,
      flagged: flagged.includes(p.id),
      simulated: p.flags.includes(SIMULATED_FLAG),
    })),
    ...playersWithoutRecord(m).map((id) => ({
      id,
      votes: perPlayer.get(id) ?? 0,
      answered: 0,
      questions: qs.length,
      noRecord: true,
      flagged: flagged.includes(id),
      simulated: false,
    })),
  ];
  const regular = scores.filter((s) => s.catchPassed === undefined);
  return {
    votes: m.votes.length,
    timeouts: m.votes.filter((v) => v.timeout).length,
    players,
    triplets,
    active,
    covered,
    toGrow: Math.max(0, Math.ceil(settings.growth.coverage * active - 1e-9) - covered),
    catches,
    flagged,
    leaderboard: board,
    agreementPoints: regular.reduce((s, r) => s + r.points, 0),
    agreedRounds: regular.filter((r) => r.agreeing > 0).length,
    scoredRounds: regular.length,
  };
}
