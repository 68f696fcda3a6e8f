import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { OddOneOutVote, RelativeJudgment } from '../types';
import { parseFeatures } from './features';
import { parseJudgments } from './judgments';

const data = (name: string) => readFileSync(fileURLToPath(new URL(`../../../public/data/timbre/${name}`, import.meta.url)), 'utf8');

describe('parseJudgments: counts layout', () => {
  const text = 'clip1_id,clip2_id,clip3_id,clip1_numvotes,clip2_numvotes,clip3_numvotes,clip1_mp3_path\r\n' + '1,2,3,0,2,1,x.mp3\r\n' + '4,5,6,0,0,0,y.mp3\r\n';
  it('expands a row into one vote per clip with a non-zero count', () => {
    const js = parseJudgments(text, 'cmp.csv');
    expect(js.layout).toBe('counts');
    expect(js.attributeColumns).toEqual([]);
    expect(js.judgments).toHaveLength(2);
    const [v1, v2] = js.judgments as OddOneOutVote[];
    expect(v1).toMatchObject({ kind: 'vote', clips: ['1', '2', '3'], odd: 1, count: 2, line: 2 });
    expect(v2).toMatchObject({ kind: 'vote', clips: ['1', '2', '3'], odd: 2, count: 1, line: 2 });
  });
  it('rejects negative, non-integer and non-numeric counts', () => {
    const h = 'clip1_id,clip2_id,clip3_id,clip1_numvotes,clip2_numvotes,clip3_numvotes\n';
    expect(() => parseJudgments(h + '1,2,3,0,1,0\n1,2,3,-1,0,0\n', 'c.csv')).toThrow(/c\.csv, line 3, column "clip1_numvotes": vote count -1 is negative/);
    expect(() => parseJudgments(h + '1,2,3,0,1.5,0\n', 'c.csv')).toThrow(/c\.csv, line 2, column "clip2_numvotes": vote count 1\.5 is not an integer/);
    expect(() => parseJudgments(h + '1,2,3,0,1,many\n', 'c.csv')).toThrow(
      /c\.csv, line 2, column "clip3_numvotes": "many" is not a number \(expected a non-negative integer vote count\)/,
    );
  });
  it('rejects a triplet with a repeated clip', () => {
    const h = 'clip1_id,clip2_id,clip3_id,clip1_numvotes,clip2_numvotes,clip3_numvotes\n';
    expect(() => parseJudgments(h + '1,2,1,0,1,0\n', 'c.csv')).toThrow(/c\.csv, line 2, column "clip3_id": clip "1" is repeated \(also in column "clip1_id"\)/);
  });
});

describe('parseJudgments: votes layout', () => {
  it('reads votes with user and attributes; empty attribute cells mean not annotated', () => {
    const js = parseJudgments('a\tb\tc\todd\tuser\tage_group\tgender\nx\ty\tz\ty\tu1\t<=25\tf\nx\ty\tw\tx\t\t\tm\n', 'v.tsv');
    expect(js.layout).toBe('votes');
    expect(js.attributeColumns).toEqual(['age_group', 'gender']);
    const [v1, v2] = js.judgments as OddOneOutVote[];
    expect(v1).toEqual({ kind: 'vote', clips: ['x', 'y', 'z'], odd: 1, count: 1, user: 'u1', attrs: { age_group: '<=25', gender: 'f' }, line: 2 });
    expect(v2.user).toBeUndefined();
    expect(v2.attrs).toEqual({ gender: 'm' });
    expect(v2.odd).toBe(0);
  });
  it('rejects an odd that is not one of the three clips', () => {
    expect(() => parseJudgments('a,b,c,odd\nx,y,z,y\nx,y,z,q\n', 'votes.csv')).toThrow(
      /votes\.csv, line 3, column "odd": odd-one-out "q" is not one of the three clips \(expected one of "x", "y", "z"\)/,
    );
  });
  it('rejects a repeated clip', () => {
    expect(() => parseJudgments('a,b,c,odd\nx,y,y,x\n', 'votes.csv')).toThrow(/votes\.csv, line 2, column "c": clip "y" is repeated/);
  });
  it('rejects ids that are not in knownIds (array or set)', () => {
    const text = 'a,b,c,odd\nx,y,z,x\nx,y,nope,x\n';
    expect(() => parseJudgments(text, 'votes.csv', { knownIds: ['x', 'y', 'z'] })).toThrow(
      /votes\.csv, line 3, column "c": clip "nope" is not in the features file/,
    );
    expect(() => parseJudgments(text, 'votes.csv', { knownIds: new Set(['x', 'y', 'z']) })).toThrow(/line 3, column "c"/);
    expect(parseJudgments(text, 'votes.csv').judgments).toHaveLength(2);
  });
  it('rejects rows with the wrong number of cells', () => {
    expect(() => parseJudgments('a,b,c,odd,user\nx,y,z,x\n', 'votes.csv')).toThrow(/votes\.csv, line 2, column "user": row has 4 cells, too few/);
  });
});

describe('parseJudgments: relative layout', () => {
  it('reads anchor/near/far, weight (default 1) and group; ignores unnamed extra columns', () => {
    const js = parseJudgments('anchor,near,far,votes_near,group\nx,y,z,3,g1\nx,z,w,1,\n', 'rel.csv');
    expect(js.layout).toBe('relative');
    expect(js.attributeColumns).toEqual(['group']);
    const [r1, r2] = js.judgments as RelativeJudgment[];
    expect(r1).toEqual({ kind: 'relative', anchor: 'x', near: 'y', far: 'z', weight: 1, attrs: { group: 'g1' }, line: 2 });
    expect(r2.attrs).toEqual({});
    const named = parseJudgments('anchor,near,far,votes_near,weight\nx,y,z,3,0.25\n', 'rel.csv', { attributes: ['votes_near'] });
    expect(named.attributeColumns).toEqual(['votes_near']);
    expect(named.judgments[0]).toMatchObject({ weight: 0.25, attrs: { votes_near: '3' } });
    expect(() => parseJudgments('anchor,near,far\nx,y,z\n', 'rel.csv', { attributes: ['age'] })).toThrow(
      /rel\.csv, line 1, column "age": attribute column "age" is not in the header/,
    );
  });
  it('rejects non-positive and non-numeric weights', () => {
    const h = 'anchor,near,far,weight\n';
    expect(() => parseJudgments(h + 'x,y,z,1\nx,y,z,0\n', 'rel.csv')).toThrow(/rel\.csv, line 3, column "weight": weight 0 is not positive/);
    expect(() => parseJudgments(h + 'x,y,z,-2\n', 'rel.csv')).toThrow(/rel\.csv, line 2, column "weight": weight -2 is not positive/);
    expect(() => parseJudgments(h + 'x,y,z,heavy\n', 'rel.csv')).toThrow(/rel\.csv, line 2, column "weight": "heavy" is not a number/);
    expect(() => parseJudgments(h + 'x,y,z,\n', 'rel.csv')).toThrow(/rel\.csv, line 2, column "weight": empty cell/);
  });
  it('rejects an anchor equal to near or far, and near equal to far', () => {
    const h = 'anchor,near,far\n';
    expect(() => parseJudgments(h + 'x,x,z\n', 'rel.csv')).toThrow(/rel\.csv, line 2, column "near": anchor "x" is also the near clip/);
    expect(() => parseJudgments(h + 'x,y,z\n\nx,y,x\n', 'rel.csv')).toThrow(/rel\.csv, line 4, column "far": anchor "x" is also the far clip/);
    expect(() => parseJudgments(h + 'x,y,y\n', 'rel.csv')).toThrow(/rel\.csv, line 2, column "far": far clip "y" is also the near clip/);
  });
  it('rejects ids not in knownIds', () => {
    expect(() => parseJudgments('anchor,near,far\nx,y,q\n', 'rel.csv', { knownIds: ['x', 'y', 'z'] })).toThrow(
      /rel\.csv, line 2, column "far": clip "q" is not in the features file/,
    );
  });
});

describe('parseJudgments: header and file errors', () => {
  it('rejects an unknown header and says which headers are accepted', () => {
    expect(() => parseJudgments('foo,bar\n1,2\n', 'j.csv')).toThrow(
      /j\.csv, line 1: unrecognised judgments header "foo,bar" \(expected one of the headers .*clip1_id.*a,b,c,odd.*anchor,near,far/,
    );
    expect(() => parseJudgments('anchor,near,weight\n1,2,3\n', 'j.csv')).toThrow(/looks like the relative layout but lacks column "far"/);
  });
  it('rejects an empty file and a file without data rows', () => {
    expect(() => parseJudgments('', 'j.csv')).toThrow(/^j\.csv, line 1: the file is empty/);
    // every cell empty: was 'line 0: unrecognised judgments header ""'
    expect(() => parseJudgments('\n,\n', 'j.csv')).toThrow(/^j\.csv, line 2: every cell of the file is empty/);
    expect(() => parseJudgments('a,b,c,odd\r\n\r\n', 'j.csv')).toThrow(/j\.csv, line 2: no data rows/);
  });
  it('rejects duplicate column names', () => {
    expect(() => parseJudgments('a,b,c,odd,A\nx,y,z,x,1\n', 'j.csv')).toThrow(/j\.csv, line 1, column "A": duplicate column name/);
  });
});

describe('bundled timbre constraints', () => {
  it('parses constraints.csv: 25,962 relative judgments in 17 groups, ids known to the features', () => {
    const features = parseFeatures(data('features_spectrum.csv'), 'features_spectrum.csv');
    const text = data('constraints.csv');
    parseJudgments(text, 'warm-up', { knownIds: features.ids });
    const t0 = performance.now();
    const js = parseJudgments(text, 'constraints.csv', { knownIds: features.ids });
    const ms = performance.now() - t0;
    expect(js.layout).toBe('relative');
    expect(js.judgments).toHaveLength(25962);
    expect(js.attributeColumns).toEqual(['group']);
    const groups = new Set(js.judgments.map((j) => j.attrs.group));
    expect(groups.size).toBe(17);
    expect(js.judgments[0]).toEqual({
      kind: 'relative',
      anchor: 'Barthet2010_00',
      near: 'Barthet2010_01',
      far: 'Barthet2010_02',
      weight: 0.145879,
      attrs: { group: 'Barthet2010' },
      line: 2,
    });
    expect(js.judgments[25961].line).toBe(25963);
    expect(ms).toBeLessThan(500);
  });
});

describe('vote clips named clip1, clip2, clip3', () => {
  it('are read as a, b, c (a header newcomers write), the rest as before', () => {
    const js = parseJudgments('user,clip1,clip2,clip3,odd,age\nu1,x,y,z,y,18\nu2,x,z,w,w,40\n', 'v.csv');
    expect(js.layout).toBe('votes');
    expect(js.attributeColumns).toEqual(['age']);
    const v = js.judgments[0];
    expect(v.kind === 'vote' && v.clips).toEqual(['x', 'y', 'z']);
    expect(v.kind === 'vote' && v.odd).toBe(1);
    // with a, b, c present the clipN columns are ordinary attributes
    expect(parseJudgments('a,b,c,odd,clip1,clip2,clip3\nx,y,z,x,1,2,3\n', 'w.csv').attributeColumns).toEqual(['clip1', 'clip2', 'clip3']);
  });
});
