import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DataError } from '../types';
import { featureSetFromJson, featureSetToCsv, featureSetToJson, parseFeatures } from './features';

const data = (name: string) => readFileSync(fileURLToPath(new URL(`../../../public/data/timbre/${name}`, import.meta.url)), 'utf8');

describe('parseFeatures (CSV/TSV)', () => {
  it('reads ids as strings, names and values; handles BOM, CRLF, tabs, quotes and trailing blank lines', () => {
    const fs = parseFeatures('\ufeffid,"f,1",f2\r\n007,1.5,-2e-3\r\n"x y",0,.5\r\n\r\n\r\n', 'f.csv');
    expect(fs.ids).toEqual(['007', 'x y']);
    expect(fs.names).toEqual(['f,1', 'f2']);
    expect(fs.X.rows).toBe(2);
    expect(fs.X.cols).toBe(2);
    expect(Array.from(fs.X.data)).toEqual([1.5, -0.002, 0, 0.5]);
    expect(fs.source).toBe('f.csv');
    const tsv = parseFeatures('id\ta\tb\n1\t2\t3\n', 't.tsv');
    expect(tsv.names).toEqual(['a', 'b']);
    expect(Array.from(tsv.X.data)).toEqual([2, 3]);
  });

  it('reads a file that mixes CRLF, LF and CR line ends (a stray one was read as part of a cell)', () => {
    for (const text of ['id,f\r\nx,1\ny,2\r\nz,3\r\n', 'id,f\rx,1\ny,2\rz,3\r', 'id,f\nx,1\ny,2\rz,3\nw,4\n']) {
      const fs = parseFeatures(text, 'f.csv');
      expect(fs.ids).toEqual(text.includes('w') ? ['x', 'y', 'z', 'w'] : ['x', 'y', 'z']);
    }
    expect(() => parseFeatures('id,f\r\nx,1\ny,2\r\nz,q\r\n', 'f.csv')).toThrow(/^f\.csv, line 4, column "f": "q" is not a number/);
  });

  it('rejects an empty file', () => {
    expect(() => parseFeatures('', 'e.csv')).toThrow(/^e\.csv, line 1: the file is empty/);
    expect(() => parseFeatures('\n\r\n  \n', 'e.csv')).toThrow(/^e\.csv, line 1: the file has only blank lines/);
    // every cell empty: was a TypeError (reading 'toLowerCase' of the missing header)
    expect(() => parseFeatures('""', 'e.csv')).toThrow(/^e\.csv, line 1: every cell of the file is empty/);
  });

  it('rejects a header whose first column is not id', () => {
    expect(() => parseFeatures('clip,a\n1,2\n', 'h.csv')).toThrow(/h\.csv, line 1, column 1: first header cell is "clip".*`id`/);
    expect(() => parseFeatures('1,2,3\n4,5,6\n', 'h.csv')).toThrow(/h\.csv, line 1, column 1/);
  });

  it('rejects a semicolon-separated file with a hint', () => {
    expect(() => parseFeatures('id;a;b\nx;1;2\n', 's.csv')).toThrow(
      /s\.csv, line 1: the header looks semicolon-separated \(expected comma- or tab-separated columns\)/,
    );
  });

  it('rejects a header without feature columns', () => {
    expect(() => parseFeatures('id\n1\n', 'h.csv')).toThrow(/h\.csv, line 1, column 2: the header has no feature columns/);
  });

  it('rejects duplicate feature names naming both columns', () => {
    expect(() => parseFeatures('id,a,b,a\n1,2,3,4\n', 'd.csv')).toThrow(/d\.csv, line 1, column "a": duplicate feature name "a" \(columns 2 and 4\)/);
  });

  it('rejects duplicate ids naming both lines', () => {
    expect(() => parseFeatures('id,a\nx,1\ny,2\n\nx,3\n', 'd.csv')).toThrow(/d\.csv, line 5, column "id": duplicate id "x" \(lines 2 and 5\)/);
  });

  it('rejects rows with too few or too many cells', () => {
    expect(() => parseFeatures('id,a,b\nx,1,2\ny,1\n', 'w.csv')).toThrow(/w\.csv, line 3, column "b": row has 2 cells, too few \(expected 3 cells/);
    expect(() => parseFeatures('id,a,b\nx,1,2,3\n', 'w.csv')).toThrow(/w\.csv, line 2, column 4: row has 4 cells, too many/);
  });

  it('rejects non-numeric, non-finite and empty cells', () => {
    expect(() => parseFeatures('id,a,b\nx,1,abc\n', 'n.csv')).toThrow(/n\.csv, line 2, column "b": "abc" is not a number \(expected a finite number/);
    expect(() => parseFeatures('id,a,b\nx,NaN,1\n', 'n.csv')).toThrow(/n\.csv, line 2, column "a": non-finite value "NaN"/);
    expect(() => parseFeatures('id,a,b\nx,1,-Infinity\n', 'n.csv')).toThrow(/line 2, column "b": non-finite value "-Infinity"/);
    expect(() => parseFeatures('id,a,b\nx,1e999,1\n', 'n.csv')).toThrow(/line 2, column "a": non-finite value "1e999"/);
    expect(() => parseFeatures('id,a,b\nx,1,\n', 'n.csv')).toThrow(/n\.csv, line 2, column "b": empty cell/);
    expect(() => parseFeatures('id,a\nx,0x10\n', 'n.csv')).toThrow(/line 2, column "a": "0x10" is not a number/);
  });

  it('rejects an empty id', () => {
    expect(() => parseFeatures('id,a\n,1\n', 'i.csv')).toThrow(/i\.csv, line 2, column "id": empty id/);
  });

  it('rejects a header without data rows', () => {
    expect(() => parseFeatures('id,a,b\n\n', 'r.csv')).toThrow(/r\.csv, line 2: no data rows/);
  });

  it('reports malformed quoting with its line', () => {
    expect(() => parseFeatures('id,a\nx,1\n"y,2\n', 'q.csv')).toThrow(/q\.csv, line 3: malformed quoting/);
  });

  it('counts lines correctly after quoted fields that span lines', () => {
    expect(() => parseFeatures('id,a\n"x\ny",1\nz,oops\n', 'm.csv')).toThrow(/m\.csv, line 4, column "a"/);
  });
});

describe('parseFeatures (JSON) and round trips', () => {
  it('reads the JSON layout and rejects bad shapes', () => {
    const fs = parseFeatures(
      JSON.stringify({
        ids: ['a', 2],
        features: ['u', 'v'],
        X: [
          [1, 2],
          [3, 4],
        ],
      }),
      'f.json',
    );
    expect(fs.ids).toEqual(['a', '2']);
    expect(fs.names).toEqual(['u', 'v']);
    expect(Array.from(fs.X.data)).toEqual([1, 2, 3, 4]);
    expect(() => featureSetFromJson({ ids: ['a'], features: ['u'] }, 'f.json')).toThrow(/f\.json, column "X": missing or not an array/);
    expect(() => featureSetFromJson({ ids: ['a', 'a'], features: ['u'], X: [[1], [2]] }, 'f.json')).toThrow(
      /column "ids\[1\]": duplicate id "a" \(entries 1 and 2\)/,
    );
    expect(() => featureSetFromJson({ ids: ['a'], features: ['u', 'u'], X: [[1, 2]] }, 'f.json')).toThrow(/duplicate feature name "u"/);
    expect(() => featureSetFromJson({ ids: ['a'], features: ['u', 'v'], X: [[1]] }, 'f.json')).toThrow(
      /column "X\[0\]": row 1 \(id "a"\) has 1 values \(expected 2 numbers/,
    );
    expect(() => featureSetFromJson({ ids: ['a'], features: ['u'], X: [[null]] }, 'f.json')).toThrow(/column "X\[0\]\[0\]".*null \(expected a finite number\)/);
    expect(() => parseFeatures('{"ids": [\n"a",\n}', 'bad.json')).toThrow(/^bad\.json, line 3, column 1: invalid JSON: unexpected "}" \(expected a value/);
  });

  /** The DataError a call throws (fails the test when it throws something else or nothing). */
  function dataError(f: () => unknown): DataError {
    try {
      f();
    } catch (e) {
      expect(e).toBeInstanceOf(DataError);
      return e as DataError;
    }
    throw new Error('no error thrown');
  }

  it('gives the line and column of a JSON syntax error, whatever the engine says', () => {
    const at = (text: string) => {
      const e = dataError(() => parseFeatures(text, 'f.json'));
      return [e.file, e.line, e.column, e.message.replace(/^[^:]*: /, '')];
    };
    expect(at('{\n  "ids": ["a", "b"],\n  "features": ["u",, "v"],\n  "X": [[1, 2], [3, 4]]\n}')).toEqual([
      'f.json',
      3,
      20,
      'invalid JSON: unexpected "," (expected a value (object, array, string, number, true, false or null))',
    ]);
    expect(at('{"ids": ["a"]\r\n "features": ["u"]}')).toEqual(['f.json', 2, 2, 'invalid JSON: unexpected "\\"" (expected "," or "}")']);
    expect(at('\ufeff{"ids": ["a"], "features": ["u"], "X": [[1e]]}')).toEqual([
      'f.json',
      1,
      44,
      'invalid JSON: unexpected "]" in a number (expected a digit)',
    ]);
    expect(at('{"ids": ["a\tb"]}')[1]).toBe(1);
    expect(at('{"ids": ["a\tb"]}')[2]).toBe(12);
    expect(at('{"ids": ["a"], "features": ["u"], "X": [[NaN]]}')[2]).toBe(42);
    expect(at('{"ids": ["a"]')).toEqual(['f.json', 1, 14, 'invalid JSON: the text ends (expected "," or "}")']);
    expect(at('{"ids": ["a"]} x')).toEqual(['f.json', 1, 16, 'invalid JSON: unexpected "x" after the end of the JSON value (expected nothing)']);
    expect(at("{'ids': 1}")).toEqual(['f.json', 1, 2, 'invalid JSON: unexpected "\'" (expected a "key" or "}")']);
  });

  it('gives the JSON path and the line and column where a value of the wrong shape starts', () => {
    const text = [
      '{',
      '  "ids": ["a", "b", "c"],',
      '  "features": ["u", "v", "w"],',
      '  "X": [',
      '    [1, 2, 3],',
      '    [4, 5, "6"],',
      '    [7, 8]',
      '  ]',
      '}',
    ].join('\n');
    const e = dataError(() => parseFeatures(text, 'f.json'));
    expect([e.line, e.column]).toEqual([6, 12]);
    expect(e.message).toBe('f.json, line 6, column 12: X[1][2]: value for id "b", feature "w" is "6" (expected a finite number)');
    const ragged = dataError(() => parseFeatures(text.replace('"6"', '6'), 'f.json'));
    expect(ragged.message).toBe('f.json, line 7, column 5: X[2]: row 3 (id "c") has 2 values (expected 3 numbers, one per feature)');
    const short = dataError(() => parseFeatures(text.replace('"ids": ["a", "b", "c"]', '"ids": ["a", "b"]'), 'f.json'));
    expect(short.message).toBe('f.json, line 4, column 8: X: X has 3 rows but there are 2 ids (expected one row of X per id)');
    const dupId = dataError(() => parseFeatures(text.replace('"c"]', '"a"]'), 'f.json'));
    expect(dupId.message).toMatch(/^f\.json, line 2, column 21: ids\[2\]: duplicate id "a" \(entries 1 and 3\)/);
    const huge = dataError(() => parseFeatures(text.replace('"6"', '1e400'), 'f.json'));
    expect(huge.message).toMatch(/line 6, column 12: X\[1\]\[2\]: .* is Infinity \(too large for a float64\)/);
    // a duplicated key: JSON.parse keeps the last one, and so does the locator
    const twice = dataError(() => parseFeatures('{"features": [1],\n"ids": ["a"], "X": [[1]],\n"features": [""]}', 'f.json'));
    expect(twice.message).toMatch(/^f\.json, line 3, column 14: features\[0\]: feature name 1 is ""/);
    // a deeply nested value: was a RangeError (the message stringified the value)
    const deep = `{"ids": ["a"], "features": ["u"], "X": [[${'['.repeat(200_000)}${']'.repeat(200_000)}]]}`;
    expect(() => parseFeatures(deep, 'f.json')).toThrow(/^f\.json, line 1, column 42: X\[0\]\[0\]: value for id "a", feature "u" is an array of 1 \(/);
    expect(() => parseFeatures(`{"ids": ${'['.repeat(200_000)}`, 'f.json')).toThrow(/^f\.json, line 1, column 200009: invalid JSON: the text ends/);
    const missing = dataError(() => parseFeatures('{\n"ids": ["a"], "X": [[1]]}', 'f.json'));
    expect(missing.message).toMatch(/^f\.json, line 1, column 1: features: missing or not an array/);
  });

  it('CSV and JSON round trips keep ids, names and every bit of the values', () => {
    const values = [0.1 + 0.2, -1e-300, 123456789.12345679, Math.PI, 5e-324, -0.5];
    const fs = parseFeatures(
      `id,"a,b",c\n"q""uote",${values.slice(0, 2).join(',')}\n x ,${values.slice(2, 4).join(',')}\n3,${values.slice(4).join(',')}\n`,
      'rt.csv',
    );
    expect(fs.ids).toEqual(['q"uote', 'x', '3']);
    const again = parseFeatures(featureSetToCsv(fs), 'rt2.csv');
    expect(again.ids).toEqual(fs.ids);
    expect(again.names).toEqual(fs.names);
    expect(Array.from(again.X.data)).toEqual(values);
    const viaJson = parseFeatures(JSON.stringify(featureSetToJson(fs)), 'rt.json');
    expect(Array.from(viaJson.X.data)).toEqual(values);
  });
});

describe('bundled timbre features', () => {
  it('parses features_spectrum.csv: 257 clips × 128 features', () => {
    const fs = parseFeatures(data('features_spectrum.csv'), 'features_spectrum.csv');
    expect(fs.X.rows).toBe(257);
    expect(fs.X.cols).toBe(128);
    expect(fs.names[0]).toBe('spec_000');
    expect(fs.names[127]).toBe('spec_127');
    expect(fs.ids[0]).toBe('Barthet2010_00');
    expect(new Set(fs.ids).size).toBe(257);
    const items = data('items.csv')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(',')[0]);
    expect(fs.ids).toEqual(items);
  });

  it('parses the 1.9 MB mert features (257 × 768) in well under a second', () => {
    const text = data('features_mert.csv');
    parseFeatures(text, 'warm-up');
    const t0 = performance.now();
    const fs = parseFeatures(text, 'features_mert.csv');
    const ms = performance.now() - t0;
    expect(fs.X.rows).toBe(257);
    expect(fs.X.cols).toBe(768);
    expect(ms).toBeLessThan(500);
  });
});

describe('a binary file', () => {
  it('is said to be no text file, with the line and the character, instead of quoting garbled header cells', () => {
    const png = '\u0089PNG\r\n\u001a\n\u0000\u0000\u0000\rIHDR';
    expect(() => parseFeatures(png, 'photo.png')).toThrow(DataError);
    expect(() => parseFeatures(png, 'photo.png')).toThrow(/photo\.png, line 2: this is not a text file \(a binary control character U\+001A at character 7\)/);
    expect(() => parseFeatures('id,x\na,1\n\ufffd\ufffd,2\n', 'bad-utf8.csv')).toThrow(/bad-utf8\.csv, line 3: this is not a text file/);
  });
});
