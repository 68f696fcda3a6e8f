/** Autosave in this browser's IndexedDB (idb-keyval). Nothing is ever sent anywhere. */
import { createStore, del, get, set, clear } from 'idb-keyval';
import { checkSnapshot, type NotebookSnapshot } from './notebook-file';
import { BACKEND_PREFS, type BackendPref } from '../worker/api';
import type { PreviousNotebook } from './lab-store';
import { idbClips } from './clip-store';

const store = () => createStore('similarity-lab', 'state');
let handle: ReturnType<typeof createStore> | null = null;
const db = () => (handle ??= store());

const NOTEBOOK_KEY = 'notebook';
const BACKEND_KEY = 'backend';
const PREVIOUS_KEY = 'previous-notebook';

export async function saveNotebook(s: NotebookSnapshot): Promise<void> {
  await set(NOTEBOOK_KEY, s, db());
}

export async function loadNotebook(): Promise<NotebookSnapshot | null> {
  const raw = await get(NOTEBOOK_KEY, db());
  return raw ? checkSnapshot(raw, 'saved notebook') : null;
}

const STASH_KEY = 'similarity-lab:pending-cells';

/** See LabPersistence.stashCells: localStorage, because it is written synchronously while the page unloads. */
export function stashCells(cells: unknown, at: string): void {
  try {
    localStorage.setItem(STASH_KEY, JSON.stringify({ at, cells }));
  } catch {
    // storage full or refused: the autosave's own write is all there is
  }
}

export function takeStash(): { cells: unknown; at: string } | null {
  try {
    const raw = localStorage.getItem(STASH_KEY);
    localStorage.removeItem(STASH_KEY);
    const v = raw ? (JSON.parse(raw) as { cells?: unknown; at?: unknown }) : null;
    return v && typeof v.at === 'string' && Array.isArray(v.cells) ? { cells: v.cells, at: v.at } : null;
  } catch {
    return null;
  }
}

export function clearStash(): void {
  try {
    localStorage.removeItem(STASH_KEY);
  } catch {
    // nothing stashed can be read back either
  }
}

/** The notebooks links or files replaced (see LabPersistence). */
export async function savePrevious(p: readonly PreviousNotebook[]): Promise<void> {
  if (p.length) await set(PREVIOUS_KEY, p, db());
  else await del(PREVIOUS_KEY, db());
}

/** Each kept notebook is checked like any stored one; a damaged entry is dropped, the others kept. */
export async function loadPrevious(): Promise<PreviousNotebook[]> {
  const raw = await get(PREVIOUS_KEY, db());
  if (!Array.isArray(raw)) return [];
  const out: PreviousNotebook[] = [];
  for (const r of raw as { snapshot?: unknown; replacedBy?: unknown }[]) {
    try {
      out.push({
        snapshot: checkSnapshot(r?.snapshot, 'previous notebook'),
        replacedBy: typeof r?.replacedBy === 'string' ? r.replacedBy : 'another notebook',
      });
    } catch {
      /* a damaged kept notebook is left out */
    }
  }
  return out;
}

export async function saveBackendPref(p: BackendPref): Promise<void> {
  await set(BACKEND_KEY, p, db());
}
export async function loadBackendPref(): Promise<BackendPref | null> {
  const v = await get(BACKEND_KEY, db()).catch(() => null);
  return typeof v === 'string' && (BACKEND_PREFS as readonly string[]).includes(v) ? (v as BackendPref) : null;
}

export async function eraseAll(): Promise<void> {
  await clear(db());
  await del(NOTEBOOK_KEY, db()).catch(() => {});
  await idbClips.clear().catch(() => {});
  try {
    localStorage.clear();
    sessionStorage.clear();
  } catch {
    /* storage may be unavailable */
  }
}
