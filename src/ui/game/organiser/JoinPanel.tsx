/**
 * Many devices, no server: the join link (text, Copy, QR code sized for a projector) and what players do.
 * The address phones open can be edited (the organiser's page may be on localhost while phones need the
 * computer's LAN address).
 */
import { useId, useMemo, useState } from 'react';
import type { SessionSettings } from '../../../game';
import { isBundledClipSet } from './clip-sets';
import { addressWarning, gamePageAddress, joinLink } from './join-link';
import { QrCode, QrFullScreen } from './QrCode';

/** Copy text: the Clipboard API where the page may use it, else a selected textarea and execCommand. */
export async function copyText(text: string): Promise<boolean> {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    /* fall through */
  }
  const ta = document.createElement('textarea');
  ta.value = text;
  ta.style.position = 'fixed';
  ta.style.opacity = '0';
  document.body.appendChild(ta);
  ta.select();
  const ok = document.execCommand('copy');
  ta.remove();
  return ok;
}

/** An own-audio session: its clips are only in this browser, so a join link cannot serve them (no QR code then). */
function OwnAudioJoin({ session }: { session: SessionSettings }) {
  return (
    <section className="org-section" aria-labelledby="join-h" data-testid="join-panel">
      <h2 id="join-h">2. Players join</h2>
      <div className="notice info" role="note" data-testid="own-audio-join">
        <p>
          <strong>No join link for your own audio without a server.</strong> This session plays audio that exists only in this browser (the lab's clip store):
          other devices opening a join link could not load the clips. A later version will serve the clips from a workshop server.
        </p>
        <p>
          Play on this device instead: players take turns, each with their own questionnaire, and their votes are collected here directly. Or choose a bundled
          clip set above for phones to join.
        </p>
        <a className="button primary" href="#play" data-testid="own-audio-play-here">
          Play “{session.name}” on this device
        </a>
      </div>
    </section>
  );
}

export function JoinPanel({ session }: { session: SessionSettings }) {
  if (!isBundledClipSet(session.clipSetId)) return <OwnAudioJoin session={session} />;
  return <BundledJoin session={session} />;
}

function BundledJoin({ session }: { session: SessionSettings }) {
  const id = useId();
  const [address, setAddress] = useState(() => gamePageAddress(location.href));
  const [copied, setCopied] = useState<string | null>(null);
  const [full, setFull] = useState(false);
  const link = useMemo(() => joinLink(session, address.trim()), [session, address]);
  const warning = addressWarning(address.trim());
  return (
    <section className="org-section" aria-labelledby="join-h" data-testid="join-panel">
      <h2 id="join-h">2. Players join</h2>
      <div className="join-grid">
        <div className="join-qr">
          <QrCode text={link} size={320} label={`QR code of the join link for ${session.name}`} testId="join-qr" />
          <button type="button" className="primary" onClick={() => setFull(true)} data-testid="qr-fullscreen">
            Show full screen (projector)
          </button>
        </div>
        <div className="join-text">
          <ol className="steps">
            <li>Players scan the code with their phone's camera (or open the link). Nothing to install; no account.</li>
            <li>Each phone plays on its own: consent, the short questionnaire, then {session.roundsPerMatch} rounds. Votes stay on the phone.</li>
            <li>At the end each phone shows its votes as a QR code and a file: scan them below ("3. Votes come back"), or collect the files.</li>
          </ol>
          <div className="field">
            <label htmlFor={id}>Address phones open</label>
            <input id={id} value={address} onChange={(e) => setAddress(e.target.value)} data-testid="join-address" />
            {warning && (
              <span className="field-error" role="status" data-testid="address-warning">
                {warning}
              </span>
            )}
          </div>
          <p className="join-link" data-testid="join-link">
            {link}
          </p>
          <button
            type="button"
            onClick={() => void copyText(link).then((ok) => setCopied(ok ? 'Link copied.' : 'Could not copy: select the link and copy it.'))}
            data-testid="copy-link"
          >
            Copy the link
          </button>{' '}
          <span role="status">{copied}</span>
          <p className="hint">
            The link holds the settings ({link.length} characters). Phones load the page and the clips from this address; their votes stay on each phone until
            handed back.
          </p>
        </div>
      </div>
      {full && <QrFullScreen text={link} label={`Join ${session.name}`} caption={`Scan to join “${session.name}”`} onClose={() => setFull(false)} />}
    </section>
  );
}
