/**
 * Ogg Opus in plain TypeScript + libopus (opus-decoder, MIT, wasm): the Ogg container (RFC 3533) is split
 * into pages and packets here, the Opus header (RFC 7845 §5.1) read here, and only the audio packets go to
 * libopus. (The ready-made Ogg decoders on npm parse the container with codec-parser, LGPL-3.0, which this
 * project does not ship.) Output: 48 kHz as Opus always decodes, the encoder's pre-skip removed and the end
 * trimmed to the last page's granule position, as the specification asks.
 */
import { DataError } from '../core/types';

export interface OggPacketStream {
  /** packets of the first logical stream, in order */
  readonly packets: Uint8Array[];
  /** granule position of the stream's last page read (−1 when unknown) */
  readonly lastGranule: number;
  /** reading stopped at `stopAfterGranule` before the end of the file */
  readonly stopped: boolean;
}

const CAPTURE = [0x4f, 0x67, 0x67, 0x53]; // "OggS"

/**
 * Pages → packets of the first logical stream (others, e.g. a second chained stream, are ignored).
 * `stopAfterGranule`: stop reading once a page's granule position reaches it (a long file's window).
 * A truncated last page ends the stream (its complete packets are kept); bytes that are not a page are a DataError.
 */
export function oggPackets(bytes: Uint8Array, file: string, stopAfterGranule = Infinity): OggPacketStream {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const packets: Uint8Array[] = [];
  let partial: Uint8Array[] = [];
  let serial: number | null = null;
  let lastGranule = -1;
  let at = 0;
  let stopped = false;
  while (at + 27 <= bytes.length) {
    if (CAPTURE.some((c, i) => bytes[at + i] !== c)) {
      if (!packets.length) throw new DataError({ file, message: `byte ${at}: not an Ogg page (no "OggS" capture pattern)` });
      break; // trailing garbage after the stream
    }
    const nSeg = bytes[at + 26];
    const bodyAt = at + 27 + nSeg;
    if (bodyAt > bytes.length) break;
    const pageSerial = v.getUint32(at + 14, true);
    serial ??= pageSerial;
    const granLo = v.getUint32(at + 6, true);
    const granHi = v.getInt32(at + 10, true);
    let pos = bodyAt;
    let complete = true;
    for (let s = 0; s < nSeg; s++) {
      const len = bytes[at + 27 + s];
      if (pos + len > bytes.length) {
        complete = false;
        break;
      }
      if (pageSerial === serial) {
        partial.push(bytes.subarray(pos, pos + len));
        if (len < 255) {
          packets.push(concat(partial));
          partial = [];
        }
      }
      pos += len;
    }
    if (!complete) break;
    const granule = granHi * 2 ** 32 + granLo;
    if (pageSerial === serial && granHi !== -1) lastGranule = granule;
    at = pos;
    if (lastGranule >= stopAfterGranule) {
      stopped = at < bytes.length;
      break;
    }
  }
  if (!packets.length) throw new DataError({ file, message: 'no complete Ogg page: the file is truncated or empty' });
  return { packets, lastGranule, stopped };
}

function concat(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export interface OpusHead {
  readonly channels: number;
  readonly preSkip: number;
  readonly inputRate: number;
  readonly mappingFamily: number;
  readonly streamCount: number;
  readonly coupledStreamCount: number;
  readonly mapping: number[];
}

/** The identification header (RFC 7845 §5.1). */
export function opusHead(p: Uint8Array, file: string): OpusHead {
  const tag = String.fromCharCode(...p.subarray(0, 8));
  if (tag !== 'OpusHead' || p.length < 19) throw new DataError({ file, message: 'the first Ogg packet is not an Opus header ("OpusHead")' });
  const v = new DataView(p.buffer, p.byteOffset, p.byteLength);
  const channels = p[9];
  const mappingFamily = p[18];
  if (!channels) throw new DataError({ file, message: 'the Opus header gives 0 channels' });
  if (mappingFamily === 0) {
    if (channels > 2) throw new DataError({ file, message: `the Opus header gives ${channels} channels with mapping family 0 (at most 2)` });
    return {
      channels,
      preSkip: v.getUint16(10, true),
      inputRate: v.getUint32(12, true),
      mappingFamily,
      streamCount: 1,
      coupledStreamCount: channels - 1,
      mapping: channels === 1 ? [0] : [0, 1],
    };
  }
  if (p.length < 21 + channels) throw new DataError({ file, message: 'the Opus header is cut short (channel mapping table)' });
  return {
    channels,
    preSkip: v.getUint16(10, true),
    inputRate: v.getUint32(12, true),
    mappingFamily,
    streamCount: p[19],
    coupledStreamCount: p[20],
    mapping: [...p.subarray(21, 21 + channels)],
  };
}

export interface PcmResult {
  /** decoding stopped at the window's end before the end of the file */
  partial: boolean;
  channelData: Float32Array[];
  samplesDecoded: number;
  sampleRate: number;
  errors: { message: string }[];
}

/** Decode Ogg Opus bytes, at most up to `endSeconds` (plus a little). */
export async function decodeOggOpus(bytes: Uint8Array, file: string, endSeconds = Infinity): Promise<PcmResult> {
  const RATE = 48000;
  // granule positions count 48 kHz samples including the pre-skip; read a page past the window's end
  const first = oggPackets(bytes, file, 0);
  const head = opusHead(first.packets[0], file);
  const stopAt = Number.isFinite(endSeconds) ? head.preSkip + Math.ceil((endSeconds + 0.1) * RATE) : Infinity;
  const { packets, lastGranule, stopped } = oggPackets(bytes, file, stopAt);
  const audio = packets.slice(2); // OpusHead, OpusTags
  if (!audio.length) throw new DataError({ file, message: 'no audio could be decoded from this Ogg Opus file (headers only): it is truncated or damaged' });
  const { OpusDecoder } = await import('opus-decoder');
  const d = new OpusDecoder({
    channels: head.channels,
    streamCount: head.streamCount,
    coupledStreamCount: head.coupledStreamCount,
    channelMappingTable: head.mapping,
    preSkip: 0,
  });
  await d.ready;
  try {
    const r = d.decodeFrames(audio);
    // drop the pre-skip; trim the end to the granule position when the whole stream was read
    const endSample = lastGranule >= 0 && !stopped ? Math.max(0, lastGranule - head.preSkip) : Infinity;
    const n = Math.max(0, Math.min(r.samplesDecoded - head.preSkip, endSample));
    return {
      partial: stopped,
      channelData: r.channelData.map((c) => c.subarray(head.preSkip, head.preSkip + n)),
      samplesDecoded: n,
      sampleRate: RATE,
      errors: r.errors,
    };
  } finally {
    d.free();
  }
}
