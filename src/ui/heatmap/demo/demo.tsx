/** Scratch gallery for the heatmaps and results charts (serve with `npx vite --port 5301`, open /src/ui/heatmap/demo/). */
import { createRoot } from 'react-dom/client';
import type { ExperimentResult, MethodId, ResultRow } from '../../../core/experiment-types';
import { FoldDrilldown, ResultsBarChart } from '../../charts/ResultsBarChart';
import { MetricHeatmaps } from '../MetricHeatmaps';

function rng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

function spd(d: number, r: () => number, scale: number): number[] {
  const A = Array.from({ length: d * d }, () => (r() - 0.5) * scale);
  const W = new Array<number>(d * d).fill(0);
  for (let i = 0; i < d; i++)
    for (let j = 0; j < d; j++) {
      let s = i === j ? 1 : 0;
      for (let k = 0; k < d; k++) s += A[i * d + k] * A[j * d + k];
      W[i * d + j] = s;
    }
  return W;
}

const names = [
  'timbre 1', 'timbre 2', 'timbre 3', 'timbre 4', 'T5', 'T6',
  'beat conf', 'tatum conf', 'chroma 1', 'chroma, 2', '<b>bold</b> & co', 'loudness',
];
const d = names.length;
const r = rng(7);
const W0 = spd(d, r, 0.5);
const W = W0.slice();
const bump = (i: number, j: number, v: number) => {
  W[i * d + j] += v;
  W[j * d + i] += v;
};
bump(4, 5, 0.41);
bump(0, 6, 0.3);
bump(1, 8, -0.25);
bump(2, 7, 0.2);
W[3 * d + 3] += 0.5;

const params = new URLSearchParams(location.search);
const bigD = Number(params.get('big') ?? 0);

function row(method: MethodId, group: string, base: number, spread: number, k = 10): ResultRow {
  const folds = Array.from({ length: k }, () => base + (r() - 0.5) * spread);
  const mean = folds.reduce((s, v) => s + v, 0) / k;
  const sd = Math.sqrt(folds.reduce((s, v) => s + (v - mean) ** 2, 0) / (k - 1));
  return { method, group, mean, sd, folds, train: base + 0.06, fitMs: 10 };
}
const methods: MethodId[] = ['euclidean', 'svm', 'mlr', 'ritml', 'w0-ritml'];
const bases = { euclidean: 0.593, svm: 0.615, mlr: 0.62, ritml: 0.637, 'w0-ritml': 0.655 } as Record<string, number>;
const groups = ['age ≤ 25', 'age > 25 <i>x</i>'];
const rows = groups.flatMap((g, gi) => methods.map((m) => row(m, g, bases[m] + gi * 0.005, 0.04)));
const result: ExperimentResult = {
  rows,
  comparisons: groups.flatMap((g) => [
    { group: g, a: 'w0-ritml' as MethodId, b: 'euclidean' as MethodId, meanDiff: 0.06, p: 0.001, pWilcoxon: 0.002 },
    { group: g, a: 'w0-ritml' as MethodId, b: 'ritml' as MethodId, meanDiff: 0.02, p: 0.03, pWilcoxon: 0.06 },
    { group: g, a: 'ritml' as MethodId, b: 'euclidean' as MethodId, meanDiff: 0.04, p: 0.004, pWilcoxon: 0.01 },
    { group: g, a: 'svm' as MethodId, b: 'mlr' as MethodId, meanDiff: 0.0, p: 0.6, pWilcoxon: 0.7 },
  ]),
  metrics: [],
  meta: {
    app: 'demo', version: '0', dataFingerprint: 'x', featuresSource: 'f', judgmentsSource: 'j',
    spec: { methods, folds: 10, split: 'triplet', seed: 1, standardise: true, gammaGrid: [1], cGrid: [1], innerFolds: 3, removeGroupTripletsFromW0: false },
    backend: { id: 'cpu-f64', precision: 'float64', description: 'demo' },
    startedAt: '', elapsedMs: 0, constraintCounts: {}, featureNames: names, notes: [],
  },
};

function manyGroups(): ExperimentResult {
  const gs = Array.from({ length: 17 }, (_, i) => `study ${String(i + 1).padStart(2, '0')} (Grey 1977 et al.)`);
  const ms: MethodId[] = ['euclidean', 'itml', 'ritml', 'w0-ritml', 'joint', 'svm', 'mlr', 'mlr-diag'];
  return {
    ...result,
    rows: gs.flatMap((g) => ms.map((m, mi) => row(m, g, 0.6 + mi * 0.01, 0.08))),
    comparisons: gs.flatMap((g, gi) =>
      ms.slice(1).map((m, mi) => ({ group: g, a: m, b: 'euclidean' as MethodId, meanDiff: 0.01 * mi, p: ((gi + mi) % 4) * 0.015, pWilcoxon: 0.5 })),
    ),
    meta: { ...result.meta, spec: { ...result.meta.spec, methods: ms } },
  };
}

function App() {
  if (params.get('many')) return <ResultsBarChart result={manyGroups()} />;
  if (bigD > 0) {
    const n = Array.from({ length: bigD }, (_, i) => `f${i}`);
    const I = Array.from({ length: bigD * bigD }, (_, q) => (q % (bigD + 1) === 0 ? 1 : 0));
    const J = I.map((v, q) => v + (q % 7 === 0 ? 0.01 : 0));
    return <MetricHeatmaps names={n} W0={I} W={J} group={`big ${bigD}`} />;
  }
  if (params.get('notemplate')) {
    return <MetricHeatmaps headingLevel={2} names={names} W={W} group="all (RITML only)" />;
  }
  return (
    <>
      <MetricHeatmaps headingLevel={2} names={names} W0={W0} W={W} group="age ≤ 25" initialView={(params.get('view') as 'raw') ?? undefined} />
      <hr />
      <ResultsBarChart result={result} />
      <FoldDrilldown result={result} />
      <FoldDrilldown result={result} group="age ≤ 25" method="w0-ritml" />
    </>
  );
}

createRoot(document.getElementById('root')!).render(<App />);
