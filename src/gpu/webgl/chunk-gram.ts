import type { GPGPUProgram } from '@tensorflow/tfjs-backend-webgl';

/** Chunk draw 2 ([B, K·K]): G_rs = ṽ_r·Y_s for r ≤ s (0 below the diagonal, never read). */
export function chunkGramProgram(B: number, d: number, K: number): GPGPUProgram {
  return {
    variableNames: ['V', 'Y'],
    outputShape: [B, K * K],
    customUniforms: [{ name: 'cRow', type: 'int' }],
    userCode: `
      const int D = ${d};
      const int K = ${K};
      void main() {
        ivec2 c = getOutputCoords();
        int b = c.x;
        int r = c.y / K;
        int s = c.y - r * K;
        if (r > s) {
          setOutput(0.0);
          return;
        }
        int row = cRow + r * ${B} + b;
        float acc = 0.0;
        for (int q = 0; q < D; q++) acc += getV(row, q) * getY(b, s * D + q);
        setOutput(acc);
      }`,
  };
}
