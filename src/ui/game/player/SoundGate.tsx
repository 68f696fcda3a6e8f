/** "Tap to enable sound": browsers start audio only after a gesture; the AudioContext is created / resumed here. */
import { useEffect, useRef } from 'react';
import type { MatchState } from '../../../game';
import { GameAudio } from './audio';
import { enableSound } from './player-store';

/** `onEnable` (default: the offline player's) must run inside the click. */
export function SoundGate({ match, error, onEnable = enableSound }: { match: MatchState | null; error: string | null; onEnable?: () => Promise<void> }) {
  const b = useRef<HTMLButtonElement>(null);
  useEffect(() => b.current?.focus(), []);
  const resuming = match && match.done > 0 && match.phase !== 'finished';
  if (!GameAudio.supported())
    return (
      <section className="game-card" role="alert">
        <h2>No sound in this browser</h2>
        <p>This browser cannot play audio with Web Audio. Try a current Chrome, Firefox, Safari or Edge.</p>
      </section>
    );
  return (
    <section className="game-card sound-gate" aria-labelledby="sound-h" data-testid="sound-gate">
      <h2 id="sound-h">{resuming ? `Welcome back — round ${match.done + 1} of ${match.rounds}` : 'Ready to listen?'}</h2>
      <p>Use headphones if you can, and turn the volume up a little.</p>
      <button ref={b} type="button" className="primary huge" onClick={() => void onEnable()} data-testid="enable-sound">
        <svg className="speaker" viewBox="0 0 24 24" width="28" height="28" aria-hidden="true" focusable="false">
          <path d="M3 9v6h4l5 4V5L7 9H3z" fill="currentColor" />
          <path d="M15.5 8.5a5 5 0 0 1 0 7M18 6a8.5 8.5 0 0 1 0 12" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" />
        </svg>
        Tap to enable sound
      </button>
      {error && (
        <p className="game-error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
