/**
 * Moving sessions and votes between devices without a server (issue 14): a session as a small JSON file or
 * as a compact URL-safe string for a join link / QR code, and one device's votes (with its players'
 * questionnaires) as a JSON file or as a compact string for a QR code. The strings are `SLS1.` / `SLV1.`
 * followed by base64url of zlib-deflated JSON (fflate); the zlib Adler-32 trailer is checked here (fflate's
 * unzlibSync skips it), so a damaged string is reported instead of read as other settings.
 * Every reader validates and throws an Error that says what is wrong.
 */
import { strFromU8, strToU8, unzlibSync, zlibSync } from 'fflate';
import { sessionErrors } from './session';
import type { Answers, Index3, MatchId, Player, PlayerId, SessionId, SessionSettings, TripletId, VoteId, VoteRecord } from './types';
import { canonicalJson, type VoteBatch } from './merge';
import { DEFAULT_QUESTIONNAIRE } from './questionnaire';

export const SESSION_FORMAT = 'similarity-lab/game-session';
export const VOTES_FORMAT = 'similarity-lab/game-votes';
const SESSION_PREFIX = 'SLS1.';
const VOTES_PREFIX = 'SLV1.';

// ---------------------------------------------------------------------------------------------- base64url

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const LOOKUP = new Map([...ALPHABET].map((c, i) => [c, i]));

export function base64urlEncode(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    const chars = Math.min(4, Math.ceil(((bytes.length - i) * 8) / 6));
    for (let k = 0; k < chars; k++) out += ALPHABET[(n >> (18 - 6 * k)) & 63];
  }
  return out;
}

export function base64urlDecode(text: string): Uint8Array {
  if (text.length % 4 === 1) throw new Error('the text is cut off (base64url length)');
  const out = new Uint8Array(Math.floor((text.length * 6) / 8));
  let acc = 0;
  let bits = 0;
  let o = 0;
  for (let i = 0; i < text.length; i++) {
    const v = LOOKUP.get(text[i]);
    if (v === undefined) throw new Error(`character "${text[i]}" at position ${i + 1} is not base64url`);
    acc = ((acc << 6) | v) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 255;
    }
  }
  return out;
}

/** Adler-32 of the bytes (zlib's trailer; fflate's unzlibSync does not check it, so unpack does). */
export function adler32(bytes: Uint8Array): number {
  let a = 1;
  let b = 0;
  for (let i = 0; i < bytes.length; i += 3800) {
    const end = Math.min(bytes.length, i + 3800);
    for (let k = i; k < end; k++) {
      a += bytes[k];
      b += a;
    }
    a %= 65521;
    b %= 65521;
  }
  return ((b << 16) | a) >>> 0;
}

/** JSON → zlib → base64url behind a prefix. */
function pack(prefix: string, value: unknown): string {
  return prefix + base64urlEncode(zlibSync(strToU8(JSON.stringify(value)), { level: 9 }));
}

/** The JSON value behind a prefix; errors say whether the string is foreign, damaged or cut off. */
function unpack(prefix: string, text: string, what: string): unknown {
  const s = text.trim();
  const at = s.indexOf(prefix);
  if (at < 0) {
    const other = /SL[SV]\d+\./.exec(s);
    throw new Error(
      other ? `this is not a ${what} (it starts with ${other[0]}, expected ${prefix})` : `this is not a Similarity Lab ${what} (no ${prefix} found)`,
    );
  }
  let bytes: Uint8Array;
  try {
    const packed = base64urlDecode(s.slice(at + prefix.length));
    bytes = unzlibSync(packed);
    const n = packed.length;
    const stored = n < 4 ? -1 : ((packed[n - 4] << 24) | (packed[n - 3] << 16) | (packed[n - 2] << 8) | packed[n - 1]) >>> 0;
    if (stored !== adler32(bytes)) throw new Error('checksum mismatch');
  } catch (e) {
    throw new Error(`the ${what} is damaged or incomplete (${(e as Error).message})`);
  }
  try {
    return JSON.parse(strFromU8(bytes));
  } catch {
    throw new Error(`the ${what} is damaged: its content is not JSON`);
  }
}

// ---------------------------------------------------------------------------------------------- session

/** A session file's text (pretty JSON, `format` + `version` + `settings`). */
export function sessionToJson(settings: SessionSettings): string {
  return `${JSON.stringify({ format: SESSION_FORMAT, version: 1, settings }, null, 2)}\n`;
}

function sessionFromObject(o: unknown, what: string): SessionSettings {
  const f = o as { format?: unknown; version?: unknown; settings?: unknown };
  if (!f || typeof f !== 'object' || f.format !== SESSION_FORMAT)
    throw new Error(`${what}: not a game session (format "${String(f?.format)}", expected "${SESSION_FORMAT}")`);
  if (f.version !== 1) throw new Error(`${what}: session format version ${String(f.version)} is not supported (expected 1)`);
  const errors = sessionErrors(f.settings as SessionSettings);
  if (errors.length) throw new Error(`${what}: ${errors.join('; ')}`);
  return f.settings as SessionSettings;
}

/** Read a session file; throws with every problem named. */
export function parseSessionJson(text: string, file = 'session file'): SessionSettings {
  let o: unknown;
  try {
    o = JSON.parse(text);
  } catch (e) {
    throw new Error(`${file}: not JSON (${(e as Error).message})`);
  }
  return sessionFromObject(o, file);
}

export interface EncodeSessionOptions {
  /** leave the clip ids out: the joining device takes them from its own copy of the (bundled) clip set */
  readonly omitClipIds?: boolean;
}

/**
 * The session as a URL-safe string for a join link (`…#join=<string>`) or a QR code. The default
 * questionnaire is written as "default"; with omitClipIds the clip ids are left out (bundled clip sets).
 */
export function encodeSession(settings: SessionSettings, opts: EncodeSessionOptions = {}): string {
  const isDefault = canonicalJson(settings.questionnaire) === canonicalJson(DEFAULT_QUESTIONNAIRE);
  const compactSettings = { ...settings, questionnaire: isDefault ? 'default' : settings.questionnaire, clipIds: opts.omitClipIds ? null : settings.clipIds };
  return pack(SESSION_PREFIX, { format: SESSION_FORMAT, version: 1, settings: compactSettings });
}

/**
 * Read a join string (or a whole link containing it). `clipIdsOf` gives the clip ids of a clip set this
 * device has (bundled sets) for links made with omitClipIds.
 */
export function decodeSession(text: string, clipIdsOf?: (clipSetId: string) => readonly string[] | undefined): SessionSettings {
  const o = unpack(SESSION_PREFIX, text, 'session link') as { settings?: Record<string, unknown> };
  const st = o?.settings;
  if (st && typeof st === 'object') {
    if (st.questionnaire === 'default') st.questionnaire = DEFAULT_QUESTIONNAIRE;
    if (st.clipIds === null) {
      const ids = clipIdsOf?.(String(st.clipSetId));
      if (!ids)
        throw new Error(`session link: it names the clip set "${String(st.clipSetId)}" without its clip ids, and this device does not have that clip set`);
      st.clipIds = [...ids];
    }
  }
  return sessionFromObject(o, 'session link');
}

// ---------------------------------------------------------------------------------------------- votes

const isIdx = (x: unknown): x is Index3 => x === 0 || x === 1 || x === 2;
const isStr = (x: unknown): x is string => typeof x === 'string' && x !== '';
const isMs = (x: unknown): boolean => typeof x === 'number' && Number.isFinite(x) && x >= 0;

/** Problems of one vote record (empty when valid). */
export function voteErrors(v: VoteRecord): string[] {
  if (!v || typeof v !== 'object') return ['not an object'];
  const e: string[] = [];
  for (const k of ['id', 'session', 'player', 'match', 'triplet'] as const) if (!isStr(v[k])) e.push(`${k} must be a non-empty string`);
  if (!(Number.isInteger(v.round) && v.round >= 0)) e.push('round must be a whole number ≥ 0');
  if (!Array.isArray(v.clips) || v.clips.length !== 3 || !v.clips.every(isStr)) e.push('clips must be three clip ids');
  if (v.timeout !== (v.choice === null)) e.push('a timeout has no choice and a vote has one');
  if (v.choice !== null && !isIdx(v.choice)) e.push('choice must be 0, 1, 2 or null');
  if (Array.isArray(v.clips) && (v.choice === null ? v.choiceClip !== null : v.choiceClip !== v.clips[v.choice])) e.push('choiceClip must be the chosen clip');
  if (!isMs(v.rtMs) || !isMs(v.at)) e.push('rtMs and at must be numbers ≥ 0');
  if (!Array.isArray(v.playMs) || v.playMs.length !== 3 || !v.playMs.every(isMs)) e.push('playMs must be three numbers ≥ 0');
  if (!Array.isArray(v.playOrder) || !v.playOrder.every(isIdx)) e.push('playOrder must list 0, 1 or 2');
  if (typeof v.catch !== 'boolean' || v.catch !== (v.differs !== undefined) || (v.catch && !isIdx(v.differs)))
    e.push('a catch trial (and only one) names the clip that differs');
  return e;
}

function playerErrors(p: Player): string[] {
  if (!p || typeof p !== 'object') return ['not an object'];
  const e: string[] = [];
  if (!isStr(p.id) || !isStr(p.session)) e.push('id and session must be non-empty strings');
  if (!p.answers || typeof p.answers !== 'object' || Object.values(p.answers).some((a) => typeof a !== 'string' && typeof a !== 'number'))
    e.push('answers must map question ids to text or numbers');
  if (typeof p.consent !== 'boolean' || !Array.isArray(p.flags)) e.push('consent must be true/false and flags a list');
  return e;
}

function batchFromObject(o: unknown, source: string): VoteBatch {
  const f = o as { format?: unknown; version?: unknown; session?: unknown; votes?: unknown; players?: unknown };
  if (!f || typeof f !== 'object' || f.format !== VOTES_FORMAT)
    throw new Error(`${source}: not a votes file (format "${String(f?.format)}", expected "${VOTES_FORMAT}")`);
  if (f.version !== 1) throw new Error(`${source}: votes format version ${String(f.version)} is not supported (expected 1)`);
  if (!isStr(f.session) || !Array.isArray(f.votes) || !Array.isArray(f.players)) throw new Error(`${source}: needs session, votes and players`);
  const problems: string[] = [];
  f.votes.forEach((v: VoteRecord, i) => problems.push(...voteErrors(v).map((m) => `vote ${i + 1}: ${m}`)));
  f.players.forEach((p: Player, i) => problems.push(...playerErrors(p).map((m) => `player ${i + 1}: ${m}`)));
  if (problems.length) throw new Error(`${source}: ${problems.slice(0, 5).join('; ')}${problems.length > 5 ? ` (and ${problems.length - 5} more)` : ''}`);
  return { source, session: f.session as SessionId, votes: f.votes as VoteRecord[], players: f.players as Player[] };
}

/** One device's votes and players as a JSON file. */
export function votesToJson(session: SessionId, votes: readonly VoteRecord[], players: readonly Player[]): string {
  return `${JSON.stringify({ format: VOTES_FORMAT, version: 1, session, votes, players })}\n`;
}

/** Read a votes file into a batch for merge.ts. */
export function parseVotesJson(text: string, source = 'votes file'): VoteBatch {
  let o: unknown;
  try {
    o = JSON.parse(text);
  } catch (e) {
    throw new Error(`${source}: not JSON (${(e as Error).message})`);
  }
  return batchFromObject(o, source);
}

type Tuple = [string, number, number, number, string, number, number, number, number, number, number, number, number, string, number, number];

/** Votes (and players) in a compact form: tables of clips, players and matches; one tuple per vote. */
function compact(session: SessionId, votes: readonly VoteRecord[], players: readonly Player[]): unknown {
  const table = <T>() => {
    const list: T[] = [];
    const at = new Map<T, number>();
    const idx = (x: T): number => {
      let i = at.get(x);
      if (i === undefined) {
        i = list.push(x) - 1;
        at.set(x, i);
      }
      return i;
    };
    return { list, idx };
  };
  const clips = table<string>();
  const who = table<string>();
  const matches = table<string>();
  const t0 = votes.reduce((m, v) => Math.min(m, v.at), Number.POSITIVE_INFINITY);
  const rows: Tuple[] = votes.map((v) => [
    v.id,
    who.idx(v.player),
    matches.idx(v.match),
    v.round,
    v.triplet,
    clips.idx(v.clips[0]),
    clips.idx(v.clips[1]),
    clips.idx(v.clips[2]),
    v.choice ?? -1,
    Math.round(v.rtMs),
    Math.round(v.playMs[0]),
    Math.round(v.playMs[1]),
    Math.round(v.playMs[2]),
    v.playOrder.join(''),
    v.differs ?? -1,
    v.at - t0,
  ]);
  const q = players.map((p) => [who.idx(p.id), p.answers, p.consent ? 1 : 0, p.flags]);
  return { f: 'v', s: session, t: Number.isFinite(t0) ? t0 : 0, k: clips.list, p: who.list, m: matches.list, v: rows, q };
}

/** One device's votes for a QR code (times rounded to whole ms). */
export function encodeVotes(session: SessionId, votes: readonly VoteRecord[], players: readonly Player[]): string {
  return pack(VOTES_PREFIX, compact(session, votes, players));
}

function expand(o: { s: SessionId; t: number; k: string[]; p: string[]; m: string[]; v: Tuple[]; q: [number, Answers, number, string[]][] }): VoteBatch {
  const votes = o.v.map((r): VoteRecord => {
    const clips = [o.k[r[5]], o.k[r[6]], o.k[r[7]]] as [string, string, string];
    const choice = r[8] < 0 ? null : (r[8] as Index3);
    return {
      id: r[0] as VoteId,
      session: o.s,
      player: o.p[r[1]] as PlayerId,
      match: o.m[r[2]] as MatchId,
      round: r[3],
      triplet: r[4] as TripletId,
      clips,
      choice,
      choiceClip: choice === null ? null : clips[choice],
      timeout: choice === null,
      rtMs: r[9],
      playMs: [r[10], r[11], r[12]],
      playOrder: [...r[13]].map(Number) as Index3[],
      catch: r[14] >= 0,
      ...(r[14] >= 0 ? { differs: r[14] as Index3 } : {}),
      at: o.t + r[15],
    };
  });
  const players = o.q.map(([i, answers, consent, flags]): Player => ({ id: o.p[i] as PlayerId, session: o.s, answers, consent: consent === 1, flags }));
  return { source: 'QR code', session: o.s, votes, players };
}

/** Read a votes QR string back into a batch; throws on a foreign or damaged string. */
export function decodeVotes(text: string, source = 'votes QR code'): VoteBatch {
  const o = unpack(VOTES_PREFIX, text, 'votes code') as Parameters<typeof expand>[0] & { f?: unknown };
  if (
    !o ||
    typeof o !== 'object' ||
    o.f !== 'v' ||
    !Array.isArray(o.v) ||
    !Array.isArray(o.k) ||
    !Array.isArray(o.p) ||
    !Array.isArray(o.m) ||
    !Array.isArray(o.q)
  ) {
    throw new Error(`${source}: the votes code has an unknown layout`);
  }
  let b: VoteBatch;
  try {
    b = expand(o);
  } catch (e) {
    throw new Error(`${source}: the votes code is malformed (${(e as Error).message})`);
  }
  return batchFromObject({ format: VOTES_FORMAT, version: 1, session: b.session, votes: b.votes, players: b.players }, source);
}
