/**
 * Starting the compute backend inside the worker. 'cpu' is the float64 reference in src/core; the GPU
 * ones come from src/gpu/select.ts (loaded lazily: tfjs is fetched only when a GPU backend is wanted).
 * If the preferred one cannot start, the CPU reference runs and the reason is reported, so the page
 * shows both the backend that really runs and why.
 */
import { cpuBackend } from '../core/compute-cpu';
import type { ComputeBackend } from '../core/compute';
import type { BackendPref } from './api';

export async function startBackend(pref: BackendPref): Promise<{ backend: ComputeBackend; fallbackReason?: string }> {
  if (pref === 'cpu') return { backend: cpuBackend };
  try {
    const { createBackend } = await import('../gpu/select');
    const backend = await createBackend(pref);
    if (pref === 'auto' && backend === cpuBackend) return { backend, fallbackReason: 'no GPU backend (WebGPU, WebGL) could start here' };
    return { backend };
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    return { backend: cpuBackend, fallbackReason: why };
  }
}
