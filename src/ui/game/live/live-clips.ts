/**
 * A live round's clips, fetched from the URLs the workshop server gives (relative to its root) and decoded once
 * (a small LRU of the current and the next rounds' clips; a failed load is not kept, so a resent round fetches afresh).
 */
import { gameAudio } from '../player/audio';

const KEEP = 9;
const cache = new Map<string, Promise<AudioBuffer>>();

/** The server-root URL of a clip path like `data/tones/a.wav` or `clips/x.wav`. */
export function clipUrl(path: string, origin = location.origin): string {
  return new URL(path.replace(/^\/+/, ''), `${origin}/`).href;
}

export function loadLiveClip(path: string, clipId: string, endSeconds: number): Promise<AudioBuffer> {
  const url = clipUrl(path);
  let p = cache.get(url);
  if (p) cache.delete(url);
  else {
    p = fetch(url).then(async (r) => {
      if (!r.ok) throw new Error(`${clipId}: the server answered ${r.status}`);
      return gameAudio.decode(await r.arrayBuffer(), clipId, endSeconds);
    });
    p.catch(() => cache.delete(url));
  }
  cache.set(url, p);
  while (cache.size > KEEP) cache.delete(cache.keys().next().value as string);
  return p;
}
