/**
 * WAV decoding in plain TypeScript (issue 13): the same bytes give the same samples in the browser and in
 * Node, so features from WAV files agree between the page and the CLI (a platform decoder — the browser's
 * decodeAudioData — resamples and may differ by platform).
 *
 * RIFF/WAVE, little-endian; formats: PCM integer (tag 1) 8-bit unsigned, 16/24/32-bit signed; IEEE float
 * (tag 3) 32/64-bit; WAVE_FORMAT_EXTENSIBLE (0xFFFE) with a PCM or float sub-format. Integer samples scale to
 * [−1, 1) by 2^(bits−1) (8-bit: (x − 128) / 128). Chunks other than `fmt ` and `data` are skipped (odd sizes
 * padded); a `data` size beyond the file (streamed writers) means "to the end of the file". Every problem is a
 * DataError naming the file and the byte offset.
 */
import { DataError } from '../core/types';

export interface DecodedAudio {
  readonly sampleRate: number;
  /** one array per channel, samples in [−1, 1] */
  readonly channels: readonly Float32Array[];
  /** bits per sample and format as stored, for the clip table */
  readonly format: string;
  /**
   * the file's whole length in seconds when only a part of it was decoded (decodeAudio's `endSeconds`); the
   * exact length for WAV, a lower bound (`…+`) for compressed files, whose decoding stopped there
   */
  readonly fileSeconds?: number;
  /** true when decoding stopped at `endSeconds` before the end of the file */
  readonly partial?: boolean;
}

const FORMAT_PCM = 1;
const FORMAT_FLOAT = 3;
const FORMAT_EXTENSIBLE = 0xfffe;

const tag = (v: DataView, at: number) => String.fromCharCode(v.getUint8(at), v.getUint8(at + 1), v.getUint8(at + 2), v.getUint8(at + 3));

interface Fmt {
  readonly format: number;
  readonly channels: number;
  readonly sampleRate: number;
  readonly blockAlign: number;
  readonly bits: number;
}

/**
 * Decode a WAV file's bytes; `file` names it in errors. With `endSeconds`, only the samples up to that time are
 * read (an hours-long file costs no more than its window).
 */
export function decodeWav(bytes: Uint8Array, file: string, endSeconds = Infinity): DecodedAudio {
  const fail = (at: number, message: string, expected?: string): never => {
    throw new DataError({ file, message: `byte ${at}: ${message}`, expected });
  };
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 12 || tag(v, 0) !== 'RIFF' || tag(v, 8) !== 'WAVE') {
    fail(0, bytes.length >= 4 && tag(v, 0) === 'RIFX' ? 'a big-endian (RIFX) WAV file' : 'not a WAV file (no RIFF/WAVE header)', 'a RIFF/WAVE file');
  }
  let fmt: Fmt | null = null;
  let data: { at: number; size: number } | null = null;
  for (let at = 12; at + 8 <= bytes.length; ) {
    const id = tag(v, at);
    const size = v.getUint32(at + 4, true);
    const body = at + 8;
    if (id === 'fmt ') fmt = readFmt(v, body, size, fail);
    else if (id === 'data') {
      data = { at: body, size: Math.min(size, bytes.length - body) };
      if (fmt) break;
    }
    at = body + size + (size & 1);
  }
  if (!fmt) return fail(12, 'no "fmt " chunk', 'a format chunk before the samples');
  if (!data) return fail(12, 'no "data" chunk', 'the samples');
  const all = Math.floor(data.size / fmt.blockAlign);
  const frames = Math.min(all, Math.max(1, Math.ceil(endSeconds * fmt.sampleRate)));
  const format = `${fmt.format === FORMAT_FLOAT ? 'float' : 'PCM'} ${fmt.bits}-bit`;
  const channels = readSamples(v, data, fmt, fail, frames);
  return frames < all
    ? { sampleRate: fmt.sampleRate, channels, format, fileSeconds: all / fmt.sampleRate, partial: true }
    : { sampleRate: fmt.sampleRate, channels, format };
}

function readFmt(v: DataView, at: number, size: number, fail: (at: number, m: string, e?: string) => never): Fmt {
  if (size < 16 || at + 16 > v.byteLength) fail(at, `a "fmt " chunk of ${size} bytes`, 'at least 16 bytes');
  let format = v.getUint16(at, true);
  const channels = v.getUint16(at + 2, true);
  const sampleRate = v.getUint32(at + 4, true);
  const blockAlign = v.getUint16(at + 12, true);
  const bits = v.getUint16(at + 14, true);
  if (format === FORMAT_EXTENSIBLE) {
    if (size < 40 || at + 26 > v.byteLength) fail(at, 'an extensible format chunk without its sub-format');
    format = v.getUint16(at + 24, true);
  }
  if (format !== FORMAT_PCM && format !== FORMAT_FLOAT)
    fail(at, `compressed WAV (format tag ${format})`, 'PCM or IEEE float samples; convert the file, e.g. with sox or ffmpeg');
  const ok = format === FORMAT_PCM ? [8, 16, 24, 32].includes(bits) : [32, 64].includes(bits);
  if (!ok)
    fail(at + 14, `${bits}-bit ${format === FORMAT_FLOAT ? 'float' : 'PCM'} samples`, format === FORMAT_FLOAT ? '32 or 64 bits' : '8, 16, 24 or 32 bits');
  if (channels < 1) fail(at + 2, 'no channels');
  if (!(sampleRate >= 1000 && sampleRate <= 768000)) fail(at + 4, `a sample rate of ${sampleRate} Hz`, '1,000 – 768,000 Hz');
  if (blockAlign !== channels * (bits / 8)) fail(at + 12, `block align ${blockAlign} for ${channels} × ${bits}-bit samples`, `${channels * (bits / 8)}`);
  return { format, channels, sampleRate, blockAlign, bits };
}

function readSamples(
  v: DataView,
  data: { at: number; size: number },
  f: Fmt,
  fail: (at: number, m: string, e?: string) => never,
  frames: number,
): Float32Array[] {
  if (frames === 0) fail(data.at, 'no samples in the "data" chunk');
  const out = Array.from({ length: f.channels }, () => new Float32Array(frames));
  const bytes = f.bits / 8;
  for (let i = 0; i < frames; i++) {
    const row = data.at + i * f.blockAlign;
    for (let c = 0; c < f.channels; c++) {
      const p = row + c * bytes;
      let x: number;
      if (f.format === FORMAT_FLOAT) x = f.bits === 32 ? v.getFloat32(p, true) : v.getFloat64(p, true);
      else if (f.bits === 8) x = (v.getUint8(p) - 128) / 128;
      else if (f.bits === 16) x = v.getInt16(p, true) / 32768;
      else if (f.bits === 24) x = (((v.getUint8(p + 2) << 24) | (v.getUint8(p + 1) << 16) | (v.getUint8(p) << 8)) >> 8) / 8388608;
      else x = v.getInt32(p, true) / 2147483648;
      out[c][i] = x;
    }
  }
  return out;
}

/**
 * Write mono or multi-channel float samples as a 16-bit PCM WAV (tests and generated demo clips): samples are
 * clipped to [−1, 1] and rounded to the nearest step.
 */
export function encodeWav16(channels: readonly Float32Array[], sampleRate: number): Uint8Array {
  const n = channels[0]?.length ?? 0;
  const ch = channels.length;
  const out = new Uint8Array(44 + n * ch * 2);
  const v = new DataView(out.buffer);
  const put = (at: number, s: string) => {
    for (let k = 0; k < 4; k++) out[at + k] = s.charCodeAt(k);
  };
  put(0, 'RIFF');
  v.setUint32(4, 36 + n * ch * 2, true);
  put(8, 'WAVE');
  put(12, 'fmt ');
  v.setUint32(16, 16, true);
  v.setUint16(20, FORMAT_PCM, true);
  v.setUint16(22, ch, true);
  v.setUint32(24, sampleRate, true);
  v.setUint32(28, sampleRate * ch * 2, true);
  v.setUint16(32, ch * 2, true);
  v.setUint16(34, 16, true);
  put(36, 'data');
  v.setUint32(40, n * ch * 2, true);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < ch; c++) {
      const x = Math.max(-1, Math.min(1, channels[c][i]));
      v.setInt16(44 + (i * ch + c) * 2, Math.max(-32768, Math.min(32767, Math.round(x * 32768))), true);
    }
  }
  return out;
}
