import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './ui/App';
import { takeHandoff } from './ui/game/db';
import { handoffSnapshot } from './ui/game-handoff';
import { boot, flushSave, notify, openShare } from './ui/store';
import { BACKEND_PREFS, type BackendPref } from './worker/api';
import './ui/styles.css';

const params = new URLSearchParams(location.search);
const b = params.get('backend');
const backend = b && (BACKEND_PREFS as readonly string[]).includes(b) ? (b as BackendPref) : null;
/** A shared link's parameters, read once: the hash leaves the address bar, so a reload never re-opens it. */
function takeShare(): string | null {
  const hash = new URLSearchParams(location.hash.replace(/^#/, ''));
  if (!hash.has('nb')) return null;
  history.replaceState(history.state, '', `${location.pathname}${location.search}`);
  return hash.get('nb');
}
const share = takeShare();
// a link pasted into the address bar of an open lab changes only the hash: open it the same way
window.addEventListener('hashchange', () => {
  const s = takeShare();
  if (s !== null) void openShare(s);
});

// a change made just before a reload or a closed tab is written at once, not after the autosave's short delay
window.addEventListener('pagehide', () => void flushSave());
document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'hidden') void flushSave();
});

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
// "Analyse in the lab" in the listening game: its votes are handed over once (a reload does not open them again)
const fromGame = params.get('from') === 'game';
if (fromGame) {
  params.delete('from');
  const q = params.toString();
  history.replaceState(history.state, '', `${location.pathname}${q ? `?${q}` : ''}${location.hash}`);
}
void (async () => {
  const handoff = fromGame ? await takeHandoff().catch(() => null) : null;
  await boot({ share, backend, game: handoff ? { title: handoff.title, snapshot: handoffSnapshot(handoff) } : null });
  if (fromGame && !handoff)
    notify({
      kind: 'info',
      text: 'The listening game\'s votes were opened already (a reload does not open them twice): press "Analyse in the lab" in the game again for a fresh notebook.',
    });
})();

// Offline once loaded: the built static site registers its service worker (relative URL: any sub-path).
if (import.meta.env.PROD && 'serviceWorker' in navigator) {
  window.addEventListener('load', () => {
    navigator.serviceWorker.register('./sw.js').catch(() => {
      /* unsupported context (e.g. file://): the lab works online as before */
    });
  });
}
