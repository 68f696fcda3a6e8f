import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { groupSummary, groupValues, splitGroup, toConstraints, TripletRegistry, type ConversionReport } from './constraints';
import { parseFeatures } from './parse/features';
import { parseJudgments } from './parse/judgments';
import type { ConstraintSet, Judgment, JudgmentSet, OddOneOutVote, RelativeJudgment } from './types';

const data = (name: string) => readFileSync(fileURLToPath(new URL(`../../public/data/timbre/${name}`, import.meta.url)), 'utf8');

const ids = ['A', 'B', 'C', 'D', 'E'];
let line = 1;
const vote = (clips: [string, string, string], odd: 0 | 1 | 2, count = 1, attrs: Record<string, string> = {}): OddOneOutVote => ({
  kind: 'vote',
  clips,
  odd,
  count,
  attrs,
  line: ++line,
});
const rel = (anchor: string, near: string, far: string, weight = 1, attrs: Record<string, string> = {}): RelativeJudgment => ({
  kind: 'relative',
  anchor,
  near,
  far,
  weight,
  attrs,
  line: ++line,
});

/** constraints as readable tuples [anchor, near, far, weight] */
const tuples = (c: ConstraintSet) => Array.from({ length: c.count }, (_, r) => [ids[c.a[r]], ids[c.n[r]], ids[c.f[r]], c.weight[r]]);

describe('toConstraints', () => {
  it('turns a vote (A,B,C) with odd B into (A; near C, far B) and (C; near A, far B) weighted by its count (METHOD.md §1)', () => {
    const { constraints, report } = toConstraints([vote(['A', 'B', 'C'], 1, 3)], ids, new TripletRegistry());
    expect(tuples(constraints)).toEqual([
      ['A', 'C', 'B', 3],
      ['C', 'A', 'B', 3],
    ]);
    expect(Array.from(constraints.triplet)).toEqual([0, 0]);
    expect(report).toEqual<ConversionReport>({
      votes: 3,
      judgments: 1,
      constraintsRaw: 2,
      constraintsBefore: 2,
      constraintsAfter: 2,
      contradictionsResolved: 0,
      tiesDropped: 0,
      clips: 3,
      triplets: 1,
    });
  });

  it('aggregates identical constraints by summing weights (clip order within the vote does not matter)', () => {
    const { constraints, report } = toConstraints([vote(['A', 'B', 'C'], 1, 2), vote(['C', 'B', 'A'], 1, 1)], ids, new TripletRegistry());
    expect(tuples(constraints)).toEqual([
      ['A', 'C', 'B', 3],
      ['C', 'A', 'B', 3],
    ]);
    expect(report.constraintsRaw).toBe(4);
    expect(report.constraintsBefore).toBe(2);
    expect(report.votes).toBe(3);
  });

  it('resolves contradictions by majority and counts them before/after; margin keeps the difference', () => {
    // 3 votes odd B, 1 vote odd C: anchor A sees (near C, far B) ×3 against (near B, far C) ×1
    const js = [vote(['A', 'B', 'C'], 1, 3), vote(['A', 'B', 'C'], 2, 1)];
    const maj = toConstraints(js, ids, new TripletRegistry());
    expect(tuples(maj.constraints)).toEqual([
      ['A', 'C', 'B', 3],
      ['B', 'A', 'C', 1],
      ['C', 'A', 'B', 3],
    ]);
    expect(maj.report).toMatchObject({ votes: 4, constraintsRaw: 4, constraintsBefore: 4, constraintsAfter: 3, contradictionsResolved: 1, tiesDropped: 0 });
    const mar = toConstraints(js, ids, new TripletRegistry(), { contradictionWeight: 'margin' });
    expect(tuples(mar.constraints)).toEqual([
      ['A', 'C', 'B', 2],
      ['B', 'A', 'C', 1],
      ['C', 'A', 'B', 3],
    ]);
    expect(mar.report.contradictionsResolved).toBe(1);
  });

  it('drops ties; three different odd choices on one triplet leave nothing', () => {
    const tie = toConstraints([vote(['A', 'B', 'C'], 1), vote(['A', 'B', 'C'], 2)], ids, new TripletRegistry());
    expect(tuples(tie.constraints)).toEqual([
      ['B', 'A', 'C', 1],
      ['C', 'A', 'B', 1],
    ]);
    expect(tie.report).toMatchObject({ constraintsBefore: 4, constraintsAfter: 2, tiesDropped: 1, contradictionsResolved: 0 });
    const all = toConstraints([vote(['A', 'B', 'C'], 0), vote(['A', 'B', 'C'], 1), vote(['C', 'A', 'B'], 0)], ids, new TripletRegistry());
    expect(all.constraints.count).toBe(0);
    expect(all.report).toMatchObject({ votes: 3, constraintsRaw: 6, constraintsBefore: 6, constraintsAfter: 0, tiesDropped: 3, clips: 0, triplets: 0 });
  });

  it('aggregates and filters relative judgments the same way (float weights, tolerance for ties)', () => {
    const r = toConstraints([rel('A', 'B', 'C', 0.5), rel('A', 'B', 'C', 0.5), rel('A', 'C', 'B', 0.3), rel('D', 'E', 'A', 0.1)], ids, new TripletRegistry());
    expect(tuples(r.constraints)).toEqual([
      ['A', 'B', 'C', 1],
      ['D', 'E', 'A', 0.1],
    ]);
    expect(r.report).toMatchObject({
      votes: 4,
      judgments: 4,
      constraintsRaw: 4,
      constraintsBefore: 3,
      constraintsAfter: 2,
      contradictionsResolved: 1,
      clips: 5,
      triplets: 2,
    });
    const m = toConstraints([rel('A', 'B', 'C', 0.5), rel('A', 'B', 'C', 0.5), rel('A', 'C', 'B', 0.3)], ids, new TripletRegistry(), {
      contradictionWeight: 'margin',
    });
    expect(m.constraints.weight[0]).toBeCloseTo(0.7, 15);
    // 0.1 + 0.2 vs 0.3 differ only by rounding: a tie
    const t = toConstraints([rel('A', 'B', 'C', 0.1), rel('A', 'B', 'C', 0.2), rel('A', 'C', 'B', 0.3)], ids, new TripletRegistry());
    expect(t.report.tiesDropped).toBe(1);
    expect(t.constraints.count).toBe(0);
  });

  it('skips zero-count votes but counts the record', () => {
    const r = toConstraints([vote(['A', 'B', 'C'], 1, 0)], ids, new TripletRegistry());
    expect(r.constraints.count).toBe(0);
    expect(r.report).toMatchObject({ votes: 0, judgments: 1, constraintsRaw: 0 });
  });

  it('shares triplet ids through the registry and sorts by triplet, anchor, near, far', () => {
    const reg = new TripletRegistry();
    const g = toConstraints([vote(['C', 'D', 'E'], 2), vote(['A', 'B', 'C'], 0)], ids, reg, { file: 'g.csv' });
    // {C,D,E} seen first → id 0
    expect(Array.from(g.constraints.triplet)).toEqual([0, 0, 1, 1]);
    expect(tuples(g.constraints)).toEqual([
      ['C', 'D', 'E', 1],
      ['D', 'C', 'E', 1],
      ['B', 'C', 'A', 1],
      ['C', 'B', 'A', 1],
    ]);
    const comp = toConstraints([rel('B', 'A', 'D'), vote(['B', 'C', 'A'], 1)], ids, reg);
    expect(Array.from(comp.constraints.triplet)).toEqual([1, 1, 2]);
    expect(reg.size).toBe(3);
    expect(reg.find(2, 1, 0)).toBe(1);
    expect(reg.find(0, 1, 4)).toBeUndefined();
    expect(reg.clips(2)).toEqual([0, 1, 3]);
    expect(() => toConstraints([vote(['A', 'B', 'C'], 0)], ['A', 'B', 'C'], reg)).toThrow(/used with 3 clips but registered triplets over 5 clips/);
  });

  it('rejects clips missing from the features with file and line', () => {
    line = 10;
    expect(() => toConstraints([vote(['A', 'B', 'C'], 0), vote(['A', 'Z', 'C'], 0)], ids, new TripletRegistry(), { file: 'votes.csv' })).toThrow(
      /votes\.csv, line 12: clip 2 "Z" is not in the features file/,
    );
    expect(() => toConstraints([rel('A', 'B', 'B')], ids, new TripletRegistry())).toThrow(/judgments, line \d+: \(A, B, B\) repeats a clip/);
    expect(() => toConstraints([rel('A', 'B', 'C', -1)], ids, new TripletRegistry())).toThrow(/weight -1 is not positive/);
  });

  it('matches a naive reference on random votes and is independent of the input order', () => {
    const clipArb = fc.constantFrom(...ids);
    const voteArb = fc
      .tuple(fc.uniqueArray(clipArb, { minLength: 3, maxLength: 3 }), fc.constantFrom<0 | 1 | 2>(0, 1, 2), fc.integer({ min: 0, max: 3 }))
      .map(([c, o, n]) => vote(c as [string, string, string], o, n));
    fc.assert(
      fc.property(fc.array(voteArb, { maxLength: 40 }), fc.constantFrom<'majority' | 'margin'>('majority', 'margin'), (votes, mode) => {
        // naive: "a|n|f" → summed weight
        const w = new Map<string, number>();
        let raw = 0;
        for (const v of votes) {
          if (v.count === 0) continue;
          const [p, q] = v.clips.filter((_, k) => k !== v.odd);
          const o = v.clips[v.odd];
          for (const key of [`${p}|${q}|${o}`, `${q}|${p}|${o}`]) w.set(key, (w.get(key) ?? 0) + v.count);
          raw += 2;
        }
        const expected = new Set<string>();
        let ties = 0;
        let resolved = 0;
        for (const [key, wt] of w) {
          const [a, n, f] = key.split('|');
          const other = w.get(`${a}|${f}|${n}`) ?? 0;
          if (other === wt) {
            if (key < `${a}|${f}|${n}`) ties++;
          } else if (wt > other) {
            if (other > 0) resolved++;
            expected.add(`${key}|${mode === 'margin' ? wt - other : wt}`);
          }
        }
        const got = toConstraints(votes, ids, new TripletRegistry(), { contradictionWeight: mode });
        const gotSet = new Set(tuples(got.constraints).map((t) => t.join('|')));
        expect(gotSet).toEqual(expected);
        expect(got.report).toMatchObject({
          constraintsRaw: raw,
          constraintsBefore: w.size,
          constraintsAfter: expected.size,
          tiesDropped: ties,
          contradictionsResolved: resolved,
        });
        // deterministic sort
        const c = got.constraints;
        for (let r = 1; r < c.count; r++) {
          expect(c.triplet[r] > c.triplet[r - 1] || (c.triplet[r] === c.triplet[r - 1] && c.a[r] > c.a[r - 1])).toBe(true);
        }
        // reversed input: the same constraints
        const rev = toConstraints([...votes].reverse(), ids, new TripletRegistry(), { contradictionWeight: mode });
        expect(new Set(tuples(rev.constraints).map((t) => t.join('|')))).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });
});

describe('groups', () => {
  const js: JudgmentSet = {
    layout: 'votes',
    attributeColumns: ['age', 'gender'],
    source: 'votes.csv',
    judgments: [
      vote(['A', 'B', 'C'], 1, 1, { age: '10', gender: 'f' }),
      vote(['A', 'B', 'D'], 0, 1, { age: '2', gender: 'm' }),
      vote(['B', 'C', 'D'], 2, 1, { age: '10' }),
      vote(['C', 'D', 'E'], 1, 1, {}),
      vote(['A', 'B', 'C'], 1, 1, { age: '2' }),
    ],
  };

  it('lists sorted attribute values (numbers numerically) and rejects non-attributes', () => {
    expect(groupValues(js, 'age')).toEqual(['2', '10']);
    expect(groupValues(js, 'gender')).toEqual(['f', 'm']);
    expect(() => groupValues(js, 'language')).toThrow(
      /votes\.csv, column "language": "language" is not an attribute column \(expected one of "age", "gender"\)/,
    );
    expect(() => splitGroup(js, 'language', 'x')).toThrow(/not an attribute column/);
  });

  it('splits into group and complement that partition the votes (unannotated votes are in every complement)', () => {
    for (const column of ['age', 'gender']) {
      for (const value of groupValues(js, column)) {
        const { group, complement } = splitGroup(js, column, value);
        expect(group.length + complement.length).toBe(js.judgments.length);
        const both = new Set<Judgment>([...group, ...complement]);
        expect(both.size).toBe(js.judgments.length);
        expect(group.every((j) => j.attrs[column] === value)).toBe(true);
        expect(complement.every((j) => j.attrs[column] !== value)).toBe(true);
        expect(complement).toContain(js.judgments[3]);
      }
    }
  });

  it('summarises votes, constraints and clips per group and complement, plus all data', () => {
    const rows = groupSummary(js, ids, 'age');
    expect(rows.map((r) => r.group)).toEqual(['2', '10', 'all']);
    expect(rows[0]).toEqual({ group: '2', votes: 2, constraints: 4, clips: 4, complement: { votes: 3, constraints: 6, clips: 5 } });
    expect(rows[1]).toEqual({ group: '10', votes: 2, constraints: 4, clips: 4, complement: { votes: 3, constraints: 6, clips: 5 } });
    expect(rows[2]).toEqual({ group: 'all', votes: 5, constraints: 8, clips: 5, complement: { votes: 0, constraints: 0, clips: 0 } });
    for (const r of rows.slice(0, -1)) expect(r.votes + r.complement.votes).toBe(5);
  });
});

describe('bundled timbre constraints', () => {
  it('converts constraints.csv: 25,962 constraints, no contradictions, 17 groups that partition the data', () => {
    const features = parseFeatures(data('features_spectrum.csv'), 'features_spectrum.csv');
    const js = parseJudgments(data('constraints.csv'), 'constraints.csv', { knownIds: features.ids });
    const reg = new TripletRegistry();
    const t0 = performance.now();
    const { constraints, report } = toConstraints(js.judgments, features.ids, reg);
    const ms = performance.now() - t0;
    expect(report).toMatchObject({
      votes: 25962,
      judgments: 25962,
      constraintsRaw: 25962,
      constraintsBefore: 25962,
      constraintsAfter: 25962,
      contradictionsResolved: 0,
      tiesDropped: 0,
      clips: 257,
    });
    expect(constraints.count).toBe(25962);
    expect(ms).toBeLessThan(500);
    const values = groupValues(js, 'group');
    expect(values).toHaveLength(17);
    expect(values[0]).toBe('Barthet2010');
    // groups and complements partition; triplet ids are shared with the all-data conversion
    let total = 0;
    for (const v of values) {
      const { group, complement } = splitGroup(js, 'group', v);
      expect(group.length + complement.length).toBe(25962);
      const g = toConstraints(group, features.ids, reg);
      total += g.constraints.count;
      for (let r = 0; r < g.constraints.count; r++) {
        const [x, y, z] = reg.clips(g.constraints.triplet[r]);
        const c = [g.constraints.a[r], g.constraints.n[r], g.constraints.f[r]].sort((p, q) => p - q);
        expect(c).toEqual([x, y, z]);
      }
    }
    expect(total).toBe(25962);
    expect(reg.size).toBe(report.triplets);
    const rows = groupSummary(js, features.ids, 'group');
    expect(rows).toHaveLength(18);
    expect(rows.slice(0, 17).reduce((s, r) => s + r.clips, 0)).toBe(257);
    expect(rows[17]).toMatchObject({ group: 'all', votes: 25962, constraints: 25962, clips: 257 });
    for (const r of rows.slice(0, 17)) {
      expect(r.constraints + r.complement.constraints).toBe(25962);
      expect(r.clips + r.complement.clips).toBe(257);
    }
  });
});
