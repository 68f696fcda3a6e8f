/** Audio written in the tests (16-bit PCM WAV): tones of known pitch and brightness, a damaged file and a too-short one. */
import { encodeWav16 } from '../src/audio/wav';

export interface Tone {
  readonly name: string;
  readonly f0: number;
  /** number of harmonics (brightness) */
  readonly harmonics: number;
  readonly rate: number;
  readonly stereo?: boolean;
}

export const TONES: readonly Tone[] = [
  { name: 'low-dull.wav', f0: 196, harmonics: 2, rate: 22050 },
  { name: 'low-bright.wav', f0: 220, harmonics: 12, rate: 44100, stereo: true },
  { name: 'mid-dull.wav', f0: 440, harmonics: 2, rate: 22050 },
  { name: 'mid-bright.wav', f0: 466, harmonics: 10, rate: 48000 },
  { name: 'high-dull.wav', f0: 880, harmonics: 1, rate: 22050 },
  { name: 'high-bright.wav', f0: 932, harmonics: 8, rate: 44100 },
];

/** A harmonic tone with a 20 ms attack, harmonics falling as 1/k, `seconds` long. */
export function toneWav(t: Tone, seconds = 2): Buffer {
  const n = Math.round(seconds * t.rate);
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const time = i / t.rate;
    let s = 0;
    for (let k = 1; k <= t.harmonics && k * t.f0 < t.rate / 2; k++) s += Math.sin(2 * Math.PI * k * t.f0 * time) / k;
    x[i] = 0.3 * Math.min(1, time / 0.02) * s;
  }
  const channels = t.stereo ? [x, x.map((v) => 0.5 * v)] : [x];
  return Buffer.from(encodeWav16(channels, t.rate));
}

/** A WAV header cut off in its format chunk. */
export const BROKEN = Buffer.from(toneWav(TONES[0], 0.5).subarray(0, 30));
/** 0.01 s: shorter than one analysis frame. */
export const SHORT = toneWav({ name: 'short.wav', f0: 440, harmonics: 3, rate: 22050 }, 0.01);

/** Pitch (log) and brightness coordinates: the odd one of a triplet is the one farthest from the other two. */
const pos = (t: Tone) => [Math.log2(t.f0 / 196), t.harmonics / 4];
const dist = (a: Tone, b: Tone) => Math.hypot(pos(a)[0] - pos(b)[0], pos(a)[1] - pos(b)[1]);

/** Every triplet of the tones, voted twice: a,b,c,odd with the clip ids (file names without .wav). */
export function votesCsv(): string {
  const id = (t: Tone) => t.name.replace(/\.wav$/, '');
  const rows = ['a,b,c,odd'];
  const T = TONES;
  for (let i = 0; i < T.length; i++)
    for (let j = i + 1; j < T.length; j++)
      for (let l = j + 1; l < T.length; l++) {
        const t = [T[i], T[j], T[l]];
        const spread = (x: Tone) => t.reduce((s, y) => s + dist(x, y), 0);
        const odd = t.reduce((best, x) => (spread(x) > spread(best) ? x : best));
        rows.push(`${t.map(id).join(',')},${id(odd)}`, `${t.map(id).join(',')},${id(odd)}`);
      }
  return `${rows.join('\n')}\n`;
}
