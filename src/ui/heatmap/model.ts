/**
 * View model of the metric heatmaps (template W0, fine-tuned W, change ΔW = W − W0): pure TypeScript,
 * no DOM, no plotly. The React component `MetricHeatmaps` only turns this model into plotly traces.
 *
 * Conventions (documented here, tested in model.test.ts):
 * - Matrices are d×d row-major number arrays (`GroupMetrics.W0` / `.W`).
 * - Views:
 *     · 'raw'          the matrices as learnt;
 *     · 'correlation'  C_ij = W_ij / √(W_ii W_jj), diagonal exactly 1. When W_ii·W_jj ≤ 0 (a zero row of a
 *                      PSD matrix) the correlation is undefined and shown as 0 off the diagonal;
 *     · 'offdiag'      raw values with the diagonal blanked (null); the diagonals of W0 and W are returned
 *                      separately (for a grouped bar chart).
 *   ΔW is taken in the view's space: raw W − W0, or corr(W) − corr(W0) in correlation mode.
 * - Colour ranges: W0 and W share ONE symmetric range [−m, m], m = max |value| over both matrices
 *   (blanked cells excluded); ΔW has its own symmetric range. If m = 0 (all zero) the range is [−1, 1]
 *   so the cells still render at the white centre of the scale.
 * - Top-k changes: the k largest |ΔW_ij| over the strict upper triangle (i < j, each unordered pair once),
 *   sorted by |ΔW| descending, ties by (i, j) ascending; pairs with ΔW_ij exactly 0 are not changes and
 *   never listed (so fewer than k may come back). Labelled `${names[i]}–${names[j]} ${sign}${|v|}`
 *   in MATRIX ORDER (i < j: the feature that comes first in the features file first), an en dash between
 *   the names, sign '+' or '−' (U+2212 minus), two decimals: e.g. "T5–T6 +0.41".
 * - offDiagonalShare = ‖offdiag(ΔW)‖_F / ‖ΔW‖_F of the RAW change (in correlation space the diagonal
 *   change is 0 by construction, so the share would always be 1); 0 when ΔW = 0.
 * - Names reach plotly only through `escapePlotlyText` ('&', '<', '>' → entities), because plotly
 *   interprets a subset of HTML tags in labels, titles and hover text.
 */
import { csvCell } from '../../core/parse/features';

export type HeatmapView = 'raw' | 'correlation' | 'offdiag';

export const HEATMAP_VIEWS: readonly { readonly id: HeatmapView; readonly label: string }[] = [
  { id: 'offdiag', label: 'Off-diagonal only' },
  { id: 'correlation', label: 'Correlation' },
  { id: 'raw', label: 'Raw' },
];

/** Largest d drawn as heatmaps; above it the UI asks for PCA (768 MERT features would be unreadable). */
export const MAX_HEATMAP_D = 200;

/**
 * White-centred diverging colourscale: ColorBrewer RdBu (11 classes) reversed, i.e. blue for negative,
 * white at 0 (the middle of a symmetric range), red for positive. Plotly's built-in 'RdBu' has a grey
 * centre, hence this explicit scale.
 */
export const DIVERGING_COLORSCALE: readonly (readonly [number, string])[] = [
  [0.0, '#053061'],
  [0.1, '#2166ac'],
  [0.2, '#4393c3'],
  [0.3, '#92c5de'],
  [0.4, '#d1e5f0'],
  [0.5, '#ffffff'],
  [0.6, '#fddbc7'],
  [0.7, '#f4a582'],
  [0.8, '#d6604d'],
  [0.9, '#b2182b'],
  [1.0, '#67001f'],
];

/** Escape text from data for plotly labels / hover text: '&', '<', '>' become entities (plotly decodes them). */
export function escapePlotlyText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Axis tick label: the name shortened to `max` characters (with '…'), then escaped. */
export function axisLabel(name: string, max = 24): string {
  const chars = Array.from(name);
  const short = chars.length > max ? chars.slice(0, Math.max(1, max - 1)).join('') + '…' : name;
  return escapePlotlyText(short);
}

/**
 * Check the inputs and return d. Throws an Error naming the argument and what was expected.
 * `where` prefixes the message (e.g. the group name).
 */
export function checkMetricInput(names: readonly string[], W0: ArrayLike<number>, W: ArrayLike<number>, where = 'metric heatmaps'): number {
  const d = names.length;
  if (d === 0) throw new Error(`${where}: no feature names (expected d ≥ 1 names)`);
  if (W0.length !== d * d) {
    throw new Error(`${where}: W0 has ${W0.length} values, expected d² = ${d * d} for ${d} feature names`);
  }
  if (W.length !== d * d) {
    throw new Error(`${where}: W has ${W.length} values, expected d² = ${d * d} for ${d} feature names`);
  }
  for (let k = 0; k < d * d; k++) {
    if (!Number.isFinite(W0[k])) {
      throw new Error(`${where}: W0[${Math.floor(k / d)}][${k % d}] is ${W0[k]} (expected a finite number)`);
    }
    if (!Number.isFinite(W[k])) {
      throw new Error(`${where}: W[${Math.floor(k / d)}][${k % d}] is ${W[k]} (expected a finite number)`);
    }
  }
  return d;
}

/** C_ij = M_ij / √(M_ii M_jj), diagonal 1; 0 off the diagonal where M_ii·M_jj ≤ 0. */
export function correlationMatrix(M: ArrayLike<number>, d: number): Float64Array {
  const inv = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    const v = M[i * d + i];
    inv[i] = v > 0 ? 1 / Math.sqrt(v) : 0;
  }
  const C = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    const si = inv[i];
    const row = i * d;
    for (let j = 0; j < d; j++) C[row + j] = M[row + j] * si * inv[j];
    C[row + i] = 1;
  }
  return C;
}

/** The matrix shown for a view (offdiag: the raw values; blanking happens in `toGrid`). */
export function viewMatrix(M: ArrayLike<number>, d: number, view: HeatmapView): Float64Array {
  if (view === 'correlation') return correlationMatrix(M, d);
  return Float64Array.from(M as ArrayLike<number>);
}

/** Element-wise A − B. */
export function difference(A: ArrayLike<number>, B: ArrayLike<number>): Float64Array {
  if (A.length !== B.length) throw new Error(`difference: lengths differ (${A.length} vs ${B.length})`);
  const D = new Float64Array(A.length);
  for (let k = 0; k < A.length; k++) D[k] = A[k] - B[k];
  return D;
}

/**
 * Symmetric colour range [−m, m] with m = max |value| over all given d×d matrices, the diagonal excluded
 * when `skipDiagonal`; [−1, 1] when m = 0.
 */
export function symmetricRange(mats: readonly ArrayLike<number>[], d: number, skipDiagonal: boolean): [number, number] {
  let m = 0;
  for (const M of mats) {
    for (let i = 0; i < d; i++) {
      const row = i * d;
      for (let j = 0; j < d; j++) {
        if (skipDiagonal && i === j) continue;
        const a = Math.abs(M[row + j]);
        if (a > m) m = a;
      }
    }
  }
  if (m === 0) m = 1;
  return [-m, m];
}

/** Row-major array to a plotly z grid (row 0 first); the diagonal null when `blankDiagonal`. */
export function toGrid(M: ArrayLike<number>, d: number, blankDiagonal: boolean): (number | null)[][] {
  const z: (number | null)[][] = new Array(d);
  for (let i = 0; i < d; i++) {
    const r: (number | null)[] = new Array(d);
    for (let j = 0; j < d; j++) r[j] = blankDiagonal && i === j ? null : M[i * d + j];
    z[i] = r;
  }
  return z;
}

/** A copy of a d×d matrix with its diagonal null (what the off-diagonal view shows). */
export function blankDiagonal(M: ArrayLike<number>, d: number): (number | null)[] {
  const out: (number | null)[] = Array.from(M as ArrayLike<number>);
  for (let i = 0; i < d; i++) out[i * d + i] = null;
  return out;
}

export function diagonal(M: ArrayLike<number>, d: number): number[] {
  const out = new Array<number>(d);
  for (let i = 0; i < d; i++) out[i] = M[i * d + i];
  return out;
}

/** "+0.41" / "−0.41" (U+2212), two decimals. */
export function formatSigned(v: number, digits = 2): string {
  return (v < 0 ? '\u2212' : '+') + Math.abs(v).toFixed(digits);
}

export interface TopChange {
  /** row index (i < j) */
  readonly i: number;
  /** column index */
  readonly j: number;
  readonly a: string;
  readonly b: string;
  /** ΔW_ij in the view's space */
  readonly value: number;
  /** e.g. "T5–T6 +0.41" (raw names, not escaped: escape before giving it to plotly) */
  readonly label: string;
}

/**
 * The k largest |ΔW_ij|, i < j, each pair once (see module doc for order and label). k is clamped to the
 * number of pairs with a non-zero change (at most d(d−1)/2).
 */
export function topChanges(dW: ArrayLike<number>, d: number, names: readonly string[], k: number): TopChange[] {
  const pairs = (d * (d - 1)) / 2;
  const kk = Math.max(0, Math.min(Math.floor(k), pairs));
  if (kk === 0) return [];
  const idx = new Int32Array(pairs);
  const abs = new Float64Array(pairs);
  let p = 0;
  for (let i = 0; i < d; i++) {
    for (let j = i + 1; j < d; j++) {
      idx[p] = i * d + j;
      abs[p] = Math.abs(dW[i * d + j]);
      p++;
    }
  }
  // stable order: |Δ| descending, then flat index (i, j) ascending
  const order = Array.from({ length: pairs }, (_, q) => q);
  order.sort((x, y) => abs[y] - abs[x] || idx[x] - idx[y]);
  const out: TopChange[] = [];
  for (let q = 0; q < kk; q++) {
    if (abs[order[q]] === 0) break;
    const flat = idx[order[q]];
    const i = Math.floor(flat / d);
    const j = flat % d;
    const value = dW[flat];
    out.push({ i, j, a: names[i], b: names[j], value, label: `${names[i]}\u2013${names[j]} ${formatSigned(value)}` });
  }
  return out;
}

/** ‖offdiag(ΔW)‖_F / ‖ΔW‖_F in [0, 1]; 0 when ΔW = 0. */
export function offDiagonalShare(dW: ArrayLike<number>, d: number): number {
  let off = 0;
  let all = 0;
  for (let i = 0; i < d; i++) {
    const row = i * d;
    for (let j = 0; j < d; j++) {
      const v = dW[row + j];
      const s = v * v;
      all += s;
      if (i !== j) off += s;
    }
  }
  if (all === 0) return 0;
  return Math.min(1, Math.sqrt(off / all));
}

/**
 * A d×d matrix as CSV: header `,name1,…,named`, then one row per feature starting with its name.
 * Numbers at full precision (String(v)); null cells (e.g. a blanked diagonal) are empty. Lines end in '\n'.
 */
export function matrixToCsv(names: readonly string[], M: ArrayLike<number | null>, d: number): string {
  if (names.length !== d) throw new Error(`matrixToCsv: ${names.length} names for a ${d}×${d} matrix`);
  if (M.length !== d * d) throw new Error(`matrixToCsv: ${M.length} values, expected ${d * d}`);
  const header = [''].concat(names.map(csvCell)).join(',');
  const lines = [header];
  for (let i = 0; i < d; i++) {
    const cells = [csvCell(names[i])];
    for (let j = 0; j < d; j++) {
      const v = M[i * d + j];
      cells.push(v === null || v === undefined ? '' : String(v));
    }
    lines.push(cells.join(','));
  }
  return lines.join('\n') + '\n';
}

/** Comparison signs in group names ("<=25", ">25") spelled out, so different groups get different slugs. */
const SIGNS: readonly (readonly [RegExp, string])[] = [
  [/<=|≤/g, ' le '],
  [/>=|≥/g, ' ge '],
  [/</g, ' lt '],
  [/>/g, ' gt '],
  [/!=|≠/g, ' ne '],
  [/=/g, ' eq '],
  [/\+/g, ' plus '],
  [/%/g, ' pct '],
];

/**
 * A file-name-safe slug of a group name (letters, digits, '-', '_'; at most 60 characters): comparison signs
 * are spelled out ("<=25" → "le25", ">25" → "gt25"), other punctuation becomes '-'.
 */
export function fileSlug(s: string): string {
  let t = s.normalize('NFKC');
  for (const [re, word] of SIGNS) t = t.replace(re, word);
  const slug = t
    .trim()
    .replace(/\s+(\d)/g, '$1')
    .normalize('NFKD')
    .replace(/[^\w-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60);
  return slug || 'group';
}

/** fileSlug of each name, made unique: a slug that two names share gets "-2", "-3", … on its later names. */
export function uniqueSlugs(names: readonly string[]): string[] {
  const seen = new Map<string, number>();
  const taken = new Set(names.map(fileSlug));
  return names.map((n) => {
    const base = fileSlug(n);
    const k = (seen.get(base) ?? 0) + 1;
    seen.set(base, k);
    if (k === 1) return base;
    let q = k;
    while (taken.has(`${base}-${q}`)) q++;
    taken.add(`${base}-${q}`);
    return `${base}-${q}`;
  });
}

/** Size of one heatmap panel: cell size, tick font and angle, margins, and the plot's width and height in px. */
export interface HeatmapSize {
  readonly cell: number;
  readonly font: number;
  readonly tickAngle: number;
  readonly margin: { readonly l: number; readonly r: number; readonly t: number; readonly b: number };
  readonly width: number;
  readonly height: number;
}

/** px of the colour bar and its numbers, right of the grid */
const COLORBAR_PX = 72;

/**
 * Panels sized by feature count: cells of 12–28 px (≥ 12 px up to d = 60, so 30 features give a 360 px grid;
 * above, the grid stays 720 px wide and plotly's zoom reads it), a tick font of 10–12 px that fits a cell, labels
 * turned 90° when cells are narrower than 16 px (at 45° neighbours would overlap), margins from the longest label.
 */
export function heatmapSize(d: number, tickLabels: readonly string[]): HeatmapSize {
  const cell = d <= 60 ? Math.max(12, Math.min(28, Math.floor(360 / Math.max(1, d)))) : 720 / d;
  const font = Math.max(10, Math.min(12, Math.floor(cell) - 2));
  const tickAngle = cell < 16 ? -90 : -45;
  const longest = Math.max(1, ...tickLabels.map((t) => Array.from(t.replace(/&(amp|lt|gt);/g, '_')).length));
  const labelPx = Math.ceil(longest * font * 0.62) + 8;
  const margin = { l: labelPx, r: COLORBAR_PX, t: 8, b: tickAngle === -90 ? labelPx : Math.ceil(labelPx * 0.75) + 8 };
  const grid = Math.round(cell * d);
  return { cell, font, tickAngle, margin, width: margin.l + grid + margin.r, height: margin.t + grid + margin.b };
}

/** A number for hover text: 3 decimals, or 3 significant digits in exponent form when very large/small. */
export function formatValue(v: number): string {
  const a = Math.abs(v);
  if (a !== 0 && (a >= 1e4 || a < 1e-3)) return v.toExponential(2);
  return v.toFixed(3);
}

export interface HeatmapModel {
  readonly d: number;
  readonly view: HeatmapView;
  /** raw names */
  readonly names: readonly string[];
  /** escaped, shortened tick labels */
  readonly tickLabels: readonly string[];
  /** values in the view's space, full (diagonal included), row-major */
  readonly W0: Float64Array;
  readonly W: Float64Array;
  readonly dW: Float64Array;
  /** plotly z grids (diagonal null in 'offdiag') */
  readonly zW0: (number | null)[][];
  readonly zW: (number | null)[][];
  readonly zdW: (number | null)[][];
  /** shared symmetric range of W0 and W */
  readonly range: [number, number];
  /** symmetric range of ΔW */
  readonly dRange: [number, number];
  /** diagonals of the raw W0 and W (shown as bars in 'offdiag') */
  readonly diagW0: number[];
  readonly diagW: number[];
  readonly top: TopChange[];
  /** of the raw change, see module doc */
  readonly offDiagonalShare: number;
  /** hover text per cell (same in all three panels): escaped names, W0, W and ΔW of the view */
  readonly hover: string[][];
}

export interface HeatmapInput {
  readonly names: readonly string[];
  /** absent (no W0-RITML template): W0 is taken as W, ΔW = 0, and the hover text shows W only */
  readonly W0?: ArrayLike<number>;
  readonly W: ArrayLike<number>;
}

/** Build everything the three panels need for one view. Throws (see `checkMetricInput`) on bad input. */
export function buildHeatmapModel(input: HeatmapInput, view: HeatmapView, k: number, where?: string): HeatmapModel {
  const { names } = input;
  const hasTemplate = input.W0 !== undefined;
  const rawW0 = input.W0 ?? input.W;
  const d = checkMetricInput(names, rawW0, input.W, where);
  const W0 = viewMatrix(rawW0, d, view);
  const W = viewMatrix(input.W, d, view);
  const dW = difference(W, W0);
  const blank = view === 'offdiag';
  const rawDelta = view === 'correlation' ? difference(input.W, rawW0) : dW;
  const escaped = names.map(escapePlotlyText);
  const hover: string[][] = new Array(d);
  for (let i = 0; i < d; i++) {
    const r = new Array<string>(d);
    for (let j = 0; j < d; j++) {
      const q = i * d + j;
      r[j] = hasTemplate
        ? `${escaped[i]} × ${escaped[j]}<br>` +
          `W0: ${formatValue(W0[q])}<br>W: ${formatValue(W[q])}<br>ΔW: ${dW[q] < 0 ? '\u2212' : '+'}${formatValue(Math.abs(dW[q]))}`
        : `${escaped[i]} × ${escaped[j]}<br>W: ${formatValue(W[q])}`;
    }
    hover[i] = r;
  }
  return {
    d,
    view,
    names,
    tickLabels: names.map((n) => axisLabel(n)),
    W0,
    W,
    dW,
    zW0: toGrid(W0, d, blank),
    zW: toGrid(W, d, blank),
    zdW: toGrid(dW, d, blank),
    range: symmetricRange([W0, W], d, blank),
    dRange: symmetricRange([dW], d, blank),
    diagW0: diagonal(rawW0, d),
    diagW: diagonal(input.W, d),
    top: topChanges(dW, d, names, k),
    offDiagonalShare: offDiagonalShare(rawDelta, d),
    hover,
  };
}
