import { execFileSync } from 'node:child_process';
/**
 * CPU (float64) benchmark of the ITML core. Run: `npx tsx bench/cpu.ts` (or `npm run bench`).
 *
 * - ITML projections per second at d = 10, 32, 64, 128 on random problems (n = 600 points, 2,000
 *   pair constraints with percentile bounds, alternately similar / dissimilar, γ = 1, tol = 0 so the
 *   sweep count is fixed); the sweep count is calibrated so one run takes ≥ 0.5 s; median of 5 runs.
 * - Wall time of the golden problem (test/fixtures/itml-identity: 300 × 10, 597 constraints, 706
 *   sweeps) — median and min of 7 runs, after one warm-up run, with its relative error to A_octave.
 *
 * Both float64 engines run: the JavaScript reference and the WebAssembly sweep (bit-identical results).
 * Prints markdown tables and writes bench/out/cpu.json. The measuring functions are exported so more
 * timings (e.g. a full experiment) can be added to the same report.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, platform, arch } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { itml, itmlPercentileBounds, ITML_DEFAULTS, JS_ENGINE, type ItmlEngine, type ItmlOptions } from '../src/core/itml';
import { WASM_ENGINE } from '../src/core/itml-wasm';
import { asFeatureMatrix } from '../src/core/matrix';
import { parseNumericMatrix, parsePairConstraints } from '../src/core/parse/reference';
import { createRng } from '../src/core/rng';
import type { FeatureMatrix, PairConstraints } from '../src/core/types';

const HERE = dirname(fileURLToPath(import.meta.url));
/** The repository root: the nearest ancestor of this file holding package.json (works when bundled too). */
function findRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(resolve(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) return resolve(from, '..');
  }
}
const ROOT = findRoot(HERE);

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length;
  if (m === 0) return NaN;
  return m % 2 ? s[(m - 1) >> 1] : 0.5 * (s[m / 2 - 1] + s[m / 2]);
}

/** Time one synchronous call in milliseconds. */
export function timeMs<T>(f: () => T): { ms: number; value: T } {
  const t0 = performance.now();
  const value = f();
  return { ms: performance.now() - t0, value };
}

/** Yield to the event loop between runs (keeps the process responsive, lets GC run). */
const tick = () => new Promise<void>((r) => setTimeout(r, 0));

/** A random ITML problem: n points in d dims, m random pairs, alternately similar / dissimilar, 5/95 % bounds. */
export function randomItmlProblem(d: number, n = 600, m = 2000, seed = `bench-${d}`): { X: FeatureMatrix; C: PairConstraints } {
  const rng = createRng(seed);
  const X = asFeatureMatrix({ rows: n, cols: d, data: Float64Array.from({ length: n * d }, () => rng.normal()) });
  const i = new Int32Array(m);
  const j = new Int32Array(m);
  for (let c = 0; c < m; c++) {
    i[c] = rng.int(n);
    do j[c] = rng.int(n);
    while (j[c] === i[c]);
  }
  const { lower, upper } = itmlPercentileBounds(X, i, j, null);
  const delta = Int8Array.from({ length: m }, (_, c) => (c % 2 ? -1 : 1));
  const bound = Float64Array.from(delta, (dl) => (dl === 1 ? lower : upper));
  return { X, C: { count: m, i, j, delta, bound } };
}

export interface ThroughputResult {
  d: number;
  n: number;
  constraints: number;
  sweeps: number;
  projections: number;
  /** projections with β ≠ 0 (that changed W) */
  updates: number;
  runsMs: number[];
  medianMs: number;
  projectionsPerSecond: number;
}

/** ITML projections per second at each d (median of `reps` runs of ≥ `targetMs` each). */
export async function benchItmlThroughput(
  dims: readonly number[] = [10, 32, 64, 128],
  opts: { targetMs?: number; reps?: number; n?: number; constraints?: number } = {},
  engine: ItmlEngine = JS_ENGINE,
): Promise<ThroughputResult[]> {
  const targetMs = opts.targetMs ?? 600;
  const reps = opts.reps ?? 5;
  const out: ThroughputResult[] = [];
  for (const d of dims) {
    const { X, C } = randomItmlProblem(d, opts.n ?? 600, opts.constraints ?? 2000);
    const run = (sweeps: number) => itml(X, C, null, { gamma: 1, tol: 0, maxSweeps: sweeps }, undefined, engine);
    // warm up and calibrate: ms per sweep from a short run
    run(2);
    let sweeps = 2;
    let probe = timeMs(() => run(sweeps));
    while (probe.ms < 150) {
      sweeps *= 4;
      probe = timeMs(() => run(sweeps));
    }
    sweeps = Math.max(1, Math.ceil((targetMs / probe.ms) * sweeps));
    const runsMs: number[] = [];
    let info: Record<string, unknown> = {};
    for (let r = 0; r < reps; r++) {
      await tick();
      const t = timeMs(() => run(sweeps));
      runsMs.push(t.ms);
      info = (t.value.info ?? {}) as Record<string, unknown>;
    }
    const projections = Number(info.projections);
    const med = median(runsMs);
    out.push({
      d,
      n: X.rows,
      constraints: C.count,
      sweeps,
      projections,
      updates: Number(info.updates),
      runsMs,
      medianMs: med,
      projectionsPerSecond: projections / (med / 1000),
    });
  }
  return out;
}

export interface GoldenResult {
  runsMs: number[];
  medianMs: number;
  minMs: number;
  sweeps: number;
  projections: number;
  /** ‖W − A_octave‖_F / ‖A_octave‖_F */
  relError: number;
}

function loadGolden(): { X: FeatureMatrix; C: PairConstraints; A: Float64Array } {
  const dir = resolve(ROOT, 'test/fixtures/itml-identity');
  const X = asFeatureMatrix(parseNumericMatrix(readFileSync(resolve(dir, 'X.csv'), 'utf8'), 'X.csv'));
  const C = parsePairConstraints(readFileSync(resolve(dir, 'C.csv'), 'utf8'), 'C.csv', X.rows);
  const A = parseNumericMatrix(readFileSync(resolve(dir, 'A_octave.csv'), 'utf8'), 'A_octave.csv').data;
  return { X, C, A };
}

/** Wall time of the golden ITML problem: median and min of `reps` runs after one warm-up. */
export async function benchGolden(reps = 7, options: ItmlOptions = ITML_DEFAULTS, engine: ItmlEngine = JS_ENGINE): Promise<GoldenResult> {
  const { X, C, A } = loadGolden();
  const fit = () => itml(X, C, null, options, undefined, engine);
  fit(); // warm-up (JIT)
  const runsMs: number[] = [];
  let last = fit();
  for (let r = 0; r < reps; r++) {
    await tick();
    const t = timeMs(fit);
    runsMs.push(t.ms);
    last = t.value;
  }
  let num = 0;
  let den = 0;
  for (let k = 0; k < A.length; k++) {
    num += (last.W.data[k] - A[k]) ** 2;
    den += A[k] ** 2;
  }
  return {
    runsMs,
    medianMs: median(runsMs),
    minMs: Math.min(...runsMs),
    sweeps: last.iterations,
    projections: Number(last.info?.projections),
    relError: Math.sqrt(num / den),
  };
}

export interface ItmlBench {
  engine: string;
  throughput: ThroughputResult[];
  golden: GoldenResult;
}

export async function benchItml(engine: ItmlEngine = JS_ENGINE): Promise<ItmlBench> {
  const golden = await benchGolden(7, ITML_DEFAULTS, engine);
  const throughput = await benchItmlThroughput(undefined, {}, engine);
  return { engine: engine.name, throughput, golden };
}

/** WebAssembly / JavaScript speed ratios (same problems, same sweeps, same run). */
export function engineRatioMarkdown(js: ItmlBench, wasm: ItmlBench): string {
  return [
    '| problem | JavaScript | WebAssembly | WebAssembly speed-up |',
    '|---|---:|---:|---:|',
    `| golden (median wall time) | ${js.golden.medianMs.toFixed(1)} ms | ${wasm.golden.medianMs.toFixed(1)} ms | ${(js.golden.medianMs / wasm.golden.medianMs).toFixed(2)}× |`,
    ...js.throughput.map((t, k) => {
      const w = wasm.throughput[k];
      const f = (x: number) => `${(x / 1000).toFixed(0)} k/s`;
      return `| d = ${t.d} (projections / s) | ${f(t.projectionsPerSecond)} | ${f(w.projectionsPerSecond)} | ${(w.projectionsPerSecond / t.projectionsPerSecond).toFixed(2)}× |`;
    }),
  ].join('\n');
}

export function machineInfo(): Record<string, string | number> {
  const c = cpus();
  return { node: process.version, platform: platform(), arch: arch(), cpu: c[0]?.model ?? 'unknown', cores: c.length, date: new Date().toISOString() };
}

export function itmlMarkdown(b: ItmlBench): string {
  const fmt = (x: number) => x.toLocaleString('en-US', { maximumFractionDigits: 0 });
  const lines = [
    '| d | n | constraints | sweeps | projections | updates | median s | projections / s |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...b.throughput.map(
      (t) =>
        `| ${t.d} | ${t.n} | ${t.constraints} | ${t.sweeps} | ${fmt(t.projections)} | ${fmt(t.updates)} | ${(t.medianMs / 1000).toFixed(3)} | ${fmt(t.projectionsPerSecond)} |`,
    ),
    '',
    '| golden ITML problem (300 × 10, 597 constraints) | value |',
    '|---|---:|',
    `| sweeps / projections | ${b.golden.sweeps} / ${fmt(b.golden.projections)} |`,
    `| wall time, median of ${b.golden.runsMs.length} | ${b.golden.medianMs.toFixed(1)} ms |`,
    `| wall time, min | ${b.golden.minMs.toFixed(1)} ms |`,
    `| ‖W − A_octave‖_F / ‖A_octave‖_F | ${b.golden.relError.toExponential(2)} |`,
  ];
  return lines.join('\n');
}

/**
 * Wall time of the full timbre experiment (spectrum features, PCA 16, groups = the 17 studies, 10-fold CV,
 * γ by inner CV, Euclidean / ITML / RITML / W0-RITML / JOINT) through the CLI, float64 on `threads`
 * worker threads. `groups` limits it to some studies (the whole run takes tens of minutes on 2 cores).
 */
export function benchTimbre(threads: number, groups?: string): { ms: number; threads: number; groups: string; averageRitml?: number } {
  const D = resolve(ROOT, 'public/data/timbre');
  const json = resolve(ROOT, 'bench/out/timbre.json');
  const args = [
    'src/cli/main.ts',
    'experiment',
    '--features',
    `${D}/features_spectrum.csv`,
    '--judgments',
    `${D}/constraints.csv`,
    '--group-by',
    'group',
    '--pca',
    '16',
    '--folds',
    '10',
    '--methods',
    'euclidean,itml,ritml,w0-ritml,joint',
    '--threads',
    String(threads),
    '--json',
    json,
    '--quiet',
    ...(groups ? ['--groups', groups] : []),
  ];
  const t0 = performance.now();
  execFileSync(resolve(ROOT, 'node_modules/.bin/tsx'), args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  const ms = performance.now() - t0;
  const out = JSON.parse(readFileSync(json, 'utf8')) as { rows: { method: string; group: string; mean: number }[] };
  const avg = out.rows.find((r) => r.method === 'ritml' && r.group === (groups && !groups.includes(',') ? groups : 'average'));
  return { ms, threads, groups: groups ?? 'all 17 studies', averageRitml: avg?.mean };
}

export async function main(): Promise<void> {
  const machine = machineInfo();
  const argv = process.argv.slice(2);
  const opt = (k: string) => argv.find((a) => a.startsWith(`--${k}=`))?.split('=')[1];
  const itmlBench = await benchItml(JS_ENGINE);
  const wasmBench = await benchItml(WASM_ENGINE);
  let timbre: ReturnType<typeof benchTimbre> | undefined;
  if (argv.includes('--timbre') || opt('timbre-groups')) {
    timbre = benchTimbre(Number(opt('threads') ?? 1), opt('timbre-groups'));
  }
  const report = { machine, itml: itmlBench, wasm: wasmBench, ...(timbre ? { timbre } : {}) };
  console.log(`# CPU benchmark (float64)\n\n${machine.cpu}, ${machine.cores} cores, Node ${machine.node}\n`);
  console.log('## JavaScript (reference)\n');
  console.log(itmlMarkdown(itmlBench));
  console.log('\n## WebAssembly\n');
  console.log(itmlMarkdown(wasmBench));
  console.log('\n## WebAssembly vs JavaScript\n');
  console.log(engineRatioMarkdown(itmlBench, wasmBench));
  if (timbre) console.log(`\nfull timbre experiment (${timbre.groups}, ${timbre.threads} thread(s)): ${(timbre.ms / 1000).toFixed(1)} s`);
  else console.log('\n(timbre experiment skipped: add --timbre [--threads=N] or --timbre-groups=A,B)');
  const outDir = resolve(ROOT, 'bench/out');
  mkdirSync(outDir, { recursive: true });
  writeFileSync(resolve(outDir, 'cpu.json'), JSON.stringify(report, null, 2) + '\n');
  console.log(`\nwrote ${resolve(outDir, 'cpu.json')}`);
}

const invokedDirectly = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
