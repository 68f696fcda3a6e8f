/** The frame every cell shares: heading, status, Run, reorder / duplicate / delete, progress and errors. */
import type { ReactNode } from 'react';
import type { FriendlyError } from '../errors';
import type { CellRun } from '../lab-store';
import { kindOf, type Cell } from '../kinds';
import { cancelRun, deleteCell, duplicateCell, moveCell, pauseRun, resumeRun, retryOn, runCell, statusOf, useLab } from '../store';
import { ErrorBox, ProgressBar, StatusBadge } from '../components/common';
import { BACKEND_LABELS, type BackendPref } from '../../worker/api';

export function CellFrame({
  cell,
  index,
  count,
  children,
  runLabel = 'Run',
}: {
  cell: Cell;
  index: number;
  count: number;
  children: ReactNode;
  runLabel?: string;
}) {
  const status = useLab((s) => statusOf(s, cell.id));
  const run = useLab((s) => s.runs[cell.id]);
  const busy = useLab((s) => s.busy);
  const kind = kindOf(cell);
  const label = kind.label;
  const headingId = `h-${cell.id}`;
  const runnable = kind.run !== undefined;
  const onKeyDown = (e: React.KeyboardEvent) => {
    if (e.key === 'Enter' && e.shiftKey && runnable) {
      e.preventDefault();
      if (!busy) void runCell(cell.id);
    }
  };
  return (
    <section
      className={`cell cell-${cell.kind} is-${status}`}
      aria-labelledby={headingId}
      data-testid={`cell-${cell.kind}`}
      data-cell-id={cell.id}
      onKeyDown={onKeyDown}
    >
      <header className="cell-head">
        <h2 id={headingId}>
          <span className="cell-index" aria-hidden="true">
            [{index + 1}]
          </span>{' '}
          {label}
        </h2>
        {runnable && <StatusBadge status={status} />}
        <div className="cell-tools" role="toolbar" aria-label={`${label} cell ${index + 1} tools`}>
          {runnable && (
            <button
              type="button"
              className="primary"
              disabled={busy}
              onClick={() => void runCell(cell.id)}
              title="Run this cell (Shift+Enter)"
              data-testid="run-cell"
            >
              {runLabel}
            </button>
          )}
          <button type="button" onClick={() => moveCell(cell.id, -1)} disabled={index === 0} aria-label={`Move ${label} cell ${index + 1} up`} title="Move up">
            ↑
          </button>
          <button
            type="button"
            onClick={() => moveCell(cell.id, 1)}
            disabled={index === count - 1}
            aria-label={`Move ${label} cell ${index + 1} down`}
            title="Move down"
          >
            ↓
          </button>
          <button
            type="button"
            onClick={() => duplicateCell(cell.id)}
            aria-label={`Duplicate ${label} cell ${index + 1}`}
            title="Duplicate (compare parameters side by side)"
          >
            Duplicate
          </button>
          <button
            type="button"
            className="danger"
            disabled={run?.running}
            onClick={() => {
              if (!kind.confirmDelete || confirm(`Delete the ${label} cell?`)) deleteCell(cell.id);
            }}
            aria-label={`Delete ${label} cell ${index + 1}`}
            title="Delete"
          >
            Delete
          </button>
        </div>
      </header>
      <div className="cell-body">{children}</div>
      {run?.running && kind.progress && <RunControls run={run} cellId={cell.id} />}
      {run?.error && <CellError id={cell.id} error={run.error} />}
    </section>
  );
}

/** Progress with pause / resume / cancel while a long cell runs. */
function RunControls({ run, cellId }: { run: CellRun; cellId: string }) {
  return (
    <div className="run-controls">
      <ProgressBar progress={run.progress} paused={run.paused} />
      {run.paused ? (
        <button type="button" onClick={resumeRun} data-testid="resume">
          Resume
        </button>
      ) : (
        <button type="button" onClick={pauseRun} data-testid="pause">
          Pause
        </button>
      )}
      <button
        type="button"
        className="danger"
        onClick={async () => {
          await cancelRun();
          // the Cancel button leaves with the run: keep the keyboard focus on this cell's Run button
          document.querySelector<HTMLButtonElement>(`[data-cell-id="${cellId}"] [data-testid="run-cell"]`)?.focus();
        }}
        data-testid="cancel"
      >
        Cancel
      </button>
    </div>
  );
}

/** The error of the cell's last run, with retries (here, or on another backend) where they may help. */
function CellError({ id, error }: { id: string; error: FriendlyError }) {
  const backendPref = useLab((s) => s.backendPref);
  const retryTargets = (['cpu', 'wasm', 'webgl', 'webgpu'] as BackendPref[]).filter((b) => b !== backendPref);
  return (
    <ErrorBox error={error} title={error.kind === 'cancelled' ? undefined : 'This cell could not run:'}>
      {(error.kind === 'crash' || error.kind === 'gpu' || error.kind === 'other') && (
        <div className="retry">
          <button type="button" onClick={() => void runCell(id)}>
            Retry
          </button>
          {retryTargets.map((b) => (
            <button key={b} type="button" onClick={() => void retryOn(id, b)}>
              Retry on {BACKEND_LABELS[b]}
            </button>
          ))}
        </div>
      )}
    </ErrorBox>
  );
}
