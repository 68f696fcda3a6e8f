/**
 * Clip id → audio bytes for a session's clip set (the game page, issue 14).
 *
 *  - Bundled clip sets (src/ui/data.ts entries with `clips`): clips.csv (id,file,…) lists each clip's file,
 *    relative to the set's folder; the bytes are fetched from `data/<folder>/<file>` (the site itself, so it
 *    works from a plain HTTP workshop server and offline once cached).
 *  - Own audio: a session may name a clip set that lives in this browser (the lab's clip store, issue 13).
 *    That store registers a resolver here with `registerClipResolver` once it is merged; until then such a
 *    session says which clip set it needs instead of playing silence.
 */
import Papa from 'papaparse';
import { BUNDLED } from '../data';
import { cacheForOffline, clipSetPaths } from '../offline';

export interface ClipEntry {
  readonly id: string;
  /** the file as clips.csv names it (relative to the set's folder) */
  readonly file: string;
  /** URL of the audio relative to the page */
  readonly url: string;
}

export interface ClipSetInfo {
  readonly id: string;
  readonly label: string;
  /** path of clips.csv under data/ */
  readonly clipsCsv: string;
}

/** The bundled clip sets the game can play (those of BUNDLED with a clips.csv). */
export const BUNDLED_CLIP_SETS: readonly ClipSetInfo[] = BUNDLED.flatMap((b) => (b.clips ? [{ id: b.id, label: b.label, clipsCsv: b.clips }] : []));

export const bundledClipSet = (id: string): ClipSetInfo | undefined => BUNDLED_CLIP_SETS.find((s) => s.id === id);

/** Resolves a clip of a clip set that is not bundled (e.g. the user's own audio), or returns undefined when it does not know the set. */
export type ClipResolver = (clipSetId: string, clipId: string) => Promise<ArrayBuffer> | undefined;
const resolvers: ClipResolver[] = [];

/** Hook for the lab's clip store (own audio): it answers for the clip sets it holds. Returns an unregister function. */
export function registerClipResolver(r: ClipResolver): () => void {
  resolvers.push(r);
  return () => {
    const i = resolvers.indexOf(r);
    if (i >= 0) resolvers.splice(i, 1);
  };
}

/** clips.csv → entries (url relative to the page). Throws naming the file and row on a bad table. */
export function parseClipsCsv(text: string, folder: string, file = 'clips.csv'): ClipEntry[] {
  const { data } = Papa.parse<Record<string, string>>(text.trim(), { header: true, skipEmptyLines: true });
  if (!data.length || !('id' in data[0]) || !('file' in data[0])) throw new Error(`${file}: expected the columns id,file`);
  return data.map((row, i) => {
    if (!row.id || !row.file) throw new Error(`${file} row ${i + 2}: id and file must not be empty`);
    return { id: row.id, file: row.file, url: `data/${folder}/${row.file}` };
  });
}

const lists = new Map<string, Promise<ClipEntry[]>>();

/** The clips of a bundled set (fetched once per page). */
export function loadBundledClips(setId: string): Promise<ClipEntry[]> {
  const set = bundledClipSet(setId);
  if (!set) return Promise.reject(new Error(`"${setId}" is not a bundled clip set (bundled: ${BUNDLED_CLIP_SETS.map((s) => s.id).join(', ')})`));
  let p = lists.get(setId);
  if (!p) {
    const folder = set.clipsCsv.replace(/\/[^/]*$/, '');
    p = fetch(`data/${set.clipsCsv}`)
      .then((r) => {
        if (!r.ok) throw new Error(`data/${set.clipsCsv}: HTTP ${r.status}`);
        return r.text();
      })
      .then((t) => parseClipsCsv(t, folder, `data/${set.clipsCsv}`));
    p.catch(() => lists.delete(setId));
    lists.set(setId, p);
  }
  return p;
}

const keptOffline = new Set<string>();

/**
 * A bundled set chosen or played: ask the service worker to keep all of its files (clips.csv, features, SOURCE.md,
 * every clip), so the set plays offline later — once per page and set; nothing happens without a service worker.
 */
export function cacheBundledSetForOffline(setId: string): void {
  const b = BUNDLED.find((x) => x.id === setId);
  if (!b?.clips || keptOffline.has(setId)) return;
  keptOffline.add(setId);
  loadBundledClips(setId).then(
    (clips) =>
      cacheForOffline(
        clipSetPaths(
          { ...b, clips: b.clips! },
          clips.map((c) => c.file),
        ),
      ),
    () => keptOffline.delete(setId),
  );
}

/** Every bundled set's clip ids, for decodeSession (a join string may leave a bundled set's ids out). */
export async function bundledClipIds(): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  await Promise.all(
    BUNDLED_CLIP_SETS.map(async (s) => {
      try {
        out.set(
          s.id,
          (await loadBundledClips(s.id)).map((c) => c.id),
        );
      } catch {
        // a set that cannot be read is simply not offered; decodeSession then names it
      }
    }),
  );
  return out;
}

/** The bytes of one clip of a session's clip set. Errors name the clip and what went wrong. */
export async function clipBytes(clipSetId: string, clipId: string): Promise<ArrayBuffer> {
  if (bundledClipSet(clipSetId)) {
    const entry = (await loadBundledClips(clipSetId)).find((c) => c.id === clipId);
    if (!entry) throw new Error(`clip "${clipId}" is not in the clip set "${clipSetId}"`);
    const r = await fetch(entry.url);
    if (!r.ok) throw new Error(`${entry.url}: HTTP ${r.status}`);
    return r.arrayBuffer();
  }
  for (const r of resolvers) {
    const p = r(clipSetId, clipId);
    if (p) return p;
  }
  throw new Error(`the clip set "${clipSetId}" is not on this device (own audio is played from the lab's clip store of the device that made the session)`);
}
