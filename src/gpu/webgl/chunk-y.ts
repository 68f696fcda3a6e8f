import type { GPGPUProgram } from '@tensorflow/tfjs-backend-webgl';
import { wGet } from './shared';

/** Chunk draw 1 ([B, K·d]): column t·d + i holds (W̃ṽ_t)_i for constraint t of the chunk (V rows cRow + t·B + b). */
export function chunkYProgram(B: number, d: number, K: number, comp: boolean): GPGPUProgram {
  return {
    variableNames: ['W', 'V'],
    outputShape: [B, K * d],
    customUniforms: [{ name: 'cRow', type: 'int' }],
    userCode: `
      const int D = ${d};
      void main() {
        ivec2 c = getOutputCoords();
        int b = c.x;
        int t = c.y / D;
        int i = c.y - t * D;
        int row = cRow + t * ${B} + b;
        float acc = 0.0;
        for (int q = 0; q < D; q++) acc += ${wGet(comp, d * d, 'i * D + q')} * getV(row, q);
        setOutput(acc);
      }`,
  };
}
