/**
 * Friendly errors: a short sentence for the page, the technical detail (never a raw stack trace in
 * view; the stack goes to the console) behind a "details" disclosure.
 */
export type ErrorKind = 'data' | 'cancelled' | 'crash' | 'gpu' | 'input' | 'other';

export interface FriendlyError {
  readonly kind: ErrorKind;
  readonly message: string;
  readonly detail?: string;
}

export function friendly(e: unknown): FriendlyError {
  if (!(e instanceof Error)) return { kind: 'other', message: 'Something went wrong.', detail: String(e) };
  const name = e.name;
  const msg = e.message;
  if (name === 'RunCancelled' || name === 'CancelledError') return { kind: 'cancelled', message: msg.startsWith('Run cancelled') ? msg : 'Run cancelled.' };
  if (name === 'DataError') return { kind: 'data', message: msg };
  if (name === 'WorkerCrash')
    return { kind: 'crash', message: 'The computation stopped unexpectedly. You can retry, or retry on another backend.', detail: msg };
  if (/device (was )?lost|GPUDevice|webgl context lost|CONTEXT_LOST|out of memory/i.test(msg)) {
    return { kind: 'gpu', message: 'The GPU backend failed (device lost or out of memory). Retry on another backend.', detail: msg };
  }
  if (name === 'ExperimentError' || name === 'FoldError' || name === 'Error') {
    if (typeof console !== 'undefined' && e.stack) console.debug(e.stack);
    return { kind: 'input', message: msg };
  }
  if (typeof console !== 'undefined' && e.stack) console.error(e);
  return { kind: 'other', message: 'Something went wrong while computing.', detail: `${name}: ${msg}` };
}
