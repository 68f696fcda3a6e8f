/**
 * The game's storage in this browser (IndexedDB through idb-keyval, its own database so that erasing the lab's
 * notebook never touches collected votes). Every vote is written as it is made, before the next round starts;
 * a reload loses nothing.
 *
 *   session:<id>        SessionSettings
 *   votes:<id>          VoteRecord[] of the session on this device (appended; ids unique)
 *   players:<id>        Player[] of the session on this device (one device: several players taking turns)
 *   imported:<id>       VoteBatch[] merged in by the organiser (files / QR codes from other devices)
 *   current             { session, player } the device is on (the player whose turn it is), or absent
 *   lab-handoff         what "Analyse in the lab" hands to the lab page (LabHandoff), read once there
 *   live-outbox         a live workshop's votes waiting for the server's ack (VoteFrame-like objects)
 */
import { createStore, del, get, set, update } from 'idb-keyval';
import type { Player, PlayerId, SessionId, SessionSettings, VoteBatch, VoteRecord } from '../../game';
import type { AudioManifest } from '../audio-manifest';

let handle: ReturnType<typeof createStore> | null = null;
const db = () => (handle ??= createStore('similarity-lab-game', 'game'));

export async function saveSession(s: SessionSettings): Promise<void> {
  await set(`session:${s.id}`, s, db());
}
export async function loadSession(id: SessionId): Promise<SessionSettings | null> {
  return ((await get(`session:${id}`, db())) as SessionSettings | undefined) ?? null;
}

/** Append one vote (idempotent by vote id). */
export async function addVote(v: VoteRecord): Promise<void> {
  await update(`votes:${v.session}`, (old: VoteRecord[] | undefined) => (old?.some((o) => o.id === v.id) ? old : [...(old ?? []), v]), db());
}
export async function loadVotes(id: SessionId): Promise<VoteRecord[]> {
  return ((await get(`votes:${id}`, db())) as VoteRecord[] | undefined) ?? [];
}

/** Add or replace a player (by id). */
export async function savePlayer(p: Player): Promise<void> {
  await update(`players:${p.session}`, (old: Player[] | undefined) => [...(old ?? []).filter((o) => o.id !== p.id), p], db());
}
export async function loadPlayers(id: SessionId): Promise<Player[]> {
  return ((await get(`players:${id}`, db())) as Player[] | undefined) ?? [];
}

export async function addImported(id: SessionId, batch: VoteBatch): Promise<void> {
  await update(`imported:${id}`, (old: VoteBatch[] | undefined) => [...(old ?? []), batch], db());
}
/** Remove the imported batches named `source` (the organiser's simulated players); how many were removed. */
export async function removeImported(id: SessionId, source: string): Promise<number> {
  let n = 0;
  await update(
    `imported:${id}`,
    (old: VoteBatch[] | undefined) => {
      const keep = (old ?? []).filter((b) => b.source !== source);
      n = (old?.length ?? 0) - keep.length;
      return keep;
    },
    db(),
  );
  return n;
}
export async function loadImported(id: SessionId): Promise<VoteBatch[]> {
  return ((await get(`imported:${id}`, db())) as VoteBatch[] | undefined) ?? [];
}

export interface CurrentGame {
  readonly session: SessionId;
  readonly player: PlayerId | null;
}
export async function saveCurrent(c: CurrentGame | null): Promise<void> {
  if (c) await set('current', c, db());
  else await del('current', db());
}
export async function loadCurrent(): Promise<CurrentGame | null> {
  return ((await get('current', db())) as CurrentGame | undefined) ?? null;
}

/** What the game hands to the lab page ("Analyse in the lab"): the files of a Data cell, read once by the lab. */
export interface LabHandoff {
  readonly session: SessionId;
  readonly title: string;
  /** the lab's interchange files (features of the clip set, the votes, the users with questionnaire answers) */
  readonly files: {
    /** own audio: with the lab's audio manifest, so the lab's clip table plays the clips from this browser */
    readonly features: { name: string; text: string; audio?: AudioManifest };
    readonly judgments: { name: string; text: string };
    /** absent when the questionnaire has no questions */
    readonly users?: { name: string; text: string };
  };
  /** the questionnaire attribute the Constraints cell groups by ('' = none) */
  readonly groupBy?: string;
  /** a bundled data set id whose clips the lab's clip table can play, when the session used one */
  readonly clipSetId: string;
  /** shown in the lab: what was left out (catch trials, flagged players, timeouts) */
  readonly excludedNote: string;
  readonly at: number;
}
export async function saveHandoff(h: LabHandoff): Promise<void> {
  await set('lab-handoff', h, db());
}
/** The handoff, removed as it is read (a reload of the lab does not open it again). */
export async function takeHandoff(): Promise<LabHandoff | null> {
  const h = (await get('lab-handoff', db())) as LabHandoff | undefined;
  if (h) await del('lab-handoff', db());
  return h ?? null;
}

/** A live workshop's votes not yet acknowledged by the server (live/outbox.ts): sent again after every reconnect. */
export async function loadOutbox<T>(): Promise<T[]> {
  return ((await get('live-outbox', db())) as T[] | undefined) ?? [];
}
export async function updateOutbox<T>(f: (old: T[]) => T[]): Promise<T[]> {
  let out: T[] = [];
  await update(
    'live-outbox',
    (old: T[] | undefined) => {
      out = f(old ?? []);
      return out;
    },
    db(),
  );
  return out;
}
