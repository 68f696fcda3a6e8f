/** Shared by the Node (Dawn) GPU checks and the browser GPU harness: no Node-only imports here. */
import { asSpd } from '../../src/core/matrix';
import { createRng, type Rng } from '../../src/core/rng';
import type { ConstraintSet, SpdMatrix } from '../../src/core/types';

/** ‖a − b‖_F / ‖b‖_F */
export function relErr(a: Float64Array, b: Float64Array): number {
  let num = 0;
  let den = 0;
  for (let k = 0; k < a.length; k++) {
    num += (a[k] - b[k]) ** 2;
    den += b[k] ** 2;
  }
  return Math.sqrt(num / den);
}

/** Random rotation Q times diag(logspace(0, −log10 cond)) times Qᵀ (float64): an SPD prior of condition `cond`. */
export function randomSpd(d: number, cond: number, seed: number): SpdMatrix {
  const rng = createRng(seed);
  // Gram–Schmidt on a Gaussian matrix
  const Q = new Float64Array(d * d);
  for (let k = 0; k < d * d; k++) Q[k] = rng.normal();
  for (let c = 0; c < d; c++) {
    for (let p = 0; p < c; p++) {
      let dot = 0;
      for (let r = 0; r < d; r++) dot += Q[r * d + c] * Q[r * d + p];
      for (let r = 0; r < d; r++) Q[r * d + c] -= dot * Q[r * d + p];
    }
    let nrm = 0;
    for (let r = 0; r < d; r++) nrm += Q[r * d + c] ** 2;
    nrm = Math.sqrt(nrm);
    for (let r = 0; r < d; r++) Q[r * d + c] /= nrm;
  }
  const ev = Array.from({ length: d }, (_, k) => Math.pow(cond, -k / Math.max(1, d - 1)));
  const W = new Float64Array(d * d);
  for (let i = 0; i < d; i++)
    for (let j = 0; j < d; j++) {
      let s = 0;
      for (let k = 0; k < d; k++) s += Q[i * d + k] * ev[k] * Q[j * d + k];
      W[i * d + j] = s;
    }
  return asSpd({ rows: d, cols: d, data: W });
}

/**
 * R random relative constraints (a, n, f) on n clips, three different clips each, triplet ids 0..R−1, drawn
 * from `rng` in a fixed order (a, n, then f until it differs); weights 1 unless given.
 */
export function randomRelative(rng: Rng, clips: number, R: number, weight: Float64Array = new Float64Array(R).fill(1)): ConstraintSet {
  const c = { count: R, a: new Int32Array(R), n: new Int32Array(R), f: new Int32Array(R), weight, triplet: Int32Array.from({ length: R }, (_, k) => k) };
  for (let r = 0; r < R; r++) {
    c.a[r] = rng.int(clips);
    c.n[r] = (c.a[r] + 1 + rng.int(clips - 1)) % clips;
    do c.f[r] = rng.int(clips);
    while (c.f[r] === c.a[r] || c.f[r] === c.n[r]);
  }
  return c;
}
