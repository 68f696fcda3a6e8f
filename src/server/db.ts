/**
 * The workshop server's SQLite store (issue 15), better-sqlite3 (synchronous: one statement at a time on the
 * server's one thread, so a vote is acknowledged only after its INSERT has committed).
 *
 * Durability: WAL journal with synchronous=FULL. In WAL mode a commit is in the -wal file before the call
 * returns, so a killed process (SIGKILL) loses nothing even with NORMAL; FULL also fsyncs the WAL at every
 * commit, so an acknowledged vote survives a power cut or a laptop that dies too (NORMAL could lose the last
 * commits then). The price is one fsync per vote — well under a millisecond to a few ms on an SSD, at a
 * classroom's rate of a few votes a second (bench/workshop-load.ts measures it).
 *
 * Schema: versioned with PRAGMA user_version and the MIGRATIONS list (each runs once, in a transaction).
 */
import Database from 'better-sqlite3';
import type { Answers, Index3, Player, PlayerId, SessionSettings, Triplet, VoteRecord } from '../game/types';

/** Migration k brings the schema from version k to k + 1. Append only: never edit a released one. */
export const MIGRATIONS: readonly string[] = [
  `CREATE TABLE sessions (
     id TEXT PRIMARY KEY,
     settings TEXT NOT NULL,
     clip_urls TEXT NOT NULL,
     state TEXT NOT NULL CHECK (state IN ('running', 'stopped')),
     created_at INTEGER NOT NULL
   );
   CREATE TABLE players (
     session TEXT NOT NULL REFERENCES sessions(id),
     id TEXT NOT NULL,
     answers TEXT NOT NULL DEFAULT '{}',
     consent INTEGER NOT NULL DEFAULT 0,
     flags TEXT NOT NULL DEFAULT '[]',
     created_at INTEGER NOT NULL,
     PRIMARY KEY (session, id)
   );
   CREATE TABLE triplets (
     session TEXT NOT NULL REFERENCES sessions(id),
     id TEXT NOT NULL,
     clips TEXT NOT NULL,
     catch INTEGER NOT NULL,
     differs INTEGER,
     PRIMARY KEY (session, id)
   );
   CREATE TABLE matches (
     id TEXT PRIMARY KEY,
     session TEXT NOT NULL REFERENCES sessions(id),
     seats INTEGER NOT NULL,
     humans TEXT NOT NULL,
     rounds INTEGER NOT NULL,
     created_at INTEGER NOT NULL,
     ended_at INTEGER
   );
   CREATE TABLE rounds (
     match TEXT NOT NULL REFERENCES matches(id),
     round INTEGER NOT NULL,
     triplet TEXT NOT NULL,
     started_at INTEGER NOT NULL,
     closed_at INTEGER,
     ai_picks TEXT,
     PRIMARY KEY (match, round)
   );
   CREATE TABLE votes (
     id TEXT PRIMARY KEY,
     session TEXT NOT NULL REFERENCES sessions(id),
     player TEXT NOT NULL,
     match TEXT NOT NULL,
     round INTEGER NOT NULL,
     triplet TEXT NOT NULL,
     clips TEXT NOT NULL,
     choice INTEGER,
     choice_clip TEXT,
     timeout INTEGER NOT NULL,
     rt_ms REAL NOT NULL,
     play_ms TEXT NOT NULL,
     play_order TEXT NOT NULL,
     catch INTEGER NOT NULL,
     differs INTEGER,
     at INTEGER NOT NULL,
     points INTEGER,
     agreeing INTEGER,
     UNIQUE (match, round, player)
   );
   CREATE INDEX votes_session ON votes(session, at);`,
];

export interface SessionRow {
  readonly settings: SessionSettings;
  readonly clipUrls: Record<string, string>;
  readonly state: 'running' | 'stopped';
  readonly createdAt: number;
}
export interface MatchRow {
  readonly id: string;
  readonly session: string;
  readonly seats: number;
  readonly humans: PlayerId[];
  readonly rounds: number;
  readonly createdAt: number;
  readonly endedAt: number | null;
}
export interface RoundRow {
  readonly match: string;
  readonly round: number;
  readonly triplet: string;
  readonly startedAt: number;
  readonly closedAt: number | null;
  readonly aiPicks: string[] | null;
}
export interface VoteScore {
  readonly id: string;
  readonly points: number;
  readonly agreeing: number;
}

type Row = Record<string, unknown>;

function voteFromRow(r: Row): VoteRecord {
  return {
    id: r.id,
    session: r.session,
    player: r.player,
    match: r.match,
    round: r.round,
    triplet: r.triplet,
    clips: JSON.parse(r.clips as string),
    choice: r.choice as Index3 | null,
    choiceClip: r.choice_clip,
    timeout: r.timeout === 1,
    rtMs: r.rt_ms,
    playMs: JSON.parse(r.play_ms as string),
    playOrder: JSON.parse(r.play_order as string),
    catch: r.catch === 1,
    ...(r.differs === null ? {} : { differs: r.differs as Index3 }),
    at: r.at,
  } as VoteRecord;
}

const matchFromRow = (r: Row): MatchRow => ({
  id: r.id as string,
  session: r.session as string,
  seats: r.seats as number,
  humans: JSON.parse(r.humans as string),
  rounds: r.rounds as number,
  createdAt: r.created_at as number,
  endedAt: r.ended_at as number | null,
});

/** The store. Every write is one transaction; methods throw on SQLite errors (the caller answers with an error frame). */
export class WorkshopDb {
  readonly db: Database.Database;
  private readonly st: Record<string, Database.Statement>;

  constructor(readonly file: string) {
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('foreign_keys = ON');
    this.db.pragma('busy_timeout = 5000');
    try {
      migrate(this.db);
    } catch (e) {
      this.db.close();
      throw e;
    }
    const p = (sql: string) => this.db.prepare(sql);
    this.st = {
      insertVote: p(`INSERT INTO votes (id, session, player, match, round, triplet, clips, choice, choice_clip, timeout, rt_ms, play_ms,
        play_order, catch, differs, at) VALUES (@id, @session, @player, @match, @round, @triplet, @clips, @choice, @choiceClip, @timeout,
        @rtMs, @playMs, @playOrder, @catch, @differs, @at)`),
      voteById: p('SELECT * FROM votes WHERE id = ?'),
      votesOf: p('SELECT * FROM votes WHERE session = ? ORDER BY at, id'),
      scoresOf: p('SELECT id, points, agreeing FROM votes WHERE session = ? AND points IS NOT NULL'),
      setScore: p('UPDATE votes SET points = ?, agreeing = ? WHERE id = ?'),
      upsertPlayer: p(`INSERT INTO players (session, id, answers, consent, flags, created_at) VALUES (?, ?, ?, ?, '[]', ?)
        ON CONFLICT (session, id) DO UPDATE SET answers = excluded.answers, consent = excluded.consent`),
      touchPlayer: p(`INSERT INTO players (session, id, created_at) VALUES (?, ?, ?) ON CONFLICT (session, id) DO NOTHING`),
      playersOf: p('SELECT * FROM players WHERE session = ? ORDER BY id'),
      insertTriplet: p('INSERT OR IGNORE INTO triplets (session, id, clips, catch, differs) VALUES (?, ?, ?, ?, ?)'),
      insertMatch: p('INSERT INTO matches (id, session, seats, humans, rounds, created_at) VALUES (?, ?, ?, ?, ?, ?)'),
      endMatch: p('UPDATE matches SET ended_at = ? WHERE id = ? AND ended_at IS NULL'),
      matchById: p('SELECT * FROM matches WHERE id = ?'),
      openMatchesOf: p('SELECT * FROM matches WHERE session = ? AND ended_at IS NULL ORDER BY created_at'),
      insertRound: p('INSERT INTO rounds (match, round, triplet, started_at) VALUES (?, ?, ?, ?)'),
      closeRound: p('UPDATE rounds SET closed_at = ?, ai_picks = ? WHERE match = ? AND round = ?'),
      roundsOf: p('SELECT * FROM rounds WHERE match = ? ORDER BY round'),
      insertSession: p('INSERT INTO sessions (id, settings, clip_urls, state, created_at) VALUES (?, ?, ?, ?, ?)'),
      setSessionState: p('UPDATE sessions SET state = ? WHERE id = ?'),
      sessionById: p('SELECT * FROM sessions WHERE id = ?'),
      latestSession: p('SELECT * FROM sessions ORDER BY created_at DESC, rowid DESC LIMIT 1'),
    };
  }

  get schemaVersion(): number {
    return this.db.pragma('user_version', { simple: true }) as number;
  }

  // ------------------------------------------------------------------------------------------ sessions

  addSession(settings: SessionSettings, clipUrls: Record<string, string>, now: number): void {
    this.st.insertSession.run(settings.id, JSON.stringify(settings), JSON.stringify(clipUrls), 'running', now);
  }
  setSessionState(id: string, state: 'running' | 'stopped'): void {
    this.st.setSessionState.run(state, id);
  }
  private sessionFromRow(r: Row | undefined): SessionRow | null {
    if (!r) return null;
    return {
      settings: JSON.parse(r.settings as string),
      clipUrls: JSON.parse(r.clip_urls as string),
      state: r.state as SessionRow['state'],
      createdAt: r.created_at as number,
    };
  }
  session(id: string): SessionRow | null {
    return this.sessionFromRow(this.st.sessionById.get(id) as Row | undefined);
  }
  latestSession(): SessionRow | null {
    return this.sessionFromRow(this.st.latestSession.get() as Row | undefined);
  }

  // ------------------------------------------------------------------------------------------ players

  /** Records a player (answers replace earlier ones when given). */
  savePlayer(session: string, id: string, answers: Answers | undefined, consent: boolean | undefined, now: number): void {
    if (answers === undefined && consent === undefined) this.st.touchPlayer.run(session, id, now);
    else this.st.upsertPlayer.run(session, id, JSON.stringify(answers ?? {}), consent ? 1 : 0, now);
  }
  players(session: string): Player[] {
    return (this.st.playersOf.all(session) as Row[]).map((r) => ({
      id: r.id as PlayerId,
      session: r.session as Player['session'],
      answers: JSON.parse(r.answers as string),
      consent: r.consent === 1,
      flags: JSON.parse(r.flags as string),
    }));
  }

  // ------------------------------------------------------------------------------------------ matches, rounds

  addMatch(m: Omit<MatchRow, 'endedAt'>): void {
    this.st.insertMatch.run(m.id, m.session, m.seats, JSON.stringify(m.humans), m.rounds, m.createdAt);
  }
  endMatch(id: string, now: number): void {
    this.st.endMatch.run(now, id);
  }
  match(id: string): MatchRow | null {
    const r = this.st.matchById.get(id) as Row | undefined;
    return r ? matchFromRow(r) : null;
  }
  openMatches(session: string): MatchRow[] {
    return (this.st.openMatchesOf.all(session) as Row[]).map(matchFromRow);
  }
  /** A round served to a match, and its triplet (kept for the exports and the checks of later votes). */
  addRound(session: string, match: string, round: number, t: Triplet, now: number): void {
    this.db.transaction(() => {
      this.st.insertTriplet.run(session, t.id, JSON.stringify(t.clips), t.catch ? 1 : 0, t.differs ?? null);
      this.st.insertRound.run(match, round, t.id, now);
    })();
  }
  rounds(match: string): RoundRow[] {
    return (this.st.roundsOf.all(match) as Row[]).map((r) => ({
      match: r.match as string,
      round: r.round as number,
      triplet: r.triplet as string,
      startedAt: r.started_at as number,
      closedAt: r.closed_at as number | null,
      aiPicks: r.ai_picks === null ? null : JSON.parse(r.ai_picks as string),
    }));
  }
  /** Closes a round: the timeouts recorded for the humans who did not vote, the scores and the AI seats' picks, in one transaction. */
  closeRound(match: string, round: number, timeouts: readonly VoteRecord[], scores: readonly VoteScore[], aiPicks: readonly string[], now: number): void {
    this.db.transaction(() => {
      for (const v of timeouts) this.insertVoteRow(v);
      for (const s of scores) this.st.setScore.run(s.points, s.agreeing, s.id);
      this.st.closeRound.run(now, JSON.stringify(aiPicks), match, round);
    })();
  }

  // ------------------------------------------------------------------------------------------ votes

  private insertVoteRow(v: VoteRecord): void {
    this.st.insertVote.run({
      ...v,
      clips: JSON.stringify(v.clips),
      timeout: v.timeout ? 1 : 0,
      playMs: JSON.stringify(v.playMs),
      playOrder: JSON.stringify(v.playOrder),
      catch: v.catch ? 1 : 0,
      differs: v.differs ?? null,
    });
  }
  /** Inserts a vote (committed when this returns). Throws on a second vote of a player in one round (UNIQUE). */
  addVote(v: VoteRecord): void {
    this.insertVoteRow(v);
  }
  vote(id: string): VoteRecord | null {
    const r = this.st.voteById.get(id) as Row | undefined;
    return r ? voteFromRow(r) : null;
  }
  votes(session: string): VoteRecord[] {
    return (this.st.votesOf.all(session) as Row[]).map(voteFromRow);
  }
  scores(session: string): VoteScore[] {
    return this.st.scoresOf.all(session) as VoteScore[];
  }
  countVotes(session?: string): number {
    const r = (
      session ? this.db.prepare('SELECT count(*) n FROM votes WHERE session = ?').get(session) : this.db.prepare('SELECT count(*) n FROM votes').get()
    ) as { n: number };
    return r.n;
  }

  /** A consistent copy of the database file (SQLite's online backup: readers and writers go on meanwhile). */
  async backup(to: string): Promise<void> {
    await this.db.backup(to);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

/** Runs the migrations the file has not had yet; refuses a file written by a newer version. */
export function migrate(db: Database.Database): number {
  const have = db.pragma('user_version', { simple: true }) as number;
  if (have > MIGRATIONS.length) throw new Error(`the database has schema version ${have}, newer than this server's ${MIGRATIONS.length}`);
  for (let k = have; k < MIGRATIONS.length; k++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[k]);
      db.pragma(`user_version = ${k + 1}`);
    })();
  }
  return MIGRATIONS.length;
}
