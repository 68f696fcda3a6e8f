/** `similarity-lab experiment`: the lab's experiment (methods × groups, CV or a held-out set) from the command line. */
import { writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import type { ComputeBackend } from '../core/compute';
import { cpuBackend } from '../core/compute-cpu';
import { DEFAULT_SPEC, runExperiment, runHoldout, type LabData } from '../core/experiment';
import { allFailed, notConvergedText, type ExperimentResult, type ExperimentSpec, type MethodId } from '../core/experiment-types';
import { METHOD_LABELS } from '../core/methods';
import { joinUsers, parseFeatures, parseJudgments, parseUsers } from '../core/parse';
import { backendFlag, int, list, num, numList, readText, UsageError, type Backend } from './args';
import { createCpuPoolBackend } from './cpu-pool';
import { curveFlags, reportCurve } from './learning-curve';
import { parseParams } from './params';
import { formatTemplates } from './templates';

type Values = Record<string, string | boolean | undefined>;
type Users = { path: string; map: Map<string, Record<string, string>> } | null;

/** Judgments file (known ids checked), with the users file joined when given. */
function loadJudgments(path: string, what: string, ids: readonly string[], users: Users) {
  const js = parseJudgments(readText(path, what), basename(path), { knownIds: ids });
  if (!users) return js;
  const joined = joinUsers(js, users.map, basename(users.path));
  const { unmatched, unmatchedUsers, usersFile } = joined.join;
  if (unmatched > 0) {
    const eg = unmatchedUsers.slice(0, 3).map((u) => `"${u}"`);
    process.stderr.write(
      `warning: ${unmatched} of ${js.judgments.length} votes in ${js.source} have no row in ${usersFile} ` +
        `(${unmatchedUsers.length} user${unmatchedUsers.length === 1 ? '' : 's'}: ${eg.join(', ')}${unmatchedUsers.length > 3 ? ', …' : ''}); they get no user attributes\n`,
    );
  }
  return joined;
}

function loadData(values: Values) {
  const fpath = values.features as string;
  const features = parseFeatures(readText(fpath, 'features'), basename(fpath));
  const upath = values.users as string | undefined;
  const users: Users = upath ? { path: upath, map: parseUsers(readText(upath, 'users'), basename(upath)) } : null;
  const data: LabData = { features, judgments: loadJudgments(values.judgments as string, 'judgments', features.ids, users) };
  return { data, users };
}

export function formatTable(result: ExperimentResult): string {
  const groups = Array.from(new Set(result.rows.map((r) => r.group)));
  const methods = Array.from(new Set(result.rows.map((r) => r.method)));
  const cell = (m: MethodId, g: string) => {
    const r = result.rows.find((x) => x.method === m && x.group === g);
    if (!r) return '';
    // a score from fits that did not converge is never a plain number: "!" here, the count below the table
    if (allFailed(r)) return 'failed !';
    return `${(100 * r.mean).toFixed(2)} ± ${(100 * r.sd).toFixed(2)}${r.notConverged ? ' !' : ''}`;
  };
  const header = ['method', ...groups];
  const body = methods.map((m) => [METHOD_LABELS[m] ?? m, ...groups.map((g) => cell(m, g))]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i].length)));
  const line = (row: string[]) => row.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

async function makeBackend(pref: Backend, threads: number, accumulation: string | undefined): Promise<ComputeBackend> {
  if (accumulation !== undefined && accumulation !== 'pairs' && accumulation !== 'float32') {
    throw new UsageError(`--gpu-accumulation must be pairs or float32, got "${accumulation}"`);
  }
  if (pref === 'cpu') return threads > 1 ? createCpuPoolBackend(threads) : cpuBackend;
  if (pref === 'wasm') return createCpuPoolBackend(threads, 'wasm');
  const { createNodeBackend } = await import('../gpu/node');
  return createNodeBackend(pref, { compensated: accumulation !== 'float32' });
}

const OPTIONS = {
  features: { type: 'string' },
  judgments: { type: 'string' },
  users: { type: 'string' },
  'group-by': { type: 'string' },
  groups: { type: 'string' },
  methods: { type: 'string' },
  folds: { type: 'string' },
  split: { type: 'string' },
  seed: { type: 'string' },
  pca: { type: 'string' },
  'gamma-grid': { type: 'string' },
  'c-grid': { type: 'string' },
  'inner-folds': { type: 'string' },
  'no-standardise': { type: 'boolean' },
  'keep-group-triplets': { type: 'boolean' },
  params: { type: 'string' },
  test: { type: 'string' },
  json: { type: 'string' },
  backend: { type: 'string' },
  'gpu-accumulation': { type: 'string' },
  threads: { type: 'string' },
  quiet: { type: 'boolean' },
  'train-fractions': { type: 'string' },
  repeats: { type: 'string' },
} as const;

/** The spec from the flags; every flag value is checked here, before any file is read. */
function specFrom(values: Values): ExperimentSpec {
  const split = (values.split as string | undefined) ?? DEFAULT_SPEC.split;
  if (split !== 'triplet' && split !== 'item') throw new UsageError(`--split must be triplet or item, got "${split}"`);
  const params = values.params === undefined ? undefined : parseParams(values.params as string);
  const str = (k: string) => values[k] as string | undefined;
  return {
    ...DEFAULT_SPEC,
    methods: (list(str('methods')) as MethodId[] | undefined) ?? DEFAULT_SPEC.methods,
    groupBy: str('group-by'),
    groups: list(str('groups')),
    folds: int(str('folds'), 'folds', DEFAULT_SPEC.folds, 2),
    split,
    seed: num(str('seed'), 'seed', DEFAULT_SPEC.seed),
    pca: values.pca === undefined ? undefined : int(str('pca'), 'pca', 0, 1),
    standardise: !values['no-standardise'],
    gammaGrid: numList(str('gamma-grid'), 'gamma-grid') ?? DEFAULT_SPEC.gammaGrid,
    cGrid: numList(str('c-grid'), 'c-grid') ?? DEFAULT_SPEC.cGrid,
    innerFolds: int(str('inner-folds'), 'inner-folds', DEFAULT_SPEC.innerFolds, 2),
    removeGroupTripletsFromW0: !values['keep-group-triplets'],
    ...(params ? { params } : {}),
  };
}

function progress(quiet: boolean) {
  let lastLine = 0;
  return (p: { stage: string; done: number; total: number; detail?: string }) => {
    if (quiet) return;
    const now = Date.now();
    if (now - lastLine < 500 && p.done !== p.total) return;
    lastLine = now;
    process.stderr.write(`\r[${p.stage}] ${p.done}/${p.total}${p.detail ? ` ${p.detail}` : ''}\x1b[K`);
  };
}

function report(result: ExperimentResult, spec: ExperimentSpec, heldOut: boolean): void {
  const out = process.stdout;
  out.write(`${formatTable(result)}\n\n`);
  const templates = formatTemplates(result);
  if (templates) out.write(`${templates}\n`);
  out.write(
    `scores: % of held-out relative constraints fulfilled (strict), mean ± sd over ${heldOut ? 'the held-out set' : `${spec.folds} folds (split: ${spec.split})`}; ` +
      `backend ${result.meta.backend.id} (${result.meta.backend.precision}); seed ${spec.seed}; data ${result.meta.dataFingerprint}; ${(result.meta.elapsedMs / 1000).toFixed(1)} s\n`,
  );
  for (const r of result.rows)
    if (r.notConverged)
      out.write(`! ${METHOD_LABELS[r.method] ?? r.method}, ${r.group}: ${notConvergedText(r.notConverged)}; the score is not a converged fit's\n`);
  for (const n of result.meta.notes) out.write(`note: ${n}\n`);
  const sig = result.comparisons.filter((c) => c.p < 0.05);
  if (sig.length) {
    out.write('significant differences (paired t-test p < 0.05 over folds):\n');
    for (const c of sig)
      out.write(
        `  ${c.group}: ${c.a} − ${c.b} = ${(100 * c.meanDiff).toFixed(2)} pt (t p = ${c.p.toPrecision(2)}, Wilcoxon p = ${c.pWilcoxon.toPrecision(2)})\n`,
      );
  }
}

export async function cmdExperiment(argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: OPTIONS, strict: true });
  if (!values.features || !values.judgments) throw new UsageError('experiment needs --features and --judgments');
  const spec = specFrom(values);
  const pref = backendFlag(values.backend, ['cpu', 'wasm', 'webgpu', 'auto']);
  const threads = int(values.threads, 'threads', 1, 1);
  const curve = curveFlags(values['train-fractions'], values.repeats, values.test);
  const { data, users } = loadData(values);
  if (curve) return runCurve(data, spec, curve, await makeBackend(pref, threads, values['gpu-accumulation']), values);
  const backend = await makeBackend(pref, threads, values['gpu-accumulation']);
  process.stderr.write(`experiment: backend ${backend.info.id} (${backend.info.precision}): ${backend.info.description}\n`);
  const ctx = { onProgress: progress(!!values.quiet) };
  let result: ExperimentResult;
  try {
    if (values.test) {
      const test = loadJudgments(values.test, 'test judgments', data.features.ids, users);
      result = await runHoldout(data, test, spec, backend, ctx);
    } else {
      result = await runExperiment(data, spec, backend, ctx);
    }
  } finally {
    if (!values.quiet) process.stderr.write('\r\x1b[K');
    backend.dispose();
  }
  report(result, spec, !!values.test);
  if (values.json) {
    writeFileSync(values.json, JSON.stringify(result, null, 1));
    process.stderr.write(`wrote ${values.json}\n`);
  }
}

/** `--train-fractions`: the learning curves instead of the table (core/learning-curve.ts). */
async function runCurve(
  data: LabData,
  spec: ExperimentSpec,
  curve: { fractions: number[]; repeats: number },
  backend: ComputeBackend,
  values: Values,
): Promise<void> {
  process.stderr.write(`experiment (learning curves): backend ${backend.info.id} (${backend.info.precision}): ${backend.info.description}\n`);
  const { runLearningCurve } = await import('../core/learning-curve');
  let result: Awaited<ReturnType<typeof runLearningCurve>>;
  try {
    result = await runLearningCurve(data, spec, curve, backend, { onProgress: progress(!!values.quiet) });
  } finally {
    if (!values.quiet) process.stderr.write('\r\x1b[K');
    backend.dispose();
  }
  reportCurve(result, spec.folds, spec.seed);
  if (values.json) {
    writeFileSync(values.json as string, JSON.stringify(result, null, 1));
    process.stderr.write(`wrote ${values.json}\n`);
  }
}
