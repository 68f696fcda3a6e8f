import { describe, expect, it } from 'vitest';
import { renderMarkdown } from './markdown';
import { baselineComparison, pct, resultsToCsv } from './export';
import { EMPTY_DATA, guessSlot, loadFiles, loadSlot } from './data';
import { friendly } from './errors';
import type { ExperimentResult } from '../core/experiment-types';
import { DataError } from '../core/types';

describe('markdown notes', () => {
  it('render Markdown but show raw HTML as text', () => {
    const html = renderMarkdown('**bold** <img src=x onerror=alert(1)>\n\n<script>alert(1)</script>');
    expect(html).toContain('<strong>bold</strong>');
    expect(html).not.toMatch(/<img|<script/i);
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });
  it('keep only http(s)/mailto/anchor links and never load images', () => {
    expect(renderMarkdown('[a](javascript:alert(1))')).not.toContain('href');
    expect(renderMarkdown('[a](https://example.org)')).toContain('href="https://example.org"');
    const img = renderMarkdown('![x](https://example.org/a.png)');
    expect(img).not.toContain('<img');
    expect(img).toContain('[x]');
  });
});

const result = {
  rows: [
    { method: 'euclidean', group: 'g1', mean: 0.6, sd: 0.01, folds: [0.59, 0.61], train: 0.6, fitMs: 1 },
    { method: 'ritml', group: 'g1', mean: 0.65, sd: 0.02, folds: [0.64, 0.66], train: 0.7, chosen: [1, 10], fitMs: 5 },
    { method: 'svm', group: 'g1', mean: 0.61, sd: 0.02, folds: [0.6, 0.62], train: 0.7, fitMs: 5 },
  ],
  comparisons: [
    { group: 'g1', a: 'euclidean', b: 'ritml', meanDiff: -0.05, p: 0.004, pWilcoxon: 0.01 },
    { group: 'g1', a: 'euclidean', b: 'svm', meanDiff: -0.01, p: 0.2, pWilcoxon: 0.3 },
  ],
  metrics: [],
  meta: { spec: { methods: ['euclidean', 'ritml', 'svm'], seed: 1 } },
} as unknown as ExperimentResult;

describe('exports and marks', () => {
  it('CSV has one row per method × group with the folds', () => {
    const csv = resultsToCsv(result).trim().split('\n');
    expect(csv[0]).toBe('method,group,mean,sd,train,fold1,fold2,chosen,fit_ms,not_converged');
    expect(csv[2]).toBe('ritml,g1,0.65,0.02,0.7,0.64,0.66,1 10,5,');
    expect(csv).toHaveLength(4);
    // a row whose fits did not converge says so in its own column
    const failed = { ...result, rows: [{ ...result.rows[0], notConverged: { fits: 2, of: 2, zeroMetric: 2 } }] };
    expect(resultsToCsv(failed).trim().split('\n')[1]).toMatch(/,2 of 2 fits did not converge \(all gave the zero metric: a failed solve\)$/);
  });
  it('marks significance against the Euclidean baseline', () => {
    // comparison euclidean − ritml = −0.05: RITML is better
    expect(baselineComparison(result, 'ritml', 'g1').mark).toBe('▲**');
    expect(baselineComparison(result, 'ritml', 'g1').direction).toBe('better');
    expect(baselineComparison(result, 'svm', 'g1').mark).toBe('');
    expect(baselineComparison(result, 'euclidean', 'g1').mark).toBe('');
    expect(pct(0.6236)).toBe('62.36');
    expect(pct(NaN)).toBe('–');
  });
});

describe('data slots', () => {
  const features = { name: 'f.csv', text: 'id,x,y\na,1,2\nb,2,1\nc,0,0\n' };
  const votes = { name: 'v.csv', text: 'a,b,c,odd,user\na,b,c,a,u1\n' };
  it('loads features and judgments and joins them', () => {
    const d = loadFiles({ features, judgments: votes });
    expect(d.errors).toEqual({});
    expect(d.lab?.features.ids).toEqual(['a', 'b', 'c']);
    expect(d.lab?.judgments.judgments).toHaveLength(1);
  });
  it('a bad file reports file and line and keeps everything loaded before', () => {
    const d = loadFiles({ features, judgments: votes });
    const bad = loadSlot(d, 'features', { name: 'bad.csv', text: 'id,x\na,1\nb,oops\n' });
    expect(bad.errors.features).toMatch(/bad\.csv, line 3/);
    expect(bad.features).toBe(d.features);
    expect(bad.lab).toBe(d.lab);
    const unreadable = loadSlot(d, 'judgments', { name: 'j.csv', text: 'a,b,c,odd\na,b,b,a\n' });
    expect(unreadable.errors.judgments).toMatch(/j\.csv, line 2/);
    expect(unreadable.judgments).toBe(d.judgments);
    expect(unreadable.lab).toBe(d.lab);
  });
  it('guesses the slot of a dropped file from its header', () => {
    expect(guessSlot(features)).toBe('features');
    expect(guessSlot(votes)).toBe('judgments');
    expect(guessSlot({ name: 'x.csv', text: 'user,age_group\nu1,<=25\n' })).toBe('users');
    expect(guessSlot({ name: 'c.tsv', text: 'anchor\tnear\tfar\n' })).toBe('judgments');
    expect(EMPTY_DATA.lab).toBeNull();
  });
});

describe('friendly errors', () => {
  it('show located data errors as they are and hide stacks behind details', () => {
    const e = friendly(new DataError({ file: 'f.csv', line: 3, column: 'x', message: 'not a number' }));
    expect(e).toEqual({ kind: 'data', message: 'f.csv, line 3, column "x": not a number' });
    const t = new TypeError('x is undefined');
    const f = friendly(t);
    expect(f.kind).toBe('other');
    expect(f.message).not.toContain('undefined');
    expect(f.detail).toBe('TypeError: x is undefined');
    expect(friendly(Object.assign(new Error('GPU device was lost'), { name: 'OperationError' })).kind).toBe('gpu');
  });
});
