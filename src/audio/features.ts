/**
 * Per-clip audio features (issue 13, first version): frame features from Meyda (MIT) on the mono signal at
 * ANALYSIS_RATE, pooled over the frames of the analysed window. The same code runs in the page and in Node.
 *
 * Frames: FRAME = 2048 samples (92.9 ms), HOP = 1024, Hann window (Meyda's "hanning") for the spectral features;
 * frames whose RMS is below SILENCE are left out of the spectral means (their spectrum has no shape); a wholly
 * silent window gives 0 in the spectral columns, −200 dBFS loudness, the shortest attack and tempo 0 (never NaN).
 * Columns (FEATURE_COLUMNS, documented in docs/METHOD.md):
 *   mfcc1…13 _mean / _sd    Meyda's MFCCs (26 mel bands, Meyda's default; DCT-II), mean and population sd over frames
 *   chroma_C … chroma_B _mean  Meyda's chroma (each frame scaled to max 1), mean over frames
 *   loudness_mean_db / _max_db   20·log10 RMS of the un-windowed frame (dBFS), mean and max over frames
 *   centroid_mean_hz, rolloff_mean_hz   spectral centroid (Meyda, bins → Hz) and 99 % roll-off (Meyda, Hz)
 *   flatness_mean            spectral flatness (geometric / arithmetic mean of the magnitude spectrum)
 *   flux_mean                ‖max(0, Â_k − Â_{k−1})‖ with Â the frame's magnitude spectrum scaled to unit norm
 *   zcr_mean                 zero crossings per sample of the un-windowed frame
 *   attack_log_s             log10 of the rise time of the RMS envelope (ENV_HOP = 256) from 20 % to 90 % of its
 *                            maximum (the timbre literature's log-attack time, Peeters et al. 2011)
 *   tempo_bpm, tempo_confidence  the lag of the largest autocorrelation of the onset-strength envelope
 *                            (half-wave rectified log-energy difference at ENV_HOP) between 40 and 240 BPM, and
 *                            that autocorrelation divided by the one at lag 0 (0…1)
 */
import Meyda from 'meyda';
import { chromaOf, mfccOf, type SparseBanks, sparseBanks } from './filterbanks';
import { ANALYSIS_RATE } from './resample';

export const FRAME = 2048;
export const HOP = 1024;
/** hop of the RMS / onset envelopes (attack, tempo) */
export const ENV_HOP = 256;
/** frames with an RMS below this (−160 dBFS) are silent */
export const SILENCE = 1e-8;
export const PITCH_CLASSES = ['C', 'Cs', 'D', 'Ds', 'E', 'F', 'Fs', 'G', 'Gs', 'A', 'As', 'B'] as const;

const N_MFCC = 13;
export const FEATURE_COLUMNS: readonly string[] = [
  ...Array.from({ length: N_MFCC }, (_, i) => `mfcc${i + 1}_mean`),
  ...Array.from({ length: N_MFCC }, (_, i) => `mfcc${i + 1}_sd`),
  ...PITCH_CLASSES.map((p) => `chroma_${p}_mean`),
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
];

export interface ClipFeatures {
  /** one value per FEATURE_COLUMNS entry */
  readonly values: Float64Array;
  /** frames analysed, and those that were not silent */
  readonly frames: number;
  readonly soundFrames: number;
}

const db = (rms: number) => 20 * Math.log10(Math.max(rms, 1e-10));

function rmsOf(x: Float32Array, from: number, n: number): number {
  let s = 0;
  for (let i = from; i < from + n; i++) s += x[i] * x[i];
  return Math.sqrt(s / n);
}

/** Features of a mono signal at ANALYSIS_RATE (the whole of it: cut the analysis window before). */
export function clipFeatures(x: Float32Array): ClipFeatures {
  if (x.length < FRAME)
    throw new Error(`the analysed audio is ${(x.length / ANALYSIS_RATE).toFixed(3)} s long; at least ${(FRAME / ANALYSIS_RATE).toFixed(3)} s are needed`);
  Meyda.bufferSize = FRAME;
  Meyda.sampleRate = ANALYSIS_RATE;
  Meyda.numberOfMFCCCoefficients = N_MFCC;
  Meyda.windowingFunction = 'hanning';
  const mfcc = Array.from({ length: N_MFCC }, () => [] as number[]);
  const chroma = new Float64Array(12);
  const loud: number[] = [];
  let centroid = 0;
  let rolloff = 0;
  let flatness = 0;
  let flux = 0;
  let fluxN = 0;
  let zcr = 0;
  let sound = 0;
  let prev: Float64Array | null = null;
  const frames = 1 + Math.floor((x.length - FRAME) / HOP);
  for (let k = 0; k < frames; k++) {
    const start = k * HOP;
    const frame = x.subarray(start, start + FRAME);
    const rms = rmsOf(x, start, FRAME);
    loud.push(db(rms));
    let zc = 0;
    for (let i = 1; i < FRAME; i++) if (frame[i - 1] < 0 !== frame[i] < 0) zc++;
    zcr += zc / (FRAME - 1);
    if (rms < SILENCE) {
      prev = null;
      continue;
    }
    sound++;
    // Meyda windows a copy of the frame (its extractors must not see our buffer change); MFCC and chroma are
    // Meyda's, evaluated on its banks kept sparse (filterbanks.ts: bit-identical, three times faster)
    const f = Meyda.extract(['spectralCentroid', 'spectralRolloff', 'spectralFlatness', 'amplitudeSpectrum'], Float32Array.from(frame)) as {
      spectralCentroid: number;
      spectralRolloff: number;
      spectralFlatness: number;
      amplitudeSpectrum: Float32Array;
    };
    const banks = banksOfMeyda();
    mfccOf(f.amplitudeSpectrum, banks, N_MFCC).forEach((v, i) => mfcc[i].push(v));
    chromaOf(f.amplitudeSpectrum, banks).forEach((v, i) => (chroma[i] += v));
    centroid += (f.spectralCentroid * ANALYSIS_RATE) / FRAME;
    rolloff += f.spectralRolloff;
    flatness += f.spectralFlatness;
    const spec = unitNorm(f.amplitudeSpectrum);
    if (prev) {
      let s = 0;
      for (let b = 0; b < spec.length; b++) {
        const d = spec[b] - prev[b];
        if (d > 0) s += d * d;
      }
      flux += Math.sqrt(s);
      fluxN++;
    }
    prev = spec;
  }
  // silence (every frame below SILENCE): the spectral columns are 0, loudness is the −200 dBFS floor of `db`
  const meanOf = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
  const per = (v: number) => (sound ? v / sound : 0);
  const sdOf = (xs: number[]) => {
    const m = meanOf(xs);
    return xs.length ? Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / xs.length) : 0;
  };
  const env = envelope(x);
  const tempo = tempoOf(env);
  const values = Float64Array.from([
    ...mfcc.map(meanOf),
    ...mfcc.map(sdOf),
    ...Array.from(chroma, per),
    meanOf(loud),
    Math.max(...loud),
    per(centroid),
    per(rolloff),
    per(flatness),
    fluxN ? flux / fluxN : 0,
    zcr / frames,
    Math.log10(attackSeconds(env)),
    tempo.bpm,
    tempo.confidence,
  ]);
  return { values, frames, soundFrames: sound };
}

function unitNorm(a: Float32Array): Float64Array {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * a[i];
  const n = Math.sqrt(s) || 1;
  const out = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i] / n;
  return out;
}

let banks: { of: unknown; banks: SparseBanks } | null = null;
/** Meyda's mel and chroma banks (built by its first extract) as sparse rows, rebuilt if Meyda rebuilt them. */
function banksOfMeyda(): SparseBanks {
  const m = Meyda as unknown as { melFilterBank: number[][]; chromaFilterBank: number[][] };
  if (banks?.of !== m.melFilterBank) banks = { of: m.melFilterBank, banks: sparseBanks(m, FRAME) };
  return banks.banks;
}

/** RMS envelope over frames of 2·ENV_HOP samples every ENV_HOP samples. */
function envelope(x: Float32Array): Float64Array {
  const w = 2 * ENV_HOP;
  const n = x.length < w ? 0 : 1 + Math.floor((x.length - w) / ENV_HOP);
  return Float64Array.from({ length: n }, (_, k) => rmsOf(x, k * ENV_HOP, w));
}

/** Rise time (s) of the envelope from 20 % to 90 % of its maximum; one envelope step at least. */
function attackSeconds(env: Float64Array): number {
  let max = 0;
  for (const v of env) max = Math.max(max, v);
  const step = ENV_HOP / ANALYSIS_RATE;
  const lo = env.findIndex((v) => v >= 0.2 * max);
  let hi = lo;
  while (hi < env.length && env[hi] < 0.9 * max) hi++;
  return Math.max(step, (hi - lo) * step);
}

/** Tempo from the autocorrelation of the onset strength (half-wave rectified log-energy difference). */
function tempoOf(env: Float64Array): { bpm: number; confidence: number } {
  const fps = ANALYSIS_RATE / ENV_HOP;
  const onset = new Float64Array(env.length);
  for (let k = 1; k < env.length; k++) onset[k] = Math.max(0, Math.log(env[k] + 1e-6) - Math.log(env[k - 1] + 1e-6));
  let mean = 0;
  for (const v of onset) mean += v / onset.length;
  const o = onset.map((v) => v - mean);
  const acf = (lag: number) => {
    let s = 0;
    for (let k = lag; k < o.length; k++) s += o[k] * o[k - lag];
    return s;
  };
  const a0 = acf(0);
  const lo = Math.ceil((60 * fps) / 240);
  const hi = Math.min(o.length - 2, Math.floor((60 * fps) / 40));
  if (!(a0 > 0) || hi <= lo) return { bpm: 0, confidence: 0 };
  let best = lo;
  let bestV = -Infinity;
  const vals = new Map<number, number>();
  for (let lag = lo - 1; lag <= hi + 1; lag++) vals.set(lag, acf(lag));
  for (let lag = lo; lag <= hi; lag++) {
    if (vals.get(lag)! > bestV) {
      bestV = vals.get(lag)!;
      best = lag;
    }
  }
  // parabolic interpolation around the best lag
  const [l, c, r] = [vals.get(best - 1)!, bestV, vals.get(best + 1)!];
  const den = l - 2 * c + r;
  const shift = den < 0 ? Math.max(-0.5, Math.min(0.5, (0.5 * (l - r)) / den)) : 0;
  return { bpm: (60 * fps) / (best + shift), confidence: Math.max(0, Math.min(1, bestV / a0)) };
}
