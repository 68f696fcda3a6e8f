/**
 * GPU engine benchmark (Node + Dawn): synthetic batches of ITML / RITML problems, WebGPU (our WGSL
 * kernels through tfjs) against the float64 CPU core in the same run.
 *
 *   npx tsx bench/gpu.ts [--B=1,10,100,1000] [--d=16,32,64] [--m=400] [--sweeps=20] [--kind=itml,ritml]
 *                        [--outer=3] [--cpu-max-b=100] [--sweeps-per-dispatch=1] [--check-every=8] [--wg=N]
 *                        [--accumulation=pairs|float32]   (W̃ as float32 pairs, the default, or plain float32)
 *
 * Fixed work: tol = 0, so every ITML call runs exactly --sweeps sweeps (RITML: --outer outer iterations,
 * selectBest off). CPU times above --cpu-max-b problems are measured on --cpu-max-b problems and scaled
 * linearly (the CPU core does problems one after another), marked "~" in the table.
 * Writes bench/out/gpu.json. On this machine Dawn needs SwiftShader:
 *   LD_LIBRARY_PATH=/usr/lib/chromium VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json npx tsx bench/gpu.ts --B=1,10,100 --d=16,32 --m=100 --sweeps=5
 * On a machine with a GPU and a Vulkan driver no variables are needed.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { createNodeWebGpu } from '../src/gpu/node';
import { cpuBackend } from '../src/core/compute-cpu';
import { asFeatureMatrix } from '../src/core/matrix';
import { itmlPercentileBounds } from '../src/core/itml';
import { ritmlParams } from '../src/core/ritml';
import { createRng } from '../src/core/rng';
import type { ItmlProblem, RitmlProblem } from '../src/core/compute';
import type { FeatureMatrix } from '../src/core/types';
import { randomRelative } from '../test/gpu/fixtures';
import { benchArgs } from './args';

const { args, list } = benchArgs();
const Bs = list('B', '1,10,100,1000');
const ds = list('d', '16,32,64');
const m = Number(args.get('m') ?? 400);
const sweeps = Number(args.get('sweeps') ?? 20);
const outer = Number(args.get('outer') ?? 3);
const kinds = (args.get('kind') ?? 'itml,ritml').split(',');
const cpuMaxB = Number(args.get('cpu-max-b') ?? 100);
const tuning = {
  sweepsPerDispatch: Number(args.get('sweeps-per-dispatch') ?? 1),
  checkEvery: Number(args.get('check-every') ?? 8),
  ...(args.has('wg') ? { workgroupSize: Number(args.get('wg')) } : {}),
  compensated: (args.get('accumulation') ?? 'pairs') !== 'float32',
};

function data(n: number, d: number, seed: number): FeatureMatrix {
  const rng = createRng(seed);
  const x = new Float64Array(n * d);
  for (let k = 0; k < x.length; k++) x[k] = rng.normal();
  return asFeatureMatrix({ rows: n, cols: d, data: x });
}

function itmlProblems(B: number, d: number): ItmlProblem[] {
  const X = data(200, d, d);
  const out: ItmlProblem[] = [];
  for (let b = 0; b < B; b++) {
    const rng = createRng(`${d}/${b}`);
    const i = Int32Array.from({ length: m }, () => rng.int(X.rows));
    const j = Int32Array.from(i, (v) => (v + 1 + rng.int(X.rows - 1)) % X.rows);
    const delta = Int8Array.from({ length: m }, (_, k) => (k % 2 ? -1 : 1));
    const { lower, upper } = itmlPercentileBounds(X, i, j, null);
    out.push({
      X,
      constraints: { count: m, i, j, delta, bound: Float64Array.from(delta, (s) => (s > 0 ? lower : upper)) },
      prior: null,
      options: { gamma: 1, tol: 0, maxSweeps: sweeps },
    });
  }
  return out;
}

function ritmlProblems(B: number, d: number): RitmlProblem[] {
  const X = data(200, d, d + 1);
  const R = Math.max(1, Math.round(m / 2));
  const out: RitmlProblem[] = [];
  for (let b = 0; b < B; b++) {
    const rng = createRng(`r${d}/${b}`);
    const c = randomRelative(rng, X.rows, R);
    out.push({ X, train: c, prior: null, params: ritmlParams({ outer, maxSweeps: sweeps, tol: 0, selectBest: false }) });
  }
  return out;
}

async function time(f: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await f();
  return performance.now() - t0;
}

const gpu = await createNodeWebGpu(tuning);
console.log(
  `adapter: ${gpu.info.description} (backend ${gpu.info.id}, ${gpu.info.precision}, W̃ accumulated as ${tuning.compensated ? 'float32 pairs' : 'plain float32'})`,
);
console.log(`m = ${m} pair constraints per ITML problem (RITML: ${Math.round(m / 2)} relative), ${sweeps} sweeps per ITML call, RITML outer ${outer}\n`);

interface Row {
  kind: string;
  B: number;
  d: number;
  gpuMs: number;
  cpuMs: number;
  cpuExtrapolated: boolean;
  speedup: number;
  dispatchesPerSweep: number;
  readbacksPerBatch: number;
  projectionsPerSec: number;
}
const rows: Row[] = [];
for (const kind of kinds) {
  for (const d of ds) {
    // warm-up: compile the pipelines for this d
    if (kind === 'itml') await gpu.fitItmlBatch(itmlProblems(1, d).map((p) => ({ ...p, options: { ...p.options, maxSweeps: 1 } })));
    else await gpu.fitRitmlBatch(ritmlProblems(1, d).map((p) => ({ ...p, params: { ...p.params, outer: 1, maxSweeps: 1 } })));
    for (const B of Bs) {
      const probs = kind === 'itml' ? itmlProblems(B, d) : ritmlProblems(B, d);
      const d0 = gpu.stats.dispatches;
      const r0 = gpu.stats.readbacks;
      const gpuMs = await time(() => (kind === 'itml' ? gpu.fitItmlBatch(probs as ItmlProblem[]) : gpu.fitRitmlBatch(probs as RitmlProblem[])));
      const dispatches = gpu.stats.dispatches - d0;
      const readbacks = gpu.stats.readbacks - r0;
      const Bc = Math.min(B, cpuMaxB);
      const sub = probs.slice(0, Bc);
      const cpuMs0 = await time(() => (kind === 'itml' ? cpuBackend.fitItmlBatch(sub as ItmlProblem[]) : cpuBackend.fitRitmlBatch(sub as RitmlProblem[])));
      const cpuMs = (cpuMs0 * B) / Bc;
      const totalSweeps = kind === 'itml' ? sweeps : sweeps * outer;
      const projections = B * m * totalSweeps;
      const row: Row = {
        kind,
        B,
        d,
        gpuMs,
        cpuMs,
        cpuExtrapolated: Bc < B,
        speedup: cpuMs / gpuMs,
        dispatchesPerSweep: dispatches / totalSweeps,
        readbacksPerBatch: readbacks,
        projectionsPerSec: projections / (gpuMs / 1000),
      };
      rows.push(row);
      console.error(`${kind} B=${B} d=${d}: gpu ${gpuMs.toFixed(0)} ms, cpu ${cpuMs.toFixed(0)} ms${row.cpuExtrapolated ? ' (scaled)' : ''}`);
    }
  }
}

const fmt = (x: number) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
console.log('| kind | B | d | WebGPU ms | CPU f64 ms | speed-up (CPU/GPU) | dispatches / sweep | readbacks / batch | projections / s (GPU) |');
console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const r of rows) {
  console.log(
    `| ${r.kind} | ${r.B} | ${r.d} | ${fmt(r.gpuMs)} | ${r.cpuExtrapolated ? '~' : ''}${fmt(r.cpuMs)} | ${fmt(r.speedup)}× | ${r.dispatchesPerSweep.toFixed(2)} | ${r.readbacksPerBatch} | ${r.projectionsPerSec.toExponential(2)} |`,
  );
}
mkdirSync('bench/out', { recursive: true });
writeFileSync(
  'bench/out/gpu.json',
  JSON.stringify(
    {
      adapter: gpu.info.description,
      backend: gpu.info.id,
      precision: gpu.info.precision,
      accumulation: gpu.accumulation,
      m,
      sweeps,
      outer,
      tuning,
      date: new Date().toISOString(),
      rows,
    },
    null,
    2,
  ),
);
console.log('\nwrote bench/out/gpu.json');
process.exit(0);
