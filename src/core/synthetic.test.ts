import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cholesky, isPositiveDefinite } from './linalg';
import { identity, mahalanobis } from './matrix';
import { joinUsers, parseFeatures, parseJudgments, parseUsers } from './parse';
import { preprocess } from './preprocess';
import { generateSynthetic, SYNTHETIC_ATTRIBUTES, SYNTHETIC_DEFAULTS, SYNTHETIC_FEATURES, syntheticToFiles, type SyntheticDataset } from './synthetic';
import type { Matrix, OddOneOutVote } from './types';

const ds = generateSynthetic();
const files = syntheticToFiles(ds);
const file = (name: string, f = files) => f.find((x) => x.name === name)!.text;
const votes = (d: SyntheticDataset) => d.judgments.judgments as OddOneOutVote[];

/** Share of the votes' two relative constraints each that W fulfils strictly, per vote filter. */
function fulfilment(d: SyntheticDataset, W: Matrix, keep: (v: OddOneOutVote) => boolean): number {
  const Z = preprocess(d.features, { standardise: true }).features.X;
  const idx = new Map(d.features.ids.map((id, i) => [id, i]));
  let ok = 0;
  let tot = 0;
  for (const v of votes(d)) {
    if (!keep(v)) continue;
    const c = v.clips.map((x) => idx.get(x)!);
    const odd = c[v.odd];
    const [p, q] = c.filter((_, k) => k !== v.odd);
    const dpq = mahalanobis(Z, W, p, q);
    ok += Number(dpq < mahalanobis(Z, W, p, odd)) + Number(dpq < mahalanobis(Z, W, q, odd));
    tot += 2;
  }
  return ok / tot;
}

describe('generateSynthetic', () => {
  it('has the documented shape: 160 clips × 30 named features, 60 users, 5000 votes', () => {
    expect(ds.features.X.rows).toBe(160);
    expect(ds.features.names).toEqual(SYNTHETIC_FEATURES);
    expect(SYNTHETIC_FEATURES).toHaveLength(30);
    expect(ds.users.size).toBe(60);
    expect(ds.judgments.layout).toBe('votes');
    expect(ds.judgments.attributeColumns).toEqual([...SYNTHETIC_ATTRIBUTES]);
    expect(votes(ds)).toHaveLength(5000);
    for (const v of votes(ds)) {
      expect(new Set(v.clips).size).toBe(3);
      expect(ds.users.get(v.user!)!.age_group).toBe(v.attrs.age_group);
    }
  });

  it('makes realistic-ish features: correlated where Echo Nest features are, otherwise mostly independent', () => {
    const { X, names } = ds.features;
    const col = (name: string) => Array.from({ length: X.rows }, (_, i) => X.data[i * X.cols + names.indexOf(name)]);
    for (const c of ['C1', 'C7', 'beat_confidence', 'tatum_confidence', 'key_confidence', 'mode_confidence']) {
      for (const v of col(c)) expect(v >= 0 && v <= 1).toBe(true);
    }
    for (const v of col('tempo')) expect(v >= 60 && v <= 210).toBe(true);
    for (const v of col('loudness')) expect(v).toBeLessThan(0);
    // strong correlations exist (latent genre clusters; loudness tied to T1)
    const corr = (a: number[], b: number[]) => {
      const ma = a.reduce((s, x) => s + x, 0) / a.length;
      const mb = b.reduce((s, x) => s + x, 0) / b.length;
      let sab = 0;
      let saa = 0;
      let sbb = 0;
      for (let i = 0; i < a.length; i++) {
        sab += (a[i] - ma) * (b[i] - mb);
        saa += (a[i] - ma) ** 2;
        sbb += (b[i] - mb) ** 2;
      }
      return sab / Math.sqrt(saa * sbb);
    };
    expect(corr(col('T1'), col('loudness'))).toBeGreaterThan(0.5);
    expect(corr(col('beat_confidence'), col('tatum_confidence'))).toBeGreaterThan(0.4);
    // genre clusters and shared block latents leave visible correlations among the timbre features ...
    const timbre: number[] = [];
    for (let a = 0; a < 12; a++) for (let b = a + 1; b < 12; b++) timbre.push(Math.abs(corr(col(`T${a + 1}`), col(`T${b + 1}`))));
    expect(timbre.filter((c) => c > 0.15).length).toBeGreaterThan(5);
    // ... but most of each feature's variance is its own (featureIndependence 0.8), so planted couplings
    // are identifiable: the typical |correlation| among all 435 pairs is small, while
    // featureIndependence 0.05 (almost all variance shared, as before the transfer work) makes it large
    const medianAbsCorr = (f: SyntheticDataset['features']): number => {
      const c = (name: string) => Array.from({ length: f.X.rows }, (_, i) => f.X.data[i * f.X.cols + f.names.indexOf(name)]);
      const all: number[] = [];
      for (let a = 0; a < 30; a++) for (let b = a + 1; b < 30; b++) all.push(Math.abs(corr(c(f.names[a]), c(f.names[b]))));
      return all.sort((x, y) => x - y)[all.length >> 1];
    };
    expect(medianAbsCorr(ds.features)).toBeLessThan(0.12);
    expect(medianAbsCorr(generateSynthetic({ featureIndependence: 0.05 }).features)).toBeGreaterThan(0.2);
    // exactly the values written to the file: 4 decimals
    for (let k = 0; k < 200; k++) expect(Math.round(X.data[k] * 1e4) / 1e4).toBe(X.data[k]);
  });

  it('is fully determined by the seed: same seed → byte-identical files, another seed → different', () => {
    const again = syntheticToFiles(generateSynthetic({ seed: 1 }));
    expect(again.map((f) => f.name)).toEqual(['features.csv', 'votes.csv', 'users.csv', 'truth.json']);
    for (const f of files) expect(file(f.name, again)).toBe(f.text);
    const other = syntheticToFiles(generateSynthetic({ seed: 2 }));
    for (const name of ['features.csv', 'votes.csv', 'users.csv', 'truth.json']) expect(file(name, other)).not.toBe(file(name));
    // string seeds work too, and differ from numeric ones
    expect(file('votes.csv', syntheticToFiles(generateSynthetic({ seed: 'casimir' })))).not.toBe(file('votes.csv'));
  });

  it('uses independent random streams: changing the noise changes only the odd-one-out choices', () => {
    const quiet = generateSynthetic({ noise: 0 });
    expect(file('features.csv', syntheticToFiles(quiet))).toBe(file('features.csv'));
    expect(file('users.csv', syntheticToFiles(quiet))).toBe(file('users.csv'));
    const a = votes(quiet);
    const b = votes(ds);
    let changed = 0;
    for (let k = 0; k < a.length; k++) {
      expect(a[k].clips).toEqual(b[k].clips);
      expect(a[k].user).toBe(b[k].user);
      if (a[k].odd !== b[k].odd) changed++;
    }
    // noise 0.05 re-draws 5% of choices uniformly, 2/3 of those land on another clip (≈ 3.3% of 5000)
    expect(changed / a.length).toBeGreaterThan(0.02);
    expect(changed / a.length).toBeLessThan(0.05);
  });

  it('true metrics are symmetric positive definite; the template is diagonally dominant and emphasises timbre', () => {
    const d = 30;
    for (const W of [ds.template, ...Object.values(ds.trueMetrics)]) {
      expect(isPositiveDefinite(W)).toBe(true);
      expect(() => cholesky(W)).not.toThrow();
    }
    expect(Object.keys(ds.trueMetrics).sort()).toEqual(['<=25', '>25']);
    expect(ds.trueMetrics['<=25']).toBe(ds.template);
    const T = ds.template.data;
    for (let i = 0; i < d; i++) {
      let off = 0;
      for (let j = 0; j < d; j++) if (j !== i) off += Math.abs(T[i * d + j]);
      expect(off).toBeLessThan(T[i * d + i]);
    }
    const minTimbre = Math.min(...Array.from({ length: 12 }, (_, k) => T[k * d + k]));
    const maxOther = Math.max(...Array.from({ length: 18 }, (_, k) => T[(12 + k) * d + 12 + k]));
    expect(minTimbre).toBeGreaterThan(maxOther);
  });

  it("the planted group's metric differs from the template exactly at the planted pairs", () => {
    const d = 30;
    const P = ds.trueMetrics['>25'].data;
    const T = ds.template.data;
    expect(ds.planted).toHaveLength(SYNTHETIC_DEFAULTS.plantedPairs.length);
    const expected = new Map<number, number>();
    for (const p of ds.planted) {
      const i = SYNTHETIC_FEATURES.indexOf(p.i);
      const j = SYNTHETIC_FEATURES.indexOf(p.j);
      expect(Math.abs(p.delta)).toBeGreaterThan(0.3);
      expect(p.delta).toBeCloseTo(SYNTHETIC_DEFAULTS.couplingStrength * Math.sqrt(T[i * d + i] * T[j * d + j]), 12);
      expected.set(i * d + j, p.delta);
      expected.set(j * d + i, p.delta);
    }
    // poster: timbre coupled with beat, chroma and tatum confidence
    const partners = ds.planted.map((p) => p.j);
    expect(partners).toEqual(expect.arrayContaining(['beat_confidence', 'tatum_confidence']));
    expect(partners.some((n) => /^C\d+$/.test(n))).toBe(true);
    for (let k = 0; k < d * d; k++) {
      const delta = expected.get(k);
      if (delta === undefined) expect(P[k]).toBe(T[k]);
      else expect(P[k] - T[k]).toBeCloseTo(delta, 14);
    }
    // the other planted group option swaps roles
    const swapped = generateSynthetic({ plantedGroup: '<=25' });
    expect(swapped.trueMetrics['>25']).toBe(swapped.template);
    expect(swapped.trueMetrics['<=25'].data).not.toEqual(swapped.template.data);
  });

  it('splits the votes between groups near the requested shares', () => {
    const share = (d: SyntheticDataset, g: string) => votes(d).filter((v) => v.attrs.age_group === g).length / votes(d).length;
    expect(Math.abs(share(ds, '>25') - 0.25)).toBeLessThan(0.03);
    expect(ds.stats.votesPerGroup['>25'] + ds.stats.votesPerGroup['<=25']).toBe(5000);
    const half = generateSynthetic({ plantedShare: 0.5, seed: 7 });
    expect(Math.abs(share(half, '>25') - 0.5)).toBeLessThan(0.03);
    // users too: round(60 · 0.25) = 15 of them are > 25
    expect([...ds.users.values()].filter((a) => a.age_group === '>25')).toHaveLength(15);
  });

  it('with noise = 0 every vote agrees with its own group’s true metric (and not always with the other’s)', () => {
    const quiet = generateSynthetic({ noise: 0 });
    for (const g of ['<=25', '>25']) {
      expect(fulfilment(quiet, quiet.trueMetrics[g], (v) => v.attrs.age_group === g)).toBe(1);
    }
    expect(fulfilment(quiet, quiet.template, (v) => v.attrs.age_group === '>25')).toBeLessThan(0.97);
    expect(quiet.stats.contradictedTriplets).toBeGreaterThan(0); // the groups disagree on some triplets
    expect(quiet.stats.plantedFlipShare).toBeGreaterThan(0.05);
  });

  it('repeats triplets and has contradicting votes at the default noise', () => {
    const byTriplet = new Map<string, Set<string>>();
    const count = new Map<string, number>();
    for (const v of votes(ds)) {
      const key = [...v.clips].sort().join('|');
      if (!byTriplet.has(key)) byTriplet.set(key, new Set());
      byTriplet.get(key)!.add(v.clips[v.odd]);
      count.set(key, (count.get(key) ?? 0) + 1);
    }
    expect(byTriplet.size).toBe(ds.stats.tripletsVoted);
    expect(byTriplet.size).toBeLessThanOrEqual(SYNTHETIC_DEFAULTS.triplets);
    expect(Math.max(...count.values())).toBeGreaterThanOrEqual(5);
    const contradicted = [...byTriplet.values()].filter((s) => s.size > 1).length;
    expect(contradicted).toBe(ds.stats.contradictedTriplets);
    expect(contradicted).toBeGreaterThan(100);
  });

  it('plants a difference a learner can find: each group is best fitted by its own true metric', () => {
    const isOld = (v: OddOneOutVote) => v.attrs.age_group === '>25';
    const isYoung = (v: OddOneOutVote) => v.attrs.age_group === '<=25';
    const planted = ds.trueMetrics['>25'];
    expect(fulfilment(ds, planted, isOld)).toBeGreaterThan(fulfilment(ds, ds.template, isOld) + 0.02);
    expect(fulfilment(ds, ds.template, isYoung)).toBeGreaterThan(fulfilment(ds, planted, isYoung) + 0.02);
    // and the template beats Euclidean clearly
    expect(fulfilment(ds, ds.template, isYoung)).toBeGreaterThan(fulfilment(ds, identity(30), isYoung) + 0.05);
  });

  it('rejects bad options with messages naming the option', () => {
    expect(() => generateSynthetic({ noise: 2 })).toThrow(/option "noise" must be in \[0, 1\], got 2/);
    expect(() => generateSynthetic({ clips: 3 })).toThrow(/option "clips"/);
    expect(() => generateSynthetic({ triplets: 10 ** 9 })).toThrow(/option "triplets"/);
    expect(() => generateSynthetic({ plantedGroup: 'old' as never })).toThrow(/option "plantedGroup" must be one of <=25, >25/);
    expect(() => generateSynthetic({ plantedPairs: [{ i: 'T1', j: 'nope', sign: 1 }] })).toThrow(/plantedPairs.*"nope"/);
    expect(() => generateSynthetic({ bogus: 1 } as never)).toThrow(/unknown option "bogus"/);
    expect(() => generateSynthetic({ featureIndependence: 0 })).toThrow(/option "featureIndependence" must be in \(0, 1\], got 0/);
    expect(() => generateSynthetic({ templateWeights: { timbreLead: 4, timbreRest: 1, chroma: -1, other: 1 } })).toThrow(/option "templateWeights"/);
    expect(() => generateSynthetic({ couplingStrength: 0.97 })).toThrow(/metric of group >25 is not positive definite.*lower couplingStrength/);
  });
});

describe('syntheticToFiles', () => {
  it('writes the FORMATS.md layouts, and the project parsers read them back exactly', () => {
    expect(file('votes.csv').split('\n')[0]).toBe('a,b,c,odd,user');
    expect(file('users.csv').split('\n')[0]).toBe('user,age_group,gender,occupation,language,location');
    const fs = parseFeatures(file('features.csv'), 'features.csv');
    expect(fs.ids).toEqual(ds.features.ids);
    expect(fs.names).toEqual(ds.features.names);
    expect(Array.from(fs.X.data)).toEqual(Array.from(ds.features.X.data));
    const js = parseJudgments(file('votes.csv'), 'votes.csv', { knownIds: fs.ids });
    const users = parseUsers(file('users.csv'), 'users.csv');
    expect(users).toEqual(ds.users);
    const joined = joinUsers(js, users, 'users.csv');
    expect(joined.join.matched).toBe(5000);
    expect(joined.join.unmatched).toBe(0);
    expect([...joined.attributeColumns].sort()).toEqual([...SYNTHETIC_ATTRIBUTES].sort());
    expect(joined.judgments).toHaveLength(5000);
    joined.judgments.forEach((j, k) => {
      const want = votes(ds)[k];
      expect(j.kind).toBe('vote');
      const v = j as OddOneOutVote;
      expect(v.clips).toEqual(want.clips);
      expect(v.odd).toBe(want.odd);
      expect(v.user).toBe(want.user);
      expect(v.attrs).toEqual(want.attrs);
      expect(v.line).toBe(want.line);
    });
    // some answers are missing in users.csv, as in real surveys (never the age group)
    expect([...users.values()].some((a) => a.occupation === undefined || a.location === undefined)).toBe(true);
    expect([...users.values()].every((a) => a.age_group !== undefined)).toBe(true);
  });

  it('truth.json holds the template, the per-group metrics, the planted pairs and the options', () => {
    const t = JSON.parse(file('truth.json'));
    expect(t.seed).toBe(1);
    expect(t.options.noise).toBe(0.05);
    expect(t.options.featureIndependence).toBe(0.8);
    expect(t.options.templateWeights).toEqual(SYNTHETIC_DEFAULTS.templateWeights);
    expect(t.featureNames).toEqual(SYNTHETIC_FEATURES);
    expect(t.template.flat()).toEqual(Array.from(ds.template.data));
    expect(t.trueMetrics['>25'].flat()).toEqual(Array.from(ds.trueMetrics['>25'].data));
    expect(t.planted).toEqual(ds.planted);
    expect(t.plantedGroup).toBe('>25');
    expect(t.featureSpace).toMatch(/population sd/);
  });
});

describe('bundled demo data (public/data/synthetic)', () => {
  it('is exactly what the generator makes with seed 1 and the defaults (regenerate with scripts/generate-synthetic.ts)', () => {
    const dir = resolve(__dirname, '../../public/data/synthetic');
    for (const f of files) expect(readFileSync(resolve(dir, f.name), 'utf8'), f.name).toBe(f.text);
    const source = readFileSync(resolve(dir, 'SOURCE.md'), 'utf8');
    expect(source).toMatch(/Synthetic, not real listeners/);
    expect(source).toMatch(/npx tsx scripts\/generate-synthetic\.ts --seed 1/);
  });
});
