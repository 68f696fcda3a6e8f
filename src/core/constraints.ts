/**
 * Votes → relative constraints → groups (METHOD.md §1).
 *
 * An odd-one-out vote on (A, B, C) with B odd gives the two constraints (anchor=A, near=C, far=B) and
 * (anchor=C, near=A, far=B), each weighted by the vote count. Identical constraints are aggregated
 * (weights summed). The two constraints that share an anchor and a triplet but swap near and far
 * contradict each other: the heavier wins (majority), equal weights are a tie and both are dropped.
 */
import { DataError, type ConstraintSet, type Judgment, type JudgmentSet } from './types';
import { own } from './own';

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

/**
 * Constraints gathered slot by slot: one slot per (triplet, anchor), where the two possible constraints are
 * (near = lo, far = hi) and (near = hi, far = lo); their summed weights decide contradictions.
 */
interface Slots {
  count: number;
  readonly trip: Int32Array;
  readonly anchor: Int32Array;
  readonly lo: Int32Array;
  readonly hi: Int32Array;
  readonly wLoNear: Float64Array;
  readonly wHiNear: Float64Array;
  /** triplet·3 + rank of the anchor in the triplet: the output order */
  readonly key: Float64Array;
  readonly slotOf: Map<number, number>;
  raw: number;
  votes: number;
}

/** Convert judgments to aggregated, contradiction-free relative constraints over rows of `ids`. */
export function toConstraints(
  judgments: readonly Judgment[],
  ids: readonly string[],
  registry: TripletRegistry,
  opts: ToConstraintsOptions = {},
): { constraints: ConstraintSet; report: ConversionReport } {
  const mode = opts.contradictionWeight ?? 'majority';
  if (mode !== 'majority' && mode !== 'margin') throw new Error(`toConstraints: contradictionWeight must be 'majority' or 'margin', got ${String(mode)}`);
  registry.bind(ids.length);
  const slots = collectSlots(judgments, ids, registry, opts.file ?? 'judgments');
  const kept = resolveSlots(slots, mode, opts.tieTolerance ?? 1e-12);
  const { constraints, clips, triplets } = orderedConstraints(slots, kept, ids.length);
  return {
    constraints,
    report: {
      votes: slots.votes,
      judgments: judgments.length,
      constraintsRaw: slots.raw,
      constraintsBefore: kept.before,
      constraintsAfter: constraints.count,
      contradictionsResolved: kept.resolved,
      tiesDropped: kept.ties,
      clips,
      triplets,
    },
  };
}

/** Every judgment's constraints added to their (triplet, anchor) slots, with located errors for bad rows. */
function collectSlots(judgments: readonly Judgment[], ids: readonly string[], registry: TripletRegistry, file: string): Slots {
  const index = idIndex(ids);
  const cap = 2 * judgments.length;
  const S: Slots = {
    count: 0,
    trip: new Int32Array(cap),
    anchor: new Int32Array(cap),
    lo: new Int32Array(cap),
    hi: new Int32Array(cap),
    wLoNear: new Float64Array(cap),
    wHiNear: new Float64Array(cap),
    key: new Float64Array(cap),
    slotOf: new Map(),
    raw: 0,
    votes: 0,
  };
  const add = (a: number, n: number, f: number, w: number): void => {
    const t = registry.id(a, n, f);
    const rank = (a > n ? 1 : 0) + (a > f ? 1 : 0);
    const key = t * 3 + rank;
    let s = S.slotOf.get(key);
    if (s === undefined) {
      s = S.count++;
      S.slotOf.set(key, s);
      S.trip[s] = t;
      S.anchor[s] = a;
      S.lo[s] = n < f ? n : f;
      S.hi[s] = n < f ? f : n;
      S.key[s] = key;
    }
    if (n < f) S.wLoNear[s] += w;
    else S.wHiNear[s] += w;
    S.raw++;
  };
  const row = (id: string, j: Judgment, what: string): number => {
    const r = index.get(id);
    if (r === undefined)
      throw new DataError({ file, line: j.line, message: `${what} "${id}" is not in the features file`, expected: 'an id of the features file' });
    return r;
  };
  for (let k = 0; k < judgments.length; k++) {
    const j = judgments[k];
    if (j.kind === 'vote') {
      const c = j.count;
      if (!(c >= 0) || !Number.isFinite(c))
        throw new DataError({ file, line: j.line, message: `vote count ${c} is not a non-negative number`, expected: 'a non-negative vote count' });
      S.votes += c;
      if (c === 0) continue;
      const r0 = row(j.clips[0], j, 'clip 1');
      const r1 = row(j.clips[1], j, 'clip 2');
      const r2 = row(j.clips[2], j, 'clip 3');
      if (r0 === r1 || r0 === r2 || r1 === r2)
        throw new DataError({ file, line: j.line, message: `triplet (${j.clips.join(', ')}) repeats a clip`, expected: 'three different clips' });
      const odd = j.odd === 0 ? r0 : j.odd === 1 ? r1 : r2;
      const p = j.odd === 0 ? r1 : r0;
      const q = j.odd === 2 ? r1 : r2;
      add(p, q, odd, c);
      add(q, p, odd, c);
    } else {
      const w = j.weight;
      if (!(w > 0) || !Number.isFinite(w))
        throw new DataError({ file, line: j.line, message: `weight ${w} is not positive`, expected: 'a positive finite weight' });
      S.votes += 1;
      const a = row(j.anchor, j, 'anchor');
      const n = row(j.near, j, 'near clip');
      const f = row(j.far, j, 'far clip');
      if (a === n || a === f || n === f)
        throw new DataError({
          file,
          line: j.line,
          message: `(${j.anchor}, ${j.near}, ${j.far}) repeats a clip`,
          expected: 'anchor, near and far to be three different clips',
        });
      add(a, n, f, w);
    }
  }
  return S;
}

/** Contradictions resolved slot by slot: the majority wins, (near-)ties are dropped. */
function resolveSlots(S: Slots, mode: 'majority' | 'margin', tieTol: number) {
  let before = 0;
  let resolved = 0;
  let ties = 0;
  const keep = new Int32Array(S.count);
  const near = new Int32Array(S.count);
  const far = new Int32Array(S.count);
  const weight = new Float64Array(S.count);
  let m = 0;
  for (let s = 0; s < S.count; s++) {
    const wl = S.wLoNear[s];
    const wh = S.wHiNear[s];
    if (wl > 0 && wh > 0) {
      before += 2;
      const big = wl > wh ? wl : wh;
      if (Math.abs(wl - wh) <= tieTol * big) {
        ties++;
        continue;
      }
      resolved++;
      const loWins = wl > wh;
      near[s] = loWins ? S.lo[s] : S.hi[s];
      far[s] = loWins ? S.hi[s] : S.lo[s];
      weight[s] = mode === 'margin' ? Math.abs(wl - wh) : big;
    } else {
      before += 1;
      const loNear = wl > 0;
      near[s] = loNear ? S.lo[s] : S.hi[s];
      far[s] = loNear ? S.hi[s] : S.lo[s];
      weight[s] = loNear ? wl : wh;
    }
    keep[m++] = s;
  }
  return { keep: keep.subarray(0, m), near, far, weight, before, resolved, ties };
}

/** The kept constraints in a deterministic order: triplet id, then anchor; with clip and triplet counts. */
function orderedConstraints(S: Slots, kept: ReturnType<typeof resolveSlots>, nIds: number) {
  const order = Array.from(kept.keep).sort((x, y) => S.key[x] - S.key[y]);
  const m = order.length;
  const out = { count: m, a: new Int32Array(m), n: new Int32Array(m), f: new Int32Array(m), weight: new Float64Array(m), triplet: new Int32Array(m) };
  const clipSeen = new Uint8Array(nIds);
  let clips = 0;
  let triplets = 0;
  for (let r = 0; r < m; r++) {
    const s = order[r];
    out.a[r] = S.anchor[s];
    out.n[r] = kept.near[s];
    out.f[r] = kept.far[s];
    out.weight[r] = kept.weight[s];
    out.triplet[r] = S.trip[s];
    if (r === 0 || out.triplet[r] !== out.triplet[r - 1]) triplets++;
    clips += mark(clipSeen, S.anchor[s]) + mark(clipSeen, kept.near[s]) + mark(clipSeen, kept.far[s]);
  }
  return { constraints: out as ConstraintSet, clips, triplets };
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
      expected: js.attributeColumns.length
        ? `one of ${js.attributeColumns.map((c) => `"${c}"`).join(', ')}`
        : 'a judgments file with attribute columns (this one has none)',
    });
  }
}

/** Distinct values of an attribute column (sorted, numbers in numeric order). */
export function groupValues(js: JudgmentSet, column: string): string[] {
  checkAttribute(js, column);
  const values = new Set<string>();
  for (const j of js.judgments) {
    const v = attribute(j, column);
    if (v !== undefined) values.add(v);
  }
  return [...values].sort(byValue);
}

/** The judgments with `column` = `value`, and all others (including those without the attribute). */
export function splitGroup(js: JudgmentSet, column: string, value: string): { group: Judgment[]; complement: Judgment[] } {
  checkAttribute(js, column);
  const group: Judgment[] = [];
  const complement: Judgment[] = [];
  for (const j of js.judgments) (attribute(j, column) === value ? group : complement).push(j);
  return { group, complement };
}

/** A judgment's own attribute value (never an inherited property such as `constructor` for a column of that name). */
export function attribute(j: Judgment, column: string): string | undefined {
  return own(j.attrs, column);
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
