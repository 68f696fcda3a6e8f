import type { GPGPUProgram } from '@tensorflow/tfjs-backend-webgl';
import { twoProductSrc } from '../common';
import { wUpdateSrc } from './shared';

/**
 * W̃ ← W̃ + β (W̃ṽ)(W̃ṽ)ᵀ. With `comp` W̃ is a float32 pair (hi in columns 0..d²−1, lo in d²..2d²−1):
 * the product β·u_r·u_q is formed error-free (Veltkamp/Dekker splitting) and added with TwoSum; each
 * texel computes the pair and writes its half.
 */
export function rankOneProgram(B: number, d: number, comp: boolean): GPGPUProgram {
  const DD = d * d;
  const src = wUpdateSrc(comp);
  return {
    variableNames: ['W', 'S'],
    outputShape: [B, comp ? 2 * DD : DD],
    userCode: `
      const int D = ${d};
      const int DD = ${DD};
      ${twoProductSrc('glsl', 'split')}
      void main() {
        ivec2 c = getOutputCoords();
        int b = c.x;
        ${src.head}
        float beta = getS(b, D);
        if (beta != 0.0) {
          int r = e / D;
          int q = e - r * D;
          float ur = getS(b, r);
          float uq = getS(b, q);
          ${src.add}
        }
        setOutput(${src.out});
      }`,
  };
}
