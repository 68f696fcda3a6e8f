/**
 * Node entry: `createNodeBackend('webgpu' | 'cpu')`. WebGPU runs through the `webgpu` npm package
 * (Dawn). Dawn needs a Vulkan driver; with Debian's Chromium SwiftShader the process must be STARTED
 * with LD_LIBRARY_PATH=/usr/lib/chromium VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json
 * (see `swiftshaderEnv`); on a machine with a real GPU (e.g. NVIDIA + Vulkan) no variables are needed.
 */
import type { ComputeBackend } from '../core/compute';
import { cpuBackend } from '../core/compute-cpu';
import { DEFAULT_TUNING, type GpuComputeBackend, type GpuTuning } from './common';

/** Environment that lets Dawn find Chromium's SwiftShader Vulkan driver (for child processes). */
export function swiftshaderEnv(base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return { ...base, LD_LIBRARY_PATH: '/usr/lib/chromium', VK_ICD_FILENAMES: '/usr/lib/chromium/vk_swiftshader_icd.json' };
}

let dawnReady: Promise<void> | null = null;

/** Install Dawn's WebGPU globals (navigator.gpu, GPUBufferUsage, ...) once, before tfjs-backend-webgpu loads. */
async function installDawn(): Promise<void> {
  const g = globalThis as unknown as { navigator?: { gpu?: unknown } };
  if (g.navigator?.gpu) return;
  const { create, globals } = await import('webgpu');
  Object.assign(globalThis, globals);
  const gpu = create([]);
  if (g.navigator) Object.defineProperty(g.navigator, 'gpu', { value: gpu, configurable: true });
  else Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true, writable: true });
}

/** The WebGPU engine on Dawn, or an Error saying why it cannot start. */
export async function createNodeWebGpu(tuning: Partial<GpuTuning> = {}): Promise<GpuComputeBackend> {
  dawnReady ??= installDawn();
  await dawnReady;
  const tf = await import('@tensorflow/tfjs-core');
  await import('@tensorflow/tfjs-backend-webgpu');
  const ok = await tf.setBackend('webgpu');
  await tf.ready();
  if (!ok || tf.getBackend() !== 'webgpu') {
    throw new Error(
      `WebGPU is not available in this Node process (tfjs backend is '${tf.getBackend()}'); ` +
        'Dawn found no adapter — on this machine start Node with LD_LIBRARY_PATH=/usr/lib/chromium ' +
        'VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json, elsewhere install a Vulkan driver',
    );
  }
  const { WebGpuComputeBackend } = await import('./webgpu/backend');
  return new WebGpuComputeBackend(tf, { ...DEFAULT_TUNING, ...tuning }).ready();
}

/** 'webgpu': the WebGPU engine or an Error; 'auto': WebGPU, else the float64 CPU reference; 'cpu': the reference. */
export async function createNodeBackend(pref: 'webgpu' | 'cpu' | 'auto' = 'auto', tuning: Partial<GpuTuning> = {}): Promise<ComputeBackend> {
  if (pref === 'cpu') return cpuBackend;
  try {
    return await createNodeWebGpu(tuning);
  } catch (e) {
    if (pref === 'webgpu') throw e;
    return cpuBackend;
  }
}
