/** Autosave in this browser's IndexedDB (idb-keyval). Nothing is ever sent anywhere. */
import { createStore, del, get, set, clear } from 'idb-keyval';
import { checkSnapshot, type NotebookSnapshot } from './notebook-file';
import { BACKEND_PREFS, type BackendPref } from '../worker/api';

const store = () => createStore('similarity-lab', 'state');
let handle: ReturnType<typeof createStore> | null = null;
const db = () => (handle ??= store());

const NOTEBOOK_KEY = 'notebook';
const BACKEND_KEY = 'backend';

export async function saveNotebook(s: NotebookSnapshot): Promise<void> {
  await set(NOTEBOOK_KEY, s, db());
}

export async function loadNotebook(): Promise<NotebookSnapshot | null> {
  const raw = await get(NOTEBOOK_KEY, db());
  return raw ? checkSnapshot(raw, 'saved notebook') : null;
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
