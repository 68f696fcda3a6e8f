/**
 * WGSL kernel `SimlabRitmlEstimate`: the RITML outer step for all problems (METHOD.md §4, the same steps
 * as `RitmlRun` in src/core/ritml.ts): distances of all training constraints under W̃, training
 * fulfilment, best-W̃ selection and stop decisions, the median of all dn, df by bisection on the float
 * bit patterns, stretch / bias bounds, reset of λ, ξ and W̃. Works in place on the state tensor.
 */
import type { KernelConfig } from '@tensorflow/tfjs-core';
import type { WebGPUBackend, WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';
import { wgslLayout } from '../pack';
import { inPlace, intUniforms, linearWorkgroup, type Dispatch, type KernelArgs } from './shared';

export const RITML_ESTIMATE = 'SimlabRitmlEstimate';

export interface EstimateAttrs {
  B: number;
  d: number;
  wg: number;
  /** 1: the first call (iteration 0: score the prior, estimate the first bounds) */
  first: number;
  offBW: number;
  offL: number;
  offXi: number;
  offBd: number;
  offS: number;
  offDn: number;
  offDf: number;
  offH: number;
  offLo: number;
  outerMax: number;
}

class RitmlEstimateProgram implements WebGPUProgram {
  variableNames = ['pmeta', 'pidx', 'pf', 'xt', 'probF', 'rel'];
  outputShape: number[];
  shaderKey: string;
  dispatchLayout = { x: [0] };
  dispatch: Dispatch;
  workgroupSize: Dispatch;
  uniforms =
    'nProb : i32, first : i32, offBW : i32, offL : i32, offXi : i32, offBd : i32, offS : i32, offDn : i32, offDf : i32, offH : i32, hLen : i32, offLo : i32,';
  size = false;
  constructor(
    private readonly a: EstimateAttrs,
    stateLen: number,
  ) {
    this.outputShape = [stateLen];
    this.dispatch = [a.B, 1, 1];
    this.workgroupSize = [a.wg, 1, 1];
    this.shaderKey = `simlabRitmlEstimate_${a.d}_${a.wg}`;
  }
  getUserCode(): string {
    const { d, wg } = this.a;
    return `
const D : i32 = ${d};
const DD : i32 = ${d * d};
const WG : i32 = ${wg};
${wgslLayout()}
// bits of the bookkeeping flag broadcast by thread 0
const IMPROVED : i32 = 1;
const DONE : i32 = 2;
var<workgroup> cntA : atomic<u32>;
var<workgroup> uB : i32;
var<workgroup> uFlag : i32;
var<workgroup> uScore : f32;

fn quad(wb : i32, i0 : i32, j0 : i32) -> f32 {
  var s = 0.0;
  for (var r = 0; r < D; r++) {
    var acc = 0.0;
    for (var k = 0; k < D; k++) { acc += (result[wb + r * D + k] + result[uniforms.offLo + wb + r * D + k]) * (xt[i0 + k] - xt[j0 + k]); }
    s += (xt[i0 + r] - xt[j0 + r]) * acc;
  }
  return s;
}

fn key(x : f32) -> u32 { return bitcast<u32>(max(x, 0.0)); }

// k-th smallest (0-based) key among dn, df of this problem: bisection on the bit pattern
fn kth(rOff : i32, rCount : i32, k : u32, t : i32) -> u32 {
  var lo = 0u;
  var hi = 0x7f800000u;
  for (var it = 0; it < 32; it++) {
    let mid = lo + (hi - lo) / 2u;
    if (t == 0) { atomicStore(&cntA, 0u); }
    workgroupBarrier();
    var loc = 0u;
    for (var r = t; r < rCount; r += WG) {
      if (key(result[uniforms.offDn + rOff + r]) <= mid) { loc += 1u; }
      if (key(result[uniforms.offDf + rOff + r]) <= mid) { loc += 1u; }
    }
    atomicAdd(&cntA, loc);
    workgroupBarrier();
    let tot = atomicLoad(&cntA);
    workgroupBarrier();
    if (tot >= k + 1u) { hi = mid; } else { lo = mid + 1u; }
  }
  return lo;
}

fn main(index : i32) {
  // tfjs copies the builtins into private variables, which the uniformity analysis cannot see
  // through: broadcast the problem index with workgroupUniformLoad
  if (localIndex == 0u) { uB = ${linearWorkgroup}; }
  let b = workgroupUniformLoad(&uB);
  if (b >= uniforms.nProb) { return; }
  let t = i32(localIndex);
  let wb = b * DD;
  let bw = uniforms.offBW + wb;
  let sb = uniforms.offS + b * S;
  let rOff = pmeta[b * META + M_ROFF];
  let rCount = pmeta[b * META + M_RCOUNT];
  let cOff = pmeta[b * META + M_COFF];
  let cCount = pmeta[b * META + M_CCOUNT];
  let outer = f32(pmeta[b * META + M_OUTER]);
  let flags = pmeta[b * META + M_FLAGS];
  let stretch = probF[b * PROBF + P_STRETCH];
  let bias = probF[b * PROBF + P_BIAS];
  let eps = probF[b * PROBF + P_EPS];
  if (t == 0) { uFlag = select(1, 0, result[sb + ST_RITML_DONE] != 0.0); }
  let live = workgroupUniformLoad(&uFlag);
  if (live == 0) { return; }
  // 1. distances of all training constraints under the current W̃, fulfilment count
  if (t == 0) { atomicStore(&cntA, 0u); }
  workgroupBarrier();
  var ok = 0u;
  for (var r = t; r < rCount; r += WG) {
    let g = rOff + r;
    let a0 = rel[g * REL + R_A] * D;
    let dn = quad(wb, a0, rel[g * REL + R_N] * D);
    let df = quad(wb, a0, rel[g * REL + R_F] * D);
    result[uniforms.offDn + g] = dn;
    result[uniforms.offDf + g] = df;
    if (dn < df) { ok += 1u; }
  }
  atomicAdd(&cntA, ok);
  storageBarrier();
  workgroupBarrier();
  // 2. bookkeeping (thread 0): history, best W̃, stop decisions
  if (t == 0) {
    let score = f32(atomicLoad(&cntA)) / f32(rCount);
    var iter = 0.0;
    var improved = true;
    var done = false;
    if (uniforms.first == 0) {
      iter = result[sb + ST_OUTER] + 1.0;
      result[sb + ST_OUTER] = iter;
      result[sb + ST_TOTAL_PROJ] = result[sb + ST_TOTAL_PROJ] + result[sb + ST_PROJ];
      if ((flags & F_SELECT_BEST) != 0) {
        improved = score > result[sb + ST_BEST];
        if (!improved) { done = true; result[sb + ST_STOPPED] = 1.0; }
      }
      if (iter >= outer) { done = true; }
    }
    if (iter < f32(uniforms.hLen)) { result[uniforms.offH + b * uniforms.hLen + i32(iter)] = score; }
    if (improved) {
      result[sb + ST_BEST] = score;
      result[sb + ST_BEST_ITER] = iter;
    }
    // the prior is no candidate: iteration 1 always improves on it
    if (uniforms.first != 0 && (flags & F_NO_PRIOR) != 0) { result[sb + ST_BEST] = -1.0; }
    result[sb + ST_RITML_DONE] = select(0.0, 1.0, done);
    result[sb + ST_ITML_DONE] = select(0.0, 1.0, done);
    uFlag = select(0, IMPROVED, improved) + select(0, DONE, done);
  }
  let fl = workgroupUniformLoad(&uFlag);
  if ((fl & IMPROVED) != 0) {
    for (var e = t; e < DD; e += WG) { result[bw + e] = result[wb + e] + result[uniforms.offLo + wb + e]; }
  }
  if ((fl & DONE) != 0) { return; }
  // 3. median of all dn, df (skipped for the percentile first bounds): τ = bias · median and the
  //    smallest similarity bound uMin = epsilon · median (for violated and satisfied pairs), as
  //    estimatePairConstraints in src/core/ritml.ts
  let pct = uniforms.first != 0 && (flags & F_PERCENTILE) != 0;
  if (t == 0) { uFlag = select(0, 1, (bias > 0.0 || eps > 0.0) && !pct); }
  let needMedian = workgroupUniformLoad(&uFlag);
  var tau = 0.0;
  var uMin = 1e-30;
  if (needMedian != 0) {
    let n = u32(2 * rCount);
    let k1 = kth(rOff, rCount, (n - 1u) / 2u, t);
    let k2 = kth(rOff, rCount, n / 2u, t);
    let med = 0.5 * (bitcast<f32>(k1) + bitcast<f32>(k2));
    tau = bias * med;
    uMin = max(eps * med, 1e-30);
  }
  // 4. new bounds, reset of λ, ξ and W̃
  for (var c = t; c < cCount; c += WG) {
    let g = cOff + c;
    var bd = result[uniforms.offBd + g];
    if (!pct) {
      let r = pidx[g * PIDX + PI_REL];
      let dn = result[uniforms.offDn + r];
      let df = result[uniforms.offDf + r];
      if (dn >= df) {
        let m = 0.5 * (dn + df);
        let h = 0.5 * abs(df - dn);
        bd = select(m + stretch * h + tau, max(uMin, m - stretch * h - tau), pf[g * PF + PF_DELTA] > 0.0);
      } else {
        bd = select(df, max(uMin, dn), pf[g * PF + PF_DELTA] > 0.0);
      }
    }
    result[uniforms.offBd + g] = bd;
    result[uniforms.offXi + g] = bd;
    result[uniforms.offL + g] = 0.0;
  }
  if ((flags & F_WARM_START) == 0) {
    for (var e = t; e < DD; e += WG) {
      let r = e / D;
      result[wb + e] = select(0.0, 1.0, r * D + r == e);
      result[uniforms.offLo + wb + e] = 0.0;
    }
  }
  if (t == 0) {
    result[sb + ST_SWEEPS] = 0.0;
    result[sb + ST_PROJ] = 0.0;
    result[sb + ST_CONVERGED] = 0.0;
  }
}
`;
  }
}

export const estimateKernel: KernelConfig = {
  kernelName: RITML_ESTIMATE,
  backendName: 'webgpu',
  kernelFunc: ({ inputs, backend, attrs }: KernelArgs) => {
    const be = backend as WebGPUBackend;
    const a = attrs as unknown as EstimateAttrs;
    const { state, pmeta, pidx, pf, xt, probF, rel } = inputs;
    const prog = new RitmlEstimateProgram(a, state.shape[0]);
    be.runWebGPUProgram(
      prog,
      [pmeta, pidx, pf, xt, probF, rel],
      'float32',
      intUniforms(a.B, a.first, a.offBW, a.offL, a.offXi, a.offBd, a.offS, a.offDn, a.offDf, a.offH, a.outerMax + 1, a.offLo),
      state,
    );
    return inPlace(be, state);
  },
} as unknown as KernelConfig;
