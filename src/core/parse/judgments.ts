/**
 * Judgments files (FORMATS.md "Judgments"), recognised by their header:
 *  1. counts   `clip1_id,clip2_id,clip3_id,clip1_numvotes,clip2_numvotes,clip3_numvotes[,...]`
 *  2. votes    `a,b,c,odd[,user][,<attribute>...]`
 *  3. relative `anchor,near,far[,weight][,group]` (other columns ignored unless named in `attributes`)
 * Column names are matched case-insensitively and in any order; attribute names keep their case.
 */
import { DataError, type Judgment, type JudgmentSet, type OddOneOutVote, type RelativeJudgment } from '../types';
import { checkWidth, clip, headerIndex, parseNumberCell, readTable, type Table } from './csv';

export interface ParseJudgmentsOptions {
  /** ids of the features file: every clip must be one of them */
  readonly knownIds?: ReadonlySet<string> | readonly string[];
  /**
   * relative / counts layouts: extra columns to keep as attributes (e.g. ['votes_near']); by default
   * only `group` is kept (relative) and nothing else (counts)
   */
  readonly attributes?: readonly string[];
}

const COUNTS = ['clip1_id', 'clip2_id', 'clip3_id', 'clip1_numvotes', 'clip2_numvotes', 'clip3_numvotes'] as const;
const VOTES = ['a', 'b', 'c', 'odd'] as const;
const RELATIVE = ['anchor', 'near', 'far'] as const;

export const ACCEPTED_JUDGMENT_HEADERS =
  '`clip1_id,clip2_id,clip3_id,clip1_numvotes,clip2_numvotes,clip3_numvotes[,...]` (odd-one-out counts), ' +
  '`a,b,c,odd[,user][,<attribute>...]` (odd-one-out votes; `clip1,clip2,clip3` are read as `a,b,c`) or `anchor,near,far[,weight][,group]` (relative constraints)';

type Layout = JudgmentSet['layout'];

/** `clip1,clip2,clip3` (with `odd`, without `a,b,c`): the names newcomers write for a vote's clips, read as a, b, c. */
function aliasVoteClips(idx: Map<string, number>): void {
  const alias = ['clip1', 'clip2', 'clip3'];
  if (!idx.has('odd') || VOTES.slice(0, 3).some((n) => idx.has(n)) || !alias.every((n) => idx.has(n))) return;
  alias.forEach((n, k) => idx.set(VOTES[k], idx.get(n)!));
}

function detectLayout(t: Table, idx: Map<string, number>): Layout {
  const has = (names: readonly string[]) => names.filter((n) => idx.has(n)).length;
  if (has(COUNTS) === COUNTS.length) return 'counts';
  if (has(VOTES) === VOTES.length) return 'votes';
  if (has(RELATIVE) === RELATIVE.length) return 'relative';
  // name what is missing from the closest layout, if any is close
  const candidates: [Layout, readonly string[]][] = [
    ['counts', COUNTS],
    ['votes', VOTES],
    ['relative', RELATIVE],
  ];
  let best: [Layout, readonly string[]] | null = null;
  let bestShare = 0;
  for (const c of candidates) {
    const share = has(c[1]) / c[1].length;
    if (share > bestShare) {
      bestShare = share;
      best = c;
    }
  }
  const missing = best ? best[1].filter((n) => !idx.has(n)) : [];
  const hint =
    best && bestShare >= 0.5
      ? `; looks like the ${best[0]} layout but lacks column${missing.length > 1 ? 's' : ''} ${missing.map((m) => `"${m}"`).join(', ')}`
      : '';
  throw new DataError({
    file: t.file,
    line: t.headerLine,
    message: `unrecognised judgments header "${clip(t.header.join(t.delimiter === '\t' ? '\\t' : ','))}"${hint}`,
    expected: `one of the headers ${ACCEPTED_JUDGMENT_HEADERS}`,
  });
}

function toIdSet(known: ParseJudgmentsOptions['knownIds']): ReadonlySet<string> | null {
  if (!known) return null;
  return known instanceof Set ? known : new Set(known as readonly string[]);
}

/** The table of a judgments file with its cell checks, shared by the three layouts' readers. */
interface Reader {
  readonly t: Table;
  readonly file: string;
  readonly idx: Map<string, number>;
  readonly width: number;
  readonly col: (name: string) => number;
  /** a clip id cell: not empty and (when known ids are given) an id of the features file */
  readonly clipCell: (cells: readonly string[], line: number, k: number) => string;
  /** the three clips of a row are different */
  readonly distinct: (ids: readonly string[], ks: readonly number[], line: number) => void;
  /** the three clip ids of a row in columns `ks`, checked by clipCell and distinct */
  readonly triplet: (cells: readonly string[], line: number, ks: readonly number[]) => [string, string, string];
  /** columns of the attributes named in the options */
  readonly extraAttrs: number[];
}

type Parsed = { judgments: Judgment[]; attributeColumns: string[] };

/** Parse a judgments file of any of the three layouts. */
export function parseJudgments(text: string, file: string, opts: ParseJudgmentsOptions = {}): JudgmentSet {
  const t = readTable(text, file);
  const idx = headerIndex(t);
  aliasVoteClips(idx);
  const layout = detectLayout(t, idx);
  if (t.rows.length === 0) {
    throw new DataError({ file, line: t.headerLine + 1, message: 'no data rows after the header', expected: 'at least one judgment' });
  }
  const rd = reader(t, idx, file, opts);
  const { judgments, attributeColumns } = layout === 'counts' ? readCounts(rd) : layout === 'votes' ? readVotes(rd) : readRelative(rd);
  return { layout, judgments, attributeColumns, source: file };
}

function reader(t: Table, idx: Map<string, number>, file: string, opts: ParseJudgmentsOptions): Reader {
  const known = toIdSet(opts.knownIds);
  const clipCell = (cells: readonly string[], line: number, k: number): string => {
    const id = cells[k];
    if (id === '') throw new DataError({ file, line, column: t.header[k], message: 'empty clip id', expected: 'a clip id' });
    if (known && !known.has(id)) {
      throw new DataError({
        file,
        line,
        column: t.header[k],
        message: `clip "${clip(id)}" is not in the features file`,
        expected: 'an id of the features file',
      });
    }
    return id;
  };
  const distinct = (ids: readonly string[], ks: readonly number[], line: number): void => {
    for (let p = 1; p < 3; p++) {
      for (let q = 0; q < p; q++) {
        if (ids[p] === ids[q]) {
          throw new DataError({
            file,
            line,
            column: t.header[ks[p]],
            message: `clip "${clip(ids[p])}" is repeated (also in column "${t.header[ks[q]]}")`,
            expected: 'three different clips',
          });
        }
      }
    }
  };
  const extraAttrs = (opts.attributes ?? []).map((name) => {
    const k = idx.get(name.toLowerCase());
    if (k === undefined) {
      throw new DataError({
        file,
        line: t.headerLine,
        column: name,
        message: `attribute column "${name}" is not in the header`,
        expected: `one of ${t.header.map((h) => `"${h}"`).join(', ')}`,
      });
    }
    return k;
  });
  const triplet = (cells: readonly string[], line: number, ks: readonly number[]): [string, string, string] => {
    const ids: [string, string, string] = [clipCell(cells, line, ks[0]), clipCell(cells, line, ks[1]), clipCell(cells, line, ks[2])];
    distinct(ids, ks, line);
    return ids;
  };
  return { t, file, idx, width: t.header.length, col: (name) => idx.get(name) as number, clipCell, distinct, triplet, extraAttrs };
}

/** MagnaTagATune counts: one vote record per clip with a non-zero count. */
function readCounts({ t, file, width, col, triplet, extraAttrs }: Reader): Parsed {
  const judgments: Judgment[] = [];
  const ck = [col('clip1_id'), col('clip2_id'), col('clip3_id')];
  const vk = [col('clip1_numvotes'), col('clip2_numvotes'), col('clip3_numvotes')];
  const attributeColumns = extraAttrs.map((k) => t.header[k]);
  for (let r = 0; r < t.rows.length; r++) {
    checkWidth(t, r, width);
    const cells = t.rows[r];
    const line = t.lines[r];
    const clips = triplet(cells, line, ck);
    const attrs = rowAttrs(cells, extraAttrs, attributeColumns);
    for (let o = 0; o < 3; o++) {
      const column = t.header[vk[o]];
      const v = parseNumberCell(cells[vk[o]], file, line, column, 'a non-negative integer vote count');
      if (v < 0 || !Number.isInteger(v)) {
        throw new DataError({
          file,
          line,
          column,
          message: `vote count ${cells[vk[o]]} is ${v < 0 ? 'negative' : 'not an integer'}`,
          expected: 'a non-negative integer vote count',
        });
      }
      if (v === 0) continue;
      const vote: OddOneOutVote = { kind: 'vote', clips, odd: o as 0 | 1 | 2, count: v, attrs, line };
      judgments.push(vote);
    }
  }
  return { judgments, attributeColumns };
}

/** One vote a row: a, b, c, odd[, user][, attributes…]. */
function readVotes({ t, file, idx, width, col, triplet }: Reader): Parsed {
  const judgments: Judgment[] = [];
  const ck = [col('a'), col('b'), col('c')];
  const ok = col('odd');
  const uk = idx.get('user');
  const taken = new Set([...ck, ok, ...(uk === undefined ? [] : [uk])]);
  const ak: number[] = [];
  for (let k = 0; k < width; k++) if (!taken.has(k)) ak.push(k);
  const attributeColumns = ak.map((k) => t.header[k]);
  for (let r = 0; r < t.rows.length; r++) {
    checkWidth(t, r, width);
    const cells = t.rows[r];
    const line = t.lines[r];
    const clips = triplet(cells, line, ck);
    const oddId = cells[ok];
    const odd = clips.indexOf(oddId);
    if (odd < 0) {
      throw new DataError({
        file,
        line,
        column: t.header[ok],
        message: oddId === '' ? 'empty odd-one-out' : `odd-one-out "${clip(oddId)}" is not one of the three clips`,
        expected: `one of "${clip(clips[0])}", "${clip(clips[1])}", "${clip(clips[2])}"`,
      });
    }
    const user = uk === undefined || cells[uk] === '' ? undefined : cells[uk];
    const attrs = rowAttrs(cells, ak, attributeColumns);
    const vote: OddOneOutVote =
      user === undefined
        ? { kind: 'vote', clips, odd: odd as 0 | 1 | 2, count: 1, attrs, line }
        : { kind: 'vote', clips, odd: odd as 0 | 1 | 2, count: 1, user, attrs, line };
    judgments.push(vote);
  }
  return { judgments, attributeColumns };
}

/** Relative constraints: anchor, near, far[, weight][, group]. */
function readRelative({ t, file, idx, width, col, clipCell, extraAttrs }: Reader): Parsed {
  const judgments: Judgment[] = [];
  const ak = col('anchor');
  const nk = col('near');
  const fk = col('far');
  const wk = idx.get('weight');
  const gk = idx.get('group');
  const keep = [...(gk === undefined ? [] : [gk]), ...extraAttrs.filter((k) => k !== gk)];
  const attributeColumns = keep.map((k) => (k === gk ? 'group' : t.header[k]));
  for (let r = 0; r < t.rows.length; r++) {
    checkWidth(t, r, width);
    const cells = t.rows[r];
    const line = t.lines[r];
    const anchor = clipCell(cells, line, ak);
    const near = clipCell(cells, line, nk);
    const far = clipCell(cells, line, fk);
    if (anchor === near || anchor === far) {
      const column = t.header[anchor === near ? nk : fk];
      throw new DataError({
        file,
        line,
        column,
        message: `anchor "${clip(anchor)}" is also the ${anchor === near ? 'near' : 'far'} clip`,
        expected: 'an anchor different from near and far',
      });
    }
    if (near === far) {
      throw new DataError({
        file,
        line,
        column: t.header[fk],
        message: `far clip "${clip(far)}" is also the near clip`,
        expected: 'near and far to be different clips',
      });
    }
    let weight = 1;
    if (wk !== undefined) {
      const column = t.header[wk];
      weight = parseNumberCell(cells[wk], file, line, column, 'a positive weight');
      if (!(weight > 0)) throw new DataError({ file, line, column, message: `weight ${cells[wk]} is not positive`, expected: 'a positive weight' });
    }
    const attrs = rowAttrs(cells, keep, attributeColumns);
    const j: RelativeJudgment = { kind: 'relative', anchor, near, far, weight, attrs, line };
    judgments.push(j);
  }
  return { judgments, attributeColumns };
}

const EMPTY: Readonly<Record<string, string>> = Object.freeze({});

/** Non-empty attribute cells of a row (columns `ks`, named `names`, parallel); empty cells mean "not annotated". */
function rowAttrs(cells: readonly string[], ks: readonly number[], names: readonly string[]): Readonly<Record<string, string>> {
  if (ks.length === 0) return EMPTY;
  const out: Record<string, string> = {};
  let any = false;
  for (let p = 0; p < ks.length; p++) {
    const v = cells[ks[p]];
    if (v === '') continue;
    out[names[p]] = v;
    any = true;
  }
  return any ? out : EMPTY;
}
