import { describe, expect, it } from 'vitest';
import { activeCount, catchTriplet, isCatchRound, maxTriplets, nextTriplet, presentation, tripletPool } from './schedule';
import { createSession } from './session';
import { type Index3, matchId, playerId, type Triplet, type VoteRecord, voteId } from './types';

const clips = (n: number) => Array.from({ length: n }, (_, i) => `clip${String(i).padStart(3, '0')}`);
const settings = (n: number, extra: Parameters<typeof createSession>[0] extends infer T ? Partial<T> : never = {}) =>
  createSession({ clipSetId: 'test', clipIds: clips(n), seed: 'seed-1', ...extra });

let counter = 0;
/** A vote by `player` on triplet `t` picking clip index `choice`. */
function vote(t: Triplet, player: string, choice: Index3 | null = 0, at = ++counter): VoteRecord {
  return {
    id: voteId(`v${++counter}`),
    session: settings(12).id,
    player: playerId(player),
    match: matchId('m1'),
    round: 0,
    triplet: t.id,
    clips: t.clips,
    choice,
    choiceClip: choice === null ? null : t.clips[choice],
    timeout: choice === null,
    rtMs: 1000,
    playMs: [1, 1, 1],
    playOrder: [0, 1, 2],
    catch: t.catch,
    ...(t.differs === undefined ? {} : { differs: t.differs }),
    at,
  };
}

describe('tripletPool', () => {
  it('covers the clips evenly: max − min appearances ≤ 1 at every prefix', () => {
    const s = settings(31);
    const pool = tripletPool(s, 300);
    const uses = new Map<string, number>(s.clipIds.map((c) => [c, 0]));
    pool.forEach((t, k) => {
      expect(new Set(t.clips).size).toBe(3);
      for (const c of t.clips) uses.set(c, (uses.get(c) as number) + 1);
      const u = [...uses.values()];
      expect(Math.max(...u) - Math.min(...u), `after ${k + 1} triplets`).toBeLessThanOrEqual(1);
    });
    expect(new Set(pool.map((t) => [...t.clips].sort().join())).size).toBe(300);
  });

  it('is deterministic for a seed (also across settings objects), different for another seed', () => {
    const a = tripletPool(settings(20), 50).map((t) => t.clips.join());
    const b = tripletPool(settings(20), 50).map((t) => t.clips.join());
    const c = tripletPool(settings(20, { seed: 'other' }), 50).map((t) => t.clips.join());
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
    // a longer pool extends a shorter one
    expect(
      tripletPool(settings(20), 80)
        .slice(0, 50)
        .map((t) => t.clips.join()),
    ).toEqual(a);
  });

  it('randomises the order within triplets and stops at all 3-sets of a small clip set', () => {
    const pool = tripletPool(settings(5), 100);
    expect(pool.length).toBe(maxTriplets(5));
    expect(pool.length).toBe(10);
    expect(new Set(pool.map((t) => [...t.clips].sort().join())).size).toBe(10);
    const big = tripletPool(settings(40), 200);
    const sortedShown = big.filter((t) => t.clips[0] < t.clips[1] && t.clips[1] < t.clips[2]).length;
    expect(sortedShown).toBeGreaterThan(10); // about 1/6 of 200
    expect(sortedShown).toBeLessThan(70);
  });
});

describe('growth (the 70 % rule)', () => {
  const s = settings(12, { growth: { initialTriplets: 4 } });
  const pool = tripletPool(s, 20);
  const twice = (...ks: number[]) => ks.flatMap((k) => [vote(pool[k], 'p1'), vote(pool[k], 'p2')]);

  it('starts at initialTriplets and grows only once 70 % of the active triplets have ≥ 2 votes', () => {
    expect(activeCount(s, [])).toBe(4);
    expect(activeCount(s, twice(0, 1))).toBe(4); // 2/4 = 50 %
    expect(activeCount(s, [...twice(0, 1), vote(pool[2], 'p1')])).toBe(4); // T2 has 1 vote
    expect(activeCount(s, twice(0, 1, 2))).toBe(5); // 3/4 = 75 % → 5, then 3/5 = 60 % stops
    expect(activeCount(s, twice(0, 1, 2, 3))).toBe(6); // 4/4 → 5 (80 %) → 6 (67 %) stops
  });

  it('names its parameters: coverage, minVotes, batch', () => {
    const half = settings(12, { growth: { initialTriplets: 4, coverage: 0.5 } });
    expect(activeCount(half, twice(0, 1))).toBe(5);
    const three = settings(12, { growth: { initialTriplets: 4, minVotes: 3 } });
    expect(activeCount(three, twice(0, 1, 2))).toBe(4);
    const batch = settings(12, { growth: { initialTriplets: 4, batch: 4 } });
    expect(activeCount(batch, twice(0, 1, 2))).toBe(8);
    expect(() => settings(12, { growth: { coverage: 0 } })).toThrow(/coverage must be from 0.01 to 1/);
  });

  it('ignores timeouts and catch trials, and counts triplets voted on elsewhere as active', () => {
    const timeouts = [0, 1, 2].flatMap((k) => [vote(pool[k], 'p1', null), vote(pool[k], 'p2', null)]);
    expect(activeCount(s, timeouts)).toBe(4);
    expect(activeCount(s, [vote(pool[9], 'p1')])).toBe(10);
    expect(activeCount(s, [vote(catchTriplet(s, 0), 'p1'), vote(catchTriplet(s, 0), 'p2')])).toBe(4);
  });
});

describe('nextTriplet', () => {
  it('gives a player no triplet twice until the pool is exhausted', () => {
    const s = settings(6, { catchRate: 0, growth: { initialTriplets: 2 } });
    const votes: VoteRecord[] = [];
    const seen: string[] = [];
    for (let r = 0; r < maxTriplets(6); r++) {
      const t = nextTriplet(s, votes, playerId('p1'), matchId('m1'), r);
      seen.push(t.id);
      votes.push(vote(t, 'p1'));
    }
    expect(new Set(seen).size).toBe(20);
    // exhausted: repeats now come, least seen first
    const again = nextTriplet(s, votes, playerId('p1'), matchId('m2'), 0);
    expect(seen).toContain(again.id);
  });

  it('prefers the active triplets with the fewest votes', () => {
    const s = settings(12, { catchRate: 0, growth: { initialTriplets: 3 } });
    const pool = tripletPool(s, 3);
    const votes = [vote(pool[0], 'a'), vote(pool[1], 'b'), vote(pool[1], 'c')];
    for (let r = 0; r < 10; r++) expect(nextTriplet(s, votes, playerId('new'), matchId('m'), r).id).toBe(pool[2].id);
    // a player who saw T2 gets T0 (one vote) before T1 (two)
    expect(nextTriplet(s, [...votes, vote(pool[2], 'x')], playerId('x'), matchId('m'), 1).id).toBe(pool[0].id);
  });

  it('is deterministic for the same votes', () => {
    const s = settings(15);
    const a = nextTriplet(s, [], playerId('p'), matchId('m'), 3);
    const b = nextTriplet(settings(15), [], playerId('p'), matchId('m'), 3);
    expect(b).toEqual(a);
  });

  it('inserts catch trials at about catchRate: two identical clips and one different', () => {
    const s = settings(10);
    let n = 0;
    for (let r = 0; r < 6000; r++) if (isCatchRound(s, playerId(`p${r % 7}`), matchId(`m${Math.floor(r / 7)}`), r % 10)) n++;
    expect(n / 6000).toBeGreaterThan(0.055);
    expect(n / 6000).toBeLessThan(0.078);
    for (let i = 0; i < 50; i++) {
      const c = catchTriplet(s, i);
      expect(c.catch).toBe(true);
      const d = c.differs as Index3;
      const others = [0, 1, 2].filter((k) => k !== d).map((k) => c.clips[k]);
      expect(others[0]).toBe(others[1]);
      expect(c.clips[d]).not.toBe(others[0]);
    }
  });

  it('shows a permutation of the triplet and moves the catch index with it', () => {
    const s = settings(10);
    for (let i = 0; i < 20; i++) {
      const c = catchTriplet(s, i);
      const shown = presentation(s, c, playerId('p'), matchId('m'), i);
      expect([...shown.clips].sort()).toEqual([...c.clips].sort());
      expect(shown.clips[shown.differs as Index3]).toBe(c.clips[c.differs as Index3]);
    }
  });
});
