/**
 * The template study (issue 16, docs/METHOD.md "Templates that carry something"): each template protocol
 * variant — learner (w0Method), γ / C fixed or by inner CV on the complement (w0Gamma / w0C), iterate rule
 * (w0Select), and the fine-tuning's first bounds (W0-RITML initialBounds) — run through the lab's own
 * experiment driver on a data set, with what each template carries: its training fulfilment on the
 * complement beside Euclidean's, W0 alone on the group's held-out folds, W0-RITML, RITML.
 *
 *   npx tsx bench/template-study.ts --data timbre|synthetic|poster [--variants a,b,…] [--threads 2]
 *       [--gamma-grid 1] [--out bench/results/template-study-<data>.json]
 *
 * The group fits (RITML, W0-RITML) use --gamma-grid (default 1: fixed γ, so only the template differs between
 * variants). Writes a JSON of every run's per-group numbers and prints a markdown table.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { createCpuPoolBackend } from '../src/cli/cpu-pool';
import { DEFAULT_SPEC, runExperiment, type LabData } from '../src/core/experiment';
import type { ExperimentResult, ExperimentSpec } from '../src/core/experiment-types';
import { joinUsers, parseFeatures, parseJudgments, parseUsers } from '../src/core/parse';

interface Variant {
  readonly id: string;
  readonly label: string;
  readonly params: NonNullable<ExperimentSpec['params']>;
}

export const VARIANTS: readonly Variant[] = [
  {
    id: 'ritml-g1-best',
    label: 'RITML, γ = 1, best iterate (I a candidate) — the default until issue 16',
    params: { 'w0-ritml': { initialBounds: 'percentile' }, protocol: { w0Method: 'ritml' } },
  },
  {
    id: 'ritml-gcv-best',
    label: 'RITML, γ by inner CV, best iterate',
    params: { 'w0-ritml': { initialBounds: 'percentile' }, protocol: { w0Method: 'ritml', w0Gamma: 'cv' } },
  },
  {
    id: 'ritml-g1-learned',
    label: 'RITML, γ = 1, best learned iterate',
    params: { 'w0-ritml': { initialBounds: 'percentile' }, protocol: { w0Method: 'ritml', w0Select: 'learned' } },
  },
  {
    id: 'ritml-gcv-learned',
    label: 'RITML, γ by inner CV, best learned iterate',
    params: { 'w0-ritml': { initialBounds: 'percentile' }, protocol: { w0Method: 'ritml', w0Gamma: 'cv', w0Select: 'learned' } },
  },
  { id: 'svm-ccv', label: 'SVM (diagonal), C by inner CV', params: { 'w0-ritml': { initialBounds: 'percentile' }, protocol: { w0Method: 'svm' } } },
  { id: 'mlr-ccv', label: 'MLR (full), C by inner CV', params: { 'w0-ritml': { initialBounds: 'percentile' }, protocol: { w0Method: 'mlr' } } },
  {
    id: 'ritml-g1-best-current',
    label: 'RITML, γ = 1, best iterate; fine-tuning initialBounds current',
    params: { protocol: { w0Method: 'ritml' }, 'w0-ritml': { initialBounds: 'current' } },
  },
  {
    id: 'cv-all',
    label: 'chosen by inner CV: I, RITML γ = 1, SVM and MLR with C by inner CV',
    params: { 'w0-ritml': { initialBounds: 'percentile' }, protocol: { w0Method: 'cv', w0Candidates: ['ritml', 'svm', 'mlr'] } },
  },
  {
    id: 'cv-ritml-svm',
    label: 'chosen by inner CV: I, RITML γ = 1, SVM with C by inner CV',
    params: { 'w0-ritml': { initialBounds: 'percentile' }, protocol: { w0Method: 'cv', w0Candidates: ['ritml', 'svm'] } },
  },
  {
    id: 'cv-ritml-svm-auto',
    label:
      'chosen by inner CV: I, RITML γ = 1, SVM with C by inner CV; fine-tuning initialBounds auto (current from SVM / MLR templates, percentile otherwise)',
    params: { protocol: { w0Method: 'cv', w0Candidates: ['ritml', 'svm'] }, 'w0-ritml': { initialBounds: 'auto' } },
  },
  {
    id: 'cv-ritml-svm-current',
    label: 'chosen by inner CV: I, RITML γ = 1, SVM with C by inner CV; fine-tuning initialBounds current',
    params: { protocol: { w0Method: 'cv', w0Candidates: ['ritml', 'svm'] }, 'w0-ritml': { initialBounds: 'current' } },
  },
  {
    id: 'ritml-gcv-learned-current',
    label: 'RITML, γ by inner CV, best learned iterate; fine-tuning initialBounds current',
    params: { protocol: { w0Method: 'ritml', w0Gamma: 'cv', w0Select: 'learned' }, 'w0-ritml': { initialBounds: 'current' } },
  },
  {
    id: 'svm-ccv-current',
    label: 'SVM, C by inner CV; fine-tuning initialBounds current',
    params: { protocol: { w0Method: 'svm' }, 'w0-ritml': { initialBounds: 'current' } },
  },
  {
    id: 'mlr-ccv-current',
    label: 'MLR, C by inner CV; fine-tuning initialBounds current',
    params: { protocol: { w0Method: 'mlr' }, 'w0-ritml': { initialBounds: 'current' } },
  },
];

const DATA: Record<string, { features: string; judgments: string; users?: string; groupBy: string; pca?: number }> = {
  timbre: { features: 'public/data/timbre/features_spectrum.csv', judgments: 'public/data/timbre/constraints.csv', groupBy: 'group', pca: 16 },
  synthetic: {
    features: 'public/data/synthetic/features.csv',
    judgments: 'public/data/synthetic/votes.csv',
    users: 'public/data/synthetic/users.csv',
    groupBy: 'age_group',
  },
  poster: {
    features: 'public/data/poster/features.csv',
    judgments: 'public/data/poster/votes.csv',
    users: 'public/data/poster/users.csv',
    groupBy: 'age_group',
  },
};

function load(name: string): LabData {
  const d = DATA[name];
  if (!d) throw new Error(`unknown data "${name}" (known: ${Object.keys(DATA).join(', ')})`);
  const features = parseFeatures(readFileSync(d.features, 'utf8'), d.features);
  let judgments = parseJudgments(readFileSync(d.judgments, 'utf8'), d.judgments, { knownIds: features.ids });
  if (d.users) judgments = joinUsers(judgments, parseUsers(readFileSync(d.users, 'utf8'), d.users), d.users);
  return { features, judgments };
}

export interface VariantSummary {
  readonly id: string;
  readonly label: string;
  readonly wallS: number;
  readonly groups: readonly {
    group: string;
    method: string;
    value: number;
    identity: boolean;
    templateTrain: number;
    euclideanTrain: number;
    templateHeldOut: number;
    euclidean: number;
    ritml: number;
    w0ritml: number;
  }[];
}

const meanOf = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

export function summarise(v: Variant, r: ExperimentResult, wallS: number): VariantSummary {
  const row = (m: string, g: string) => r.rows.find((x) => x.method === m && x.group === g)!.mean;
  return {
    id: v.id,
    label: v.label,
    wallS,
    groups: r.templates!.map((t) => ({
      group: t.group,
      value: t.value ?? Number.NaN,
      method: t.method,
      identity: t.identity,
      templateTrain: t.trainFulfilment,
      euclideanTrain: t.euclideanTrain,
      templateHeldOut: meanOf(t.heldOut),
      euclidean: row('euclidean', t.group),
      ritml: row('ritml', t.group),
      w0ritml: row('w0-ritml', t.group),
    })),
  };
}

const pct = (x: number) => (100 * x).toFixed(2);
const pt = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(100 * x).toFixed(2)}`;

export function markdown(rows: readonly VariantSummary[]): string {
  const out = [
    '| template variant | W0 = I | W0 train − Euclidean train (complement) | W0 alone held out | W0-RITML | RITML | W0-RITML − RITML | wins / losses vs RITML | wall |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const v of rows) {
    const g = v.groups;
    const m = (f: (x: VariantSummary['groups'][number]) => number) => meanOf(g.map(f));
    const wins = g.filter((x) => x.w0ritml > x.ritml + 1e-12).length;
    const losses = g.filter((x) => x.w0ritml < x.ritml - 1e-12).length;
    out.push(
      `| ${v.label} | ${g.filter((x) => x.identity).length} / ${g.length} | ${pt(m((x) => x.templateTrain - x.euclideanTrain))} | ${pct(m((x) => x.templateHeldOut))} | ${pct(m((x) => x.w0ritml))} | ${pct(m((x) => x.ritml))} | ${pt(m((x) => x.w0ritml - x.ritml))} | ${wins} / ${losses} | ${v.wallS.toFixed(0)} s |`,
    );
  }
  return out.join('\n');
}

async function main() {
  const { values } = parseArgs({
    options: {
      data: { type: 'string', default: 'synthetic' },
      variants: { type: 'string' },
      threads: { type: 'string', default: '2' },
      'gamma-grid': { type: 'string', default: '1' },
      out: { type: 'string' },
    },
  });
  const name = values.data!;
  const data = load(name);
  const d = DATA[name];
  const wanted = values.variants ? values.variants.split(',') : VARIANTS.map((v) => v.id);
  const unknown = wanted.filter((w) => !VARIANTS.some((v) => v.id === w));
  if (unknown.length) throw new Error(`unknown variants ${unknown.join(', ')} (known: ${VARIANTS.map((v) => v.id).join(', ')})`);
  const backend = createCpuPoolBackend(Number(values.threads), 'wasm');
  const out = values.out ?? `bench/results/template-study-${name}.json`;
  const done: VariantSummary[] = [];
  try {
    for (const id of wanted) {
      const v = VARIANTS.find((x) => x.id === id)!;
      const spec: ExperimentSpec = {
        ...DEFAULT_SPEC,
        methods: ['euclidean', 'ritml', 'w0-ritml'],
        groupBy: d.groupBy,
        ...(d.pca ? { pca: d.pca } : {}),
        gammaGrid: values['gamma-grid']!.split(',').map(Number),
        params: v.params,
      };
      const t0 = performance.now();
      const r = await runExperiment(data, spec, backend);
      const s = summarise(v, r, (performance.now() - t0) / 1000);
      done.push(s);
      process.stderr.write(`${v.id}: ${s.wallS.toFixed(1)} s (load ${loadavg()[0].toFixed(1)})\n`);
      writeFileSync(
        out,
        JSON.stringify(
          {
            data: name,
            machine: `${cpus().length} × ${cpus()[0]?.model}`,
            node: process.version,
            backend: backend.info.description,
            gammaGrid: spec.gammaGrid,
            variants: done,
          },
          null,
          1,
        ),
      );
    }
  } finally {
    backend.dispose?.();
  }
  process.stdout.write(`${markdown(done)}\n`);
}

if (process.argv[1]?.endsWith('template-study.ts')) {
  main().then(
    () => process.exit(0),
    (e) => {
      process.stderr.write(`template-study: ${(e as Error).message}\n`);
      process.exit(1);
    },
  );
}
