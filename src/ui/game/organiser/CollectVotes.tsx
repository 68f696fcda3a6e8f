/**
 * "Votes come back": any number of votes files (picker or drag-and-drop), photos / screenshots of votes
 * codes, codes read by the camera and code text pasted. Each source is judged against what is merged so far
 * and reported by name: new votes, duplicates ignored by vote id, conflicts, another session's votes.
 */
import { useCallback, useId, useRef, useState } from 'react';
import type { VoteBatch } from '../../../game';
import { type BatchReport, readVoteSource, reportLine } from './collect';
import { CameraScan } from './CameraScan';
import { readQrFromImage } from './qr-read';

export interface SourceResult {
  readonly key: number;
  readonly source: string;
  readonly report?: BatchReport;
  readonly error?: string;
}

let counter = 0;

/** `importBatches` merges (and stores) the batches of one source and reports on each. */
export function CollectVotes({ importBatches }: { importBatches: (batches: VoteBatch[]) => Promise<BatchReport[]> }) {
  const [results, setResults] = useState<SourceResult[]>([]);
  const [paste, setPaste] = useState('');
  const pasteId = useId();
  /** the results of one source (read, judged, stored) */
  const take = useCallback(
    async (name: string, text: () => Promise<string>): Promise<SourceResult[]> => {
      try {
        const reports = await importBatches(readVoteSource(name, await text()));
        return reports.map((report) => ({ key: ++counter, source: report.source, report }));
      } catch (e) {
        return [{ key: ++counter, source: name, error: (e as Error).message }];
      }
    },
    [importBatches],
  );
  /** newest sources first; the sources of one drop in their own order */
  const show = (out: SourceResult[]) => setResults((r) => [...out, ...r]);
  const files = async (list: readonly File[]) => {
    const out: SourceResult[] = [];
    for (const f of list) out.push(...(await take(f.name, () => (f.type.startsWith('image/') ? readQrFromImage(f, f.name) : f.text()))));
    show(out);
  };
  const onCode = useCallback((text: string) => void take('camera code', async () => text).then((out) => setResults((r) => [...out, ...r])), [take]);
  return (
    <section className="org-section" aria-labelledby="collect-h" data-testid="collect-votes">
      <h2 id="collect-h">3. Votes come back</h2>
      <VotesDropzone onFiles={(l) => void files(l)} />
      <CameraScan onCode={onCode} />
      <div className="field">
        <label htmlFor={pasteId}>Or paste votes codes (SLV1.…, one or more)</label>
        <textarea id={pasteId} rows={3} value={paste} onChange={(e) => setPaste(e.target.value)} data-testid="votes-paste" />
      </div>
      <button
        type="button"
        disabled={paste.trim() === ''}
        onClick={() =>
          void take('pasted code', async () => paste).then((out) => {
            show(out);
            if (out.every((r) => !r.error)) setPaste('');
          })
        }
        data-testid="votes-paste-add"
      >
        Add the pasted codes
      </button>
      {results.length > 0 && (
        <ul className="import-log" aria-live="polite" data-testid="import-log">
          {results.map((r) => (
            <li key={r.key} className={r.error ? 'bad' : r.report?.otherSession || r.report?.conflicts ? 'warn' : 'ok'} data-testid="import-result">
              {r.error ?? (r.report ? reportLine(r.report) : r.source)}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** Votes files and images of votes codes: dropped, or chosen with the picker. */
function VotesDropzone({ onFiles }: { onFiles: (files: File[]) => void }) {
  const [over, setOver] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: a drop target for dragged files; the button inside does the same by keyboard
    <div
      className={`dropzone${over ? ' over' : ''}`}
      data-testid="votes-dropzone"
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(e) => {
        e.preventDefault();
        setOver(false);
        onFiles(Array.from(e.dataTransfer.files));
      }}
    >
      <p>Drop votes files (.json) or photos / screenshots of votes codes here, or</p>
      <button type="button" onClick={() => input.current?.click()} data-testid="add-votes-files">
        Choose files…
      </button>
      <input
        ref={input}
        type="file"
        multiple
        hidden
        accept=".json,.txt,application/json,text/plain,image/*"
        data-testid="votes-file-input"
        onChange={(e) => {
          // a copy: clearing the input (so the same file can be chosen again) empties its list
          onFiles(Array.from(e.target.files ?? []));
          e.target.value = '';
        }}
      />
    </div>
  );
}
