import { describe, expect, it } from 'vitest';
import { deadline, playClip, resumeMatch, startMatch, startRound, stopClip, timeoutRound, vote } from './match';
import { createSession } from './session';
import type { MatchState } from './match';
import { matchId, playerId, type VoteRecord, voteId } from './types';

const S = createSession({ clipSetId: 'test', clipIds: Array.from({ length: 12 }, (_, i) => `c${i}`), seed: 'match', catchRate: 0 });
const P = playerId('p1');

describe('match state machine', () => {
  it('tracks play time per clip, play order and the time to answer', () => {
    let m = startRound(startMatch(S, P, matchId('m1')), S, [], 1000);
    expect(m.phase).toBe('round');
    expect(deadline(m, S)).toBe(46_000);
    m = playClip(m, S, 0, 2000);
    m = playClip(m, S, 2, 5000); // stops clip 0 after 3 s
    m = stopClip(m, S, 6500);
    m = playClip(m, S, 0, 7000); // a replay
    const { state, vote: rec } = vote(m, S, 2, 9000, voteId('v1'));
    expect(rec).toMatchObject({ round: 0, choice: 2, timeout: false, rtMs: 8000, playMs: [5000, 0, 1500], playOrder: [0, 2, 0], at: 9000, catch: false });
    expect(rec.choiceClip).toBe(rec.clips[2]);
    expect(state).toMatchObject({ phase: 'ready', done: 1, current: null });
  });

  it('caps a clip at the excerpt length and records a timeout', () => {
    let m = startRound(startMatch(S, P, matchId('m1')), S, [], 0);
    m = playClip(m, S, 1, 0);
    const t = timeoutRound(m, S, 45_000, voteId('v1')).vote;
    expect(t).toMatchObject({ timeout: true, choice: null, choiceClip: null, rtMs: 45_000, playMs: [0, 15_000, 0] });
    // a pick after the deadline is a timeout
    const late = vote(startRound(startMatch(S, P, matchId('m2')), S, [], 0), S, 1, 45_001, voteId('v2')).vote;
    expect(late.timeout).toBe(true);
  });

  it('finishes after roundsPerMatch rounds and refuses actions outside a round', () => {
    let m: MatchState = startMatch(S, P, matchId('m1'));
    const votes: VoteRecord[] = [];
    expect(() => vote(m, S, 0, 0, voteId('x'))).toThrow(/no round/);
    for (let r = 0; r < S.roundsPerMatch; r++) {
      m = startRound(m, S, votes, r * 10_000);
      const out = vote(m, S, 0, r * 10_000 + 3000, voteId(`v${r}`));
      votes.push(out.vote);
      m = out.state;
    }
    expect(m.phase).toBe('finished');
    expect(() => startRound(m, S, votes, 0)).toThrow(/finished/);
    expect(new Set(votes.map((v) => v.triplet)).size).toBe(S.roundsPerMatch);
    expect(JSON.parse(JSON.stringify(m))).toEqual(m); // serialisable
  });

  it('resumes after a reload from the saved votes alone', () => {
    let m: MatchState = startMatch(S, P, matchId('m1'));
    const votes: VoteRecord[] = [];
    for (let r = 0; r < 4; r++) {
      m = startRound(m, S, votes, r * 10_000);
      const out = vote(m, S, 1, r * 10_000 + 3000, voteId(`v${r}`));
      votes.push(out.vote);
      m = out.state;
    }
    const before = startRound(m, S, votes, 50_000);
    const resumed = resumeMatch(S, P, votes);
    expect(resumed).toEqual(m);
    // the same votes give the same next round
    expect(startRound(resumed as MatchState, S, votes, 50_000)).toEqual(before);
    expect(resumeMatch(S, playerId('nobody'), votes)).toBeNull();
  });

  it('starts a new match when the last one is complete', () => {
    let m: MatchState = startMatch(S, P, matchId('m1'));
    const votes: VoteRecord[] = [];
    for (let r = 0; r < S.roundsPerMatch; r++) {
      m = startRound(m, S, votes, r);
      const out = vote(m, S, 0, r + 1, voteId(`v${r}`));
      votes.push(out.vote);
      m = out.state;
    }
    expect(resumeMatch(S, P, votes)).toBeNull();
  });
});
