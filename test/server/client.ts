/**
 * A test/bench client of the workshop protocol: a real `ws` socket, every received frame kept in order, and
 * `next(type)` to await the next frame of a type (bounded in time).
 */
import WebSocket from 'ws';

// biome-ignore lint/suspicious/noExplicitAny: tests and the bench read frames loosely
export type Frame = { type: string; v: number } & Record<string, any>;

export class TestClient {
  readonly frames: Frame[] = [];
  /** raw texts received (to search for leaks) */
  readonly texts: string[] = [];
  private cursor = new Map<string, number>();
  private waiters: (() => void)[] = [];
  closeCode: number | null = null;
  readonly closed: Promise<number>;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const text = data.toString();
      this.texts.push(text);
      this.frames.push(JSON.parse(text));
      for (const w of this.waiters.splice(0)) w();
    });
    this.closed = new Promise((ok) =>
      ws.on('close', (code) => {
        this.closeCode = code;
        for (const w of this.waiters.splice(0)) w();
        ok(code);
      }),
    );
    ws.on('error', () => {});
  }

  static open(url: string, origin?: string): Promise<TestClient> {
    const ws = new WebSocket(url, origin ? { origin } : {});
    const c = new TestClient(ws);
    return new Promise((ok, fail) => {
      ws.once('open', () => ok(c));
      ws.once('error', fail);
    });
  }

  send(o: Record<string, unknown>): void {
    this.ws.send(JSON.stringify({ v: 1, ...o }));
  }
  sendRaw(text: string | Buffer): void {
    this.ws.send(text);
  }

  /** The next frame of `type` not returned before (frames of other types are skipped, not lost). */
  async next(type: string, timeoutMs = 5000): Promise<Frame> {
    const t0 = Date.now();
    for (;;) {
      const from = this.cursor.get(type) ?? 0;
      const i = this.frames.findIndex((f, k) => k >= from && f.type === type);
      if (i >= 0) {
        this.cursor.set(type, i + 1);
        return this.frames[i];
      }
      if (this.closeCode !== null) throw new Error(`socket closed (${this.closeCode}) while waiting for "${type}"`);
      const left = timeoutMs - (Date.now() - t0);
      if (left <= 0) throw new Error(`no "${type}" frame within ${timeoutMs} ms; got ${this.frames.map((f) => f.type).join(', ')}`);
      await new Promise<void>((ok) => {
        const timer = setTimeout(ok, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          ok();
        });
      });
    }
  }

  close(): Promise<number> {
    this.ws.close();
    return this.closed;
  }
}
