/**
 * Writes the two bundled clip sets of issue 13 (run once; the outputs are committed, nothing here runs in CI):
 *
 *   public/data/tones/        27 synthetic tones (src/audio/tones.ts) as Ogg Opus, clips.csv, features.csv,
 *                             simulated votes.csv + users.csv, truth.json
 *   public/data/instruments/  one MIDI phrase rendered with FluidSynth from FluidR3_GM on 36 General MIDI
 *                             programs, mono Ogg Opus, clips.csv, features.csv
 *
 *   npx tsx scripts/make-clip-sets.ts [--only tones|instruments] [--sf2 /usr/share/sounds/sf2/FluidR3_GM.sf2]
 *   npx tsx scripts/make-clip-sets.ts --features-only    (recompute features.csv from the committed audio; no tools needed)
 *
 * Needs (Debian): fluidsynth, fluid-soundfont-gm, opus-tools, sox. features.csv is computed by the CLI's own
 * `features` command from the committed .opus files, so the page and test/clip-sets.test.ts recompute the same
 * numbers. SOURCE.md of each set is written by hand (it records the tool versions this script prints).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ANALYSIS_RATE } from '../src/audio/resample';
import { FLUX_DEPTHS, FLUX_RATE, F0, PROFILES, simulateToneVotes, synthTone, TONE_VOTE_DEFAULTS, toneGrid, DISTANCE_NOISE, LAPSE } from '../src/audio/tones';
import { encodeWav16 } from '../src/audio/wav';
import { cmdFeatures } from '../src/cli/features';

const ROOT = join(import.meta.dirname, '..');
const OPUS_KBPS = 32;
const sh = (cmd: string, args: string[]) => execFileSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] }).toString();

/** opusenc with a fixed stream serial and no date, so the same samples give the same bytes (same libopus). */
function opus(wav: string, out: string, title: string): void {
  sh('opusenc', ['--quiet', '--bitrate', String(OPUS_KBPS), '--comp', '10', '--serial', '1', '--title', title, wav, out]);
}

const csv = (rows: (string | number)[][]) => `${rows.map((r) => r.join(',')).join('\n')}\n`;

async function features(dir: string): Promise<void> {
  await cmdFeatures(['--audio', dir, '--out', join(dir, 'features.csv')]);
}

async function makeTones(): Promise<void> {
  const dir = join(ROOT, 'public/data/tones');
  mkdirSync(dir, { recursive: true });
  const tmp = mkdtempSync(join(tmpdir(), 'tones-'));
  const grid = toneGrid();
  for (const t of grid) {
    const wav = join(tmp, `${t.id}.wav`);
    writeFileSync(wav, encodeWav16([synthTone(t, 1)], ANALYSIS_RATE));
    opus(wav, join(dir, `${t.id}.opus`), t.id);
  }
  rmSync(tmp, { recursive: true, force: true });
  writeFileSync(
    join(dir, 'clips.csv'),
    csv([
      ['id', 'file', 'attack_ms', 'centroid_param', 'flux_param', 'attack_level', 'brightness_level', 'flux_level'],
      ...grid.map((t) => [t.id, `${t.id}.opus`, t.attackMs, t.slope, t.fluxDepth, t.id[3], t.id[6], t.id[9]]),
    ]),
  );
  const { votes, users } = simulateToneVotes(grid, TONE_VOTE_DEFAULTS);
  writeFileSync(join(dir, 'votes.csv'), csv([['a', 'b', 'c', 'odd', 'user'], ...votes]));
  writeFileSync(join(dir, 'users.csv'), csv([['user', 'profile'], ...users]));
  const truth = {
    what: 'Synthetic tones and simulated listeners (not real people): the dimensions the tones were made from and the weights the simulated listeners judged by.',
    generator: 'similarity-lab src/audio/tones.ts (synthTone seed 1, simulateToneVotes)',
    tone: { f0Hz: F0, seconds: 2, sampleRate: ANALYSIS_RATE, fluxRateHz: FLUX_RATE, fluxDepths: FLUX_DEPTHS, opusKbps: OPUS_KBPS },
    dimensions: {
      attack: 'log10 of the linear attack time (10, 55, 300 ms)',
      brightness: 'minus the harmonic amplitude slope β₀ (2.2, 1.4, 0.6): brighter = larger',
      flux: 'depth of the spectral-tilt oscillation (0, 0.5, 1)',
      standardised: 'each dimension z-scored over the 27 tones (population sd)',
    },
    expectedFeatures: { attack: 'attack_log_s', brightness: 'centroid_mean_hz', flux: 'flux_mean' },
    listener: { distance: 'Σ_k w_k (Δz_k)²', distanceNoise: `each pair distance × exp(${DISTANCE_NOISE}·N(0,1))`, lapse: LAPSE, profiles: PROFILES },
    votes: TONE_VOTE_DEFAULTS,
  };
  writeFileSync(join(dir, 'truth.json'), `${JSON.stringify(truth, null, 1)}\n`);
  await features(dir);
}

/** General MIDI programs (1-based as in the GM list), family, name, octave shift of the phrase. */
export const INSTRUMENTS: readonly [number, string, string, number][] = [
  [1, 'piano', 'Acoustic Grand Piano', 0],
  [5, 'piano', 'Electric Piano 1', 0],
  [7, 'piano', 'Harpsichord', 0],
  [10, 'chromatic-percussion', 'Glockenspiel', 1],
  [12, 'chromatic-percussion', 'Vibraphone', 0],
  [13, 'chromatic-percussion', 'Marimba', 0],
  [15, 'chromatic-percussion', 'Tubular Bells', 0],
  [17, 'organ', 'Drawbar Organ', 0],
  [20, 'organ', 'Church Organ', 0],
  [22, 'organ', 'Accordion', 0],
  [25, 'guitar', 'Acoustic Guitar (nylon)', 0],
  [28, 'guitar', 'Electric Guitar (clean)', 0],
  [31, 'guitar', 'Distortion Guitar', 0],
  [33, 'bass', 'Acoustic Bass', -2],
  [34, 'bass', 'Electric Bass (finger)', -2],
  [39, 'bass', 'Synth Bass 1', -2],
  [41, 'strings', 'Violin', 0],
  [43, 'strings', 'Cello', -1],
  [44, 'strings', 'Contrabass', -2],
  [46, 'strings', 'Pizzicato Strings', 0],
  [47, 'strings', 'Orchestral Harp', 0],
  [49, 'ensemble', 'String Ensemble 1', 0],
  [53, 'ensemble', 'Choir Aahs', 0],
  [57, 'brass', 'Trumpet', 0],
  [58, 'brass', 'Trombone', -1],
  [59, 'brass', 'Tuba', -2],
  [61, 'brass', 'French Horn', 0],
  [65, 'reed', 'Soprano Sax', 0],
  [69, 'reed', 'Oboe', 0],
  [71, 'reed', 'Bassoon', -1],
  [72, 'reed', 'Clarinet', 0],
  [73, 'pipe', 'Piccolo', 1],
  [74, 'pipe', 'Flute', 0],
  [81, 'synth-lead', 'Lead 1 (square)', 0],
  [82, 'synth-lead', 'Lead 2 (sawtooth)', 0],
  [89, 'synth-pad', 'Pad 1 (new age)', 0],
];

/** the phrase: MIDI note (C4 = 60) and length in beats at 120 BPM (0.5 s a beat): C4 E4 G4 C5 G4, 3 s */
const PHRASE: readonly [number, number][] = [
  [60, 1],
  [64, 1],
  [67, 1],
  [72, 1],
  [67, 2],
];
const DIVISION = 480;

const vlq = (n: number): number[] => {
  const out = [n & 0x7f];
  for (n >>= 7; n > 0; n >>= 7) out.unshift((n & 0x7f) | 0x80);
  return out;
};

/** A format-0 Standard MIDI File: tempo 120, program `program` (0-based) on channel 1, the phrase shifted by `octaves`. */
export function phraseMidi(program: number, octaves: number): Uint8Array {
  const ev: number[] = [...vlq(0), 0xff, 0x51, 0x03, 0x07, 0xa1, 0x20, ...vlq(0), 0xc0, program];
  let rest = 0; // ticks since the last event (each note is held 95 % of its length)
  for (const [note, beats] of PHRASE) {
    const n = note + 12 * octaves;
    const held = Math.round(beats * DIVISION * 0.95);
    ev.push(...vlq(rest), 0x90, n, 90, ...vlq(held), 0x80, n, 0);
    rest = beats * DIVISION - held;
  }
  ev.push(...vlq(rest + DIVISION), 0xff, 0x2f, 0x00); // one beat of release, end of track
  const len = ev.length;
  return Uint8Array.from([
    ...[0x4d, 0x54, 0x68, 0x64, 0, 0, 0, 6, 0, 0, 0, 1, DIVISION >> 8, DIVISION & 0xff],
    ...[0x4d, 0x54, 0x72, 0x6b, (len >>> 24) & 0xff, (len >>> 16) & 0xff, (len >>> 8) & 0xff, len & 0xff],
    ...ev,
  ]);
}

const slug = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

async function makeInstruments(sf2: string): Promise<void> {
  const dir = join(ROOT, 'public/data/instruments');
  mkdirSync(dir, { recursive: true });
  for (const f of readdirSync(dir)) if (f.endsWith('.opus')) rmSync(join(dir, f));
  const tmp = mkdtempSync(join(tmpdir(), 'instruments-'));
  const rows: (string | number)[][] = [['id', 'file', 'program', 'family', 'name']];
  for (const [program, family, name, octaves] of INSTRUMENTS) {
    const id = `${String(program).padStart(3, '0')}-${slug(name)}`;
    const mid = join(tmp, `${id}.mid`);
    writeFileSync(mid, phraseMidi(program - 1, octaves));
    const stereo = join(tmp, `${id}-st.wav`);
    // no reverb / chorus (a dry timbre), 44.1 kHz, 16-bit
    sh('fluidsynth', ['-n', '-i', '-q', '-R', '0', '-C', '0', '-g', '0.6', '-r', '44100', '-T', 'wav', '-O', 's16', '-F', stereo, sf2, mid]);
    const mono = join(tmp, `${id}.wav`);
    // mono mix, exactly 3.5 s, peak normalised to −3 dBFS (sox without dither: -D)
    sh('sox', ['-D', stereo, '-c', '1', mono, 'remix', '-', 'trim', '0', '3.5', 'pad', '0', '3.5', 'trim', '0', '3.5', 'gain', '-n', '-3']);
    opus(mono, join(dir, `${id}.opus`), name);
    rows.push([id, `${id}.opus`, program, family, name]);
  }
  rmSync(tmp, { recursive: true, force: true });
  writeFileSync(join(dir, 'clips.csv'), csv(rows));
  await features(dir);
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { only: { type: 'string' }, sf2: { type: 'string' }, 'features-only': { type: 'boolean' } }, strict: true });
  if (values['features-only']) {
    // the committed audio as it is; only features.csv is recomputed (after a change to src/audio)
    for (const set of ['tones', 'instruments'])
      if (values.only !== (set === 'tones' ? 'instruments' : 'tones')) await features(join(ROOT, 'public', 'data', set));
    return;
  }
  process.stderr.write(
    `${sh('fluidsynth', ['--version']).split('\n')[0]}; ${sh('opusenc', ['--version']).split('\n')[0]}; ${sh('sox', ['--version']).trim()}\n`,
  );
  if (values.only !== 'instruments') await makeTones();
  if (values.only !== 'tones') await makeInstruments(values.sf2 ?? '/usr/share/sounds/sf2/FluidR3_GM.sf2');
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).message}\n`);
  process.exit(1);
});
