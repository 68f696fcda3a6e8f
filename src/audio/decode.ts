/**
 * Audio bytes → DecodedAudio, the same code in the browser (in the audio worker) and in Node (the CLI), so
 * features agree between the page and the CLI for every format decoded here:
 *   WAV (RIFF)          → our decodeWav (plain TypeScript)
 *   Ogg Opus            → the Ogg container read by ./ogg.ts, the packets decoded by opus-decoder (MIT, libopus in wasm)
 *   FLAC (native)       → our decodeFlac (./flac.ts, plain TypeScript)
 *   MP3 (MPEG layer 3)  → mpg123-decoder (MIT, libmpg123 in wasm)
 * The format is told by the file's first bytes, not its name. Anything else (Ogg Vorbis, Ogg FLAC, M4A/AAC, WebM …)
 * throws an UnsupportedAudio error: the page then falls back to the browser's own decoder (decodeAudioData, main
 * thread), the CLI says to convert the file. (The npm decoders for FLAC and Vorbis parse their containers with
 * codec-parser, LGPL-3.0, which this project does not ship.) The wasm decoders are loaded on first use only.
 */
import { DataError } from '../core/types';
import { decodeFlac } from './flac';
import { decodeOggOpus } from './ogg';
import { decodeWav, type DecodedAudio } from './wav';

export type AudioContainer = 'wav' | 'ogg-opus' | 'ogg-vorbis' | 'flac' | 'mp3' | 'unknown';

/** A file whose format none of our decoders reads (the page may still try the browser's decoder). */
export class UnsupportedAudio extends Error {
  constructor(
    readonly file: string,
    readonly container: AudioContainer,
    message: string,
  ) {
    super(message);
    this.name = 'UnsupportedAudio';
  }
}

const ascii = (b: Uint8Array, at: number, n: number) => String.fromCharCode(...b.subarray(at, at + n));

/** The container told by the first bytes ("magic numbers"). */
export function sniffAudio(b: Uint8Array): AudioContainer {
  if (b.length >= 12 && ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 4) === 'WAVE') return 'wav';
  if (b.length >= 4 && ascii(b, 0, 4) === 'fLaC') return 'flac';
  if (b.length >= 36 && ascii(b, 0, 4) === 'OggS') {
    // the first page's packet starts after the header and its segment table
    const segs = b[26];
    const head = ascii(b, 27 + segs, 8);
    if (head.startsWith('OpusHead')) return 'ogg-opus';
    if (head.startsWith('\x01vorbis')) return 'ogg-vorbis';
    if (head.startsWith('\x7fFLAC')) return 'flac';
    return 'unknown';
  }
  if (b.length >= 3 && ascii(b, 0, 3) === 'ID3') return 'mp3';
  // an MPEG audio frame sync: 11 set bits, layer III
  if (b.length >= 2 && b[0] === 0xff && (b[1] & 0xe0) === 0xe0 && (b[1] & 0x06) === 0x02) return 'mp3';
  return 'unknown';
}

interface WasmResult {
  channelData: Float32Array[];
  samplesDecoded: number;
  sampleRate: number;
  errors: { message: string }[];
}

/** The streaming interface the four wasm decoders share: decode(chunk) as bytes arrive, flush() at the end. */
interface StreamDecoder {
  ready: Promise<void>;
  decode(chunk: Uint8Array): WasmResult | Promise<WasmResult>;
  flush?(): Promise<WasmResult>;
  free(): void;
}

async function openDecoder(container: 'mp3'): Promise<StreamDecoder> {
  switch (container) {
    case 'mp3':
      return new (await import('mpg123-decoder')).MPEGDecoder();
  }
}

/** bytes handed to a wasm decoder at a time; decoding stops after the chunk that reaches `endSeconds` */
export const DECODE_CHUNK = 64 * 1024;

/**
 * Decode in chunks of DECODE_CHUNK bytes with the decoder's streaming decode(), stopping once `endSeconds` of
 * audio are decoded (flush() only when the whole file was read). The samples do not depend on the chunk size.
 */
async function wasmDecode(container: 'mp3', bytes: Uint8Array, endSeconds: number, chunk: number): Promise<WasmResult & { partial: boolean }> {
  const d = await openDecoder(container);
  await d.ready;
  const parts: Float32Array[][] = [];
  const errors: { message: string }[] = [];
  let n = 0;
  let sampleRate = 0;
  const take = (r: WasmResult) => {
    errors.push(...r.errors);
    if (!r.samplesDecoded) return;
    sampleRate = r.sampleRate;
    parts.push(r.channelData.map((c) => c.subarray(0, r.samplesDecoded)));
    n += r.samplesDecoded;
  };
  let at = 0;
  try {
    while (at < bytes.length && !(sampleRate && n >= endSeconds * sampleRate)) {
      take(await d.decode(bytes.subarray(at, at + chunk)));
      at += chunk;
    }
    const partial = at < bytes.length;
    if (!partial && d.flush) take(await d.flush());
    const ch = Math.max(0, ...parts.map((p) => p.length));
    const channelData = Array.from({ length: ch }, (_, c) => {
      const out = new Float32Array(n);
      let o = 0;
      for (const p of parts) {
        // a part with fewer channels (a mono page in a stereo stream) repeats its first channel
        out.set(p[c] ?? p[0], o);
        o += p[0].length;
      }
      return out;
    });
    return { channelData, samplesDecoded: n, sampleRate, errors, partial };
  } finally {
    d.free();
  }
}

const LABEL: Record<AudioContainer, string> = {
  wav: 'WAV',
  'ogg-opus': 'Ogg Opus',
  'ogg-vorbis': 'Ogg Vorbis',
  flac: 'FLAC',
  mp3: 'MP3',
  unknown: 'unknown',
};

/** What an unreadable file seems to be, from its first bytes (formats we know but do not decode, text, empty). */
function unknownHint(b: Uint8Array): string {
  const convert = 'not decoded here; convert it to WAV (e.g. ffmpeg -i IN OUT.wav)';
  if (b.length === 0) return 'not an audio file this decoder reads (the file is empty)';
  if (b.length >= 12 && ascii(b, 4, 4) === 'ftyp') return `an MP4 / M4A (AAC or ALAC) file: ${convert}`;
  if (b.length >= 4 && b[0] === 0x1a && b[1] === 0x45 && b[2] === 0xdf && b[3] === 0xa3) return `a WebM / Matroska file: ${convert}`;
  if (b.length >= 12 && ascii(b, 0, 4) === 'FORM' && ascii(b, 8, 3) === 'AIF') return `an AIFF file: ${convert}`;
  if (b.length >= 2 && b[0] === 0xff && (b[1] & 0xf6) === 0xf0) return `an AAC (ADTS) stream: ${convert}`;
  if (b.length >= 4 && ascii(b, 0, 4) === 'OggS') return `an Ogg file with neither Opus, Vorbis nor FLAC inside: ${convert}`;
  const text = b.subarray(0, 256).every((x) => x === 9 || x === 10 || x === 13 || (x >= 32 && x < 127) || x >= 128);
  return `not an audio file this decoder reads (${text ? 'it looks like text' : 'its first bytes are not WAV, FLAC, Ogg (Opus/Vorbis) or MP3'})`;
}

/** Options of decodeAudio. */
export interface DecodeOptions {
  /**
   * decode only up to this time (seconds from the start): the analysis window's end. WAV reads only those
   * samples; FLAC stops after the frame that reaches it, the wasm decoders after the chunk. Default: the whole file.
   */
  readonly endSeconds?: number;
  /** bytes handed to a wasm decoder at a time (default DECODE_CHUNK; tests use small chunks) */
  readonly chunkBytes?: number;
}

/**
 * Decode an audio file's bytes; `file` names it in every error. Throws DataError for a damaged or empty file
 * of a known format, UnsupportedAudio for a format none of our decoders reads. With `endSeconds`, decoding stops
 * there and the result says `partial` (and, for WAV and FLAC, the file's whole length in `fileSeconds`).
 */
export async function decodeAudio(bytes: Uint8Array, file: string, options: DecodeOptions = {}): Promise<DecodedAudio> {
  const end = options.endSeconds ?? Infinity;
  if (!(end > 0)) throw new Error(`decodeAudio: endSeconds must be > 0 (got ${end})`);
  const container = sniffAudio(bytes);
  if (container === 'wav') return decodeWav(bytes, file, end);
  if (container === 'unknown') throw new UnsupportedAudio(file, container, `${file}: ${unknownHint(bytes)}`);
  const oggFlac = container === 'flac' && ascii(bytes, 0, 4) === 'OggS';
  if (container === 'ogg-vorbis' || oggFlac)
    throw new UnsupportedAudio(
      file,
      container,
      `${file}: ${oggFlac ? 'Ogg FLAC' : LABEL[container]} is decoded by the browser only; for the CLI convert it to WAV (e.g. sox IN OUT.wav)`,
    );
  let r: WasmResult & { partial: boolean; bits?: number; fileSeconds?: number };
  try {
    if (container === 'flac') r = decodeFlac(bytes, file, end);
    else if (container === 'ogg-opus') r = await decodeOggOpus(bytes, file, end);
    else r = await wasmDecode(container, bytes, end, options.chunkBytes ?? DECODE_CHUNK);
  } catch (e) {
    if (e instanceof DataError) throw e;
    throw new DataError({ file, message: `the ${LABEL[container]} decoder failed: ${(e as Error).message}` });
  }
  if (!r.samplesDecoded || !r.channelData.length)
    throw new DataError({
      file,
      message: `no audio could be decoded from this ${LABEL[container]} file${r.errors.length ? ` (${r.errors[0].message})` : ''}: it is truncated or damaged`,
    });
  // FLAC stops at its first damaged frame and says where; the wasm decoders skip damaged frames and count them
  const damaged = !r.errors.length
    ? ''
    : container === 'flac'
      ? `, ${r.errors[0].message}`
      : `, ${r.errors.length} damaged frame${r.errors.length > 1 ? 's' : ''} skipped`;
  const audio = { sampleRate: r.sampleRate, channels: r.channelData, format: `${LABEL[container]}${r.bits ? ` ${r.bits}-bit` : ''}${damaged}` };
  if (!r.partial) return audio;
  return r.fileSeconds ? { ...audio, partial: true, fileSeconds: r.fileSeconds } : { ...audio, partial: true };
}
