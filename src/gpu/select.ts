/**
 * Backend selection (browser or any environment with navigator.gpu / WebGL2).
 *   auto:   WebGPU → WebGL → WASM float64 → CPU float64 (the first that really activates; a software GPU
 *           such as SwiftShader is skipped, since it runs the GPU engines slower than WASM on the same CPU)
 *   forced: that backend or an Error saying why — never a silent fallback.
 * tfjs is loaded only here (dynamic imports), so the rest of the app never pulls it in.
 */
import type { ComputeBackend } from '../core/compute';
import { cpuBackend, wasmBackend } from '../core/compute-cpu';
import { wasmAvailable } from '../core/itml-wasm';
import { DEFAULT_TUNING, type GpuComputeBackend, type GpuTuning } from './common';

export type BackendPref = 'auto' | 'webgpu' | 'webgl' | 'wasm' | 'cpu';

async function tfWith(name: 'webgpu' | 'webgl') {
  const tf = await import('@tensorflow/tfjs-core');
  if (name === 'webgpu') await import('@tensorflow/tfjs-backend-webgpu');
  else await import('@tensorflow/tfjs-backend-webgl');
  let ok = false;
  let why = '';
  try {
    ok = await tf.setBackend(name);
    await tf.ready();
  } catch (e) {
    why = (e as Error).message;
  }
  // tfjs returns false (or stays on another backend) without throwing when no adapter / context exists
  const active = tf.getBackend();
  if (!ok || active !== name) {
    throw new Error(`${name} is not available here: tfjs could not activate it (active backend: '${active ?? 'none'}'${why ? `; ${why}` : ''})`);
  }
  return tf;
}

export async function createWebGpu(tuning: Partial<GpuTuning> = {}): Promise<GpuComputeBackend> {
  const nav = (globalThis as unknown as { navigator?: { gpu?: unknown } }).navigator;
  if (!nav?.gpu) throw new Error('webgpu is not available here: navigator.gpu is missing (browser without WebGPU, or not a secure context)');
  const tf = await tfWith('webgpu');
  const { WebGpuComputeBackend } = await import('./webgpu/backend');
  return new WebGpuComputeBackend(tf, { ...DEFAULT_TUNING, ...tuning }).ready();
}

export async function createWebGl(tuning: Partial<GpuTuning> = {}): Promise<GpuComputeBackend> {
  const tf = await tfWith('webgl');
  const { WebGlComputeBackend } = await import('./webgl/backend');
  return new WebGlComputeBackend(tf, { ...DEFAULT_TUNING, ...tuning }).ready();
}

/** A GPU adapter that is really a CPU rasteriser (SwiftShader, llvmpipe, Microsoft Basic Render Driver). */
export function isSoftwareAdapter(description: string): boolean {
  return /swiftshader|llvmpipe|softpipe|software|basic render/i.test(description);
}

/** auto: the first backend that really activates, and why the ones before it were passed over. */
export async function autoBackend(tuning: Partial<GpuTuning> = {}): Promise<{ backend: ComputeBackend; skipped: string[] }> {
  const skipped: string[] = [];
  for (const [name, f] of [
    ['WebGPU', createWebGpu],
    ['WebGL', createWebGl],
  ] as const) {
    try {
      const be = await f(tuning);
      if (!isSoftwareAdapter(be.info.description)) return { backend: be, skipped };
      be.dispose();
      skipped.push(`${name} runs on a software adapter (${be.info.description}), slower than WASM`);
    } catch (e) {
      skipped.push((e as Error).message);
    }
  }
  return { backend: wasmAvailable() ? wasmBackend : cpuBackend, skipped };
}

export async function createBackend(pref: BackendPref, tuning: Partial<GpuTuning> = {}): Promise<ComputeBackend> {
  switch (pref) {
    case 'cpu':
      return cpuBackend;
    case 'webgpu':
      return createWebGpu(tuning);
    case 'webgl':
      return createWebGl(tuning);
    case 'wasm':
      // our own float64 WebAssembly sweep (src/core/itml-wasm.ts), not tfjs-wasm: ITML's projections are
      // sequential per problem, and one tfjs op per projection costs more than the whole projection
      if (!wasmAvailable()) throw new Error('wasm is not available here: WebAssembly could not be instantiated');
      return wasmBackend;
    case 'auto':
      return (await autoBackend(tuning)).backend;
    default:
      throw new Error(`unknown backend preference '${String(pref)}' (expected auto, webgpu, webgl, wasm or cpu)`);
  }
}
