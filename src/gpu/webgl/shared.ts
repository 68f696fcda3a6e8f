/** GLSL pieces shared by the WebGL engine's programs. */
import { pairAddProductSrc } from '../common';

/** W̃ element e of problem b: hi (+ lo when W̃ is kept as float32 pairs in a [B, 2·d²] texture). */
export function wGet(comp: boolean, DD: number, e: string): string {
  return comp ? `(getW(b, ${e}) + getW(b, ${DD} + ${e}))` : `getW(b, ${e})`;
}

/** ITML's projection of one constraint, in GLSL: reads `p`, `delta`, `gam`, `lam`, `xi`; sets `beta`, `lnew`, `xnew`, `aabs`. */
export const PROJECT_GLSL = `
          if (p > 0.0) {
            bool hard = gam > 3.0e38;
            float gp = hard ? 1.0 : gam / (gam + 1.0);
            float ig = hard ? 0.0 : 1.0 / gam;
            float alpha = min(lam, delta * gp * (1.0 / p - 1.0 / xi));
            beta = delta * alpha / (1.0 - delta * alpha * p);
            lnew = lam - alpha;
            xnew = 1.0 / (1.0 / xi + delta * alpha * ig);
            aabs = abs(alpha);
          }`;

/**
 * GLSL pieces shared by the programs that update W̃ texel by texel (`rankOneProgram`, `chunkRankKProgram`):
 * `head` reads this texel's element e of problem b into w (and lo, the low half when W̃ is a float32 pair in a
 * [B, 2·d²] texture), `add` adds beta·ur·uq to it (error-free product and TwoSum for pairs), `out` is the value
 * the texel writes (its half of the pair).
 */
export function wUpdateSrc(comp: boolean): { head: string; add: string; out: string } {
  return {
    head: `int e = ${comp ? 'c.y >= DD ? c.y - DD : c.y' : 'c.y'};
        float w = getW(b, e);
        float lo = ${comp ? 'getW(b, DD + e)' : '0.0'};`,
    add: comp
      ? `${pairAddProductSrc('glsl', { beta: 'beta', ur: 'ur', uq: 'uq', hi: 'w', lo: 'lo' })}
          w = nh;
          lo = nl;`
      : 'w += beta * (ur * uq);',
    out: comp ? 'c.y >= DD ? lo : w' : 'w',
  };
}
