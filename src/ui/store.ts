/**
 * The app's lab store: `createLabStore` (lab-store.ts) with the worker runner and this browser's
 * IndexedDB. Components read state with `useLab(selector)`; the actions are the store's own, also
 * exported here bound to this instance so components can call them directly.
 */
import { createLabStore } from './lab-store';
import { fetchBundled } from './data';
import * as persist from './persist';
import { LabRunner } from './runner';

const base = (): string => (typeof import.meta !== 'undefined' && import.meta.env?.BASE_URL) || './';

export const useLab = createLabStore({
  runner: (onCrash) => new LabRunner(onCrash),
  persist,
  fetchBundled: (id) => fetchBundled(id, base()),
});

export const {
  setParams,
  setTitle,
  addCell,
  deleteCell,
  duplicateCell,
  moveCell,
  loadDataFile,
  loadDataFiles,
  removeDataFile,
  setDataSource,
  restorePreviousData,
  clearDataError,
  runCell,
  runAll,
  pauseRun,
  resumeRun,
  cancelRun,
  setBackendPref,
  retryOn,
  currentSnapshot,
  applySnapshot,
  newNotebook,
  replaceNotebook,
  restorePrevious,
  dismissPrevious,
  boot,
  openShare,
  flushSave,
  eraseAll,
  notify,
  dismissRestored,
} = useLab.getState();

export const dismissNotice = (): void => notify(null);

export { dataFor, groupByFor, holdsResults, isCancel, keyOf, problemsNotice, statusOf, type CellRun, type LabState } from './lab-store';
