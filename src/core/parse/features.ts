/**
 * Features files (FORMATS.md "Features"): CSV/TSV `id,<feature>...` or JSON `{"ids","features","X"}`.
 */
import { asFeatureMatrix } from '../matrix';
import { DataError, type FeatureSet } from '../types';
import { checkWidth, clip, parseNumberCell, readTable, stripBom } from './csv';

/** Parse a features file; JSON when the text starts with `{`, CSV/TSV otherwise. */
export function parseFeatures(text: string, file: string): FeatureSet {
  const body = stripBom(text);
  const lead = body.trimStart();
  if (lead.startsWith('{')) {
    let obj: unknown;
    try {
      obj = JSON.parse(body);
    } catch (e) {
      throw new DataError({
        file,
        line: jsonErrorLine(body, e),
        message: `invalid JSON: ${(e as Error).message}`,
        expected: '{"ids": [...], "features": [...], "X": [[...], ...]}',
      });
    }
    return featureSetFromJson(obj, file);
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

/** 1-based line of a JSON.parse error, when the engine's message gives a position. */
function jsonErrorLine(text: string, e: unknown): number | undefined {
  const m = /position (\d+)/.exec(String((e as Error)?.message ?? ''));
  if (!m) {
    const lc = /line (\d+)/.exec(String((e as Error)?.message ?? ''));
    return lc ? Number(lc[1]) : undefined;
  }
  const pos = Number(m[1]);
  let line = 1;
  for (let i = 0; i < pos && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** A FeatureSet from a parsed JSON object `{"ids": [...], "features": [...names], "X": [[...], ...]}`. */
export function featureSetFromJson(obj: unknown, file: string): FeatureSet {
  const expected = '{"ids": [...], "features": [...names], "X": [[...], ...]}';
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) {
    throw new DataError({ file, message: 'the JSON is not an object', expected });
  }
  const o = obj as Record<string, unknown>;
  for (const key of ['ids', 'features', 'X']) {
    if (!Array.isArray(o[key])) throw new DataError({ file, column: key, message: `missing or not an array: "${key}"`, expected });
  }
  const rawIds = o.ids as unknown[];
  const names = o.features as unknown[];
  const X = o.X as unknown[];
  const n = rawIds.length;
  const d = names.length;
  if (n === 0) throw new DataError({ file, column: 'ids', message: 'no clips', expected: 'at least one id' });
  if (d === 0) throw new DataError({ file, column: 'features', message: 'no feature names', expected: 'at least one feature' });
  if (X.length !== n) throw new DataError({ file, column: 'X', message: `X has ${X.length} rows but there are ${n} ids`, expected: 'one row of X per id' });
  const ids: string[] = new Array(n);
  const idAt = new Map<string, number>();
  rawIds.forEach((v, i) => {
    if (typeof v !== 'string' && !(typeof v === 'number' && Number.isFinite(v))) {
      throw new DataError({ file, column: `ids[${i}]`, message: `id ${i + 1} is ${JSON.stringify(v)}`, expected: 'a string id' });
    }
    const id = String(v);
    if (id === '') throw new DataError({ file, column: `ids[${i}]`, message: `id ${i + 1} is empty`, expected: 'a clip id' });
    const prev = idAt.get(id);
    if (prev !== undefined) {
      throw new DataError({ file, column: `ids[${i}]`, message: `duplicate id "${clip(id)}" (entries ${prev + 1} and ${i + 1})`, expected: 'unique clip ids' });
    }
    idAt.set(id, i);
    ids[i] = id;
  });
  const nameAt = new Map<string, number>();
  const featureNames: string[] = names.map((v, k) => {
    if (typeof v !== 'string' || v === '') {
      throw new DataError({ file, column: `features[${k}]`, message: `feature name ${k + 1} is ${JSON.stringify(v)}`, expected: 'a non-empty string' });
    }
    const prev = nameAt.get(v);
    if (prev !== undefined) {
      throw new DataError({
        file,
        column: `features[${k}]`,
        message: `duplicate feature name "${v}" (entries ${prev + 1} and ${k + 1})`,
        expected: 'unique feature names',
      });
    }
    nameAt.set(v, k);
    return v;
  });
  const data = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    const row = X[i];
    if (!Array.isArray(row) || row.length !== d) {
      throw new DataError({
        file,
        column: `X[${i}]`,
        message: `row ${i + 1} (id "${clip(ids[i])}") ${Array.isArray(row) ? `has ${row.length} values` : 'is not an array'}`,
        expected: `${d} numbers, one per feature`,
      });
    }
    for (let k = 0; k < d; k++) {
      const v = row[k];
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        throw new DataError({
          file,
          column: `X[${i}][${k}]`,
          message: `value for id "${clip(ids[i])}", feature "${featureNames[k]}" is ${JSON.stringify(v)}`,
          expected: 'a finite number',
        });
      }
      data[i * d + k] = v;
    }
  }
  return { ids, names: featureNames, X: asFeatureMatrix({ rows: n, cols: d, data }), source: file };
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
