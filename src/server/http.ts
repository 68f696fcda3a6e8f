/**
 * The workshop server's HTTP side: the built app (dist/), the clips of a `--clips` folder under /clips/, a
 * bundled set's data/ from public/data when dist/ lacks it, and /api/info. GET and HEAD only; no path outside
 * the folders served.
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import type { ClipSource } from './clips';

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
export function safeJoin(root: string, urlPath: string): string | null {
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

function sendFile(req: IncomingMessage, res: ServerResponse, file: string): void {
  res.writeHead(200, {
    'content-type': MIME[extname(file).toLowerCase()] ?? 'application/octet-stream',
    'content-length': statSync(file).size,
    'cache-control': 'no-cache',
  });
  if (req.method === 'HEAD') res.end();
  else createReadStream(file).pipe(res);
}

const isFile = (f: string | null): f is string => f !== null && existsSync(f) && statSync(f).isFile();

export interface HttpOptions {
  readonly staticDir?: string;
  readonly clips: ClipSource;
  /** the body of GET /api/info */
  readonly info: () => Record<string, unknown>;
  readonly log: (line: string) => void;
}

/** The request handler; it never throws (a failure is logged and answered with 500). */
export function httpHandler(o: HttpOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const roots = (path: string): string[] =>
    [o.staticDir, o.clips.dataDir && path.startsWith('/data/') ? resolve(o.clips.dataDir, '..') : undefined].filter((r): r is string => !!r);
  const serve = (req: IncomingMessage, res: ServerResponse): void => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405).end();
      return;
    }
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path === '/api/info') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(o.info()));
      return;
    }
    if (path.startsWith('/clips/') && o.clips.files) {
      const f = o.clips.files.get(decodeURIComponent(path.slice('/clips/'.length)));
      if (f) sendFile(req, res, f);
      else res.writeHead(404).end();
      return;
    }
    for (const root of roots(path)) {
      const file = safeJoin(resolve(root), path === '/' ? '/index.html' : path);
      if (isFile(file)) {
        sendFile(req, res, file);
        return;
      }
    }
    const hint = o.staticDir && !existsSync(o.staticDir) ? ' (the app is not built: run npm run build)' : '';
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end(`not found${hint}\n`);
  };
  return (req, res) => {
    try {
      serve(req, res);
    } catch (e) {
      o.log(`http error for ${req.url}: ${(e as Error).message}`);
      if (!res.headersSent) res.writeHead(500).end();
    }
  };
}
