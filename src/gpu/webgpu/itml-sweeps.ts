/**
 * WGSL kernel `SimlabItmlSweeps`: `nSweeps` cyclic Bregman sweeps of ITML (METHOD.md §3) for every
 * unfinished problem of the batch, one workgroup per problem. W̃ lives in workgroup memory when it fits,
 * else in the state buffer; the threads share each projection's v and W̃v and the rank-one update; λ, ξ,
 * the convergence sums and the stop test stay on the GPU. Works in place on the state tensor.
 */
import type { KernelConfig } from '@tensorflow/tfjs-core';
import type { WebGPUBackend, WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';
import { pairAddProductSrc, twoProductSrc, type TwoProductMode } from '../common';
import { P_SKIP, wgslLayout } from '../pack';
import { f32lit, inPlace, intUniforms, linearWorkgroup, wAccess, type Dispatch, type KernelArgs } from './shared';

export const ITML_SWEEPS = 'SimlabItmlSweeps';

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
${wgslLayout()}
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
  let cOff = pmeta[b * META + M_COFF];
  let maxSweeps = f32(pmeta[b * META + M_MAXSWEEPS]);
  let tol = probF[b * PROBF + P_TOL];
  if (t == 0) {
    uCount = pmeta[b * META + M_CCOUNT];
    uRun = select(1, 0, result[sb + ST_ITML_DONE] != 0.0);
  }
  let cnt = workgroupUniformLoad(&uCount);
  let run0 = workgroupUniformLoad(&uRun);
  if (run0 == 0) { return; }
  ${shared ? `for (var e = t; e < DD; e += WG) { Ws[e] = result[wb + e];${comp ? ` Wl[e] = result[${lo} + e];` : ''} }\n  workgroupBarrier();` : ''}
  var sweeps = result[sb + ST_SWEEPS];
  var proj = result[sb + ST_PROJ];
  for (var s = 0; s < uniforms.nSweeps; s++) {
    var l1 = 0.0;
    var n2 = 0.0;
    var n2o = 0.0;
    for (var c = 0; c < cnt; c++) {
      let g = cOff + c;
      let xi0 = pidx[g * PIDX + PI_I] * D;
      let xj0 = pidx[g * PIDX + PI_J] * D;
      let delta = pf[g * PF + PF_DELTA];
      let gam = pf[g * PF + PF_GAMMA];
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
      result[sb + ST_SWEEPS] = sweeps;
      result[sb + ST_CONV] = conv;
      result[sb + ST_CONVERGED] = select(0.0, 1.0, conv_ok);
      result[sb + ST_PROJ] = proj;
      result[sb + ST_TOTAL_SWEEPS] = result[sb + ST_TOTAL_SWEEPS] + 1.0;
      result[sb + ST_ITML_DONE] = select(0.0, 1.0, fin);
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

export const sweepKernel: KernelConfig = {
  kernelName: ITML_SWEEPS,
  backendName: 'webgpu',
  kernelFunc: ({ inputs, backend, attrs }: KernelArgs) => {
    const be = backend as WebGPUBackend;
    const a = attrs as unknown as SweepAttrs;
    const { state, pmeta, pidx, pf, xt, probF } = inputs;
    const prog = new ItmlSweepProgram(a, state.shape[0]);
    be.runWebGPUProgram(prog, [pmeta, pidx, pf, xt, probF], 'float32', intUniforms(a.B, a.offL, a.offXi, a.offS, a.nSweeps, a.offLo), state);
    return inPlace(be, state);
  },
} as unknown as KernelConfig;
