/** #join=<session string>: a device joining a session shared by link or QR code (bundled clip sets' ids supplied here). */
import { useEffect, useState } from 'react';
import { decodeSession, type SessionSettings } from '../../../game';
import { bundledClipIds } from '../clip-source';
import { loadCurrent, saveCurrent, saveSession } from '../db';
import { clipSetLabel, settingsLine } from './labels';

export function JoinView({ text }: { text: string }) {
  const [session, setSession] = useState<SessionSettings | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    bundledClipIds()
      .then((ids) => decodeSession(text, (id) => ids.get(id)))
      .then((s) => live && setSession(s))
      .catch((e: unknown) => live && setError(e instanceof Error ? e.message : String(e)));
    return () => {
      live = false;
    };
  }, [text]);

  const join = async () => {
    if (!session) return;
    try {
      await saveSession(session);
      const c = await loadCurrent();
      // the same session again (a reload of the link): keep whose turn it is
      if (c?.session !== session.id) await saveCurrent({ session: session.id, player: null });
      location.replace('#play');
    } catch (e) {
      setError(`The session could not be stored on this device: ${e instanceof Error ? e.message : String(e)}`);
    }
  };

  if (error)
    return (
      <section className="game-card" data-testid="join-error">
        <h2>This join link does not work</h2>
        <p className="game-error" role="alert">
          {error}
        </p>
        <p>
          Ask the organiser for the link or QR code again, or <a href="#home">play on this device</a>.
        </p>
      </section>
    );
  if (!session) return <p aria-live="polite">Reading the session…</p>;
  return (
    <section className="game-card" aria-labelledby="join-h" data-testid="join">
      <h2 id="join-h">Join “{session.name}”</h2>
      <p>
        Clip set: {clipSetLabel(session.clipSetId)}
        <br />
        <span className="muted">{settingsLine(session)}</span>
      </p>
      <p>Your votes stay on this device until you send them to the organiser.</p>
      <button type="button" className="primary big" onClick={join} data-testid="join-go">
        Join and play
      </button>
    </section>
  );
}
