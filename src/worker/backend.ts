/**
 * Starting the compute backend inside the worker. 'cpu' is the float64 reference in src/core; the
 * others come from src/gpu/select.ts (tfjs). If the preferred one cannot start, the CPU reference runs
 * and the reason is reported so the page can say so.
 */
import { cpuBackend } from '../core/compute-cpu';
import type { ComputeBackend } from '../core/compute';
import type { BackendPref } from './api';

type SelectModule = { createBackend(pref: BackendPref): Promise<ComputeBackend> };
// resolved at build time; an empty map if the GPU module is absent from this build
const gpuModules = import.meta.glob<SelectModule>('../gpu/select.ts');

export async function startBackend(pref: BackendPref): Promise<{ backend: ComputeBackend; fallbackReason?: string }> {
  if (pref === 'cpu') return { backend: cpuBackend };
  const load = gpuModules['../gpu/select.ts'];
  if (!load) return { backend: cpuBackend, fallbackReason: 'GPU backends are not part of this build' };
  try {
    const mod = await load();
    return { backend: await mod.createBackend(pref) };
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    return { backend: cpuBackend, fallbackReason: `${pref} could not start (${why})` };
  }
}
