/** The header's backend line: one plain sentence saying what computes, and why when it is not what was chosen. */
import type { BackendInfo } from '../core/compute';
import type { BackendPref, BackendState } from '../worker/api';

const NAMES: Readonly<Record<string, string>> = {
  wasm: 'WASM float64',
  'cpu-f64': 'CPU float64 (reference)',
  webgpu: 'WebGPU float32',
  webgl: 'WebGL float32',
};
const PREF_NAMES: Readonly<Record<BackendPref, string>> = { auto: 'Automatic', webgpu: 'WebGPU', webgl: 'WebGL', wasm: 'WASM', cpu: 'CPU' };

/** "WASM float64", "WebGPU float32" … (the backend id for one this table does not know). */
export function backendName(info: BackendInfo): string {
  return NAMES[info.id] ?? `${info.id} ${info.precision}`;
}

export interface BackendLine {
  /** the sentence shown */
  readonly text: string;
  /** 'warn' only when something is not as chosen or will be slow */
  readonly tone: 'ok' | 'warn';
  /** what was tried, for a "details" disclosure */
  readonly detail?: string;
}

/** The sentence for the backend that runs (`state`) given the user's choice (`pref`). */
export function backendLine(pref: BackendPref, state: BackendState): BackendLine {
  const name = backendName(state.info);
  if (state.fallbackReason) {
    return { text: `${PREF_NAMES[pref]} did not start, so the lab computes with ${name} instead.`, tone: 'warn', detail: state.fallbackReason };
  }
  if (state.softwareAdapter) {
    return {
      text: `Computing with ${name} on a software GPU adapter (${state.softwareAdapter}): it works but will be slow — Automatic would use WASM float64.`,
      tone: 'warn',
    };
  }
  if (state.noGpu) {
    const why = state.noGpu.kind === 'software' ? `no hardware GPU found (only the software adapter ${state.noGpu.adapter})` : 'no GPU backend available here';
    return { text: `Computing with ${name} — ${why}.`, tone: 'ok', detail: state.noGpu.detail };
  }
  const gpu = state.info.precision === 'float32' ? ` on ${state.info.description}` : '';
  return { text: `Computing with ${name}${gpu}.`, tone: 'ok' };
}
