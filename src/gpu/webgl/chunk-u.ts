import type { GPGPUProgram } from '@tensorflow/tfjs-backend-webgl';

/** Chunk draw 4 ([B, K·d]): u_t = Y_t + Σ_{r<t} β_r H_rt u_r, column t·d + i. */
export function chunkUProgram(B: number, d: number, K: number): GPGPUProgram {
  return {
    variableNames: ['Y', 'R'],
    outputShape: [B, K * d],
    userCode: `
      const int D = ${d};
      const int K = ${K};
      void main() {
        ivec2 c = getOutputCoords();
        int b = c.x;
        int t = c.y / D;
        int i = c.y - t * D;
        float u[${K}];
        for (int q = 0; q < K; q++) {
          if (q > t) break;
          float x = getY(b, q * D + i);
          for (int r = 0; r < q; r++) {
            float br = getR(b, r);
            if (br != 0.0) x += br * getR(b, 4 * K + r * K + q) * u[r];
          }
          u[q] = x;
        }
        setOutput(u[t]);
      }`,
  };
}
