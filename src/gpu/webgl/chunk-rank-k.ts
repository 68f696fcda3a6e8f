import type { GPGPUProgram } from '@tensorflow/tfjs-backend-webgl';
import { twoProductSrc } from '../common';
import { wUpdateSrc } from './shared';

/** Chunk draw 5: W̃ ← W̃ + Σ_t β_t u_t u_tᵀ, term by term (float32 pairs as in `rankOneProgram`). */
export function chunkRankKProgram(B: number, d: number, K: number, comp: boolean): GPGPUProgram {
  const DD = d * d;
  const src = wUpdateSrc(comp);
  return {
    variableNames: ['W', 'U', 'R'],
    outputShape: [B, comp ? 2 * DD : DD],
    userCode: `
      const int D = ${d};
      const int DD = ${DD};
      const int K = ${K};
      ${twoProductSrc('glsl', 'split')}
      void main() {
        ivec2 c = getOutputCoords();
        int b = c.x;
        ${src.head}
        int r = e / D;
        int q = e - r * D;
        for (int t = 0; t < K; t++) {
          float beta = getR(b, t);
          if (beta != 0.0) {
            float ur = getU(b, t * D + r);
            float uq = getU(b, t * D + q);
            ${src.add}
          }
        }
        setOutput(${src.out});
      }`,
  };
}
