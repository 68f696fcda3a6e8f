/**
 * The user's audio files, kept in this browser (IndexedDB, a store of its own) so clips play after a reload:
 * the original bytes (smaller than decoded samples) as a Blob under their content hash. Clips are deleted when
 * no notebook refers to them any more — not while an undo (a Data cell's previous set, a replaced notebook)
 * can bring their set back. Nothing is sent anywhere.
 */
import { clear, createStore, delMany, get, keys, set } from 'idb-keyval';
import { manifestHashes, type AudioManifest } from './audio-manifest';
import type { DataFiles } from './data';

/** Where the bytes live: IndexedDB in the page, a Map in tests. */
export interface ClipBackend {
  get(hash: string): Promise<Blob | undefined>;
  put(hash: string, blob: Blob): Promise<void>;
  delete(hashes: readonly string[]): Promise<void>;
  keys(): Promise<string[]>;
  clear(): Promise<void>;
}

let handle: ReturnType<typeof createStore> | null = null;
const db = () => (handle ??= createStore('similarity-lab-clips', 'clips'));

export const idbClips: ClipBackend = {
  get: (h) => get<Blob>(h, db()),
  put: (h, b) => set(h, b, db()),
  delete: (hs) => delMany([...hs], db()),
  keys: async () => (await keys(db())).map(String),
  clear: () => clear(db()),
};

/** A backend in memory (tests; and the page when IndexedDB is unavailable). */
export function memoryClips(): ClipBackend & { readonly map: Map<string, Blob> } {
  const map = new Map<string, Blob>();
  return {
    map,
    get: async (h) => map.get(h),
    put: async (h, b) => void map.set(h, b),
    delete: async (hs) => hs.forEach((h) => map.delete(h)),
    keys: async () => [...map.keys()],
    clear: async () => map.clear(),
  };
}

type WithAudio = DataFiles & { features?: { audio?: AudioManifest } };

/** What may still refer to clips: the cells' files, their undo entries, and the replaced notebooks kept for restoring. */
export interface ClipReferrers {
  readonly data: Readonly<Record<string, { files: DataFiles }>>;
  readonly previousData: Readonly<Record<string, { files?: DataFiles }>>;
  readonly previous: readonly { snapshot: { files: Readonly<Record<string, DataFiles>>; previous?: Readonly<Record<string, { files?: DataFiles }>> } }[];
}

/** Every clip hash any of them refers to. */
export function referencedHashes(s: ClipReferrers): Set<string> {
  const out = new Set<string>();
  const add = (f: DataFiles | undefined) => {
    for (const h of manifestHashes((f as WithAudio | undefined)?.features?.audio)) out.add(h);
  };
  for (const d of Object.values(s.data)) add(d.files);
  for (const p of Object.values(s.previousData)) add(p.files);
  for (const n of s.previous) {
    for (const f of Object.values(n.snapshot.files)) add(f);
    for (const p of Object.values(n.snapshot.previous ?? {})) add(p.files);
  }
  return out;
}

/**
 * Deletes clips that stop being referred to. `update` is called with the referrers after every change; clips
 * referred to before and not any more are deleted, unless `hold` protects them (an analysis still running has
 * stored clips no set refers to yet). Clips it never saw referred to are left alone (another tab's analysis).
 */
export class ClipCollector {
  private seen: Set<string> | null = null;
  private readonly held = new Map<string, number>();

  constructor(private readonly backend: ClipBackend) {}

  hold(hashes: readonly string[]): () => void {
    for (const h of hashes) this.held.set(h, (this.held.get(h) ?? 0) + 1);
    return () => {
      for (const h of hashes) {
        const n = (this.held.get(h) ?? 1) - 1;
        if (n > 0) this.held.set(h, n);
        else this.held.delete(h);
      }
    };
  }

  /**
   * After an analysis: of the clips it stored, delete those nothing refers to (a cancelled run, or one whose
   * result was not loaded) — unless another analysis holds them. Returns the hashes deleted.
   */
  async sweep(stored: readonly string[], s: ClipReferrers): Promise<string[]> {
    const now = referencedHashes(s);
    const gone = [...new Set(stored)].filter((h) => !now.has(h) && !this.held.has(h));
    if (gone.length) await this.backend.delete(gone).catch(() => {});
    return gone;
  }

  /** The hashes deleted (the promise settles when they are). */
  async update(s: ClipReferrers): Promise<string[]> {
    const now = referencedHashes(s);
    const before = this.seen;
    this.seen = new Set([...now, ...this.held.keys()]);
    if (!before) return [];
    const gone = [...before].filter((h) => !now.has(h) && !this.held.has(h));
    if (gone.length) await this.backend.delete(gone).catch(() => {});
    return gone;
  }
}
