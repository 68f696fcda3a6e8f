/** Small shared pieces: friendly error box, progress bar, status badge, numeric input. */
import { useEffect, useId, useState } from 'react';
import type { FriendlyError } from '../errors';
import type { CellStatus } from '../model';
import type { Progress } from '../../worker/api';

export function ErrorBox({ error, title, children }: { error: FriendlyError | string; title?: string; children?: React.ReactNode }) {
  const e: FriendlyError = typeof error === 'string' ? { kind: 'data', message: error } : error;
  const cancelled = e.kind === 'cancelled';
  return (
    <div className={cancelled ? 'notice info' : 'notice error'} role={cancelled ? 'status' : 'alert'}>
      {title && <strong>{title} </strong>}
      <span className="error-message">{e.message}</span>
      {e.detail && (
        <details>
          <summary>Details</summary>
          <pre className="error-detail">{e.detail}</pre>
        </details>
      )}
      {children}
    </div>
  );
}

const STATUS_TEXT: Record<CellStatus, string> = {
  idle: 'not run',
  fresh: 'up to date',
  stale: 'stale — inputs changed',
  running: 'running',
  error: 'error',
  cancelled: 'cancelled',
};

export function StatusBadge({ status }: { status: CellStatus }) {
  return (
    <span className={`badge status-${status}`} data-status={status} data-testid="cell-status">
      {STATUS_TEXT[status]}
    </span>
  );
}

/** "about 1 min 20 s left" */
export function formatEta(ms: number): string {
  const s = Math.max(1, Math.round(ms / 1000));
  if (s < 60) return `about ${s} s left`;
  const m = Math.floor(s / 60);
  return m < 60 ? `about ${m} min ${String(s % 60).padStart(2, '0')} s left` : `about ${Math.floor(m / 60)} h ${m % 60} min left`;
}

/** One bar for the whole run: percent done, the time left, and the stage running now. */
export function ProgressBar({ progress, paused }: { progress?: Progress; paused?: boolean }) {
  const frac = progress && progress.total > 0 ? Math.min(1, progress.done / progress.total) : 0;
  const eta = progress?.etaMs !== undefined ? ` — ${formatEta(progress.etaMs)}` : '';
  const label = progress ? `${Math.floor(100 * frac)} %${eta} · ${progress.stage}${progress.detail ? ` (${progress.detail})` : ''}` : 'starting…';
  return (
    <div className="progress" data-testid="progress" data-fraction={frac.toFixed(4)}>
      <progress max={1} value={progress ? frac : undefined} aria-label="Run progress" />
      <span className="progress-text" aria-live="polite">
        {paused ? 'Paused — ' : ''}
        {label}
      </span>
    </div>
  );
}

/** A number field that only commits valid values (so a half-typed number does not mark cells stale). */
export function NumberField(props: {
  label: string;
  value: number;
  onChange: (v: number) => void;
  min?: number;
  max?: number;
  step?: number;
  integer?: boolean;
  hint?: string;
  testId?: string;
}) {
  const id = useId();
  const [text, setText] = useState(String(props.value));
  useEffect(() => setText(String(props.value)), [props.value]);
  const valid = (v: number) =>
    Number.isFinite(v) && (!props.integer || Number.isInteger(v)) && (props.min === undefined || v >= props.min) && (props.max === undefined || v <= props.max);
  const bad = text.trim() === '' || !valid(Number(text));
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      <input
        id={id}
        type="number"
        inputMode={props.integer ? 'numeric' : 'decimal'}
        value={text}
        min={props.min}
        max={props.max}
        step={props.step ?? (props.integer ? 1 : 'any')}
        aria-invalid={bad}
        aria-describedby={props.hint ? `${id}-hint` : undefined}
        data-testid={props.testId}
        onChange={(e) => {
          setText(e.target.value);
          const v = Number(e.target.value);
          if (e.target.value.trim() !== '' && valid(v) && v !== props.value) props.onChange(v);
        }}
      />
      {props.hint && (
        <span id={`${id}-hint`} className="hint">
          {props.hint}
        </span>
      )}
    </div>
  );
}

export function ListField(props: { label: string; value: readonly number[]; onChange: (v: number[]) => void; hint?: string; testId?: string }) {
  const id = useId();
  const [text, setText] = useState(props.value.join(', '));
  useEffect(() => setText(props.value.join(', ')), [props.value]);
  const parse = (s: string): number[] | null => {
    const parts = s.split(/[,\s;]+/).filter(Boolean);
    if (!parts.length) return null;
    const xs = parts.map(Number);
    return xs.every((x) => Number.isFinite(x) && x > 0) ? xs : null;
  };
  const bad = parse(text) === null;
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      <input
        id={id}
        type="text"
        value={text}
        aria-invalid={bad}
        aria-describedby={props.hint ? `${id}-hint` : undefined}
        data-testid={props.testId}
        onChange={(e) => {
          setText(e.target.value);
          const xs = parse(e.target.value);
          if (xs && xs.join(',') !== props.value.join(',')) props.onChange(xs);
        }}
      />
      {props.hint && (
        <span id={`${id}-hint`} className="hint">
          {props.hint}
        </span>
      )}
    </div>
  );
}

/** Which grouping a cell runs on, and its parameter problems (shown before Run). */
export function GroupsAndProblems({ groupBy, problems }: { groupBy: string; problems: readonly string[] }) {
  return (
    <>
      <p className="hint">Groups: {groupBy ? <strong>{groupBy}</strong> : 'none (set in the Constraints & groups cell above)'}.</p>
      {problems.length > 0 && (
        <ul className="problems" role="status">
          {problems.map((x) => (
            <li key={x}>{x}</li>
          ))}
        </ul>
      )}
    </>
  );
}

export function download(name: string, data: string | Uint8Array, type: string): void {
  const blob = new Blob([data as BlobPart], { type });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
