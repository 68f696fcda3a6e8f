/** After a round: the pick, the points at the table (AI players filling empty seats said so), the match's running total. */
import { useEffect, useRef } from 'react';
import { AGREEMENT_POINTS } from '../../../game';
import { plural } from './labels';
import { type LastResult, nextRound } from './player-store';

function explain({ vote, score }: LastResult): string {
  if (vote.catch) {
    if (vote.timeout) return 'This was a check round: two of the clips were the same. Time ran out, so no points.';
    return score.catchPassed
      ? 'This was a check round: two of the clips were the same, and you picked the different one.'
      : 'This was a check round: two of the clips were the same, and the different one was another clip.';
  }
  if (vote.timeout) return 'Time ran out before a pick, so this round scores nothing. It is recorded as a timeout.';
  const others = score.humans.length + score.ai.length;
  const same = score.agreeing === 0 ? 'nobody else' : `${score.agreeing} of them`;
  return `${plural(others, 'other player')} at the table; ${same} picked the same clip as you (${AGREEMENT_POINTS} points each).`;
}

export function RoundResult({ result, last }: { result: LastResult; last: boolean }) {
  const next = useRef<HTMLButtonElement>(null);
  useEffect(() => next.current?.focus(), []);
  const { vote, score } = result;
  const ai = score.ai.length;
  return (
    <section className="game-card result" aria-labelledby="result-h" data-testid="result" data-timeout={vote.timeout} data-points={score.points}>
      <div>
        <h2 id="result-h">
          {vote.timeout ? 'Time is up' : `You picked clip ${(vote.choice ?? 0) + 1}`} —{' '}
          <span className={score.points > 0 ? 'points' : 'points none'}>+{score.points} points</span>
        </h2>
        <p>{explain(result)}</p>
        {ai > 0 && !vote.catch && (
          <p className="muted">
            {ai === 1 ? 'An AI player filled an empty seat' : `${ai} AI players filled empty seats`}: they replay earlier votes on these clips (or pick at
            random when there are none yet).
          </p>
        )}
        <p className="total">
          Total this match: <strong data-testid="match-total">{result.matchTotal}</strong> points
        </p>
      </div>
      <button ref={next} type="button" className="primary big" onClick={nextRound} data-testid="next-round">
        {last ? 'See the results' : 'Next round'}
      </button>
    </section>
  );
}
