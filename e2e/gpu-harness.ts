/**
 * Browser harness for e2e/gpu.spec.ts and bench/webgl.ts: runs one case of the GPU conformance suite
 * (test/gpu/conformance.ts) with the engine of `?backend=webgpu|webgl` in the page and publishes its
 * CaseResult on window.__gpu (window.__gpuError on failure).
 *   ?check=<case>: golden, precision, mixed, ill, ritml, ritml-large (see conformance.ts)
 *   ?check=steps:  timing probe (bench/webgl.ts): B synthetic ITML problems, exactly `sweeps` sweeps each
 *   ?chunk=K:      the WebGL engine's projection steps per group of draws (tuning.webglChunk)
 */
import { createBackend } from '../src/gpu/select';
import { isGpuBackend, type GpuComputeBackend, type GpuTuning } from '../src/gpu/common';
import { caseNamed, timingProblems, type ConformanceEnv } from '../test/gpu/conformance';

declare global {
  interface Window {
    __gpu?: unknown;
    __gpuError?: string;
  }
}

const q = new URLSearchParams(location.search);
const pref = q.get('backend') ?? 'webgpu';
const check = q.get('check') ?? 'golden';
const out = document.getElementById('out')!;
const baseTuning: Partial<GpuTuning> = q.has('chunk') ? { webglChunk: Number(q.get('chunk')) } : {};

async function gpu(tuning: Partial<GpuTuning>): Promise<GpuComputeBackend> {
  if (pref !== 'webgpu' && pref !== 'webgl') throw new Error(`backend must be webgpu or webgl, got '${pref}'`);
  const be = await createBackend(pref, { ...baseTuning, ...tuning });
  if (!isGpuBackend(be)) throw new Error(`${pref}: not a GPU engine`);
  return be;
}

/** Repository files as the Vite dev server serves them (public/ at the root). */
async function text(path: string): Promise<string> {
  const url = path.startsWith('public/') ? path.slice('public'.length) : `/${path}`;
  const r = await fetch(url);
  if (!r.ok) throw new Error(`GET ${url}: ${r.status}`);
  return r.text();
}

async function steps(be: GpuComputeBackend) {
  const B = Number(q.get('B') ?? 40),
    d = Number(q.get('d') ?? 30),
    m = Number(q.get('m') ?? 500),
    sweeps = Number(q.get('sweeps') ?? 2);
  const problems = timingProblems(B, d, m, sweeps);
  const tw = performance.now();
  await be.fitItmlBatch(problems.map((p) => ({ ...p, options: { ...p.options, maxSweeps: 1 } }))); // compile (programs are per B, d)
  const warmMs = performance.now() - tw;
  const d0 = be.stats.dispatches;
  const t0 = performance.now();
  const r = await be.fitItmlBatch(problems);
  const ms = performance.now() - t0;
  return {
    backend: be.info.id,
    description: be.info.description,
    B,
    d,
    m,
    sweeps,
    warmMs,
    ms,
    msPerStep: ms / (m * sweeps),
    dispatchesPerSweep: (be.stats.dispatches - d0) / sweeps,
    iterations: r[0].iterations,
  };
}

async function run(): Promise<unknown> {
  const backend = await gpu({});
  if (check === 'steps') return steps(backend);
  const env: ConformanceEnv = { backend, make: gpu, text };
  return caseNamed(check).run(env);
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
