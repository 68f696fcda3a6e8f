/**
 * 12 simulated players with known metrics (two populations) play 3 matches each against the schedule; their
 * votes travel as 3 devices' files (one as a QR code), are merged, exported, and read by the lab's parser and
 * constraint builder.
 */
import { describe, expect, it } from 'vitest';
import { cpuBackend } from '../core/compute-cpu';
import { groupSummary, groupValues, splitGroup, toConstraints, TripletRegistry } from '../core/constraints';
import { DEFAULT_SPEC, runExperiment } from '../core/experiment';
import { joinUsers, parseFeatures, parseJudgments, parseUsers } from '../core/parse';
import { toJsPsychCsv, toLabCsv, parseJsPsychCsv, voteFromJsPsych } from './export';
import { mergeBatches } from './merge';
import { activeCount, voteCounts } from './schedule';
import { AGREEMENT_POINTS, flaggedPlayers, leaderboard, scoreSession } from './scoring';
import { createSession } from './session';
import { type SimPlayer, simDistance, simFeatures, simPlayerRecord, simSession } from './sim';
import { decodeVotes, encodeVotes, parseVotesJson, votesToJson } from './share';
import { playerId, type VoteRecord } from './types';

const S = createSession({ clipSetId: 'sim', clipIds: Array.from({ length: 24 }, (_, i) => `clip${i}`), seed: 'sim-1' });
const F = simFeatures(S.clipIds, 4, 'sim-1');
const bots: SimPlayer[] = Array.from({ length: 12 }, (_, i) => ({
  id: playerId(`bot${String(i).padStart(2, '0')}`),
  weights: i < 6 ? [4, 1, 0.1, 0.1] : [0.1, 0.1, 1, 4],
  noise: 0.05,
  timeoutRate: 0.03,
  randomRate: i === 11 ? 0.9 : 0,
  answers: { occupation: i < 6 ? 'student' : 'education', age: i % 2 ? '18–25' : '26–35' },
}));
const votes = simSession(S, bots, 3, F);
const players = bots.map((b) => simPlayerRecord(S, b));

describe('simulated players → merge → export → lab', () => {
  it('play whole matches: 12 × 3 × 10 rounds, every round a vote, the pool grew', () => {
    expect(votes).toHaveLength(12 * 3 * S.roundsPerMatch);
    expect(new Set(votes.map((v) => v.id)).size).toBe(votes.length);
    const active = activeCount(S, votes);
    expect(active).toBeGreaterThan(S.growth.initialTriplets);
    const counts = [...voteCounts(votes).values()];
    expect(counts.filter((c) => c >= 2).length).toBeGreaterThanOrEqual(Math.floor(0.7 * (active - 1)));
    // no player saw a regular triplet twice
    for (const b of bots) {
      const mine = votes.filter((v) => v.player === b.id && !v.catch).map((v) => v.triplet);
      expect(new Set(mine).size).toBe(mine.length);
    }
  });

  it('merge three devices (one by QR code, with overlaps) back into exactly the same votes and scores', () => {
    const dev = [0, 1, 2].map((d) => votes.filter((v) => Number(v.player.slice(3)) % 3 === d));
    const pl = [0, 1, 2].map((d) => players.filter((p) => Number(p.id.slice(3)) % 3 === d));
    const qr = encodeVotes(S.id, dev[2], pl[2]);
    const batches = [
      parseVotesJson(votesToJson(S.id, dev[0], pl[0]), 'device0.json'),
      parseVotesJson(votesToJson(S.id, [...dev[1], ...dev[0].slice(0, 5)], pl[1]), 'device1.json'),
      decodeVotes(qr),
    ];
    const m = mergeBatches(S.id, batches);
    expect(m.duplicates).toBe(5);
    expect(m.conflicts).toEqual([]);
    expect(m.votes).toHaveLength(votes.length);
    const byId = new Map(votes.map((v) => [v.id, v]));
    for (const v of m.votes) expect(v).toEqual(byId.get(v.id));
    expect(scoreSession(S, m.votes)).toEqual(scoreSession(S, votes));
  });

  it('give consistent agreement points and a leaderboard', () => {
    const scores = scoreSession(S, votes);
    for (const s of scores) if (s.catchPassed === undefined) expect(s.points).toBe(AGREEMENT_POINTS * s.agreeing);
    const board = leaderboard(votes, scores);
    expect(board).toHaveLength(12);
    expect(board.reduce((x, r) => x + r.points, 0)).toBe(scores.reduce((x, s) => x + s.points, 0));
    // the attentive bots agree more than the random one
    const random = board.find((r) => r.player === 'bot11');
    const attentive = board.filter((r) => r.player !== 'bot11');
    expect(attentive.reduce((x, r) => x + r.agreedRounds, 0) / attentive.length).toBeGreaterThan(random?.agreedRounds ?? 0);
  });

  it('export each lab-usable vote exactly once; the lab parses, joins and builds constraints', () => {
    const out = toLabCsv(S, votes, players);
    const catchN = votes.filter((v) => v.catch).length;
    const timeouts = votes.filter((v) => !v.catch && v.timeout).length;
    const flagged = flaggedPlayers(votes);
    const flaggedN = votes.filter((v) => !v.catch && !v.timeout && flagged.has(v.player)).length;
    expect(out.excluded).toMatchObject({ catchTrials: catchN, timeouts, flaggedVotes: flaggedN });
    expect(out.exported + catchN + timeouts + flaggedN).toBe(votes.length);
    const js = parseJudgments(out.votesCsv, 'votes.csv', { knownIds: S.clipIds });
    expect(js.judgments).toHaveLength(out.exported);
    const joined = joinUsers(js, parseUsers(out.usersCsv as string, 'users.csv'), 'users.csv');
    expect(joined.join.unmatched).toBe(0);
    expect(groupValues(joined, 'occupation')).toEqual(['education', 'student']);
    const registry = new TripletRegistry();
    const { constraints, report } = toConstraints(joined.judgments, S.clipIds, registry);
    expect(report.votes).toBe(out.exported);
    expect(constraints.count).toBeGreaterThan(0);
    const { group, complement } = splitGroup(joined, 'occupation', 'student');
    expect(group.length + complement.length).toBe(out.exported);
    // the students' votes follow the students' planted metric
    const agree = group.filter((j) => {
      if (j.kind !== 'vote') return false;
      const f = j.clips.map((c) => F.get(c) as number[]);
      const d = [0, 1, 2].map((k) => {
        const [i, q] = [0, 1, 2].filter((x) => x !== k);
        return simDistance(bots[0].weights as number[], f[i], f[q]);
      });
      return d.indexOf(Math.min(...d)) === j.odd;
    }).length;
    expect(agree / group.length).toBeGreaterThan(0.8);
  });

  it('the jsPsych table has every vote exactly once and reads back to the same votes', () => {
    const rows = parseJsPsychCsv(toJsPsychCsv(votes));
    expect(rows).toHaveLength(votes.length);
    expect(new Set(rows.map((r) => r.vote_id)).size).toBe(votes.length);
    const back = new Map(rows.map((r) => [r.vote_id, voteFromJsPsych(r)]));
    for (const v of votes) expect(back.get(v.id)).toEqual(v as VoteRecord);
  });

  it('run through the lab experiment (group summary by occupation, Euclidean vs RITML, 3 folds) without error', async () => {
    const out = toLabCsv(S, votes, players);
    const features = parseFeatures(`id,f1,f2,f3,f4\n${S.clipIds.map((c) => [c, ...(F.get(c) as number[])].join(',')).join('\n')}\n`, 'features.csv');
    const js = joinUsers(parseJudgments(out.votesCsv, 'votes.csv', { knownIds: features.ids }), parseUsers(out.usersCsv as string, 'users.csv'), 'users.csv');
    const summary = groupSummary(js, features.ids, 'occupation');
    expect(summary.map((r) => r.group)).toEqual(['education', 'student', 'all']);
    expect(summary[0].votes + summary[1].votes).toBe(out.exported);
    const spec = {
      ...DEFAULT_SPEC,
      methods: ['euclidean', 'ritml'],
      groupBy: 'occupation',
      folds: 3,
      gammaGrid: [1],
      params: { ritml: { outer: 2, maxSweeps: 5 } },
    } as typeof DEFAULT_SPEC;
    const result = await runExperiment({ features, judgments: js }, spec, cpuBackend);
    for (const r of result.rows) expect(Number.isFinite(r.mean)).toBe(true);
    expect(result.metrics.map((m) => m.group).sort()).toEqual(['education', 'student']);
  });
});
