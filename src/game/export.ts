/**
 * Exports of the collected votes (issue 14, "Into the lab"):
 *  1. the lab's votes CSV `a,b,c,odd,user` and users CSV `user,<question>…` (README "Input formats", read by
 *     src/core/parse parseJudgments / parseUsers / joinUsers); catch trials, timeouts and players marked by the
 *     catch rule are left out by default, with the counts returned. Catch trials can never be lab votes (two
 *     identical clips are no triplet), so they are only in the other two exports;
 *  2. a jsPsych-style long table, one row per trial (trial_type, trial_index, time_elapsed, rt, stimulus,
 *     response + the recorded fields), as CSV and JSON, and its reader (for round trips);
 *  3. MagnaTagATune-style per-triplet vote counts `clip1_id,clip2_id,clip3_id,clip1_numvotes,…` (the layout of
 *     MagnaTagATune's comparisons file, the lab's counts layout).
 */
import Papa from 'papaparse';
import { answersToAttributes } from './questionnaire';
import { type CatchRule, chronological, DEFAULT_CATCH_RULE, flaggedPlayers } from './scoring';
import type { Index3, MatchId, Player, PlayerId, SessionId, SessionSettings, TripletId, VoteId, VoteRecord } from './types';

const unparse = (fields: string[], data: unknown[][]): string => `${Papa.unparse({ fields, data }, { newline: '\n' })}\n`;

export interface Exclusions {
  readonly catchTrials: number;
  readonly timeouts: number;
  /** votes of marked players left out */
  readonly flaggedVotes: number;
  /** players marked by the catch rule (whether or not left out) */
  readonly flaggedPlayers: readonly PlayerId[];
}

export interface SelectOptions {
  /** keep the votes of players marked by the catch rule (default false) */
  readonly includeFlagged?: boolean;
  readonly catchRule?: CatchRule;
}

/** The lab-usable votes (no catch trial, no timeout, by default no marked player) and what was left out. */
export function selectVotes(votes: readonly VoteRecord[], opts: SelectOptions = {}): { votes: VoteRecord[]; excluded: Exclusions } {
  const flagged = flaggedPlayers(votes, opts.catchRule ?? DEFAULT_CATCH_RULE);
  let catchTrials = 0;
  let timeouts = 0;
  let flaggedVotes = 0;
  const kept: VoteRecord[] = [];
  for (const v of chronological(votes)) {
    if (v.catch) catchTrials++;
    else if (v.timeout) timeouts++;
    else if (!opts.includeFlagged && flagged.has(v.player)) flaggedVotes++;
    else kept.push(v);
  }
  return { votes: kept, excluded: { catchTrials, timeouts, flaggedVotes, flaggedPlayers: [...flagged].sort() } };
}

export interface LabExport {
  /** `a,b,c,odd,user`, one row per vote, clips in the order shown */
  readonly votesCsv: string;
  /** `user,<question ids>…[,flagged]`; null when there is no attribute to write */
  readonly usersCsv: string | null;
  readonly exported: number;
  readonly excluded: Exclusions;
}

export interface LabExportOptions extends SelectOptions {
  /** write "rather not say" as an empty cell (not annotated) instead of its own group (default false) */
  readonly ratherNotSayAsEmpty?: boolean;
}

/** The lab's votes + users CSV. */
export function toLabCsv(settings: SessionSettings, votes: readonly VoteRecord[], players: readonly Player[], opts: LabExportOptions = {}): LabExport {
  const { votes: kept, excluded } = selectVotes(votes, opts);
  const votesCsv = unparse(
    ['a', 'b', 'c', 'odd', 'user'],
    kept.map((v) => [v.clips[0], v.clips[1], v.clips[2], v.choiceClip, v.player]),
  );
  const def = settings.questionnaire;
  const flagCol = opts.includeFlagged === true;
  const columns = [...def.questions.map((q) => q.id), ...(flagCol ? ['flagged'] : [])];
  if (columns.length === 0) return { votesCsv, usersCsv: null, exported: kept.length, excluded };
  const byId = new Map(players.map((p) => [p.id, p]));
  const ids = [...new Set([...players.map((p) => p.id), ...kept.map((v) => v.player)])].sort();
  const flagged = new Set(excluded.flaggedPlayers);
  const rows = ids.map((id) => {
    const attrs = answersToAttributes(def, byId.get(id)?.answers ?? {}, opts.ratherNotSayAsEmpty ?? false);
    return [id, ...def.questions.map((q) => attrs[q.id]), ...(flagCol ? [flagged.has(id) ? 'yes' : 'no'] : [])];
  });
  return { votesCsv, usersCsv: ids.length ? unparse(['user', ...columns], rows) : null, exported: kept.length, excluded };
}

// ---------------------------------------------------------------------------------------------- jsPsych

export interface JsPsychRow {
  readonly trial_type: 'odd-one-out';
  /** 0-based, per player and match */
  readonly trial_index: number;
  /** ms since the start of the player's match */
  readonly time_elapsed: number;
  /** ms to the response; null on a timeout */
  readonly rt: number | null;
  /** the three clip ids in the order shown */
  readonly stimulus: readonly string[];
  /** index of the chosen clip; null on a timeout */
  readonly response: number | null;
  readonly response_clip: string | null;
  readonly timeout: boolean;
  readonly round_ms: number;
  readonly session: string;
  readonly player: string;
  readonly match: string;
  readonly round: number;
  readonly triplet: string;
  readonly catch_trial: boolean;
  readonly differs: number | null;
  readonly play_ms: readonly number[];
  readonly play_order: readonly number[];
  readonly time_stamp: number;
  readonly vote_id: string;
}

export const JSPSYCH_COLUMNS = [
  'trial_type',
  'trial_index',
  'time_elapsed',
  'rt',
  'stimulus',
  'response',
  'response_clip',
  'timeout',
  'round_ms',
  'session',
  'player',
  'match',
  'round',
  'triplet',
  'catch_trial',
  'differs',
  'play_ms',
  'play_order',
  'time_stamp',
  'vote_id',
] as const;

/** One row per trial, every trial (catch trials and timeouts included), ordered by player, match and time. */
export function toJsPsychRows(votes: readonly VoteRecord[]): JsPsychRow[] {
  const runs = new Map<string, VoteRecord[]>();
  for (const v of chronological(votes)) {
    const key = `${v.player}\u0000${v.match}`;
    runs.set(key, [...(runs.get(key) ?? []), v]);
  }
  const rows: JsPsychRow[] = [];
  for (const key of [...runs.keys()].sort()) {
    const run = runs.get(key) as VoteRecord[];
    const start = run[0].at - run[0].rtMs;
    run.forEach((v, i) =>
      rows.push({
        trial_type: 'odd-one-out',
        trial_index: i,
        time_elapsed: v.at - start,
        rt: v.timeout ? null : v.rtMs,
        stimulus: [...v.clips],
        response: v.choice,
        response_clip: v.choiceClip,
        timeout: v.timeout,
        round_ms: v.rtMs,
        session: v.session,
        player: v.player,
        match: v.match,
        round: v.round,
        triplet: v.triplet,
        catch_trial: v.catch,
        differs: v.differs ?? null,
        play_ms: [...v.playMs],
        play_order: [...v.playOrder],
        time_stamp: v.at,
        vote_id: v.id,
      }),
    );
  }
  return rows;
}

export function toJsPsychJson(votes: readonly VoteRecord[]): string {
  return `${JSON.stringify(toJsPsychRows(votes), null, 1)}\n`;
}

/** CSV of the long table: arrays as JSON text, null as an empty cell. */
export function toJsPsychCsv(votes: readonly VoteRecord[]): string {
  const cell = (x: unknown): unknown => (x === null ? '' : Array.isArray(x) ? JSON.stringify(x) : x);
  return unparse(
    [...JSPSYCH_COLUMNS],
    toJsPsychRows(votes).map((r) => JSPSYCH_COLUMNS.map((c) => cell(r[c]))),
  );
}

/** The vote of one long-table row. */
export function voteFromJsPsych(r: JsPsychRow): VoteRecord {
  const clips = r.stimulus as [string, string, string];
  return {
    id: r.vote_id as VoteId,
    session: r.session as SessionId,
    player: r.player as PlayerId,
    match: r.match as MatchId,
    round: r.round,
    triplet: r.triplet as TripletId,
    clips: [clips[0], clips[1], clips[2]],
    choice: r.response as Index3 | null,
    choiceClip: r.response_clip,
    timeout: r.timeout,
    rtMs: r.round_ms,
    playMs: [r.play_ms[0], r.play_ms[1], r.play_ms[2]],
    playOrder: r.play_order as Index3[],
    catch: r.catch_trial,
    ...(r.differs === null ? {} : { differs: r.differs as Index3 }),
    at: r.time_stamp,
  };
}

/** Read the CSV long table back into rows (the inverse of toJsPsychCsv). */
export function parseJsPsychCsv(text: string): JsPsychRow[] {
  const res = Papa.parse<Record<string, string>>(text.trim(), { header: true, skipEmptyLines: true });
  if (res.errors.length) throw new Error(`jsPsych CSV: ${res.errors[0].message} (row ${res.errors[0].row})`);
  const num = (s: string): number | null => (s === '' ? null : Number(s));
  return res.data.map((c) => ({
    trial_type: 'odd-one-out',
    trial_index: Number(c.trial_index),
    time_elapsed: Number(c.time_elapsed),
    rt: num(c.rt),
    stimulus: JSON.parse(c.stimulus),
    response: num(c.response),
    response_clip: c.response_clip === '' ? null : c.response_clip,
    timeout: c.timeout === 'true',
    round_ms: Number(c.round_ms),
    session: c.session,
    player: c.player,
    match: c.match,
    round: Number(c.round),
    triplet: c.triplet,
    catch_trial: c.catch_trial === 'true',
    differs: num(c.differs),
    play_ms: JSON.parse(c.play_ms),
    play_order: JSON.parse(c.play_order),
    time_stamp: Number(c.time_stamp),
    vote_id: c.vote_id,
  }));
}

// ---------------------------------------------------------------------------------------------- counts

/**
 * Per-triplet vote counts (clips in ascending id order, then a `triplet` column), from the lab-usable votes
 * (selectVotes: no catch trial, no timeout, by default no marked player).
 */
export function toCountsCsv(votes: readonly VoteRecord[], opts: SelectOptions = {}): { csv: string; triplets: number; excluded: Exclusions } {
  const { votes: kept, excluded } = selectVotes(votes, opts);
  const rows = new Map<string, { clips: string[]; n: number[]; triplet: string }>();
  for (const v of kept) {
    const clips = [...v.clips].sort();
    const key = clips.join('\u0000');
    const row = rows.get(key) ?? { clips, n: [0, 0, 0], triplet: v.triplet };
    row.n[clips.indexOf(v.choiceClip as string)]++;
    rows.set(key, row);
  }
  const data = [...rows.values()].sort((x, y) => (x.triplet < y.triplet ? -1 : x.triplet > y.triplet ? 1 : 0)).map((r) => [...r.clips, ...r.n, r.triplet]);
  const csv = unparse(['clip1_id', 'clip2_id', 'clip3_id', 'clip1_numvotes', 'clip2_numvotes', 'clip3_numvotes', 'triplet'], data);
  return { csv, triplets: rows.size, excluded };
}
