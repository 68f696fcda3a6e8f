/**
 * The WebAssembly ITML engine against the JavaScript reference: same operations in the same order, so
 * W, λ-convergence history, sweeps and counts must be BIT-identical — on the golden problem, with a
 * prior, per-constraint γ, hard constraints, identical points, high d, and through RITML.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { itml, type ItmlOptions } from './itml';
import { WASM_ENGINE, wasmAvailable } from './itml-wasm';
import { cpuBackend, wasmBackend } from './compute-cpu';
import { ritml, ritmlParams } from './ritml';
import { parseNumericMatrix, parsePairConstraints } from './parse';
import { asFeatureMatrix } from './matrix';
import { randomRelative, randomSpd } from '../../test/gpu/fixtures';
import { createRng } from './rng';
import type { FeatureMatrix, FitResult, PairConstraints, SpdMatrix } from './types';

const FIX = resolve(__dirname, '../../test/fixtures/itml-identity');
const X = asFeatureMatrix(parseNumericMatrix(readFileSync(resolve(FIX, 'X.csv'), 'utf8'), 'X.csv'));
const C = parsePairConstraints(readFileSync(resolve(FIX, 'C.csv'), 'utf8'), 'C.csv', X.rows);

function expectIdentical(a: FitResult, b: FitResult): void {
  expect(b.W.data.length).toBe(a.W.data.length);
  for (let k = 0; k < a.W.data.length; k++) if (!Object.is(a.W.data[k], b.W.data[k])) expect(b.W.data[k]).toBe(a.W.data[k]);
  expect(b.iterations).toBe(a.iterations);
  expect(b.converged).toBe(a.converged);
  expect(b.history).toEqual(a.history);
  expect(b.info).toEqual(a.info);
}

function randomProblem(seed: string, n: number, d: number, m: number): { X: FeatureMatrix; C: PairConstraints; prior: SpdMatrix } {
  const rng = createRng(seed);
  const Xr = asFeatureMatrix({ rows: n, cols: d, data: Float64Array.from({ length: n * d }, () => rng.normal()) });
  const Cr: PairConstraints = { count: m, i: new Int32Array(m), j: new Int32Array(m), delta: new Int8Array(m), bound: new Float64Array(m) };
  for (let c = 0; c < m; c++) {
    Cr.i[c] = rng.int(n);
    Cr.j[c] = (Cr.i[c] + 1 + rng.int(n - 1)) % n;
    Cr.delta[c] = rng.next() < 0.5 ? 1 : -1;
    Cr.bound[c] = Cr.delta[c] === 1 ? d * 0.6 : d * 1.6;
  }
  return { X: Xr, C: Cr, prior: randomSpd(d, 1e3, d) };
}

describe('WebAssembly ITML engine', () => {
  it('loads here', () => {
    expect(wasmAvailable()).toBe(true);
  });

  it('golden problem: bit-identical W, 706 sweeps, same history and counts', () => {
    const opts: ItmlOptions = { gamma: 1, tol: 1e-3, maxSweeps: 100000 };
    const js = itml(X, C, null, opts);
    const wa = itml(X, C, null, opts, undefined, WASM_ENGINE);
    expect(wa.iterations).toBe(706);
    expectIdentical(js, wa);
  });

  it('prior, per-constraint γ, hard constraints, odd and even d up to 64: bit-identical', () => {
    for (const [d, n, m] of [
      [1, 20, 30],
      [3, 30, 80],
      [16, 60, 300],
      [33, 80, 200],
      [64, 100, 150],
    ]) {
      const p = randomProblem(`wasm-${d}`, n, d, m);
      const gammas = Float64Array.from({ length: m }, (_, k) => 0.3 + (k % 4));
      const cases: [SpdMatrix | null, ItmlOptions][] = [
        [null, { gamma: 1, tol: 1e-4, maxSweeps: 40 }],
        [p.prior, { gamma: 0.5, tol: 1e-4, maxSweeps: 40, gammas }],
        [null, { gamma: Infinity, tol: 1e-4, maxSweeps: 25 }],
      ];
      for (const [prior, opts] of cases) expectIdentical(itml(p.X, p.C, prior, opts), itml(p.X, p.C, prior, opts, undefined, WASM_ENGINE));
    }
  });

  it('skips constraints on identical points as the reference', () => {
    const p = randomProblem('wasm-dup', 30, 5, 60);
    p.C.j[7] = p.C.i[7] === 0 ? 1 : 0;
    p.X.data.set(p.X.data.subarray(p.C.i[7] * 5, p.C.i[7] * 5 + 5), p.C.j[7] * 5);
    const opts = { gamma: 1, tol: 1e-3, maxSweeps: 50 };
    const js = itml(p.X, p.C, null, opts);
    expect(js.info?.skipped).toBeGreaterThanOrEqual(1);
    expectIdentical(js, itml(p.X, p.C, null, opts, undefined, WASM_ENGINE));
  });

  it('features scaled by 1e-150 and 1e150 (λ² under/overflows; scale-safe convergence norms): bit-identical', () => {
    for (const s of [1e-150, 1e150]) {
      const p = randomProblem(`wasm-scale-${s}`, 30, 5, 60);
      const Xs = asFeatureMatrix({ rows: p.X.rows, cols: p.X.cols, data: p.X.data.map((v) => v * s) });
      const Cs: PairConstraints = { ...p.C, bound: p.C.bound.map((v) => v * s * s) };
      const opts = { gamma: 1, tol: 1e-3, maxSweeps: 200 };
      const js = itml(Xs, Cs, null, opts);
      expect(js.iterations).toBeGreaterThan(1);
      expectIdentical(js, itml(Xs, Cs, null, opts, undefined, WASM_ENGINE));
    }
  });

  it('a bound that reaches 0 gives the reference error', () => {
    const p = randomProblem('wasm-zero', 20, 3, 10);
    p.C.bound[4] = 1e-12;
    const opts = { gamma: 1, tol: 1e-3, maxSweeps: 5 };
    expect(() => itml(p.X, p.C, null, opts)).toThrow(/constraint 4 has bound/);
    // validation catches it first in both engines; an in-sweep zero is reported with the same words
    expect(() => itml(p.X, p.C, null, opts, undefined, WASM_ENGINE)).toThrow(/constraint 4 has bound/);
  });

  it('RITML and the backend: identical results through ritml() and wasmBackend', async () => {
    const p = randomProblem('wasm-ritml', 50, 8, 1);
    const rng = createRng('rel');
    const rel = randomRelative(rng, 50, 240);
    const params = { gamma: 0.5, outer: 4 };
    expectIdentical(ritml(p.X, rel, null, params), ritml(p.X, rel, null, params, undefined, WASM_ENGINE));
    const problems = [{ X: p.X, train: rel, prior: p.prior, params: ritmlParams({ ...params, gamma: 2 }) }];
    const [a] = await cpuBackend.fitRitmlBatch(problems);
    const [b] = await wasmBackend.fitRitmlBatch(problems);
    expectIdentical(a, b);
    expect(wasmBackend.info).toMatchObject({ id: 'wasm', precision: 'float64' });
  });

  it('the committed module is the compiled AssemblyScript source (npm run build:wasm)', () => {
    const out = execFileSync(process.execPath, ['scripts/build-wasm.mjs', '--check'], { cwd: resolve(__dirname, '../..'), encoding: 'utf8' });
    expect(out).toMatch(/matches/);
  }, 60_000);
});
