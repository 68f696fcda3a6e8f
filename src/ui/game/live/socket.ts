/**
 * The connection to a workshop server (docs/SERVER.md, protocol v1): one WebSocket at ws(s)://<this host>/ws,
 * reopened with a growing delay (0.5 s, 1 s, 2 s … at most 8 s, with jitter) whenever it closes. Plain `ws:`
 * works on a LAN address over HTTP (no secure-context API is used).
 */
export const PROTOCOL = 1;

export type Frame = { readonly type: string } & Record<string, unknown>;

export interface SocketEvents {
  /** the socket is open (first time or again): say hello */
  onOpen(): void;
  onFrame(f: Frame): void;
  /** closed; `retryMs`: when the next attempt starts */
  onClose(retryMs: number): void;
}

/** ws(s)://host/ws for the page's location (the server serves the page and the socket on the same origin). */
export function socketUrl(loc: Pick<Location, 'protocol' | 'host'>, path = '/ws'): string {
  return `${loc.protocol === 'https:' ? 'wss' : 'ws'}://${loc.host}${path}`;
}

/** The delay before attempt `n` (0-based) after a close. */
export function backoffMs(n: number, random = Math.random): number {
  const base = Math.min(8000, 500 * 2 ** n);
  return Math.round(base * (0.8 + 0.4 * random()));
}

export class LiveSocket {
  private ws: WebSocket | null = null;
  private attempts = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private closed = false;

  constructor(
    private readonly url: string,
    private readonly on: SocketEvents,
  ) {
    this.open();
  }

  get isOpen(): boolean {
    return this.ws?.readyState === WebSocket.OPEN;
  }

  private open(): void {
    if (this.closed) return;
    const ws = new WebSocket(this.url);
    this.ws = ws;
    ws.onopen = () => {
      this.attempts = 0;
      this.on.onOpen();
    };
    ws.onmessage = (e) => {
      if (typeof e.data !== 'string') return;
      try {
        const f = JSON.parse(e.data) as Frame;
        if (f && typeof f.type === 'string') this.on.onFrame(f);
      } catch {
        // not a frame of ours
      }
    };
    ws.onclose = () => {
      if (this.ws !== ws || this.closed) return;
      this.ws = null;
      const wait = backoffMs(this.attempts++);
      this.timer = setTimeout(() => this.open(), wait);
      this.on.onClose(wait);
    };
  }

  /** Sends a frame (the protocol version is added); false when the socket is not open (nothing is queued here). */
  send(f: Frame): boolean {
    if (!this.ws || this.ws.readyState !== WebSocket.OPEN) return false;
    this.ws.send(JSON.stringify({ v: PROTOCOL, ...f }));
    return true;
  }

  /** Drops the socket now and reconnects at once (e.g. the page came back from the background). */
  reconnect(): void {
    if (this.closed) return;
    if (this.timer) clearTimeout(this.timer);
    this.attempts = 0;
    const ws = this.ws;
    this.ws = null;
    ws?.close();
    this.open();
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.ws?.close();
    this.ws = null;
  }
}
