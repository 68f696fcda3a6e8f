import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toConstraints, TripletRegistry } from '../core/constraints';
import { joinUsers, parseJudgments, parseUsers } from '../core/parse';
import { idArb, voteArb } from './arbitrary.test-helper';
import { JSPSYCH_COLUMNS, parseJsPsychCsv, selectVotes, toCountsCsv, toJsPsychCsv, toJsPsychJson, toJsPsychRows, toLabCsv, voteFromJsPsych } from './export';
import { createSession } from './session';
import { type Index3, matchId, type Player, playerId, RATHER_NOT_SAY, sessionId, tripletId, type VoteRecord, voteId } from './types';

const S = createSession({ clipSetId: 'x', clipIds: ['A', 'B', 'C', 'D', 'E'], seed: 'e' });
const P = (id: string, answers: Player['answers']): Player => ({ id: playerId(id), session: S.id, answers, consent: true, flags: [] });

function v(id: string, player: string, clips: [string, string, string], choice: Index3 | null, at: number, differs?: Index3): VoteRecord {
  return {
    id: voteId(id),
    session: S.id,
    player: playerId(player),
    match: matchId(`${player}-m`),
    round: at,
    triplet: tripletId(differs === undefined ? 'T0' : 'C0'),
    clips,
    choice,
    choiceClip: choice === null ? null : clips[choice],
    timeout: choice === null,
    rtMs: 1000,
    playMs: [100, 200, 300],
    playOrder: [0, 1, 2, 1],
    catch: differs !== undefined,
    ...(differs === undefined ? {} : { differs }),
    at: 10_000 * at,
  };
}
const votes = [
  v('v1', 'u1', ['A', 'B', 'C'], 1, 1),
  v('v2', 'u2', ['C', 'A', 'B'], 1, 2),
  v('v3', 'u1', ['D', 'E', 'D'], 1, 3, 1),
  v('v4', 'u3', ['D', 'E', 'D'], 0, 4, 1),
  v('v5', 'u3', ['A', 'B', 'C'], 2, 5),
  v('v6', 'u2', ['B', 'C', 'A'], null, 6),
];
const players = [P('u1', { age: '18–25', gender: RATHER_NOT_SAY }), P('u2', { age: '56+', music_training_years: 3 }), P('u3', {})];

describe('lab votes + users CSV', () => {
  it('writes the lab format, leaving out catch trials, timeouts and marked players with counts', () => {
    const out = toLabCsv(S, votes, players);
    expect(out.votesCsv).toBe('a,b,c,odd,user\nA,B,C,B,u1\nC,A,B,A,u2\n');
    expect(out.exported).toBe(2);
    expect(out.excluded).toEqual({ catchTrials: 2, timeouts: 1, flaggedVotes: 1, flaggedPlayers: ['u3'] });
    expect(out.usersCsv?.split('\n')).toEqual([
      'user,age,gender,occupation,first_language,country_of_birth,country,music_training_years,listening_hours_week',
      'u1,18–25,rather not say,,,,,,',
      'u2,56+,,,,,,3,',
      'u3,,,,,,,,',
      '',
    ]);
  });

  it('reads back through parseJudgments / parseUsers / joinUsers into the expected constraints', () => {
    const out = toLabCsv(S, votes, players);
    const js = parseJudgments(out.votesCsv, 'votes.csv', { knownIds: S.clipIds });
    const joined = joinUsers(js, parseUsers(out.usersCsv as string, 'users.csv'), 'users.csv');
    expect(joined.judgments.map((j) => j.kind === 'vote' && [j.clips.join(''), j.odd, j.user, j.attrs.age])).toEqual([
      ['ABC', 1, 'u1', '18–25'],
      ['CAB', 1, 'u2', '56+'],
    ]);
    expect(joined.judgments[0].attrs.gender).toBe(RATHER_NOT_SAY);
    // (A,B,C) odd B → A:C<B, C:A<B; (C,A,B) odd A → C:B<A, B:C<A; anchor C contradicts itself 1:1 → both dropped
    const { constraints, report } = toConstraints(joined.judgments, S.clipIds, new TripletRegistry());
    expect(report).toMatchObject({ votes: 2, constraintsBefore: 4, constraintsAfter: 2, tiesDropped: 1 });
    const triples = Array.from({ length: constraints.count }, (_, k) => [constraints.a[k], constraints.n[k], constraints.f[k]]);
    expect(triples).toEqual([
      [0, 2, 1],
      [1, 2, 0],
    ]);
  });

  it('can include marked players (with a flagged column) and write "rather not say" as not annotated', () => {
    const out = toLabCsv(S, votes, players, { includeFlagged: true, ratherNotSayAsEmpty: true });
    expect(out.exported).toBe(3);
    expect(out.excluded.flaggedVotes).toBe(0);
    const users = parseUsers(out.usersCsv as string, 'users.csv');
    expect(users.get('u3')).toEqual({ flagged: 'yes' });
    expect(users.get('u1')).toEqual({ age: '18–25', flagged: 'no' });
  });

  it('gives no users file when there is nothing to write', () => {
    const bare = createSession({ clipSetId: 'x', clipIds: ['A', 'B', 'C'], seed: 'e', questionnaire: { version: 1, questions: [] } });
    expect(toLabCsv(bare, votes, players).usersCsv).toBeNull();
  });

  it('property: every lab-usable vote comes back from the parser in order, ids with commas, quotes and unicode', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(idArb, { minLength: 4, maxLength: 8 }),
        fc.uniqueArray(idArb, { minLength: 1, maxLength: 4 }),
        fc.integer({ min: 1, max: 30 }),
        fc.integer(),
        (clips, users, n, seed) => {
          const s = createSession({ clipSetId: 'p', clipIds: clips, seed: String(seed) });
          const vs = fc.sample(voteArb(s.id, clips, users), { numRuns: n, seed });
          const out = toLabCsv(s, vs, [], { includeFlagged: true });
          const want = selectVotes(vs, { includeFlagged: true }).votes;
          if (want.length === 0) return;
          const js = parseJudgments(out.votesCsv, 'v.csv', { knownIds: clips });
          expect(js.judgments.map((j) => j.kind === 'vote' && [j.clips, j.odd, j.user])).toEqual(want.map((w) => [w.clips, w.choice, w.player]));
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('jsPsych long table', () => {
  it('has one row per trial with the jsPsych columns first, per player and match', () => {
    const rows = toJsPsychRows(votes);
    expect(rows).toHaveLength(votes.length);
    const csv = toJsPsychCsv(votes);
    expect(csv.split('\n')[0]).toBe(JSPSYCH_COLUMNS.join(','));
    expect(JSPSYCH_COLUMNS.slice(0, 6)).toEqual(['trial_type', 'trial_index', 'time_elapsed', 'rt', 'stimulus', 'response']);
    const u1 = rows.filter((r) => r.player === 'u1');
    expect(u1.map((r) => [r.trial_index, r.time_elapsed, r.rt, r.response])).toEqual([
      [0, 1000, 1000, 1],
      [1, 21_000, 1000, 1],
    ]);
    const timeout = rows.find((r) => r.vote_id === 'v6');
    expect(timeout).toMatchObject({ rt: null, response: null, timeout: true, round_ms: 1000 });
  });

  it('property: CSV and JSON read back to the same votes', () => {
    fc.assert(
      fc.property(fc.uniqueArray(idArb, { minLength: 3, maxLength: 6 }), fc.integer({ min: 1, max: 25 }), fc.integer(), (clips, n, seed) => {
        const vs = fc.sample(voteArb(sessionId('s,"1'), clips, ['p1', 'p "2"', 'p,3']), { numRuns: n, seed });
        const key = (x: VoteRecord[]) => [...x].sort((p, q) => (p.id < q.id ? -1 : 1));
        expect(key(parseJsPsychCsv(toJsPsychCsv(vs)).map(voteFromJsPsych))).toEqual(key(vs));
        expect(key(JSON.parse(toJsPsychJson(vs)).map(voteFromJsPsych))).toEqual(key(vs));
      }),
      { numRuns: 60 },
    );
  });
});

describe('MagnaTagATune-style counts', () => {
  it('counts votes per triplet and reads back as the counts layout', () => {
    const { csv, triplets, excluded } = toCountsCsv(votes);
    expect(csv).toBe('clip1_id,clip2_id,clip3_id,clip1_numvotes,clip2_numvotes,clip3_numvotes,triplet\nA,B,C,1,1,0,T0\n');
    expect(triplets).toBe(1);
    expect(excluded.flaggedVotes).toBe(1);
    const js = parseJudgments(csv, 'counts.csv');
    expect(js.layout).toBe('counts');
    expect(js.judgments.map((j) => j.kind === 'vote' && [j.odd, j.count])).toEqual([
      [0, 1],
      [1, 1],
    ]);
    expect(toCountsCsv(votes, { includeFlagged: true }).csv.split('\n')[1]).toBe('A,B,C,1,1,1,T0');
  });
});
