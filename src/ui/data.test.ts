/** Own-files sets: the files of a set are checked against each other, never against the set they replace. */
import { describe, expect, it } from 'vitest';
import { EMPTY_DATA, filesLabel, groupByProblem, loadFiles, loadSlot, removeSlot } from './data';

const f = (name: string, text: string) => ({ name, text });
const featuresA = f('fa.csv', 'id,x,y\na,1,2\nb,2,1\nc,0,0\n');
const votesA = f('va.csv', 'a,b,c,odd,user\na,b,c,a,u1\n');
const usersA = f('ua.csv', 'user,age_group\nu1,<=25\n');
const featuresB = f('fb.csv', 'id,x\np,1\nq,2\nr,3\n');
const votesB = f('vb.csv', 'a,b,c,odd,user\np,q,r,p,w1\nq,r,p,q,w2\n');
const usersB = f('ub.csv', 'user,occupation\nw1,student\nw2,teacher\n');

describe('own-files sets', () => {
  it('a complete set in any order is checked against itself', () => {
    const a = loadFiles({ features: featuresA, judgments: votesA, users: usersA });
    expect(a.problem).toBeNull();
    let d = a;
    // one file at a time: the set is inconsistent in between, and says which files disagree
    d = loadSlot(d, 'judgments', votesB);
    expect(d.lab).toBeNull();
    expect(d.problem).toMatch(/^vb\.csv and fa\.csv do not belong together: vb\.csv, line 2, column "a": clip "p" is not in the features file/);
    expect(d.files.judgments).toBe(votesB);
    d = loadSlot(d, 'features', featuresB);
    expect(d.problem).toMatch(/^ua\.csv and vb\.csv do not belong together: .*no vote's user is in ua\.csv \(first vote user: "w1"/);
    d = loadSlot(d, 'users', usersB);
    expect(d.problem).toBeNull();
    expect(d.lab?.features.ids).toEqual(['p', 'q', 'r']);
    expect(d.lab?.judgments.attributeColumns).toEqual(['occupation']);
    expect(filesLabel(d.files)).toBe('fb.csv, vb.csv, ub.csv');
  });
  it('says what is missing, with the files loaded so far; a users file can be removed', () => {
    expect(EMPTY_DATA.problem).toMatch(/No files yet/);
    const j = loadSlot(EMPTY_DATA, 'judgments', votesB);
    expect(j.problem).toBe('Missing a features file (id, then one column per feature) (loaded so far: judgments: vb.csv).');
    const d = loadSlot(loadSlot(j, 'features', featuresB), 'users', usersA);
    expect(d.lab).toBeNull();
    const without = removeSlot(d, 'users');
    expect(without.problem).toBeNull();
    expect(without.files.users).toBeUndefined();
    expect(without.lab?.judgments.attributeColumns).toEqual([]);
  });
  it('a group-by the loaded data lacks is named with its file and the columns to choose from', () => {
    const d = loadFiles({ features: featuresB, judgments: votesB, users: usersB });
    expect(groupByProblem(d, 'age_group')).toBe('column age_group is not in ub.csv or vb.csv; choose one of occupation, or no groups.');
    expect(groupByProblem(d, 'occupation')).toBeNull();
    expect(groupByProblem(null, 'age_group')).toBeNull();
  });
});
