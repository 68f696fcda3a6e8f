import { describe, expect, it } from 'vitest';
import { aiPicks, CATCH_POINTS, catchSummary, flaggedPlayers, leaderboard, scoreAtTable, scoreSession } from './scoring';
import { createSession } from './session';
import { type Index3, matchId, playerId, tripletId, type VoteRecord, voteId } from './types';

const S = createSession({ clipSetId: 'test', clipIds: ['A', 'B', 'C', 'D', 'E'], seed: 'score' });
const S2 = createSession({ clipSetId: 'test', clipIds: ['A', 'B', 'C', 'D', 'E'], seed: 'score', seats: 2 });

let n = 0;
function v(player: string, pick: 'A' | 'B' | 'C' | null, at: number, extra: Partial<VoteRecord> = {}): VoteRecord {
  const clips = ['A', 'B', 'C'] as const;
  const choice = pick === null ? null : (clips.indexOf(pick) as Index3);
  return {
    id: voteId(`v${String(++n).padStart(4, '0')}`),
    session: S.id,
    player: playerId(player),
    match: matchId('m'),
    round: 0,
    triplet: tripletId('T0'),
    clips,
    choice,
    choiceClip: pick,
    timeout: pick === null,
    rtMs: 500,
    playMs: [0, 0, 0],
    playOrder: [],
    catch: false,
    at,
    ...extra,
  };
}
/** A catch trial: clips [A, B, A], B differs. */
const c = (player: string, choice: Index3 | null, at: number) =>
  v(player, null, at, {
    triplet: tripletId('C0'),
    clips: ['A', 'B', 'A'],
    choice,
    choiceClip: choice === null ? null : ['A', 'B', 'A'][choice],
    timeout: choice === null,
    catch: true,
    differs: 1,
  });

describe('scoreAtTable', () => {
  it('pays 10 per other human who picked the same clip; a full table has no AI seat', () => {
    const s = scoreAtTable(S, v('me', 'B', 10), [v('x', 'B', 1), v('y', 'B', 2), v('z', 'C', 3)], []);
    expect(s).toMatchObject({ points: 20, agreeing: 2, ai: [] });
  });

  it('fills empty seats with AI picks drawn from the triplet histogram', () => {
    const earlier = [v('x', 'B', 1), v('y', 'B', 2)];
    const s = scoreAtTable(S, v('me', 'B', 10), [v('z', 'A', 3)], earlier);
    expect(s.ai).toEqual(['B', 'B']); // a histogram with only B
    expect(s).toMatchObject({ points: 20, agreeing: 2 });
    const t = scoreAtTable(S, v('me', 'A', 10), [v('z', 'A', 3)], earlier);
    expect(t).toMatchObject({ points: 10, agreeing: 1 });
  });

  it('draws AI picks in proportion to the histogram, and uniformly over the tiles when it is empty', () => {
    const earlier = [v('x', 'A', 1), v('y', 'A', 2), v('z', 'A', 3), v('w', 'C', 4)];
    const picks = Array.from({ length: 2000 }, (_, i) => aiPicks(S, v(`p${i}`, 'A', 9), earlier, 1)[0]);
    const a = picks.filter((p) => p === 'A').length / picks.length;
    expect(a).toBeGreaterThan(0.71);
    expect(a).toBeLessThan(0.79);
    expect(picks.filter((p) => p === 'B').length).toBe(0);
    const empty = Array.from({ length: 3000 }, (_, i) => aiPicks(S, v(`q${i}`, 'A', 9), [], 1)[0]);
    for (const clip of ['A', 'B', 'C']) expect(empty.filter((p) => p === clip).length).toBeGreaterThan(880);
    // seeded by session seed + vote id
    const x = v('me', 'A', 1);
    expect(aiPicks(S, x, [], 3)).toEqual(aiPicks(S, x, [], 3));
  });

  it('pays nothing for a timeout', () => {
    expect(scoreAtTable(S, v('me', null, 10), [v('x', 'B', 1)], [v('x', 'B', 1)])).toMatchObject({ points: 0, agreeing: 0 });
  });

  it('pays 30 for the different clip of a catch trial and 0 otherwise, whatever the others did', () => {
    expect(scoreAtTable(S, c('me', 1, 5), [], [])).toMatchObject({ points: CATCH_POINTS, catchPassed: true, ai: [] });
    expect(CATCH_POINTS).toBe(30);
    expect(scoreAtTable(S, c('me', 0, 5), [], [])).toMatchObject({ points: 0, catchPassed: false });
    expect(scoreAtTable(S, c('me', null, 5), [], [])).toMatchObject({ points: 0, catchPassed: false });
  });
});

describe('scoreSession', () => {
  it('seats the latest earlier votes of other players (hand-computed, 2 seats)', () => {
    const votes = [v('p1', 'A', 1), v('p2', 'A', 2), v('p3', 'B', 3), v('p1', 'B', 4), v('p4', null, 5), v('p5', 'B', 6)];
    const s = scoreSession(S2, votes);
    // p1 first: no earlier vote, one AI seat drawn uniformly
    const ai0 = aiPicks(S2, votes[0], [], 1)[0];
    expect(s[0]).toMatchObject({ humans: [], ai: [ai0], points: ai0 === 'A' ? 10 : 0 });
    expect(s[1]).toMatchObject({ humans: [votes[0].id], ai: [], points: 10 }); // p2 meets p1 (A, A)
    expect(s[2]).toMatchObject({ humans: [votes[1].id], points: 0 }); // p3 meets p2 (B vs A)
    expect(s[3]).toMatchObject({ humans: [votes[2].id], points: 10 }); // p1 meets p3, not itself (B, B)
    expect(s[4]).toMatchObject({ points: 0 }); // timeout
    expect(s[5]).toMatchObject({ humans: [votes[3].id], points: 10 }); // the timeout sits at no table
  });

  it('does not depend on the order the votes are given in', () => {
    const votes = Array.from({ length: 40 }, (_, i) => v(`p${i % 7}`, (['A', 'B', 'C', null] as const)[(i * 7) % 4], 100 + i));
    const a = scoreSession(S, votes);
    const b = scoreSession(S, [...votes].reverse());
    expect(b).toEqual(a);
    // every agreement point is 10 per agreeing seat
    for (const s of a) expect(s.points).toBe(10 * s.agreeing);
  });
});

describe('catch trials and the leaderboard', () => {
  const votes = [c('good', 1, 1), c('good', 1, 2), c('bad', 0, 3), c('bad', 1, 4), c('late', null, 5), v('good', 'A', 6), v('bad', 'A', 7), v('late', 'A', 8)];

  it('marks a player who failed a catch trial (default rule), timeouts skipped', () => {
    const sum = catchSummary(votes);
    expect(sum.get(playerId('good'))).toEqual({ taken: 2, passed: 2, failed: 0, flagged: false });
    expect(sum.get(playerId('bad'))).toEqual({ taken: 2, passed: 1, failed: 1, flagged: true });
    expect(sum.has(playerId('late'))).toBe(false);
    expect([...flaggedPlayers(votes)]).toEqual(['bad']);
  });

  it('follows the named thresholds', () => {
    expect([...flaggedPlayers(votes, { minFailures: 1, minFailShare: 0.6, timeoutIsFailure: false })]).toEqual([]);
    expect([...flaggedPlayers(votes, { minFailures: 1, minFailShare: 0, timeoutIsFailure: true })].sort()).toEqual(['bad', 'late']);
    expect([...flaggedPlayers(votes, { minFailures: 2, minFailShare: 0, timeoutIsFailure: false })]).toEqual([]);
  });

  it('ranks by points with shared ranks for ties', () => {
    const scores = scoreSession(S, votes);
    const board = leaderboard(votes, scores);
    const pts = (p: string) => scores.filter((s) => s.player === p).reduce((x, s) => x + s.points, 0);
    expect(board.map((r) => r.player)).toEqual(['good', 'bad', 'late'].sort((x, y) => pts(y) - pts(x) || (x < y ? -1 : 1)));
    expect(board.find((r) => r.player === 'good')).toMatchObject({ rounds: 3, catchPassed: 2, catchFailed: 0, flagged: false });
    expect(board.find((r) => r.player === 'bad')).toMatchObject({ catchPassed: 1, catchFailed: 1, flagged: true });
    expect(board.find((r) => r.player === 'late')).toMatchObject({ timeouts: 1 });
    expect(pts('good')).toBeGreaterThanOrEqual(60);
    const tie = leaderboard(votes, [
      { vote: votes[0].id, player: playerId('good'), points: 30, agreeing: 0, humans: [], ai: [] },
      { vote: votes[2].id, player: playerId('bad'), points: 30, agreeing: 0, humans: [], ai: [] },
    ]);
    expect(tie.map((r) => [r.player, r.rank])).toEqual([
      ['bad', 1],
      ['good', 1],
      ['late', 3],
    ]);
  });
});
