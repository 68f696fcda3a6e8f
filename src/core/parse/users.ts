/**
 * Users files (FORMATS.md, judgments layout 2): `user,<attribute>...`, joined to votes on `user`.
 */
import { DataError, type Judgment, type JudgmentSet } from '../types';
import { checkWidth, clip, headerIndex, readTable } from './csv';

/** user id → attributes (empty cells left out: "not annotated"). */
export function parseUsers(text: string, file: string): Map<string, Record<string, string>> {
  const t = readTable(text, file);
  headerIndex(t, false);
  if (t.header[0].toLowerCase() !== 'user') {
    throw new DataError({
      file,
      line: t.headerLine,
      column: 1,
      message: `first header cell is "${clip(t.header[0])}"`,
      expected: 'a header row `user,<attribute>,...` whose first column is `user`',
    });
  }
  if (t.header.length < 2) {
    throw new DataError({
      file,
      line: t.headerLine,
      column: 2,
      message: 'the header has no attribute columns',
      expected: 'at least one attribute column after `user`',
    });
  }
  if (t.rows.length === 0) throw new DataError({ file, line: t.headerLine + 1, message: 'no data rows after the header', expected: 'one row per user' });
  const users = new Map<string, Record<string, string>>();
  const lineOf = new Map<string, number>();
  for (let r = 0; r < t.rows.length; r++) {
    checkWidth(t, r, t.header.length);
    const cells = t.rows[r];
    const line = t.lines[r];
    const user = cells[0];
    if (user === '') throw new DataError({ file, line, column: t.header[0], message: 'empty user id', expected: 'a user id' });
    const prev = lineOf.get(user);
    if (prev !== undefined) {
      throw new DataError({
        file,
        line,
        column: t.header[0],
        message: `duplicate user "${clip(user)}" (lines ${prev} and ${line})`,
        expected: 'one row per user',
      });
    }
    lineOf.set(user, line);
    const attrs: Record<string, string> = {};
    for (let k = 1; k < cells.length; k++) if (cells[k] !== '') attrs[t.header[k]] = cells[k];
    users.set(user, attrs);
  }
  return users;
}

/** How a users file matched the votes. */
export interface UserJoinReport {
  readonly usersFile: string;
  /** vote records whose user is in the users file */
  readonly matched: number;
  /** vote records with a user id that the users file lacks (they keep no joined attributes) */
  readonly unmatched: number;
  /** vote records without a user id */
  readonly withoutUser: number;
  /** the distinct user ids missing from the users file (sorted) */
  readonly unmatchedUsers: readonly string[];
}

export interface JoinedJudgmentSet extends JudgmentSet {
  readonly join: UserJoinReport;
}

/**
 * Add the users file's attributes to every vote by its `user`. A vote whose user is missing keeps
 * only the attributes of its own row: it then belongs to the complement of every group it lacks.
 * An attribute present in both files with different values is an error.
 */
export function joinUsers(js: JudgmentSet, users: ReadonlyMap<string, Readonly<Record<string, string>>>, usersFile: string): JoinedJudgmentSet {
  if (js.layout !== 'votes') {
    throw new DataError({
      file: js.source,
      message: `a users file (${usersFile}) can only be joined to odd-one-out votes with a user column, this is the ${js.layout} layout`,
      expected: 'a header `a,b,c,odd,user[,...]`',
    });
  }
  const attrNames = new Set<string>();
  for (const a of users.values()) for (const k of Object.keys(a)) attrNames.add(k);
  let matched = 0;
  let unmatched = 0;
  let withoutUser = 0;
  const missing = new Set<string>();
  const judgments: Judgment[] = js.judgments.map((j) => {
    if (j.kind !== 'vote') return j;
    if (j.user === undefined) {
      withoutUser++;
      return j;
    }
    const ua = users.get(j.user);
    if (!ua) {
      unmatched++;
      missing.add(j.user);
      return j;
    }
    matched++;
    for (const [k, v] of Object.entries(ua)) {
      const own = j.attrs[k];
      if (own !== undefined && own !== v) {
        throw new DataError({
          file: js.source,
          line: j.line,
          column: k,
          message: `user "${clip(j.user)}" has ${k} = "${clip(own)}" here but "${clip(v)}" in ${usersFile}`,
          expected: 'the same attribute value in both files',
        });
      }
    }
    return { ...j, attrs: { ...j.attrs, ...ua } };
  });
  if (js.judgments.length > 0 && withoutUser === js.judgments.length) {
    throw new DataError({ file: js.source, column: 'user', message: `no vote has a user id, so ${usersFile} cannot be joined`, expected: 'a `user` column' });
  }
  if (matched === 0 && unmatched > 0) throw noUserMatches(js, users, usersFile);
  const attributeColumns = [...js.attributeColumns];
  for (const k of attrNames) if (!attributeColumns.includes(k)) attributeColumns.push(k);
  return {
    layout: js.layout,
    judgments,
    attributeColumns,
    source: js.source,
    join: { usersFile, matched, unmatched, withoutUser, unmatchedUsers: [...missing].sort() },
  };
}

/** Not one vote's user is in the users file: located at the first vote with a user id. */
function noUserMatches(js: JudgmentSet, users: ReadonlyMap<string, unknown>, usersFile: string): DataError {
  const first = js.judgments.find((j) => j.kind === 'vote' && j.user !== undefined);
  const user = first?.kind === 'vote' ? (first.user ?? '') : '';
  const ids = [...users.keys()];
  const listed = ids
    .slice(0, 3)
    .map((u) => `"${clip(u)}"`)
    .join(', ');
  return new DataError({
    file: js.source,
    line: first?.line,
    column: 'user',
    message: `no vote's user is in ${usersFile} (first vote user: "${clip(user)}"; ${usersFile} has ${listed}${ids.length > 3 ? ', …' : ''})`,
    expected: `user ids that ${usersFile} lists in its \`user\` column`,
  });
}
