import Meyda from 'meyda';
import { describe, expect, it } from 'vitest';
import { createRng } from '../core/rng';
import { FRAME } from './features';
import { chromaOf, mfccOf, sparseBanks } from './filterbanks';
import { ANALYSIS_RATE } from './resample';

describe('sparse filter banks', () => {
  it("give Meyda's own mfcc and chroma bit for bit (tones, noise, a click, near-silence)", () => {
    Meyda.bufferSize = FRAME;
    Meyda.sampleRate = ANALYSIS_RATE;
    Meyda.numberOfMFCCCoefficients = 13;
    Meyda.windowingFunction = 'hanning';
    const rng = createRng('filterbanks');
    const frames = [
      Float32Array.from({ length: FRAME }, (_, i) => 0.5 * Math.sin((2 * Math.PI * 440 * i) / ANALYSIS_RATE)),
      Float32Array.from({ length: FRAME }, () => rng.next() - 0.5),
      Float32Array.from({ length: FRAME }, (_, i) => (i === 700 ? 1 : 0)),
      Float32Array.from({ length: FRAME }, () => 1e-7 * (rng.next() - 0.5)),
      ...Array.from({ length: 6 }, (_, k) =>
        Float32Array.from(
          { length: FRAME },
          (_, i) => Math.sin((2 * Math.PI * (100 + 800 * k) * i) / ANALYSIS_RATE) * (0.9 - 0.1 * k) + 0.05 * (rng.next() - 0.5),
        ),
      ),
    ];
    for (const frame of frames) {
      const ref = Meyda.extract(['mfcc', 'chroma', 'amplitudeSpectrum'], Float32Array.from(frame)) as unknown as {
        mfcc: number[];
        chroma: number[];
        amplitudeSpectrum: Float32Array;
      };
      const banks = sparseBanks(Meyda as unknown as { melFilterBank: number[][]; chromaFilterBank: number[][] }, FRAME);
      expect(mfccOf(ref.amplitudeSpectrum, banks, 13)).toEqual(ref.mfcc);
      expect(chromaOf(ref.amplitudeSpectrum, banks)).toEqual(ref.chroma);
    }
  });
});
