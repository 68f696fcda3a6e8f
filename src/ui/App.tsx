/** The lab page: header (backend, notebook actions), notices, the notebook's cells, footer with credits. */
import { useEffect, useId, useRef, useState } from 'react';
import { BACKEND_LABELS, PICKABLE_BACKENDS, type BackendPref } from '../worker/api';
import { CELL_KINDS, CELL_KIND_IDS, type Cell, type CellKind } from './kinds';
import { encodeShare, type PresetNotebookId } from './model';
import { backendLine } from './backend-line';
import { notebookToJson, notebookToZip, parseNotebookFile } from './notebook-file';
import {
  addCell,
  currentSnapshot,
  dismissNotice,
  dismissPrevious,
  dismissRestored,
  eraseAll,
  newNotebook,
  holdsResults,
  problemsNotice,
  replaceNotebook,
  restorePrevious,
  runAll,
  setBackendPref,
  useLab,
} from './store';
import { saveBackendPref } from './persist';
import { download, ErrorBox } from './components/common';
import { CellBoundary } from './components/CellBoundary';
import { CELL_VIEWS, type CellViewProps } from './cells';

function CellView({ cell, index, count }: { cell: Cell; index: number; count: number }) {
  const View = CELL_VIEWS[cell.kind] as React.ComponentType<CellViewProps<CellKind>>;
  return (
    <CellBoundary
      title={`${index + 1}. ${cell.title || CELL_KINDS[cell.kind].label}`}
      onDropResult={() => useLab.setState((s) => ({ runs: { ...s.runs, [cell.id]: {} } }))}
    >
      <View cell={cell} index={index} count={count} />
    </CellBoundary>
  );
}

function BackendPicker() {
  const id = useId();
  const pref = useLab((s) => s.backendPref);
  const err = useLab((s) => s.backendError);
  const busy = useLab((s) => s.busy);
  return (
    <div className="backend">
      <div className="field">
        <label htmlFor={id}>Compute backend</label>
        <select
          id={id}
          value={pref}
          disabled={busy}
          onChange={(e) => {
            const p = e.target.value as BackendPref;
            void saveBackendPref(p).catch(() => {});
            void setBackendPref(p).catch(() => {});
          }}
          data-testid="backend-select"
        >
          {PICKABLE_BACKENDS.map((b) => (
            <option key={b} value={b}>
              {BACKEND_LABELS[b]}
            </option>
          ))}
        </select>
      </div>
      <BackendSentence />
      {err && <ErrorBox error={err} title="The backend could not start:" />}
    </div>
  );
}

/** One plain sentence: what computes, and why when it is not what was chosen (details on demand). */
function BackendSentence() {
  const pref = useLab((s) => s.backendPref);
  const backend = useLab((s) => s.backend);
  const err = useLab((s) => s.backendError);
  const line = backend ? backendLine(pref, backend) : null;
  return (
    <div className="active-backend" aria-live="polite" data-testid="backend-line" data-tone={line?.tone ?? ''}>
      <span hidden data-testid="active-backend" data-backend={backend?.info.id ?? ''} />
      {line ? (
        <span className={line.tone === 'warn' ? 'warn' : undefined} data-testid="backend-sentence">
          {line.text}
        </span>
      ) : err ? (
        'The backend could not start.'
      ) : (
        'Starting the compute backend…'
      )}
      {line?.detail && (
        <details className="backend-detail">
          <summary>What was tried</summary>
          {line.detail}
        </details>
      )}
    </div>
  );
}

function NotebookMenu() {
  const presetId = useId();
  const [preset, setPreset] = useState<PresetNotebookId>('poster');
  const [shareMsg, setShareMsg] = useState<ShareMessage | null>(null);
  const busy = useLab((s) => s.busy);
  const stamp = () => new Date().toISOString().slice(0, 16).replace(/[:T]/g, '-');
  return (
    <div className="menu" role="toolbar" aria-label="Notebook">
      <button type="button" className="primary" disabled={busy} onClick={() => void runAll()} data-testid="run-all">
        Run all
      </button>
      <button
        type="button"
        onClick={() => download(`similarity-lab-${stamp()}.json`, notebookToJson(currentSnapshot()), 'application/json')}
        data-testid="save-json"
      >
        Save notebook
      </button>
      <button
        type="button"
        onClick={() => download(`similarity-lab-${stamp()}.zip`, notebookToZip(currentSnapshot()), 'application/zip')}
        data-testid="save-zip"
      >
        Save zipped
      </button>
      <OpenNotebook />
      <ShareButton onMessage={setShareMsg} />
      <span className="sep" />
      <label htmlFor={presetId} className="inline-label">
        New notebook
      </label>
      <select id={presetId} value={preset} onChange={(e) => setPreset(e.target.value as PresetNotebookId)}>
        <option value="poster">Poster replication (synthetic, age groups)</option>
        <option value="timbre">Timbre studies (groups = studies)</option>
      </select>
      <button
        type="button"
        disabled={busy}
        onClick={() => {
          if (confirm('Replace the current notebook? Save it first if you want to keep it.')) void newNotebook(preset);
        }}
      >
        Create
      </button>
      <span className="sep" />
      <button
        type="button"
        className="danger"
        onClick={() => {
          if (confirm('Erase everything this app stored in this browser (notebook, your files, results)?')) void eraseAll();
        }}
        data-testid="erase"
      >
        Erase all local data
      </button>
      <SavedStatus />
      {shareMsg && (
        <span className="muted share-msg" role="status">
          {shareMsg.text}
          {shareMsg.url && (
            <>
              {' '}
              <input readOnly value={shareMsg.url} aria-label="Link with the parameters" data-testid="share-url" onFocus={(e) => e.currentTarget.select()} />
              <button type="button" onClick={() => setShareMsg(null)}>
                Done
              </button>
            </>
          )}
        </span>
      )}
    </div>
  );
}

/** "Open notebook…": a notebook file (JSON or zip) replaces the notebook. */
function OpenNotebook() {
  const fileRef = useRef<HTMLInputElement>(null);
  return (
    <>
      <button type="button" onClick={() => fileRef.current?.click()} data-testid="open-notebook">
        Open notebook…
      </button>
      <input
        ref={fileRef}
        type="file"
        accept=".json,.zip,application/json,application/zip"
        hidden
        aria-label="Open a notebook file"
        data-testid="open-notebook-input"
        onChange={async (e) => {
          const f = e.target.files?.[0];
          e.target.value = '';
          if (!f) return;
          try {
            const snap = parseNotebookFile(new Uint8Array(await f.arrayBuffer()), f.name);
            await replaceNotebook(snap, f.name);
            useLab.setState({ notice: problemsNotice(snap) ?? { kind: 'info', text: `Opened ${f.name}.` } });
          } catch (err) {
            useLab.setState({ notice: { kind: 'error', text: 'That file could not be opened as a notebook.', detail: (err as Error).message } });
          }
        }}
      />
    </>
  );
}

/** "Share parameters": a link holding the notebook's parameters (never data), copied or put in the address bar. */
interface ShareMessage {
  readonly text: string;
  /** the link, shown to copy by hand when the clipboard is refused */
  readonly url?: string;
}

function ShareButton({ onMessage }: { onMessage: (m: ShareMessage | null) => void }) {
  return (
    <button
      type="button"
      onClick={async () => {
        // the link is copied, never put in this page's address bar: a reload must not re-open it over the notebook
        const url = `${location.origin}${location.pathname}${location.search}#nb=${encodeShare(currentSnapshot())}`;
        try {
          await navigator.clipboard.writeText(url);
          onMessage({ text: 'Link with the parameters copied (no data).' });
          setTimeout(() => onMessage(null), 5000);
        } catch {
          onMessage({ text: 'Copy this link with the parameters (no data):', url });
        }
      }}
      data-testid="share"
    >
      Share parameters
    </button>
  );
}

function SavedStatus() {
  const savedAt = useLab((s) => s.savedAt);
  return (
    <span className="muted saved" data-testid="saved-at" data-saved-at={savedAt ?? ''}>
      {savedAt ? `Saved in this browser at ${new Date(savedAt).toLocaleTimeString()}` : 'Not saved yet'}
    </span>
  );
}

function AddCell() {
  const id = useId();
  const [kind, setKind] = useState<CellKind>('experiment');
  return (
    <div className="add-cell">
      <label htmlFor={id}>Add a cell</label>
      <select id={id} value={kind} onChange={(e) => setKind(e.target.value as CellKind)} data-testid="add-kind">
        {CELL_KIND_IDS.map((k) => (
          <option key={k} value={k}>
            {CELL_KINDS[k].label}
          </option>
        ))}
      </select>
      <button type="button" onClick={() => addCell(kind)} data-testid="add-cell">
        Add at the end
      </button>
    </div>
  );
}

/** The notebooks links or opened files replaced: one click brings one back (with its data and results). */
function PreviousBanner() {
  const previous = useLab((s) => s.previous);
  if (previous.length === 0) return null;
  const when = (p: (typeof previous)[number]) =>
    `${p.snapshot.savedAt ? `, saved ${new Date(p.snapshot.savedAt).toLocaleString()}` : ''}${holdsResults(p.snapshot) ? ', with results' : ', files only'}`;
  return (
    <div className="notice info" role="status" data-testid="previous-notebook">
      {previous.length === 1
        ? `Opening ${previous[0].replacedBy} replaced a notebook with data or results${when(previous[0])}; it is kept in this browser. `
        : `${previous.length} notebooks with data or results that links or files replaced are kept in this browser. `}
      {previous.map((p, i) => (
        <button key={`${p.replacedBy}@${p.snapshot.savedAt}`} type="button" onClick={() => void restorePrevious(i)} data-testid="restore-previous-notebook">
          {i === 0
            ? `Restore the previous notebook${previous.length > 1 ? ` (${when(p).slice(2)})` : ''}`
            : `Restore the one ${p.replacedBy} replaced${when(p)}`}
        </button>
      ))}{' '}
      <button type="button" onClick={dismissPrevious}>
        Forget {previous.length === 1 ? 'it' : 'them'}
      </button>
    </div>
  );
}

export function App() {
  const cells = useLab((s) => s.cells);
  const restoredAt = useLab((s) => s.restoredAt);
  const notice = useLab((s) => s.notice);
  useEffect(() => {
    document.title = 'Similarity Lab';
  }, []);
  return (
    <>
      <a className="skip" href="#notebook">
        Skip to the notebook
      </a>
      <header className="top">
        <div className="brand">
          <h1>Similarity Lab</h1>
          <p className="tagline">Learn music-similarity metrics from odd-one-out judgments and compare them across user groups.</p>
          <p className="tagline">
            <a href="./play.html" data-testid="game-link">
              Listening game
            </a>
            : collect odd-one-out judgments from a workshop, then analyse them here.
          </p>
          <p className="privacy" data-testid="privacy">
            Your data never leaves this browser: files are read and computed on locally, and the notebook is saved only in this browser's storage.
          </p>
        </div>
        <BackendPicker />
      </header>
      <NotebookMenu />
      <main id="notebook" tabIndex={-1}>
        {restoredAt && (
          <div className="notice info" role="status" data-testid="restored">
            Restored your notebook from this browser (saved {new Date(restoredAt).toLocaleString()}).{' '}
            <button type="button" onClick={dismissRestored}>
              OK
            </button>
          </div>
        )}
        <PreviousBanner />
        {notice && (
          <ErrorBox error={{ kind: notice.kind === 'info' ? 'cancelled' : 'other', message: notice.text, detail: notice.detail }}>
            <button type="button" onClick={dismissNotice}>
              Dismiss
            </button>
          </ErrorBox>
        )}
        {cells.map((c, i) => (
          <CellView key={c.id} cell={c} index={i} count={cells.length} />
        ))}
        {cells.length === 0 && <p className="muted">The notebook is empty: add a Data cell to begin.</p>}
        <AddCell />
      </main>
      <footer>
        <p>
          Method: D. Wolff, A. MacFarlane & T. Weyde, “Comparative Music Similarity Modelling using Transfer Learning across User Groups”, ISMIR 2015; Davis et
          al., “Information-Theoretic Metric Learning”, ICML 2007. Timbre data: the original studies (Grey 1977; Grey & Gordon 1978; Iverson & Krumhansl 1993;
          McAdams et al. 1995; Lakatos 2000; Barthet et al. 2010; Patil et al. 2012; Siedenburg et al. 2016), Thoret et al. 2021, Pascal & Lagrange (CeCILL-B).
        </p>
        <p>Keyboard: Tab moves between controls, Enter activates, Shift+Enter runs the cell you are in.</p>
      </footer>
    </>
  );
}
