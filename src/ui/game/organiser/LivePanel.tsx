/**
 * "Live workshop" on the organiser's page when play.html is served by `similarity-lab workshop`: the host token,
 * live stats (players online, votes per triplet, catch-trial failures, leaderboard, tables), stop / start a
 * session, exports in the game's formats, a backup of the SQLite file, and "Analyse in the lab" with the
 * server's votes (export votes-json → the same handoff as the devices' votes).
 */
import { type FormEvent, useEffect, useId, useState } from 'react';
import { type ExportFormatName, liveAnalyse, saveExport } from './live-analyse';
import { type Host, type LiveStats, storedToken, storeToken, useHost, workshopInfo } from './live-host';
import { QrCode } from './QrCode';
import { RankTable } from '../RankTable';

const short = (id: string) => (id.length > 14 ? `${id.slice(0, 12)}…` : id);

function TokenForm({ onToken, wrong }: { onToken: (t: string) => void; wrong: boolean }) {
  const id = useId();
  const [t, setT] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (t.trim()) onToken(t.trim());
  };
  return (
    <form onSubmit={submit} className="row" data-testid="host-token-form">
      <div className="field">
        <label htmlFor={id}>Host token (printed by the server at start)</label>
        <input id={id} value={t} onChange={(e) => setT(e.target.value)} autoComplete="off" spellCheck={false} data-testid="host-token" />
      </div>
      <button type="submit" className="primary">
        Connect
      </button>
      {wrong && (
        <p className="notice error" role="alert">
          The server refused that token. Copy it again from the terminal where the server runs.
        </p>
      )}
    </form>
  );
}

function Numbers({ s }: { s: LiveStats }) {
  return (
    <p data-testid="live-numbers" data-online={s.online} data-players={s.players} data-votes={s.votes}>
      Session <strong>{s.session.name}</strong> (<code>{s.session.id}</code>, {s.session.clipSetId}) is{' '}
      <strong data-testid="live-state">{s.session.state}</strong>: {s.online} online, {s.players} players, {s.votes} votes, {s.queue} waiting,{' '}
      {s.matches.length} tables playing.
    </p>
  );
}

function Tables({ s }: { s: LiveStats }) {
  const triplets = Object.entries(s.perTriplet).sort((a, b) => b[1].votes - a[1].votes);
  return (
    <div className="live-tables">
      <div>
        <h3>Leaderboard</h3>
        <RankTable
          rows={s.leaderboard}
          testId="live-org-leaderboard"
          rowProps={(r) => ({ 'data-player': r.player, 'data-rounds': r.rounds })}
          playerCell={(r) => <td title={r.player}>{short(r.player)}</td>}
        />
      </div>
      <div>
        <h3>Votes per triplet</h3>
        <table className="leaderboard" data-testid="live-triplets">
          <thead>
            <tr>
              <th scope="col">Triplet</th>
              <th scope="col">Votes</th>
              <th scope="col">Timeouts</th>
            </tr>
          </thead>
          <tbody>
            {triplets.slice(0, 30).map(([t, n]) => (
              <tr key={t}>
                <td title={t}>{short(t)}</td>
                <td>{n.votes}</td>
                <td>{n.timeouts}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {triplets.length > 30 && <p className="hint">…and {triplets.length - 30} more triplets.</p>}
      </div>
      <div>
        <h3>Catch-trial failures</h3>
        {s.catchFailures.length === 0 ? (
          <p className="hint">None so far.</p>
        ) : (
          <ul data-testid="live-catch">
            {s.catchFailures.map((c) => (
              <li key={c.player}>
                {short(c.player)}: {c.failed} failed, {c.passed} passed{c.flagged ? ' — flagged (left out of the analysis)' : ''}
              </li>
            ))}
          </ul>
        )}
      </div>
    </div>
  );
}

function Actions({ host, s }: { host: Host; s: LiveStats }) {
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState<string | null>(null);
  const [format, setFormat] = useState<ExportFormatName>('lab');
  const run = async (what: () => Promise<string | null>) => {
    setBusy(true);
    try {
      setNote(await what());
    } catch (e) {
      setNote(`Failed: ${(e as Error).message}`);
    }
    setBusy(false);
  };
  return (
    <>
      <div className="row exports">
        <button
          type="button"
          className="primary"
          disabled={busy || s.votes === 0}
          onClick={() => void run(() => liveAnalyse(host, s))}
          data-testid="live-analyse"
        >
          Analyse in the lab
        </button>
        <select value={format} onChange={(e) => setFormat(e.target.value as ExportFormatName)} aria-label="Export format" data-testid="live-export-format">
          <option value="lab">lab votes + users CSV</option>
          <option value="jspsych-csv">jsPsych table (CSV)</option>
          <option value="jspsych-json">jsPsych table (JSON)</option>
          <option value="counts">per-triplet counts</option>
          <option value="votes-json">all votes as one votes file</option>
        </select>
        <button type="button" disabled={busy} onClick={() => void run(() => saveExport(host, format, s.session.name))} data-testid="live-export">
          Export
        </button>
        <button
          type="button"
          disabled={busy}
          onClick={() => void run(async () => `Backup written on the server: ${(await host.ask('backup')).path}`)}
          data-testid="live-backup"
        >
          Back up the database
        </button>
        {s.session.state === 'running' ? (
          <button
            type="button"
            disabled={busy}
            onClick={() =>
              void run(async () => {
                await host.ask('stop');
                return 'Stopped: no new matches; running matches play on.';
              })
            }
            data-testid="live-stop"
          >
            Stop the session
          </button>
        ) : (
          <button
            type="button"
            disabled={busy}
            onClick={() =>
              void run(async () => {
                await host.ask('start');
                return 'A new session started (new seed, same clips). Players open the new join link.';
              })
            }
            data-testid="live-start"
          >
            Start a new session
          </button>
        )}
      </div>
      {note && (
        <p className="hint" role="status" data-testid="live-note">
          {note}
        </p>
      )}
    </>
  );
}

/** The join URLs the server prints (GET /api/info), the first as a QR code; read again when the session changes. */
function JoinLinks({ session }: { session: string }) {
  const [urls, setUrls] = useState<string[]>([]);
  useEffect(() => {
    if (session) void workshopInfo().then((i) => setUrls(i?.join ?? []));
  }, [session]);
  if (!urls.length) return null;
  const loopback = urls.every((u) => /\/\/(127\.|localhost|\[::1\])/.test(u));
  return (
    <div className="row" data-testid="live-join-links">
      <QrCode text={urls[0]} size={180} label="QR code of the join link" />
      <div>
        <h3>Players join at</h3>
        <ul>
          {urls.map((u) => (
            <li key={u}>
              <code>{u}</code>
            </li>
          ))}
        </ul>
        {loopback && <p className="hint">Only this machine can reach these: start the server with --lan (or --host &lt;LAN address&gt;) for phones.</p>}
      </div>
    </div>
  );
}

function Connected({ token, onForbidden }: { token: string; onForbidden: () => void }) {
  const host = useHost(token, onForbidden);
  const s = host.stats;
  return (
    <>
      {host.conn !== 'open' && <p className="hint">{host.conn === 'connecting' ? 'Connecting…' : 'Connection lost — reconnecting…'}</p>}
      {host.error && (
        <p className="notice error" role="alert">
          {host.error}
        </p>
      )}
      {s ? (
        <>
          <Numbers s={s} />
          <JoinLinks session={s.session.id} />
          <Actions host={host} s={s} />
          <Tables s={s} />
        </>
      ) : (
        <p className="hint">Waiting for the server's numbers…</p>
      )}
    </>
  );
}

export function LivePanel() {
  const [token, setToken] = useState(storedToken);
  const [wrong, setWrong] = useState(false);
  const set = (t: string) => {
    storeToken(t);
    setWrong(false);
    setToken(t);
  };
  return (
    <section className="org-section" aria-labelledby="live-h" data-testid="live-panel">
      <h2 id="live-h">Live workshop</h2>
      <p className="hint">
        This page is served by the workshop server: players join with the link it printed, and their votes land in its database. Phones open it over plain HTTP
        on a LAN address, which is not a secure context (no WebGPU, no service worker): the game works there, but the lab's training runs on this machine — open
        the lab here, on <code>http://127.0.0.1:…</code> (localhost).
      </p>
      {token ? (
        <>
          <Connected
            token={token}
            onForbidden={() => {
              set('');
              setWrong(true);
            }}
          />
          <button type="button" className="link" onClick={() => set('')}>
            Forget the host token
          </button>
        </>
      ) : (
        <TokenForm onToken={set} wrong={wrong} />
      )}
    </section>
  );
}
