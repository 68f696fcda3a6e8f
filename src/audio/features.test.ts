import { describe, expect, it } from 'vitest';
import { createRng } from '../core/rng';
import { clipFeatures, FEATURE_COLUMNS } from './features';
import { ANALYSIS_RATE } from './resample';

const sr = ANALYSIS_RATE;
const col = (name: string) => FEATURE_COLUMNS.indexOf(name);
const seconds = (s: number, f: (t: number) => number) => Float32Array.from({ length: Math.round(s * sr) }, (_, i) => f(i / sr));

describe('clip features', () => {
  it("have the issue's column names, in this order", () => {
    expect(FEATURE_COLUMNS.slice(0, 2)).toEqual(['mfcc1_mean', 'mfcc2_mean']);
    expect(FEATURE_COLUMNS).toContain('mfcc13_sd');
    expect(FEATURE_COLUMNS).toContain('chroma_Cs_mean');
    expect(FEATURE_COLUMNS.slice(-10)).toEqual([
      'loudness_mean_db',
      'loudness_max_db',
      'centroid_mean_hz',
      'rolloff_mean_hz',
      'flatness_mean',
      'flux_mean',
      'zcr_mean',
      'attack_log_s',
      'tempo_bpm',
      'tempo_confidence',
    ]);
    expect(FEATURE_COLUMNS).toHaveLength(13 * 2 + 12 + 10);
  });

  it('a steady 440 Hz tone: pitch class A, centroid ≈ 440 Hz, loudness −9.03 dBFS, a flat-free spectrum, no flux', () => {
    const f = clipFeatures(seconds(2, (t) => 0.5 * Math.sin(2 * Math.PI * 440 * t))).values;
    const chroma = FEATURE_COLUMNS.map((c, i) => [c, f[i]] as const).filter(([c]) => c.startsWith('chroma_'));
    expect(chroma.reduce((a, b) => (b[1] > a[1] ? b : a))[0]).toBe('chroma_A_mean');
    expect(f[col('centroid_mean_hz')]).toBeGreaterThan(420);
    expect(f[col('centroid_mean_hz')]).toBeLessThan(460);
    expect(f[col('loudness_mean_db')]).toBeCloseTo(20 * Math.log10(0.5 / Math.SQRT2), 1);
    expect(f[col('flatness_mean')]).toBeLessThan(1e-3);
    expect(f[col('flux_mean')]).toBeLessThan(0.05);
    // 880 crossings a second of 22050 samples
    expect(f[col('zcr_mean')]).toBeCloseTo(880 / sr, 3);
  });

  it('white noise is flat and bright; louder noise is louder by the same dB, with the same shape', () => {
    const rng = createRng('noise');
    const noise = seconds(2, () => 0.1 * (2 * rng.next() - 1));
    const a = clipFeatures(noise).values;
    const b = clipFeatures(noise.map((v) => v * 4)).values;
    expect(a[col('flatness_mean')]).toBeGreaterThan(0.5);
    expect(a[col('centroid_mean_hz')]).toBeGreaterThan(4000);
    expect(b[col('loudness_mean_db')] - a[col('loudness_mean_db')]).toBeCloseTo(20 * Math.log10(4), 6);
    expect(b[col('flux_mean')]).toBeCloseTo(a[col('flux_mean')], 6);
  });

  it('a click train at 120 BPM gives tempo ≈ 120 with a clear confidence; a 0.1 s linear rise gives attack ≈ log10(0.07 s)', () => {
    const clicks = seconds(8, (t) => ((t * 2) % 1 < 0.01 ? Math.sin(2 * Math.PI * 1000 * t) : 0));
    const c = clipFeatures(clicks).values;
    expect(c[col('tempo_bpm')]).toBeGreaterThan(117);
    expect(c[col('tempo_bpm')]).toBeLessThan(123);
    expect(c[col('tempo_confidence')]).toBeGreaterThan(0.5);
    const rise = seconds(1, (t) => Math.min(1, t / 0.1) * 0.5 * Math.sin(2 * Math.PI * 300 * t));
    expect(clipFeatures(rise).values[col('attack_log_s')]).toBeGreaterThan(Math.log10(0.05));
    expect(clipFeatures(rise).values[col('attack_log_s')]).toBeLessThan(Math.log10(0.1));
  });

  it('says so when the audio is too short; silence gives the defined floor, never NaN or −Infinity', () => {
    expect(() => clipFeatures(new Float32Array(100))).toThrow(/at least 0\.093 s are needed/);
    const silent = clipFeatures(new Float32Array(sr));
    expect(silent.soundFrames).toBe(0);
    expect(Array.from(silent.values).every(Number.isFinite)).toBe(true);
    expect(silent.values[col('loudness_max_db')]).toBe(-200);
    expect(silent.values[col('centroid_mean_hz')]).toBe(0);
  });
});
