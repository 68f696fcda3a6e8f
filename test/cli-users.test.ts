/**
 * The experiment command with a users file (TypeScript sources through tsx, no bundle build): a users file that
 * matches no vote is a located input error (exit 1), one that matches only some votes is a warning.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(__dirname, '..');
const dir = mkdtempSync(join(tmpdir(), 'simlab-users-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function experiment(usersText: string, more: string[] = []) {
  const users = join(dir, 'users.csv');
  writeFileSync(users, usersText);
  const args = [
    join(root, 'src', 'cli', 'main.ts'),
    'experiment',
    '--features',
    'public/data/synthetic/features.csv',
    '--judgments',
    'public/data/synthetic/votes.csv',
  ];
  return spawnSync(join(root, 'node_modules', '.bin', 'tsx'), [...args, '--users', users, '--group-by', 'age_group', '--quiet', ...more], {
    cwd: root,
    encoding: 'utf8',
  });
}

describe('CLI experiment --users', () => {
  it('refuses a users file that matches no vote, naming the first vote user and the users file (exit 1)', () => {
    const res = experiment('user,age_group\na1,young\na2,old\n');
    expect(res.status).toBe(1);
    expect(res.stderr).toMatch(
      /error in input: votes\.csv, line 2, column "user": no vote's user is in users\.csv \(first vote user: "u28"; users\.csv has "a1", "a2"\)/,
    );
    expect(res.stderr).not.toMatch(/Cannot read properties/);
  });
  it('warns how many votes have no user row when only some match', () => {
    const all = readFileSync(join(root, 'public/data/synthetic/users.csv'), 'utf8').trim().split('\n');
    const res = experiment(`${all.slice(0, 30).join('\n')}\n`, ['--methods', 'euclidean', '--folds', '2']);
    expect(res.status, res.stderr).toBe(0);
    expect(res.stderr).toMatch(
      /warning: \d+ of 5000 votes in votes\.csv have no row in users\.csv \(31 users: "u30", "u31", "u32", …\); they get no user attributes/,
    );
  });
});
