/**
 * Issue 13: `features` on every format decodeAudio reads, and each kind of bad input named per file while the
 * other files go on (the built command, as users run it). Audio is generated here with encodeWav16; the compressed
 * fixtures in test/fixtures/audio were made once (their SOURCE.md).
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtCli } from './built-cli';
import { analyseClip } from '../src/audio/analyse';
import { decodeAudio, UnsupportedAudio } from '../src/audio/decode';
import { encodeWav16 } from '../src/audio/wav';
import { parseFeatures } from '../src/core/parse/features';

const root = join(__dirname, '..');
const fx = join(root, 'test', 'fixtures', 'audio');
const cli = builtCli();

const run = (args: string[]) => spawnSync(process.execPath, [cli.bin(), ...args], { cwd: root, encoding: 'utf8' });
const sr = 22050;
const tone = (seconds: number, hz = 440, amp = 0.3) =>
  Float32Array.from({ length: Math.round(sr * seconds) }, (_, i) => amp * Math.sin((2 * Math.PI * hz * i) / sr));

describe('decodeAudio', () => {
  it('reads Ogg Opus, MP3 and FLAC; chunked decoding gives the same samples whatever the chunk size; Vorbis is left to the browser', async () => {
    for (const [f, format, rate] of [
      ['tone.opus', 'Ogg Opus', 48000],
      ['tone.mp3', 'MP3', 22050],
      ['tone.flac', 'FLAC 16-bit', 22050],
    ] as const) {
      const bytes = readFileSync(join(fx, f));
      const a = await decodeAudio(bytes, f);
      expect(a.format).toBe(format);
      expect(a.sampleRate).toBe(rate);
      expect(a.channels[0].length / a.sampleRate).toBeCloseTo(1, 1);
      const b = await decodeAudio(bytes, f, { chunkBytes: 777 });
      expect(b.channels[0]).toEqual(a.channels[0]);
    }
    await expect(decodeAudio(readFileSync(join(fx, 'tone.ogg')), 'tone.ogg')).rejects.toThrow(/is decoded by the browser only; for the CLI convert it to WAV/);
  });
  it('stops at endSeconds: WAV reads only the window and gives the whole length; the Opus, MP3 and FLAC decoders stop soon after it', async () => {
    const wav = encodeWav16([tone(20)], sr);
    const w = await decodeAudio(wav, 'long.wav', { endSeconds: 2 });
    expect(w.channels[0].length).toBe(2 * sr);
    expect(w.partial).toBe(true);
    expect(w.fileSeconds).toBe(20);
    for (const f of ['tone.mp3', 'tone.opus', 'tone.flac']) {
      const bytes = readFileSync(join(fx, f));
      const whole = await decodeAudio(bytes, f);
      const part = await decodeAudio(bytes, f, { endSeconds: 0.2, chunkBytes: 1000 });
      expect(part.partial, f).toBe(true);
      expect(part.channels[0].length).toBeLessThan(whole.channels[0].length);
      expect(part.channels[0]).toEqual(whole.channels[0].subarray(0, part.channels[0].length));
    }
  });
  it('names the file for text, empty and truncated input', async () => {
    await expect(decodeAudio(new TextEncoder().encode('id,x\n1,2\n'), 'notes.mp3')).rejects.toThrow(UnsupportedAudio);
    await expect(decodeAudio(new TextEncoder().encode('id,x\n1,2\n'), 'notes.mp3')).rejects.toThrow(/notes\.mp3: not an audio file .*looks like text/);
    await expect(decodeAudio(new Uint8Array(0), 'empty.wav')).rejects.toThrow(/empty\.wav: .*the file is empty/);
    const m4a = Uint8Array.from([0, 0, 0, 32, ...new TextEncoder().encode('ftypM4A '), 0, 0, 0, 0]);
    await expect(decodeAudio(m4a, 'song.m4a')).rejects.toThrow(/song\.m4a: an MP4 \/ M4A .*convert it/);
    const opus = readFileSync(join(fx, 'tone.opus'));
    await expect(decodeAudio(opus.subarray(0, 200), 'cut.opus')).rejects.toThrow(/cut\.opus: no audio could be decoded .*truncated or damaged/);
  });
});

describe('CLI features on every format and on bad files', () => {
  it('reads WAV, Ogg Opus, MP3 and FLAC from a folder in name order (Vorbis named as browser-only); the row of a compressed file equals the in-process pipeline', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'simlab-audio-'));
    for (const f of ['tone.opus', 'tone.ogg', 'tone.flac', 'tone.mp3']) copyFileSync(join(fx, f), join(dir, `c-${f}`));
    writeFileSync(join(dir, 'a.wav'), encodeWav16([tone(1)], sr));
    writeFileSync(join(dir, 'readme.txt'), 'not taken from a folder');
    const out = join(dir, 'f.csv');
    const res = run(['features', '--audio', dir, '--out', out]);
    expect(res.status, res.stderr).toBe(1);
    expect(res.stderr).toMatch(/skipped .*c-tone\.ogg: Ogg Vorbis is decoded by the browser only/);
    const fs = parseFeatures(readFileSync(out, 'utf8'), out);
    expect(fs.ids).toEqual(['a', 'c-tone', 'c-tone-2', 'c-tone-4']); // a.wav, c-tone.flac, c-tone.mp3, c-tone.opus (ids are given before decoding)
    expect(res.stderr).toMatch(/c-tone: 1\.\d+ s, 22050 Hz, 2 ch, FLAC 16-bit/);
    expect(res.stderr).toMatch(/c-tone-4: 1\.\d+ s, 48000 Hz, 1 ch, Ogg Opus/);
    const opus = join(dir, 'c-tone.opus');
    const direct = analyseClip(await decodeAudio(readFileSync(opus), opus, { endSeconds: 30 }), opus).values;
    expect(Array.from(fs.X.data.subarray(3 * fs.names.length))).toEqual(Array.from(direct));
  });
  it('names each bad file and what was wrong, keeps the others, exit 1 with the count; silence gives finite numbers', () => {
    const dir = mkdtempSync(join(tmpdir(), 'simlab-audio-'));
    const good = encodeWav16([tone(1)], sr);
    writeFileSync(join(dir, '1-good.wav'), good);
    writeFileSync(join(dir, '2-text.mp3'), 'id,x\n1,2\n');
    writeFileSync(join(dir, '3-truncated.wav'), good.subarray(0, 44));
    writeFileSync(join(dir, '4-silent.wav'), encodeWav16([new Float32Array(sr)], sr));
    writeFileSync(join(dir, '5-short.wav'), encodeWav16([tone(0.05)], sr));
    writeFileSync(join(dir, '6-cut.opus'), readFileSync(join(fx, 'tone.opus')).subarray(0, 200));
    // an hour at 1000 Hz (7.2 MB): only the window is read
    const hour = Float32Array.from({ length: 3600 * 1000 }, (_, i) => 0.3 * Math.sin((2 * Math.PI * 100 * i) / 1000));
    writeFileSync(join(dir, '7-long.wav'), encodeWav16([hour], 1000));
    const out = join(dir, 'f.csv');
    const res = run(['features', '--audio', dir, '--out', out, '--length', '5']);
    expect(res.status).toBe(1);
    expect(res.stderr).toMatch(/skipped .*2-text\.mp3: not an audio file this decoder reads \(it looks like text\)/);
    expect(res.stderr).toMatch(/skipped .*3-truncated\.wav: byte 44: no samples/);
    expect(res.stderr).toMatch(/skipped .*5-short\.wav: the analysed audio is 0\.050 s long; at least 0\.093 s are needed/);
    expect(res.stderr).toMatch(/skipped .*6-cut\.opus: no audio could be decoded/);
    expect(res.stderr).toMatch(/7-long: 5\.00 s, 1000 Hz.*decoded up to 5\.00 s of 3600\.0 s/);
    expect(res.stderr).toMatch(/features: 3 clips × 48 columns .*; 4 of 7 files failed \(named above\)/);
    expect(res.stderr).not.toMatch(/\n\s+at /);
    const fs = parseFeatures(readFileSync(out, 'utf8'), out);
    expect(fs.ids).toEqual(['1-good', '4-silent', '7-long']);
    expect(Array.from(fs.X.data).every(Number.isFinite)).toBe(true);
    // a window past the limit is a bad command line
    expect(run(['features', '--audio', dir, '--out', out, '--offset', '590', '--length', '30']).status).toBe(2);
  });
});
