import { describe, expect, it } from 'vitest';
import { csvCell } from '../../core/parse/features';
import {
  DIVERGING_COLORSCALE,
  axisLabel,
  buildHeatmapModel,
  checkMetricInput,
  correlationMatrix,
  diagonal,
  escapePlotlyText,
  blankDiagonal,
  fileSlug,
  heatmapSize,
  uniqueSlugs,
  formatSigned,
  matrixToCsv,
  offDiagonalShare,
  symmetricRange,
  toGrid,
  topChanges,
} from './model';

// 3×3 symmetric example
const names3 = ['T1', 'T2', 'T3'];
const W0_3 = [
  4,
  1,
  0, //
  1,
  1,
  0.5,
  0,
  0.5,
  9,
];
const W_3 = [
  4,
  1.8,
  -0.3, //
  1.8,
  2,
  0.5,
  -0.3,
  0.5,
  1,
];

describe('escapePlotlyText', () => {
  it('escapes <, > and & (ampersand first, so entities are not double-escaped wrongly)', () => {
    expect(escapePlotlyText('<b>bold</b> & <script>x</script>')).toBe('&lt;b&gt;bold&lt;/b&gt; &amp; &lt;script&gt;x&lt;/script&gt;');
    expect(escapePlotlyText('&lt;')).toBe('&amp;lt;');
    expect(escapePlotlyText('plain_name 1')).toBe('plain_name 1');
  });
  it('axisLabel shortens before escaping (never cuts an entity)', () => {
    expect(axisLabel('a<b', 24)).toBe('a&lt;b');
    expect(axisLabel('abcdefghij<klmnop', 11)).toBe('abcdefghij…');
    expect(axisLabel('abcdefghi<klmnop', 11)).toBe('abcdefghi&lt;…');
  });
});

describe('checkMetricInput', () => {
  it('returns d and rejects wrong sizes and non-finite values with a located message', () => {
    expect(checkMetricInput(names3, W0_3, W_3)).toBe(3);
    expect(() => checkMetricInput(names3, W0_3.slice(0, 8), W_3)).toThrow(/W0 has 8 values, expected d² = 9/);
    expect(() => checkMetricInput(names3, W0_3, [...W_3, 1])).toThrow(/W has 10 values/);
    const bad = [...W_3];
    bad[5] = NaN;
    expect(() => checkMetricInput(names3, W0_3, bad, 'group x')).toThrow(/group x: W\[1\]\[2\] is NaN/);
    expect(() => checkMetricInput([], [], [])).toThrow(/no feature names/);
  });
});

describe('correlation view', () => {
  it('divides by √(W_ii W_jj) and has diagonal exactly 1', () => {
    const C = correlationMatrix(W0_3, 3);
    expect(diagonal(C, 3)).toEqual([1, 1, 1]);
    expect(C[1]).toBeCloseTo(1 / Math.sqrt(4 * 1), 15);
    expect(C[5]).toBeCloseTo(0.5 / Math.sqrt(1 * 9), 15);
    expect(C[3]).toBe(C[1]);
  });
  it('is 0 off the diagonal for a zero row (undefined correlation), diagonal still 1', () => {
    const C = correlationMatrix([0, 0, 0, 2], 2);
    expect(Array.from(C)).toEqual([1, 0, 0, 1]);
  });
  it('ΔW in correlation mode is corr(W) − corr(W0)', () => {
    const m = buildHeatmapModel({ names: names3, W0: W0_3, W: W_3 }, 'correlation', 3);
    const c0 = correlationMatrix(W0_3, 3);
    const c1 = correlationMatrix(W_3, 3);
    for (let q = 0; q < 9; q++) expect(m.dW[q]).toBeCloseTo(c1[q] - c0[q], 15);
    expect(diagonal(m.dW, 3)).toEqual([0, 0, 0]);
    // top change: (0,1): 1.8/√8 − 1/2 = 0.1364; (0,2): −0.3/2 − 0 = −0.15; (1,2): 0.5/√2 − 0.5/3 = 0.1869
    expect(m.top.map((t) => [t.i, t.j])).toEqual([
      [1, 2],
      [0, 2],
      [0, 1],
    ]);
  });
});

describe('off-diagonal view', () => {
  const m = buildHeatmapModel({ names: names3, W0: W0_3, W: W_3 }, 'offdiag', 2);
  it('blanks the diagonal of all three grids and keeps the off-diagonal raw values', () => {
    for (const z of [m.zW0, m.zW, m.zdW]) for (let i = 0; i < 3; i++) expect(z[i][i]).toBeNull();
    expect(m.zW0[0][1]).toBe(1);
    expect(m.zW[2][0]).toBe(-0.3);
    expect(m.zdW[0][1]).toBeCloseTo(0.8, 15);
  });
  it('returns the raw diagonals separately for the bar chart', () => {
    expect(m.diagW0).toEqual([4, 1, 9]);
    expect(m.diagW).toEqual([4, 2, 1]);
  });
  it('colour ranges exclude the blanked diagonal', () => {
    // off-diagonal |values| of W0 and W: max 1.8; of ΔW: max 0.8
    expect(m.range).toEqual([-1.8, 1.8]);
    expect(m.dRange[0]).toBeCloseTo(-0.8, 15);
    expect(m.dRange[1]).toBeCloseTo(0.8, 15);
  });
});

describe('raw view and colour ranges', () => {
  const m = buildHeatmapModel({ names: names3, W0: W0_3, W: W_3 }, 'raw', 10);
  it('W0 and W share one symmetric range over both; ΔW has its own', () => {
    expect(m.range).toEqual([-9, 9]); // 9 is W0[2][2], larger than anything in W
    expect(m.dRange).toEqual([-8, 8]); // ΔW[2][2] = 1 − 9
    expect(m.range[0]).toBe(-m.range[1]);
  });
  it('symmetricRange is [−1, 1] for all-zero input and symmetric for one-signed input', () => {
    expect(symmetricRange([[0, 0, 0, 0]], 2, false)).toEqual([-1, 1]);
    expect(symmetricRange([[2, 0.5, 0.5, 3]], 2, false)).toEqual([-3, 3]);
    expect(symmetricRange([[-7, 0.5, 0.5, 3]], 2, true)).toEqual([-0.5, 0.5]);
  });
  it('row 0 is the first row of the z grid (the plot reverses the axis, not the data)', () => {
    expect(toGrid([1, 2, 3, 4], 2, false)).toEqual([
      [1, 2],
      [3, 4],
    ]);
  });
  it('the colourscale is white at the centre and diverging (blue low, red high)', () => {
    const mid = DIVERGING_COLORSCALE.find(([t]) => t === 0.5);
    expect(mid?.[1]).toBe('#ffffff');
    expect(DIVERGING_COLORSCALE[0][0]).toBe(0);
    expect(DIVERGING_COLORSCALE[DIVERGING_COLORSCALE.length - 1][0]).toBe(1);
    const [lo, hi] = [DIVERGING_COLORSCALE[0][1], DIVERGING_COLORSCALE[DIVERGING_COLORSCALE.length - 1][1]];
    const rgb = (h: string) => [1, 3, 5].map((o) => parseInt(h.slice(o, o + 2), 16));
    expect(rgb(lo)[2]).toBeGreaterThan(rgb(lo)[0]); // blue end
    expect(rgb(hi)[0]).toBeGreaterThan(rgb(hi)[2]); // red end
  });
  it('hover text carries W0, W and ΔW of the cell and escaped names', () => {
    const h = buildHeatmapModel({ names: ['a<b>', 'c&d'], W0: [1, 0, 0, 1], W: [1, 0.25, 0.25, 2] }, 'raw', 1).hover;
    expect(h[0][1]).toBe('a&lt;b&gt; × c&amp;d<br>W0: 0.000<br>W: 0.250<br>ΔW: +0.250');
    expect(h[1][1]).toContain('ΔW: +1.000');
    expect(h[0][1]).not.toContain('<b>');
  });
});

describe('top-k changes', () => {
  const names4 = ['T5', 'T6', 'T7', 'T8'];
  // ΔW: upper triangle values with ties and signs
  const dW = [
    0,
    0.41,
    -0.2,
    0.05, //
    0.41,
    5,
    -0.41,
    0.1,
    -0.2,
    -0.41,
    0,
    0,
    0.05,
    0.1,
    0,
    -9,
  ];
  it('takes the upper triangle only, each pair once, ignoring the diagonal, |Δ| descending, ties by (i, j)', () => {
    const top = topChanges(dW, 4, names4, 3);
    expect(top.map((t) => [t.i, t.j])).toEqual([
      [0, 1],
      [1, 2],
      [0, 2],
    ]);
    expect(top.map((t) => t.label)).toEqual(['T5–T6 +0.41', 'T6–T7 \u22120.41', 'T5–T7 \u22120.20']);
    for (const t of top) expect(t.i).toBeLessThan(t.j);
  });
  it('clamps k larger than the number of pairs, never lists a zero change, and k ≤ 0 gives nothing', () => {
    const full = dW.map((v, q) => (q === 11 || q === 14 ? 0.01 : v)); // make (2,3) non-zero
    const top = topChanges(full, 4, names4, 100);
    expect(top).toHaveLength(6);
    const keys = new Set(top.map((t) => `${t.i},${t.j}`));
    expect(keys.size).toBe(6);
    const withZero = topChanges(dW, 4, names4, 100); // (2,3) is 0 in dW
    expect(withZero).toHaveLength(5);
    expect(withZero.some((t) => t.i === 2 && t.j === 3)).toBe(false);
    expect(topChanges(new Array(16).fill(0), 4, names4, 3)).toEqual([]);
    expect(topChanges(dW, 4, names4, 0)).toEqual([]);
    expect(topChanges(dW, 4, names4, -3)).toEqual([]);
  });
  it('formats sign and two decimals', () => {
    expect(formatSigned(0.4149)).toBe('+0.41');
    expect(formatSigned(-1.234)).toBe('\u22121.23');
    expect(formatSigned(0)).toBe('+0.00');
  });
});

describe('offDiagonalShare', () => {
  it('is ‖offdiag(ΔW)‖_F / ‖ΔW‖_F, in [0, 1], 0 for ΔW = 0', () => {
    expect(offDiagonalShare([0, 0, 0, 0], 2)).toBe(0);
    expect(offDiagonalShare([3, 0, 0, 4], 2)).toBe(0);
    expect(offDiagonalShare([0, 1, 1, 0], 2)).toBe(1);
    // off: 2·(1²) = 2, all: 2 + 1 + 1 = 4 → √(1/2)
    expect(offDiagonalShare([1, 1, 1, 1], 2)).toBeCloseTo(Math.SQRT1_2, 15);
  });
  it('the model reports the share of the RAW change in every view', () => {
    const raw = buildHeatmapModel({ names: names3, W0: W0_3, W: W_3 }, 'raw', 1).offDiagonalShare;
    const corr = buildHeatmapModel({ names: names3, W0: W0_3, W: W_3 }, 'correlation', 1).offDiagonalShare;
    expect(corr).toBe(raw);
    // ΔW raw: diag (0, 1, −8), off (0.8, −0.3, 0) twice → off² = 2·(0.64 + 0.09) = 1.46, all² = 1.46 + 65
    expect(raw).toBeCloseTo(Math.sqrt(1.46 / 66.46), 14);
  });
});

describe('csv export', () => {
  it('writes names as header and first column with full-precision values', () => {
    const csv = matrixToCsv(['x', 'y'], [1, 0.1 + 0.2, -3e-9, 4], 2);
    expect(csv).toBe(',x,y\nx,1,0.30000000000000004\ny,-3e-9,4\n');
  });
  it('quotes names containing commas, quotes or newlines', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('line\nbreak')).toBe('"line\nbreak"');
    expect(csvCell('plain')).toBe('plain');
    const csv = matrixToCsv(['mfcc,1', 'q"x'], [1, 2, 3, 4], 2);
    expect(csv.split('\n')[0]).toBe(',"mfcc,1","q""x"');
    expect(csv.split('\n')[1]).toBe('"mfcc,1",1,2');
  });
  it('writes null cells (blanked diagonal) as empty and rejects wrong shapes', () => {
    expect(matrixToCsv(['a', 'b'], [null, 2, 3, null], 2)).toBe(',a,b\na,,2\nb,3,\n');
    expect(() => matrixToCsv(['a'], [1, 2, 3, 4], 2)).toThrow(/1 names for a 2×2/);
    expect(() => matrixToCsv(['a', 'b'], [1, 2, 3], 2)).toThrow(/3 values, expected 4/);
  });
  it('fileSlug spells out comparison signs, so "<=25" and ">25" get different names', () => {
    expect(fileSlug('<=25')).toBe('le25');
    expect(fileSlug('>25')).toBe('gt25');
    expect(fileSlug('< 18')).toBe('lt18');
    expect(fileSlug('>= 65')).toBe('ge65');
    expect(uniqueSlugs(['<=25', '>25', 'a b', 'a/b', 'a-b'])).toEqual(['le25', 'gt25', 'a-b', 'a-b-2', 'a-b-3']);
  });
  it('heatmapSize: cells of at least 12 px up to 60 features, labels turned 90° when cells are narrow', () => {
    const names = Array.from({ length: 30 }, (_, i) => `feature_${i}`);
    const s = heatmapSize(30, names);
    expect(s.cell).toBeGreaterThanOrEqual(12);
    expect(s.tickAngle).toBe(-90);
    expect(s.font).toBeLessThanOrEqual(s.cell);
    expect(s.width - s.margin.l - s.margin.r).toBe(Math.round(s.cell * 30));
    expect(s.height - s.margin.t - s.margin.b).toBe(Math.round(s.cell * 30));
    expect(heatmapSize(8, names.slice(0, 8)).cell).toBe(28);
    expect(heatmapSize(60, names).cell).toBe(12);
    expect(heatmapSize(200, names).width).toBeLessThan(1000);
  });
  it('blankDiagonal leaves the diagonal empty', () => {
    expect(blankDiagonal([1, 2, 3, 4], 2)).toEqual([null, 2, 3, null]);
  });
  it('fileSlug keeps file names safe', () => {
    expect(fileSlug('age ≤ 25 / "quoted"')).toBe('age-le25-quoted');
    expect(fileSlug('///')).toBe('group');
  });
});

describe('without a template W0', () => {
  it('takes W0 = W (no change, share 0, nothing to outline) and shows only W in the hover text', () => {
    const m = buildHeatmapModel({ names: names3, W: W_3 }, 'raw', 5);
    expect(Array.from(m.dW)).toEqual(new Array(9).fill(0));
    expect(m.top).toEqual([]);
    expect(m.offDiagonalShare).toBe(0);
    expect(m.range).toEqual([-4, 4]);
    expect(m.hover[0][1]).toBe('T1 × T2<br>W: 1.800');
    expect(() => buildHeatmapModel({ names: names3, W: W_3.slice(1) }, 'raw', 1)).toThrow(/W0 has 8 values/);
  });
});

describe('d = 1', () => {
  it('works in every view: no pairs, share 0 or 1 only from the diagonal, correlation 1', () => {
    for (const view of ['raw', 'correlation', 'offdiag'] as const) {
      const m = buildHeatmapModel({ names: ['only'], W0: [2], W: [3] }, view, 5);
      expect(m.d).toBe(1);
      expect(m.top).toEqual([]);
      expect(m.offDiagonalShare).toBe(0);
      expect(m.diagW0).toEqual([2]);
      expect(m.diagW).toEqual([3]);
      if (view === 'correlation') expect(m.zW[0][0]).toBe(1);
      if (view === 'offdiag') {
        expect(m.zW[0][0]).toBeNull();
        expect(m.range).toEqual([-1, 1]); // nothing left to colour
      }
      if (view === 'raw') expect(m.range).toEqual([-3, 3]);
    }
    expect(matrixToCsv(['only'], [2], 1)).toBe(',only\nonly,2\n');
  });
});
