import type { GPGPUProgram } from '@tensorflow/tfjs-backend-webgl';
import { PROJECT_GLSL } from './shared';

/**
 * Chunk draw 3 ([B, 4K + K²]): columns t, K + t, 2K + t, 3K + t hold β, the new λ, the new ξ and |α| of
 * the chunk's constraint t; column 4K + r·K + s holds H_rs (r < s). Each texel runs the recurrence as far
 * as its own value needs (the same operations in the same order in every texel, so all agree).
 */
export function chunkRecurrenceProgram(B: number, K: number): GPGPUProgram {
  return {
    variableNames: ['G', 'P', 'S', 'A'],
    outputShape: [B, 4 * K + K * K],
    customUniforms: [{ name: 'cRow', type: 'int' }],
    userCode: `
      const int K = ${K};
      void main() {
        ivec2 c = getOutputCoords();
        int b = c.x;
        int col = c.y;
        int kind;
        int last;
        int hr = -1;
        int hs = -1;
        if (col < 4 * K) {
          kind = col / K;
          last = col - kind * K;
        } else {
          int e = col - 4 * K;
          hr = e / K;
          hs = e - hr * K;
          if (hr >= hs) {
            setOutput(0.0);
            return;
          }
          kind = 4;
          last = hs;
        }
        bool act = getA(b) > 0.5;
        float H[${K * K}];
        float bet[${K}];
        // columns of H this texel needs: 0..lim (and hs)
        int lim = kind == 4 ? hr : last;
        for (int q = 0; q < K; q++) {
          if (q > lim) break;
          for (int s = q; s < K; s++) {
            if (s > last) break;
            if (s > lim && s != hs) continue;
            float h = getG(b, q * K + s);
            for (int r = 0; r < q; r++) {
              if (bet[r] != 0.0) h += bet[r] * H[r * K + q] * H[r * K + s];
            }
            H[q * K + s] = h;
          }
          if (q == hr) {
            setOutput(H[hr * K + hs]);
            return;
          }
          int row = cRow + q * ${B} + b;
          float delta = getP(row, 0);
          float gam = getP(row, 1);
          float lam = getS(b, K + q);
          float xi = getS(b, 2 * K + q);
          float beta = 0.0;
          float lnew = lam;
          float xnew = xi;
          float aabs = 0.0;
          if (act && delta != 0.0) {
            float p = H[q * K + q];
            ${PROJECT_GLSL}
          }
          bet[q] = beta;
          if (q == last) {
            setOutput(kind == 0 ? beta : kind == 1 ? lnew : kind == 2 ? xnew : aabs);
            return;
          }
        }
        setOutput(0.0);
      }`,
  };
}
