/**
 * The player side's state (zustand): the session on this device, whose turn it is, the match, the round's
 * clips and playback, the last result. Every vote is written to IndexedDB (db.addVote) before the view moves
 * on; a reload rebuilds everything from the database (resumeFor).
 *
 *   loading → consent → questionnaire → sound → round-loading → round → result → … → finished
 *   (no-session when this device has no current session)
 */
import { create } from 'zustand';
import {
  type Answers,
  type Index3,
  type MatchState,
  matchId,
  type Player,
  playClip,
  playerId,
  randomId,
  type RoundScore,
  type SessionSettings,
  scoreSession,
  startMatch,
  startRound,
  stopClip,
  timeoutRound,
  type VoteRecord,
  vote as voteCore,
  voteId,
} from '../../../game';
import { addVote, loadCurrent, loadPlayers, loadSession, loadVotes, saveCurrent, savePlayer } from '../db';
import { gameAudio, type Playing } from './audio';
import { loadClip } from './clip-cache';
import { lastMatchOf, resumeFor } from './resume';

export type Stage = 'loading' | 'no-session' | 'consent' | 'questionnaire' | 'sound' | 'round-loading' | 'round' | 'result' | 'finished';

export interface ClipSlot {
  readonly status: 'loading' | 'ready' | 'error';
  readonly error?: string;
}
export interface LastResult {
  readonly vote: VoteRecord;
  readonly score: RoundScore;
  /** points of this match so far, this round included */
  readonly matchTotal: number;
}

export interface PlayerState {
  stage: Stage;
  /** a problem to show (saving failed, sound blocked, …) */
  error: string | null;
  settings: SessionSettings | null;
  player: Player | null;
  /** the anonymous id given at consent, saved with the questionnaire */
  draftId: string | null;
  players: Player[];
  /** every vote of the session on this device */
  votes: VoteRecord[];
  match: MatchState | null;
  /** the round being loaded or played: its clips (from the schedule) and their load state */
  roundClips: readonly [string, string, string] | null;
  slots: readonly [ClipSlot, ClipSlot, ClipSlot];
  buffers: (AudioBuffer | null)[];
  playing: { index: Index3; since: number; seconds: number } | null;
  last: LastResult | null;
  saving: boolean;
  /** what the page's one polite live region says (round ready, time left, the result) */
  announcement: string;
}

const LOADING: ClipSlot = { status: 'loading' };
const initial: PlayerState = {
  stage: 'loading',
  error: null,
  settings: null,
  player: null,
  draftId: null,
  players: [],
  votes: [],
  match: null,
  roundClips: null,
  slots: [LOADING, LOADING, LOADING],
  buffers: [null, null, null],
  playing: null,
  last: null,
  saving: false,
  announcement: '',
};

export const usePlayer = create<PlayerState>(() => initial);
const get = usePlayer.getState;
const set = usePlayer.setState;
const msg = (e: unknown): string => (e instanceof Error ? e.message : String(e));
let handle: Playing | null = null;

/** Points of one match from the scores of the session's votes on this device. */
export function matchTotal(votes: readonly VoteRecord[], scores: readonly RoundScore[], match: string): number {
  const ids = new Set(votes.filter((v) => v.match === match).map((v) => v.id));
  return scores.reduce((t, s) => t + (ids.has(s.vote) ? s.points : 0), 0);
}

/** Read the device's current session and player and go where they were. */
export async function loadPlayer(): Promise<void> {
  set({ ...initial });
  try {
    const current = await loadCurrent();
    const settings = current ? await loadSession(current.session) : null;
    if (!current || !settings) return set({ stage: 'no-session' });
    const [players, votes] = await Promise.all([loadPlayers(settings.id), loadVotes(settings.id)]);
    const player = players.find((p) => p.id === current.player && p.consent) ?? null;
    set({ settings, players, votes, player });
    if (!player) return set({ stage: 'consent' });
    enterMatch(player, votes, settings);
  } catch (e) {
    set({ stage: 'no-session', error: `The game's storage could not be read: ${msg(e)}` });
  }
}

/** The player's match after a (re)load: resumed, finished (its results shown), or a new one. */
function enterMatch(player: Player, votes: readonly VoteRecord[], settings: SessionSettings): void {
  const resumed = resumeFor(settings, player.id, votes);
  const last = lastMatchOf(player.id, votes);
  const stage = gameAudio.ready ? 'round-loading' : 'sound';
  if (resumed) set({ match: resumed, stage });
  else if (last) set({ match: { ...startMatch(settings, player.id, matchId(last)), done: settings.roundsPerMatch, phase: 'finished' }, stage: 'finished' });
  else set({ match: startMatch(settings, player.id, matchId(`m-${randomId()}`)), stage });
}

/** Say something in the page's live region (the clock's announcements). */
export function announce(text: string): void {
  set({ announcement: text });
}

export function giveConsent(): void {
  set({ draftId: `p-${randomId()}`, stage: 'questionnaire', error: null });
}

/** Save the player (anonymous id + answers) and make them the device's current player. */
export async function submitAnswers(answers: Answers): Promise<void> {
  const { settings, draftId, players, votes } = get();
  if (!settings || !draftId) return;
  const player: Player = { id: playerId(draftId), session: settings.id, answers, consent: true, flags: [] };
  try {
    await savePlayer(player);
    await saveCurrent({ session: settings.id, player: player.id });
  } catch (e) {
    return set({ error: `Your answers could not be saved on this device: ${msg(e)}` });
  }
  set({ player, players: [...players.filter((p) => p.id !== player.id), player], error: null });
  enterMatch(player, votes, settings);
}

/** "Tap to enable sound" (must run inside the click handler). */
export async function enableSound(): Promise<void> {
  try {
    await gameAudio.enable();
  } catch (e) {
    return set({ error: msg(e) });
  }
  const { match } = get();
  set({ error: null, stage: match?.phase === 'finished' ? 'finished' : 'round-loading' });
}

/** Fetch and decode the next round's three clips; the clock starts once all are ready. */
export async function prepareRound(): Promise<void> {
  const { settings, match, votes } = get();
  if (!settings || !match || match.phase !== 'ready') return;
  const preview = startRound(match, settings, votes, Date.now()).current;
  if (!preview) return;
  const clips = preview.clips;
  set({ roundClips: clips, slots: [LOADING, LOADING, LOADING], buffers: [null, null, null], playing: null, error: null });
  const results = await Promise.allSettled(clips.map((c) => loadClip(settings.clipSetId, c, settings.excerptOffsetSeconds + settings.excerptSeconds)));
  if (get().roundClips !== clips || get().match !== match) return; // moved on meanwhile
  const slots = results.map((r) => (r.status === 'fulfilled' ? { status: 'ready' } : { status: 'error', error: msg(r.reason) })) as unknown as [
    ClipSlot,
    ClipSlot,
    ClipSlot,
  ];
  const buffers = results.map((r) => (r.status === 'fulfilled' ? r.value : null));
  if (slots.some((s) => s.status === 'error')) return set({ slots, buffers });
  const announcement = `Round ${match.done + 1} of ${match.rounds}: the clips are ready. ${settings.voteSeconds} seconds to vote.`;
  set({ slots, buffers, match: startRound(match, settings, votes, Date.now()), stage: 'round', announcement });
}

/** A round whose clips cannot be loaded is passed over without a vote. */
export function skipRound(): void {
  const { match } = get();
  if (match?.phase !== 'ready') return;
  const done = match.done + 1;
  set({
    match: { ...match, done, phase: done >= match.rounds ? 'finished' : 'ready' },
    stage: done >= match.rounds ? 'finished' : 'round-loading',
    roundClips: null,
  });
}

export function playIndex(i: Index3): void {
  const { settings, match, buffers, stage } = get();
  const buffer = buffers[i];
  if (stage !== 'round' || !settings || !match || !buffer) return;
  const now = Date.now();
  handle?.stop();
  const seconds = Math.min(settings.excerptSeconds, buffer.duration);
  handle = gameAudio.play(buffer, settings.excerptOffsetSeconds, settings.excerptSeconds, () => {
    const s = get();
    if (s.stage !== 'round' || s.match?.current?.playing?.index !== i || !s.settings) return;
    set({ match: stopClip(s.match, s.settings, Date.now()), playing: null });
  });
  set({ match: playClip(match, settings, i, now), playing: { index: i, since: now, seconds } });
}

export function stopPlaying(): void {
  const { settings, match, stage } = get();
  handle?.stop();
  handle = null;
  if (stage === 'round' && settings && match?.current?.playing) set({ match: stopClip(match, settings, Date.now()), playing: null });
  else set({ playing: null });
}

/** Space: the clip after the one playing (or last started), the first one to begin with. */
export function playNext(): void {
  const r = get().match?.current;
  if (!r) return;
  const last = r.playing?.index ?? r.playOrder[r.playOrder.length - 1];
  playIndex(last === undefined ? 0 : (((last + 1) % 3) as Index3));
}

/** Record the pick (null: voting closed) — saved before the result is shown. */
export async function castVote(choice: Index3 | null): Promise<void> {
  const { settings, match, stage, saving, votes } = get();
  if (stage !== 'round' || saving || !settings || !match) return;
  set({ saving: true });
  handle?.stop();
  handle = null;
  const now = Date.now();
  const id = voteId(randomId());
  const out = choice === null ? timeoutRound(match, settings, now, id) : voteCore(match, settings, choice, now, id);
  try {
    await addVote(out.vote);
  } catch (e) {
    return set({ saving: false, error: `Your vote could not be saved on this device: ${msg(e)}. Try again.` });
  }
  const all = [...votes, out.vote];
  const scores = scoreSession(settings, all);
  const score = scores.find((s) => s.vote === out.vote.id) as RoundScore;
  const last: LastResult = { vote: out.vote, score, matchTotal: matchTotal(all, scores, match.match) };
  const said = out.vote.timeout ? 'Time is up.' : `You picked clip ${(out.vote.choice ?? 0) + 1}.`;
  const announcement = `${said} ${score.points} points this round, ${last.matchTotal} in this match.`;
  set({ votes: all, match: out.state, last, playing: null, saving: false, stage: 'result', error: null, announcement });
  if (out.state.phase === 'ready') prefetchNext();
}

/** Start decoding the next round's clips while the result is read. */
function prefetchNext(): void {
  const { settings, match, votes } = get();
  if (!settings || !match || match.phase !== 'ready') return;
  const clips = startRound(match, settings, votes, Date.now()).current?.clips ?? [];
  for (const c of clips) loadClip(settings.clipSetId, c, settings.excerptOffsetSeconds + settings.excerptSeconds).catch(() => undefined);
}

export function nextRound(): void {
  const { match } = get();
  set({ stage: match?.phase === 'finished' ? 'finished' : 'round-loading', roundClips: null });
}

export function anotherMatch(): void {
  const { settings, player } = get();
  if (!settings || !player) return;
  set({ match: startMatch(settings, player.id, matchId(`m-${randomId()}`)), last: null, stage: gameAudio.ready ? 'round-loading' : 'sound' });
}

/** One device, players taking turns: the next one gives consent and answers their own questionnaire. */
export async function nextPlayer(): Promise<void> {
  const { settings } = get();
  if (!settings) return;
  handle?.stop();
  await saveCurrent({ session: settings.id, player: null });
  set({ player: null, draftId: null, match: null, last: null, stage: 'consent' });
}
