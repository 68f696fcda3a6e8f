/** Pieces shared by the WGSL kernels of the WebGPU engine (no tfjs-core runtime import). */
import type { TensorInfo } from '@tensorflow/tfjs-core';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';

export type Dispatch = [number, number, number];

/** The problem index of this workgroup (workgroup id linearised, since tfjs may reshape a large dispatch). */
export const linearWorkgroup = `i32(workgroupId.z * numWorkgroups.x * numWorkgroups.y + workgroupId.y * numWorkgroups.x + workgroupId.x)`;

/** A WGSL float literal. */
export function f32lit(x: number): string {
  const s = x.toExponential();
  return s.includes('e') ? s.replace('e+', 'e') : s;
}

/** W̃ accessors (high and low parts): workgroup arrays or the state buffer at the problem's blocks. */
export function wAccess(shared: boolean, comp: boolean): { decl: string; get: (e: string) => string; lo: (e: string) => string; sync: string } {
  return shared
    ? {
        decl: 'var<workgroup> Ws : array<f32, DD>;' + (comp ? '\nvar<workgroup> Wl : array<f32, DD>;' : ''),
        get: (e) => `Ws[${e}]`,
        lo: (e) => `Wl[${e}]`,
        sync: 'workgroupBarrier();',
      }
    : { decl: '', get: (e) => `result[wb + ${e}]`, lo: (e) => `result[uniforms.offLo + wb + ${e}]`, sync: 'storageBarrier(); workgroupBarrier();' };
}

/** Arguments tfjs passes to a kernel function. */
export interface KernelArgs {
  inputs: Record<string, TensorInfo>;
  backend: unknown;
  attrs?: Record<string, unknown>;
}

/** The kernels work in place on the state tensor: return its dataId with the reference count raised (like tfjs's reshape). */
export function inPlace(backend: WebGPUBackend, state: TensorInfo): TensorInfo {
  backend.incRef(state.dataId);
  return { dataId: state.dataId, shape: state.shape, dtype: state.dtype };
}

/** int32 uniforms, in the order of the program's `uniforms` declaration. */
export function intUniforms(...v: number[]) {
  return v.map((x) => ({ type: 'int32', data: [x] }));
}
