/**
 * The seeded triplet schedule (issue 14), after CASimIR's server (github:citymirg/casimir):
 *  - a pool of triplets that covers the clips evenly: each new triplet takes the three clips used least so far
 *    (random tie-break), never the same clip twice in a triplet and never the same set of three twice; the
 *    order within a triplet is random. The pool is one deterministic sequence per seed, T0, T1, …, so that
 *    devices that play apart agree on every triplet id;
 *  - growth: only a prefix of the pool is active; it grows by `batch` once `coverage` (70 %) of the active
 *    triplets have ≥ `minVotes` (2) votes — MainServer::addingTripletStrategy with
 *    AddingTripletCondition::XpercentVotedNTimes(70, 2) (server/ooo/class.MainServer.php,
 *    server/ooo/stat_tripletAddition/class.AddingTripletCondition.php). The original checked on one vote in
 *    four and added a random triplet; here the active size is a pure function of the votes (a fixed point of
 *    the rule), so it is the same after a reload or a merge whatever the order of the votes;
 *  - the next triplet for a player prefers triplets with few votes that this player has not seen (the
 *    original drew uniformly, TripletDistribution::identDistrib), then a random presentation order
 *    (PermSelector::setPermTypeByRandom);
 *  - catch trials ("red herrings", TripletAdder::setTripletRedHerring: two identical songs and one other)
 *    replace a round with probability `catchRate` (the original's oneOutOf(15) in tripletSelectionStrategy).
 */
import { createRng } from '../core/rng';
import { type ClipId, type Index3, type MatchId, type PlayerId, type SessionSettings, type Triplet, tripletId, type VoteRecord } from './types';

/** Number of different 3-clip sets of n clips: the pool's largest size. */
export function maxTriplets(nClips: number): number {
  return nClips < 3 ? 0 : (nClips * (nClips - 1) * (nClips - 2)) / 6;
}

interface PoolState {
  readonly triplets: Triplet[];
  readonly uses: number[];
  readonly taken: Set<string>;
  readonly rng: ReturnType<typeof createRng>;
}
const pools = new WeakMap<SessionSettings, PoolState>();

const setKey = (a: number, b: number, c: number): string => [a, b, c].sort((x, y) => x - y).join(',');

/** The clip indices of the next pool triplet: the least-used clips (random tie-break) forming a set not taken yet. */
function nextSet(p: PoolState): [number, number, number] | null {
  const n = p.uses.length;
  const key = p.uses.map(() => p.rng.next());
  const order = p.uses.map((_, i) => i).sort((x, y) => p.uses[x] - p.uses[y] || key[x] - key[y]);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      for (let k = j + 1; k < n; k++) {
        const [a, b, c] = [order[i], order[j], order[k]];
        if (!p.taken.has(setKey(a, b, c))) return [a, b, c];
      }
    }
  }
  return null;
}

/** The first `count` triplets of the session's pool (fewer when the clips have fewer 3-sets). Cached per settings object. */
export function tripletPool(settings: SessionSettings, count: number): readonly Triplet[] {
  let p = pools.get(settings);
  if (!p) {
    p = { triplets: [], uses: settings.clipIds.map(() => 0), taken: new Set(), rng: createRng(`${settings.seed}/pool`) };
    pools.set(settings, p);
  }
  const want = Math.min(count, maxTriplets(settings.clipIds.length));
  while (p.triplets.length < want) {
    const set = nextSet(p);
    if (!set) break;
    p.taken.add(setKey(...set));
    for (const i of set) p.uses[i]++;
    const shown = p.rng.shuffle([...set]).map((i) => settings.clipIds[i]) as [ClipId, ClipId, ClipId];
    p.triplets.push({ id: tripletId(`T${p.triplets.length}`), clips: shown, catch: false });
  }
  return p.triplets.slice(0, want);
}

/** Pool position of a regular triplet id (`T<k>`), or −1. */
export function poolIndex(id: string): number {
  const m = /^T(\d+)$/.exec(id);
  return m ? Number(m[1]) : -1;
}

/** Catch trial `i` of the session: two identical clips and one different, at a random position. Deterministic per seed. */
export function catchTriplet(settings: SessionSettings, i: number): Triplet {
  const rng = createRng(`${settings.seed}/catch/${i}`);
  const n = settings.clipIds.length;
  const same = rng.int(n);
  const other = (same + 1 + rng.int(n - 1)) % n;
  const differs = rng.int(3) as Index3;
  const clips = [0, 1, 2].map((k) => settings.clipIds[k === differs ? other : same]) as [ClipId, ClipId, ClipId];
  return { id: tripletId(`C${i}`), clips, catch: true, differs };
}

/** Votes (not timeouts, not catch trials) per triplet id. */
export function voteCounts(votes: readonly VoteRecord[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const v of votes) if (!v.timeout && !v.catch) m.set(v.triplet, (m.get(v.triplet) ?? 0) + 1);
  return m;
}

/**
 * Active pool size after these votes: from `initialTriplets` (at least every triplet voted on), grown by
 * `batch` while ≥ `coverage` of the active triplets have ≥ `minVotes` votes.
 */
export function activeCount(settings: SessionSettings, votes: readonly VoteRecord[]): number {
  const { initialTriplets, coverage, minVotes, batch } = settings.growth;
  const max = maxTriplets(settings.clipIds.length);
  const counts = voteCounts(votes);
  let active = initialTriplets;
  for (const id of counts.keys()) active = Math.max(active, poolIndex(id) + 1);
  active = Math.min(active, max);
  const covered = (k: number): number => ((counts.get(`T${k}`) ?? 0) >= minVotes ? 1 : 0);
  let full = 0;
  for (let k = 0; k < active; k++) full += covered(k);
  while (active < max && full >= coverage * active) {
    const next = Math.min(max, active + batch);
    for (let k = active; k < next; k++) full += covered(k);
    active = next;
  }
  return active;
}

/** Is round `round` of this player's match a catch trial? (seeded: probability catchRate) */
export function isCatchRound(settings: SessionSettings, player: PlayerId, match: MatchId, round: number): boolean {
  return settings.catchRate > 0 && createRng(`${settings.seed}/catch?/${player}/${match}/${round}`).next() < settings.catchRate;
}

/**
 * The triplet for a player's round, given every vote of the session so far. Catch trial with probability
 * catchRate (the player's j-th catch trial is catch triplet j); otherwise an active triplet this player has
 * not seen, fewest votes first (seeded tie-break); when all active ones are seen, the first unseen one beyond
 * the active prefix; when the whole pool is seen, the active triplet this player saw least often.
 */
export function nextTriplet(settings: SessionSettings, votes: readonly VoteRecord[], player: PlayerId, match: MatchId, round: number): Triplet {
  const mine = votes.filter((v) => v.player === player);
  if (isCatchRound(settings, player, match, round)) return catchTriplet(settings, mine.filter((v) => v.catch).length);
  const seen = new Map<string, number>();
  for (const v of mine) seen.set(v.triplet, (seen.get(v.triplet) ?? 0) + 1);
  const active = activeCount(settings, votes);
  const pool = tripletPool(settings, active + seen.size + 1);
  const counts = voteCounts(votes);
  const rng = createRng(`${settings.seed}/pick/${player}/${match}/${round}`);
  let best: Triplet | null = null;
  let bestKey = Number.POSITIVE_INFINITY;
  for (let k = 0; k < active; k++) {
    const t = pool[k];
    if (seen.has(t.id)) continue;
    const key = (counts.get(t.id) ?? 0) + rng.next() * 0.5;
    if (key < bestKey) [best, bestKey] = [t, key];
  }
  if (best) return best;
  const beyond = pool.slice(active).find((t) => !seen.has(t.id));
  if (beyond) return beyond;
  for (let k = 0; k < active; k++) {
    const t = pool[k];
    const key = (seen.get(t.id) ?? 0) * 1e6 + (counts.get(t.id) ?? 0) + rng.next() * 0.5;
    if (key < bestKey) [best, bestKey] = [t, key];
  }
  return best as Triplet;
}

/** The order a player is shown a triplet's clips in (seeded per player, match and round), with the catch clip's new index. */
export function presentation(
  settings: SessionSettings,
  t: Triplet,
  player: PlayerId,
  match: MatchId,
  round: number,
): { clips: [ClipId, ClipId, ClipId]; differs?: Index3 } {
  const perm = createRng(`${settings.seed}/order/${player}/${match}/${round}`).shuffle([0, 1, 2]);
  const clips = perm.map((k) => t.clips[k]) as [ClipId, ClipId, ClipId];
  return t.differs === undefined ? { clips } : { clips, differs: perm.indexOf(t.differs) as Index3 };
}
