/**
 * Browser harness for e2e/gpu.spec.ts: runs one check of the GPU engine against the float64 core in
 * the page and publishes the numbers on window.__gpu (window.__gpuError on failure).
 *   golden: the ITML golden problem (test/fixtures/itml-identity) — relative error to A_octave, satisfied share
 *   ritml:  ≥ 100 RITML problems (timbre studies × folds × γ) — every fold's test score vs float64
 *   ill:    ITML with a prior of condition number 1e6 — positive definite, close to float64
 */
import { createBackend, type BackendPref } from '../src/gpu/select';
import { cpuBackend } from '../src/core/compute-cpu';
import { parseNumericMatrix, parsePairConstraints } from '../src/core/parse';
import { asFeatureMatrix, asSpd } from '../src/core/matrix';
import { itml, satisfiedShare } from '../src/core/itml';
import { isPositiveDefinite, conditionNumber } from '../src/core/linalg';
import { buildTimbreBatch, DEFAULT_TIMBRE_BATCH } from '../test/gpu/timbre-batch';
import { randomSpd, relErr } from '../test/gpu/fixtures';
import type { PairConstraints } from '../src/core/types';

declare global {
  interface Window {
    __gpu?: Record<string, unknown>;
    __gpuError?: string;
  }
}

const q = new URLSearchParams(location.search);
const pref = (q.get('backend') ?? 'auto') as BackendPref;
const check = q.get('check') ?? 'golden';
const out = document.getElementById('out')!;

async function text(url: string): Promise<string> {
  const r = await fetch(url);
  if (!r.ok) throw new Error(`GET ${url}: ${r.status}`);
  return r.text();
}


async function golden() {
  const dir = '/test/fixtures/itml-identity/';
  const X = asFeatureMatrix(parseNumericMatrix(await text(dir + 'X.csv'), 'X.csv'));
  const C = parsePairConstraints(await text(dir + 'C.csv'), 'C.csv', X.rows);
  const A = asSpd(parseNumericMatrix(await text(dir + 'A_octave.csv'), 'A_octave.csv'));
  return { X, C, A };
}

async function run(): Promise<Record<string, unknown>> {
  const be = await createBackend(pref);
  const base = { backend: be.info.id, description: be.info.description, precision: be.info.precision, check };
  if (check === 'golden') {
    const { X, C, A } = await golden();
    const t0 = performance.now();
    const [r] = await be.fitItmlBatch([{ X, constraints: C, prior: null, options: { gamma: 1, tol: 1e-3, maxSweeps: 100000 } }]);
    const ms = performance.now() - t0;
    return {
      ...base, ms, relErr: relErr(r.W.data, A.data), sweeps: r.iterations, converged: r.converged,
      satisfiedGpu: satisfiedShare(X, C, r.W), satisfiedRef: satisfiedShare(X, C, A), info: r.info, accumulation: r.info?.accumulation,
    };
  }
  if (check === 'ill') {
    const { X, C } = await golden();
    // every 3rd constraint keeps the float64 reference quick
    const keep = Array.from({ length: C.count }, (_, k) => k).filter((k) => k % 3 === 0);
    const sub: PairConstraints = {
      count: keep.length,
      i: Int32Array.from(keep, (k) => C.i[k]),
      j: Int32Array.from(keep, (k) => C.j[k]),
      delta: Int8Array.from(keep, (k) => C.delta[k]),
      bound: Float64Array.from(keep, (k) => C.bound[k]),
    };
    const prior = randomSpd(X.cols, 1e6, 11);
    const opts = { gamma: 1, tol: 1e-3, maxSweeps: 100000 };
    const t0 = performance.now();
    const [r] = await be.fitItmlBatch([{ X, constraints: sub, prior, options: opts }]);
    const ms = performance.now() - t0;
    const ref = itml(X, sub, prior, opts);
    return {
      ...base, ms, priorCondition: conditionNumber(prior), positiveDefinite: isPositiveDefinite(r.W), infoPd: r.info?.positiveDefinite,
      relErr: relErr(r.W.data, ref.W.data), sweeps: r.iterations, sweepsRef: ref.iterations, satisfiedGpu: satisfiedShare(X, sub, r.W),
      satisfiedRef: satisfiedShare(X, sub, ref.W), accumulation: r.info?.accumulation,
    };
  }
  if (check === 'ritml') {
    const studies = (q.get('studies') ?? 'Patil2012_A3,Patil2012_DX4,Patil2012_GD4').split(',');
    const gammas = (q.get('gammas') ?? '1,0.1,10,0.3').split(',').map(Number);
    const batch = buildTimbreBatch(await text('/data/timbre/features_spectrum.csv'), await text('/data/timbre/constraints.csv'), {
      ...DEFAULT_TIMBRE_BATCH, studies, gammas,
      params: {
        ...DEFAULT_TIMBRE_BATCH.params,
        ...(q.has('outer') ? { outer: Number(q.get('outer')) } : {}),
        ...(q.has('maxSweeps') ? { maxSweeps: Number(q.get('maxSweeps')) } : {}),
      },
    });
    let t0 = performance.now();
    const g = await be.fitRitmlBatch(batch.problems);
    const sg = await be.scoreBatch(batch.X, g.map((r, k) => ({ W: r.W, constraints: batch.tests[k] })));
    const ms = performance.now() - t0;
    t0 = performance.now();
    const c = await cpuBackend.fitRitmlBatch(batch.problems);
    const sc = await cpuBackend.scoreBatch(batch.X, c.map((r, k) => ({ W: r.W, constraints: batch.tests[k] })));
    const cpuMs = performance.now() - t0;
    // the float64 score of the GPU's W too (separates learning differences from float32 scoring)
    const sg64 = await cpuBackend.scoreBatch(batch.X, g.map((r, k) => ({ W: r.W, constraints: batch.tests[k] })));
    const diffs = sg.map((s, k) => Math.abs(s - sc[k]) * 100);
    const diffs64 = sg64.map((s, k) => Math.abs(s - sc[k]) * 100);
    return {
      ...base, accumulation: g[0].info?.accumulation, problems: batch.problems.length, ms, cpuMs, worstPt: Math.max(...diffs), worstPt64: Math.max(...diffs64),
      meanGpu: sg.reduce((a, b) => a + b, 0) / sg.length, meanCpu: sc.reduce((a, b) => a + b, 0) / sc.length,
      allPd: g.every((r) => r.info?.positiveDefinite === true), minTest: Math.min(...batch.tests.map((t) => t.count)),
      // net number of test decisions that differ per fold, and the share of folds within 0.5 pt
      maxFlipped: Math.max(...sg.map((s, k) => Math.round(Math.abs(s - sc[k]) * batch.tests[k].count))),
      shareWithin05: diffs.filter((x) => x <= 0.5).length / diffs.length,
    };
  }
  throw new Error(`unknown check '${check}'`);
}


run().then(
  (r) => {
    window.__gpu = r;
    out.textContent = JSON.stringify(r, null, 2);
  },
  (e: unknown) => {
    window.__gpuError = e instanceof Error ? `${e.message}\n${e.stack ?? ''}` : String(e);
    out.textContent = `error: ${window.__gpuError}`;
  },
);
