/** The poster-like demo set (POSTER_PRESET, public/data/poster): the poster's sizes and Euclidean difficulty. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { groupSummary, splitGroup, toConstraints, TripletRegistry } from './constraints';
import { identity } from './matrix';
import { preprocess } from './preprocess';
import { fulfilment } from './score';
import { generateSynthetic, POSTER_PRESET, POSTER_TARGETS, SYNTHETIC_DEFAULTS, syntheticToFiles } from './synthetic';

const ds = generateSynthetic(POSTER_PRESET);
const rows = groupSummary(ds.judgments, ds.features.ids, 'age_group');
const row = (g: string) => rows.find((r) => r.group === g)!;

describe('POSTER_PRESET', () => {
  it('has 170–180 clips and the poster’s ratings per stated age group (no-age votes in neither group)', () => {
    expect(ds.features.X.rows).toBeGreaterThanOrEqual(170);
    expect(ds.features.X.rows).toBeLessThanOrEqual(180);
    expect(ds.stats.votesPerGroup).toEqual({ '<=25': 919, '>25': 1183, noAge: 644 });
    expect(rows.map((r) => r.group)).toEqual(['<=25', '>25', 'all']);
    for (const g of ['<=25', '>25'] as const) {
      expect(row(g).votes).toBe(POSTER_TARGETS[g].ratings);
      expect(row(g).complement.votes).toBe(POSTER_TARGETS[g].complementRatings);
    }
    expect(row('<=25').votes + row('>25').votes).toBe(2102);
    // no-age users: empty age_group in users.csv
    expect([...ds.users.values()].filter((a) => a.age_group === undefined).length).toBe(16);
  });

  it('has constraint counts per group and complement within ±10 % of the poster’s', () => {
    for (const g of ['<=25', '>25'] as const) {
      expect(Math.abs(row(g).constraints / POSTER_TARGETS[g].constraints - 1)).toBeLessThan(0.1);
      expect(Math.abs(row(g).complement.constraints / POSTER_TARGETS[g].complementConstraints - 1)).toBeLessThan(0.1);
    }
  });

  it('is as hard as the poster’s data: Euclidean fulfils 57–62 % of each group’s constraints', () => {
    const X = preprocess(ds.features, { standardise: true }).features.X;
    for (const g of ['<=25', '>25']) {
      const { constraints } = toConstraints(splitGroup(ds.judgments, 'age_group', g).group, ds.features.ids, new TripletRegistry());
      const eu = fulfilment(X, identity(X.cols), constraints);
      expect(eu).toBeGreaterThan(0.57);
      expect(eu).toBeLessThan(0.62);
    }
  });

  it('is the bundled public/data/poster set, and leaves the generator defaults alone', () => {
    for (const f of syntheticToFiles(ds)) expect(readFileSync(resolve('public/data/poster', f.name), 'utf8')).toBe(f.text);
    expect(Object.keys(SYNTHETIC_DEFAULTS)).not.toContain('votesPerGroup');
    expect(JSON.parse(readFileSync(resolve('public/data/synthetic/truth.json'), 'utf8')).options).not.toHaveProperty('tripletSkew');
  });

  it('checks the new options', () => {
    expect(() => generateSynthetic({ ...POSTER_PRESET, votes: 2000 })).toThrow(/option "votesPerGroup" must be .* summing to votes \(2000\)/);
    expect(() => generateSynthetic({ ...POSTER_PRESET, noAgeShare: 0 })).toThrow(/noAge = 0 unless noAgeShare > 0/);
    expect(() => generateSynthetic({ tripletSkew: -1 })).toThrow(/option "tripletSkew" must be in \[0, 4\]/);
  });
});
