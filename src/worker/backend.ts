/**
 * Starting the compute backend inside the worker. 'cpu' is the float64 reference in src/core and 'wasm'
 * the same float64 code with its ITML sweeps in WebAssembly (bit-identical); the GPU ones come from
 * src/gpu/select.ts (loaded lazily: tfjs is fetched only when a GPU backend is wanted). If the
 * preferred one cannot start, the CPU reference runs and the reason is reported, so the page shows
 * both the backend that really runs and why.
 */
import { cpuBackend, wasmBackend } from '../core/compute-cpu';
import { wasmAvailable } from '../core/itml-wasm';
import type { ComputeBackend } from '../core/compute';
import type { BackendPref } from './api';

export async function startBackend(pref: BackendPref): Promise<{ backend: ComputeBackend; fallbackReason?: string }> {
  if (pref === 'cpu') return { backend: cpuBackend };
  if (pref === 'wasm') {
    return wasmAvailable() ? { backend: wasmBackend } : { backend: cpuBackend, fallbackReason: 'WebAssembly is not available in this browser' };
  }
  try {
    const { autoBackend, createBackend } = await import('../gpu/select');
    if (pref === 'auto') {
      const { backend, skipped } = await autoBackend();
      return backend === cpuBackend || backend === wasmBackend ? { backend, fallbackReason: `no usable GPU backend: ${skipped.join('; ')}` } : { backend };
    }
    return { backend: await createBackend(pref) };
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    return { backend: cpuBackend, fallbackReason: why };
  }
}
