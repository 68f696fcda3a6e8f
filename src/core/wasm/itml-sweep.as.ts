/**
 * One ITML sweep in float64 WebAssembly (AssemblyScript source; `npm run build:wasm` compiles it into
 * itml-wasm.generated.ts). Every operation is the one src/core/itml.ts performs, in the same order
 * (symmetric mat-vec from the upper triangle with two accumulators, upper-triangle rank-one update), so
 * the result is bit-identical to the JavaScript reference; WebAssembly just runs the loops faster.
 *
 * Arrays live in linear memory at the byte offsets passed in (the caller lays them out):
 *   X f64[n·d], I i32[m], J i32[m], DELTA i8[m], ORDER i32[active], W f64[d·d] (upper triangle used),
 *   LAM f64[m], BHAT f64[m], GP f64[m] and IG f64[m] (only when perC ≠ 0), V f64[d], U f64[d].
 * Returns the number of projections that changed W, or −(c + 1) when the bound of constraint c is
 * |ξ_c| < zeroBound (the caller reports the reference's "bhat should never be 0" error).
 */
export function sweep(
  d: i32, pX: usize, pI: usize, pJ: usize, pDelta: usize, pOrder: usize, active: i32,
  pW: usize, pLam: usize, pB: usize, pGp: usize, pIg: usize, gpC: f64, igC: f64, perC: i32, pV: usize, pU: usize, zeroBound: f64,
): i32 {
  let updates = 0;
  for (let a = 0; a < active; a++) {
    const c = load<i32>(pOrder + (<usize>a << 2));
    const oi = <usize>(load<i32>(pI + (<usize>c << 2)) * d) << 3;
    const oj = <usize>(load<i32>(pJ + (<usize>c << 2)) * d) << 3;
    for (let k = 0; k < d; k++) {
      const o = <usize>k << 3;
      store<f64>(pV + o, load<f64>(pX + oi + o) - load<f64>(pX + oj + o));
      store<f64>(pU + o, 0);
    }
    for (let r = 0; r < d; r++) {
      const row = pW + (<usize>(r * d) << 3);
      const vr = load<f64>(pV + (<usize>r << 3));
      let a0 = load<f64>(pU + (<usize>r << 3)) + load<f64>(row + (<usize>r << 3)) * vr;
      let a1: f64 = 0;
      let k = r + 1;
      for (; k + 1 < d; k += 2) {
        const ok = <usize>k << 3;
        const w0 = load<f64>(row + ok);
        const w1 = load<f64>(row + ok + 8);
        a0 += w0 * load<f64>(pV + ok);
        a1 += w1 * load<f64>(pV + ok + 8);
        store<f64>(pU + ok, load<f64>(pU + ok) + w0 * vr);
        store<f64>(pU + ok + 8, load<f64>(pU + ok + 8) + w1 * vr);
      }
      if (k < d) {
        const ok = <usize>k << 3;
        const w = load<f64>(row + ok);
        a0 += w * load<f64>(pV + ok);
        store<f64>(pU + ok, load<f64>(pU + ok) + w * vr);
      }
      store<f64>(pU + (<usize>r << 3), a0 + a1);
    }
    let p: f64 = 0;
    for (let k = 0; k < d; k++) p += load<f64>(pV + (<usize>k << 3)) * load<f64>(pU + (<usize>k << 3));
    const cc = <usize>c << 3;
    const b = load<f64>(pB + cc);
    if (abs<f64>(b) < zeroBound) return -(c + 1);
    const gp = perC != 0 ? load<f64>(pGp + cc) : gpC;
    const ig = perC != 0 ? load<f64>(pIg + cc) : igC;
    const lam = load<f64>(pLam + cc);
    let alpha: f64;
    let beta: f64;
    if (load<i8>(pDelta + <usize>c) == 1) {
      const t = gp * (1 / p - 1 / b);
      alpha = lam < t ? lam : t;
      store<f64>(pLam + cc, lam - alpha);
      beta = alpha / (1 - alpha * p);
      store<f64>(pB + cc, 1 / (1 / b + alpha * ig));
    } else {
      const t = gp * (1 / b - 1 / p);
      alpha = lam < t ? lam : t;
      store<f64>(pLam + cc, lam - alpha);
      beta = (-1 * alpha) / (1 + alpha * p);
      store<f64>(pB + cc, 1 / (1 / b - alpha * ig));
    }
    if (beta != 0) {
      updates++;
      for (let r = 0; r < d; r++) {
        const row = pW + (<usize>(r * d) << 3);
        const bu = beta * load<f64>(pU + (<usize>r << 3));
        for (let k = r; k < d; k++) {
          const ok = <usize>k << 3;
          store<f64>(row + ok, load<f64>(row + ok) + bu * load<f64>(pU + ok));
        }
      }
    }
  }
  return updates;
}
