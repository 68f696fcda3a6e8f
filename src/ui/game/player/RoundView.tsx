/**
 * A round: the three clip tiles, the clock, keys 1/2/3 to pick and space to play the next clip. While the clips
 * load (stage round-loading) the tiles say so and the clock has not started; a clip that fails is named, and the
 * round can be tried again or skipped (no vote is recorded for it).
 */
import { useEffect, useRef } from 'react';
import { deadline, type Index3 } from '../../../game';
import { ClipTile } from './ClipTile';
import { Clock } from './Clock';
import { castVote, playIndex, playNext, prepareRound, skipRound, stopPlaying, usePlayer } from './player-store';

const INDICES: readonly Index3[] = [0, 1, 2];

function isField(t: EventTarget | null): boolean {
  return t instanceof HTMLElement && (t.tagName === 'INPUT' || t.tagName === 'SELECT' || t.tagName === 'TEXTAREA' || t.isContentEditable);
}

/** Keys of a round: 1/2/3 pick, space plays the next clip (and does not also press the focused button). */
function useRoundKeys(active: boolean) {
  useEffect(() => {
    if (!active) return;
    const down = (e: KeyboardEvent) => {
      if (e.repeat || e.altKey || e.ctrlKey || e.metaKey || isField(e.target)) return;
      if (e.key === '1' || e.key === '2' || e.key === '3') {
        e.preventDefault();
        void castVote((Number(e.key) - 1) as Index3);
      } else if (e.key === ' ') {
        e.preventDefault();
        playNext();
      }
    };
    const up = (e: KeyboardEvent) => {
      if (e.key === ' ' && !isField(e.target)) e.preventDefault();
    };
    window.addEventListener('keydown', down);
    window.addEventListener('keyup', up);
    return () => {
      window.removeEventListener('keydown', down);
      window.removeEventListener('keyup', up);
    };
  }, [active]);
}

function LoadProblem() {
  const slots = usePlayer((s) => s.slots);
  const failed = slots.filter((s) => s.status === 'error').length;
  if (!failed) return null;
  return (
    <div className="game-error-box" role="alert" data-testid="load-problem">
      <p>
        {failed === 1 ? 'A clip of this round could not be loaded' : `${failed} clips of this round could not be loaded`} (see the tile). You can try again, or
        skip the round — nothing is recorded for it.
      </p>
      <div className="actions">
        <button type="button" onClick={() => void prepareRound()}>
          Try again
        </button>
        <button type="button" onClick={skipRound} data-testid="skip-round">
          Skip this round
        </button>
      </div>
    </div>
  );
}

export function RoundView() {
  const { stage, settings, match, slots, playing, saving, error } = usePlayer();
  const live = stage === 'round';
  const heading = useRef<HTMLHeadingElement>(null);
  useRoundKeys(live);
  // each round starts with focus on its heading (read out; Tab goes on to clip 1)
  useEffect(() => heading.current?.focus(), []);
  useEffect(() => {
    if (stage === 'round-loading') void prepareRound();
  }, [stage]);
  if (!settings || !match) return null;
  const r = match.current;
  const end = live ? deadline(match, settings) : null;
  return (
    <section className="round" aria-labelledby="round-h" data-testid="round" data-round={match.done} data-stage={stage}>
      <div className="round-head">
        <h2 id="round-h" ref={heading} tabIndex={-1}>
          Round {match.done + 1} of {match.rounds}
        </h2>
        {end !== null && r ? <Clock key={r.startedAt} deadline={end} seconds={settings.voteSeconds} /> : <span className="muted">Loading the clips…</span>}
      </div>
      <p className="round-help" id="round-help">
        Which clip is the odd one out? Play each one (space plays the next), then pick with the button or the keys 1, 2, 3.
      </p>
      <div className="tiles" aria-describedby="round-help">
        {INDICES.map((i) => (
          <ClipTile
            key={i}
            index={i}
            slot={slots[i]}
            playedMs={r?.playMs[i] ?? 0}
            played={r?.playOrder.includes(i) ?? false}
            playing={playing?.index === i ? playing : null}
            disabled={!live || saving}
            onPlay={() => playIndex(i)}
            onStop={stopPlaying}
            onPick={() => void castVote(i)}
          />
        ))}
      </div>
      {stage === 'round-loading' && <LoadProblem />}
      {error && (
        <p className="game-error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
