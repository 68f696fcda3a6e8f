import { describe, expect, it } from 'vitest';
import { ANALYSIS_RATE, resample, toMono } from './resample';

/** the same resampler at a non-integer source rate (the per-sample path) next to the integer one (polyphase) */
const near = (x: Float32Array, from: number) => resample(x, from + 1e-9, ANALYSIS_RATE);

const tone = (hz: number, rate: number, seconds: number, amp = 0.5) =>
  Float32Array.from({ length: Math.round(rate * seconds) }, (_, i) => amp * Math.sin((2 * Math.PI * hz * i) / rate));

/** amplitude of the `hz` component (least squares on sin and cos), away from the edges */
function amplitude(x: Float32Array, hz: number, rate: number): number {
  let s = 0;
  let c = 0;
  const from = Math.floor(x.length * 0.1);
  const to = Math.floor(x.length * 0.9);
  for (let i = from; i < to; i++) {
    s += x[i] * Math.sin((2 * Math.PI * hz * i) / rate);
    c += x[i] * Math.cos((2 * Math.PI * hz * i) / rate);
  }
  return (2 * Math.hypot(s, c)) / (to - from);
}

describe('resampling', () => {
  it('keeps a tone in the pass band (amplitude within 0.5 %) and sets the length to round(n · to / from)', () => {
    for (const [from, to] of [
      [44100, ANALYSIS_RATE],
      [48000, ANALYSIS_RATE],
      [16000, ANALYSIS_RATE],
      [96000, 44100],
    ]) {
      const x = tone(1000, from, 0.5);
      const y = resample(x, from, to);
      expect(y.length).toBe(Math.round((x.length * to) / from));
      expect(amplitude(y, 1000, to)).toBeCloseTo(0.5, 2);
      expect(Math.abs(amplitude(y, 1000, to) - 0.5) / 0.5).toBeLessThan(0.005);
    }
  });

  it('removes what the new rate cannot hold instead of folding it back (a 15 kHz tone to 22.05 kHz: < −60 dB)', () => {
    const y = resample(tone(15000, 44100, 0.5), 44100, ANALYSIS_RATE);
    // 15 kHz would alias to 22050 − 15000 = 7050 Hz
    expect(amplitude(y, 7050, ANALYSIS_RATE)).toBeLessThan(0.5 * 1e-3);
  });

  it('is the identity at the same rate, deterministic, and mixes channels by their average', () => {
    const x = tone(440, 22050, 0.1);
    expect(resample(x, 22050, 22050)).toEqual(x);
    expect(resample(x, 22050, 44100)).toEqual(resample(x, 22050, 44100));
    expect(Array.from(toMono([Float32Array.of(1, 0.5), Float32Array.of(0, -0.5)]))).toEqual([0.5, 0]);
    expect(() => resample(x, 0, 22050)).toThrow(/rates must be positive/);
  });

  it('the polyphase path (integer rates) gives what the per-sample path gives: within 1e-6', () => {
    for (const from of [44100, 48000]) {
      const x = Float32Array.from({ length: from / 5 }, (_, i) => 0.4 * Math.sin(i * 0.031) + 0.2 * Math.sin(i * 0.77));
      const a = resample(x, from, ANALYSIS_RATE);
      const b = near(x, from);
      expect(a.length).toBe(b.length);
      let worst = 0;
      for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
      expect(worst).toBeLessThan(1e-6);
    }
  });
});
