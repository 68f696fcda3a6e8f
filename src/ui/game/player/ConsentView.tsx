/** Before a player's first match: what is recorded and where it goes. */
import { useEffect, useRef } from 'react';
import type { SessionSettings } from '../../../game';
import { giveConsent } from './player-store';

/** `onAgree` (default: the offline player's consent); `live`: the votes go to the organiser's workshop server. */
export function ConsentView({
  settings,
  onAgree = giveConsent,
  live = false,
}: {
  settings: Pick<SessionSettings, 'roundsPerMatch'>;
  onAgree?: () => void;
  live?: boolean;
}) {
  const h = useRef<HTMLHeadingElement>(null);
  useEffect(() => h.current?.focus(), []);
  return (
    <section className="game-card" aria-labelledby="consent-h" data-testid="consent">
      <h2 id="consent-h" ref={h} tabIndex={-1}>
        Before you play
      </h2>
      <p>In each of {settings.roundsPerMatch} rounds you hear three short clips and pick the odd one out. This device records, for every round:</p>
      <ul>
        <li>which clips you heard, which one you picked (or that time ran out), how long you took, and how long you played each clip;</li>
        <li>your answers to a short questionnaire, if you choose to answer it (every question can be skipped or answered “rather not say”).</li>
      </ul>
      <p>
        You get a random <strong>anonymous id</strong>; your name is never asked.{' '}
        {live
          ? "Your votes and answers are sent to the organiser's workshop server (on this room's network) to study how groups of people hear similarity; other players see your picks only as a seat number."
          : 'Nothing leaves this device unless the organiser exports the votes (as a file or a QR code) to study how groups of people hear similarity.'}
      </p>
      <div className="actions">
        <button type="button" className="primary big" onClick={onAgree} data-testid="consent-yes">
          I agree — continue
        </button>
        <a className="button big" href="#home">
          No thanks
        </a>
      </div>
    </section>
  );
}
