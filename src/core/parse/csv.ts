/**
 * CSV / TSV tokenising shared by every parser of FORMATS.md.
 *
 * Papaparse does the tokenising (quoted fields, embedded delimiters and newlines); this module adds
 * what the parsers need on top: delimiter detection from the header line (tab vs comma), a UTF-8
 * BOM stripped, CRLF / CR / LF line ends, blank lines skipped (trailing or inside), cells trimmed,
 * and the 1-based source line of every row so that every error can say where it is.
 */
import Papa from 'papaparse';
import { DataError } from '../types';

export interface Table {
  readonly file: string;
  /** ',' or '\t' (or ' ' for whitespace-separated headerless numeric files) */
  readonly delimiter: string;
  /** trimmed header cells; empty for a headerless table */
  readonly header: readonly string[];
  /** 1-based line of the header (0 for a headerless table) */
  readonly headerLine: number;
  /** trimmed cells of every non-blank data row */
  readonly rows: readonly (readonly string[])[];
  /** 1-based source line of each row */
  readonly lines: Int32Array;
}

export interface ReadTableOptions {
  /** no header row: every non-blank line is data */
  readonly headerless?: boolean;
  /** also accept runs of spaces as the separator (headerless numeric files written by Octave/Matlab) */
  readonly allowWhitespace?: boolean;
}

export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** The first non-blank line of the text (BOM already stripped), and its 1-based number. */
function firstLine(text: string): { line: string; number: number } | null {
  let start = 0;
  let number = 1;
  while (start < text.length) {
    let end = start;
    while (end < text.length && text.charCodeAt(end) !== 10 && text.charCodeAt(end) !== 13) end++;
    const line = text.slice(start, end);
    if (line.trim() !== '') return { line, number };
    // step over one line end (\r\n, \n or \r)
    if (text.charCodeAt(end) === 13 && text.charCodeAt(end + 1) === 10) end++;
    start = end + 1;
    number++;
  }
  return null;
}

/**
 * Papaparse splits rows at one kind of line end (the first it sees): a text that mixes CRLF, LF and CR gets
 * them all as LF, so that a stray CR or LF does not end up inside a cell.
 */
function oneKindOfLineEnd(text: string): string {
  if (!text.includes('\r')) return text;
  const kinds = Number(text.includes('\r\n')) + Number(/\r(?!\n)/.test(text)) + Number(/(?:^|[^\r])\n/.test(text));
  return kinds > 1 ? text.replace(/\r\n?/g, '\n') : text;
}

function count(s: string, ch: string): number {
  let c = 0;
  for (let i = s.indexOf(ch); i !== -1; i = s.indexOf(ch, i + 1)) c++;
  return c;
}

/** Tab if the header line has more tabs than commas, else comma. */
export function detectDelimiter(headerLine: string): ',' | '\t' {
  return count(headerLine, '\t') > count(headerLine, ',') ? '\t' : ',';
}

function isBlank(cells: readonly string[]): boolean {
  for (let k = 0; k < cells.length; k++) if (cells[k].trim() !== '') return false;
  return true;
}

/** Read a CSV/TSV text into a header and trimmed rows with their source lines. */
/**
 * Index of the first character that no text table holds (NUL, other C0 controls but tab / line ends, the
 * replacement character a decoder puts for invalid UTF-8) within the first 4 KiB; −1 when there is none.
 */
function binaryAt(text: string): number {
  const n = Math.min(text.length, 4096);
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if ((c < 32 && c !== 9 && c !== 10 && c !== 13 && c !== 12) || c === 0xfffd) return i;
  }
  return -1;
}

export function readTable(rawText: string, file: string, opts: ReadTableOptions = {}): Table {
  const text = stripBom(rawText);
  const bad = binaryAt(text);
  if (bad >= 0) {
    const line = text.slice(0, bad).split(/\r\n|\n|\r/).length;
    throw new DataError({
      file,
      line,
      message: `this is not a text file (a binary control character U+${text.charCodeAt(bad).toString(16).padStart(4, '0').toUpperCase()} at character ${bad + 1})`,
      expected: 'a CSV / TSV text file (an image, archive or spreadsheet must be exported as CSV first)',
    });
  }
  const first = firstLine(text);
  if (!first) {
    const message = text === '' ? 'the file is empty' : 'the file has only blank lines';
    throw new DataError({ file, line: 1, message, expected: opts.headerless ? 'numeric rows' : 'a header row and data rows' });
  }

  let delimiter: string = detectDelimiter(first.line);
  let raw: string[][];
  let lineOf: (row: number) => number;

  if (opts.allowWhitespace && !first.line.includes(',') && !first.line.includes('\t') && first.line.trim().includes(' ')) {
    // whitespace-separated numbers (no quoting possible): split ourselves
    delimiter = ' ';
    raw = text.split(/\r\n|\n|\r/).map((l) => {
      const t = l.trim();
      return t === '' ? [''] : t.split(/[ ]+/);
    });
    lineOf = (row) => row + 1;
  } else {
    const res = Papa.parse<string[]>(oneKindOfLineEnd(text), { delimiter, header: false, dynamicTyping: false, skipEmptyLines: false, quoteChar: '"' });
    raw = res.data;
    // line of each row: rows are consecutive lines, except quoted fields that contain line breaks
    const nl = res.meta.linebreak && !res.meta.linebreak.includes('\n') ? '\r' : '\n';
    const hasQuotes = text.includes('"');
    const starts = new Int32Array(raw.length + 1);
    let line = 1;
    for (let r = 0; r < raw.length; r++) {
      starts[r] = line;
      let extra = 0;
      if (hasQuotes) {
        const row = raw[r];
        for (let k = 0; k < row.length; k++) if (row[k].includes(nl)) extra += count(row[k], nl);
      }
      line += 1 + extra;
    }
    starts[raw.length] = line;
    lineOf = (row) => starts[Math.min(Math.max(row, 0), raw.length)];
    const quoteError = res.errors.find((e) => e.type === 'Quotes');
    if (quoteError) {
      throw new DataError({
        file,
        line: lineOf(quoteError.row ?? 0),
        message: `malformed quoting: ${quoteError.message}`,
        expected: 'a quoted field to end with a closing quote followed by a delimiter or line end',
      });
    }
  }

  let header: string[] = [];
  let headerLine = 0;
  const rows: string[][] = [];
  const lines: number[] = [];
  for (let r = 0; r < raw.length; r++) {
    const cells = raw[r];
    if (isBlank(cells)) continue;
    for (let k = 0; k < cells.length; k++) cells[k] = cells[k].trim();
    if (!opts.headerless && headerLine === 0) {
      header = cells;
      headerLine = lineOf(r);
      if (cells.length === 1 && cells[0].includes(';')) {
        throw new DataError({ file, line: headerLine, message: 'the header looks semicolon-separated', expected: 'comma- or tab-separated columns' });
      }
      continue;
    }
    rows.push(cells);
    lines.push(lineOf(r));
  }
  if (opts.headerless ? rows.length === 0 : headerLine === 0) {
    // non-blank text whose every cell is empty (`,`, `""`)
    throw new DataError({
      file,
      line: first.number,
      message: 'every cell of the file is empty',
      expected: opts.headerless ? 'numeric rows' : 'a header row and data rows',
    });
  }
  return { file, delimiter, header, headerLine, rows, lines: Int32Array.from(lines) };
}

/** Throws unless row `r` has exactly `expected` cells (named after the header where there is one). */
export function checkWidth(t: Table, r: number, expected: number, what = 'one per header column'): void {
  const cells = t.rows[r];
  if (cells.length === expected) return;
  const tooFew = cells.length < expected;
  const col = tooFew ? (t.header[cells.length] ?? cells.length + 1) : expected + 1;
  throw new DataError({
    file: t.file,
    line: t.lines[r],
    column: col,
    message: `row has ${cells.length} cell${cells.length === 1 ? '' : 's'}, ${tooFew ? 'too few' : 'too many'}`,
    expected: `${expected} cells, ${what}`,
  });
}

const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const NON_FINITE = /^[+-]?(?:nan|inf|infinity)$/i;

/**
 * A finite decimal number (no hex, no empty string, no NaN / Infinity). Throws a DataError at
 * (file, line, column) otherwise.
 */
export function parseNumberCell(s: string, file: string, line: number, column: string | number, expected = 'a finite number'): number {
  const v = +s;
  if (s !== '' && Number.isFinite(v) && NUMBER.test(s)) return v;
  let message: string;
  if (s === '') message = 'empty cell';
  else if (NON_FINITE.test(s) || (NUMBER.test(s) && !Number.isFinite(v))) message = `non-finite value "${s}"`;
  else message = `"${clip(s)}" is not a number`;
  throw new DataError({ file, line, column, message, expected });
}

/** A cell as shown in a message: at most 40 characters. */
export function clip(s: string): string {
  return s.length > 40 ? `${s.slice(0, 37)}...` : s;
}

/** Header names must be non-empty and unique; returns a lower-cased-name → index map. */
export function headerIndex(t: Table, caseInsensitive = true): Map<string, number> {
  const idx = new Map<string, number>();
  t.header.forEach((h, k) => {
    if (h === '') {
      throw new DataError({ file: t.file, line: t.headerLine, column: k + 1, message: 'empty column name in the header', expected: 'a name for every column' });
    }
    if (h === '__proto__') {
      // attribute columns become object keys: this one would set the record's prototype instead
      throw new DataError({ file: t.file, line: t.headerLine, column: k + 1, message: 'the column name "__proto__" is not allowed', expected: 'another name' });
    }
    const key = caseInsensitive ? h.toLowerCase() : h;
    const prev = idx.get(key);
    if (prev !== undefined) {
      throw new DataError({
        file: t.file,
        line: t.headerLine,
        column: h,
        message: `duplicate column name "${h}" (columns ${prev + 1} and ${k + 1})`,
        expected: 'unique column names',
      });
    }
    idx.set(key, k);
  });
  return idx;
}
