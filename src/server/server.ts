/**
 * The workshop server (issue 15): one Node process with an HTTP server for the built app (dist/: index.html,
 * play.html) and the session's clips, a WebSocket endpoint at /ws (protocol.ts; docs/SERVER.md) and the
 * SQLite store (db.ts). Binds only to the addresses it is given (127.0.0.1 by default).
 *
 * Limits: frames over `softPayload` bytes are refused with an error frame, over `maxPayload` the socket is
 * closed by ws (1009); at most `maxPerAddress` sockets per remote address; at most `maxFramesPerSecond`
 * frames per socket. Every refusal is an error frame and a log line; a handler that throws is caught, logged
 * and answered with an `internal` error frame — the process keeps serving.
 */
import { timingSafeEqual } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import { extname, join, normalize, resolve, sep } from 'node:path';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import { answerErrors } from '../game/questionnaire';
import { createSession, type SessionInput } from '../game/session';
import { type PlayerId, playerId, randomId, type SessionSettings } from '../game/types';
import type { ClipSource } from './clips';
import { WorkshopDb } from './db';
import { exportSession } from './export';
import { DEFAULT_TIMING, MatchMaker, type MatchTiming } from './matches';
import { type ErrorCode, frame, type HelloFrame, type HostFrame, PROTOCOL_VERSION, type PublicSession, parseClientFrame } from './protocol';

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

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.wasm': 'application/wasm',
  '.csv': 'text/csv; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/plain; charset=utf-8',
  '.wav': 'audio/wav',
  '.flac': 'audio/flac',
  '.opus': 'audio/ogg',
  '.ogg': 'audio/ogg',
  '.oga': 'audio/ogg',
  '.mp3': 'audio/mpeg',
  '.m4a': 'audio/mp4',
  '.webm': 'audio/webm',
};

/** A path under `root` for a URL path, or null when it would leave the root. */
function safeJoin(root: string, urlPath: string): string | null {
  let p: string;
  try {
    p = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (p.includes('\0')) return null;
  const full = normalize(join(root, p));
  return full === root || full.startsWith(root.endsWith(sep) ? root : root + sep) ? full : null;
}

function sendFile(res: ServerResponse, file: string): void {
  res.writeHead(200, {
    'content-type': MIME[extname(file).toLowerCase()] ?? 'application/octet-stream',
    'content-length': statSync(file).size,
    'cache-control': 'no-cache',
  });
  createReadStream(file).pipe(res);
}

const isFile = (f: string | null): f is string => f !== null && existsSync(f) && statSync(f).isFile();

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

export async function startWorkshop(opts: WorkshopOptions): Promise<Workshop> {
  const log = opts.log ?? ((line: string) => process.stderr.write(`${new Date().toISOString()} ${line}\n`));
  const timing: MatchTiming = { ...DEFAULT_TIMING, ...opts.timing };
  const hostToken = opts.hostToken ?? randomId().replace(/-/g, '');
  const tokenBuf = Buffer.from(hostToken);
  const maxPerAddress = opts.maxPerAddress ?? 16;
  const softPayload = opts.softPayload ?? 16 * 1024;
  const maxFps = opts.maxFramesPerSecond ?? 40;
  const db = new WorkshopDb(opts.db);
  const clips = opts.clips;
  const sockets = new Map<PlayerId, WebSocket>();
  const perAddress = new Map<string, number>();
  const makers = new Map<string, MatchMaker>();

  const sendTo = (p: PlayerId, text: string): void => {
    const ws = sockets.get(p);
    if (ws && ws.readyState === ws.OPEN) ws.send(text);
  };
  const makerFor = (settings: SessionSettings): MatchMaker => {
    let m = makers.get(settings.id);
    if (!m) {
      const row = db.session(settings.id);
      m = new MatchMaker(db, settings, row?.clipUrls ?? clips.urls, sendTo, timing, log);
      makers.set(settings.id, m);
    }
    return m;
  };
  const newSession = (name?: string): MatchMaker => {
    const settings = createSession({
      ...opts.session,
      ...(name ? { name } : {}),
      seed: opts.session?.seed ?? randomId(),
      clipSetId: clips.clipSetId,
      clipIds: clips.clipIds,
    });
    db.addSession(settings, { ...clips.urls }, Date.now());
    log(
      `session ${settings.id} ("${settings.name}"): ${settings.clipIds.length} clips of ${settings.clipSetId}, ${settings.seats} seats, ${settings.roundsPerMatch} rounds`,
    );
    return makerFor(settings);
  };
  const latest = db.latestSession();
  let current: MatchMaker =
    opts.resume !== false && latest && latest.state === 'running' && latest.settings.clipSetId === clips.clipSetId
      ? makerFor(latest.settings)
      : newSession(opts.session?.name);
  if (makers.size === 1 && latest?.settings.id === current.settings.id) log(`session ${current.settings.id}: resumed (${current.votes.length} votes so far)`);
  const stateOf = (id: string) => db.session(id)?.state ?? 'stopped';

  const err = (c: Conn, code: ErrorCode, message: string, extra: Record<string, unknown> = {}): void => {
    log(`refused ${code} from ${c.addr}${c.player ? ` (${c.player})` : ''}: ${message}`);
    if (c.ws.readyState === c.ws.OPEN) c.ws.send(frame('error', { code, message, ...extra }));
  };

  function hello(c: Conn, f: HelloFrame): void {
    const row = db.session(f.session ?? current.settings.id);
    if (!row) {
      err(c, 'unknown-session', `no session "${f.session}" on this server`);
      return;
    }
    const settings = makers.get(row.settings.id)?.settings ?? row.settings;
    if (f.answers) {
      const problems = answerErrors(settings.questionnaire, f.answers);
      if (problems.length) {
        err(c, 'bad-answers', problems.map((p) => p.message).join('; '));
        return;
      }
    }
    const p = playerId(f.player);
    const old = sockets.get(p);
    if (old && old !== c.ws) old.close(4001, 'replaced by a newer connection of this player');
    if (c.player && c.player !== p) c.maker?.leave(c.player);
    sockets.set(p, c.ws);
    c.player = p;
    c.maker = makerFor(settings);
    db.savePlayer(settings.id, p, f.answers, f.consent, Date.now());
    c.ws.send(frame('welcome', { session: publicSession(settings, row.state), player: p, clips: row.clipUrls, protocol: PROTOCOL_VERSION }));
    if (row.state === 'running') c.maker.restore(p);
  }

  function host(c: Conn, f: HostFrame): void {
    const given = Buffer.from(f.token);
    if (given.length !== tokenBuf.length || !timingSafeEqual(given, tokenBuf)) {
      err(c, 'forbidden', `${f.type} needs the host token`);
      if (++c.forbidden >= MAX_FORBIDDEN) c.ws.close(1008, 'too many wrong host tokens');
      return;
    }
    const s = current.settings;
    switch (f.type) {
      case 'stats':
        c.ws.send(frame('stats', stats()));
        return;
      case 'stop':
        db.setSessionState(s.id, 'stopped');
        current.closeQueue('the organiser stopped the session');
        log(`session ${s.id}: stopped by the organiser`);
        c.ws.send(frame('stopped', { session: s.id }));
        return;
      case 'start': {
        if (stateOf(s.id) === 'running') {
          db.setSessionState(s.id, 'stopped');
          current.closeQueue('the organiser started a new session');
        }
        current = newSession(f.name);
        c.ws.send(frame('started', { session: publicSession(current.settings, 'running') }));
        return;
      }
      case 'export': {
        const files = exportSession(current.settings, current.votes, db.players(s.id), f.format ?? 'lab');
        log(`session ${s.id}: exported as ${f.format}`);
        c.ws.send(frame('export', { session: s.id, format: f.format, ...files }));
        return;
      }
      case 'backup': {
        const path = `${opts.db}.backup-${new Date().toISOString().replace(/[:.]/g, '-')}.sqlite`;
        db.backup(path).then(
          () => {
            log(`backup written to ${path}`);
            if (c.ws.readyState === c.ws.OPEN) c.ws.send(frame('backup', { path }));
          },
          (e: Error) => err(c, 'internal', `backup failed: ${e.message}`),
        );
        return;
      }
    }
  }

  function stats(): Record<string, unknown> {
    const s = current.settings;
    const votes = current.votes;
    const perTriplet: Record<string, { votes: number; timeouts: number }> = {};
    for (const v of votes) {
      perTriplet[v.triplet] ??= { votes: 0, timeouts: 0 };
      const e = perTriplet[v.triplet];
      if (v.timeout) e.timeouts++;
      else e.votes++;
    }
    const board = current.leaderboard();
    const online = [...sockets.entries()].filter(([, ws]) => ws.readyState === ws.OPEN).map(([p]) => p);
    return {
      session: publicSession(s, stateOf(s.id)),
      online: online.length,
      players: db.players(s.id).length,
      votes: votes.length,
      perTriplet,
      catchFailures: board
        .filter((r) => r.catchFailed > 0)
        .map((r) => ({ player: r.player, failed: r.catchFailed, passed: r.catchPassed, flagged: r.flagged })),
      leaderboard: board,
      ...current.live(),
    };
  }

  function onFrame(c: Conn, data: Buffer, isBinary: boolean): void {
    const now = Date.now();
    if (now - c.windowStart >= 1000) [c.windowStart, c.frames] = [now, 0];
    if (++c.frames > maxFps) {
      err(c, 'rate-limited', `more than ${maxFps} frames a second`);
      return;
    }
    if (data.length > softPayload) {
      err(c, 'too-large', `a frame may have at most ${softPayload} bytes (this one: ${data.length})`);
      return;
    }
    if (isBinary) {
      err(c, 'bad-frame', 'frames are JSON text');
      return;
    }
    const parsed = parseClientFrame(data.toString('utf8'));
    if (!parsed.ok) {
      err(c, parsed.code, parsed.message);
      return;
    }
    const f = parsed.frame;
    if (f.type === 'hello') {
      hello(c, f);
      return;
    }
    if (f.type === 'ping') {
      c.ws.send(frame('pong', { t: now }));
      return;
    }
    if (f.type !== 'join' && f.type !== 'vote' && f.type !== 'leaderboard') {
      host(c, f as HostFrame);
      return;
    }
    if (!c.player || !c.maker) {
      err(c, 'no-hello', 'say hello first (with your anonymous player id)');
      return;
    }
    if (f.type === 'leaderboard') {
      c.ws.send(c.maker.leaderboardFrame(c.player));
      return;
    }
    if (f.type === 'join') {
      if (stateOf(c.maker.settings.id) !== 'running') {
        err(c, 'session-stopped', 'this session is not running');
        return;
      }
      c.maker.join(c.player);
      return;
    }
    const out = c.maker.vote(c.player, f);
    if (out.ok) c.ws.send(frame('ack', { id: f.id, duplicate: out.duplicate }));
    else err(c, out.code, out.message, { id: f.id });
  }

  const wss = new WebSocketServer({ noServer: true, maxPayload: opts.maxPayload ?? 64 * 1024 });
  wss.on('connection', (ws: WebSocket, req: IncomingMessage) => {
    const addr = req.socket.remoteAddress ?? '?';
    const c: Conn = { ws, addr, player: null, maker: null, windowStart: Date.now(), frames: 0, forbidden: 0 };
    const n = (perAddress.get(addr) ?? 0) + 1;
    perAddress.set(addr, n);
    ws.on('close', () => {
      perAddress.set(addr, (perAddress.get(addr) ?? 1) - 1);
      if (c.player && sockets.get(c.player) === ws) {
        sockets.delete(c.player);
        c.maker?.leave(c.player);
      }
    });
    ws.on('error', (e) => log(`socket from ${addr} closed: ${e.message}`));
    if (n > maxPerAddress) {
      err(c, 'too-many-connections', `at most ${maxPerAddress} connections from one address`);
      ws.close(1008, 'too many connections');
      return;
    }
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      try {
        onFrame(c, data, isBinary);
      } catch (e) {
        log(`error handling a frame from ${addr}: ${(e as Error).stack ?? e}`);
        err(c, 'internal', 'the server could not handle this frame');
      }
    });
  });

  const handleHttp = (req: IncomingMessage, res: ServerResponse): void => {
    try {
      serveHttp(req, res);
    } catch (e) {
      log(`http error for ${req.url}: ${(e as Error).message}`);
      if (!res.headersSent) res.writeHead(500).end();
    }
  };
  function serveHttp(req: IncomingMessage, res: ServerResponse): void {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405).end();
      return;
    }
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path === '/api/info') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ protocol: PROTOCOL_VERSION, ws: '/ws', session: current.settings.id, state: stateOf(current.settings.id) }));
      return;
    }
    if (path.startsWith('/clips/') && clips.files) {
      const f = clips.files.get(decodeURIComponent(path.slice('/clips/'.length)));
      if (f) sendFile(res, f);
      else res.writeHead(404).end();
      return;
    }
    const roots = [opts.staticDir, clips.dataDir && path.startsWith('/data/') ? resolve(clips.dataDir, '..') : undefined].filter((r): r is string => !!r);
    for (const root of roots) {
      const file = safeJoin(resolve(root), path === '/' ? '/index.html' : path);
      if (isFile(file)) {
        sendFile(res, file);
        return;
      }
    }
    const hint = opts.staticDir && !existsSync(opts.staticDir) ? ` (the app is not built: run npm run build)` : '';
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end(`not found${hint}\n`);
  }

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    if (new URL(req.url ?? '/', 'http://x').pathname !== '/ws') {
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  };

  const hosts = opts.hosts?.length ? opts.hosts : ['127.0.0.1'];
  const servers: Server[] = [];
  let port = opts.port;
  for (const h of hosts) {
    const server = createServer(handleHttp);
    server.on('upgrade', onUpgrade);
    server.on('clientError', (e, socket) => {
      log(`bad HTTP request: ${e.message}`);
      socket.destroy();
    });
    await new Promise<void>((ok, fail) => {
      server.once('error', fail);
      server.listen(port, h, () => ok());
    });
    port = (server.address() as AddressInfo).port;
    servers.push(server);
  }

  return {
    port,
    hosts,
    hostToken,
    db,
    session: () => current.settings,
    joinUrls: () =>
      hosts.flatMap(lanAddresses).map((a) => `http://${a.includes(':') ? `[${a}]` : a}:${port}/play.html?workshop=${encodeURIComponent(current.settings.id)}`),
    async close() {
      for (const m of makers.values()) m.close();
      for (const ws of wss.clients) ws.terminate();
      wss.close();
      await Promise.all(servers.map((s) => new Promise<void>((ok) => s.close(() => ok()))));
      db.close();
    },
  };
}
