import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatMatrixCsv, parseNumericMatrix, parsePairConstraints } from './reference';

const golden = (name: string) => readFileSync(fileURLToPath(new URL(`../../../test/fixtures/itml-identity/${name}`, import.meta.url)), 'utf8');

describe('ITML reference layout', () => {
  it('parses the golden X (300 × 10), C (597 constraints), A (10 × 10) and bounds', () => {
    const X = parseNumericMatrix(golden('X.csv'), 'X.csv');
    expect([X.rows, X.cols]).toEqual([300, 10]);
    expect(X.data[0]).toBe(3.1583231937396716);
    const C = parsePairConstraints(golden('C.csv'), 'C.csv', X.rows);
    expect(C.count).toBe(597);
    // first row "4,145,1,29.232043047678001" → 0-based
    expect([C.i[0], C.j[0], C.delta[0], C.bound[0]]).toEqual([3, 144, 1, 29.232043047678001]);
    const labels = new Set(Array.from(C.delta));
    expect(labels).toEqual(new Set([1, -1]));
    // similar-first order
    const firstDissimilar = Array.from(C.delta).indexOf(-1);
    expect(Array.from(C.delta.subarray(firstDissimilar)).every((d) => d === -1)).toBe(true);
    const A = parseNumericMatrix(golden('A_octave.csv'), 'A_octave.csv');
    expect([A.rows, A.cols]).toEqual([10, 10]);
    const b = parseNumericMatrix(golden('bounds.csv'), 'bounds.csv');
    expect([b.rows, b.cols]).toEqual([2, 1]);
  });

  it('accepts tab and space separated matrices, CRLF and a BOM', () => {
    expect(Array.from(parseNumericMatrix('\ufeff1\t2\r\n3\t4\r\n', 'm.tsv').data)).toEqual([1, 2, 3, 4]);
    const sp = parseNumericMatrix('  1.5   -2e3\n 3  4\n\n', 'm.txt');
    expect([sp.rows, sp.cols]).toEqual([2, 2]);
    expect(Array.from(sp.data)).toEqual([1.5, -2000, 3, 4]);
  });

  it('rejects ragged rows, non-numbers and empty files with line and column', () => {
    expect(() => parseNumericMatrix('1,2\n3\n', 'm.csv')).toThrow(/m\.csv, line 2, column 2: row has 1 cell, too few/);
    expect(() => parseNumericMatrix('1,2\n3,4,5\n', 'm.csv')).toThrow(/m\.csv, line 2, column 3: row has 3 cells, too many/);
    expect(() => parseNumericMatrix('1,2\n3,x\n', 'm.csv')).toThrow(/m\.csv, line 2, column 2: "x" is not a number/);
    expect(() => parseNumericMatrix('1,NaN\n', 'm.csv')).toThrow(/m\.csv, line 1, column 2: non-finite value "NaN"/);
    expect(() => parseNumericMatrix('', 'm.csv')).toThrow(/m\.csv, line 1: the file is empty/);
    // every cell empty: was a TypeError (reading 'length' of rows[0])
    expect(() => parseNumericMatrix(',\n', 'm.csv')).toThrow(/^m\.csv, line 1: every cell of the file is empty/);
    expect(() => parseNumericMatrix('\n\n""\n', 'm.csv')).toThrow(/^m\.csv, line 3: every cell of the file is empty/);
  });

  it('rejects bad pair constraints', () => {
    expect(() => parsePairConstraints('1,2,1,5\n1,4,1,5\n', 'C.csv', 3)).toThrow(
      /C\.csv, line 2, column "j": index 4 is out of range \(expected an integer point index from 1 to 3\)/,
    );
    expect(() => parsePairConstraints('0,2,1,5\n', 'C.csv', 3)).toThrow(/C\.csv, line 1, column "i": index 0 is out of range/);
    expect(() => parsePairConstraints('1.5,2,1,5\n', 'C.csv', 3)).toThrow(/C\.csv, line 1, column "i": index 1\.5 is not an integer/);
    expect(() => parsePairConstraints('1,2,0,5\n', 'C.csv', 3)).toThrow(/C\.csv, line 1, column "label": label 0 is neither 1 nor -1/);
    expect(() => parsePairConstraints('1,2,-1,0\n', 'C.csv', 3)).toThrow(/C\.csv, line 1, column "bound": bound 0 is not positive/);
    expect(() => parsePairConstraints('1,2,-1\n', 'C.csv', 3)).toThrow(/C\.csv, line 1, column 4: row has 3 cells, too few/);
  });

  it('formatMatrixCsv round-trips every float64 bit for bit', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 6 }),
        fc.array(fc.double({ noNaN: true, noDefaultInfinity: true }), { minLength: 36, maxLength: 36 }),
        (r, c, vals) => {
          const m = { rows: r, cols: c, data: Float64Array.from(vals.slice(0, r * c).map((v) => (Object.is(v, -0) ? 0 : v))) };
          const text = formatMatrixCsv(m);
          expect(text.split('\n')).toHaveLength(r + 1);
          const back = parseNumericMatrix(text, 'rt.csv');
          expect([back.rows, back.cols]).toEqual([r, c]);
          expect(Array.from(back.data)).toEqual(Array.from(m.data));
        },
      ),
      { numRuns: 200 },
    );
    const A = parseNumericMatrix(golden('A_octave.csv'), 'A.csv');
    expect(Array.from(parseNumericMatrix(formatMatrixCsv(A), 'A2.csv').data)).toEqual(Array.from(A.data));
    expect(() => formatMatrixCsv({ rows: 1, cols: 1, data: Float64Array.of(Infinity) })).toThrow(/non-finite value Infinity at \(0, 0\)/);
  });
});
