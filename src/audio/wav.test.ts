import { describe, expect, it } from 'vitest';
import { DataError } from '../core/types';
import { decodeWav, encodeWav16 } from './wav';

/** A WAV file with one `fmt ` chunk (tag, bits, optional extensible sub-format) and raw sample bytes. */
function wav(opts: { tag: number; bits: number; channels: number; rate: number; data: number[]; sub?: number; extra?: [string, number[]] }): Uint8Array {
  const ext = opts.tag === 0xfffe;
  const fmtSize = ext ? 40 : 16;
  const extra = opts.extra ? 8 + opts.extra[1].length + (opts.extra[1].length & 1) : 0;
  const out = new Uint8Array(12 + extra + 8 + fmtSize + 8 + opts.data.length);
  const v = new DataView(out.buffer);
  const put = (at: number, s: string) => [...s].forEach((ch, k) => (out[at + k] = ch.charCodeAt(0)));
  put(0, 'RIFF');
  v.setUint32(4, out.length - 8, true);
  put(8, 'WAVE');
  let at = 12;
  if (opts.extra) {
    put(at, opts.extra[0]);
    v.setUint32(at + 4, opts.extra[1].length, true);
    out.set(opts.extra[1], at + 8);
    at += extra;
  }
  put(at, 'fmt ');
  v.setUint32(at + 4, fmtSize, true);
  v.setUint16(at + 8, opts.tag, true);
  v.setUint16(at + 10, opts.channels, true);
  v.setUint32(at + 12, opts.rate, true);
  v.setUint32(at + 16, (opts.rate * opts.channels * opts.bits) / 8, true);
  v.setUint16(at + 20, (opts.channels * opts.bits) / 8, true);
  v.setUint16(at + 22, opts.bits, true);
  if (ext) v.setUint16(at + 32, opts.sub ?? 1, true);
  at += 8 + fmtSize;
  put(at, 'data');
  v.setUint32(at + 4, opts.data.length, true);
  out.set(opts.data, at + 8);
  return out;
}

describe('WAV decoding', () => {
  it('reads back what encodeWav16 wrote, to the 16-bit step', () => {
    const left = Float32Array.from({ length: 300 }, (_, i) => Math.sin(i / 7) * 0.9);
    const right = Float32Array.from({ length: 300 }, (_, i) => (i % 50) / 50 - 0.5);
    const back = decodeWav(encodeWav16([left, right], 44100), 'x.wav');
    expect(back.sampleRate).toBe(44100);
    expect(back.format).toBe('PCM 16-bit');
    expect(back.channels).toHaveLength(2);
    for (let i = 0; i < 300; i++) {
      expect(Math.abs(back.channels[0][i] - left[i])).toBeLessThanOrEqual(0.5 / 32768 + 1e-9);
      expect(Math.abs(back.channels[1][i] - right[i])).toBeLessThanOrEqual(0.5 / 32768 + 1e-9);
    }
  });

  it('decodes 8-bit unsigned, 24-bit signed, 32-bit float, and the extensible format; skips other chunks', () => {
    expect(Array.from(decodeWav(wav({ tag: 1, bits: 8, channels: 1, rate: 8000, data: [0, 128, 255] }), 'a').channels[0])).toEqual([-1, 0, 127 / 128]);
    // 24-bit: 0x800000 = −1, 0x7fffff = 1 − 2⁻²³, 0x000001 = 2⁻²³
    const s24 = decodeWav(wav({ tag: 1, bits: 24, channels: 1, rate: 8000, data: [0, 0, 0x80, 0xff, 0xff, 0x7f, 1, 0, 0] }), 'b').channels[0];
    expect(Array.from(s24)).toEqual([-1, Math.fround(1 - 2 ** -23), Math.fround(2 ** -23)]);
    const f = new Uint8Array(new Float32Array([0.25, -0.5]).buffer);
    expect(Array.from(decodeWav(wav({ tag: 3, bits: 32, channels: 1, rate: 48000, data: [...f] }), 'c').channels[0])).toEqual([0.25, -0.5]);
    const e = decodeWav(wav({ tag: 0xfffe, sub: 3, bits: 32, channels: 1, rate: 48000, data: [...f], extra: ['LIST', [1, 2, 3]] }), 'd');
    expect(e.format).toBe('float 32-bit');
    expect(Array.from(e.channels[0])).toEqual([0.25, -0.5]);
  });

  it('refuses what it cannot read with the file and the byte, never garbage samples', () => {
    const cases: [Uint8Array, RegExp][] = [
      [new TextEncoder().encode('id,x\na,1\n'), /^n\.wav: byte 0: not a WAV file/],
      [Uint8Array.from([...new TextEncoder().encode('RIFX'), 0, 0, 0, 0, ...new TextEncoder().encode('WAVE')]), /big-endian \(RIFX\)/],
      [wav({ tag: 0x55, bits: 16, channels: 1, rate: 44100, data: [0, 0] }), /compressed WAV \(format tag 85\)/],
      [wav({ tag: 1, bits: 12, channels: 1, rate: 44100, data: [0, 0] }), /12-bit PCM samples \(expected 8, 16, 24 or 32 bits\)/],
      [wav({ tag: 1, bits: 16, channels: 1, rate: 44100, data: [] }), /no samples in the "data" chunk/],
      [encodeWav16([new Float32Array(4)], 44100).slice(0, 36), /no "data" chunk/],
    ];
    for (const [bytes, message] of cases) {
      expect(() => decodeWav(bytes, 'n.wav')).toThrow(DataError);
      expect(() => decodeWav(bytes, 'n.wav')).toThrow(message);
    }
  });

  it('reads a data chunk that claims more than the file holds up to the end (streamed writers)', () => {
    const bytes = encodeWav16([Float32Array.from([0.5, -0.5, 0.25])], 22050);
    new DataView(bytes.buffer).setUint32(40, 0xffffffff, true);
    expect(decodeWav(bytes, 's.wav').channels[0]).toHaveLength(3);
  });
});
