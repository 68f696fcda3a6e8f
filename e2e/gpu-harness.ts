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

function randomFeatures(n: number, d: number, seed: number) {
  let s = seed;
  const rnd = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648) - 0.5;
  return asFeatureMatrix({ rows: n, cols: d, data: Float64Array.from({ length: n * d }, rnd) });
}

function randomPairs(n: number, m: number, seed: number): PairConstraints {
  let s = seed + 7;
  const rnd = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
  const i = Int32Array.from({ length: m }, () => Math.floor(rnd() * n));
  const j = Int32Array.from(i, (v) => (v + 1 + Math.floor(rnd() * (n - 1))) % n);
  const delta = Int8Array.from({ length: m }, (_, k) => (k % 2 ? 1 : -1));
  const bound = Float64Array.from({ length: m }, (_, k) => (k % 2 ? 2 : 20));
  return { count: m, i, j, delta, bound };
}

/** GPU programs run so far (draws / dispatches, tfjs ops of the convergence test included) */
function dispatches(be: object): number {
  return (be as { stats?: { dispatches: number } }).stats?.dispatches ?? NaN;
}

async function run(): Promise<Record<string, unknown>> {
  // ?chunk=K: the WebGL engine's projection steps per group of draws (tuning.webglChunk)
  const be = await createBackend(pref, q.has('chunk') ? { webglChunk: Number(q.get('chunk')) } : {});
  const base = { backend: be.info.id, description: be.info.description, precision: be.info.precision, check };
  if (check === 'golden') {
    const { X, C, A } = await golden();
    const d0 = dispatches(be);
    const t0 = performance.now();
    const [r] = await be.fitItmlBatch([{ X, constraints: C, prior: null, options: { gamma: 1, tol: 1e-3, maxSweeps: 100000 } }]);
    const ms = performance.now() - t0;
    return {
      ...base, ms, constraints: C.count, dispatchesPerSweep: (dispatches(be) - d0) / r.iterations, relErr: relErr(r.W.data, A.data), sweeps: r.iterations, converged: r.converged,
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
    const progress: { done: number; total: number; detail?: string }[] = [];
    const g = await be.fitRitmlBatch(batch.problems, { onProgress: (p) => progress.push(p) });
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
      progress: { events: progress.length, monotone: progress.every((p, k) => k === 0 || p.done >= progress[k - 1].done), last: progress.at(-1) },
    };
  }
  if (check === 'steps') {
    // timing probe: B synthetic ITML problems (d features, m constraints), exactly `sweeps` sweeps each
    const B = Number(q.get('B') ?? 40), d = Number(q.get('d') ?? 30), m = Number(q.get('m') ?? 500), sweeps = Number(q.get('sweeps') ?? 2);
    const X = randomFeatures(160, d, 3);
    const problems = Array.from({ length: B }, (_, b) => ({ X, constraints: randomPairs(X.rows, m, b), prior: null, options: { gamma: 1, tol: 0, maxSweeps: sweeps } }));
    const tw = performance.now();
    await be.fitItmlBatch(problems.map((p) => ({ ...p, options: { ...p.options, maxSweeps: 1 } }))); // compile (programs are per B, d)
    const warmMs = performance.now() - tw;
    const d0 = dispatches(be);
    const t0 = performance.now();
    const r = await be.fitItmlBatch(problems);
    const ms = performance.now() - t0;
    return { ...base, B, d, m, sweeps, warmMs, ms, msPerStep: ms / (m * sweeps), dispatchesPerSweep: (dispatches(be) - d0) / sweeps, iterations: r[0].iterations };
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
