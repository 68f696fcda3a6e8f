import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './ui/App';
import { boot } from './ui/store';
import { BACKEND_PREFS, type BackendPref } from './worker/api';
import './ui/styles.css';

const params = new URLSearchParams(location.search);
const b = params.get('backend');
const backend = b && (BACKEND_PREFS as readonly string[]).includes(b) ? (b as BackendPref) : null;
const hash = new URLSearchParams(location.hash.replace(/^#/, ''));
// a shared link is read once: the hash leaves the address bar, so a reload never re-opens it over the notebook
if (hash.has('nb')) history.replaceState(history.state, '', `${location.pathname}${location.search}`);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
void boot({ share: hash.get('nb'), backend });

// Offline once loaded: the built static site registers its service worker (relative URL: any sub-path).
if (import.meta.env.PROD && 'serviceWorker' in navigator) {
  window.addEventListener('load', () => {
    navigator.serviceWorker.register('./sw.js').catch(() => {
      /* unsupported context (e.g. file://): the lab works online as before */
    });
  });
}
