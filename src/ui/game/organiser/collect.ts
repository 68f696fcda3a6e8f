/**
 * Votes coming back to the organiser (pure): read a votes file or pasted / scanned votes codes into batches,
 * and judge each new batch against what is already merged — new votes, exact duplicates (ignored by vote id),
 * conflicting duplicates and batches of another session — so the page can report per source, by file name.
 */
import { decodeVotes, type MergeResult, mergeBatches, parseVotesJson, type SessionId, type VoteBatch } from '../../../game';

/** Every votes code (`SLV1.…`) in a text: codes pasted one per line, or a scanned text. */
export function votesCodesIn(text: string): string[] {
  return [...text.matchAll(/SLV1\.[A-Za-z0-9_-]+/g)].map((m) => m[0]);
}

/**
 * The batches of one source: a votes JSON file (votesToJson) or text holding one or more votes codes.
 * Throws with the source's name and what is wrong.
 */
export function readVoteSource(name: string, text: string): VoteBatch[] {
  const t = text.trim();
  if (t === '') throw new Error(`${name}: is empty`);
  if (t.startsWith('{')) return [parseVotesJson(t, name)];
  const codes = votesCodesIn(t);
  if (codes.length === 0) {
    if (/SLS1\./.test(t)) throw new Error(`${name}: this is a session link (SLS1.…), not votes — votes codes start with SLV1.`);
    throw new Error(`${name}: neither a votes file (JSON) nor a votes code (SLV1.…)`);
  }
  return codes.map((c, i) => {
    const source = codes.length > 1 ? `${name} (code ${i + 1} of ${codes.length})` : name;
    try {
      return decodeVotes(c, source);
    } catch (e) {
      const m = (e as Error).message;
      throw new Error(m.startsWith(source) ? m : `${source}: ${m} — read it again, or use the file`);
    }
  });
}

export interface BatchReport {
  readonly source: string;
  readonly votes: number;
  /** votes new to the merge */
  readonly added: number;
  /** exact duplicates of votes already merged (ignored) */
  readonly duplicates: number;
  /** same vote id, different content: the version merged first is kept */
  readonly conflicts: number;
  /** questionnaire records new to the merge */
  readonly newPlayers: number;
  /** the batch (or some of its votes) belongs to another session: left out */
  readonly otherSession: { readonly session: string; readonly votes: number } | null;
  /** worth storing: it adds votes or players */
  readonly keep: boolean;
}

/** Merge this device's batch and the imported ones of `session`. */
export function mergeAll(session: SessionId, batches: readonly VoteBatch[]): MergeResult {
  return mergeBatches(session, batches);
}

/** What `batch` adds to `existing` (the batches merged so far, this device's included). */
export function judgeBatch(session: SessionId, existing: readonly VoteBatch[], batch: VoteBatch): BatchReport {
  const before = mergeBatches(session, existing);
  const after = mergeBatches(session, [...existing, batch]);
  const mine = after.perSource[after.perSource.length - 1];
  const conflicts =
    after.conflicts.filter((c) => c.sources.slice(1).includes(batch.source)).length -
    before.conflicts.filter((c) => c.sources.slice(1).includes(batch.source)).length;
  const mism = after.sessionMismatches.filter((m) => m.source === batch.source);
  const mismVotes = mism.reduce((s, m) => s + m.votes, 0) - before.sessionMismatches.filter((m) => m.source === batch.source).reduce((s, m) => s + m.votes, 0);
  const newPlayers = after.players.length - before.players.length;
  return {
    source: batch.source,
    votes: batch.votes.length,
    added: mine.added,
    duplicates: Math.max(0, batch.votes.length - mine.added - conflicts - mismVotes),
    conflicts,
    newPlayers,
    otherSession:
      mismVotes > 0 || batch.session !== session ? { session: batch.session !== session ? batch.session : (mism[0]?.session ?? ''), votes: mismVotes } : null,
    keep: mine.added > 0 || newPlayers > 0,
  };
}

/** One line for the organiser: what a source brought. */
export function reportLine(r: BatchReport): string {
  if (r.otherSession && r.added === 0)
    return `${r.source}: belongs to another session (${r.otherSession.session}) — ${r.votes} vote${r.votes === 1 ? '' : 's'} left out. Is it from an earlier workshop?`;
  const parts = [`${r.added} new vote${r.added === 1 ? '' : 's'}`];
  if (r.duplicates) parts.push(`${r.duplicates} already here (ignored)`);
  if (r.conflicts) parts.push(`${r.conflicts} conflicting with votes of the same id (the earlier version kept)`);
  if (r.otherSession) parts.push(`${r.otherSession.votes} of another session left out`);
  if (r.newPlayers) parts.push(`${r.newPlayers} new player${r.newPlayers === 1 ? '' : 's'}`);
  return `${r.source}: ${parts.join(', ')}.`;
}
