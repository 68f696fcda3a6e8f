/** A live round: the offline game's tiles and clock, fed from the server's `round` frame (its deadline, your clip order). */
import { useEffect, useRef } from 'react';
import type { Index3 } from '../../../game';
import { ClipTile } from '../player/ClipTile';
import { Clock } from '../player/Clock';
import { liveAnnounce, livePlay, liveStop, liveTimeUp, liveVote, useLive } from './live-store';

const INDICES: readonly Index3[] = [0, 1, 2];

/** Keys 1/2/3 pick, space plays the next clip (as offline). */
function useLiveKeys(active: boolean) {
  useEffect(() => {
    if (!active) return;
    const down = (e: KeyboardEvent) => {
      if (e.repeat || e.altKey || e.ctrlKey || e.metaKey || (e.target instanceof HTMLElement && e.target.tagName === 'INPUT')) return;
      if (e.key === '1' || e.key === '2' || e.key === '3') {
        e.preventDefault();
        void liveVote((Number(e.key) - 1) as Index3);
      } else if (e.key === ' ') {
        e.preventDefault();
        const { playing, playOrder } = useLive.getState();
        const last = playing?.index ?? playOrder[playOrder.length - 1];
        livePlay(last === undefined ? 0 : (((last + 1) % 3) as Index3));
      }
    };
    window.addEventListener('keydown', down);
    return () => window.removeEventListener('keydown', down);
  }, [active]);
}

function RoundStatus() {
  const { round, slots, pending, conn } = useLive();
  if (!round) return null;
  if (slots.some((s) => s.status === 'error'))
    return (
      <p className="game-error" role="alert" data-testid="load-problem">
        A clip could not be loaded from the server. Wait for the next round, or reload the page (you keep your seat).
      </p>
    );
  if (round.pick !== null)
    return (
      <p className="live-wait" data-testid="live-voted" data-pending={pending}>
        {round.pick === 'sent' ? 'Your vote is in.' : `You picked clip ${round.pick + 1}.`} Waiting for the other players…
        {pending > 0 && conn !== 'open' ? ' (it is sent as soon as the connection is back)' : ''}
      </p>
    );
  if (round.timeUp) return <p className="live-wait">Time is up — waiting for the round's result…</p>;
  return null;
}

export function LiveRound() {
  const { round, session, slots, playing, playMs, playOrder, readyAt } = useLive();
  const heading = useRef<HTMLHeadingElement>(null);
  const open = !!round && round.pick === null && !round.timeUp;
  useLiveKeys(open && readyAt !== null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: focus moves to each new round's heading
  useEffect(() => heading.current?.focus(), [round?.round]);
  if (!round || !session) return null;
  return (
    <section className="round" aria-labelledby="round-h" data-testid="round" data-live="true" data-round={round.round} data-clips={round.clips.join(' ')}>
      <div className="round-head">
        <h2 id="round-h" ref={heading} tabIndex={-1}>
          Round {round.round + 1} of {round.rounds}
        </h2>
        <Clock key={`${round.match}:${round.round}`} deadline={round.deadline} seconds={session.voteSeconds} onEnd={liveTimeUp} onSay={liveAnnounce} />
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
            playedMs={playMs[i]}
            played={playOrder.includes(i)}
            playing={playing?.index === i ? playing : null}
            disabled={!open}
            picked={round.pick === i}
            onPlay={() => livePlay(i)}
            onStop={liveStop}
            onPick={() => void liveVote(i)}
          />
        ))}
      </div>
      <RoundStatus />
    </section>
  );
}
