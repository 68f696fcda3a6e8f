/**
 * A player in a live workshop (the page served by `similarity-lab workshop`, docs/SERVER.md): the connection,
 * the steps before playing (consent, questionnaire, sound), then whatever the server says — queued, match,
 * round, round-result, match-end, leaderboard. Votes carry client-generated ids and go through an outbox in
 * IndexedDB (db.ts `live-outbox`): sent at once when the socket is open, sent again after every reconnect,
 * dropped on `ack` (or on `round-closed` / `not-served` / `already-voted` / `vote-id-conflict`, which no resend
 * can change). The anonymous player id lives in localStorage, so a reload or a reconnect keeps it.
 *
 *   step:  connecting → consent → questionnaire → sound → lobby
 *   phase (in the lobby): idle → queued → seated → round ⇄ result → ended
 */
import { create } from 'zustand';
import { type Answers, type Index3, type QuestionnaireDefinition, randomId } from '../../../game';
import type { RoundFrame } from '../../../game/protocol';
import { loadOutbox, updateOutbox } from '../db';
import { gameAudio, type Playing } from '../player/audio';
import type { ClipSlot } from '../player/player-store';
import { loadLiveClip } from './live-clips';
import { type Frame, LiveSocket, socketUrl } from './socket';

export interface LiveSession {
  readonly id: string;
  readonly name: string;
  readonly clipSetId: string;
  readonly roundsPerMatch: number;
  readonly voteSeconds: number;
  readonly excerptSeconds: number;
  readonly excerptOffsetSeconds: number;
  readonly seats: number;
  readonly questionnaire: QuestionnaireDefinition;
  readonly state: 'running' | 'stopped';
}
export interface LiveTable {
  readonly match: string;
  readonly seats: number;
  readonly humans: number;
  readonly ai: number;
  readonly seat: number;
  readonly rounds: number;
}
/** A round as the server served it (protocol RoundFrame), with this page's clock and pick. */
export interface LiveRound extends Pick<RoundFrame, 'match' | 'round' | 'rounds' | 'triplet' | 'clips' | 'urls'> {
  /** local epoch ms when voting closes (the server's msLeft from the frame's arrival: no clock skew) */
  readonly deadline: number;
  /** the pick sent (index as shown), or 'sent' when the server already had a vote of this round */
  readonly pick: Index3 | 'sent' | null;
  readonly timeUp: boolean;
}
export interface SeatRow {
  readonly seat: number;
  readonly you: boolean;
  readonly ai: boolean;
  readonly pick: string | null;
  readonly points: number;
}
export interface LiveResult {
  readonly match: string;
  readonly round: number;
  readonly triplet: string;
  readonly seats: readonly SeatRow[];
  readonly you: { readonly points: number; readonly agreeing: number; readonly catchPassed?: boolean };
  readonly matchPoints: number;
  readonly next: number | null;
  /** the clips as this player saw them (to name picks "clip 2") */
  readonly clips: readonly string[];
}
export interface BoardRow {
  readonly rank: number;
  readonly points: number;
  readonly rounds: number;
  readonly you: boolean;
}
export interface Board {
  readonly rows: readonly BoardRow[];
  readonly you: BoardRow | null;
  readonly players: number;
}
export interface VoteOut {
  readonly type: 'vote';
  readonly id: string;
  readonly match: string;
  readonly round: number;
  readonly triplet: string;
  readonly choice: Index3 | null;
  readonly rtMs: number;
  readonly playMs: readonly [number, number, number];
  readonly playOrder: readonly Index3[];
}

export type LiveStep = 'connecting' | 'consent' | 'questionnaire' | 'sound' | 'lobby';
export type LivePhase = 'idle' | 'queued' | 'seated' | 'round' | 'result' | 'ended';

export interface LiveState {
  step: LiveStep;
  phase: LivePhase;
  conn: 'connecting' | 'open' | 'retrying';
  retryMs: number;
  session: LiveSession | null;
  player: string;
  queued: { waiting: number; seats: number; waitMs: number } | null;
  table: LiveTable | null;
  round: LiveRound | null;
  slots: readonly [ClipSlot, ClipSlot, ClipSlot];
  buffers: (AudioBuffer | null)[];
  playing: { index: Index3; since: number; seconds: number } | null;
  playMs: [number, number, number];
  playOrder: Index3[];
  /** when the round's clips were ready (rtMs counts from here) */
  readyAt: number | null;
  result: LiveResult | null;
  matchEnd: { points: number } | null;
  board: Board | null;
  /** votes in the outbox (not acknowledged yet) */
  pending: number;
  error: string | null;
  notice: string | null;
  announcement: string;
}

const LOADING: ClipSlot = { status: 'loading' };
const PLAYER_KEY = 'similarity-lab-live-player';
const answeredKey = (session: string) => `similarity-lab-live-answered:${session}`;
const DROP_ON = new Set(['round-closed', 'not-served', 'already-voted', 'vote-id-conflict']);

function storedPlayer(): string {
  try {
    const old = localStorage.getItem(PLAYER_KEY);
    if (old && /^[A-Za-z0-9_-]{8,64}$/.test(old)) return old;
    const id = `p-${randomId()}`;
    localStorage.setItem(PLAYER_KEY, id);
    return id;
  } catch {
    return `p-${randomId()}`; // storage blocked: a fresh id per page
  }
}
function answered(session: string): boolean {
  try {
    return localStorage.getItem(answeredKey(session)) === '1';
  } catch {
    return false;
  }
}

const fresh = (): Pick<LiveState, 'slots' | 'buffers' | 'playing' | 'playMs' | 'playOrder' | 'readyAt'> => ({
  slots: [LOADING, LOADING, LOADING],
  buffers: [null, null, null],
  playing: null,
  playMs: [0, 0, 0],
  playOrder: [],
  readyAt: null,
});

export const useLive = create<LiveState>(() => ({
  step: 'connecting',
  phase: 'idle',
  conn: 'connecting',
  retryMs: 0,
  session: null,
  player: '',
  queued: null,
  table: null,
  round: null,
  ...fresh(),
  result: null,
  matchEnd: null,
  board: null,
  pending: 0,
  error: null,
  notice: null,
  announcement: '',
}));
const get = useLive.getState;
const set = useLive.setState;
const msg = (e: unknown): string => (e instanceof Error ? e.message : String(e));

let socket: LiveSocket | null = null;
/** the session of the first welcome (reconnects name it: the organiser may have started another meanwhile) */
let pinned: string | null = null;
/** answers to send with the next hello (once, after the questionnaire) */
let answersToSend: Answers | null = null;
/** we asked for a seat and have none yet: ask again after a reconnect */
let wantSeat = false;
/** after a reconnect: whether the server told us our match again */
let seatTimer: ReturnType<typeof setTimeout> | null = null;
let handle: Playing | null = null;

function hello(): void {
  const a = answersToSend;
  socket?.send({ type: 'hello', player: get().player, ...(pinned ? { session: pinned } : {}), ...(a ? { answers: a, consent: true } : {}) });
}

/** Open the connection (the page was served by a workshop server; `workshop`: the session of the join link). */
export function startLive(workshop: string | null): () => void {
  pinned = workshop;
  set({ player: storedPlayer(), step: 'connecting', conn: 'connecting' });
  socket = new LiveSocket(socketUrl(location), {
    onOpen: () => {
      set({ conn: 'open', notice: null });
      hello();
    },
    onFrame,
    onClose: (retryMs) => set({ conn: 'retrying', retryMs }),
  });
  void loadOutbox<VoteOut>().then((o) => set({ pending: o.length }));
  const back = () => {
    if (document.visibilityState === 'visible' && socket && !socket.isOpen) socket.reconnect();
  };
  document.addEventListener('visibilitychange', back);
  return () => {
    document.removeEventListener('visibilitychange', back);
    socket?.close();
    socket = null;
    handle?.stop();
  };
}

const HANDLERS: Record<string, (f: Frame) => void> = {
  welcome: (f) => welcome(f),
  queued: (f) => set({ phase: 'queued', queued: { waiting: Number(f.waiting), seats: Number(f.seats), waitMs: Number(f.waitMs) } }),
  match: (f) => seated(f),
  round: (f) => roundFrame(f),
  ack: (f) => void dropVote(String(f.id)),
  'round-result': (f) => roundResult(f),
  'match-end': (f) => {
    wantSeat = false;
    set({ phase: 'ended', matchEnd: { points: Number(f.points) }, announcement: `Match over: ${f.points} points.` });
  },
  leaderboard: (f) => set({ board: { rows: f.rows as BoardRow[], you: (f.you as BoardRow | null) ?? null, players: Number(f.players) } }),
  error: (f) => serverError(f),
};

function onFrame(f: Frame): void {
  HANDLERS[f.type]?.(f);
}

function welcome(f: Frame): void {
  const session = f.session as LiveSession;
  pinned = session.id;
  answersToSend = null;
  const { step, phase } = get();
  const next: LiveStep = step !== 'connecting' ? step : !answered(session.id) ? 'consent' : gameAudio.ready ? 'lobby' : 'sound';
  set({ session, step: next, error: null });
  void flushOutbox();
  if (wantSeat && (phase === 'idle' || phase === 'queued')) socket?.send({ type: 'join' });
  if (phase === 'seated' || phase === 'round' || phase === 'result') {
    // the server repeats `match` (and the open round) right after welcome when the match still runs
    if (seatTimer) clearTimeout(seatTimer);
    seatTimer = setTimeout(() => {
      seatTimer = null;
      set({ phase: 'ended', matchEnd: null, notice: 'Your match ended while the connection was lost.' });
      socket?.send({ type: 'leaderboard' });
    }, 2500);
  }
}

function seated(f: Frame): void {
  if (seatTimer) clearTimeout(seatTimer);
  seatTimer = null;
  wantSeat = false;
  const table: LiveTable = {
    match: String(f.match),
    seats: Number(f.seats),
    humans: Number(f.humans),
    ai: Number(f.ai),
    seat: Number(f.seat),
    rounds: Number(f.rounds),
  };
  const same = get().table?.match === table.match;
  set({ table, queued: null, ...(same ? {} : { phase: 'seated', round: null, result: null, matchEnd: null, board: null }) });
}

function roundFrame(f: Frame): void {
  const old = get().round;
  // the same round served again (a reconnect): keep the pick and the decoded clips when the order is the same
  const same = old && old.match === f.match && old.round === f.round && old.clips.join('\u0000') === (f.clips as string[]).join('\u0000');
  const round: LiveRound = {
    match: String(f.match),
    round: Number(f.round),
    rounds: Number(f.rounds),
    triplet: String(f.triplet),
    clips: f.clips as LiveRound['clips'],
    urls: f.urls as LiveRound['urls'],
    deadline: Date.now() + Number(f.msLeft),
    pick: same && old.pick !== null ? old.pick : f.voted ? 'sent' : null,
    timeUp: false,
  };
  set({ round, phase: 'round', result: null, notice: null });
  if (!same) void loadRound(round);
}

/** Fetch and decode the round's three clips (from the URLs the server gave, relative to its root). */
export async function loadRound(round: LiveRound): Promise<void> {
  const s = get().session;
  if (!s) return;
  set({ ...fresh() });
  const end = s.excerptOffsetSeconds + s.excerptSeconds;
  const results = await Promise.allSettled(round.urls.map((u, i) => loadLiveClip(u, round.clips[i], end)));
  if (get().round !== round && get().round?.triplet !== round.triplet) return;
  const slots = results.map((r) => (r.status === 'fulfilled' ? { status: 'ready' } : { status: 'error', error: msg(r.reason) })) as unknown as [
    ClipSlot,
    ClipSlot,
    ClipSlot,
  ];
  const buffers = results.map((r) => (r.status === 'fulfilled' ? r.value : null));
  set({ slots, buffers, readyAt: Date.now(), announcement: `Round ${round.round + 1} of ${round.rounds}: the clips are ready.` });
}

function roundResult(f: Frame): void {
  const r = get().round;
  const result: LiveResult = {
    match: String(f.match),
    round: Number(f.round),
    triplet: String(f.triplet),
    seats: f.seats as SeatRow[],
    you: f.you as LiveResult['you'],
    matchPoints: Number(f.matchPoints),
    next: f.next === null ? null : Number(f.next),
    clips: r && r.triplet === f.triplet ? r.clips : [],
  };
  handle?.stop();
  handle = null;
  set({ result, phase: 'result', playing: null, announcement: `+${result.you.points} points this round, ${result.matchPoints} in this match.` });
}

function serverError(f: Frame): void {
  const code = String(f.code);
  if (typeof f.id === 'string' && DROP_ON.has(code)) {
    void dropVote(f.id);
    return;
  }
  if (code === 'session-stopped') {
    wantSeat = false;
    set({ phase: 'idle', queued: null, error: `The organiser has stopped this session (${f.message}).` });
  } else if (code === 'unknown-session') set({ error: 'This workshop session is not on the server any more: ask the organiser for the current join link.' });
  else set({ error: `The server said: ${f.message} (${code})` });
}

// ------------------------------------------------------------------------------------------------ outbox

async function flushOutbox(): Promise<void> {
  const out = await loadOutbox<VoteOut>();
  set({ pending: out.length });
  for (const v of out) socket?.send({ ...v });
}

async function dropVote(id: string): Promise<void> {
  const left = await updateOutbox<VoteOut>((old) => old.filter((v) => v.id !== id));
  set({ pending: left.length });
}

// ------------------------------------------------------------------------------------------------ actions

export function agree(): void {
  set({ step: 'questionnaire' });
}

/** The questionnaire's answers: sent with a second hello (stored on the server with the anonymous id only). */
export async function submitLiveAnswers(answers: Answers): Promise<void> {
  const s = get().session;
  if (!s) return;
  answersToSend = answers;
  hello();
  try {
    localStorage.setItem(answeredKey(s.id), '1');
  } catch {
    // storage blocked: the questions come again after a reload
  }
  set({ step: gameAudio.ready ? 'lobby' : 'sound' });
  if (gameAudio.ready) joinMatch();
}

/** "Tap to enable sound" (inside the click), then a seat in the next match unless the server resumed one. */
export async function enableLiveSound(): Promise<void> {
  try {
    await gameAudio.enable();
  } catch (e) {
    return set({ error: msg(e) });
  }
  set({ step: 'lobby', error: null });
  if (get().phase === 'idle') joinMatch();
}

export function joinMatch(): void {
  wantSeat = true;
  set({ phase: 'queued', queued: null, matchEnd: null, result: null, round: null, table: null, board: null, error: null, notice: null });
  socket?.send({ type: 'join' });
}

function playedMs(now: number): [number, number, number] {
  const { playMs, playing } = get();
  const ms: [number, number, number] = [...playMs];
  if (playing) ms[playing.index] += now - playing.since;
  return ms.map(Math.round) as [number, number, number];
}

export function livePlay(i: Index3): void {
  const { session, buffers, round, playOrder } = get();
  const buffer = buffers[i];
  if (!session || !buffer || !round || round.pick !== null || round.timeUp) return;
  const now = Date.now();
  const playMs = playedMs(now);
  handle?.stop();
  const seconds = Math.min(session.excerptSeconds, buffer.duration);
  handle = gameAudio.play(buffer, session.excerptOffsetSeconds, session.excerptSeconds, () => {
    if (get().playing?.index === i) set({ playMs: playedMs(Date.now()), playing: null });
  });
  set({ playMs, playing: { index: i, since: now, seconds }, playOrder: [...playOrder, i] });
}

export function liveStop(): void {
  handle?.stop();
  handle = null;
  if (get().playing) set({ playMs: playedMs(Date.now()), playing: null });
}

/** A pick: into the outbox first (it survives a reload), then to the server when the socket is open. */
export async function liveVote(choice: Index3): Promise<void> {
  const { round, readyAt, playOrder } = get();
  if (!round || round.pick !== null || round.timeUp || readyAt === null) return;
  const now = Date.now();
  const v: VoteOut = {
    type: 'vote',
    id: `v-${randomId()}`,
    match: round.match,
    round: round.round,
    triplet: round.triplet,
    choice,
    rtMs: Math.max(0, now - readyAt),
    playMs: playedMs(now),
    playOrder,
  };
  liveStop();
  set({ round: { ...round, pick: choice }, announcement: `You picked clip ${choice + 1}. Waiting for the other players.` });
  const left = await updateOutbox<VoteOut>((old) => [...old.filter((o) => o.id !== v.id), v]).catch(() => null);
  if (left) set({ pending: left.length });
  socket?.send({ ...v });
}

/** The clock ran out without a pick: the server records the timeout; we wait for the result. */
export function liveTimeUp(): void {
  const r = get().round;
  if (!r || r.pick !== null || r.timeUp) return;
  liveStop();
  set({ round: { ...r, timeUp: true } });
}

export function liveAnnounce(text: string): void {
  set({ announcement: text });
}

export function askLeaderboard(): void {
  socket?.send({ type: 'leaderboard' });
}
