/**
 * The player device's side of "votes come back" (shown at the end of a match): this device's votes of the
 * session as a file and as QR codes (encodeVotes) for the organiser to scan. Votes that do not fit one code
 * are split into numbered codes (each imports on its own; a code read twice is ignored); beyond MAX_CODES the
 * file is the way. Props: the session and this device's votes and players of it.
 */
import { useMemo, useState } from 'react';
import type { Player, SessionSettings, VoteRecord } from '../../../game';
import { votesToJson } from '../../../game';
import { download } from '../../components/common';
import { copyText } from './JoinPanel';
import { QrCode, QrFullScreen } from './QrCode';
import { exportName } from './setup-form';
import { MAX_CODES, votesToCodes } from './vote-chunks';

export interface SendVotesProps {
  readonly session: SessionSettings;
  readonly votes: readonly VoteRecord[];
  readonly players: readonly Player[];
}

export function SendVotes({ session, votes, players }: SendVotesProps) {
  const mine = useMemo(() => votes.filter((v) => v.session === session.id), [votes, session.id]);
  const who = useMemo(() => players.filter((p) => p.session === session.id), [players, session.id]);
  const codes = useMemo(() => {
    try {
      return votesToCodes(session.id, mine, who);
    } catch {
      return [];
    }
  }, [session.id, mine, who]);
  const [k, setK] = useState(0);
  const [full, setFull] = useState(false);
  const [copied, setCopied] = useState<string | null>(null);
  const i = Math.min(k, codes.length - 1);
  const tooMany = codes.length === 0 || codes.length > MAX_CODES;
  const file = () =>
    download(exportName(session.name, new Date(), `votes-${randomSuffix(who, mine)}.json`), votesToJson(session.id, mine, who), 'application/json');
  const label = codes.length > 1 ? `Votes code ${i + 1} of ${codes.length}` : 'Votes code';
  return (
    <section className="send-votes" aria-labelledby="send-h" data-testid="send-votes">
      <h2 id="send-h">Send your votes to the organiser</h2>
      <p>
        {mine.length} vote{mine.length === 1 ? '' : 's'} of {who.length} player{who.length === 1 ? '' : 's'} on this device. The organiser scans the code
        {codes.length > 1 ? 's' : ''} or collects the file; nothing leaves this device otherwise.
      </p>
      {tooMany ? (
        <p className="notice info" data-testid="send-use-file">
          Too many votes for QR codes ({codes.length > 0 ? `${codes.length} codes` : 'they do not fit'}): send the file instead.
        </p>
      ) : (
        <div className="send-qr">
          <QrCode text={codes[i]} size={360} label={label} testId="votes-qr" />
          {codes.length > 1 && (
            <div className="row send-nav">
              <button type="button" disabled={i === 0} onClick={() => setK(i - 1)}>
                Previous code
              </button>
              <strong data-testid="votes-qr-index">
                Code {i + 1} of {codes.length}
              </strong>
              <button type="button" className="primary" disabled={i === codes.length - 1} onClick={() => setK(i + 1)} data-testid="votes-qr-next">
                Next code
              </button>
            </div>
          )}
          <div className="row">
            <button type="button" onClick={() => setFull(true)}>
              Show larger
            </button>
            <button type="button" onClick={() => void copyText(codes.join('\n')).then((ok) => setCopied(ok ? 'Code text copied.' : 'Could not copy.'))}>
              Copy the code text
            </button>
            <span role="status">{copied}</span>
          </div>
        </div>
      )}
      <button type="button" className={tooMany ? 'primary' : ''} onClick={file} data-testid="send-votes-file">
        Save the votes as a file
      </button>
      {full && !tooMany && <QrFullScreen text={codes[i]} label={label} caption={label} onClose={() => setFull(false)} />}
    </section>
  );
}

/** A short tag for the file name so files of several devices do not overwrite each other. */
function randomSuffix(players: readonly Player[], votes: readonly VoteRecord[]): string {
  const id = players[0]?.id ?? votes[0]?.player ?? 'device';
  return id.replace(/[^a-z0-9]/gi, '').slice(0, 6) || 'device';
}
