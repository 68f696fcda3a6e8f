/**
 * Votes → relative constraints → groups (METHOD.md §1).
 *
 * An odd-one-out vote on (A, B, C) with B odd gives the two constraints (anchor=A, near=C, far=B) and
 * (anchor=C, near=A, far=B), each weighted by the vote count. Identical constraints are aggregated
 * (weights summed). The two constraints that share an anchor and a triplet but swap near and far
 * contradict each other: the heavier wins (majority), equal weights are a tie and both are dropped.
 */
import { DataError, type ConstraintSet, type Judgment, type JudgmentSet } from './types';

/** Largest clip count for which a triplet key is one exact double: 2^17 per index, 3 × 17 = 51 bits. */
const KEY_BASE = 131072;

/**
 * Gives every unordered clip set {a, b, c} (row indices into one FeatureSet.ids) one integer id,
 * 0, 1, 2, ... in order of first sight. Share one registry across calls (group, complement, test
 * judgments) so that constraints on the same triplet carry the same `triplet` id everywhere.
 */
export class TripletRegistry {
  private readonly byKey = new Map<number | string, number>();
  private readonly flat: number[] = [];
  private items = -1;

  /** number of triplets registered */
  get size(): number {
    return this.flat.length / 3;
  }

  /** The id of {a, b, c} (any order), registering it if new. The three must differ. */
  id(a: number, b: number, c: number): number {
    const key = TripletRegistry.key(a, b, c);
    let id = this.byKey.get(key);
    if (id === undefined) {
      id = this.flat.length / 3;
      this.byKey.set(key, id);
      // store sorted members
      let x = a;
      let y = b;
      let z = c;
      if (x > y) [x, y] = [y, x];
      if (y > z) [y, z] = [z, y];
      if (x > y) [x, y] = [y, x];
      this.flat.push(x, y, z);
    }
    return id;
  }

  /** The id of {a, b, c} if registered, without registering it. */
  find(a: number, b: number, c: number): number | undefined {
    return this.byKey.get(TripletRegistry.key(a, b, c));
  }

  /** The three clip row indices of triplet `id`, ascending. */
  clips(id: number): [number, number, number] {
    if (!(id >= 0 && id < this.size) || !Number.isInteger(id)) throw new RangeError(`TripletRegistry: no triplet with id ${id} (size ${this.size})`);
    return [this.flat[3 * id], this.flat[3 * id + 1], this.flat[3 * id + 2]];
  }

  /** Remember the number of clips the indices refer to; a registry must not be shared across feature sets. */
  bind(nItems: number): void {
    if (this.items === -1) this.items = nItems;
    else if (this.items !== nItems) {
      throw new Error(`TripletRegistry: used with ${nItems} clips but registered triplets over ${this.items} clips; use one registry per features file`);
    }
  }

  private static key(a: number, b: number, c: number): number | string {
    if (a === b || a === c || b === c) throw new Error(`TripletRegistry: a triplet needs three different clips, got (${a}, ${b}, ${c})`);
    let x = a;
    let y = b;
    let z = c;
    if (x > y) [x, y] = [y, x];
    if (y > z) [y, z] = [z, y];
    if (x > y) [x, y] = [y, x];
    return z < KEY_BASE ? (x * KEY_BASE + y) * KEY_BASE + z : `${x},${y},${z}`;
  }
}

export interface ConversionReport {
  /** sum of vote counts (a relative judgment counts as one vote) */
  readonly votes: number;
  /** judgment records converted */
  readonly judgments: number;
  /** constraints as generated, before aggregation (two per vote record, one per relative record) */
  readonly constraintsRaw: number;
  /** distinct constraints after aggregating identical ones, before resolving contradictions */
  readonly constraintsBefore: number;
  readonly constraintsAfter: number;
  /** contradicting pairs (same triplet and anchor, near/far swapped) decided by weight */
  readonly contradictionsResolved: number;
  /** contradicting pairs of equal weight: both dropped */
  readonly tiesDropped: number;
  /** distinct clips in the output constraints */
  readonly clips: number;
  /** distinct triplets in the output constraints */
  readonly triplets: number;
}

export interface ToConstraintsOptions {
  /**
   * weight of the winner of a contradiction: 'majority' (default) keeps its own aggregated weight,
   * 'margin' keeps its weight minus the loser's
   */
  readonly contradictionWeight?: 'majority' | 'margin';
  /** two contradicting weights are a tie when |w1 − w2| ≤ tieTolerance · max(w1, w2) (default 1e-12) */
  readonly tieTolerance?: number;
  /** file name for error messages (default "judgments") */
  readonly file?: string;
}

const idIndexCache = new WeakMap<readonly string[], Map<string, number>>();

/** id → row index of FeatureSet.ids (cached per ids array); duplicate ids are an error. */
export function idIndex(ids: readonly string[]): Map<string, number> {
  let m = idIndexCache.get(ids);
  if (!m) {
    m = new Map();
    for (let i = 0; i < ids.length; i++) {
      if (m.has(ids[i])) throw new Error(`feature ids: "${ids[i]}" occurs twice (rows ${m.get(ids[i])! + 1} and ${i + 1})`);
      m.set(ids[i], i);
    }
    idIndexCache.set(ids, m);
  }
  return m;
}

/** Votes a judgment stands for: its count (votes) or 1 (relative judgments). */
export function judgmentVotes(j: Judgment): number {
  return j.kind === 'vote' ? j.count : 1;
}

/** Convert judgments to aggregated, contradiction-free relative constraints over rows of `ids`. */
export function toConstraints(
  judgments: readonly Judgment[],
  ids: readonly string[],
  registry: TripletRegistry,
  opts: ToConstraintsOptions = {},
): { constraints: ConstraintSet; report: ConversionReport } {
  const file = opts.file ?? 'judgments';
  const mode = opts.contradictionWeight ?? 'majority';
  if (mode !== 'majority' && mode !== 'margin') throw new Error(`toConstraints: contradictionWeight must be 'majority' or 'margin', got ${String(mode)}`);
  const tieTol = opts.tieTolerance ?? 1e-12;
  const index = idIndex(ids);
  registry.bind(ids.length);

  // one slot per (triplet, anchor): the two possible constraints there are (near=lo, far=hi) and (near=hi, far=lo)
  const cap = 2 * judgments.length;
  const sTrip = new Int32Array(cap);
  const sAnchor = new Int32Array(cap);
  const sLo = new Int32Array(cap);
  const sHi = new Int32Array(cap);
  const wLoNear = new Float64Array(cap);
  const wHiNear = new Float64Array(cap);
  const sKey = new Float64Array(cap);
  const slotOf = new Map<number, number>();
  let slots = 0;
  let raw = 0;
  let votes = 0;

  const add = (a: number, n: number, f: number, w: number): void => {
    const t = registry.id(a, n, f);
    const rank = (a > n ? 1 : 0) + (a > f ? 1 : 0);
    const key = t * 3 + rank;
    let s = slotOf.get(key);
    if (s === undefined) {
      s = slots++;
      slotOf.set(key, s);
      sTrip[s] = t;
      sAnchor[s] = a;
      sLo[s] = n < f ? n : f;
      sHi[s] = n < f ? f : n;
      sKey[s] = key;
    }
    if (n < f) wLoNear[s] += w;
    else wHiNear[s] += w;
    raw++;
  };
  const row = (id: string, j: Judgment, what: string): number => {
    const r = index.get(id);
    if (r === undefined) throw new DataError({ file, line: j.line, message: `${what} "${id}" is not in the features file`, expected: 'an id of the features file' });
    return r;
  };

  for (let k = 0; k < judgments.length; k++) {
    const j = judgments[k];
    if (j.kind === 'vote') {
      const c = j.count;
      if (!(c >= 0) || !Number.isFinite(c)) throw new DataError({ file, line: j.line, message: `vote count ${c} is not a non-negative number`, expected: 'a non-negative vote count' });
      votes += c;
      if (c === 0) continue;
      const r0 = row(j.clips[0], j, 'clip 1');
      const r1 = row(j.clips[1], j, 'clip 2');
      const r2 = row(j.clips[2], j, 'clip 3');
      if (r0 === r1 || r0 === r2 || r1 === r2) throw new DataError({ file, line: j.line, message: `triplet (${j.clips.join(', ')}) repeats a clip`, expected: 'three different clips' });
      const odd = j.odd === 0 ? r0 : j.odd === 1 ? r1 : r2;
      const p = j.odd === 0 ? r1 : r0;
      const q = j.odd === 2 ? r1 : r2;
      add(p, q, odd, c);
      add(q, p, odd, c);
    } else {
      const w = j.weight;
      if (!(w > 0) || !Number.isFinite(w)) throw new DataError({ file, line: j.line, message: `weight ${w} is not positive`, expected: 'a positive finite weight' });
      votes += 1;
      const a = row(j.anchor, j, 'anchor');
      const n = row(j.near, j, 'near clip');
      const f = row(j.far, j, 'far clip');
      if (a === n || a === f || n === f) throw new DataError({ file, line: j.line, message: `(${j.anchor}, ${j.near}, ${j.far}) repeats a clip`, expected: 'anchor, near and far to be three different clips' });
      add(a, n, f, w);
    }
  }

  // resolve contradictions slot by slot
  let before = 0;
  let resolved = 0;
  let ties = 0;
  const keep = new Int32Array(slots);
  const near = new Int32Array(slots);
  const far = new Int32Array(slots);
  const weight = new Float64Array(slots);
  let m = 0;
  for (let s = 0; s < slots; s++) {
    const wl = wLoNear[s];
    const wh = wHiNear[s];
    if (wl > 0 && wh > 0) {
      before += 2;
      const big = wl > wh ? wl : wh;
      if (Math.abs(wl - wh) <= tieTol * big) {
        ties++;
        continue;
      }
      resolved++;
      const loWins = wl > wh;
      near[s] = loWins ? sLo[s] : sHi[s];
      far[s] = loWins ? sHi[s] : sLo[s];
      weight[s] = mode === 'margin' ? Math.abs(wl - wh) : big;
    } else {
      before += 1;
      const loNear = wl > 0;
      near[s] = loNear ? sLo[s] : sHi[s];
      far[s] = loNear ? sHi[s] : sLo[s];
      weight[s] = loNear ? wl : wh;
    }
    keep[m++] = s;
  }

  // deterministic order: triplet id, then anchor (key = triplet·3 + rank of the anchor in the triplet)
  const order = Array.from(keep.subarray(0, m)).sort((x, y) => sKey[x] - sKey[y]);
  const out = { count: m, a: new Int32Array(m), n: new Int32Array(m), f: new Int32Array(m), weight: new Float64Array(m), triplet: new Int32Array(m) };
  const clipSeen = new Uint8Array(ids.length);
  let clips = 0;
  let triplets = 0;
  for (let r = 0; r < m; r++) {
    const s = order[r];
    out.a[r] = sAnchor[s];
    out.n[r] = near[s];
    out.f[r] = far[s];
    out.weight[r] = weight[s];
    out.triplet[r] = sTrip[s];
    if (r === 0 || out.triplet[r] !== out.triplet[r - 1]) triplets++;
    clips += mark(clipSeen, sAnchor[s]) + mark(clipSeen, near[s]) + mark(clipSeen, far[s]);
  }
  return {
    constraints: out,
    report: {
      votes,
      judgments: judgments.length,
      constraintsRaw: raw,
      constraintsBefore: before,
      constraintsAfter: m,
      contradictionsResolved: resolved,
      tiesDropped: ties,
      clips,
      triplets,
    },
  };
}

/** 1 the first time clip c is seen, 0 after. */
function mark(seen: Uint8Array, c: number): number {
  if (seen[c]) return 0;
  seen[c] = 1;
  return 1;
}

// ---------------------------------------------------------------------------------------------
// groups

const collator = new Intl.Collator('en', { numeric: true });
const byValue = (x: string, y: string): number => collator.compare(x, y) || (x < y ? -1 : x > y ? 1 : 0);

function checkAttribute(js: JudgmentSet, column: string): void {
  if (!js.attributeColumns.includes(column)) {
    throw new DataError({
      file: js.source,
      column,
      message: `"${column}" is not an attribute column`,
      expected: js.attributeColumns.length ? `one of ${js.attributeColumns.map((c) => `"${c}"`).join(', ')}` : 'a judgments file with attribute columns (this one has none)',
    });
  }
}

/** Distinct values of an attribute column (sorted, numbers in numeric order). */
export function groupValues(js: JudgmentSet, column: string): string[] {
  checkAttribute(js, column);
  const values = new Set<string>();
  for (const j of js.judgments) {
    const v = j.attrs[column];
    if (v !== undefined) values.add(v);
  }
  return [...values].sort(byValue);
}

/** The judgments with `column` = `value`, and all others (including those without the attribute). */
export function splitGroup(js: JudgmentSet, column: string, value: string): { group: Judgment[]; complement: Judgment[] } {
  checkAttribute(js, column);
  const group: Judgment[] = [];
  const complement: Judgment[] = [];
  for (const j of js.judgments) (j.attrs[column] === value ? group : complement).push(j);
  return { group, complement };
}

export interface GroupCounts {
  readonly votes: number;
  readonly constraints: number;
  readonly clips: number;
}

export interface GroupSummaryRow extends GroupCounts {
  /** the attribute value, or ALL_GROUP for the row over all data */
  readonly group: string;
  readonly complement: GroupCounts;
}

/** Name of the summary row over all data. */
export const ALL_GROUP = 'all';

/**
 * Ratings / constraints / clips per group and its complement (the poster's table per age group),
 * then one row `all` over all judgments (its complement is empty).
 */
export function groupSummary(js: JudgmentSet, ids: readonly string[], column: string, opts: ToConstraintsOptions = {}): GroupSummaryRow[] {
  const o = { file: js.source, ...opts };
  const counts = (judgments: readonly Judgment[]): GroupCounts => {
    const { report } = toConstraints(judgments, ids, new TripletRegistry(), o);
    return { votes: report.votes, constraints: report.constraintsAfter, clips: report.clips };
  };
  const rows: GroupSummaryRow[] = groupValues(js, column).map((value) => {
    const { group, complement } = splitGroup(js, column, value);
    return { group: value, ...counts(group), complement: counts(complement) };
  });
  rows.push({ group: ALL_GROUP, ...counts(js.judgments), complement: { votes: 0, constraints: 0, clips: 0 } });
  return rows;
}
