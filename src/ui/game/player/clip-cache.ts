/**
 * Decoded clips of the current and the next round (a small LRU: instrument clips are ≈ 6 MB decoded each).
 * Decoded up to the excerpt's end only when the game's own decoder is used. A failed load is not kept, so "Try again" fetches afresh.
 */
import { cacheBundledSetForOffline, clipBytes } from '../clip-source';
import { gameAudio } from './audio';

const KEEP = 9;
const cache = new Map<string, Promise<AudioBuffer>>();

/** The decoded clip (fetched and decoded once while it stays among the last KEEP used). */
export function loadClip(clipSetId: string, clipId: string, endSeconds: number): Promise<AudioBuffer> {
  // a bundled set being played is kept whole for offline play (once per page)
  cacheBundledSetForOffline(clipSetId);
  const key = `${clipSetId}\u0000${clipId}`;
  let p = cache.get(key);
  if (p) cache.delete(key);
  else {
    p = clipBytes(clipSetId, clipId).then((bytes) => gameAudio.decode(bytes, clipId, endSeconds));
    p.catch(() => cache.delete(key));
  }
  cache.set(key, p);
  while (cache.size > KEEP) cache.delete(cache.keys().next().value as string);
  return p;
}
