/**
 * Live matches of one workshop session (issue 15): players who ask for a match wait in a queue and are seated
 * at a table of up to `seats` (settings.seats, 4) — at once when the table is full, else after `waitMs` with
 * AI seats filling the rest. Every human of a table gets the same triplet each round (the session's schedule,
 * src/game/schedule nextTriplet, over all votes so far, avoiding triplets any of them has seen), each in their
 * own seeded presentation order. A round closes when every human has voted, or at the deadline (+ grace):
 * the missing humans get a timeout record, the AI seats pick from the triplet's earlier human votes
 * (src/game/scoring aiPicks, one draw per table round so that everyone sees the same AI seats), and each
 * human scores 10 per other seat (human or AI) with the same pick (30 for the different clip of a catch trial).
 *
 * Every state change is written to SQLite before anyone is told: a vote is acknowledged after its INSERT,
 * a round result is sent after the round's timeouts and scores are committed. After a restart a table is
 * rebuilt from the database when one of its players says hello again.
 */
import { AGREEMENT_POINTS, aiPicks, CATCH_POINTS, leaderboard, type RoundScore } from '../game/scoring';
import { catchTriplet, nextTriplet, poolIndex, presentation, tripletPool } from '../game/schedule';
import {
  type ClipId,
  type Index3,
  type MatchId,
  matchId,
  type PlayerId,
  playerId,
  randomId,
  type SessionSettings,
  type Triplet,
  type VoteRecord,
  voteId,
} from '../game/types';
import type { MatchRow, WorkshopDb } from './db';
import { type ErrorCode, frame, type SeatResult, type VoteFrame } from '../game/protocol';

export interface MatchTiming {
  /** how long the first player waits for others before AI seats fill the table (ms) */
  readonly waitMs: number;
  /** pause between a round's result and the next round (ms) */
  readonly resultMs: number;
  /** votes arriving this long after the deadline still count (network delay; ms) */
  readonly graceMs: number;
}
export const DEFAULT_TIMING: MatchTiming = { waitMs: 10_000, resultMs: 4_000, graceMs: 2_000 };

interface Table {
  readonly id: MatchId;
  readonly humans: readonly PlayerId[];
  readonly seats: number;
  round: number;
  triplet: Triplet | null;
  startedAt: number;
  deadline: number;
  phase: 'round' | 'result' | 'ended';
  timer: ReturnType<typeof setTimeout> | null;
  readonly voted: Map<PlayerId, VoteRecord>;
  readonly points: Map<PlayerId, number>;
}

export type VoteOutcome = { ok: true; duplicate: boolean } | { ok: false; code: ErrorCode; message: string };
type Send = (player: PlayerId, text: string) => void;

/** A triplet id back to the triplet (the pool and the catch trials are deterministic per seed). */
export function tripletById(settings: SessionSettings, id: string): Triplet | null {
  const k = poolIndex(id);
  if (k >= 0) return tripletPool(settings, k + 1)[k] ?? null;
  const c = /^C(\d+)$/.exec(id);
  return c ? catchTriplet(settings, Number(c[1])) : null;
}

/** The triplet for a table's round: the schedule's choice for one player who has seen what any of the table's humans has seen. */
export function tableTriplet(settings: SessionSettings, votes: readonly VoteRecord[], humans: readonly PlayerId[], match: MatchId, round: number): Triplet {
  const table = playerId(`table:${match}`);
  const mine = new Set<string>(humans);
  const relabelled = votes.map((v) => (mine.has(v.player) ? { ...v, player: table } : v));
  return nextTriplet(settings, relabelled, table, match, round);
}

export class MatchMaker {
  /** every vote of the session, in the order stored */
  readonly votes: VoteRecord[];
  private readonly byId = new Map<string, VoteRecord>();
  readonly scores = new Map<string, RoundScore>();
  private readonly queue: PlayerId[] = [];
  private queueTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly tables = new Map<string, Table>();
  private readonly seatOf = new Map<PlayerId, Table>();
  private closed = false;

  constructor(
    private readonly db: WorkshopDb,
    readonly settings: SessionSettings,
    private readonly clipUrls: Readonly<Record<string, string>>,
    private readonly send: Send,
    private readonly timing: MatchTiming = DEFAULT_TIMING,
    private readonly log: (line: string) => void = () => {},
  ) {
    this.votes = db.votes(settings.id);
    for (const v of this.votes) this.byId.set(v.id, v);
    for (const s of db.scores(settings.id)) {
      const v = this.byId.get(s.id);
      if (v) this.scores.set(s.id, { vote: v.id, player: v.player, points: s.points, agreeing: s.agreeing, humans: [], ai: [] });
    }
  }

  // ------------------------------------------------------------------------------------------ seating

  /** A player asks for a match: seated (or told again where they sit), or queued. */
  join(player: PlayerId): void {
    if (this.seatOf.has(player)) {
      this.resend(player);
      return;
    }
    if (!this.queue.includes(player)) this.queue.push(player);
    if (this.queue.length >= this.settings.seats) {
      if (this.queueTimer) clearTimeout(this.queueTimer);
      this.queueTimer = null;
      this.formTable(this.queue.splice(0, this.settings.seats));
    }
    if (this.queue.length && !this.queueTimer) {
      // the wait runs from the first player of the queue's arrival
      this.queueTimer = setTimeout(() => {
        this.queueTimer = null;
        if (this.queue.length) this.formTable(this.queue.splice(0, this.settings.seats));
      }, this.timing.waitMs);
    }
    const waiting = frame('queued', { waiting: this.queue.length, seats: this.settings.seats, waitMs: this.timing.waitMs });
    for (const p of this.queue) this.send(p, waiting);
  }

  /** A player's connection went away: out of the queue; a seat at a table is kept (they may come back). */
  leave(player: PlayerId): void {
    const i = this.queue.indexOf(player);
    if (i >= 0) this.queue.splice(i, 1);
    if (this.queue.length === 0 && this.queueTimer) {
      clearTimeout(this.queueTimer);
      this.queueTimer = null;
    }
  }

  /** No new matches (the session was stopped): the queue is told and emptied; running tables play on. */
  closeQueue(message: string): void {
    for (const p of this.queue.splice(0)) this.send(p, frame('error', { code: 'session-stopped', message }));
    if (this.queueTimer) clearTimeout(this.queueTimer);
    this.queueTimer = null;
  }

  private formTable(humans: PlayerId[]): void {
    const t: Table = {
      id: matchId(`m-${randomId()}`),
      humans,
      seats: this.settings.seats,
      round: 0,
      triplet: null,
      startedAt: 0,
      deadline: 0,
      phase: 'round',
      timer: null,
      voted: new Map(),
      points: new Map(humans.map((h) => [h, 0])),
    };
    this.db.addMatch({ id: t.id, session: this.settings.id, seats: t.seats, humans, rounds: this.settings.roundsPerMatch, createdAt: Date.now() });
    this.log(`match ${t.id}: ${humans.length} human(s), ${t.seats - humans.length} AI seat(s)`);
    this.seat(t);
    this.startRound(t);
  }

  private seat(t: Table): void {
    this.tables.set(t.id, t);
    for (const h of t.humans) {
      this.seatOf.set(h, t);
      this.send(h, this.matchFrame(t, h));
    }
  }

  private matchFrame(t: Table, h: PlayerId): string {
    return frame('match', {
      match: t.id,
      seats: t.seats,
      humans: t.humans.length,
      ai: t.seats - t.humans.length,
      seat: t.humans.indexOf(h) + 1,
      rounds: this.settings.roundsPerMatch,
    });
  }

  /** Tells a (re)connected player where they are: their match and its current round. */
  resend(player: PlayerId): void {
    const t = this.seatOf.get(player);
    if (!t) return;
    this.send(player, this.matchFrame(t, player));
    if (t.phase === 'round' && t.triplet) this.send(player, this.roundFrame(t, player));
  }

  /**
   * After a restart: the player's unfinished match from the database, rebuilt as a live table (the round that
   * was open is served again with a fresh deadline). Returns whether the player is seated now.
   */
  restore(player: PlayerId): boolean {
    if (this.seatOf.has(player)) {
      this.resend(player);
      return true;
    }
    const row = this.db
      .openMatches(this.settings.id)
      .filter((m) => m.humans.includes(player))
      .pop();
    if (!row || this.closed) return false;
    const t = this.tableFromRow(row);
    if (!t) return false;
    this.log(`match ${t.id}: restored from the database at round ${t.round + 1} for ${player}`);
    this.seat(t);
    if (t.round >= this.settings.roundsPerMatch) this.endMatch(t);
    else if (t.triplet) this.reopenRound(t);
    else this.startRound(t);
    return true;
  }

  private tableFromRow(row: MatchRow): Table | null {
    if (this.tables.has(row.id)) return null;
    const rounds = this.db.rounds(row.id);
    const last = rounds[rounds.length - 1];
    const open = last && last.closedAt === null ? last : null;
    const t: Table = {
      id: matchId(row.id),
      humans: row.humans,
      seats: row.seats,
      round: open ? open.round : last ? last.round + 1 : 0,
      triplet: open ? tripletById(this.settings, open.triplet) : null,
      startedAt: 0,
      deadline: 0,
      phase: 'round',
      timer: null,
      voted: new Map(),
      points: new Map(row.humans.map((h) => [h, 0])),
    };
    for (const v of this.votes) {
      if (v.match !== row.id) continue;
      t.points.set(v.player, (t.points.get(v.player) ?? 0) + (this.scores.get(v.id)?.points ?? 0));
      if (open && v.round === open.round) t.voted.set(v.player, v);
    }
    return t;
  }

  // ------------------------------------------------------------------------------------------ rounds

  private startRound(t: Table): void {
    if (this.closed) return;
    const now = Date.now();
    const triplet = tableTriplet(this.settings, this.votes, t.humans, t.id, t.round);
    this.db.addRound(this.settings.id, t.id, t.round, triplet, now);
    t.triplet = triplet;
    t.voted.clear();
    this.reopenRound(t, now);
  }

  /** (Re)starts the clock of the table's current round and serves it to every human. */
  private reopenRound(t: Table, now = Date.now()): void {
    t.phase = 'round';
    t.startedAt = now;
    t.deadline = now + this.settings.voteSeconds * 1000;
    if (t.timer) clearTimeout(t.timer);
    t.timer = setTimeout(() => this.closeRound(t), t.deadline - now + this.timing.graceMs);
    for (const h of t.humans) this.send(h, this.roundFrame(t, h));
    if (t.voted.size >= t.humans.length) setImmediate(() => this.closeRound(t));
  }

  private roundFrame(t: Table, h: PlayerId): string {
    const tr = t.triplet as Triplet;
    const { clips } = presentation(this.settings, tr, h, t.id, t.round);
    const voted = t.voted.get(h);
    return frame('round', {
      match: t.id,
      round: t.round,
      rounds: this.settings.roundsPerMatch,
      triplet: tr.id,
      clips,
      urls: clips.map((c) => this.clipUrls[c] ?? ''),
      deadline: t.deadline,
      msLeft: Math.max(0, t.deadline - Date.now()),
      ...(voted ? { voted: voted.id } : {}),
    });
  }

  /** A player's vote: checked against the round served to them, stored, then acknowledged by the caller. */
  vote(player: PlayerId, f: VoteFrame): VoteOutcome {
    const known = this.byId.get(f.id) ?? this.db.vote(f.id);
    if (known) {
      if (known.player === player) return { ok: true, duplicate: true };
      return { ok: false, code: 'vote-id-conflict', message: `vote id ${f.id} belongs to another vote` };
    }
    const t = this.seatOf.get(player);
    if (!t || t.id !== f.match) {
      if (this.wasServed(player, f)) return { ok: false, code: 'round-closed', message: `round ${f.round + 1} of match ${f.match} is over` };
      return { ok: false, code: 'not-served', message: `match ${f.match} is not yours (no vote without a seat at its table)` };
    }
    if (f.round < t.round || (f.round === t.round && t.phase !== 'round'))
      return { ok: false, code: 'round-closed', message: `round ${f.round + 1} is closed` };
    if (f.round !== t.round || !t.triplet || f.triplet !== t.triplet.id)
      return { ok: false, code: 'not-served', message: `triplet ${f.triplet} was not served to you in round ${f.round + 1}` };
    if (t.voted.has(player)) return { ok: false, code: 'already-voted', message: `you already voted in round ${f.round + 1}` };
    const now = Date.now();
    if (now > t.deadline + this.timing.graceMs) return { ok: false, code: 'round-closed', message: `voting for round ${f.round + 1} closed` };
    const rec = this.record(t, player, f.choice, now, f);
    this.db.addVote(rec);
    this.remember(rec);
    t.voted.set(player, rec);
    if (t.voted.size >= t.humans.length) setImmediate(() => this.closeRound(t));
    return { ok: true, duplicate: false };
  }

  /** Was this round of an earlier match (ended, or left behind) served to this player? */
  private wasServed(player: PlayerId, f: VoteFrame): boolean {
    const m = this.db.match(f.match);
    return (
      !!m && m.session === this.settings.id && m.humans.includes(player) && this.db.rounds(f.match).some((r) => r.round === f.round && r.triplet === f.triplet)
    );
  }

  private record(t: Table, player: PlayerId, choice: Index3 | null, now: number, f?: VoteFrame): VoteRecord {
    const tr = t.triplet as Triplet;
    const shown = presentation(this.settings, tr, player, t.id, t.round);
    const limit = this.settings.voteSeconds * 1000;
    return {
      id: f ? voteId(f.id) : voteId(`timeout-${t.id}-${t.round}-${t.humans.indexOf(player)}`),
      session: this.settings.id,
      player,
      match: t.id,
      round: t.round,
      triplet: tr.id,
      clips: shown.clips,
      choice,
      choiceClip: choice === null ? null : shown.clips[choice],
      timeout: choice === null,
      rtMs: choice === null ? limit : Math.min(f?.rtMs ?? limit, limit),
      playMs: f ? ([...f.playMs] as [number, number, number]) : [0, 0, 0],
      playOrder: f ? [...f.playOrder] : [],
      catch: tr.catch,
      ...(shown.differs === undefined ? {} : { differs: shown.differs }),
      at: now,
    };
  }

  private remember(v: VoteRecord): void {
    this.votes.push(v);
    this.byId.set(v.id, v);
  }

  /** Closes the table's round: timeouts for the missing humans, AI picks, points; stored, then told. */
  private closeRound(t: Table): void {
    if (t.phase !== 'round' || !t.triplet || this.closed) return;
    if (t.timer) clearTimeout(t.timer);
    t.timer = null;
    t.phase = 'result';
    const now = Date.now();
    const tr = t.triplet;
    const timeouts = t.humans.filter((h) => !t.voted.has(h)).map((h) => this.record(t, h, null, now));
    const earlier = this.votes.filter((v) => v.triplet === tr.id && !v.timeout && !(v.match === t.id && v.round === t.round));
    const probe = { id: `${t.id}/${t.round}`, clips: tr.clips } as unknown as VoteRecord;
    const ai = tr.catch ? [] : aiPicks(this.settings, probe, earlier, t.seats - t.humans.length);
    const table = [...t.humans.map((h) => t.voted.get(h) ?? (timeouts.find((v) => v.player === h) as VoteRecord))];
    const scores = table.map((v) => this.scoreOf(v, table, ai));
    this.db.closeRound(
      t.id,
      t.round,
      timeouts,
      scores.map((s) => ({ id: s.vote, points: s.points, agreeing: s.agreeing })),
      ai,
      now,
    );
    for (const v of timeouts) this.remember(v);
    for (const s of scores) {
      this.scores.set(s.vote, s);
      t.points.set(s.player, (t.points.get(s.player) ?? 0) + s.points);
    }
    for (const h of t.humans) this.send(h, this.resultFrame(t, h, table, scores, ai));
    t.round++;
    if (t.round >= this.settings.roundsPerMatch) this.endMatch(t);
    else t.timer = setTimeout(() => this.startRound(t), this.timing.resultMs);
  }

  private scoreOf(v: VoteRecord, table: readonly VoteRecord[], ai: readonly ClipId[]): RoundScore {
    const others = table.filter((o) => o.player !== v.player);
    const base = { vote: v.id, player: v.player, humans: others.map((o) => o.id), ai: [...ai] };
    if (v.catch) {
      const passed = v.choice !== null && v.choice === v.differs;
      return { ...base, points: passed ? CATCH_POINTS : 0, agreeing: 0, catchPassed: passed };
    }
    if (v.choiceClip === null) return { ...base, points: 0, agreeing: 0 };
    const agreeing = others.filter((o) => o.choiceClip === v.choiceClip).length + ai.filter((c) => c === v.choiceClip).length;
    return { ...base, points: AGREEMENT_POINTS * agreeing, agreeing };
  }

  private resultFrame(t: Table, h: PlayerId, table: readonly VoteRecord[], scores: readonly RoundScore[], ai: readonly ClipId[]): string {
    const seats: SeatResult[] = table.map((v, i) => ({ seat: i + 1, you: v.player === h, ai: false, pick: v.choiceClip, points: scores[i].points }));
    const picks = [...table.map((v) => v.choiceClip), ...ai];
    ai.forEach((c, k) => {
      const agreeing = picks.filter((p) => p === c).length - 1;
      seats.push({ seat: table.length + k + 1, you: false, ai: true, pick: c, points: AGREEMENT_POINTS * agreeing });
    });
    const mine = scores.find((s) => s.player === h) as RoundScore;
    return frame('round-result', {
      match: t.id,
      round: t.round,
      triplet: t.triplet?.id,
      seats,
      you: { points: mine.points, agreeing: mine.agreeing, ...(mine.catchPassed === undefined ? {} : { catchPassed: mine.catchPassed }) },
      matchPoints: t.points.get(h) ?? 0,
      next: t.round + 1 < this.settings.roundsPerMatch ? t.round + 1 : null,
    });
  }

  private endMatch(t: Table): void {
    t.phase = 'ended';
    this.db.endMatch(t.id, Date.now());
    this.tables.delete(t.id);
    for (const h of t.humans) {
      if (this.seatOf.get(h) === t) this.seatOf.delete(h);
      this.send(h, frame('match-end', { match: t.id, points: t.points.get(h) ?? 0 }));
      this.send(h, this.leaderboardFrame(h));
    }
    this.log(`match ${t.id}: ended`);
  }

  // ------------------------------------------------------------------------------------------ views

  /** The session's leaderboard (organiser's view: player ids). */
  leaderboard() {
    return leaderboard(this.votes, [...this.scores.values()]);
  }

  /** A player's view of the leaderboard: ranks and points, their own row marked, no other player's id. */
  leaderboardFrame(player: PlayerId, top = 10): string {
    const rows = this.leaderboard();
    const view = rows.map((r) => ({ rank: r.rank, points: r.points, rounds: r.rounds, you: r.player === player }));
    const mine = view.find((r) => r.you);
    return frame('leaderboard', { rows: view.slice(0, top), you: mine ?? null, players: rows.length });
  }

  /** Tables and queue, for the organiser. */
  live(): { queue: number; matches: { id: string; humans: number; ai: number; round: number; phase: string }[] } {
    return {
      queue: this.queue.length,
      matches: [...this.tables.values()].map((t) => ({ id: t.id, humans: t.humans.length, ai: t.seats - t.humans.length, round: t.round, phase: t.phase })),
    };
  }

  /** Stops every timer (server shutdown). */
  close(): void {
    this.closed = true;
    if (this.queueTimer) clearTimeout(this.queueTimer);
    for (const t of this.tables.values()) if (t.timer) clearTimeout(t.timer);
  }
}
