/**
 * Child process of node-webgpu.test.ts (needs the SwiftShader env at process start):
 *   npx tsx test/gpu/node-webgpu-check.ts golden|precision|mixed|ritml
 * prints one line `RESULT {json}`.
 */
import { readFileSync } from 'node:fs';
import { createNodeBackend } from '../../src/gpu/node';
import { cpuBackend } from '../../src/core/compute-cpu';
import { parseNumericMatrix, parsePairConstraints } from '../../src/core/parse';
import { asFeatureMatrix, asSpd } from '../../src/core/matrix';
import { itml, itmlPercentileBounds, satisfiedShare } from '../../src/core/itml';
import { createRng } from '../../src/core/rng';
import type { ItmlProblem } from '../../src/core/compute';
import type { ConstraintSet, FeatureMatrix, PairConstraints } from '../../src/core/types';
import { buildTimbreBatch, DEFAULT_TIMBRE_BATCH } from './timbre-batch';
import { randomSpd, relErr } from './fixtures';



function synthetic(n: number, d: number, m: number, seed: number): { X: FeatureMatrix; C: PairConstraints; rel: ConstraintSet } {
  const rng = createRng(seed);
  const x = new Float64Array(n * d);
  const cls = Int32Array.from({ length: n }, () => rng.int(3));
  for (let r = 0; r < n; r++) for (let k = 0; k < d; k++) x[r * d + k] = rng.normal() + (k < 2 ? 2 * cls[r] : 0);
  const X = asFeatureMatrix({ rows: n, cols: d, data: x });
  const i = new Int32Array(m);
  const j = new Int32Array(m);
  const delta = new Int8Array(m);
  for (let c = 0; c < m; c++) {
    i[c] = rng.int(n);
    do j[c] = rng.int(n);
    while (j[c] === i[c]);
    delta[c] = cls[i[c]] === cls[j[c]] ? 1 : -1;
  }
  const { lower, upper } = itmlPercentileBounds(X, i, j, null);
  const bound = Float64Array.from(delta, (s) => (s > 0 ? lower : upper));
  const R = 200;
  const rel: ConstraintSet = {
    count: R, a: new Int32Array(R), n: new Int32Array(R), f: new Int32Array(R), weight: new Float64Array(R).fill(1), triplet: Int32Array.from({ length: R }, (_, k) => k),
  };
  for (let r = 0; r < R; r++) {
    rel.a[r] = rng.int(n);
    rel.n[r] = (rel.a[r] + 1 + rng.int(n - 1)) % n;
    do rel.f[r] = rng.int(n);
    while (rel.f[r] === rel.a[r] || rel.f[r] === rel.n[r]);
  }
  return { X, C: { count: m, i, j, delta, bound }, rel };
}

const check = process.argv[2] ?? 'golden';
const be = await createNodeBackend('webgpu');
const stats = (be as unknown as { stats: { dispatches: number; readbacks: number } }).stats;
const base = { backend: be.info.id, precision: be.info.precision, description: be.info.description, check };
let result: Record<string, unknown>;

if (check === 'golden') {
  const dir = 'test/fixtures/itml-identity/';
  const X = asFeatureMatrix(parseNumericMatrix(readFileSync(dir + 'X.csv', 'utf8'), 'X.csv'));
  const C = parsePairConstraints(readFileSync(dir + 'C.csv', 'utf8'), 'C.csv', X.rows);
  const A = asSpd(parseNumericMatrix(readFileSync(dir + 'A_octave.csv', 'utf8'), 'A_octave.csv'));
  const t0 = performance.now();
  const [r] = await be.fitItmlBatch([{ X, constraints: C, prior: null, options: { gamma: 1, tol: 1e-3, maxSweeps: 100000 } }]);
  result = {
    ...base, ms: performance.now() - t0, relErr: relErr(r.W.data, A.data), sweeps: r.iterations, converged: r.converged,
    projections: r.info?.projections, satisfiedGpu: satisfiedShare(X, C, r.W), satisfiedRef: satisfiedShare(X, C, A),
    dispatches: stats.dispatches, readbacks: stats.readbacks,
  };
} else if (check === 'precision') {
  // the same golden problem with W̃ as float32 pairs (default) and as plain float32
  const dir = 'test/fixtures/itml-identity/';
  const X = asFeatureMatrix(parseNumericMatrix(readFileSync(dir + 'X.csv', 'utf8'), 'X.csv'));
  const C = parsePairConstraints(readFileSync(dir + 'C.csv', 'utf8'), 'C.csv', X.rows);
  const A = asSpd(parseNumericMatrix(readFileSync(dir + 'A_octave.csv', 'utf8'), 'A_octave.csv'));
  const plainBe = await createNodeBackend('webgpu', { compensated: false });
  const problem = [{ X, constraints: C, prior: null, options: { gamma: 1, tol: 1e-3, maxSweeps: 100000 } }];
  const [pair] = await be.fitItmlBatch(problem);
  const [plain] = await plainBe.fitItmlBatch(problem);
  result = {
    ...base, relErrPairs: relErr(pair.W.data, A.data), relErrPlain: relErr(plain.W.data, A.data),
    accumulationPairs: pair.info?.accumulation, accumulationPlain: plain.info?.accumulation,
  };
} else if (check === 'mixed') {
  const a = synthetic(80, 6, 150, 1);
  const b = synthetic(120, 6, 90, 2);
  const c = synthetic(60, 10, 200, 3);
  const opts = { gamma: 1, tol: 1e-3, maxSweeps: 2000 };
  const problems: ItmlProblem[] = [
    { X: a.X, constraints: a.C, prior: null, options: opts },
    { X: b.X, constraints: b.C, prior: null, options: { ...opts, gamma: 0.2 } },
    { X: a.X, constraints: a.C, prior: randomSpd(6, 10, 4), options: opts },
    { X: c.X, constraints: c.C, prior: null, options: opts },
    { X: c.X, constraints: c.C, prior: randomSpd(10, 1e4, 5), options: { ...opts, gamma: 5 } },
    { X: b.X, constraints: b.C, prior: randomSpd(6, 1e3, 6), options: { ...opts, gammas: Float64Array.from({ length: b.C.count }, (_, k) => 0.5 + (k % 3)) } },
  ];
  const g = await be.fitItmlBatch(problems);
  const perProblem = problems.map((p, k) => {
    const ref = itml(p.X, p.constraints, p.prior, p.options);
    return { relErr: relErr(g[k].W.data, ref.W.data), pd: g[k].info?.positiveDefinite === true, sweeps: g[k].iterations, sweepsRef: ref.iterations };
  });
  const items = [
    { W: g[0].W, constraints: a.rel },
    { W: g[2].W, constraints: a.rel },
  ];
  const sg = await be.scoreBatch(a.X, items);
  const sc = await cpuBackend.scoreBatch(a.X, items);
  result = { ...base, problems: problems.length, perProblem, scoreMaxDiff: Math.max(...sg.map((s, k) => Math.abs(s - sc[k]))) };
} else if (check === 'ritml') {
  const batch = buildTimbreBatch(
    readFileSync('public/data/timbre/features_spectrum.csv', 'utf8'),
    readFileSync('public/data/timbre/constraints.csv', 'utf8'),
    { ...DEFAULT_TIMBRE_BATCH, studies: ['Patil2012_A3'], gammas: [1, 0.1] },
  );
  const progress: { done: number; total: number; detail?: string }[] = [];
  const g = await be.fitRitmlBatch(batch.problems, { onProgress: (p) => progress.push(p) });
  const c = await cpuBackend.fitRitmlBatch(batch.problems);
  const sg = await be.scoreBatch(batch.X, g.map((r, k) => ({ W: r.W, constraints: batch.tests[k] })));
  const sc = await cpuBackend.scoreBatch(batch.X, c.map((r, k) => ({ W: r.W, constraints: batch.tests[k] })));
  let historyMaxDiff = 0;
  g.forEach((r, k) => {
    if (r.history.length !== c[k].history.length) historyMaxDiff = Infinity;
    else r.history.forEach((h, t) => (historyMaxDiff = Math.max(historyMaxDiff, Math.abs(h - c[k].history[t]))));
  });
  result = {
    ...base, problems: batch.problems.length, worstPt: Math.max(...sg.map((s, k) => Math.abs(s - sc[k]) * 100)), historyMaxDiff,
    allPd: g.every((r) => r.info?.positiveDefinite === true),
    progress: {
      events: progress.length,
      monotone: progress.every((p, k) => k === 0 || p.done >= progress[k - 1].done),
      last: progress.at(-1),
      outers: [...new Set(progress.map((p) => /outer (\d+)/.exec(p.detail ?? '')?.[1]))],
    },
  };
} else {
  throw new Error(`unknown check ${check}`);
}
console.log('RESULT ' + JSON.stringify(result));
process.exit(0);
