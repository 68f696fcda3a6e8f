/**
 * Our own WGSL kernels, registered as tfjs kernels for the 'webgpu' backend and run through the
 * backend's `runWebGPUProgram` (tfjs compiles, caches the pipeline and records the dispatch into its
 * command encoder). Every kernel works IN PLACE on one float32 state tensor (the program output,
 * bound read_write), with the packed problem data as read-only inputs; it returns the state's
 * dataId with its reference count raised, like tfjs's own reshape.
 *
 * One workgroup per problem (workgroup id linearised, since tfjs may reshape a large dispatch).
 * - SimlabItmlSweeps: `nSweeps` cyclic Bregman sweeps of ITML for all unfinished problems
 *   (METHOD.md §3), W̃ in workgroup memory when it fits, else in the state buffer; the threads
 *   share each projection's v and W̃v and the rank-one update; λ, ξ, the convergence sums and the
 *   stop test live on the GPU.
 * - SimlabRitmlEstimate: the RITML outer step for all problems (METHOD.md §4): distances of all
 *   training constraints under W̃, training fulfilment, best-W selection, the median of all dn, df
 *   by bisection on the float bit patterns, stretch / bias bounds, reset of λ, ξ, W̃.
 * - SimlabScore: strict fulfilment counts of many (W, constraint set) items on shared X.
 */
import { registerKernel, type KernelConfig, type TensorInfo } from '@tensorflow/tfjs-core';
import { pairAddProductSrc, twoProductSrc, type TwoProductMode } from './common';
import type { WebGPUBackend, WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';
import { META, M_COFF, M_CCOUNT, M_MAXSWEEPS, M_ROFF, M_RCOUNT, M_OUTER, M_FLAGS, PROBF, S, P_SKIP } from './pack';
import {
  ST_ITML_DONE, ST_SWEEPS, ST_CONV, ST_CONVERGED, ST_TOTAL_SWEEPS, ST_PROJ, ST_RITML_DONE, ST_OUTER, ST_BEST, ST_BEST_ITER, ST_STOPPED,
  ST_TOTAL_PROJ,
} from './pack';

export const ITML_SWEEPS = 'SimlabItmlSweeps';
export const RITML_ESTIMATE = 'SimlabRitmlEstimate';
export const SCORE = 'SimlabScore';

type Dispatch = [number, number, number];

const linearWorkgroup = `i32(workgroupId.z * numWorkgroups.x * numWorkgroups.y + workgroupId.y * numWorkgroups.x + workgroupId.x)`;

function f32lit(x: number): string {
  const s = x.toExponential();
  return s.includes('e') ? s.replace('e+', 'e') : s;
}

/** W̃ accessors (high and low parts): workgroup arrays or the state buffer at the problem's blocks. */
function wAccess(shared: boolean, comp: boolean): { decl: string; get: (e: string) => string; lo: (e: string) => string; sync: string } {
  return shared
    ? {
        decl: 'var<workgroup> Ws : array<f32, DD>;' + (comp ? '\nvar<workgroup> Wl : array<f32, DD>;' : ''),
        get: (e) => `Ws[${e}]`,
        lo: (e) => `Wl[${e}]`,
        sync: 'workgroupBarrier();',
      }
    : { decl: '', get: (e) => `result[wb + ${e}]`, lo: (e) => `result[uniforms.offLo + wb + ${e}]`, sync: 'storageBarrier(); workgroupBarrier();' };
}

/** A WGSL probe: for pairs (a, b) in buf[2k], buf[2k+1], writes the error terms of both product modes. */
export function twoProductProbeWgsl(n: number): string {
  return `${twoProductSrc('wgsl', 'split', 'twoProdSplit')}
${twoProductSrc('wgsl', 'fma', 'twoProdFma')}
@group(0) @binding(0) var<storage, read_write> buf : array<f32>;
@compute @workgroup_size(1) fn main() {
  for (var k = 0; k < ${n}; k++) {
    let a = buf[2 * k];
    let b = buf[2 * k + 1];
    buf[${2 * n} + 2 * k] = twoProdFma(a, b).y;
    buf[${2 * n} + 2 * k + 1] = twoProdSplit(a, b).y;
  }
}`;
}

export interface SweepAttrs {
  B: number;
  d: number;
  wg: number;
  shared: boolean;
  nSweeps: number;
  offL: number;
  offXi: number;
  offS: number;
  offLo: number;
  /** float32-pair accumulation of W̃ with this product mode; null: plain float32 */
  twoProd: TwoProductMode | null;
}

class ItmlSweepProgram implements WebGPUProgram {
  variableNames = ['pmeta', 'pidx', 'pf', 'xt', 'probF'];
  outputShape: number[];
  shaderKey: string;
  dispatchLayout = { x: [0] };
  dispatch: Dispatch;
  workgroupSize: Dispatch;
  uniforms = 'nProb : i32, offL : i32, offXi : i32, offS : i32, nSweeps : i32, offLo : i32,';
  size = false;
  constructor(
    private readonly a: SweepAttrs,
    stateLen: number,
  ) {
    this.outputShape = [stateLen];
    this.dispatch = [a.B, 1, 1];
    this.workgroupSize = [a.wg, 1, 1];
    this.shaderKey = `simlabItmlSweeps_${a.d}_${a.wg}_${a.shared ? 'wg' : 'st'}_${a.twoProd ?? 'f32'}`;
  }
  getUserCode(): string {
    const { d, wg, shared, twoProd } = this.a;
    const comp = twoProd !== null;
    const W = wAccess(shared, comp);
    // W̃ ← W̃ + β (W̃v)(W̃v)ᵀ, element e = (r, q): plain float32, or as a float32 pair (hi, lo) with an
    // error-free product β·u_r·u_q and an error-free sum (TwoSum), so that the rounding errors of the
    // tens of thousands of updates of a fit do not pile up
    const update = comp
      ? `${pairAddProductSrc('wgsl', { beta: 'beta', ur: 'swv[r]', uq: 'swv[q]', hi: W.get('e'), lo: W.lo('e') })}
          ${W.get('e')} = nh;
          ${W.lo('e')} = nl;`
      : `${W.get('e')} += beta * (swv[r] * swv[q]);`;
    const lo = `uniforms.offLo + wb`;
    return `
${comp ? twoProductSrc('wgsl', twoProd) : ''}
const D : i32 = ${d};
const DD : i32 = ${d * d};
const WG : i32 = ${wg};
const S : i32 = ${S};
${W.decl}
var<workgroup> sv : array<f32, ${d}>;
var<workgroup> swv : array<f32, ${d}>;
var<workgroup> uB : i32;
var<workgroup> uCount : i32;
var<workgroup> uRun : i32;

fn main(index : i32) {
  // tfjs copies the builtins into private variables, which the uniformity analysis cannot see
  // through: broadcast the problem index with workgroupUniformLoad
  if (localIndex == 0u) { uB = ${linearWorkgroup}; }
  let b = workgroupUniformLoad(&uB);
  if (b >= uniforms.nProb) { return; }
  let t = i32(localIndex);
  let wb = b * DD;
  let sb = uniforms.offS + b * S;
  let cOff = pmeta[b * ${META} + ${M_COFF}];
  let maxSweeps = f32(pmeta[b * ${META} + ${M_MAXSWEEPS}]);
  let tol = probF[b * ${PROBF}];
  if (t == 0) {
    uCount = pmeta[b * ${META} + ${M_CCOUNT}];
    uRun = select(1, 0, result[sb + ${ST_ITML_DONE}] != 0.0);
  }
  let cnt = workgroupUniformLoad(&uCount);
  let run0 = workgroupUniformLoad(&uRun);
  if (run0 == 0) { return; }
  ${shared ? `for (var e = t; e < DD; e += WG) { Ws[e] = result[wb + e];${comp ? ` Wl[e] = result[${lo} + e];` : ''} }\n  workgroupBarrier();` : ''}
  var sweeps = result[sb + ${ST_SWEEPS}];
  var proj = result[sb + ${ST_PROJ}];
  for (var s = 0; s < uniforms.nSweeps; s++) {
    var l1 = 0.0;
    var n2 = 0.0;
    var n2o = 0.0;
    for (var c = 0; c < cnt; c++) {
      let g = cOff + c;
      let xi0 = pidx[g * 3] * D;
      let xj0 = pidx[g * 3 + 1] * D;
      let delta = pf[g * 2];
      let gam = pf[g * 2 + 1];
      let lam = result[uniforms.offL + g];
      let xi = result[uniforms.offXi + g];
      var vl : array<f32, ${d}>;
      for (var k = 0; k < D; k++) { vl[k] = xt[xi0 + k] - xt[xj0 + k]; }
      for (var r = t; r < D; r += WG) {
        var acc = 0.0;
        ${comp ? 'var accl = 0.0;' : ''}
        let row = r * D;
        for (var k = 0; k < D; k++) { acc += ${W.get('row + k')} * vl[k];${comp ? ` accl += ${W.lo('row + k')} * vl[k];` : ''} }
        swv[r] = acc${comp ? ' + accl' : ''};
        sv[r] = vl[r];
      }
      ${W.sync}
      var p = 0.0;
      for (var k = 0; k < D; k++) { p += sv[k] * swv[k]; }
      if (delta != 0.0 && p > ${f32lit(P_SKIP)}) {
        // γ = ∞ (hard constraints): γ/(γ+1) = 1 and 1/γ = 0, as the reference
        let hard = gam > 3.0e38;
        let gp = select(gam / (gam + 1.0), 1.0, hard);
        let ig = select(1.0 / gam, 0.0, hard);
        let alpha = min(lam, delta * gp * (1.0 / p - 1.0 / xi));
        let beta = delta * alpha / (1.0 - delta * alpha * p);
        if (t == 0) {
          let lnew = lam - alpha;
          result[uniforms.offXi + g] = 1.0 / (1.0 / xi + delta * alpha * ig);
          result[uniforms.offL + g] = lnew;
          l1 += abs(alpha);
          n2 += lnew * lnew;
          n2o += lam * lam;
          proj += 1.0;
        }
        for (var e = t; e < DD; e += WG) {
          let r = e / D;
          let q = e - r * D;
          ${update}
        }
      } else if (t == 0) {
        n2 += lam * lam;
        n2o += lam * lam;
      }
      ${W.sync}
    }
    if (t == 0) {
      sweeps += 1.0;
      let den = sqrt(n2) + sqrt(n2o);
      var conv = 0.0;
      var conv_ok = true;
      if (den > 0.0) {
        conv = l1 / den;
        conv_ok = conv < tol;
      }
      var fin = conv_ok;
      if (sweeps >= maxSweeps) { fin = true; }
      result[sb + ${ST_SWEEPS}] = sweeps;
      result[sb + ${ST_CONV}] = conv;
      result[sb + ${ST_CONVERGED}] = select(0.0, 1.0, conv_ok);
      result[sb + ${ST_PROJ}] = proj;
      result[sb + ${ST_TOTAL_SWEEPS}] = result[sb + ${ST_TOTAL_SWEEPS}] + 1.0;
      result[sb + ${ST_ITML_DONE}] = select(0.0, 1.0, fin);
      uRun = select(1, 0, fin);
    }
    let run = workgroupUniformLoad(&uRun);
    if (run == 0) { break; }
  }
  ${shared ? `workgroupBarrier();\n  for (var e = t; e < DD; e += WG) { result[wb + e] = Ws[e];${comp ? ` result[${lo} + e] = Wl[e];` : ''} }` : ''}
}
`;
  }
}

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
const S : i32 = ${S};
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
  let rOff = pmeta[b * ${META} + ${M_ROFF}];
  let rCount = pmeta[b * ${META} + ${M_RCOUNT}];
  let cOff = pmeta[b * ${META} + ${M_COFF}];
  let cCount = pmeta[b * ${META} + ${M_CCOUNT}];
  let outer = f32(pmeta[b * ${META} + ${M_OUTER}]);
  let flags = pmeta[b * ${META} + ${M_FLAGS}];
  let stretch = probF[b * ${PROBF} + 1];
  let bias = probF[b * ${PROBF} + 2];
  let eps = probF[b * ${PROBF} + 3];
  if (t == 0) { uFlag = select(1, 0, result[sb + ${ST_RITML_DONE}] != 0.0); }
  let live = workgroupUniformLoad(&uFlag);
  if (live == 0) { return; }
  // 1. distances of all training constraints under the current W̃, fulfilment count
  if (t == 0) { atomicStore(&cntA, 0u); }
  workgroupBarrier();
  var ok = 0u;
  for (var r = t; r < rCount; r += WG) {
    let g = rOff + r;
    let a0 = rel[g * 3] * D;
    let dn = quad(wb, a0, rel[g * 3 + 1] * D);
    let df = quad(wb, a0, rel[g * 3 + 2] * D);
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
      iter = result[sb + ${ST_OUTER}] + 1.0;
      result[sb + ${ST_OUTER}] = iter;
      result[sb + ${ST_TOTAL_PROJ}] = result[sb + ${ST_TOTAL_PROJ}] + result[sb + ${ST_PROJ}];
      if ((flags & 2) != 0) {
        improved = score > result[sb + ${ST_BEST}];
        if (!improved) { done = true; result[sb + ${ST_STOPPED}] = 1.0; }
      }
      if (iter >= outer) { done = true; }
    }
    if (iter < f32(uniforms.hLen)) { result[uniforms.offH + b * uniforms.hLen + i32(iter)] = score; }
    if (improved) {
      result[sb + ${ST_BEST}] = score;
      result[sb + ${ST_BEST_ITER}] = iter;
    }
    result[sb + ${ST_RITML_DONE}] = select(0.0, 1.0, done);
    result[sb + ${ST_ITML_DONE}] = select(0.0, 1.0, done);
    uFlag = select(0, 1, improved) + select(0, 2, done);
  }
  let fl = workgroupUniformLoad(&uFlag);
  if ((fl & 1) != 0) {
    for (var e = t; e < DD; e += WG) { result[bw + e] = result[wb + e] + result[uniforms.offLo + wb + e]; }
  }
  if ((fl & 2) != 0) { return; }
  // 3. median of all dn, df (skipped for the percentile first bounds): τ = bias · median and the
  //    smallest similarity bound uMin = epsilon · median, as estimatePairConstraints in src/core/ritml.ts
  let pct = uniforms.first != 0 && (flags & 4) != 0;
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
      let r = pidx[g * 3 + 2];
      let dn = result[uniforms.offDn + r];
      let df = result[uniforms.offDf + r];
      if (dn >= df) {
        let m = 0.5 * (dn + df);
        let h = 0.5 * abs(df - dn);
        bd = select(m + stretch * h + tau, max(uMin, m - stretch * h - tau), pf[g * 2] > 0.0);
      } else {
        bd = select(df, dn, pf[g * 2] > 0.0);
      }
    }
    result[uniforms.offBd + g] = bd;
    result[uniforms.offXi + g] = bd;
    result[uniforms.offL + g] = 0.0;
  }
  if ((flags & 1) == 0) {
    for (var e = t; e < DD; e += WG) {
      let r = e / D;
      result[wb + e] = select(0.0, 1.0, r * D + r == e);
      result[uniforms.offLo + wb + e] = 0.0;
    }
  }
  if (t == 0) {
    result[sb + ${ST_SWEEPS}] = 0.0;
    result[sb + ${ST_PROJ}] = 0.0;
    result[sb + ${ST_CONVERGED}] = 0.0;
  }
}
`;
  }
}

export interface ScoreAttrs {
  B: number;
  d: number;
  wg: number;
}

class ScoreProgram implements WebGPUProgram {
  variableNames = ['smeta', 'cons', 'sx', 'sw'];
  outputShape: number[];
  shaderKey: string;
  dispatchLayout = { x: [0] };
  dispatch: Dispatch;
  workgroupSize: Dispatch;
  uniforms = 'nProb : i32,';
  size = false;
  constructor(private readonly a: ScoreAttrs) {
    this.outputShape = [a.B];
    this.dispatch = [a.B, 1, 1];
    this.workgroupSize = [a.wg, 1, 1];
    this.shaderKey = `simlabScore_${a.d}_${a.wg}`;
  }
  getUserCode(): string {
    const { d, wg } = this.a;
    return `
const D : i32 = ${d};
const WG : i32 = ${wg};
var<workgroup> cntA : atomic<u32>;
var<workgroup> uB : i32;
fn quadS(wb : i32, i0 : i32, j0 : i32) -> f32 {
  var s = 0.0;
  for (var r = 0; r < D; r++) {
    var acc = 0.0;
    for (var k = 0; k < D; k++) { acc += sw[wb + r * D + k] * (sx[i0 + k] - sx[j0 + k]); }
    s += (sx[i0 + r] - sx[j0 + r]) * acc;
  }
  return s;
}
fn main(index : i32) {
  // tfjs copies the builtins into private variables, which the uniformity analysis cannot see
  // through: broadcast the problem index with workgroupUniformLoad
  if (localIndex == 0u) { uB = ${linearWorkgroup}; }
  let b = workgroupUniformLoad(&uB);
  if (b >= uniforms.nProb) { return; }
  let t = i32(localIndex);
  if (t == 0) { atomicStore(&cntA, 0u); }
  workgroupBarrier();
  let off = smeta[b * 2];
  let cnt = smeta[b * 2 + 1];
  let wb = b * D * D;
  var ok = 0u;
  for (var r = t; r < cnt; r += WG) {
    let g = off + r;
    let a0 = cons[g * 3] * D;
    if (quadS(wb, a0, cons[g * 3 + 1] * D) < quadS(wb, a0, cons[g * 3 + 2] * D)) { ok += 1u; }
  }
  atomicAdd(&cntA, ok);
  workgroupBarrier();
  if (t == 0) { result[b] = f32(atomicLoad(&cntA)); }
}
`;
  }
}

interface KernelArgs {
  inputs: Record<string, TensorInfo>;
  backend: unknown;
  attrs?: Record<string, unknown>;
}

function inPlace(backend: WebGPUBackend, state: TensorInfo): TensorInfo {
  backend.incRef(state.dataId);
  return { dataId: state.dataId, shape: state.shape, dtype: state.dtype };
}

function u(...v: number[]) {
  return v.map((x) => ({ type: 'int32', data: [x] }));
}

const sweepKernel: KernelConfig = {
  kernelName: ITML_SWEEPS,
  backendName: 'webgpu',
  kernelFunc: ({ inputs, backend, attrs }: KernelArgs) => {
    const be = backend as WebGPUBackend;
    const a = attrs as unknown as SweepAttrs;
    const { state, pmeta, pidx, pf, xt, probF } = inputs;
    const prog = new ItmlSweepProgram(a, state.shape[0]);
    be.runWebGPUProgram(prog, [pmeta, pidx, pf, xt, probF], 'float32', u(a.B, a.offL, a.offXi, a.offS, a.nSweeps, a.offLo), state);
    return inPlace(be, state);
  },
} as unknown as KernelConfig;

const estimateKernel: KernelConfig = {
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
      u(a.B, a.first, a.offBW, a.offL, a.offXi, a.offBd, a.offS, a.offDn, a.offDf, a.offH, a.outerMax + 1, a.offLo),
      state,
    );
    return inPlace(be, state);
  },
} as unknown as KernelConfig;

const scoreKernel: KernelConfig = {
  kernelName: SCORE,
  backendName: 'webgpu',
  kernelFunc: ({ inputs, backend, attrs }: KernelArgs) => {
    const be = backend as WebGPUBackend;
    const a = attrs as unknown as ScoreAttrs;
    const { smeta, cons, sx, sw } = inputs;
    return be.runWebGPUProgram(new ScoreProgram(a), [smeta, cons, sx, sw], 'float32', u(a.B));
  },
} as unknown as KernelConfig;

let registered = false;
/** Register the three kernels once (idempotent). */
export function registerSimlabWebGpuKernels(): void {
  if (registered) return;
  registerKernel(sweepKernel);
  registerKernel(estimateKernel);
  registerKernel(scoreKernel);
  registered = true;
}
