import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { voteArb } from './arbitrary.test-helper';
import { mergeBatches, playersWithoutRecord, type VoteBatch } from './merge';
import { type Player, playerId, sessionId, type VoteRecord } from './types';

const S = sessionId('s1');
const clips = ['a', 'b', 'c', 'd', 'e'];
const sample = (n: number, seed: number, session = S): VoteRecord[] => fc.sample(voteArb(session, clips, ['p1', 'p2', 'p3']), { numRuns: n, seed });
const player = (id: string, age = '56+'): Player => ({ id: playerId(id), session: S, answers: { age }, consent: true, flags: [] });
const batch = (source: string, votes: VoteRecord[], players: Player[] = [], session = S): VoteBatch => ({ source, session, votes, players });

describe('mergeBatches', () => {
  it('ignores duplicates by vote id and keeps every vote once, chronologically', () => {
    const a = sample(20, 1);
    const b = sample(15, 2);
    const m = mergeBatches(S, [batch('a', a, [player('p1')]), batch('b', [...b, ...a.slice(0, 7)], [player('p1'), player('p2')]), batch('a again', a)]);
    expect(m.votes).toHaveLength(35);
    expect(m.duplicates).toBe(27);
    expect(m.conflicts).toEqual([]);
    expect(m.players.map((p) => p.id)).toEqual(['p1', 'p2']);
    expect(m.perSource).toEqual([
      { source: 'a', votes: 20, added: 20 },
      { source: 'b', votes: 22, added: 15 },
      { source: 'a again', votes: 20, added: 0 },
    ]);
    for (let i = 1; i < m.votes.length; i++) expect(m.votes[i].at).toBeGreaterThanOrEqual(m.votes[i - 1].at);
    expect(playersWithoutRecord(m)).toEqual(['p3']);
  });

  it('reports conflicting duplicates (same id, different content) and keeps the first', () => {
    const a = sample(5, 3);
    const changed = { ...a[2], rtMs: a[2].rtMs + 1 };
    const m = mergeBatches(S, [batch('phone', a, [player('p1')]), batch('tablet', [changed], [player('p1', '18–25')])]);
    expect(m.conflicts).toEqual([{ id: a[2].id, sources: ['phone', 'tablet'] }]);
    expect(m.votes.find((v) => v.id === a[2].id)).toEqual(a[2]);
    expect(m.playerConflicts).toEqual([{ id: 'p1', sources: ['phone', 'tablet'] }]);
  });

  it('reports batches and votes of another session and leaves them out', () => {
    const other = sessionId('s2');
    const m = mergeBatches(S, [
      batch('ok', sample(4, 4)),
      batch('wrong', sample(3, 5, other), [], other),
      batch('mixed', [...sample(2, 6), ...sample(1, 7, other)]),
    ]);
    expect(m.votes).toHaveLength(6);
    expect(m.sessionMismatches).toEqual([
      { source: 'wrong', session: 's2', votes: 3 },
      { source: 'mixed', session: 's2', votes: 1 },
    ]);
  });

  it('property: the merge does not depend on the order of the batches (without conflicts)', () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: 1, max: 5 }), (seed, k) => {
        const all = sample(30, seed);
        const batches = Array.from({ length: k }, (_, i) =>
          batch(
            `d${i}`,
            all.filter((_, j) => j % k === i || j % 7 === 0),
          ),
        );
        const m1 = mergeBatches(S, batches);
        const m2 = mergeBatches(S, [...batches].reverse());
        expect(m2.votes).toEqual(m1.votes);
        expect(new Set(m1.votes.map((v) => v.id)).size).toBe(new Set(all.map((v) => v.id)).size);
      }),
      { numRuns: 50 },
    );
  });
});
