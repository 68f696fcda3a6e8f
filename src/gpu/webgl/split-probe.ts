import type { GPGPUProgram } from '@tensorflow/tfjs-backend-webgl';
import { twoProductSrc } from '../common';

/** A [1, 2n] program: the split product errors of n pairs (a, b) given as a [1, 2n] tensor. */
export function splitProbeProgram(n: number): GPGPUProgram {
  return {
    variableNames: ['A'],
    outputShape: [1, n],
    userCode: `
      ${twoProductSrc('glsl', 'split')}
      void main() {
        int k = getOutputCoords().y;
        setOutput(twoProd(getA(0, 2 * k), getA(0, 2 * k + 1)).y);
      }`,
  };
}
