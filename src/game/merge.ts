/**
 * Merge vote batches from any number of devices (issue 14, "Workshops without a server"): duplicates (same
 * vote id, same content) are dropped silently, conflicting duplicates (same id, different content) and votes
 * or batches of another session are reported. Of a conflicting vote or player, the first batch's version is
 * kept (the report names the sources so the organiser can decide); votes of another session are left out.
 * The original game had one database and client-independent ids were not needed; here vote ids are made on
 * the client (types.ts randomId) so that a vote merged twice counts once.
 */
import type { Player, PlayerId, SessionId, VoteRecord } from './types';

/** What one device hands in: its votes and its players' questionnaires. */
export interface VoteBatch {
  /** a name for messages, e.g. the file name */
  readonly source: string;
  readonly session: SessionId;
  readonly votes: readonly VoteRecord[];
  readonly players: readonly Player[];
}

export interface MergeConflict {
  readonly id: string;
  /** the source whose version was kept, then the sources that disagreed */
  readonly sources: readonly string[];
}

export interface MergeResult {
  /** merged votes, chronological (time, then id) */
  readonly votes: readonly VoteRecord[];
  readonly players: readonly Player[];
  /** exact duplicates dropped */
  readonly duplicates: number;
  readonly conflicts: readonly MergeConflict[];
  readonly playerConflicts: readonly MergeConflict[];
  /** batches or votes of another session (left out): source, session, how many votes */
  readonly sessionMismatches: readonly { readonly source: string; readonly session: string; readonly votes: number }[];
  /** per batch: votes read and votes new to the merge */
  readonly perSource: readonly { readonly source: string; readonly votes: number; readonly added: number }[];
}

/** JSON with object keys sorted: equal content ⇔ equal text. */
export function canonicalJson(x: unknown): string {
  return JSON.stringify(x, (_k, v) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.keys(v)
            .sort()
            .map((k) => [k, (v as Record<string, unknown>)[k]]),
        )
      : v,
  );
}

class Keeper<T extends { readonly id: string }> {
  readonly kept = new Map<string, { item: T; text: string; source: string }>();
  readonly conflicts = new Map<string, string[]>();
  duplicates = 0;
  /** true when the item is new */
  add(item: T, source: string): boolean {
    const text = canonicalJson(item);
    const prev = this.kept.get(item.id);
    if (!prev) {
      this.kept.set(item.id, { item, text, source });
      return true;
    }
    if (prev.text === text) this.duplicates++;
    else this.conflicts.set(item.id, [...(this.conflicts.get(item.id) ?? [prev.source]), source]);
    return false;
  }
  conflictList(): MergeConflict[] {
    return [...this.conflicts].map(([id, sources]) => ({ id, sources }));
  }
}

/** Merge the batches of session `session`. */
export function mergeBatches(session: SessionId, batches: readonly VoteBatch[]): MergeResult {
  const votes = new Keeper<VoteRecord>();
  const players = new Keeper<Player>();
  const mismatches = new Map<string, { source: string; session: string; votes: number }>();
  const perSource: { source: string; votes: number; added: number }[] = [];
  const mismatch = (source: string, s: string, n: number): void => {
    const key = `${source}\u0000${s}`;
    const m = mismatches.get(key) ?? { source, session: s, votes: 0 };
    mismatches.set(key, { ...m, votes: m.votes + n });
  };
  for (const b of batches) {
    if (b.session !== session) {
      mismatch(b.source, b.session, b.votes.length);
      perSource.push({ source: b.source, votes: b.votes.length, added: 0 });
      continue;
    }
    let added = 0;
    for (const v of b.votes) {
      if (v.session !== session) mismatch(b.source, v.session, 1);
      else if (votes.add(v, b.source)) added++;
    }
    for (const p of b.players) if (p.session === session) players.add(p, b.source);
    perSource.push({ source: b.source, votes: b.votes.length, added });
  }
  const merged = [...votes.kept.values()].map((k) => k.item);
  merged.sort((x, y) => x.at - y.at || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
  return {
    votes: merged,
    players: [...players.kept.values()].map((k) => k.item).sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0)),
    duplicates: votes.duplicates,
    conflicts: votes.conflictList(),
    playerConflicts: players.conflictList(),
    sessionMismatches: [...mismatches.values()],
    perSource,
  };
}

/** Player ids that voted but have no questionnaire record in the merge. */
export function playersWithoutRecord(m: MergeResult): PlayerId[] {
  const known = new Set(m.players.map((p) => p.id));
  return [...new Set(m.votes.map((v) => v.player))].filter((p) => !known.has(p)).sort();
}
