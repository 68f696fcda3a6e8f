/**
 * FLAC decoding in plain TypeScript (RFC 9639), so FLAC files give the same samples in the page's worker and in
 * the CLI. (The npm FLAC decoders parse the stream with codec-parser, LGPL-3.0, which this project does not ship.)
 *
 * Read: the native stream ("fLaC", STREAMINFO; other metadata blocks skipped), frames with fixed or variable
 * block size (header codes incl. the 8/16-bit sizes and rates stored at the header's end, the UTF-8 coded
 * frame/sample number, CRC-8), subframes CONSTANT, VERBATIM, FIXED (orders 0–4) and LPC (orders 1–32) with wasted
 * bits, Rice-coded residuals (4- and 5-bit parameters, escaped raw partitions), the stereo modes left/side,
 * side/right and mid/side (a 33-bit side channel for 32-bit audio included), the footer's CRC-16; 4–32 bits per
 * sample. Output: Float32 per channel, integer samples scaled by 2^(bits−1). Not read: Ogg-encapsulated FLAC
 * (decode.ts refuses it); the MD5 signature is not checked (the CRCs are).
 *
 * A frame that is damaged (lost sync, CRC mismatch, reserved codes) or cut off by the end of the file ends the
 * decoding: the frames before it are returned and the problem, with its byte offset, is the one entry of `errors`.
 * Work buffers are Float64Array: every sample, residual and prediction sum of up to 33-bit audio is exact in a
 * double (an LPC sum of 32 × 15-bit × 33-bit terms stays below 2^53), so one code path serves every bit depth.
 */
import { DataError } from '../core/types';
import type { PcmResult } from './ogg';

export interface FlacResult extends PcmResult {
  /** bits per sample as stored */
  readonly bits: number;
  /** the whole file's length in seconds, from STREAMINFO (undefined when the encoder did not know it) */
  readonly fileSeconds?: number;
}

export interface StreamInfo {
  readonly sampleRate: number;
  readonly channels: number;
  readonly bits: number;
  /** samples per channel; 0 when unknown */
  readonly totalSamples: number;
  readonly maxBlock: number;
  /** byte offset of the first frame */
  readonly audioAt: number;
}

/** A problem inside one frame; `kind` 'end' means the bytes ran out. */
class FrameError extends Error {
  constructor(
    readonly kind: 'end' | 'bad',
    message: string,
  ) {
    super(message);
  }
}
const END = new FrameError('end', 'the file ends inside the frame');
const bad = (message: string) => new FrameError('bad', message);

/** MSB-first bit reader over a Uint8Array with a 32-bit cache (24–31 valid bits after a refill, the rest 0). */
class BitReader {
  cache = 0;
  bits = 0;
  pos = 0;
  constructor(
    readonly buf: Uint8Array,
    readonly len = buf.length,
  ) {}
  seek(byte: number) {
    this.pos = byte;
    this.cache = 0;
    this.bits = 0;
  }
  /** up to 4 zero bytes are read past the end (frames check their end afterwards), then END is thrown */
  refill() {
    while (this.bits <= 23) {
      if (this.pos < this.len) this.cache |= this.buf[this.pos] << (24 - this.bits);
      else if (this.pos >= this.len + 4) throw END;
      this.pos++;
      this.bits += 8;
    }
  }
  /** n ≤ 24 bits, unsigned */
  read(n: number): number {
    if (n === 0) return 0;
    if (this.bits < n) this.refill();
    const v = this.cache >>> (32 - n);
    this.cache <<= n;
    this.bits -= n;
    return v;
  }
  /** n ≤ 48 bits, unsigned */
  readLong(n: number): number {
    if (n <= 24) return this.read(n);
    const hi = this.read(n - 24);
    return hi * 16777216 + this.read(24);
  }
  /** n ≤ 33 bits, two's complement */
  signed(n: number): number {
    const u = this.readLong(n);
    return u >= 2 ** (n - 1) ? u - 2 ** n : u;
  }
  /** the number of 0 bits before the next 1 bit (which is consumed) */
  unary(): number {
    let q = 0;
    for (;;) {
      if (this.cache !== 0) {
        const z = Math.clz32(this.cache);
        this.cache <<= z + 1;
        this.bits -= z + 1;
        return q + z;
      }
      q += this.bits;
      this.bits = 0;
      this.refill();
    }
  }
  alignToByte() {
    const drop = this.bits & 7;
    this.cache <<= drop;
    this.bits -= drop;
  }
  /** byte offset of the next unread bit (byte aligned) */
  bytePos(): number {
    return this.pos - (this.bits >> 3);
  }
}

const CRC8 = new Uint8Array(256);
const CRC16 = new Uint16Array(256);
for (let i = 0; i < 256; i++) {
  let c8 = i;
  let c16 = i << 8;
  for (let b = 0; b < 8; b++) {
    c8 = c8 & 0x80 ? ((c8 << 1) ^ 0x07) & 0xff : (c8 << 1) & 0xff;
    c16 = c16 & 0x8000 ? ((c16 << 1) ^ 0x8005) & 0xffff : (c16 << 1) & 0xffff;
  }
  CRC8[i] = c8;
  CRC16[i] = c16;
}
function crc8(b: Uint8Array, from: number, to: number): number {
  let c = 0;
  for (let i = from; i < to; i++) c = CRC8[c ^ b[i]];
  return c;
}
function crc16(b: Uint8Array, from: number, to: number): number {
  let c = 0;
  for (let i = from; i < to; i++) c = ((c << 8) & 0xffff) ^ CRC16[(c >>> 8) ^ b[i]];
  return c;
}

/** "fLaC", STREAMINFO and the other metadata blocks (skipped) up to the first frame. */
export function readStreamInfo(b: Uint8Array, file: string): StreamInfo {
  const fail = (at: number, message: string): never => {
    throw new DataError({ file, message: `byte ${at}: ${message}` });
  };
  if (b.length < 4 || String.fromCharCode(b[0], b[1], b[2], b[3]) !== 'fLaC') fail(0, 'not a FLAC stream (no "fLaC" marker)');
  if (b.length < 42) fail(b.length, 'the file ends inside the STREAMINFO block (truncated)');
  if ((b[4] & 0x7f) !== 0 || ((b[5] << 16) | (b[6] << 8) | b[7]) < 34) fail(4, 'the first metadata block is not a STREAMINFO block');
  const minBlock = (b[8] << 8) | b[9];
  const maxBlock = (b[10] << 8) | b[11];
  const sampleRate = (b[18] << 12) | (b[19] << 4) | (b[20] >> 4);
  const channels = ((b[20] >> 1) & 7) + 1;
  const bits = (((b[20] & 1) << 4) | (b[21] >> 4)) + 1;
  const totalSamples = (b[21] & 0x0f) * 2 ** 32 + (((b[22] << 24) | (b[23] << 16) | (b[24] << 8) | b[25]) >>> 0);
  if (minBlock < 16 || maxBlock < minBlock) fail(8, `block sizes ${minBlock}–${maxBlock} in STREAMINFO (at least 16)`);
  if (!(sampleRate >= 1 && sampleRate <= 1048575)) fail(18, `a sample rate of ${sampleRate} Hz`);
  if (bits < 4) fail(20, `${bits} bits per sample (at least 4)`);
  let at = 4;
  for (;;) {
    if (at + 4 > b.length) fail(at, 'the file ends inside the metadata (truncated)');
    const last = b[at] & 0x80;
    const size = (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3];
    if ((b[at] & 0x7f) === 127) fail(at, 'an invalid metadata block type (127)');
    at += 4 + size;
    if (last) break;
  }
  if (at >= b.length) fail(at, 'no audio frames after the metadata (the file is truncated)');
  return { sampleRate, channels, bits, totalSamples, maxBlock, audioAt: at };
}

interface FrameHeader {
  readonly blockSize: number;
  /** 0–7: independent channels (count − 1); 8 left/side, 9 side/right, 10 mid/side */
  readonly assignment: number;
  readonly bits: number;
  /** byte offset after the header (and its CRC-8) */
  readonly end: number;
}

const BITS_CODE = [0, 8, 12, -1, 16, 20, 24, 32];

/** The frame header at byte `at` (RFC 9639 §9.1), its CRC-8 checked. */
function frameHeader(b: Uint8Array, at: number, info: StreamInfo): FrameHeader {
  if (at + 6 > b.length) throw END;
  if (b[at] !== 0xff || (b[at + 1] & 0xfe) !== 0xf8) throw bad('no frame sync code');
  const bsCode = b[at + 2] >> 4;
  const rateCode = b[at + 2] & 0x0f;
  const assignment = b[at + 3] >> 4;
  const bitsCode = (b[at + 3] >> 1) & 7;
  if (bsCode === 0 || rateCode === 15 || assignment > 10 || bitsCode === 3 || b[at + 3] & 1) throw bad('reserved code in the frame header');
  // the UTF-8 coded frame or sample number: 1–7 bytes
  let p = at + 4;
  const lead = b[p];
  const extra = lead < 0x80 ? 0 : lead >= 0xc0 && lead <= 0xfe ? Math.clz32(~(lead << 24)) - 1 : -1;
  if (extra < 0) throw bad('a badly coded frame number');
  p += 1 + extra;
  let blockSize: number;
  if (bsCode === 1) blockSize = 192;
  else if (bsCode <= 5) blockSize = 576 << (bsCode - 2);
  else if (bsCode === 6) blockSize = b[p++] + 1;
  else if (bsCode === 7) {
    blockSize = ((b[p] << 8) | b[p + 1]) + 1;
    p += 2;
  } else blockSize = 256 << (bsCode - 8);
  if (rateCode === 12) p += 1;
  else if (rateCode === 13 || rateCode === 14) p += 2;
  if (p + 1 > b.length) throw END;
  if (crc8(b, at, p) !== b[p]) throw bad('frame header CRC-8 mismatch');
  const bits = bitsCode === 0 ? info.bits : BITS_CODE[bitsCode];
  const channels = assignment < 8 ? assignment + 1 : 2;
  if (channels !== info.channels) throw bad(`${channels} channels in a frame of a ${info.channels}-channel stream`);
  if (bits !== info.bits) throw bad(`${bits}-bit samples in a frame of a ${info.bits}-bit stream`);
  return { blockSize, assignment, bits, end: p + 1 };
}

/** A subframe (RFC 9639 §9.2) of `n` samples of `bits` bits into out[0..n). */
function subframe(r: BitReader, out: Float64Array, n: number, bits: number): void {
  const head = r.read(8);
  if (head & 0x80) throw bad('subframe padding bit set');
  const type = head >> 1;
  let wasted = 0;
  if (head & 1) {
    wasted = r.unary() + 1;
    if (wasted >= bits) throw bad(`${wasted} wasted bits in a ${bits}-bit subframe`);
    bits -= wasted;
  }
  if (type === 0) out.fill(r.signed(bits), 0, n);
  else if (type === 1) for (let i = 0; i < n; i++) out[i] = r.signed(bits);
  else if (type >= 8 && type <= 12) fixed(r, out, n, bits, type - 8);
  else if (type >= 32) lpc(r, out, n, bits, type - 31);
  else throw bad(`reserved subframe type ${type}`);
  if (wasted) {
    const m = 2 ** wasted;
    for (let i = 0; i < n; i++) out[i] *= m;
  }
}

function warmUp(r: BitReader, out: Float64Array, n: number, bits: number, order: number): void {
  if (order > n) throw bad(`predictor order ${order} for a block of ${n} samples`);
  for (let i = 0; i < order; i++) out[i] = r.signed(bits);
}

/** FIXED: the residual added to the polynomial prediction of order 0–4. */
function fixed(r: BitReader, out: Float64Array, n: number, bits: number, order: number): void {
  warmUp(r, out, n, bits, order);
  residual(r, out, n, order);
  if (order === 0) return;
  // the last samples in locals: one load and one store per sample
  let [x1, x2, x3, x4] = [out[order - 1], out[order - 2] ?? 0, out[order - 3] ?? 0, out[order - 4] ?? 0];
  for (let i = order; i < n; i++) {
    const x = out[i] + (order === 1 ? x1 : order === 2 ? 2 * x1 - x2 : order === 3 ? 3 * (x1 - x2) + x3 : 4 * (x1 + x3) - 6 * x2 - x4);
    out[i] = x;
    x4 = x3;
    x3 = x2;
    x2 = x1;
    x1 = x;
  }
}

const coefs = new Float64Array(32);

/** LPC: quantised coefficients, the shift, the residual added to the prediction. */
function lpc(r: BitReader, out: Float64Array, n: number, bits: number, order: number): void {
  warmUp(r, out, n, bits, order);
  const precision = r.read(4) + 1;
  if (precision === 16) throw bad('LPC coefficient precision code 15 (reserved)');
  const shift = r.signed(5);
  if (shift < 0) throw bad(`a negative LPC shift (${shift})`);
  coefs.fill(0);
  for (let j = 0; j < order; j++) coefs[j] = r.signed(precision);
  residual(r, out, n, order);
  predict(out, n, order, coefs, 2 ** -shift);
}

/** out[i] += ⌊Σ c[j]·out[i−1−j] / 2^shift⌋, exact in doubles in any order of summation; orders ≤ 8 and ≤ 12 unrolled (c zero-padded to 12). */
function predict(out: Float64Array, n: number, order: number, c: Float64Array, scale: number): void {
  const wide = order > 8 ? 12 : 8;
  const from = order > 12 ? n : Math.min(wide, n);
  for (let i = order; i < from; i++) {
    let sum = 0;
    for (let j = 0; j < order; j++) sum += c[j] * out[i - 1 - j];
    out[i] += Math.floor(sum * scale);
  }
  if (from >= n) return;
  const [c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11] = c;
  if (wide === 8) {
    // the last 8 samples in locals: one load and one store per sample
    let [x8, x7, x6, x5, x4, x3, x2, x1] = out.subarray(from - 8, from);
    for (let i = from; i < n; i++) {
      // the older terms first, in a tree, the newest last: a short dependency chain from one sample to the next
      const older = c1 * x2 + c2 * x3 + (c3 * x4 + c4 * x5) + (c5 * x6 + c6 * x7 + c7 * x8);
      const x = out[i] + Math.floor((older + c0 * x1) * scale);
      out[i] = x;
      x8 = x7;
      x7 = x6;
      x6 = x5;
      x5 = x4;
      x4 = x3;
      x3 = x2;
      x2 = x1;
      x1 = x;
    }
  } else {
    let [x12, x11, x10, x9, x8, x7, x6, x5, x4, x3, x2, x1] = out.subarray(from - 12, from);
    for (let i = from; i < n; i++) {
      const a = c1 * x2 + c2 * x3 + (c3 * x4 + c4 * x5) + (c5 * x6 + c6 * x7 + c7 * x8);
      const b = c8 * x9 + c9 * x10 + (c10 * x11 + c11 * x12);
      const x = out[i] + Math.floor((a + b + c0 * x1) * scale);
      out[i] = x;
      x12 = x11;
      x11 = x10;
      x10 = x9;
      x9 = x8;
      x8 = x7;
      x7 = x6;
      x6 = x5;
      x5 = x4;
      x4 = x3;
      x3 = x2;
      x2 = x1;
      x1 = x;
    }
  }
}

/** The residual (RFC 9639 §9.2.7) into out[order..n): Rice partitions with 4- or 5-bit parameters, escapes raw. */
function residual(r: BitReader, out: Float64Array, n: number, order: number): void {
  const method = r.read(2);
  if (method > 1) throw bad(`reserved residual coding method ${method}`);
  const paramBits = method === 0 ? 4 : 5;
  const escapeCode = method === 0 ? 15 : 31;
  const partitionOrder = r.read(4);
  const size = n >> partitionOrder;
  if (size << partitionOrder !== n || size < order) throw bad(`partition order ${partitionOrder} for a block of ${n} samples, predictor order ${order}`);
  let i = order;
  for (let end = size; end <= n; end += size) {
    const k = r.read(paramBits);
    if (k === escapeCode) {
      const raw = r.read(5);
      for (; i < end; i++) out[i] = raw ? r.signed(raw) : 0;
    } else rice(r, out, i, end, k);
    i = end;
  }
}

/**
 * Rice-coded values out[from..to) with parameter k: the hot loop. The reader's state is held in locals; a code word
 * that fits in the cache (unary part, stop bit and k bits: nearly all) is taken in one step, others by riceSlow.
 */
function rice(r: BitReader, out: Float64Array, from: number, to: number, k: number): void {
  const buf = r.buf;
  const end = r.len - 3;
  let cache = r.cache;
  let bits = r.bits;
  let pos = r.pos;
  for (let i = from; i < to; i++) {
    if (bits <= 23) {
      if (pos < end)
        do {
          cache |= buf[pos++] << (24 - bits);
          bits += 8;
        } while (bits <= 23);
      else {
        r.cache = cache;
        r.bits = bits;
        r.pos = pos;
        r.refill();
        cache = r.cache;
        bits = r.bits;
        pos = r.pos;
      }
    }
    const z = Math.clz32(cache);
    const used = z + 1 + k;
    if (used <= bits) {
      // z·2^k + the k bits after the stop bit (< 2^30 since used ≤ 31); ">>> (31 − k) >>> 1" gives 0 for k = 0
      const u = (z << k) | (((cache << (z + 1)) >>> (31 - k)) >>> 1);
      cache <<= used;
      bits -= used;
      out[i] = (u >>> 1) ^ -(u & 1);
    } else {
      r.cache = cache;
      r.bits = bits;
      r.pos = pos;
      out[i] = riceSlow(r, k);
      cache = r.cache;
      bits = r.bits;
      pos = r.pos;
    }
  }
  r.cache = cache;
  r.bits = bits;
  r.pos = pos;
}

/** One Rice code word of any length (a long unary part, or k > 24), its value exact in a double. */
function riceSlow(r: BitReader, k: number): number {
  const u = r.unary() * 2 ** k + r.readLong(k);
  return u & 1 ? -(u + 1) / 2 : u / 2;
}

/** The side channel (one bit wider) of each stereo mode: left/side → 1, side/right → 0, mid/side → 1. */
const SIDE = [-1, -1, -1, -1, -1, -1, -1, -1, 1, 0, 1];

/** Undo the stereo decorrelation in place: work[0], work[1] become left, right. */
function decorrelate(work: Float64Array[], assignment: number, n: number): void {
  const a = work[0];
  const b = work[1];
  if (assignment === 8) for (let i = 0; i < n; i++) b[i] = a[i] - b[i];
  else if (assignment === 9) for (let i = 0; i < n; i++) a[i] += b[i];
  else if (assignment === 10)
    for (let i = 0; i < n; i++) {
      const side = b[i];
      const mid = 2 * a[i] + (side & 1);
      a[i] = (mid + side) / 2;
      b[i] = (mid - side) / 2;
    }
}

/** One frame at byte `at` into work[c][0..blockSize); returns the block size and the byte after the frame. */
function frame(b: Uint8Array, r: BitReader, at: number, info: StreamInfo, work: Float64Array[]): { n: number; end: number } {
  const h = frameHeader(b, at, info);
  const n = h.blockSize;
  r.seek(h.end);
  for (let c = 0; c < info.channels; c++) {
    if (work[c].length < n) work[c] = new Float64Array(Math.max(n, 4608));
    subframe(r, work[c], n, h.bits + (SIDE[h.assignment] === c ? 1 : 0));
  }
  r.alignToByte();
  const crcAt = r.bytePos();
  const footer = r.read(16);
  if (crcAt + 2 > b.length) throw END;
  if (crc16(b, at, crcAt) !== footer) throw bad('frame CRC-16 mismatch');
  if (h.assignment >= 8) decorrelate(work, h.assignment, n);
  return { n, end: crcAt + 2 };
}

/** Whether a valid frame header (sync code and CRC-8) starts anywhere after byte `from`. */
function laterFrame(b: Uint8Array, from: number, info: StreamInfo): boolean {
  for (let i = from; i + 1 < b.length; i++) {
    if (b[i] !== 0xff || (b[i + 1] & 0xfe) !== 0xf8) continue;
    try {
      frameHeader(b, i, info);
      return true;
    } catch {
      // not a frame here
    }
  }
  return false;
}

function scaleInto(out: Float32Array, at: number, w: Float64Array, count: number, scale: number): void {
  for (let i = 0; i < count; i++) out[at + i] = w[i] * scale;
}

/** The stream's samples as Float32, grown as frames arrive. */
class Output {
  n = 0;
  data: Float32Array[];
  constructor(
    channels: number,
    capacity: number,
    readonly scale: number,
  ) {
    this.data = Array.from({ length: channels }, () => new Float32Array(capacity));
  }
  push(work: Float64Array[], count: number) {
    if (this.n + count > this.data[0].length) {
      const cap = Math.max(this.n + count, 2 * this.data[0].length);
      this.data = this.data.map((c) => {
        const d = new Float32Array(cap);
        d.set(c.subarray(0, this.n));
        return d;
      });
    }
    for (let c = 0; c < work.length; c++) scaleInto(this.data[c], this.n, work[c], count, this.scale);
    this.n += count;
  }
  channels(): Float32Array[] {
    return this.data.map((c) => (c.length === this.n ? c : c.slice(0, this.n)));
  }
}

/**
 * Decode a native FLAC stream's bytes; `file` names it in errors. With `endSeconds`, decoding stops after the frame
 * that reaches it (`partial` when frames remain; `fileSeconds` from STREAMINFO). A bad stream header is a
 * DataError; a damaged or truncated frame ends the decoding, the frames before it returned and the problem in `errors`.
 */
export function decodeFlac(bytes: Uint8Array, file: string, endSeconds = Infinity): FlacResult {
  const info = readStreamInfo(bytes, file);
  const { channels, sampleRate, bits, totalSamples } = info;
  const want = Math.max(1, Math.ceil(endSeconds * sampleRate));
  const out = new Output(channels, Math.min(totalSamples || 1 << 20, want + info.maxBlock, 1 << 23), 2 ** (1 - bits));
  const work = Array.from({ length: channels }, () => new Float64Array(info.maxBlock));
  const r = new BitReader(bytes);
  const errors: { message: string }[] = [];
  let at = info.audioAt;
  // stop at the window's end, at the end of the bytes, or after the samples STREAMINFO announces (a trailing tag)
  while (at < bytes.length && out.n < want && !(totalSamples && out.n >= totalSamples)) {
    try {
      const f = frame(bytes, r, at, info, work);
      out.push(work, f.n);
      at = f.end;
    } catch (e) {
      if (!(e instanceof FrameError)) throw e;
      const what =
        e.kind === 'end' && !laterFrame(bytes, at + 1, info)
          ? `the file ends inside the frame at byte ${at} (truncated)`
          : `damaged frame at byte ${at} (${e.message})`;
      errors.push({ message: `${what}: decoding stopped after ${(out.n / sampleRate).toFixed(2)} s` });
      break;
    }
  }
  const partial = !errors.length && out.n >= want && at < bytes.length && !(totalSamples && out.n >= totalSamples);
  const result = { channelData: out.channels(), samplesDecoded: out.n, sampleRate, errors, partial, bits };
  return partial && totalSamples ? { ...result, fileSeconds: totalSamples / sampleRate } : result;
}
