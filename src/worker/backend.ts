/**
 * Starting the compute backend inside the worker. 'cpu' is the float64 reference in src/core and 'wasm'
 * the same float64 code with its ITML sweeps in WebAssembly (bit-identical); the GPU ones come from
 * src/gpu/select.ts (loaded lazily: tfjs is fetched only when a GPU backend is wanted). If a backend
 * chosen by hand cannot start, the CPU reference runs and the reason is reported. 'auto' on a machine
 * without a hardware GPU runs WASM and says why (`noGpu`: only software adapters, or none); a GPU
 * backend chosen by hand on a software adapter runs and is flagged (`softwareAdapter`) as slow.
 */
import { cpuBackend, wasmBackend } from '../core/compute-cpu';
import { wasmAvailable } from '../core/itml-wasm';
import type { ComputeBackend } from '../core/compute';
import type { BackendPref, BackendState } from './api';

export type StartedBackend = { backend: ComputeBackend } & Omit<BackendState, 'info'>;

/** Why 'auto' took no GPU backend, from the reasons autoBackend gives for each one it skipped. */
export function noGpuReason(skipped: readonly string[]): NonNullable<BackendState['noGpu']> {
  // "WebGPU runs on a software adapter (<description>), slower than WASM"; the description may hold parentheses
  // and, after ';', how the backend accumulates (not part of the adapter's name)
  const soft = skipped.map((s) => /software adapter \((.*)\), slower than WASM/.exec(s)).find((m) => m !== null);
  const detail = skipped.join('; ');
  return soft ? { kind: 'software', adapter: softwareName(soft[1]), detail } : { kind: 'none', detail };
}

/**
 * A software adapter's short name: renderer strings are long ("ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device
 * (Subzero) …)); W̃ as float32 pairs …"), so the rasteriser is named when known, else the part before ';'.
 */
export function softwareName(description: string): string {
  const name = description.split(';')[0].trim();
  const known = /swiftshader|llvmpipe|softpipe|basic render driver/i.exec(name)?.[0];
  if (!known) return name;
  return known.toLowerCase() === 'swiftshader' ? 'SwiftShader' : known;
}

export async function startBackend(pref: BackendPref): Promise<StartedBackend> {
  if (pref === 'cpu') return { backend: cpuBackend };
  if (pref === 'wasm') {
    return wasmAvailable() ? { backend: wasmBackend } : { backend: cpuBackend, fallbackReason: 'WebAssembly is not available in this browser' };
  }
  try {
    const { autoBackend, createBackend, isSoftwareAdapter } = await import('../gpu/select');
    if (pref === 'auto') {
      const { backend, skipped } = await autoBackend();
      return backend === cpuBackend || backend === wasmBackend ? { backend, noGpu: noGpuReason(skipped) } : { backend };
    }
    const backend = await createBackend(pref);
    return isSoftwareAdapter(backend.info.description) ? { backend, softwareAdapter: softwareName(backend.info.description) } : { backend };
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    // 'auto' never throws for a missing GPU (autoBackend falls back); a failure here is the GPU code failing to load
    return pref === 'auto'
      ? { backend: wasmAvailable() ? wasmBackend : cpuBackend, noGpu: { kind: 'none', detail: why } }
      : { backend: cpuBackend, fallbackReason: why };
  }
}
