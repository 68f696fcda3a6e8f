import { describe, expect, it } from 'vitest';
import { DataError, type OddOneOutVote } from '../types';
import { parseJudgments } from './judgments';
import { joinUsers, parseUsers } from './users';

describe('parseUsers', () => {
  it('reads user attributes; empty cells are left out', () => {
    const users = parseUsers('\ufeffuser,age_group,gender\r\nu1,<=25,f\r\nu2,>25,\r\n', 'users.csv');
    expect([...users.keys()]).toEqual(['u1', 'u2']);
    expect(users.get('u1')).toEqual({ age_group: '<=25', gender: 'f' });
    expect(users.get('u2')).toEqual({ age_group: '>25' });
  });
  it('rejects duplicate users naming both lines', () => {
    expect(() => parseUsers('user,age\nu1,1\nu2,2\nu1,3\n', 'users.csv')).toThrow(/users\.csv, line 4, column "user": duplicate user "u1" \(lines 2 and 4\)/);
  });
  it('rejects a wrong header, no attributes, empty user and no rows', () => {
    expect(() => parseUsers('id,age\nu1,1\n', 'users.csv')).toThrow(/users\.csv, line 1, column 1: first header cell is "id"/);
    expect(() => parseUsers('user\nu1\n', 'users.csv')).toThrow(/users\.csv, line 1, column 2: the header has no attribute columns/);
    expect(() => parseUsers('user,age\n,3\n', 'users.csv')).toThrow(/users\.csv, line 2, column "user": empty user id/);
    expect(() => parseUsers('user,age\n', 'users.csv')).toThrow(/users\.csv, line 2: no data rows/);
    // was accepted: the attribute was lost (and a votes file's attrs.__proto__ read Object.prototype)
    expect(() => parseUsers('user,__proto__,age\nu1,x,3\n', 'users.csv')).toThrow(/^users\.csv, line 1, column 2: the column name "__proto__" is not allowed/);
    expect(() => parseJudgments('a,b,c,odd,user,__proto__\nx,y,z,x,u1,g\n', 'v.csv')).toThrow(/^v\.csv, line 1, column 6: the column name "__proto__"/);
    expect(() => parseUsers('', 'users.csv')).toThrow(/users\.csv, line 1: the file is empty/);
    expect(() => parseUsers('user,age\nu1\n', 'users.csv')).toThrow(/users\.csv, line 2, column "age": row has 1 cell, too few/);
  });
});

describe('joinUsers', () => {
  const votes = parseJudgments('a,b,c,odd,user,location\nx,y,z,x,u1,uk\nx,y,z,y,u2,\nx,y,z,z,ghost,de\nx,y,z,z,,fr\nx,y,z,y,ghost,\n', 'votes.csv');
  const users = parseUsers('user,age_group,gender\nu1,<=25,f\nu2,>25,m\n', 'users.csv');

  it('adds attributes by user and reports unmatched votes', () => {
    const js = joinUsers(votes, users, 'users.csv');
    expect(js.attributeColumns).toEqual(['location', 'age_group', 'gender']);
    const v = js.judgments as OddOneOutVote[];
    expect(v[0].attrs).toEqual({ location: 'uk', age_group: '<=25', gender: 'f' });
    expect(v[1].attrs).toEqual({ age_group: '>25', gender: 'm' });
    expect(v[2].attrs).toEqual({ location: 'de' });
    expect(v[3].attrs).toEqual({ location: 'fr' });
    expect(js.join).toEqual({ usersFile: 'users.csv', matched: 2, unmatched: 2, withoutUser: 1, unmatchedUsers: ['ghost'] });
    // the input is not modified
    expect(votes.judgments[0].attrs).toEqual({ location: 'uk' });
  });
  it('rejects conflicting attribute values and the wrong layout', () => {
    const clash = parseJudgments('a,b,c,odd,user,gender\nx,y,z,x,u1,m\n', 'votes.csv');
    expect(() => joinUsers(clash, users, 'users.csv')).toThrow(/votes\.csv, line 2, column "gender": user "u1" has gender = "m" here but "f" in users\.csv/);
    const rel = parseJudgments('anchor,near,far\nx,y,z\n', 'rel.csv');
    expect(() => joinUsers(rel, users, 'users.csv')).toThrow(/rel\.csv: a users file \(users\.csv\) can only be joined to odd-one-out votes/);
    const noUser = parseJudgments('a,b,c,odd\nx,y,z,x\n', 'v.csv');
    expect(() => joinUsers(noUser, users, 'users.csv')).toThrow(/v\.csv, column "user": no vote has a user id/);
  });
  it("rejects a users file that matches no vote, naming the first vote user and the file's ids", () => {
    const many = parseUsers('user,age_group\na1,young\na2,old\na3,old\na4,young\n', 'users.csv');
    const js = parseJudgments('a,b,c,odd,user\nx,y,z,x,\nx,y,z,x,u17\nx,y,z,y,u18\n', 'votes.csv');
    const err = (() => {
      try {
        joinUsers(js, many, 'users.csv');
      } catch (e) {
        return e as DataError;
      }
    })();
    expect(err).toBeInstanceOf(DataError);
    expect(err?.file).toBe('votes.csv');
    expect(err?.line).toBe(3);
    expect(err?.message).toMatch(
      /^votes\.csv, line 3, column "user": no vote's user is in users\.csv \(first vote user: "u17"; users\.csv has "a1", "a2", "a3", …\)/,
    );
    const two = parseUsers('user,age_group\na1,young\na2,old\n', 'users.csv');
    expect(() => joinUsers(js, two, 'users.csv')).toThrow(/users\.csv has "a1", "a2"\)/);
  });
});
