/** fast-check arbitraries of game records, shared by the game's property tests (not used by the app). */
import fc from 'fast-check';
import type { Index3, MatchId, PlayerId, SessionId, TripletId, VoteId, VoteRecord } from './types';

/** Ids as people and files make them: commas, quotes, spaces inside, unicode; never blank or space-padded (CSV cells are trimmed). */
export const idArb = fc
  .string({ unit: fc.constantFrom('a', 'b', 'Z', '0', '9', ',', '"', ' ', '-', '_', 'é', 'ß', '音', "'", ';'), minLength: 1, maxLength: 8 })
  .filter((s) => s.trim() === s && s !== '');

/** A vote on three different clips of `clips`, by one of `players`. */
export function voteArb(session: SessionId, clips: readonly string[], players: readonly string[]): fc.Arbitrary<VoteRecord> {
  return fc
    .record({
      id: fc.uuid(),
      player: fc.constantFrom(...players),
      match: fc.constantFrom('m1', 'm2', 'm,3'),
      round: fc.nat(20),
      trip: fc.shuffledSubarray([...clips], { minLength: 3, maxLength: 3 }),
      choice: fc.option(fc.constantFrom<Index3>(0, 1, 2), { freq: 5 }),
      catchAt: fc.oneof({ arbitrary: fc.constant(null), weight: 3 }, { arbitrary: fc.constantFrom<Index3>(0, 1, 2), weight: 1 }),
      rtMs: fc.nat(45_000),
      playMs: fc.tuple(fc.nat(15_000), fc.nat(15_000), fc.nat(15_000)),
      playOrder: fc.array(fc.constantFrom<Index3>(0, 1, 2), { maxLength: 6 }),
      at: fc.integer({ min: 1_600_000_000_000, max: 1_900_000_000_000 }),
    })
    .map((r): VoteRecord => {
      const isCatch = r.catchAt !== null;
      const c = r.trip as string[];
      // a catch trial: the clip at catchAt differs, the other two are the same clip
      const shown = (isCatch ? [0, 1, 2].map((k) => (k === r.catchAt ? c[0] : c[1])) : c) as [string, string, string];
      return {
        id: r.id as VoteId,
        session,
        player: r.player as PlayerId,
        match: r.match as MatchId,
        round: r.round,
        triplet: (isCatch ? `C${r.round}` : `T${r.round}`) as TripletId,
        clips: shown,
        choice: r.choice,
        choiceClip: r.choice === null ? null : shown[r.choice],
        timeout: r.choice === null,
        rtMs: r.rtMs,
        playMs: r.playMs,
        playOrder: r.playOrder,
        catch: isCatch,
        ...(isCatch ? { differs: r.catchAt as Index3 } : {}),
        at: r.at,
      };
    });
}
