/**
 * The ITML reference-code layout (FORMATS.md "Pairwise constraints for plain ITML"): headerless numeric
 * matrices and `i,j,label,bound` constraint rows with 1-based indices.
 */
import { DataError, type Matrix, type PairConstraints } from '../types';
import { checkWidth, parseNumberCell, readTable } from './csv';

/** A headerless numeric matrix (comma, tab or space separated); every row the same length, all finite. */
export function parseNumericMatrix(text: string, file: string): Matrix {
  const t = readTable(text, file, { headerless: true, allowWhitespace: true });
  const rows = t.rows.length;
  const cols = t.rows[0].length;
  const data = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    checkWidth(t, r, cols, `as many as line ${t.lines[0]}`);
    const cells = t.rows[r];
    const line = t.lines[r];
    for (let k = 0; k < cols; k++) data[r * cols + k] = parseNumberCell(cells[k], file, line, k + 1);
  }
  return { rows, cols, data };
}

const PAIR_COLUMNS = ['i', 'j', 'label', 'bound'] as const;

/**
 * Headerless `i,j,label,bound` rows: 1-based point indices (converted to 0-based), label 1 (similar,
 * d ≤ bound) or −1 (dissimilar, d ≥ bound), a positive finite bound.
 */
export function parsePairConstraints(text: string, file: string, nPoints: number): PairConstraints {
  if (!Number.isInteger(nPoints) || nPoints < 1) throw new Error(`parsePairConstraints(${file}): nPoints must be a positive integer, got ${nPoints}`);
  const t = readTable(text, file, { headerless: true, allowWhitespace: true });
  const m = t.rows.length;
  const out = { count: m, i: new Int32Array(m), j: new Int32Array(m), delta: new Int8Array(m), bound: new Float64Array(m) };
  for (let r = 0; r < m; r++) {
    checkWidth(t, r, 4, 'i,j,label,bound');
    const cells = t.rows[r];
    const line = t.lines[r];
    for (let k = 0; k < 2; k++) {
      const column = PAIR_COLUMNS[k];
      const expected = `an integer point index from 1 to ${nPoints}`;
      const v = parseNumberCell(cells[k], file, line, column, expected);
      if (!Number.isInteger(v) || v < 1 || v > nPoints) {
        throw new DataError({ file, line, column, message: `index ${cells[k]} is ${Number.isInteger(v) ? 'out of range' : 'not an integer'}`, expected });
      }
      (k === 0 ? out.i : out.j)[r] = v - 1;
    }
    const label = parseNumberCell(cells[2], file, line, 'label', '1 (similar) or -1 (dissimilar)');
    if (label !== 1 && label !== -1) {
      throw new DataError({ file, line, column: 'label', message: `label ${cells[2]} is neither 1 nor -1`, expected: '1 (similar) or -1 (dissimilar)' });
    }
    out.delta[r] = label;
    const bound = parseNumberCell(cells[3], file, line, 'bound', 'a positive squared-distance bound');
    if (!(bound > 0))
      throw new DataError({ file, line, column: 'bound', message: `bound ${cells[3]} is not positive`, expected: 'a positive squared-distance bound' });
    out.bound[r] = bound;
  }
  return out;
}

/**
 * A matrix as headerless CSV: one row per line, full float64 precision (JavaScript's shortest
 * round-trip representation), so parseNumericMatrix(formatMatrixCsv(m)) reproduces m bit for bit
 * (except that −0 is written as 0).
 */
export function formatMatrixCsv(m: Matrix): string {
  const { rows, cols, data } = m;
  if (data.length !== rows * cols) throw new Error(`formatMatrixCsv: ${data.length} values for ${rows}×${cols}`);
  const lines: string[] = new Array(rows);
  const cells: string[] = new Array(cols);
  for (let r = 0; r < rows; r++) {
    for (let k = 0; k < cols; k++) {
      const v = data[r * cols + k];
      if (!Number.isFinite(v)) throw new Error(`formatMatrixCsv: non-finite value ${v} at (${r}, ${k})`);
      cells[k] = String(v);
    }
    lines[r] = cells.join(',');
  }
  return lines.join('\n') + '\n';
}
