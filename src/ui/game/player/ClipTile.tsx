/** One clip of a round: a big play / stop button (labelled "Clip 1, playing" …), its progress, and the pick button. */
import { useEffect, useState } from 'react';
import type { Index3 } from '../../../game';
import type { ClipSlot } from './player-store';

export interface TileProps {
  readonly index: Index3;
  readonly slot: ClipSlot;
  /** ms played so far in this round */
  readonly playedMs: number;
  /** started at least once in this round */
  readonly played: boolean;
  readonly playing: { since: number; seconds: number } | null;
  readonly disabled: boolean;
  /** the player's pick of this round (a live round waiting for the others) */
  readonly picked?: boolean;
  readonly onPlay: () => void;
  readonly onStop: () => void;
  readonly onPick: () => void;
}

function Progress({ since, seconds }: { since: number; seconds: number }) {
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    let raf = 0;
    const tick = () => {
      setNow(Date.now());
      raf = requestAnimationFrame(tick);
    };
    raf = requestAnimationFrame(tick);
    return () => cancelAnimationFrame(raf);
  }, []);
  const share = Math.min(1, (now - since) / (seconds * 1000));
  return (
    <span className="tile-progress" aria-hidden="true">
      <span className="tile-fill" style={{ width: `${(share * 100).toFixed(1)}%` }} />
    </span>
  );
}

export function ClipTile({ index, slot, playedMs, played, playing, disabled, picked = false, onPlay, onStop, onPick }: TileProps) {
  const n = index + 1;
  const state = slot.status === 'loading' ? 'loading' : slot.status === 'error' ? 'could not load' : playing ? 'playing' : played ? 'played' : 'not played yet';
  const icon = playing ? '■' : played ? '↻' : '▶';
  const action = playing ? 'Stop' : played ? 'Replay' : 'Play';
  return (
    <div
      className={`tile${playing ? ' is-playing' : ''}${picked ? ' is-picked' : ''}`}
      data-testid={`tile-${n}`}
      data-playing={playing ? 'true' : 'false'}
      data-played-ms={playedMs}
    >
      <button
        type="button"
        className="tile-play"
        aria-label={`Clip ${n}, ${state}. ${action}`}
        disabled={disabled || slot.status !== 'ready'}
        onClick={playing ? onStop : onPlay}
      >
        <span className="tile-num">Clip {n}</span>
        <span className="tile-icon" aria-hidden="true">
          {slot.status === 'loading' ? '…' : icon}
        </span>
        <span className="tile-state" aria-hidden="true">
          {state}
        </span>
        {playing && <Progress since={playing.since} seconds={playing.seconds} />}
      </button>
      {slot.status === 'error' && <p className="game-error small">{slot.error}</p>}
      <button
        type="button"
        className="tile-pick"
        aria-label={picked ? `Clip ${n}: your pick` : `Clip ${n} is the odd one out`}
        disabled={disabled || slot.status !== 'ready'}
        onClick={onPick}
      >
        {picked ? 'Your pick' : 'Odd one out'} <kbd>{n}</kbd>
      </button>
    </div>
  );
}
