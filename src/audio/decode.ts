/**
 * Audio bytes → DecodedAudio, the same code in the browser (in the audio worker) and in Node (the CLI), so
 * features agree between the page and the CLI for every format decoded here:
 *   WAV (RIFF)          → our decodeWav (plain TypeScript)
 *   Ogg Opus / Vorbis   → ogg-opus-decoder / @wasm-audio-decoders/ogg-vorbis (MIT, libopus / libvorbis in wasm)
 *   FLAC                → @wasm-audio-decoders/flac (MIT, libFLAC in wasm)
 *   MP3 (MPEG layer 3)  → mpg123-decoder (MIT, libmpg123 in wasm)
 * The format is told by the file's first bytes, not its name. Anything else (M4A/AAC, WebM …) throws an
 * UnsupportedAudio error: the page then falls back to the browser's own decoder (decodeAudioData, main thread),
 * the CLI says to convert the file. The wasm decoders are loaded on first use only.
 */
import { DataError } from '../core/types';
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

async function wasmDecode(container: Exclude<AudioContainer, 'wav' | 'unknown'>, bytes: Uint8Array): Promise<WasmResult> {
  switch (container) {
    case 'ogg-opus': {
      const { OggOpusDecoder } = await import('ogg-opus-decoder');
      const d = new OggOpusDecoder();
      await d.ready;
      try {
        return await d.decodeFile(bytes);
      } finally {
        d.free();
      }
    }
    case 'ogg-vorbis': {
      const { OggVorbisDecoder } = await import('@wasm-audio-decoders/ogg-vorbis');
      const d = new OggVorbisDecoder();
      await d.ready;
      try {
        return await d.decodeFile(bytes);
      } finally {
        d.free();
      }
    }
    case 'flac': {
      const { FLACDecoder } = await import('@wasm-audio-decoders/flac');
      const d = new FLACDecoder();
      await d.ready;
      try {
        return await d.decodeFile(bytes);
      } finally {
        d.free();
      }
    }
    case 'mp3': {
      const { MPEGDecoder } = await import('mpg123-decoder');
      const d = new MPEGDecoder();
      await d.ready;
      try {
        return d.decode(bytes);
      } finally {
        d.free();
      }
    }
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

/**
 * Decode an audio file's bytes; `file` names it in every error. Throws DataError for a damaged or empty file
 * of a known format, UnsupportedAudio for a format none of our decoders reads.
 */
export async function decodeAudio(bytes: Uint8Array, file: string): Promise<DecodedAudio> {
  const container = sniffAudio(bytes);
  if (container === 'wav') return decodeWav(bytes, file);
  if (container === 'unknown') {
    const hint = bytes.length === 0 ? 'the file is empty' : `its first bytes are not WAV, FLAC, Ogg (Opus/Vorbis) or MP3`;
    throw new UnsupportedAudio(file, container, `${file}: not an audio file this decoder reads (${hint})`);
  }
  let r: WasmResult;
  try {
    r = await wasmDecode(container, bytes);
  } catch (e) {
    throw new DataError({ file, message: `the ${LABEL[container]} decoder failed: ${(e as Error).message}` });
  }
  if (!r.samplesDecoded || !r.channelData.length)
    throw new DataError({
      file,
      message: `no audio could be decoded from this ${LABEL[container]} file${r.errors.length ? ` (${r.errors[0].message})` : ''}: it is truncated or damaged`,
    });
  const channels = r.channelData.map((c) => (c.length === r.samplesDecoded ? c : c.subarray(0, r.samplesDecoded)));
  const damaged = r.errors.length ? `, ${r.errors.length} damaged frame${r.errors.length > 1 ? 's' : ''} skipped` : '';
  return { sampleRate: r.sampleRate, channels, format: `${LABEL[container]}${damaged}` };
}
