/**
 * The Data cell's "Workshop: live votes" source (issue 15; the pure parts and the socket: ../workshop-source.ts):
 * the host token (the organiser panel's, from this tab's sessionStorage, or typed here), "Fetch new votes and run
 * all", an auto-refresh every N seconds (off by default; never while a run is going), when the votes were
 * fetched and how many. The votes go into the cell through loadDataFiles, so the set checks and undo apply.
 */
import { type FormEvent, useEffect, useId, useState } from 'react';
import { create } from 'zustand';
import type { FileText } from '../data';
import { featuresOf, listClipSets } from '../game/organiser/clip-sets';
import { storedToken, storeToken, workshopInfo } from '../game/organiser/live-host';
import { loadDataFiles, runAll, setDataSource, useLab } from '../store';
import { countsLine, fetchWorkshop, mayAutoRefresh, sameFiles, type WorkshopCounts, WorkshopError } from '../workshop-source';

type Info = Awaited<ReturnType<typeof workshopInfo>>;

interface CellState {
  readonly fetching?: boolean;
  readonly last?: { at: number; session: string; counts: WorkshopCounts; changed: boolean };
  readonly error?: string;
  readonly auto?: number;
  /** fetch as soon as the server and the token are known (the source was just chosen, or a token typed) */
  readonly pending?: boolean;
}

interface WorkshopState {
  /** whether this page is served by a workshop server (undefined: not asked yet) */
  info: Info | undefined;
  token: string;
  refused: boolean;
  cells: Record<string, CellState>;
}

const useWorkshop = create<WorkshopState>(() => ({ info: undefined, token: storedToken(), refused: false, cells: {} }));
const patch = (id: string, p: Partial<CellState>) => useWorkshop.setState((s) => ({ cells: { ...s.cells, [id]: { ...s.cells[id], ...p } } }));

let asked: Promise<Info> | null = null;
/** GET /api/info once per page (again after a failure, so a server started later is found). */
export function useWorkshopInfo(): Info | undefined {
  const info = useWorkshop((s) => s.info);
  useEffect(() => {
    if (info !== undefined || asked) return;
    asked = workshopInfo().then((i) => {
      useWorkshop.setState({ info: i });
      if (!i) asked = null;
      return i;
    });
  }, [info]);
  return info;
}

async function featuresFor(clipSetId: string): Promise<FileText> {
  const set = (await listClipSets()).find((c) => c.id === clipSetId && c.kind === 'bundled');
  if (!set)
    throw new WorkshopError(
      'no-features',
      `the session's clips ("${clipSetId}") are not a bundled clip set, so the lab has no features for them: export the lab CSV on the organiser's page and load it with the clips' features as your own files`,
    );
  const f = await featuresOf(set);
  return { name: f.name, text: f.text };
}

/** Fetches the session's votes into the cell; `run`: then runs the notebook (always when asked, else only on new votes). */
export async function fetchIntoCell(cellId: string, run: 'always' | 'if-new' | 'never'): Promise<void> {
  const { token, cells } = useWorkshop.getState();
  if (!token || cells[cellId]?.fetching || useLab.getState().busy) return;
  patch(cellId, { fetching: true, error: undefined, pending: false });
  try {
    const f = await fetchWorkshop(token, featuresFor);
    const lab = useLab.getState();
    const cell = lab.cells.find((c) => c.id === cellId);
    if (cell?.kind !== 'data' || cell.params.source !== 'workshop' || lab.busy) return;
    const changed = !sameFiles(lab.data[cellId]?.files, f.items);
    if (changed) loadDataFiles(cellId, f.items);
    patch(cellId, { last: { at: f.at, session: f.session, counts: f.counts, changed } });
    if (run === 'always' || (run === 'if-new' && changed)) await runAll();
  } catch (e) {
    const err = e as Error;
    if (e instanceof WorkshopError && e.code === 'forbidden') {
      storeToken('');
      useWorkshop.setState({ token: '', refused: true });
    }
    const gone = e instanceof WorkshopError && (e.code === 'unreachable' || e.code === 'timeout');
    patch(cellId, {
      error: gone
        ? `The workshop server does not answer${e.code === 'timeout' ? ' in time' : ''}. The data already loaded stays; try again when the server runs.`
        : `Could not fetch the votes: ${err.message}.`,
    });
  } finally {
    patch(cellId, { fetching: false });
  }
}

/** Choosing the source in the Data cell's menu: an empty workshop set (WorkshopSource fetches when the token is known). */
export function chooseWorkshop(cellId: string): void {
  setDataSource(cellId, 'workshop');
  patch(cellId, { pending: true, error: undefined });
}

/** The menu entry: "Workshop: live votes (session …)", or why it cannot fetch here. */
export function workshopLabel(info: Info | undefined): string {
  if (info) return `Workshop: live votes (session ${info.session})`;
  return info === null ? 'Workshop: live votes (no workshop server at this address)' : 'Workshop: live votes';
}

function TokenField({ cellId }: { cellId: string }) {
  const id = useId();
  const [t, setT] = useState('');
  const refused = useWorkshop((s) => s.refused);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const v = t.trim();
    if (!v) return;
    storeToken(v);
    useWorkshop.setState({ token: v, refused: false });
    patch(cellId, { pending: true, error: undefined });
  };
  return (
    <form className="row" onSubmit={submit} data-testid="workshop-token-form">
      <div className="field">
        <label htmlFor={id}>Host token (printed by the server at start; kept in this tab only)</label>
        <input id={id} value={t} onChange={(e) => setT(e.target.value)} autoComplete="off" spellCheck={false} data-testid="workshop-token" />
      </div>
      <button type="submit" className="primary">
        Use the token
      </button>
      {refused && (
        <p className="notice error" role="alert">
          The server refused that token. Copy it again from the terminal where the server runs.
        </p>
      )}
    </form>
  );
}

const AUTO_CHOICES = [0, 10, 30, 60, 120];

function AutoRefresh({ cellId }: { cellId: string }) {
  const id = useId();
  const seconds = useWorkshop((s) => s.cells[cellId]?.auto ?? 0);
  useEffect(() => {
    if (!seconds) return;
    const t = setInterval(() => {
      const { cells } = useWorkshop.getState();
      if (mayAutoRefresh(seconds, useLab.getState().busy, !!cells[cellId]?.fetching)) void fetchIntoCell(cellId, 'if-new');
    }, seconds * 1000);
    return () => clearInterval(t);
  }, [cellId, seconds]);
  return (
    <div className="field">
      <label htmlFor={id}>Auto-refresh (fetch, and run all on new votes)</label>
      <select id={id} value={seconds} onChange={(e) => patch(cellId, { auto: Number(e.target.value) })} data-testid="workshop-auto">
        {AUTO_CHOICES.map((s) => (
          <option key={s} value={s}>
            {s ? `every ${s} s while this page is open` : 'off'}
          </option>
        ))}
      </select>
    </div>
  );
}

const clock = (ms: number) => new Date(ms).toLocaleTimeString();

/** The cell's workshop controls (shown while its source is the workshop). */
export function WorkshopSource({ cellId, hasData }: { cellId: string; hasData: boolean }) {
  const info = useWorkshopInfo();
  const token = useWorkshop((s) => s.token);
  const st = useWorkshop((s) => s.cells[cellId]) ?? {};
  const busy = useLab((s) => s.busy);
  // the source just chosen or a token just typed: fetch once (a reloaded notebook keeps its votes until asked)
  useEffect(() => {
    if (info && token && st.pending && !st.fetching) void fetchIntoCell(cellId, 'never');
  }, [info, token, cellId, st.pending, st.fetching]);
  if (info === undefined) return <p className="muted">Looking for the workshop server…</p>;
  if (info === null)
    return (
      <p className="notice info" role="status" data-testid="workshop-absent">
        This Data cell reads the votes of a live workshop, but no workshop server answers at this address (open the lab from the server, e.g.{' '}
        <code>http://127.0.0.1:8080/</code>).{' '}
        {hasData ? 'The votes fetched last (saved with the notebook) are shown below and can be analysed.' : 'No votes were fetched into this notebook.'}
      </p>
    );
  return (
    <div className="workshop-source" data-testid="workshop-source">
      <p className="hint">
        Session <code>{info.session}</code> ({info.state}) on this server. The votes are read over the server's protocol with the organiser's host token; catch
        trials, timeouts and players flagged by catch trials are left out, as in “Analyse in the lab”.
      </p>
      {!token ? (
        <TokenField cellId={cellId} />
      ) : (
        <div className="row">
          <button
            type="button"
            className="primary"
            disabled={busy || st.fetching}
            onClick={() => void fetchIntoCell(cellId, 'always')}
            data-testid="workshop-fetch-run"
          >
            Fetch new votes and run all
          </button>
          <button type="button" disabled={busy || st.fetching} onClick={() => void fetchIntoCell(cellId, 'never')} data-testid="workshop-fetch">
            Fetch only
          </button>
          <AutoRefresh cellId={cellId} />
          <button
            type="button"
            onClick={() => {
              storeToken('');
              useWorkshop.setState({ token: '', refused: false });
            }}
          >
            Forget the token
          </button>
        </div>
      )}
      {st.fetching && <p className="muted">Fetching the votes…</p>}
      {st.last && (
        <p className="hint" data-testid="workshop-fetched" data-votes={st.last.counts.votes} data-players={st.last.counts.players}>
          Fetched at {clock(st.last.at)} (session <code>{st.last.session}</code>){st.last.changed ? '' : ', no new votes since the last fetch'}:{' '}
          {countsLine(st.last.counts)}
        </p>
      )}
      {!st.last && hasData && <p className="hint">The votes shown were fetched earlier (saved with the notebook): fetch again for the newest.</p>}
      {st.error && (
        <p className="notice error" role="alert" data-testid="workshop-error">
          {st.error}
        </p>
      )}
    </div>
  );
}
