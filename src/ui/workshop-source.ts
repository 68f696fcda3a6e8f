/**
 * The lab's "Workshop" data source (issue 15): when the lab page is served by a workshop server
 * (`GET /api/info` answers protocol 1, docs/SERVER.md), a Data cell can read the current session's votes over the
 * protocol — the organiser's `stats` and `export lab` frames with the host token (the same request as the
 * organiser panel's export: lab CSV votes + users, catch trials, timeouts and players flagged by catch trials left
 * out) — plus the clip set's features, and load them as the cell's files (the ordinary loading path: set checks,
 * errors, undo). The token lives in sessionStorage only (the organiser panel's key), never in the notebook.
 *
 * This module: the pure parts (files and counts from an export, whether anything changed, the words) and the
 * one-shot socket exchange. The cell's view and the fetch-and-run flow: cells/WorkshopSource.tsx.
 */
import Papa from 'papaparse';
import type { DataFiles, FileText, Slot } from './data';
import { type Frame, PROTOCOL, socketUrl } from './game/live/socket';

/** What the server's lab export left out (src/game/export.ts Exclusions). */
export interface Excluded {
  readonly catchTrials: number;
  readonly timeouts: number;
  readonly flaggedVotes: number;
  readonly flaggedPlayers: readonly string[];
}

export interface WorkshopCounts {
  /** votes in the judgments file (what goes into the analysis) */
  readonly votes: number;
  /** players with at least one of those votes */
  readonly players: number;
  readonly excluded: Excluded | null;
}

export interface WorkshopFetch {
  readonly session: string;
  readonly clipSetId: string;
  readonly items: { slot: Slot; file: FileText }[];
  readonly counts: WorkshopCounts;
  /** epoch ms */
  readonly at: number;
}

/** An answer of the server that is not what was asked: `forbidden` (wrong token), `unreachable` (no server), … */
export class WorkshopError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const num = (x: unknown): number => (typeof x === 'number' && Number.isFinite(x) ? x : 0);

function excludedOf(x: unknown): Excluded | null {
  if (!x || typeof x !== 'object') return null;
  const o = x as Record<string, unknown>;
  const fp = Array.isArray(o.flaggedPlayers) ? o.flaggedPlayers.filter((p): p is string => typeof p === 'string') : [];
  return { catchTrials: num(o.catchTrials), timeouts: num(o.timeouts), flaggedVotes: num(o.flaggedVotes), flaggedPlayers: fp };
}

/** Votes and distinct players of a lab votes CSV (columns a, b, c, odd, user). */
export function countVotes(votesCsv: string): { votes: number; players: number } {
  const rows = Papa.parse<Record<string, string>>(votesCsv.trim(), { header: true, skipEmptyLines: true }).data;
  return { votes: rows.length, players: new Set(rows.map((r) => r.user ?? '')).size };
}

/**
 * The cell's files from an `export` frame (format `lab`) and the clip set's features: judgments and users named
 * after the session (stable across fetches), the counts and what was left out.
 */
export function exportToFetch(frame: Frame, features: FileText, at: number): WorkshopFetch {
  const files = Array.isArray(frame.files) ? (frame.files as { name?: unknown; text?: unknown }[]) : [];
  const text = (suffix: string) =>
    files.find((f) => typeof f.name === 'string' && f.name.endsWith(suffix) && typeof f.text === 'string')?.text as string | undefined;
  const votes = text('-votes.csv');
  if (votes === undefined) throw new WorkshopError('bad-export', 'the workshop server sent no votes file');
  const users = text('-users.csv');
  const session = String(frame.session ?? '');
  const clipSetId = String(frame.clipSetId ?? '');
  // s-<uuid>: its first 8 hex digits name the files (the full id is shown next to them)
  const name = (what: string) =>
    `workshop-${session
      .replace(/^s-/, '')
      .replace(/[^\w.-]+/g, '-')
      .slice(0, 8)}-${what}.csv`;
  const items: { slot: Slot; file: FileText }[] = [
    { slot: 'features', file: features },
    { slot: 'judgments', file: { name: name('votes'), text: votes } },
    ...(users !== undefined ? [{ slot: 'users' as const, file: { name: name('users'), text: users } }] : []),
  ];
  return { session, clipSetId, items, counts: { ...countVotes(votes), excluded: excludedOf(frame.excluded) }, at };
}

/** Whether the fetched files are exactly those the cell holds already (then nothing is reloaded or run again). */
export function sameFiles(current: DataFiles | undefined, items: readonly { slot: Slot; file: FileText }[]): boolean {
  if (!current) return false;
  const slots = new Set(items.map((i) => i.slot));
  const extra = (Object.keys(current) as Slot[]).some((s) => current[s] && !slots.has(s));
  return !extra && items.every((i) => current[i.slot]?.text === i.file.text);
}

const n = (k: number, w: string) => `${k} ${w}${k === 1 ? '' : 's'}`;

/** "4 votes of 2 players" and what was left out, in words. */
export function countsLine(c: WorkshopCounts): string {
  const head = `${n(c.votes, 'vote')} of ${n(c.players, 'player')}`;
  const ex = c.excluded;
  if (!ex) return `${head}.`;
  return `${head}. Left out: ${n(ex.catchTrials, 'catch trial')}, ${n(ex.timeouts, 'timeout')}, ${n(ex.flaggedVotes, 'vote')} of ${n(ex.flaggedPlayers.length, 'player')} flagged by catch trials.`;
}

/** Whether an auto-refresh tick may fetch now: switched on, no run going, no fetch going. */
export function mayAutoRefresh(seconds: number, busy: boolean, fetching: boolean): boolean {
  return seconds > 0 && !busy && !fetching;
}

const ANSWER: Record<string, string> = { stats: 'stats', export: 'export' };

/**
 * Sends the organiser frames one after the other on a fresh socket and resolves with their answers; an `error`
 * frame rejects (`forbidden`: the token), so does a socket that does not open or closes first, or `timeoutMs`.
 */
export function askWorkshop(token: string, frames: readonly Frame[], opts: { url?: string; timeoutMs?: number } = {}): Promise<Frame[]> {
  const url = opts.url ?? socketUrl(location);
  return new Promise((resolve, reject) => {
    const answers: Frame[] = [];
    let ws: WebSocket;
    try {
      ws = new WebSocket(url);
    } catch (e) {
      reject(new WorkshopError('unreachable', `cannot open ${url} (${(e as Error).message})`));
      return;
    }
    let done = false;
    const finish = (err: Error | null) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      ws.close();
      if (err) reject(err);
      else resolve(answers);
    };
    const timer = setTimeout(() => finish(new WorkshopError('timeout', 'the workshop server did not answer in time')), opts.timeoutMs ?? 15000);
    const next = () => {
      const f = frames[answers.length];
      if (!f) return finish(null);
      ws.send(JSON.stringify({ v: PROTOCOL, ...f, token }));
    };
    ws.onopen = next;
    ws.onerror = () => finish(new WorkshopError('unreachable', 'the workshop server does not answer'));
    ws.onclose = () => finish(new WorkshopError('unreachable', 'the workshop server closed the connection'));
    ws.onmessage = (e) => {
      let f: Frame;
      try {
        f = JSON.parse(String(e.data)) as Frame;
      } catch {
        return;
      }
      if (f.type === 'error') return finish(new WorkshopError(String(f.code), String(f.message ?? f.code)));
      if (f.type !== ANSWER[frames[answers.length]?.type ?? '']) return;
      answers.push(f);
      next();
    };
  });
}

/** The current session's votes, users and clip-set features (features: fetched by the caller's `featuresFor`). */
export async function fetchWorkshop(token: string, featuresFor: (clipSetId: string) => Promise<FileText>, now = Date.now): Promise<WorkshopFetch> {
  const [stats, exp] = await askWorkshop(token, [{ type: 'stats' }, { type: 'export', format: 'lab' }]);
  const session = (stats?.session ?? {}) as { id?: string; clipSetId?: string };
  const clipSetId = String(session.clipSetId ?? '');
  const features = await featuresFor(clipSetId);
  return exportToFetch({ ...exp!, session: session.id ?? exp?.session, clipSetId }, features, now());
}
