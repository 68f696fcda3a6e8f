/** Autosave in this browser's IndexedDB (idb-keyval). Nothing is ever sent anywhere. */
import { createStore, del, get, set, clear } from 'idb-keyval';
import { checkSnapshot, type NotebookSnapshot } from './notebook-file';
import { BACKEND_PREFS, type BackendPref } from '../worker/api';
import type { PreviousNotebook } from './lab-store';

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

/** The notebook a link or file replaced (see LabPersistence). */
export async function savePrevious(p: PreviousNotebook | null): Promise<void> {
  if (p) await set(PREVIOUS_KEY, p, db());
  else await del(PREVIOUS_KEY, db());
}

export async function loadPrevious(): Promise<PreviousNotebook | null> {
  const raw = (await get(PREVIOUS_KEY, db())) as { snapshot?: unknown; replacedBy?: unknown } | undefined;
  if (!raw || typeof raw !== 'object') return null;
  return { snapshot: checkSnapshot(raw.snapshot, 'previous notebook'), replacedBy: typeof raw.replacedBy === 'string' ? raw.replacedBy : 'another notebook' };
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
  try {
    localStorage.clear();
    sessionStorage.clear();
  } catch {
    /* storage may be unavailable */
  }
}
