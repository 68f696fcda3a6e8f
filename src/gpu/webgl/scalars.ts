import type { GPGPUProgram } from '@tensorflow/tfjs-backend-webgl';
import { PROJECT_GLSL, wGet } from './shared';

/**
 * Step draw 1 ([B, d + 4]): columns 0..d−1 hold u = W̃ṽ, columns d..d+3 hold β, the new λ, the new ξ
 * and |α| (these texels form p = ṽᵀW̃ṽ themselves). The rank-one draw then only reads u and β.
 */
export function scalarsProgram(B: number, d: number, comp: boolean): GPGPUProgram {
  return {
    variableNames: ['W', 'V', 'P', 'S', 'A'],
    outputShape: [B, d + 4],
    customUniforms: [{ name: 'kB', type: 'int' }],
    userCode: `
      const int D = ${d};
      void main() {
        ivec2 c = getOutputCoords();
        int b = c.x;
        int col = c.y;
        int row = kB + b;
        if (col < D) {
          float acc = 0.0;
          for (int q = 0; q < D; q++) acc += ${wGet(comp, d * d, 'col * D + q')} * getV(row, q);
          setOutput(acc);
          return;
        }
        float delta = getP(row, 0);
        float gam = getP(row, 1);
        float lam = getS(b, D + 1);
        float xi = getS(b, D + 2);
        float beta = 0.0;
        float lnew = lam;
        float xnew = xi;
        float aabs = 0.0;
        if (getA(b, 0) > 0.5 && delta != 0.0) {
          float p = 0.0;
          for (int r = 0; r < D; r++) {
            float acc = 0.0;
            for (int q = 0; q < D; q++) acc += ${wGet(comp, d * d, 'r * D + q')} * getV(row, q);
            p += getV(row, r) * acc;
          }
          ${PROJECT_GLSL}
        }
        int k = col - D;
        setOutput(k == 0 ? beta : k == 1 ? lnew : k == 2 ? xnew : aabs);
      }`,
  };
}
