/**
 * Our WGSL kernels, registered as tfjs kernels for the 'webgpu' backend and run through the backend's
 * `runWebGPUProgram` (tfjs compiles, caches the pipeline and records the dispatch into its command
 * encoder). Every kernel works IN PLACE on one float32 state tensor (the program output, bound
 * read_write), with the packed problem data (pack.ts) as read-only inputs. One program per file:
 * itml-sweeps.ts, ritml-estimate.ts (and the raw-WebGPU device probe, two-product-probe.ts).
 */
import { registerKernel } from '@tensorflow/tfjs-core';
import { sweepKernel } from './itml-sweeps';
import { estimateKernel } from './ritml-estimate';

export { ITML_SWEEPS, type SweepAttrs } from './itml-sweeps';
export { RITML_ESTIMATE, type EstimateAttrs } from './ritml-estimate';

let registered = false;
/** Register the kernels once (idempotent). */
export function registerSimlabWebGpuKernels(): void {
  if (registered) return;
  registerKernel(sweepKernel);
  registerKernel(estimateKernel);
  registered = true;
}
