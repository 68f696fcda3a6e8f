/**
 * Fuzz test of every parser of FORMATS.md: random texts, and small valid files mutated (characters deleted,
 * inserted or duplicated, delimiters swapped, BOM, CRLF/CR line ends, quotes, huge numbers, NaN/Infinity text,
 * empty lines, lines dropped or repeated). Each parser either returns a valid result or throws a DataError that
 * names the file and a line of the text: never another exception.
 *
 * A few hundred cases per parser by default (a few seconds in all); FUZZ_RUNS=N runs N per parser,
 * FUZZ_SEED=S replays a seed that fast-check printed.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DataError, type FeatureSet, type JudgmentSet, type Matrix, type PairConstraints } from '../types';
import { parseFeatures } from './features';
import { findJsonSyntaxError, jsonValueOffset } from './json-text';
import { parseJudgments } from './judgments';
import { parseNumericMatrix, parsePairConstraints } from './reference';
import { parseUsers } from './users';

const RUNS = Number(process.env.FUZZ_RUNS) || 500;
const SEED = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);
const params = { numRuns: RUNS, ...(SEED === undefined ? {} : { seed: SEED }) };
const FILE = 'fuzz.csv';

// ---------------------------------------------------------------- inputs

/** Pieces worth inserting: delimiters, quotes, line ends, odd numbers, JSON punctuation, odd keys. */
// biome-ignore format: a compact list
const TOKENS = [
  ',', '\t', ';', ' ', '"', '""', "'", '\n', '\r\n', '\r', '\n\n', '\ufeff', '\u0000', '\u2028', 'é', '😀',
  'NaN', 'nan', 'Infinity', '-Infinity', 'inf', '1e400', '-1e400', '1e-400', '-0', '0x1F', '1_000', '.5', '5.', '+3', '1e',
  '99999999999999999999999', '0.1e+308', '1.7976931348623157e308', '[', ']', '{', '}', ':', 'null', 'true',
  '__proto__', 'constructor', 'toString', 'user', 'id', 'odd', 'a', 'b', 'c', 'x', '1', '-1', '0', '2',
];

type Mutation = (s: string) => string;

const pos = fc.nat();
const at = (s: string, p: number) => (s.length === 0 ? 0 : p % (s.length + 1));
const splitLines = (s: string) => s.split(/\r\n|\n|\r/);

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.tuple(pos, fc.integer({ min: 1, max: 4 })).map(
    ([p, n]): Mutation =>
      (s) =>
        s.slice(0, at(s, p)) + s.slice(at(s, p) + n),
  ),
  fc.tuple(pos, fc.constantFrom(...TOKENS)).map(
    ([p, t]): Mutation =>
      (s) =>
        s.slice(0, at(s, p)) + t + s.slice(at(s, p)),
  ),
  fc.tuple(pos, fc.string({ maxLength: 3 })).map(
    ([p, t]): Mutation =>
      (s) =>
        s.slice(0, at(s, p)) + t + s.slice(at(s, p)),
  ),
  fc.tuple(pos, fc.integer({ min: 1, max: 8 })).map(
    ([p, n]): Mutation =>
      (s) =>
        s.slice(0, at(s, p) + n) + s.slice(at(s, p)),
  ),
  fc.tuple(pos, fc.constantFrom(...TOKENS)).map(
    ([p, t]): Mutation =>
      (s) =>
        s.slice(0, at(s, p)) + t + s.slice(at(s, p) + 1),
  ),
  // nesting deeper than any recursive walk survives (the parser must not stringify or recurse into it)
  fc.tuple(pos, fc.constantFrom('[', '{"k":')).map(
    ([p, open]): Mutation =>
      (s) => {
        const close = open === '[' ? ']' : '}';
        return `${s.slice(0, at(s, p))}${open.repeat(20_000)}1${close.repeat(20_000)}${s.slice(at(s, p))}`;
      },
  ),
  // a whole cell replaced (header names included): by a token, or by a neighbour's name
  fc.tuple(pos, pos, fc.constantFrom(...TOKENS, 'age_group', 'group', 'weight', 'clip1_id')).map(
    ([p, q, t]): Mutation =>
      (s) => {
        const ls = splitLines(s);
        const cells = ls[p % ls.length].split(/([,\t])/);
        cells[2 * (q % Math.ceil(cells.length / 2))] = t;
        ls[p % ls.length] = cells.join('');
        return ls.join('\n');
      },
  ),
  fc.constant<Mutation>((s) => s.replaceAll(',', '\t')),
  fc.constant<Mutation>((s) => s.replaceAll('\t', ',')),
  fc.constant<Mutation>((s) => s.replaceAll(',', ' ')),
  fc.constant<Mutation>((s) => s.replaceAll(',', ';')),
  fc.constant<Mutation>((s) => `\ufeff${s}`),
  fc.constant<Mutation>((s) => s.replaceAll('\n', '\r\n')),
  fc.constant<Mutation>((s) => s.replaceAll('\n', '\r')),
  fc.constant<Mutation>((s) => s.replaceAll(/[^,\t\n]+/g, (c) => `"${c}"`)),
  fc.constant<Mutation>((s) => s.trimEnd()),
  fc.tuple(pos, fc.constantFrom('', ' ', '\t', ',,')).map(
    ([p, blank]): Mutation =>
      (s) => {
        const ls = splitLines(s);
        ls.splice(p % (ls.length + 1), 0, blank);
        return ls.join('\n');
      },
  ),
  pos.map(
    (p): Mutation =>
      (s) => {
        const ls = splitLines(s);
        ls.splice(p % ls.length, 1);
        return ls.join('\n');
      },
  ),
  pos.map(
    (p): Mutation =>
      (s) => {
        const ls = splitLines(s);
        const k = p % ls.length;
        ls.splice(k, 0, ls[k]);
        return ls.join('\n');
      },
  ),
  fc.tuple(pos, pos).map(
    ([p, q]): Mutation =>
      (s) => {
        const ls = splitLines(s);
        const [i, j] = [p % ls.length, q % ls.length];
        [ls[i], ls[j]] = [ls[j], ls[i]];
        return ls.join('\n');
      },
  ),
  fc.tuple(fc.constantFrom('1e400', 'NaN', '-Infinity', '1e308', '', '""', 'abc', '[]', '{}', `${'['.repeat(20_000)}${']'.repeat(20_000)}`), pos).map(
    ([t, p]): Mutation =>
      (s) => {
        // replace the p-th number in the text
        let k = 0;
        const n = (s.match(/-?\d+(?:\.\d+)?(?:e[+-]?\d+)?/g) ?? []).length;
        return n === 0 ? s : s.replace(/-?\d+(?:\.\d+)?(?:e[+-]?\d+)?/g, (m) => (k++ === p % n ? t : m));
      },
  ),
);

/** A seed file, mutated 0–6 times; or a random text over an alphabet of the format's characters. */
function inputs(seeds: readonly string[]): fc.Arbitrary<string> {
  const mutated = fc.tuple(fc.constantFrom(...seeds), fc.array(mutation, { maxLength: 6 })).map(([seed, ms]) => ms.reduce((s, m) => m(s), seed));
  const chars = fc.constantFrom(...'abcxyz019.-+eE,\t\n\r "{}[]:'.split(''), ...TOKENS);
  const random = fc.array(chars, { maxLength: 60 }).map((a) => a.join(''));
  return fc.oneof({ weight: 4, arbitrary: mutated }, { weight: 1, arbitrary: random }, { weight: 1, arbitrary: fc.string({ maxLength: 40, unit: 'binary' }) });
}

// ---------------------------------------------------------------- the property

/** Number of lines of a text (CRLF, LF or CR ends), as a located error may name one past the last. */
const lineCount = (s: string) => splitLines(s).length;

/** Runs `parse`; a throw must be a DataError naming the file and a line of the text, a result must pass `valid`. */
function located<T>(text: string, parse: () => T, valid: (r: T) => void): void {
  let result: T;
  try {
    result = parse();
  } catch (e) {
    if (!(e instanceof DataError)) throw new Error(`not a DataError: ${(e as Error)?.stack ?? String(e)}`);
    expect(e.file, e.message).toBe(FILE);
    expect(e.line, e.message).toBeTypeOf('number');
    expect(Number.isInteger(e.line) && (e.line as number) >= 1 && (e.line as number) <= lineCount(text) + 1, `${e.message} (${lineCount(text)} lines)`).toBe(
      true,
    );
    expect(e.message.startsWith(`${FILE}, line ${e.line}`), e.message).toBe(true);
    return;
  }
  valid(result);
}

function finite(a: ArrayLike<number>): boolean {
  for (let k = 0; k < a.length; k++) if (!Number.isFinite(a[k])) return false;
  return true;
}

function validFeatures(fs: FeatureSet): void {
  expect(fs.ids.length).toBe(fs.X.rows);
  expect(fs.names.length).toBe(fs.X.cols);
  expect(fs.X.data.length).toBe(fs.X.rows * fs.X.cols);
  expect(fs.X.rows).toBeGreaterThan(0);
  expect(fs.X.cols).toBeGreaterThan(0);
  expect(new Set(fs.ids).size).toBe(fs.ids.length);
  expect(new Set(fs.names).size).toBe(fs.names.length);
  expect(fs.ids.every((id) => typeof id === 'string' && id !== '')).toBe(true);
  expect(finite(fs.X.data)).toBe(true);
}

function validMatrix(m: Matrix): void {
  expect(m.rows).toBeGreaterThan(0);
  expect(m.cols).toBeGreaterThan(0);
  expect(m.data.length).toBe(m.rows * m.cols);
  expect(finite(m.data)).toBe(true);
}

function validJudgments(js: JudgmentSet, known: ReadonlySet<string> | null): void {
  expect(js.judgments.length).toBeGreaterThan(0);
  for (const j of js.judgments) {
    const ids = j.kind === 'vote' ? j.clips : [j.anchor, j.near, j.far];
    for (const id of ids) {
      expect(typeof id === 'string' && id !== '').toBe(true);
      if (known) expect(known.has(id), id).toBe(true);
    }
    expect(new Set(ids).size).toBe(3);
    // own properties only (a column named like an Object.prototype member is an ordinary attribute)
    for (const k of js.attributeColumns) expect(typeof (Object.hasOwn(j.attrs, k) ? j.attrs[k] : ''), k).toBe('string');
    expect('__proto__' in j.attrs && Object.hasOwn(j.attrs, '__proto__')).toBe(false);
    for (const v of Object.values(j.attrs)) expect(typeof v).toBe('string');
    expect(Object.getPrototypeOf(j.attrs)).toBe(Object.prototype);
    expect(Number.isInteger(j.line) && j.line >= 1).toBe(true);
    if (j.kind === 'vote') {
      expect([0, 1, 2]).toContain(j.odd);
      expect(Number.isInteger(j.count) && j.count >= 1).toBe(true);
    } else expect(Number.isFinite(j.weight) && j.weight > 0).toBe(true);
  }
}

// ---------------------------------------------------------------- seeds

const FEATURES_CSV = ['id,f1,f2\nx,1,2\ny,3.5,-4e-3\nz,0,1e10\n', 'id\tloud\tbright\r\n"a,1"\t1\t2\r\nb\t-0.5\t.25\r\n'];
const FEATURES_JSON = [
  '{"ids": ["x", "y"], "features": ["f1", "f2"], "X": [[1, 2], [3, -4e-3]]}',
  '{\n  "ids": ["a", 2, "c"],\n  "features": ["u"],\n  "X": [\n    [1],\n    [2.5],\n    [-3]\n  ]\n}\n',
];
const KNOWN = new Set(['x', 'y', 'z', 'a', 'b', 'c']);
const JUDGMENTS = [
  'clip1_id,clip2_id,clip3_id,clip1_numvotes,clip2_numvotes,clip3_numvotes\nx,y,z,3,0,1\na,b,c,0,2,2\n',
  'a,b,c,odd,user,age_group\nx,y,z,x,u1,<=25\nx,y,z,y,u2,\nb,a,c,c,u1,>25\n',
  'anchor,near,far,weight,group\nx,y,z,1,g1\na,b,c,0.5,g2\n',
  'Anchor\tFar\tNear\nx\tz\ty\n',
];
const USERS = ['user,age_group,gender\nu1,<=25,f\nu2,>25,\n', 'user\tlocation\r\n"u 3"\t"Paris, FR"\r\n'];
const MATRIX = ['1,2,3\n4,5,6\n', '1 2\n3 4\n', '0.5\t-1e-3\n2\t3\n', '1\n'];
const PAIRS = ['1,2,1,0.5\n2,3,-1,4\n', '1 3 1 2.5\n3 1 -1 1e-3\n'];

// ---------------------------------------------------------------- the tests

describe('fuzz: every parser gives a valid result or a located DataError', () => {
  it('parseFeatures (CSV)', () => {
    fc.assert(
      fc.property(inputs(FEATURES_CSV), (text) => located(text, () => parseFeatures(text, FILE), validFeatures)),
      params,
    );
  });

  it('parseFeatures (JSON)', () => {
    fc.assert(
      fc.property(inputs(FEATURES_JSON), (text) => located(text, () => parseFeatures(text, FILE), validFeatures)),
      params,
    );
  });

  it('parseJudgments (counts, votes, relative), with and without known ids', () => {
    fc.assert(
      fc.property(inputs(JUDGMENTS), fc.boolean(), (text, withIds) => {
        const known = withIds ? KNOWN : null;
        located(
          text,
          () => parseJudgments(text, FILE, known ? { knownIds: known } : {}),
          (js) => validJudgments(js, known),
        );
      }),
      params,
    );
  });

  it('parseJudgments and parseUsers with hostile attribute column names', () => {
    const name = fc.oneof(fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'prototype'), fc.string({ maxLength: 12 }));
    const votes = 'a,b,c,odd,user,NAME\nx,y,z,x,u1,v1\nx,y,z,y,u2,\n';
    const relative = 'anchor,near,far,NAME\nx,y,z,v1\n';
    const users = 'user,NAME\nu1,v1\nu2,v2\n';
    fc.assert(
      fc.property(name, (n) => {
        const cell = n.replace(/[",\t\r\n]/g, '');
        located(
          votes,
          () =>
            parseJudgments(
              votes.replace('NAME', () => cell),
              FILE,
            ),
          (js) => validJudgments(js, null),
        );
        located(
          relative,
          () =>
            parseJudgments(
              relative.replace('NAME', () => cell),
              FILE,
              { attributes: [cell] },
            ),
          (js) => validJudgments(js, null),
        );
        located(
          users,
          () =>
            parseUsers(
              users.replace('NAME', () => cell),
              FILE,
            ),
          (u) => {
            for (const attrs of u.values()) for (const k of Object.keys(attrs)) expect(typeof attrs[k]).toBe('string');
            expect(Object.getPrototypeOf(u.get('u1'))).toBe(Object.prototype);
            if (cell.trim() !== '') expect(u.get('u1')?.[cell.trim()]).toBe('v1');
          },
        );
      }),
      params,
    );
  });

  it('parseUsers', () => {
    fc.assert(
      fc.property(inputs(USERS), (text) =>
        located(
          text,
          () => parseUsers(text, FILE),
          (users) => {
            expect(users.size).toBeGreaterThan(0);
            for (const [u, attrs] of users) {
              expect(u).not.toBe('');
              for (const v of Object.values(attrs)) expect(v).not.toBe('');
              expect(Object.getPrototypeOf(attrs)).toBe(Object.prototype);
            }
          },
        ),
      ),
      params,
    );
  });

  it('parseNumericMatrix', () => {
    fc.assert(
      fc.property(inputs(MATRIX), (text) => located(text, () => parseNumericMatrix(text, FILE), validMatrix)),
      params,
    );
  });

  it('parsePairConstraints', () => {
    fc.assert(
      fc.property(inputs(PAIRS), fc.integer({ min: 1, max: 4 }), (text, n) =>
        located(
          text,
          () => parsePairConstraints(text, FILE, n),
          (c: PairConstraints) => {
            expect(c.count).toBeGreaterThan(0);
            for (let r = 0; r < c.count; r++) {
              expect(c.i[r] >= 0 && c.i[r] < n && c.j[r] >= 0 && c.j[r] < n).toBe(true);
              expect(Math.abs(c.delta[r])).toBe(1);
              expect(Number.isFinite(c.bound[r]) && c.bound[r] > 0).toBe(true);
            }
          },
        ),
      ),
      params,
    );
  });
});

describe('fuzz: line ends', () => {
  it('any mix of CRLF, LF and CR line ends reads like LF (same result, or the same error up to line numbers)', () => {
    const outcome = (text: string) => {
      try {
        const fs = parseFeatures(text, FILE);
        return { ids: fs.ids, names: fs.names, data: Array.from(fs.X.data) };
      } catch (e) {
        if (!(e instanceof DataError)) throw e;
        return e.message.replace(/\d+/g, '#');
      }
    };
    const lf = inputs(FEATURES_CSV).map((t) => t.replace(/\r\n?/g, '\n').replaceAll('"', ''));
    fc.assert(
      fc.property(lf, fc.array(fc.constantFrom('\n', '\r\n', '\r'), { minLength: 1 }), (text, ends) => {
        let k = 0;
        const mixed = text.replace(/\n/g, () => ends[k++ % ends.length]);
        expect(outcome(mixed)).toEqual(outcome(text));
      }),
      params,
    );
  });
});

describe('fuzz: the JSON locator', () => {
  it('finds a syntax error exactly when JSON.parse fails', () => {
    const texts = fc.oneof(
      inputs(FEATURES_JSON),
      fc.json().chain((t) => inputs([t])),
    );
    fc.assert(
      fc.property(texts, (text) => {
        let ok = true;
        try {
          JSON.parse(text);
        } catch {
          ok = false;
        }
        const err = findJsonSyntaxError(text);
        expect(err === null, err?.message).toBe(ok);
        if (err) expect(err.offset >= 0 && err.offset <= text.length).toBe(true);
      }),
      params,
    );
  });

  it('locates the value at any path of a valid JSON text', () => {
    const withPath = fc.jsonValue().chain((v) => fc.tuple(fc.constant(v), fc.array(fc.nat(), { maxLength: 4 }), fc.constantFrom(0, 1, '\t')));
    fc.assert(
      fc.property(withPath, ([value, picks, indent]) => {
        const text = JSON.stringify(value, null, indent);
        // walk down: an own key or an index chosen by the picks, as far as the value nests
        const path: (string | number)[] = [];
        let v: unknown = value;
        for (const p of picks) {
          if (Array.isArray(v) && v.length > 0) {
            path.push(p % v.length);
            v = v[p % v.length];
          } else if (v !== null && typeof v === 'object' && Object.keys(v).length > 0) {
            const keys = Object.keys(v);
            path.push(keys[p % keys.length]);
            v = (v as Record<string, unknown>)[keys[p % keys.length]];
          } else break;
        }
        const off = jsonValueOffset(text, path);
        // the text from `off` starts with that value
        expect(JSON.stringify(JSON.parse(firstValue(text.slice(off))))).toBe(JSON.stringify(v));
      }),
      params,
    );
  });
});

/** The first complete JSON value at the start of a text (the rest of the text cut off). */
function firstValue(text: string): string {
  for (let k = 1; k <= text.length; k++) {
    const head = text.slice(0, k);
    if (findJsonSyntaxError(head) === null) {
      // a number may continue: take the longest valid prefix ending before a delimiter
      const next = text[k];
      if (next === undefined || /[\s,\]}]/.test(next)) return head;
    }
  }
  return text;
}
