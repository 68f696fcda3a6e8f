/**
 * The workshop server (issue 15): one Node process with an HTTP server for the built app (dist/: index.html,
 * play.html) and the session's clips, a WebSocket endpoint at /ws (src/game/protocol.ts; docs/SERVER.md) and the
 * SQLite store (db.ts). Binds only to the addresses it is given (127.0.0.1 by default).
 *
 * Limits: frames over `softPayload` bytes are refused with an error frame, over `maxPayload` the socket is
 * closed by ws (1009); at most `maxPerAddress` sockets per remote address; at most `maxFramesPerSecond`
 * frames per socket. Every refusal is an error frame and a log line; a handler that throws is caught, logged
 * and answered with an `internal` error frame — the process keeps serving.
 */
import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import { answerErrors } from '../game/questionnaire';
import { createSession, type SessionInput } from '../game/session';
import { type PlayerId, playerId, randomId, type SessionSettings } from '../game/types';
import type { ClipSource } from './clips';
import { WorkshopDb } from './db';
import { exportSession } from './export';
import { httpHandler } from './http';
import { DEFAULT_TIMING, MatchMaker, type MatchTiming } from './matches';
import {
  type ClientFrame,
  type ErrorCode,
  frame,
  type HelloFrame,
  type HostFrame,
  PROTOCOL_VERSION,
  type PublicSession,
  parseClientFrame,
} from '../game/protocol';

export interface WorkshopOptions {
  /** SQLite file (created when missing) */
  readonly db: string;
  readonly clips: ClipSource;
  /** 0: any free port */
  readonly port: number;
  /** addresses to listen on (default ['127.0.0.1']; '0.0.0.0' for every IPv4 interface) */
  readonly hosts?: readonly string[];
  /** the built app (dist/); absent or missing: only the clips and the WebSocket are served */
  readonly staticDir?: string;
  /** settings of a new session (clips are the ones above) */
  readonly session?: Partial<Omit<SessionInput, 'clipSetId' | 'clipIds'>>;
  /** reuse the latest running session of the database when it plays the same clip set (default true) */
  readonly resume?: boolean;
  readonly timing?: Partial<MatchTiming>;
  /** the organiser's token (default: random) */
  readonly hostToken?: string;
  readonly maxPerAddress?: number;
  readonly softPayload?: number;
  readonly maxPayload?: number;
  readonly maxFramesPerSecond?: number;
  readonly log?: (line: string) => void;
}

export interface Workshop {
  readonly port: number;
  readonly hosts: readonly string[];
  readonly hostToken: string;
  readonly db: WorkshopDb;
  /** the current session */
  readonly session: () => SessionSettings;
  /** join URLs (LAN addresses when bound to 0.0.0.0) */
  readonly joinUrls: () => string[];
  close(): Promise<void>;
}

interface Conn {
  readonly ws: WebSocket;
  readonly addr: string;
  player: PlayerId | null;
  maker: MatchMaker | null;
  windowStart: number;
  frames: number;
  /** organiser frames refused for a wrong token (the socket is closed after MAX_FORBIDDEN) */
  forbidden: number;
}

const MAX_FORBIDDEN = 5;

/** Addresses to print for a bound host: every non-internal IPv4 address for a wildcard. */
export function lanAddresses(host: string): string[] {
  if (host !== '0.0.0.0' && host !== '::') return [host];
  const out: string[] = [];
  for (const list of Object.values(networkInterfaces())) for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) out.push(a.address);
  return out.length ? out : ['127.0.0.1'];
}

const publicSession = (s: SessionSettings, state: 'running' | 'stopped'): PublicSession => ({
  id: s.id,
  name: s.name,
  clipSetId: s.clipSetId,
  roundsPerMatch: s.roundsPerMatch,
  voteSeconds: s.voteSeconds,
  excerptSeconds: s.excerptSeconds,
  excerptOffsetSeconds: s.excerptOffsetSeconds,
  seats: s.seats,
  questionnaire: s.questionnaire,
  state,
});

/** The server: sessions and their matches, the sockets, the HTTP servers (one per bound address). */
class WorkshopServer implements Workshop {
  port: number;
  readonly hosts: readonly string[];
  readonly hostToken: string;
  readonly db: WorkshopDb;
  private readonly log: (line: string) => void;
  private readonly timing: MatchTiming;
  private readonly tokenBuf: Buffer;
  private readonly clips: ClipSource;
  private readonly sockets = new Map<PlayerId, WebSocket>();
  private readonly perAddress = new Map<string, number>();
  private readonly makers = new Map<string, MatchMaker>();
  private readonly servers: Server[] = [];
  private readonly wss: WebSocketServer;
  private current: MatchMaker;

  constructor(private readonly opts: WorkshopOptions) {
    this.log = opts.log ?? ((line: string) => process.stderr.write(`${new Date().toISOString()} ${line}\n`));
    this.timing = { ...DEFAULT_TIMING, ...opts.timing };
    this.hostToken = opts.hostToken ?? randomId().replace(/-/g, '');
    this.tokenBuf = Buffer.from(this.hostToken);
    this.clips = opts.clips;
    this.hosts = opts.hosts?.length ? opts.hosts : ['127.0.0.1'];
    this.port = opts.port;
    this.db = new WorkshopDb(opts.db);
    const latest = this.db.latestSession();
    if (opts.resume !== false && latest && latest.state === 'running' && latest.settings.clipSetId === this.clips.clipSetId) {
      this.current = this.makerFor(latest.settings);
      this.log(`session ${latest.settings.id}: resumed (${this.current.votes.length} votes so far)`);
    } else this.current = this.newSession(opts.session?.name);
    this.wss = new WebSocketServer({ noServer: true, maxPayload: opts.maxPayload ?? 64 * 1024 });
    this.wss.on('connection', (ws: WebSocket, req: IncomingMessage) => this.onConnection(ws, req));
  }

  session(): SessionSettings {
    return this.current.settings;
  }

  joinUrls(): string[] {
    const id = encodeURIComponent(this.current.settings.id);
    return this.hosts.flatMap(lanAddresses).map((a) => `http://${a.includes(':') ? `[${a}]` : a}:${this.port}/play.html?workshop=${id}`);
  }

  // ------------------------------------------------------------------------------------------ sessions

  private readonly sendTo = (p: PlayerId, text: string): void => {
    const ws = this.sockets.get(p);
    if (ws && ws.readyState === ws.OPEN) ws.send(text);
  };

  private makerFor(settings: SessionSettings): MatchMaker {
    let m = this.makers.get(settings.id);
    if (!m) {
      const row = this.db.session(settings.id);
      m = new MatchMaker(this.db, settings, row?.clipUrls ?? this.clips.urls, this.sendTo, this.timing, this.log);
      this.makers.set(settings.id, m);
    }
    return m;
  }

  private newSession(name?: string): MatchMaker {
    const { clipSetId, clipIds, urls } = this.clips;
    const settings = createSession({ ...this.opts.session, ...(name ? { name } : {}), seed: this.opts.session?.seed ?? randomId(), clipSetId, clipIds });
    this.db.addSession(settings, { ...urls }, Date.now());
    this.log(
      `session ${settings.id} ("${settings.name}"): ${clipIds.length} clips of ${clipSetId}, ${settings.seats} seats, ${settings.roundsPerMatch} rounds`,
    );
    return this.makerFor(settings);
  }

  private stateOf(id: string): 'running' | 'stopped' {
    return this.db.session(id)?.state ?? 'stopped';
  }

  // ------------------------------------------------------------------------------------------ frames

  private err(c: Conn, code: ErrorCode, message: string, extra: Record<string, unknown> = {}): void {
    this.log(`refused ${code} from ${c.addr}${c.player ? ` (${c.player})` : ''}: ${message}`);
    if (c.ws.readyState === c.ws.OPEN) c.ws.send(frame('error', { code, message, ...extra }));
  }

  private hello(c: Conn, f: HelloFrame): void {
    const row = this.db.session(f.session ?? this.current.settings.id);
    if (!row) {
      this.err(c, 'unknown-session', `no session "${f.session}" on this server`);
      return;
    }
    const settings = this.makers.get(row.settings.id)?.settings ?? row.settings;
    const problems = f.answers ? answerErrors(settings.questionnaire, f.answers) : [];
    if (problems.length) {
      this.err(c, 'bad-answers', problems.map((p) => p.message).join('; '));
      return;
    }
    const p = playerId(f.player);
    const old = this.sockets.get(p);
    if (old && old !== c.ws) old.close(4001, 'replaced by a newer connection of this player');
    if (c.player && c.player !== p) c.maker?.leave(c.player);
    this.sockets.set(p, c.ws);
    c.player = p;
    c.maker = this.makerFor(settings);
    this.db.savePlayer(settings.id, p, f.answers, f.consent, Date.now());
    c.ws.send(frame('welcome', { session: publicSession(settings, row.state), player: p, clips: row.clipUrls, protocol: PROTOCOL_VERSION }));
    c.maker.restore(p); // an unfinished match plays on, also after the organiser stopped the session
  }

  private host(c: Conn, f: HostFrame): void {
    const given = Buffer.from(f.token);
    if (given.length !== this.tokenBuf.length || !timingSafeEqual(given, this.tokenBuf)) {
      this.err(c, 'forbidden', `${f.type} needs the host token`);
      if (++c.forbidden >= MAX_FORBIDDEN) c.ws.close(1008, 'too many wrong host tokens');
      return;
    }
    const s = this.current.settings;
    if (f.type === 'stats') c.ws.send(frame('stats', this.stats()));
    else if (f.type === 'stop') {
      this.db.setSessionState(s.id, 'stopped');
      this.current.closeQueue('the organiser stopped the session');
      this.log(`session ${s.id}: stopped by the organiser`);
      c.ws.send(frame('stopped', { session: s.id }));
    } else if (f.type === 'start') {
      if (this.stateOf(s.id) === 'running') {
        this.db.setSessionState(s.id, 'stopped');
        this.current.closeQueue('the organiser started a new session');
      }
      this.current = this.newSession(f.name);
      c.ws.send(frame('started', { session: publicSession(this.current.settings, 'running') }));
    } else if (f.type === 'export') {
      const files = exportSession(s, this.current.votes, this.db.players(s.id), f.format ?? 'lab');
      this.log(`session ${s.id}: exported as ${f.format}`);
      c.ws.send(frame('export', { session: s.id, format: f.format, ...files }));
    } else if (f.type === 'backup') this.backup(c);
  }

  private backup(c: Conn): void {
    const path = `${this.opts.db}.backup-${new Date().toISOString().replace(/[:.]/g, '-')}.sqlite`;
    this.db.backup(path).then(
      () => {
        this.log(`backup written to ${path}`);
        if (c.ws.readyState === c.ws.OPEN) c.ws.send(frame('backup', { path }));
      },
      (e: Error) => this.err(c, 'internal', `backup failed: ${e.message}`),
    );
  }

  /** The organiser's view of the current session. */
  stats(): Record<string, unknown> {
    const { settings: s, votes } = this.current;
    const perTriplet: Record<string, { votes: number; timeouts: number }> = {};
    for (const v of votes) {
      perTriplet[v.triplet] ??= { votes: 0, timeouts: 0 };
      if (v.timeout) perTriplet[v.triplet].timeouts++;
      else perTriplet[v.triplet].votes++;
    }
    const board = this.current.leaderboard();
    return {
      session: publicSession(s, this.stateOf(s.id)),
      online: [...this.sockets.values()].filter((ws) => ws.readyState === ws.OPEN).length,
      players: this.db.players(s.id).length,
      votes: votes.length,
      perTriplet,
      catchFailures: board
        .filter((r) => r.catchFailed > 0)
        .map((r) => ({ player: r.player, failed: r.catchFailed, passed: r.catchPassed, flagged: r.flagged })),
      leaderboard: board,
      ...this.current.live(),
    };
  }

  /** Why a frame is refused before it is parsed (rate, size, binary), or null. */
  private refusal(c: Conn, data: Buffer, isBinary: boolean, now: number): [ErrorCode, string] | null {
    if (now - c.windowStart >= 1000) [c.windowStart, c.frames] = [now, 0];
    const maxFps = this.opts.maxFramesPerSecond ?? 40;
    const soft = this.opts.softPayload ?? 16 * 1024;
    if (++c.frames > maxFps) return ['rate-limited', `more than ${maxFps} frames a second`];
    if (data.length > soft) return ['too-large', `a frame may have at most ${soft} bytes (this one: ${data.length})`];
    if (isBinary) return ['bad-frame', 'frames are JSON text'];
    return null;
  }

  /** Limits, parsing, then the frame's handler. */
  private onFrame(c: Conn, data: Buffer, isBinary: boolean): void {
    const now = Date.now();
    const refused = this.refusal(c, data, isBinary, now);
    if (refused) {
      this.err(c, ...refused);
      return;
    }
    const parsed = parseClientFrame(data.toString('utf8'));
    if (parsed.ok) this.dispatch(c, parsed.frame, now);
    else this.err(c, parsed.code, parsed.message);
  }

  private dispatch(c: Conn, f: ClientFrame, now: number): void {
    if (f.type === 'hello') this.hello(c, f);
    else if (f.type === 'ping') c.ws.send(frame('pong', { t: now }));
    else if (f.type !== 'join' && f.type !== 'vote' && f.type !== 'leaderboard') this.host(c, f);
    else if (!c.player || !c.maker) this.err(c, 'no-hello', 'say hello first (with your anonymous player id)');
    else if (f.type === 'leaderboard') c.ws.send(c.maker.leaderboardFrame(c.player));
    else if (f.type === 'join') {
      if (this.stateOf(c.maker.settings.id) === 'running') c.maker.join(c.player);
      else this.err(c, 'session-stopped', 'this session is not running');
    } else {
      const out = c.maker.vote(c.player, f);
      if (out.ok) c.ws.send(frame('ack', { id: f.id, duplicate: out.duplicate }));
      else this.err(c, out.code, out.message, { id: f.id });
    }
  }

  // ------------------------------------------------------------------------------------------ sockets

  private onConnection(ws: WebSocket, req: IncomingMessage): void {
    const addr = req.socket.remoteAddress ?? '?';
    const c: Conn = { ws, addr, player: null, maker: null, windowStart: Date.now(), frames: 0, forbidden: 0 };
    const n = (this.perAddress.get(addr) ?? 0) + 1;
    this.perAddress.set(addr, n);
    ws.on('close', () => {
      this.perAddress.set(addr, (this.perAddress.get(addr) ?? 1) - 1);
      if (c.player && this.sockets.get(c.player) === ws) {
        this.sockets.delete(c.player);
        c.maker?.leave(c.player);
      }
    });
    ws.on('error', (e) => this.log(`socket from ${addr} closed: ${e.message}`));
    const max = this.opts.maxPerAddress ?? 16;
    if (n > max) {
      this.err(c, 'too-many-connections', `at most ${max} connections from one address`);
      ws.close(1008, 'too many connections');
      return;
    }
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      try {
        this.onFrame(c, data, isBinary);
      } catch (e) {
        this.log(`error handling a frame from ${addr}: ${(e as Error).stack ?? e}`);
        this.err(c, 'internal', 'the server could not handle this frame');
      }
    });
  }

  /**
   * WebSocket upgrades at /ws only. A browser always sends Origin: a page of another site (open in the
   * organiser's browser, say) must not reach the socket, so the origin's host must be the Host asked for.
   */
  private readonly onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    if (new URL(req.url ?? '/', 'http://x').pathname !== '/ws') {
      socket.destroy();
      return;
    }
    const origin = req.headers.origin;
    let sameHost = true;
    try {
      sameHost = origin === undefined || new URL(origin).host === req.headers.host;
    } catch {
      sameHost = false;
    }
    if (!sameHost) {
      this.log(`refused a WebSocket from ${req.socket.remoteAddress}: origin ${String(origin).slice(0, 100)} is not this server`);
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.wss.emit('connection', ws, req));
  };

  /** Listens on every host (the port of the first when 0 was asked for). */
  async listen(): Promise<void> {
    const handler = httpHandler({
      staticDir: this.opts.staticDir,
      clips: this.clips,
      log: this.log,
      info: () => ({
        protocol: PROTOCOL_VERSION,
        ws: '/ws',
        session: this.current.settings.id,
        state: this.stateOf(this.current.settings.id),
        // the join URLs the terminal prints (the organiser's page shows them with a QR code)
        join: this.joinUrls(),
      }),
    });
    for (const h of this.hosts) {
      const server = createServer(handler);
      server.on('upgrade', this.onUpgrade);
      server.on('clientError', (e, socket) => {
        this.log(`bad HTTP request: ${e.message}`);
        socket.destroy();
      });
      await new Promise<void>((ok, fail) => {
        server.once('error', fail);
        server.listen(this.port, h, () => ok());
      });
      this.port = (server.address() as AddressInfo).port;
      this.servers.push(server);
    }
  }

  async close(): Promise<void> {
    for (const m of this.makers.values()) m.close();
    for (const ws of this.wss.clients) ws.terminate();
    this.wss.close();
    await Promise.all(this.servers.map((s) => new Promise<void>((ok) => s.close(() => ok()))));
    this.db.close();
  }
}

/** Opens the database, resumes or creates the session, and listens. */
export async function startWorkshop(opts: WorkshopOptions): Promise<Workshop> {
  const w = new WorkshopServer(opts);
  try {
    await w.listen();
  } catch (e) {
    await w.close();
    throw e;
  }
  return w;
}
