/**
 * The listening game's page (play.html): a separate, light entry (no tfjs, no plotly) so that phones on a
 * workshop's LAN load it fast; it needs no secure-context API (plain HTTP on a LAN address works).
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { GameApp } from './ui/game/GameApp';
import { registerOwnAudio } from './ui/game/own-audio';
import './ui/styles.css';
import './ui/game/game.css';

// "Your audio from the lab": the lab's saved notebook's audio sets, played from its clip store (this browser only)
registerOwnAudio();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <GameApp />
  </StrictMode>,
);

// Offline once visited (as the lab, src/main.tsx): the built site's service worker, scoped to the site's folder.
// Phones on a plain-HTTP workshop address get none (service workers need https or localhost) and play online.
if (import.meta.env.PROD && 'serviceWorker' in navigator) {
  window.addEventListener('load', () => {
    navigator.serviceWorker.register('./sw.js').catch(() => {
      /* unsupported context: the game works online as before */
    });
  });
}
