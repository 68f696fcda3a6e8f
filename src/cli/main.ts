/**
 * Similarity Lab command line: the same core as the app.
 *   npm run cli -- itml --x X.csv --constraints C.csv [--prior A0.csv] [--gamma 1] [--tol 1e-3] [--max-sweeps N] --out A.csv
 *   npm run cli -- experiment --features F --judgments J [--users U] [--group-by COL] [--groups g1,g2] [--methods ...]
 *                             [--folds 10] [--split triplet|item] [--seed S] [--pca K] [--test J2] [--json OUT] [--backend cpu|wasm|webgpu]
 *   npm run cli -- generate --seed S --out DIR
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import type { ComputeBackend } from '../core/compute';
import { cpuBackend } from '../core/compute-cpu';
import { createCpuPoolBackend } from './cpu-pool';
import { ALL_METHODS, DEFAULT_SPEC, runExperiment, runHoldout, type LabData } from '../core/experiment';
import type { ExperimentResult, ExperimentSpec, MethodId } from '../core/experiment-types';
import { itml, ITML_DEFAULTS } from '../core/itml';
import { asSpd } from '../core/matrix';
import { formatMatrixCsv, joinUsers, parseFeatures, parseJudgments, parseNumericMatrix, parsePairConstraints, parseUsers } from '../core/parse';
import { generateSynthetic, syntheticToFiles } from '../core/synthetic';
import { asFeatureMatrix } from '../core/matrix';
import { DataError } from '../core/types';
import { METHOD_LABELS } from '../core/methods';

const USAGE = `Similarity Lab CLI

Commands:
  itml        --x X.csv --constraints C.csv [--prior A0.csv] [--gamma 1] [--tol 1e-3] [--max-sweeps N] --out A.csv
              plain ITML on the reference (headerless) layout; writes the learned matrix in full float64 precision
  experiment  --features F --judgments J [--users U] [--group-by COLUMN] [--groups g1,g2]
              [--methods ${ALL_METHODS.join(',')}] [--folds 10] [--split triplet|item] [--seed S] [--pca K]
              [--gamma-grid 0.1,1,10] [--c-grid 0.1,1,10] [--inner-folds 3] [--no-standardise]
              [--keep-group-triplets] [--params JSON] [--test J2] [--json OUT] [--backend cpu|wasm|webgpu|auto]
              [--threads N]  (cpu / wasm: N worker threads for the float64 fits; results are identical)
              [--gpu-accumulation pairs|float32]  (webgpu: W̃ as float32 pairs, the default, or plain float32)
              table of methods × groups (+ average); --test J2 trains on all of J and scores on J2 instead of CV
  generate    [--seed S] --out DIR     synthetic CASimIR-like data set in the interchange formats
`;

class UsageError extends Error {}

function readText(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read ${what} file "${path}": ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

function num(v: string | undefined, name: string, dflt: number): number {
  if (v === undefined) return dflt;
  const x = Number(v);
  if (!Number.isFinite(x)) throw new UsageError(`--${name} must be a number, got "${v}"`);
  return x;
}

function list(v: string | undefined): string[] | undefined {
  return v === undefined ? undefined : v.split(',').map((s) => s.trim()).filter(Boolean);
}

function numList(v: string | undefined, name: string): number[] | undefined {
  const l = list(v);
  if (!l) return undefined;
  return l.map((s) => num(s, name, NaN));
}

function cmdItml(argv: string[]): void {
  const { values } = parseArgs({
    args: argv,
    options: { x: { type: 'string' }, constraints: { type: 'string' }, prior: { type: 'string' }, gamma: { type: 'string' }, tol: { type: 'string' }, 'max-sweeps': { type: 'string' }, out: { type: 'string' } },
    strict: true,
  });
  if (!values.x || !values.constraints || !values.out) throw new UsageError('itml needs --x, --constraints and --out');
  const X = asFeatureMatrix(parseNumericMatrix(readText(values.x, 'X'), basename(values.x)));
  const C = parsePairConstraints(readText(values.constraints, 'constraints'), basename(values.constraints), X.rows);
  let prior = null;
  if (values.prior) {
    const P = parseNumericMatrix(readText(values.prior, 'prior'), basename(values.prior));
    if (P.rows !== X.cols || P.cols !== X.cols) throw new UsageError(`prior ${values.prior} is ${P.rows}×${P.cols}, expected ${X.cols}×${X.cols}`);
    prior = asSpd(P);
  }
  const opts = {
    gamma: num(values.gamma, 'gamma', ITML_DEFAULTS.gamma),
    tol: num(values.tol, 'tol', ITML_DEFAULTS.tol),
    maxSweeps: num(values['max-sweeps'], 'max-sweeps', ITML_DEFAULTS.maxSweeps),
  };
  const t0 = performance.now();
  const res = itml(X, C, prior, opts);
  const ms = performance.now() - t0;
  writeFileSync(values.out, formatMatrixCsv(res.W));
  const info = res.info ?? {};
  process.stderr.write(
    `itml: ${X.rows} points × ${X.cols} features, ${C.count} constraints; ${res.iterations} sweeps, ${info.projections} projections, ` +
      `${res.converged ? 'converged' : 'NOT converged (sweep cap)'}, ${(100 * Number(info.satisfied)).toFixed(2)}% satisfied, ${ms.toFixed(1)} ms → ${values.out}\n`,
  );
}

/** Judgments file (known ids checked), with the users file joined when given. */
function loadJudgments(path: string, what: string, ids: readonly string[], users: { path: string; map: Map<string, Record<string, string>> } | null) {
  const js = parseJudgments(readText(path, what), basename(path), { knownIds: ids });
  return users ? joinUsers(js, users.map, basename(users.path)) : js;
}

function loadData(values: Record<string, string | boolean | undefined>) {
  const fpath = values.features as string;
  const features = parseFeatures(readText(fpath, 'features'), basename(fpath));
  const upath = values.users as string | undefined;
  const users = upath ? { path: upath, map: parseUsers(readText(upath, 'users'), basename(upath)) } : null;
  const data: LabData = { features, judgments: loadJudgments(values.judgments as string, 'judgments', features.ids, users) };
  return { data, users };
}

export function formatTable(result: ExperimentResult): string {
  const groups = Array.from(new Set(result.rows.map((r) => r.group)));
  const methods = Array.from(new Set(result.rows.map((r) => r.method)));
  const cell = (m: MethodId, g: string) => {
    const r = result.rows.find((x) => x.method === m && x.group === g);
    return r ? `${(100 * r.mean).toFixed(2)} ± ${(100 * r.sd).toFixed(2)}` : '';
  };
  const header = ['method', ...groups];
  const body = methods.map((m) => [METHOD_LABELS[m] ?? m, ...groups.map((g) => cell(m, g))]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i].length)));
  const line = (row: string[]) => row.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

async function makeBackend(pref: string | undefined, threads: number, accumulation: string | undefined): Promise<ComputeBackend> {
  if (pref !== undefined && !['cpu', 'wasm', 'webgpu', 'auto'].includes(pref)) {
    throw new UsageError(`--backend must be cpu, wasm, webgpu or auto, got "${pref}"`);
  }
  if (accumulation !== undefined && accumulation !== 'pairs' && accumulation !== 'float32') {
    throw new UsageError(`--gpu-accumulation must be pairs or float32, got "${accumulation}"`);
  }
  if (!pref || pref === 'cpu') return threads > 1 ? createCpuPoolBackend(threads) : cpuBackend;
  if (pref === 'wasm') return createCpuPoolBackend(threads, 'wasm');
  const { createNodeBackend } = await import('../gpu/node');
  return createNodeBackend(pref as 'auto' | 'webgpu', { compensated: accumulation !== 'float32' });
}

async function cmdExperiment(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
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
    },
    strict: true,
  });
  if (!values.features || !values.judgments) throw new UsageError('experiment needs --features and --judgments');
  const { data, users } = loadData(values);
  const split = values.split ?? DEFAULT_SPEC.split;
  if (split !== 'triplet' && split !== 'item') throw new UsageError(`--split must be triplet or item, got "${split}"`);
  let params: ExperimentSpec['params'];
  if (values.params) {
    try {
      params = JSON.parse(values.params);
    } catch (e) {
      throw new UsageError(`--params is not valid JSON: ${(e as Error).message}`);
    }
  }
  const spec: ExperimentSpec = {
    ...DEFAULT_SPEC,
    methods: (list(values.methods) as MethodId[] | undefined) ?? DEFAULT_SPEC.methods,
    groupBy: values['group-by'],
    groups: list(values.groups),
    folds: num(values.folds, 'folds', DEFAULT_SPEC.folds),
    split,
    seed: num(values.seed, 'seed', DEFAULT_SPEC.seed),
    pca: values.pca === undefined ? undefined : num(values.pca, 'pca', 0),
    standardise: !values['no-standardise'],
    gammaGrid: numList(values['gamma-grid'], 'gamma-grid') ?? DEFAULT_SPEC.gammaGrid,
    cGrid: numList(values['c-grid'], 'c-grid') ?? DEFAULT_SPEC.cGrid,
    innerFolds: num(values['inner-folds'], 'inner-folds', DEFAULT_SPEC.innerFolds),
    removeGroupTripletsFromW0: !values['keep-group-triplets'],
    ...(params ? { params } : {}),
  };
  const backend = await makeBackend(values.backend, num(values.threads, 'threads', 1), values['gpu-accumulation']);
  let lastLine = 0;
  const ctx = {
    onProgress: (p: { stage: string; done: number; total: number; detail?: string }) => {
      if (values.quiet) return;
      const now = Date.now();
      if (now - lastLine < 500 && p.done !== p.total) return;
      lastLine = now;
      process.stderr.write(`\r[${p.stage}] ${p.done}/${p.total}${p.detail ? ` ${p.detail}` : ''}\x1b[K`);
    },
  };
  let result: ExperimentResult;
  if (values.test) {
    const test = loadJudgments(values.test, 'test judgments', data.features.ids, users);
    result = await runHoldout(data, test, spec, backend, ctx);
  } else {
    result = await runExperiment(data, spec, backend, ctx);
  }
  if (!values.quiet) process.stderr.write('\r\x1b[K');
  backend.dispose();
  const out = process.stdout;
  out.write(`${formatTable(result)}\n\n`);
  out.write(
    `scores: % of held-out relative constraints fulfilled (strict), mean ± sd over ${values.test ? 'the held-out set' : `${spec.folds} folds (split: ${spec.split})`}; ` +
      `backend ${result.meta.backend.id} (${result.meta.backend.precision}); seed ${spec.seed}; data ${result.meta.dataFingerprint}; ${(result.meta.elapsedMs / 1000).toFixed(1)} s\n`,
  );
  for (const n of result.meta.notes) out.write(`note: ${n}\n`);
  const sig = result.comparisons.filter((c) => c.p < 0.05);
  if (sig.length) {
    out.write('significant differences (paired t-test p < 0.05 over folds):\n');
    for (const c of sig) out.write(`  ${c.group}: ${c.a} − ${c.b} = ${(100 * c.meanDiff).toFixed(2)} pt (t p = ${c.p.toPrecision(2)}, Wilcoxon p = ${c.pWilcoxon.toPrecision(2)})\n`);
  }
  if (values.json) {
    writeFileSync(values.json, JSON.stringify(result, null, 1));
    process.stderr.write(`wrote ${values.json}\n`);
  }
}

function cmdGenerate(argv: string[]): void {
  const { values } = parseArgs({ args: argv, options: { seed: { type: 'string' }, out: { type: 'string' } }, strict: true });
  if (!values.out) throw new UsageError('generate needs --out DIR');
  const ds = generateSynthetic({ seed: num(values.seed, 'seed', 1) });
  mkdirSync(values.out, { recursive: true });
  const files = syntheticToFiles(ds);
  for (const f of files) writeFileSync(join(values.out, f.name), f.text);
  process.stderr.write(`wrote ${files.map((f) => f.name).join(', ')} to ${values.out}\n`);
}

export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  try {
    switch (cmd) {
      case 'itml':
        cmdItml(rest);
        return 0;
      case 'experiment':
        await cmdExperiment(rest);
        return 0;
      case 'generate':
        cmdGenerate(rest);
        return 0;
      case undefined:
      case '-h':
      case '--help':
      case 'help':
        process.stdout.write(USAGE);
        return cmd ? 0 : 2;
      default:
        throw new UsageError(`unknown command "${cmd}"`);
    }
  } catch (e) {
    if (e instanceof UsageError) process.stderr.write(`error: ${e.message}\n\n${USAGE}`);
    else if (e instanceof DataError) process.stderr.write(`error in input: ${e.message}\n`);
    else if (e instanceof Error && (e.name === 'ExperimentError' || e.name === 'FoldError' || e.name === 'TypeError' && /Unknown option|unexpected argument/i.test(e.message)))
      process.stderr.write(`error: ${e.message}\n`);
    else if (e instanceof Error && /ERR_PARSE_ARGS/.test(String((e as NodeJS.ErrnoException).code))) process.stderr.write(`error: ${e.message}\n\n${USAGE}`);
    else process.stderr.write(`error: ${e instanceof Error ? e.message : String(e)}\n`);
    return cmd === 'experiment' || cmd === 'itml' || cmd === 'generate' ? 1 : 2;
  }
}

const isMain = process.argv[1] && /(cli[\\/]main\.(ts|js)|cli\.mjs)$/.test(process.argv[1]);
if (isMain) {
  main(process.argv.slice(2)).then((code) => process.exit(code));
}
