/**
 * ritmlBatch (the one RITML outer loop for batches) against ritml() problem by problem: on the float64
 * engines the lock-step batch must give BIT-identical results for every parameter variant.
 */
import { describe, expect, it } from 'vitest';
import { randomRelative, randomSpd } from '../../test/gpu/fixtures';
import type { RitmlProblem } from './compute';
import { cpuBackend } from './compute-cpu';
import { JS_ENGINE } from './itml';
import { WASM_ENGINE } from './itml-wasm';
import { asFeatureMatrix } from './matrix';
import { createRng } from './rng';
import { ritml, ritmlParams, type RitmlParams } from './ritml';
import { float64ItmlBatch, ritmlBatch } from './ritml-batch';
import type { FitResult } from './types';

const n = 60;
const d = 6;
const rng = createRng('ritml-batch');
const X = asFeatureMatrix({ rows: n, cols: d, data: Float64Array.from({ length: n * d }, () => rng.normal()) });
const R = 150;
const rel = randomRelative(
  rng,
  n,
  R,
  Float64Array.from({ length: R }, () => 0.5 + 2 * rng.next()),
);

const VARIANTS: Partial<RitmlParams>[] = [
  {},
  { gamma: 0.3, outer: 4 },
  { warmStart: true },
  { selectBest: false, outer: 3 },
  { weighting: 'replicate' },
  { weighting: 'slack', initialBounds: 'current' },
  { outer: 1, selectBest: false },
  { priorCompetes: false, outer: 4 },
  { initialBounds: 'auto', outer: 3 },
];
const problems: RitmlProblem[] = VARIANTS.flatMap((v) => [null, randomSpd(d, 100, 3)].map((prior) => ({ X, train: rel, prior, params: ritmlParams(v) })));

function exact(r: FitResult): string {
  return JSON.stringify([Array.from(r.W.data), r.iterations, r.converged, r.history, r.info]);
}

describe('ritmlBatch', () => {
  it('in lock step on the float64 engines equals ritml() bit for bit, for every parameter variant', async () => {
    const ref = problems.map((p) => ritml(p.X, p.train, p.prior, p.params));
    for (const engine of [JS_ENGINE, WASM_ENGINE]) {
      const progress: number[] = [];
      const res = await ritmlBatch(problems, float64ItmlBatch(problems, engine), { onProgress: (q) => progress.push(q.done) });
      res.forEach((r, k) => expect(exact(r), `problem ${k} on ${engine.name}`).toBe(exact(ref[k])));
      expect(progress.every((x, k) => k === 0 || x >= progress[k - 1])).toBe(true);
      expect(progress.at(-1)).toBe(problems.length);
    }
    const viaBackend = await cpuBackend.fitRitmlBatch(problems.slice(0, 4));
    viaBackend.forEach((r, k) => expect(exact(r)).toBe(exact(ref[k])));
  });
});
