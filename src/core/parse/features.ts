/**
 * Features files (FORMATS.md "Features"): CSV/TSV `id,<feature>...` or JSON `{"ids","features","X"}`.
 */
import { asFeatureMatrix } from '../matrix';
import { DataError, type FeatureSet } from '../types';
import { checkWidth, clip, parseNumberCell, readTable, stripBom } from './csv';
import { findJsonSyntaxError, formatJsonPath, jsonValueOffset, lineColumn } from './json-text';

/** Parse a features file; JSON when the text starts with `{`, CSV/TSV otherwise. */
export function parseFeatures(text: string, file: string): FeatureSet {
  const body = stripBom(text);
  const lead = body.trimStart();
  if (lead.startsWith('{')) {
    let obj: unknown;
    try {
      obj = JSON.parse(body);
    } catch (e) {
      throw jsonSyntaxError(body, file, e);
    }
    return featureSetFromJson(obj, file, body);
  }
  return parseFeaturesCsv(body, file);
}

function parseFeaturesCsv(text: string, file: string): FeatureSet {
  const t = readTable(text, file);
  const h = t.header;
  if (h[0].toLowerCase() !== 'id') {
    throw new DataError({
      file,
      line: t.headerLine,
      column: 1,
      message: `first header cell is "${clip(h[0])}"`,
      expected: 'a header row `id,<feature>,<feature>,...` whose first column is `id`',
    });
  }
  if (h.length < 2) {
    throw new DataError({
      file,
      line: t.headerLine,
      column: 2,
      message: 'the header has no feature columns',
      expected: 'at least one feature column after `id`',
    });
  }
  const seen = new Map<string, number>();
  for (let k = 1; k < h.length; k++) {
    if (h[k] === '')
      throw new DataError({ file, line: t.headerLine, column: k + 1, message: 'empty feature name', expected: 'a name for every feature column' });
    const prev = seen.get(h[k]);
    if (prev !== undefined) {
      throw new DataError({
        file,
        line: t.headerLine,
        column: h[k],
        message: `duplicate feature name "${h[k]}" (columns ${prev + 1} and ${k + 1})`,
        expected: 'unique feature names',
      });
    }
    seen.set(h[k], k);
  }
  const n = t.rows.length;
  if (n === 0) throw new DataError({ file, line: t.headerLine + 1, message: 'no data rows after the header', expected: 'one row per clip' });
  const d = h.length - 1;
  const data = new Float64Array(n * d);
  const ids: string[] = new Array(n);
  const idLine = new Map<string, number>();
  for (let r = 0; r < n; r++) {
    checkWidth(t, r, h.length);
    const cells = t.rows[r];
    const line = t.lines[r];
    const id = cells[0];
    if (id === '') throw new DataError({ file, line, column: 'id', message: 'empty id', expected: 'a clip id' });
    const prev = idLine.get(id);
    if (prev !== undefined) {
      throw new DataError({ file, line, column: 'id', message: `duplicate id "${clip(id)}" (lines ${prev} and ${line})`, expected: 'unique clip ids' });
    }
    idLine.set(id, line);
    ids[r] = id;
    const o = r * d;
    for (let k = 1; k <= d; k++) {
      const s = cells[k];
      const v = +s;
      // fast path: plain decimal numbers; anything odd goes through the strict checker
      if (s !== '' && Number.isFinite(v) && isPlainNumber(s)) data[o + k - 1] = v;
      else data[o + k - 1] = parseNumberCell(s, file, line, h[k], 'a finite number in every feature cell');
    }
  }
  return { ids, names: h.slice(1), X: asFeatureMatrix({ rows: n, cols: d, data }), source: file };
}

/** Quick character scan: digits, sign, dot, exponent only (rejects hex, whitespace, words). */
function isPlainNumber(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || c === 46 || c === 45 || c === 43 || c === 101 || c === 69)) return false;
  }
  return true;
}

const JSON_EXPECTED = '{"ids": [...], "features": [...names], "X": [[...], ...]}';

/** A JSON.parse failure as a DataError at the line and column of the first syntax error (found by our own scan). */
function jsonSyntaxError(text: string, file: string, e: unknown): DataError {
  const found = findJsonSyntaxError(text);
  if (!found) return new DataError({ file, message: `invalid JSON: ${(e as Error)?.message ?? String(e)}`, expected: JSON_EXPECTED });
  const { line, column } = lineColumn(text, found.offset);
  return new DataError({ file, line, column, message: `invalid JSON: ${found.message}`, expected: found.expected });
}

type JsonPath = readonly (string | number)[];
/** Throws a DataError for the value at `path`: at its line and column when the text is known, else named by its path. */
type Fail = (path: JsonPath, message: string, expected: string) => never;

function failer(file: string, text: string | undefined): Fail {
  return (path, message, expected) => {
    const name = formatJsonPath(path);
    if (text === undefined) throw new DataError({ file, column: name || undefined, message, expected });
    const { line, column } = lineColumn(text, jsonValueOffset(text, path));
    throw new DataError({ file, line, column, message: name ? `${name}: ${message}` : message, expected });
  };
}

/**
 * A JSON value as a message shows it: scalars as written (a number that overflowed to ±Infinity named as such),
 * arrays and objects by kind, never stringified whole (a deeply nested one would overflow the stack).
 */
function shown(v: unknown): string {
  if (typeof v === 'number' && !Number.isFinite(v)) return `${v} (too large for a float64)`;
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (v !== null && typeof v === 'object') return 'an object';
  return typeof v === 'string' ? JSON.stringify(clip(v)) : String(v);
}

/**
 * A FeatureSet from a parsed JSON object `{"ids": [...], "features": [...names], "X": [[...], ...]}`. With the
 * JSON `text` it came from, every error gives the line and column where the offending value starts.
 */
export function featureSetFromJson(obj: unknown, file: string, text?: string): FeatureSet {
  const fail: Fail = failer(file, text);
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) fail([], 'the JSON is not an object', JSON_EXPECTED);
  const o = obj as Record<string, unknown>;
  for (const key of ['ids', 'features', 'X']) {
    if (!Object.hasOwn(o, key) || !Array.isArray(o[key])) fail([key], `missing or not an array: "${key}"`, JSON_EXPECTED);
  }
  const rawIds = o.ids as unknown[];
  const names = o.features as unknown[];
  const X = o.X as unknown[];
  const n = rawIds.length;
  const d = names.length;
  if (n === 0) fail(['ids'], 'no clips', 'at least one id');
  if (d === 0) fail(['features'], 'no feature names', 'at least one feature');
  if (X.length !== n) fail(['X'], `X has ${X.length} rows but there are ${n} ids`, 'one row of X per id');
  const ids = jsonIds(rawIds, fail);
  const featureNames = jsonNames(names, fail);
  const data = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    const row = X[i];
    if (!Array.isArray(row) || row.length !== d) {
      fail(
        ['X', i],
        `row ${i + 1} (id "${clip(ids[i])}") ${Array.isArray(row) ? `has ${row.length} values` : 'is not an array'}`,
        `${d} numbers, one per feature`,
      );
    }
    for (let k = 0; k < d; k++) {
      const v = row[k];
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        fail(['X', i, k], `value for id "${clip(ids[i])}", feature "${clip(featureNames[k])}" is ${shown(v)}`, 'a finite number');
      }
      data[i * d + k] = v;
    }
  }
  return { ids, names: featureNames, X: asFeatureMatrix({ rows: n, cols: d, data }), source: file };
}

function jsonIds(rawIds: readonly unknown[], fail: Fail): string[] {
  const idAt = new Map<string, number>();
  return rawIds.map((v, i) => {
    if (typeof v !== 'string' && !(typeof v === 'number' && Number.isFinite(v))) fail(['ids', i], `id ${i + 1} is ${shown(v)}`, 'a string id');
    const id = String(v);
    if (id === '') fail(['ids', i], `id ${i + 1} is empty`, 'a clip id');
    const prev = idAt.get(id);
    if (prev !== undefined) fail(['ids', i], `duplicate id "${clip(id)}" (entries ${prev + 1} and ${i + 1})`, 'unique clip ids');
    idAt.set(id, i);
    return id;
  });
}

function jsonNames(names: readonly unknown[], fail: Fail): string[] {
  const nameAt = new Map<string, number>();
  return names.map((v, k) => {
    if (typeof v !== 'string' || v === '') return fail(['features', k], `feature name ${k + 1} is ${shown(v)}`, 'a non-empty string');
    const prev = nameAt.get(v);
    if (prev !== undefined) fail(['features', k], `duplicate feature name "${clip(v)}" (entries ${prev + 1} and ${k + 1})`, 'unique feature names');
    nameAt.set(v, k);
    return v;
  });
}

/** Quote a CSV cell when it needs it. */
export function csvCell(s: string): string {
  return /[",\r\n\t]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s;
}

/** CSV text of a feature set (header `id,<names>`, full float64 precision), parseable by parseFeatures. */
export function featureSetToCsv(fs: FeatureSet): string {
  const { rows: n, cols: d, data } = fs.X;
  const out: string[] = [['id', ...fs.names].map(csvCell).join(',')];
  for (let i = 0; i < n; i++) {
    const cells: string[] = [csvCell(fs.ids[i])];
    for (let k = 0; k < d; k++) cells.push(String(data[i * d + k]));
    out.push(cells.join(','));
  }
  return out.join('\n') + '\n';
}

/** JSON object of a feature set (FORMATS.md JSON alternative). */
export function featureSetToJson(fs: FeatureSet): { ids: string[]; features: string[]; X: number[][] } {
  const { rows: n, cols: d, data } = fs.X;
  const X: number[][] = [];
  for (let i = 0; i < n; i++) X.push(Array.from(data.subarray(i * d, (i + 1) * d)));
  return { ids: [...fs.ids], features: [...fs.names], X };
}
