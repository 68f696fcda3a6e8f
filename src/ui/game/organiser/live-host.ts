/**
 * The organiser's connection to the workshop server (docs/SERVER.md, organiser frames): every frame carries the
 * host token printed at start (kept in sessionStorage, so a reload of the tab keeps it and closing the tab
 * forgets it); `stats` polled every 2 s; start / stop / export / backup on demand.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { type Frame, LiveSocket, socketUrl } from '../live/socket';

const TOKEN_KEY = 'similarity-lab-host-token';
const POLL_MS = 2000;

export interface LiveStats {
  readonly session: {
    id: string;
    name: string;
    clipSetId: string;
    state: string;
    seats: number;
    roundsPerMatch: number;
    voteSeconds: number;
    questionnaire: unknown;
  };
  readonly online: number;
  readonly players: number;
  readonly votes: number;
  readonly perTriplet: Record<string, { votes: number; timeouts: number }>;
  readonly catchFailures: readonly { player: string; failed: number; passed: number; flagged: boolean }[];
  readonly leaderboard: readonly { player: string; rank: number; points: number; rounds: number }[];
  readonly queue: number;
  readonly matches: readonly { id: string; humans: number; ai: number; round: number; phase: string }[];
}

export function storedToken(): string {
  try {
    return sessionStorage.getItem(TOKEN_KEY) ?? '';
  } catch {
    return '';
  }
}
export function storeToken(t: string): void {
  try {
    if (t) sessionStorage.setItem(TOKEN_KEY, t);
    else sessionStorage.removeItem(TOKEN_KEY);
  } catch {
    // storage blocked: the token is asked again after a reload
  }
}

/** Whether this page was served by a workshop server (GET /api/info answers protocol 1). */
export async function workshopInfo(): Promise<{ session: string; state: string; join: string[] } | null> {
  try {
    const r = await fetch(new URL('/api/info', location.origin));
    if (!r.ok) return null;
    const j = (await r.json()) as { protocol?: number; session?: string; state?: string; join?: unknown };
    const join = Array.isArray(j.join) ? j.join.filter((u): u is string => typeof u === 'string') : [];
    return j.protocol === 1 && typeof j.session === 'string' ? { session: j.session, state: String(j.state), join } : null;
  } catch {
    return null;
  }
}

export interface Host {
  readonly stats: LiveStats | null;
  readonly conn: 'connecting' | 'open' | 'retrying';
  readonly error: string | null;
  /** sends an organiser frame; the answer (by type) resolves the promise */
  readonly ask: (type: 'start' | 'stop' | 'export' | 'backup', extra?: Record<string, unknown>) => Promise<Frame>;
}

export function useHost(token: string, onForbidden: () => void): Host {
  const [stats, setStats] = useState<LiveStats | null>(null);
  const [conn, setConn] = useState<Host['conn']>('connecting');
  const [error, setError] = useState<string | null>(null);
  const sock = useRef<LiveSocket | null>(null);
  const waiting = useRef(new Map<string, (f: Frame) => void>());
  const forbidden = useRef(onForbidden);
  forbidden.current = onForbidden;
  useEffect(() => {
    if (!token) return;
    const answers: Record<string, string> = { start: 'started', stop: 'stopped', export: 'export', backup: 'backup' };
    const s = new LiveSocket(socketUrl(location), {
      onOpen: () => {
        setConn('open');
        s.send({ type: 'stats', token });
      },
      onClose: () => setConn('retrying'),
      onFrame: (f) => {
        if (f.type === 'stats') {
          setStats(f as unknown as LiveStats);
          setError(null);
        } else if (f.type === 'error') {
          if (f.code === 'forbidden') forbidden.current();
          setError(`${String(f.message)} (${String(f.code)})`);
        } else {
          const done = [...waiting.current.entries()].find(([k]) => answers[k] === f.type);
          if (done) {
            waiting.current.delete(done[0]);
            done[1](f);
          }
          s.send({ type: 'stats', token });
        }
      },
    });
    sock.current = s;
    const t = setInterval(() => s.send({ type: 'stats', token }), POLL_MS);
    return () => {
      clearInterval(t);
      s.close();
      sock.current = null;
    };
  }, [token]);
  const ask = useCallback(
    (type: 'start' | 'stop' | 'export' | 'backup', extra: Record<string, unknown> = {}) =>
      new Promise<Frame>((resolve, reject) => {
        if (!sock.current?.send({ type, token, ...extra })) return reject(new Error('not connected to the workshop server'));
        waiting.current.set(type, (f) => {
          resolve(f);
        });
      }),
    [token],
  );
  return { stats, conn, error, ask };
}
