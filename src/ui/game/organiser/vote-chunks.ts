/**
 * A device's votes as one or more QR codes (pure): each code is a complete votes code (encodeVotes) of a slice
 * of the votes, with the questionnaire of the players in that slice, so any code read on its own imports, and
 * codes read twice are ignored by vote id. A slice is as long as fits `maxChars` (a QR code that a phone
 * camera reads off a screen reliably holds far less than the format's 2953-byte maximum).
 */
import { encodeVotes, type Player, type SessionId, type VoteRecord } from '../../../game';

/** Characters per code: about one 10-round match; a version-20-ish QR code (97 modules) at error correction L stays readable off a phone screen. */
export const QR_MAX_CHARS = 800;
/** Beyond this many codes, the file is the better way. */
export const MAX_CODES = 8;

/** `extra`: players to send along whatever their votes (the first code carries the players who have not voted). */
function encodeSlice(session: SessionId, votes: readonly VoteRecord[], players: readonly Player[], extra: ReadonlySet<string>): string {
  const who = new Set(votes.map((v) => v.player));
  return encodeVotes(
    session,
    votes,
    players.filter((p) => who.has(p.id) || extra.has(p.id)),
  );
}

/**
 * The votes split into codes of at most `maxChars` characters, in order. A device without votes still
 * sends its players' questionnaires in one code. Throws when a single vote does not fit (a huge questionnaire).
 */
export function votesToCodes(session: SessionId, votes: readonly VoteRecord[], players: readonly Player[], maxChars = QR_MAX_CHARS): string[] {
  if (votes.length === 0) return [encodeVotes(session, [], players)];
  const voted = new Set(votes.map((v) => v.player));
  const silent = new Set(players.filter((p) => !voted.has(p.id)).map((p) => p.id));
  const none = new Set<string>();
  const codes: string[] = [];
  let start = 0;
  while (start < votes.length) {
    const extra = start === 0 ? silent : none;
    const fits = (n: number): boolean => encodeSlice(session, votes.slice(start, start + n), players, extra).length <= maxChars;
    // the longest slice from `start` that fits: grow by doubling, then bisect
    let lo = 0;
    let hi = 1;
    while (start + hi <= votes.length && fits(hi)) {
      lo = hi;
      hi *= 2;
    }
    hi = Math.min(hi, votes.length - start + 1);
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (fits(mid)) lo = mid;
      else hi = mid;
    }
    if (lo === 0) throw new Error(`one vote does not fit a QR code of ${maxChars} characters: use the file`);
    codes.push(encodeSlice(session, votes.slice(start, start + lo), players, extra));
    start += lo;
  }
  return codes;
}
