/**
 * MLR benchmark (issue 11): the 20 MLR fits of the default notebook (synthetic CASimIR-like votes by age
 * group, 10 folds, C = 1), captured from the experiment driver and timed one by one with the float64 solver.
 * Run: `npx tsx bench/mlr.ts [--variant NAME] [--repeats R]` (or `npm run bench:mlr`). Prints per-fit time,
 * cutting-plane iterations, convergence and the fit's final ξ / objective; writes bench/out/mlr.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { arch, cpus, platform } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cpuBackend } from '../src/core/compute-cpu';
import { runExperiment } from '../src/core/experiment';
import { LEARNERS } from '../src/core/learners';
import { buildQueries, MLR_DEFAULTS, mlrSlack, solveMlr, type MlrParams } from '../src/core/learners/mlr';
import type { ConstraintSet, FeatureMatrix } from '../src/core/types';
import { GOLDEN_CASES } from '../test/golden/cases';

const HERE = dirname(fileURLToPath(import.meta.url));
const arg = (name: string, dflt: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : dflt;
};
const repeats = Number(arg('repeats', '1'));
const limit = Number(arg('fits', '20'));

/** The MLR problems of the default notebook, in the driver's order. */
async function captureProblems(): Promise<{ X: FeatureMatrix; train: ConstraintSet; C: number }[]> {
  const c = GOLDEN_CASES.find((g) => g.name === 'synthetic-default')!;
  const problems: { X: FeatureMatrix; train: ConstraintSet; C: number }[] = [];
  const orig = LEARNERS.mlr;
  (LEARNERS as Record<string, unknown>).mlr = {
    ...orig,
    fit: (X: FeatureMatrix, train: ConstraintSet, _prior: unknown, params: MlrParams) => {
      problems.push({ X, train, C: params.C });
      return { W: { rows: X.cols, cols: X.cols, data: new Float64Array(X.cols * X.cols) }, converged: true, iterations: 0, history: [] };
    },
  };
  try {
    await runExperiment(c.data(), { ...c.spec, methods: ['mlr'] }, cpuBackend);
  } finally {
    (LEARNERS as Record<string, unknown>).mlr = orig;
  }
  return problems;
}

const problems = (await captureProblems()).slice(0, limit);
const rows: { ms: number; iterations: number; converged: boolean; objective: number; slack: number; constraints: number }[] = [];
for (const [i, pr] of problems.entries()) {
  const P: MlrParams = { ...MLR_DEFAULTS, C: pr.C };
  const qs = buildQueries(pr.train, pr.X.rows, P.queries, P.weighting);
  let best = Infinity;
  let sol = solveMlr(pr.X, qs, true, P);
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    sol = solveMlr(pr.X, qs, true, P);
    best = Math.min(best, performance.now() - t0);
  }
  // the exact objective at the returned W (trace/d + C · exact 1-slack loss)
  const d = pr.X.cols;
  let tr = 0;
  for (let k = 0; k < d; k++) tr += sol.W[k * d + k];
  const slack = mlrSlack(pr.X, qs, sol.W, true);
  const row = { ms: best, iterations: sol.iterations, converged: sol.converged, objective: tr / d + pr.C * slack, slack, constraints: pr.train.count };
  rows.push(row);
  process.stdout.write(
    `fit ${i + 1}: ${pr.train.count} constraints, d = ${d}, ${qs.count} queries: ${row.ms.toFixed(0)} ms, ${row.iterations} iterations, ` +
      `${row.converged ? 'converged' : 'NOT converged'}, exact objective ${row.objective.toFixed(6)}\n`,
  );
}
const ms = rows.map((r) => r.ms).sort((a, b) => a - b);
const med = ms[Math.floor(ms.length / 2)];
const total = ms.reduce((s, x) => s + x, 0);
const summary = {
  machine: `${cpus()[0]?.model ?? '?'} × ${cpus().length}, ${platform()} ${arch()}, node ${process.version}`,
  fits: rows.length,
  medianMs: med,
  totalMs: total,
  fitsPerSecond: (1000 * rows.length) / total,
  converged: rows.filter((r) => r.converged).length,
  meanObjective: rows.reduce((s, r) => s + r.objective, 0) / rows.length,
  rows,
};
process.stdout.write(
  `\n${summary.machine}\n${rows.length} fits: median ${med.toFixed(0)} ms, total ${(total / 1000).toFixed(1)} s, ${summary.fitsPerSecond.toFixed(2)} fits/s, ` +
    `${summary.converged}/${rows.length} converged, mean exact objective ${summary.meanObjective.toFixed(6)}\n`,
);
mkdirSync(resolve(HERE, 'out'), { recursive: true });
writeFileSync(resolve(HERE, 'out/mlr.json'), `${JSON.stringify(summary, null, 1)}\n`);
