/** Data cell: a bundled data set, or the user's own files (picker, drag-and-drop, URL), with a preview. */
import { useId, useState } from 'react';
import { attributeSummary, fetchUrl, filesLabel, SLOTS, type LoadedData, type Slot } from '../data';
import { droppedFiles } from '../audio-files';
import { pathed, takeFiles } from '../take-files';
import { WholeSetInputs } from './WholeSetInputs';
import { AudioIntake } from './AudioIntake';
import { BundledClips } from './BundledClips';
import { useAudio } from '../audio-store';
import { BUNDLED, type CellOf } from '../model';
import type { PreviousData } from '../notebook-file';
import { clearDataError, loadDataFile, removeDataFile, restorePreviousData, setDataSource, statusOf, useLab } from '../store';
import { ErrorBox } from '../components/common';
import { friendly } from '../errors';
import { CellFrame } from './CellFrame';
import { PosterNote } from './PosterNote';
import { chooseWorkshop, useWorkshopInfo, WorkshopSource, workshopLabel } from './WorkshopSource';

/** The clips.csv of a bundled clip set (issue 13), if the set is one. */
const clipsOf = (b: unknown): string | undefined => (b as { clips?: string } | undefined)?.clips;

const SLOT_LABEL: Record<Slot, string> = { features: 'Features', judgments: 'Judgments (votes or constraints)', users: 'Users (optional)' };

/** "Synthetic CASimIR-like votes (age groups)" or "your files (features.csv, votes.csv)". */
export function previousLabel(p: PreviousData): string {
  if (p.source === 'workshop') return `the workshop votes fetched before (${p.files?.judgments?.name ?? 'none'})`;
  return p.source === 'files' ? `your files (${filesLabel(p.files ?? {})})` : (BUNDLED.find((b) => b.id === p.source)?.label ?? p.source);
}

export function DataCell({ cell, index, count }: { cell: CellOf<'data'>; index: number; count: number }) {
  const d = useLab((s) => s.data[cell.id]);
  const loading = useLab((s) => s.loading[cell.id]);
  const status = useLab((s) => statusOf(s, cell.id));
  const previous = useLab((s) => s.previousData[cell.id]);
  const busy = useLab((s) => s.busy);
  // audio dropped on a bundled set: its progress and report show until the result replaces the set
  const audioShown = useAudio((s) => !!s.progress[cell.id] || !!s.report[cell.id]);
  const [urlError, setUrlError] = useState<string | null>(null);
  const srcId = useId();
  const bundled = BUNDLED.find((b) => b.id === cell.params.source);
  const onFiles = cell.params.source === 'files';
  const onWorkshop = cell.params.source === 'workshop';
  const info = useWorkshopInfo();

  return (
    <CellFrame cell={cell} index={index} count={count} runLabel={onFiles || cell.params.source === 'workshop' ? 'Check' : 'Load'}>
      <div className="row">
        <div className="field">
          <label htmlFor={srcId}>Data set</label>
          <select
            id={srcId}
            value={cell.params.source}
            onChange={(e) => (e.target.value === 'workshop' ? chooseWorkshop(cell.id) : setDataSource(cell.id, e.target.value as never))}
            data-testid="data-source"
          >
            {BUNDLED.map((b) => (
              <option key={b.id} value={b.id}>
                {b.label}
              </option>
            ))}
            <option value="files">Your own files (stay in this browser)</option>
            {(info || onWorkshop) && <option value="workshop">{workshopLabel(info)}</option>}
          </select>
        </div>
        {previous && (
          <button type="button" disabled={busy || loading} onClick={() => void restorePreviousData(cell.id)} data-testid="restore-previous">
            Restore previous data: {previousLabel(previous)}
          </button>
        )}
      </div>
      {onWorkshop ? <WorkshopSource cellId={cell.id} hasData={!!d?.lab} /> : <Dropzone cellId={cell.id} d={onFiles ? d : undefined} onUrlError={setUrlError} />}
      {urlError && <ErrorBox error={urlError} title="Could not load the URL:" />}
      {d && <DataErrors cellId={cell.id} d={d} />}
      {(onFiles || audioShown) && <AudioIntake cellId={cell.id} d={onFiles ? d : undefined} />}
      {onFiles && <SetState cellId={cell.id} d={d} />}
      {loading && <p className="muted">Loading…</p>}
      {status === 'stale' && bundled && <p className="hint">Press Load to use “{bundled.label}”.</p>}
      {onWorkshop && d?.problem && (d.features || d.judgments) && <ErrorBox error={d.problem} title="The fetched votes cannot be used:" />}
      {d && (!(onFiles || onWorkshop) || d.lab || d.features || d.judgments) && <Preview d={d} />}
      {!onFiles && clipsOf(bundled) && <BundledClips clips={clipsOf(bundled)!} features={d?.features ?? null} />}
      {bundled?.id === 'poster' && <PosterNote />}
      {bundled?.credit && <p className="credit">{bundled.credit}</p>}
    </CellFrame>
  );
}

/** Whether the own-files set can be used: what is missing or which files disagree, or that it is ready. */
function SetState({ cellId, d }: { cellId: string; d: LoadedData | undefined }) {
  const runError = useLab((s) => s.runs[cellId]?.error?.message);
  if (d?.lab) {
    return (
      <p className="hint" data-testid="data-set-ready">
        Ready: {filesLabel(d.files)} were checked against each other.
      </p>
    );
  }
  const problem = d?.problem ?? 'No files yet: load a features file and a judgments file (a users file is optional).';
  // after Run / Check the same message is the cell's error below
  if (runError === problem) return null;
  return (
    <div className="notice error" role="status" data-testid="data-set-problem">
      <strong>This data set cannot be used yet: </strong>
      <span className="error-message">{problem}</span>
      <p className="hint">Nothing below runs until the files form a complete set.</p>
      {d?.files.features?.audio && !d.files.judgments && (
        <p className="hint" data-testid="collect-judgments">
          No judgments for these clips yet? Play them in the <a href="./play.html">listening game</a> (“Your audio from the lab”) and analyse the votes here.
        </p>
      )}
    </div>
  );
}

/** The user's files: file pickers per slot, drag-and-drop, or a URL. */
function Dropzone({ cellId, d, onUrlError }: { cellId: string; d: LoadedData | undefined; onUrlError: (e: string | null) => void }) {
  const [drag, setDrag] = useState(false);
  const [url, setUrl] = useState('');
  const [urlSlot, setUrlSlot] = useState<Slot>('features');
  const ids = { url: useId(), urlSlot: useId() };
  // every file first, then one change of the set (so dropping all three files checks them together)
  const onFiles = (files: FileList, slot?: Slot) => takeFiles(cellId, pathed(files), slot);
  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: a drop target for dragged files; the file inputs inside it do the same by keyboard
    <div
      className={`dropzone${drag ? ' drag' : ''}`}
      onDragOver={(e) => {
        e.preventDefault();
        setDrag(true);
      }}
      onDragLeave={() => setDrag(false)}
      onDrop={(e) => {
        e.preventDefault();
        setDrag(false);
        // the entries must be taken in the drop event itself (folders are read from them afterwards)
        void droppedFiles(e.dataTransfer).then((fs) => takeFiles(cellId, fs));
      }}
      data-testid="dropzone"
    >
      <p className="muted">
        Drop features / judgments / users files here (CSV, TSV or JSON), or audio files or a folder of them to compute the features, or choose them below. Files
        are read in this browser and never uploaded. New files replace the data set as a set: they are checked against each other.
      </p>
      <WholeSetInputs cellId={cellId} />
      <div className="row">
        {SLOTS.map((slot) => (
          <div className="field" key={slot}>
            <label htmlFor={`${cellId}-${slot}`}>{SLOT_LABEL[slot]}</label>
            <input
              id={`${cellId}-${slot}`}
              type="file"
              accept=".csv,.tsv,.txt,.json,text/csv,text/tab-separated-values,application/json"
              multiple={false}
              data-testid={`file-${slot}`}
              onChange={(e) => {
                if (e.target.files?.length) void onFiles(e.target.files, slot);
                e.target.value = '';
              }}
            />
            {d?.files[slot] && (
              <span className="hint" data-testid={`loaded-${slot}`}>
                loaded: {d.files[slot]!.name}{' '}
                <button type="button" onClick={() => removeDataFile(cellId, slot)} aria-label={`Remove the ${slot} file`}>
                  remove
                </button>
              </span>
            )}
          </div>
        ))}
      </div>
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          onUrlError(null);
          fetchUrl(url)
            .then((ft) => loadDataFile(cellId, urlSlot, ft))
            .catch((err) => onUrlError(friendly(err).message));
        }}
      >
        <div className="field grow">
          <label htmlFor={ids.url}>Or load from a URL</label>
          <input id={ids.url} type="url" placeholder="https://example.org/features.csv" value={url} onChange={(e) => setUrl(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={ids.urlSlot}>as</label>
          <select id={ids.urlSlot} value={urlSlot} onChange={(e) => setUrlSlot(e.target.value as Slot)}>
            {SLOTS.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" disabled={!url.trim()}>
          Fetch
        </button>
      </form>
    </div>
  );
}

/** The located message of each file that was not loaded (what was loaded before is kept). */
function DataErrors({ cellId, d }: { cellId: string; d: LoadedData }) {
  return (
    <>
      {(Object.keys(d.errors) as Slot[]).map((slot) => (
        <div key={slot} data-testid="data-error">
          <ErrorBox error={{ kind: 'data', message: d.errors[slot]! }} title={`The ${slot} file was not loaded:`}>
            <p className="hint">Everything loaded before is kept.</p>
            <button type="button" onClick={() => clearDataError(cellId, slot)}>
              Dismiss
            </button>
          </ErrorBox>
        </div>
      ))}
    </>
  );
}

function Preview({ d }: { d: LoadedData }) {
  const f = d.features;
  const j = d.lab?.judgments ?? d.judgments;
  const votes = j ? j.judgments.reduce((s, x) => s + (x.kind === 'vote' ? x.count : 1), 0) : 0;
  const attrs = j ? attributeSummary(j) : [];
  return (
    <div className="preview" data-testid="data-preview">
      <dl className="stats">
        <div>
          <dt>Clips</dt>
          <dd data-testid="n-clips">{f ? f.ids.length : '–'}</dd>
        </div>
        <div>
          <dt>Features</dt>
          <dd data-testid="n-features">{f ? f.names.length : '–'}</dd>
        </div>
        <div>
          <dt>Judgment records</dt>
          <dd data-testid="n-judgments">{j ? j.judgments.length : '–'}</dd>
        </div>
        <div>
          <dt>{j?.layout === 'relative' ? 'Constraints' : 'Votes'}</dt>
          <dd>{j ? votes : '–'}</dd>
        </div>
        <div>
          <dt>Layout</dt>
          <dd>{j ? j.layout : '–'}</dd>
        </div>
      </dl>
      <p className="files">
        {f && <span>Features: {f.source}. </span>}
        {j && <span>Judgments: {j.source}. </span>}
        {d.files.users && <span>Users: {d.files.users.name}. </span>}
        {d.join && (
          <span>
            Users joined to {d.join.matched} vote records
            {d.join.unmatched ? `; ${d.join.unmatched} records have users missing from the users file` : ''}.
          </span>
        )}
      </p>
      {attrs.length > 0 && (
        <div>
          <h3>Attributes</h3>
          <ul className="attrs">
            {attrs.map((a) => (
              <li key={a.column}>
                <strong>{a.column}</strong>:{' '}
                {a.values.slice(0, 12).map((v, k) => (
                  <span key={v.value}>
                    {k > 0 ? ', ' : ''}
                    {v.value} ({v.records})
                  </span>
                ))}
                {a.values.length > 12 ? `, … ${a.values.length - 12} more` : ''}
              </li>
            ))}
          </ul>
        </div>
      )}
      {f && (
        <details>
          <summary>Feature names and clip ids</summary>
          <p className="names" data-testid="feature-names">
            {f.names.slice(0, 200).join(', ')}
            {f.names.length > 200 ? ` … (${f.names.length} in all)` : ''}
          </p>
          <ul className="ids" data-testid="clip-ids">
            {f.ids.slice(0, 50).map((id) => (
              <li key={id}>{id}</li>
            ))}
            {f.ids.length > 50 && <li>… {f.ids.length - 50} more</li>}
          </ul>
        </details>
      )}
    </div>
  );
}
