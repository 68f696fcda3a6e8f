/**
 * The bundled clip sets of issue 13 (public/data/tones, public/data/instruments; made by scripts/make-clip-sets.ts):
 * their precomputed features.csv are what our pipeline computes from the committed audio (so they never drift),
 * the tones' features follow the parameters that made them, a metric learned on the simulated votes finds the
 * generating dimensions, and the Data cell's bundled entries load.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyseClip, DEFAULT_WINDOW } from '../src/audio/analyse';
import { decodeAudio } from '../src/audio/decode';
import { PROFILES, synthTone, toneCoordinates, toneGrid } from '../src/audio/tones';
import { cpuBackend } from '../src/core/compute-cpu';
import { splitGroup, toConstraints, TripletRegistry } from '../src/core/constraints';
import { DEFAULT_SPEC, runExperiment } from '../src/core/experiment';
import { joinUsers, parseFeatures, parseJudgments, parseUsers } from '../src/core/parse';
import { preprocess } from '../src/core/preprocess';
import { ritml } from '../src/core/ritml';
import type { FeatureSet } from '../src/core/types';
import { BUNDLED, fetchBundled, loadFiles, NO_JUDGMENTS_YET } from '../src/ui/data';

const DATA = join(__dirname, '..', 'public', 'data');
const read = (p: string) => readFileSync(join(DATA, p), 'utf8');
const csvRows = (p: string) =>
  read(p)
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(','));
const features = (set: string) => parseFeatures(read(`${set}/features.csv`), `${set}/features.csv`);
const col = (fs: FeatureSet, name: string) => {
  const k = fs.names.indexOf(name);
  return fs.ids.map((_, i) => fs.X.data[i * fs.X.cols + k]);
};

async function recompute(set: string, every: number): Promise<void> {
  const fs = features(set);
  const clips = csvRows(`${set}/clips.csv`);
  expect(clips.map((c) => c[0])).toEqual(fs.ids);
  for (let i = 0; i < clips.length; i += every) {
    const file = join(DATA, set, clips[i][1]);
    const audio = await decodeAudio(readFileSync(file), file, { endSeconds: DEFAULT_WINDOW.offset + DEFAULT_WINDOW.length });
    const row = analyseClip(audio, file).values;
    expect(Array.from(row), `${set}/${clips[i][1]}`).toEqual(Array.from(fs.X.data.subarray(i * fs.X.cols, (i + 1) * fs.X.cols)));
  }
}

describe('bundled clip sets: features.csv = our pipeline on the committed audio (exactly)', () => {
  it('tones: all 27 clips', () => recompute('tones', 1), 30_000);
  it('instruments: every third of the 36 clips', () => recompute('instruments', 3), 30_000);
});

describe('synthetic tones', () => {
  it('are deterministic and the committed features follow the generating parameters', () => {
    const spec = toneGrid()[13];
    expect(synthTone(spec, 1)).toEqual(synthTone(spec, 1));
    expect(synthTone(spec, 2)).not.toEqual(synthTone(spec, 1));
    const fs = features('tones');
    const clips = new Map(csvRows('tones/clips.csv').map((c) => [c[0], c]));
    // within each pair of tones that differ in one parameter only, the feature moves in its direction
    const checks: [number, string][] = [
      [5, 'attack_log_s'], // attack_level: larger attack time → larger log-attack time
      [6, 'centroid_mean_hz'], // brightness_level
      [7, 'flux_mean'], // flux_level
    ];
    for (const [level, feature] of checks) {
      const v = col(fs, feature);
      let pairs = 0;
      fs.ids.forEach((a, i) =>
        fs.ids.forEach((b, j) => {
          const [ca, cb] = [clips.get(a)!, clips.get(b)!];
          const onlyThis = [5, 6, 7].every((k) => (k === level ? Number(ca[k]) + 2 === Number(cb[k]) : ca[k] === cb[k]));
          if (!onlyThis) return;
          pairs++;
          expect(v[j], `${feature}: ${b} vs ${a}`).toBeGreaterThan(v[i]);
        }),
      );
      expect(pairs).toBe(9); // level 0 → level 2, for each of the 3 × 3 other combinations
    }
  });

  it('a metric learned on the simulated votes beats Euclidean and weights the generating dimensions of its group', async () => {
    const fs = features('tones');
    const users = parseUsers(read('tones/users.csv'), 'users.csv');
    const js = joinUsers(parseJudgments(read('tones/votes.csv'), 'votes.csv', { knownIds: fs.ids }), users, 'users.csv');
    // held-out votes (2-fold CV by triplet, one γ): measured Euclidean 0.64, RITML 0.87 on attack-focused (3 folds)
    const spec = { ...DEFAULT_SPEC, methods: ['euclidean', 'ritml'] as const, groupBy: 'profile', groups: ['attack-focused'], folds: 2, gammaGrid: [1] };
    const res = await runExperiment({ features: fs, judgments: js }, spec, cpuBackend);
    const score = (m: string) => res.rows.find((r) => r.method === m && r.group === 'attack-focused')!.mean;
    expect(score('ritml')).toBeGreaterThan(score('euclidean') + 0.1);

    // each group's metric (all its votes) against the true distances Σ w_k Δz_k² of each profile, over all pairs
    const pre = preprocess(fs, { standardise: true }).features;
    const X = pre.X;
    const { rows: n, cols: d, data } = X;
    const grid = toneGrid();
    const z = toneCoordinates(grid);
    const at = fs.ids.map((id) => grid.findIndex((g) => g.id === id));
    const pairs = (f: (i: number, j: number) => number) =>
      Array.from({ length: n }, (_, i) => Array.from({ length: n - i - 1 }, (_, k) => f(i, i + 1 + k))).flat();
    const mahal = (W: ArrayLike<number> | null) =>
      pairs((i, j) => {
        let s = 0;
        for (let a = 0; a < d; a++)
          for (let b = 0; b < d; b++) s += (W ? W[a * d + b] : +(a === b)) * (data[i * d + a] - data[j * d + a]) * (data[i * d + b] - data[j * d + b]);
        return s;
      });
    const truth = PROFILES.map((p) => {
      const w = [p.weights.attack, p.weights.brightness, p.weights.flux];
      return pairs((i, j) => w.reduce((s, wk, k) => s + wk * (z[at[i]][k] - z[at[j]][k]) ** 2, 0));
    });
    const euclid = mahal(null).slice();
    const attackCol = pre.names.indexOf('attack_log_s'); // preprocess drops constant columns
    PROFILES.forEach((p, g) => {
      const G = toConstraints(splitGroup(js, 'profile', p.name).group, fs.ids, new TripletRegistry()).constraints;
      const W = ritml(X, G, null, { gamma: 1 }).W.data;
      const learned = mahal(W);
      const [own, other] = [corr(learned, truth[g]), corr(learned, truth[1 - g])];
      // measured: attack-focused 0.93 (Euclidean 0.30), brightness-focused 0.93 (Euclidean 0.84); other profile 0.30 / 0.45
      expect(own, p.name).toBeGreaterThan(0.85);
      expect(own, p.name).toBeGreaterThan(corr(euclid, truth[g]) + 0.05);
      expect(own, p.name).toBeGreaterThan(other + 0.3);
      if (p.name === 'attack-focused') {
        // attack_log_s gets the largest diagonal weight (measured 10.1; next 1.5)
        const diag = Array.from({ length: d }, (_, a) => W[a * d + a]);
        expect(diag.indexOf(Math.max(...diag))).toBe(attackCol);
      }
    });
  }, 60_000);
});

function corr(a: number[], b: number[]): number {
  const m = (x: number[]) => x.reduce((s, v) => s + v, 0) / x.length;
  const [ma, mb] = [m(a), m(b)];
  let [s, sa, sb] = [0, 0, 0];
  for (let i = 0; i < a.length; i++) {
    s += (a[i] - ma) * (b[i] - mb);
    sa += (a[i] - ma) ** 2;
    sb += (b[i] - mb) ** 2;
  }
  return s / Math.sqrt(sa * sb);
}

describe('Data cell bundled entries', () => {
  const fetchLocal = async (url: string | URL | Request) => new Response(readFileSync(join(DATA, String(url).replace(/^.*data\//, ''))));
  it('tones load as a complete set with users; instruments load their features and say that judgments are missing', async () => {
    const orig = globalThis.fetch;
    globalThis.fetch = fetchLocal as typeof fetch;
    try {
      const tones = loadFiles(await fetchBundled('tones', './'));
      expect(tones.problem).toBeNull();
      expect(tones.lab?.judgments.attributeColumns).toEqual(['profile']);
      const inst = loadFiles(await fetchBundled('instruments', './'));
      expect(inst.features?.ids).toHaveLength(36);
      expect(inst.lab).toBeNull();
      expect(inst.problem).toContain(NO_JUDGMENTS_YET);
      expect(BUNDLED.find((b) => b.id === 'instruments')?.clips).toBe('instruments/clips.csv');
    } finally {
      globalThis.fetch = orig;
    }
  });
});
