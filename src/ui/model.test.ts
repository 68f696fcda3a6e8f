import { describe, expect, it } from 'vitest';
import {
  decodeShare,
  downstreamOf,
  encodeShare,
  experimentSpec,
  inputKey,
  makeCell,
  presetNotebook,
  sanitiseCells,
  SPEC_DEFAULTS,
  templateChoice,
  transferSpec,
  upstreamOf,
  validateParams,
  type Cell,
  type ExperimentParams,
} from './model';

function nb(): Cell[] {
  return [
    makeCell('note'),
    makeCell('data', { source: 'synthetic' }),
    makeCell('constraints', { groupBy: 'age_group' }),
    makeCell('experiment'),
    makeCell('heatmaps'),
    makeCell('data', { source: 'timbre-spectrum' }),
    makeCell('experiment'),
  ];
}

describe('dependencies', () => {
  it('each cell reads from the nearest matching cells above it', () => {
    const c = nb();
    expect(upstreamOf(c, 0)).toEqual([]);
    expect(upstreamOf(c, 2)).toEqual([c[1].id]);
    expect(upstreamOf(c, 3)).toEqual([c[1].id, c[2].id]);
    expect(upstreamOf(c, 4)).toEqual([c[3].id]);
    // the second experiment has its own data cell and no constraints cell after it
    expect(upstreamOf(c, 6)).toEqual([c[5].id]);
  });

  it('changing a data cell makes everything below that reads from it stale, not the other data set', () => {
    const c = nb();
    expect(downstreamOf(c, c[1].id)).toEqual([c[2].id, c[3].id, c[4].id]);
    expect(downstreamOf(c, c[2].id)).toEqual([c[3].id, c[4].id]);
    expect(downstreamOf(c, c[5].id)).toEqual([c[6].id]);
    expect(downstreamOf(c, c[0].id)).toEqual([]);
  });

  it('input keys change with own and upstream parameters and with the data version only', () => {
    const c = nb();
    const v = (x: Record<string, number>) => (id: string) => x[id] ?? 0;
    const k0 = inputKey(c, 4, v({}));
    // a note changes nothing downstream
    const c1 = c.map((x, i) => (i === 0 ? ({ ...x, params: { text: 'other' } } as Cell) : x));
    expect(inputKey(c1, 4, v({}))).toBe(k0);
    // the group-by upstream changes the heatmap cell's key
    const c2 = c.map((x, i) => (i === 2 ? ({ ...x, params: { groupBy: 'gender' } } as Cell) : x));
    expect(inputKey(c2, 4, v({}))).not.toBe(k0);
    // new data in the data cell above
    expect(inputKey(c, 4, v({ [c[1].id]: 2 }))).not.toBe(k0);
    // data of the other data cell does not matter
    expect(inputKey(c, 4, v({ [c[5].id]: 2 }))).toBe(k0);
  });
});

describe('specs', () => {
  it('an experiment cell with default parameters gives the CLI default spec (SPEC_DEFAULTS mirrors DEFAULT_SPEC)', () => {
    const cell = makeCell('experiment', { methods: ['euclidean', 'ritml'] });
    const spec = experimentSpec(cell.params, '');
    for (const k of ['folds', 'split', 'seed', 'standardise', 'gammaGrid', 'cGrid', 'innerFolds', 'removeGroupTripletsFromW0'] as const) {
      expect(spec[k]).toEqual(SPEC_DEFAULTS[k]);
    }
    expect(spec.groupBy).toBeUndefined();
    expect(spec.pca).toBeUndefined();
    expect(experimentSpec({ ...cell.params, pca: 8 }, 'age_group')).toMatchObject({ pca: 8, groupBy: 'age_group' });
  });

  it('a transfer cell runs RITML vs W0-RITML with one γ for the template and the fine-tuning', () => {
    const s = transferSpec(makeCell('transfer', { gamma: 3 }).params, 'group');
    expect(s.methods).toEqual(['euclidean', 'ritml', 'w0-ritml']);
    expect(s.gammaGrid).toEqual([3]);
    expect(s.params).toEqual({ protocol: { w0Method: 'ritml', w0Gamma: 3 } });
  });

  it('validation names what to fix', () => {
    const e = makeCell('experiment', { methods: ['w0-ritml'], folds: 1 });
    const errs = validateParams(e, '');
    expect(errs.join(' ')).toMatch(/Folds/);
    expect(errs.join(' ')).toMatch(/need groups/);
    expect(validateParams(makeCell('experiment'), '')).toEqual([]);
    expect(validateParams(makeCell('transfer'), '')).toHaveLength(1);
  });

  it('the default notebook replicates the poster: synthetic data, age groups, five methods', () => {
    const p = presetNotebook('poster').cells;
    expect(p.map((c) => c.kind)).toEqual(['note', 'data', 'constraints', 'experiment', 'heatmaps']);
    const exp = p[3];
    expect(exp.kind === 'experiment' && exp.params.methods).toEqual(['euclidean', 'svm', 'mlr', 'ritml', 'w0-ritml']);
    expect(p[2].kind === 'constraints' && p[2].params.groupBy).toBe('age_group');
    const t = presetNotebook('timbre').cells;
    expect(t.find((c) => c.kind === 'experiment')?.params).toMatchObject({ pca: 16 });
    expect(t.find((c) => c.kind === 'data')?.params).toEqual({ source: 'timbre-spectrum' });
  });
});

describe('share links', () => {
  it('round-trip the parameters (new ids, same kinds and params), never data', () => {
    const cells = nb();
    const s = encodeShare({ cells });
    expect(s).toMatch(/^[A-Za-z0-9_-]+$/);
    const back = decodeShare(s).cells;
    expect(back.map((c) => [c.kind, c.params])).toEqual(cells.map((c) => [c.kind, c.params]));
  });

  it('carries non-ASCII note text', () => {
    const cells = [makeCell('note', { text: 'γ ≥ 0 — Größe 🎵' })];
    expect(decodeShare(encodeShare({ cells })).cells[0].params).toEqual({ text: 'γ ≥ 0 — Größe 🎵' });
  });

  it('rejects damaged links and unknown kinds, methods or sources', () => {
    expect(() => decodeShare('%%%')).toThrow(/damaged/);
    expect(() => sanitiseCells([{ kind: 'shell', params: {} }], 'x')).toThrow(/unknown kind/);
    expect(() => sanitiseCells([{ kind: 'experiment', params: { methods: ['rm -rf'] } }], 'x')).toThrow(/unknown method/);
    expect(() => sanitiseCells([{ kind: 'data', params: { source: 'http://evil' } }], 'x')).toThrow(/data source/);
    expect(() => sanitiseCells([{ kind: 'experiment', params: { folds: '10' } }], 'x')).toThrow(/wrong type/);
  });

  it('fills missing parameters with defaults and drops unknown ones', () => {
    const [c] = sanitiseCells([{ kind: 'experiment', params: { folds: 4, evil: 1 } }], 'x');
    expect(c.params).toMatchObject({ folds: 4, seed: 1 });
    expect('evil' in c.params).toBe(false);
  });

  it('refuses kinds, methods and sources that are only inherited names (own properties only)', () => {
    for (const kind of ['__proto__', 'toString', 'constructor', 'hasOwnProperty', 'valueOf']) {
      expect(() => sanitiseCells([{ kind, params: {} }], 'nb.json')).toThrow(new RegExp(`nb.json: cell 1 has unknown kind "${kind}" \\(known kinds: data, `));
    }
    expect(() => sanitiseCells(JSON.parse('[{"kind":"__proto__"}]'), 'x')).toThrow(/unknown kind "__proto__"/);
    expect(() => sanitiseCells([{ kind: 'experiment', params: { methods: ['toString'] } }], 'x')).toThrow(/unknown method "toString"/);
    expect(() => sanitiseCells([{ kind: 'experiment', params: { methods: ['__proto__'] } }], 'x')).toThrow(/unknown method/);
    expect(() => sanitiseCells([{ kind: 'data', params: { source: 'constructor' } }], 'x')).toThrow(/unknown data source/);
    // a crafted share link is refused the same way
    const crafted = Buffer.from(JSON.stringify({ v: 1, cells: [{ kind: 'toString', params: {} }] })).toString('base64url');
    expect(() => decodeShare(crafted)).toThrow(/shared link: cell 1 has unknown kind "toString"/);
  });

  it('ignores inherited parameter names and never takes an inherited cell id', () => {
    const [c] = sanitiseCells(JSON.parse('[{"kind":"experiment","id":"__proto__","params":{"__proto__":{"folds":3},"constructor":1,"folds":4}}]'), 'x');
    expect(c.id).not.toBe('__proto__');
    expect(c.params).toMatchObject({ folds: 4 });
    expect(Object.getPrototypeOf(c.params)).toBe(Object.prototype);
    expect(Object.hasOwn(c.params, 'constructor')).toBe(false);
    const [d] = sanitiseCells([{ kind: 'note', id: 'toString' }], 'x');
    expect(d.id).not.toBe('toString');
    // a parameter missing from the object is its default even when an inherited name matches
    const [e] = sanitiseCells([{ kind: 'note', params: Object.create({ text: 'inherited' }) }], 'x');
    expect(e.params).toEqual({ text: 'Write notes in **Markdown**.' });
  });

  it("checks parameters against the kind's schema: element types, allowed values", () => {
    expect(() => sanitiseCells([{ kind: 'experiment', params: { gammaGrid: ['1'] } }], 'x')).toThrow(/"gammaGrid" has the wrong type/);
    expect(() => sanitiseCells([{ kind: 'experiment', params: { split: 'random' } }], 'x')).toThrow(/unknown split/);
    expect(() => sanitiseCells([{ kind: 'note', params: { text: 3 } }], 'x')).toThrow(/"text" has the wrong type/);
    // out of range is kept and shown as a problem before Run
    const [c] = sanitiseCells([{ kind: 'experiment', params: { folds: 1 } }], 'x');
    expect(validateParams(c, 'g')).toEqual(['Folds must be a whole number of at least 2.']);
  });
});

describe('Experiment cell template settings', () => {
  it('put only non-default template choices into the spec, and none without a template method', () => {
    const p = makeCell('experiment', { methods: ['euclidean', 'ritml', 'w0-ritml'] }).params as ExperimentParams;
    expect(experimentSpec(p, 'g').params).toBeUndefined();
    expect(p.template).toBe('cv');
    expect(experimentSpec({ ...p, template: 'ritml' }, 'g').params).toEqual({ protocol: { w0Method: 'ritml' } });
    expect(experimentSpec({ ...p, template: 'ritml', templateTuning: 'cv' }, 'g').params).toEqual({ protocol: { w0Method: 'ritml', w0Gamma: 'cv' } });
    expect(experimentSpec({ ...p, template: 'svm', templateTuning: 'cv' }, 'g').params).toEqual({ protocol: { w0Method: 'svm' } });
    expect(experimentSpec({ ...p, template: 'mlr' }, 'g').params).toEqual({ protocol: { w0Method: 'mlr', w0C: 1 } });
    expect(experimentSpec({ ...p, templateIterate: 'learned' }, 'g').params).toEqual({ protocol: { w0Select: 'learned' } });
    expect(experimentSpec({ ...p, methods: ['ritml'], template: 'mlr' }, 'g').params).toBeUndefined();
    // choosing a learner in the cell gives the CLI's default tuning for it: RITML γ = 1, SVM / MLR C by inner CV
    expect(experimentSpec({ ...p, ...templateChoice('svm') }, 'g').params).toEqual({ protocol: { w0Method: 'svm' } });
    expect(experimentSpec({ ...p, ...templateChoice('ritml') }, 'g').params).toEqual({ protocol: { w0Method: 'ritml' } });
  });
});

describe('input keys and the template settings', () => {
  it('an Experiment cell without a template method keeps the key it had before the template settings existed', () => {
    const cells = [
      makeCell('data', { source: 'synthetic' }),
      makeCell('constraints', { groupBy: 'age_group' }),
      makeCell('experiment', { methods: ['euclidean', 'ritml'] }),
    ];
    const before = inputKey(cells, 2, () => 1);
    const changed = [cells[0], cells[1], { ...cells[2], params: { ...cells[2].params, template: 'svm' } } as Cell];
    expect(inputKey(changed, 2, () => 1)).toBe(before);
    expect(before).not.toContain('template');
    const w0 = [cells[0], cells[1], makeCell('experiment', { methods: ['ritml', 'w0-ritml'] })];
    expect(inputKey(w0, 2, () => 1)).toContain('"template":"cv"');
  });
});
