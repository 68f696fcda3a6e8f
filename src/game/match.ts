/**
 * One player's match as a serialisable state machine (issue 14): rounds, the current triplet, per-clip play
 * tracking, the vote or the timeout, and the resume after a reload. Every function is pure: it takes the state
 * and the time (epoch ms) and returns a new state (and, on a vote, the record to save).
 *
 * After CASimIR's basicooo module (github:citymirg/casimir camir_gameClient/modules/basicooo.module.js and
 * camir_gameServer/UserConnection/moduleCallerDefinitions/moduleCaller.basicooo.php): 45 s to answer
 * (latestEntryTime), a round without an answer is saved as a vote with no song chosen (songChosenId −1), and
 * each vote carries the per-song play times.
 *
 *   ready ──startRound──▶ round ──vote / timeout──▶ ready … ──(last round)──▶ finished
 */
import { nextTriplet, presentation } from './schedule';
import type { ClipId, Index3, MatchId, PlayerId, SessionId, SessionSettings, TripletId, VoteId, VoteRecord } from './types';

export interface RoundState {
  readonly round: number;
  readonly triplet: TripletId;
  readonly clips: readonly [ClipId, ClipId, ClipId];
  readonly catch: boolean;
  readonly differs?: Index3;
  readonly startedAt: number;
  readonly playMs: readonly [number, number, number];
  readonly playOrder: readonly Index3[];
  /** the clip playing now and since when */
  readonly playing: { readonly index: Index3; readonly since: number } | null;
}

export interface MatchState {
  readonly version: 1;
  readonly session: SessionId;
  readonly player: PlayerId;
  readonly match: MatchId;
  readonly rounds: number;
  /** rounds finished (a vote or a timeout recorded) */
  readonly done: number;
  readonly phase: 'ready' | 'round' | 'finished';
  readonly current: RoundState | null;
}

/** A new match for a player (no round started yet). */
export function startMatch(settings: SessionSettings, player: PlayerId, match: MatchId): MatchState {
  return { version: 1, session: settings.id, player, match, rounds: settings.roundsPerMatch, done: 0, phase: 'ready', current: null };
}

/** Start the next round: its triplet from the schedule, given every vote of the session so far. */
export function startRound(state: MatchState, settings: SessionSettings, votes: readonly VoteRecord[], now: number): MatchState {
  if (state.phase !== 'ready') throw new Error(`startRound: the match is ${state.phase === 'round' ? 'in a round' : 'finished'}`);
  const t = nextTriplet(settings, votes, state.player, state.match, state.done);
  const shown = presentation(settings, t, state.player, state.match, state.done);
  const current: RoundState = {
    round: state.done,
    triplet: t.id,
    clips: shown.clips,
    catch: t.catch,
    ...(shown.differs === undefined ? {} : { differs: shown.differs }),
    startedAt: now,
    playMs: [0, 0, 0],
    playOrder: [],
    playing: null,
  };
  return { ...state, phase: 'round', current };
}

function inRound(state: MatchState, what: string): RoundState {
  if (state.phase !== 'round' || !state.current) throw new Error(`${what}: no round is running`);
  return state.current;
}

/** The round with the playing clip stopped at `now` (its time added; an excerpt counts at most `capMs`). */
function stopped(r: RoundState, now: number, capMs: number): RoundState {
  if (!r.playing) return r;
  const ms = [...r.playMs] as [number, number, number];
  ms[r.playing.index] += Math.max(0, Math.min(now - r.playing.since, capMs));
  return { ...r, playMs: ms, playing: null };
}

/** Play clip `index` (stopping the one playing); a replay counts again in the play order. */
export function playClip(state: MatchState, settings: SessionSettings, index: Index3, now: number): MatchState {
  const r = stopped(inRound(state, 'playClip'), now, settings.excerptSeconds * 1000);
  return { ...state, current: { ...r, playing: { index, since: now }, playOrder: [...r.playOrder, index] } };
}

/** Stop playback (the stop button, or the excerpt ended). */
export function stopClip(state: MatchState, settings: SessionSettings, now: number): MatchState {
  return { ...state, current: stopped(inRound(state, 'stopClip'), now, settings.excerptSeconds * 1000) };
}

/** When voting closes for the current round (epoch ms), or null outside a round. */
export function deadline(state: MatchState, settings: SessionSettings): number | null {
  return state.current ? state.current.startedAt + settings.voteSeconds * 1000 : null;
}

/** Record the player's pick (or a timeout when `choice` is null or voting has closed) and finish the round. */
export function vote(state: MatchState, settings: SessionSettings, choice: Index3 | null, now: number, id: VoteId): { state: MatchState; vote: VoteRecord } {
  const limit = settings.voteSeconds * 1000;
  const r = stopped(inRound(state, 'vote'), now, settings.excerptSeconds * 1000);
  const late = now - r.startedAt > limit;
  const timeout = choice === null || late;
  const record: VoteRecord = {
    id,
    session: state.session,
    player: state.player,
    match: state.match,
    round: r.round,
    triplet: r.triplet,
    clips: r.clips,
    choice: timeout ? null : choice,
    choiceClip: timeout ? null : r.clips[choice as Index3],
    timeout,
    rtMs: timeout ? limit : Math.max(0, now - r.startedAt),
    playMs: r.playMs,
    playOrder: r.playOrder,
    catch: r.catch,
    ...(r.differs === undefined ? {} : { differs: r.differs }),
    at: now,
  };
  const done = state.done + 1;
  return { state: { ...state, done, current: null, phase: done >= state.rounds ? 'finished' : 'ready' }, vote: record };
}

/** Voting closed without a pick. */
export function timeoutRound(state: MatchState, settings: SessionSettings, now: number, id: VoteId): { state: MatchState; vote: VoteRecord } {
  return vote(state, settings, null, now, id);
}

/**
 * Where a player was after a reload, from the votes already saved: their latest match (by the time of its
 * last vote) if it has rounds left, resumed at the first round without a vote; null when that match is
 * complete or the player has no votes (start a new match then). The round that was running when the page
 * went away had no vote yet: it is started afresh.
 */
export function resumeMatch(settings: SessionSettings, player: PlayerId, votes: readonly VoteRecord[]): MatchState | null {
  const mine = votes.filter((v) => v.player === player && v.session === settings.id);
  if (mine.length === 0) return null;
  let last = mine[0];
  for (const v of mine) if (v.at > last.at || (v.at === last.at && v.id > last.id)) last = v;
  const rounds = new Set(mine.filter((v) => v.match === last.match).map((v) => v.round));
  let done = 0;
  while (rounds.has(done)) done++;
  if (done >= settings.roundsPerMatch) return null;
  return { ...startMatch(settings, player, last.match), done };
}
