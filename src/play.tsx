/**
 * The listening game's page (play.html): a separate, light entry (no tfjs, no plotly) so that phones on a
 * workshop's LAN load it fast; it needs no secure-context API (plain HTTP on a LAN address works).
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { GameApp } from './ui/game/GameApp';
import './ui/styles.css';
import './ui/game/game.css';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <GameApp />
  </StrictMode>,
);
