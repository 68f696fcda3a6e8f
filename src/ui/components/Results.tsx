/** Results of an experiment: table methods × groups (mean ± sd, significance), exports, provenance. */
import { useId } from 'react';
import { allFailed, notConvergedText, type ExperimentResult, type PartialResult } from '../../core/experiment-types';
import { baselineComparison, baselineOf, comparisonsToCsv, marksLegend, pct, resultsToCsv } from '../export';
import { download } from './common';
import { methodLabel } from '../../core/methods';
import { templateNote, templateRows, templateVerdict } from '../template-note';

export function groupsOf(r: ExperimentResult): string[] {
  const gs: string[] = [];
  for (const x of r.rows) if (!gs.includes(x.group)) gs.push(x.group);
  return gs;
}

/** `pending`: methods of a run still going, shown as "running…" / "queued" where their rows will be */
export function ResultsTable({ result, caption, pending }: { result: ExperimentResult; caption?: string; pending?: PartialResult['pending'] }) {
  const groups = groupsOf(result);
  const methods = result.meta.spec.methods;
  const base = baselineOf(methods);
  const captionId = useId();
  const best = new Map<string, number>();
  for (const g of groups) best.set(g, Math.max(...result.rows.filter((r) => r.group === g).map((r) => r.mean)));
  return (
    <>
      {/* the caption sits outside the scroll box, so it wraps to the screen while a wide table scrolls */}
      <p className="table-caption" id={captionId}>
        {caption ?? 'Held-out relative constraints fulfilled (%), mean ± sd over folds'}
        {base && methods.length > 1 ? ` — ${marksLegend(methodLabel(base), 'paired t-test over folds')}` : ''}
      </p>
      <div className="table-wrap">
        <table className="results" data-testid="results-table" aria-labelledby={captionId}>
          <thead>
            <tr>
              <th scope="col">Method</th>
              {groups.map((g) => (
                <th scope="col" key={g}>
                  {g}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {methods.map((m) => (
              <tr key={m} data-method={m}>
                <th scope="row">{methodLabel(m)}</th>
                {groups.map((g) => {
                  const row = result.rows.find((r) => r.method === m && r.group === g);
                  if (!row) {
                    const state = pending?.[m];
                    return state ? (
                      <td key={g} className="pending" data-pending={state}>
                        {state === 'running' ? 'running…' : 'queued'}
                      </td>
                    ) : (
                      <td key={g}>–</td>
                    );
                  }
                  const s = baselineComparison(result, m, g);
                  const title = [
                    `train ${pct(row.train)}%`,
                    row.chosen ? `chosen per fold: ${row.chosen.map((c) => (Number.isFinite(c) ? c : '–')).join(', ')}` : '',
                    s.c
                      ? `vs ${methodLabel(s.vs!)}: Δ ${(100 * s.diff).toFixed(2)} pt, t-test p = ${s.c.p.toPrecision(2)}, Wilcoxon p = ${s.c.pWilcoxon.toPrecision(2)}`
                      : '',
                  ]
                    .filter(Boolean)
                    .join('; ');
                  return (
                    <td key={g} data-group={g} data-mean={row.mean} data-sd={row.sd} title={title} className={row.mean === best.get(g) ? 'best' : undefined}>
                      {allFailed(row) ? (
                        <span className="mean">—</span>
                      ) : (
                        <>
                          <span className="mean">{pct(row.mean)}</span> <span className="sd">± {pct(row.sd)}</span>
                        </>
                      )}
                      {s.mark && (
                        <span
                          className={`sig ${s.direction}`}
                          role="img"
                          data-direction={s.direction}
                          aria-label={`significantly ${s.direction} than ${methodLabel(s.vs!)}, p = ${s.c!.p.toPrecision(2)}`}
                        >
                          {' '}
                          {s.mark}
                        </span>
                      )}
                      {row.notConverged && (
                        <span
                          className="not-converged"
                          role="img"
                          data-testid="not-converged"
                          aria-label={notConvergedText(row.notConverged)}
                          title={notConvergedText(row.notConverged)}
                        >
                          {' '}
                          ⚠ {row.notConverged.zeroMetric === row.notConverged.fits ? 'failed' : 'not converged'}
                        </span>
                      )}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

/**
 * What the templates W0 carried (said plainly, with a table per group), and why W0-RITML equals RITML where a
 * template is the identity; nothing for a run without templates.
 */
export function TemplateNote({ result }: { result: ExperimentResult }) {
  const text = templateNote(result);
  const verdict = templateVerdict(result);
  const rows = templateRows(result);
  const pc = (x: number | undefined) => (x === undefined ? '' : (100 * x).toFixed(1));
  if (!text && !verdict) return null;
  return (
    <div data-testid="templates">
      {verdict && (
        <p className="explain" data-testid="template-verdict">
          {verdict}
        </p>
      )}
      {text && (
        <p className="explain" data-testid="template-note">
          {text}
        </p>
      )}
      {rows.length > 0 && (
        <details>
          <summary>Templates per group</summary>
          <div className="table-scroll">
            <table className="results" data-testid="template-table">
              <thead>
                <tr>
                  <th>group</th>
                  <th>template</th>
                  <th title="fulfilment of the complement's constraints (the template's training data)">W0 on complement %</th>
                  <th title="Euclidean on the same constraints">Euclidean on complement %</th>
                  <th title="W0 alone, no fine-tuning, on the group's held-out folds">W0 alone held out %</th>
                  <th>W0-RITML %</th>
                  <th>RITML %</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={r.group}>
                    <th scope="row">{r.group}</th>
                    <td>
                      {r.learner}
                      {r.identity ? ' → I' : ''}
                    </td>
                    <td>{pc(r.complement[0])}</td>
                    <td>{pc(r.complement[1])}</td>
                    <td>{pc(r.heldOut)}</td>
                    <td>{pc(r.w0ritml)}</td>
                    <td>{pc(r.ritml)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </details>
      )}
    </div>
  );
}

export function ResultExports({ result, name }: { result: ExperimentResult; name: string }) {
  const stem = `${name}-seed${result.meta.spec.seed}`;
  return (
    <div className="row exports">
      <button type="button" onClick={() => download(`${stem}.csv`, resultsToCsv(result), 'text/csv')}>
        Export results (CSV)
      </button>
      <button type="button" onClick={() => download(`${stem}-comparisons.csv`, comparisonsToCsv(result), 'text/csv')}>
        Export significance tests (CSV)
      </button>
      <button type="button" onClick={() => download(`${stem}.json`, JSON.stringify(result, null, 1), 'application/json')} data-testid="export-json">
        Export everything (JSON)
      </button>
    </div>
  );
}

export function ProvenanceView({ result }: { result: ExperimentResult }) {
  const m = result.meta;
  const s = m.spec;
  return (
    <details className="provenance">
      <summary>Provenance</summary>
      <dl>
        <dt>App</dt>
        <dd>
          {m.app} {m.version}
        </dd>
        <dt>Backend</dt>
        <dd data-testid="result-backend">
          {m.backend.id} ({m.backend.precision}) — {m.backend.description}
        </dd>
        <dt>Data</dt>
        <dd>
          {m.featuresSource} + {m.judgmentsSource}, fingerprint <code>{m.dataFingerprint}</code>
        </dd>
        <dt>Protocol</dt>
        <dd>
          {s.folds}-fold CV, split by {s.split === 'item' ? 'item (test clips unseen)' : 'triplet'}, seed {s.seed}, γ grid [{s.gammaGrid.join(', ')}], C grid [
          {s.cGrid.join(', ')}], {s.innerFolds} inner folds{s.pca ? `, PCA ${s.pca}` : ''}
          {s.standardise ? ', z-scored features' : ', raw features'}
          {s.groupBy ? `, groups by ${s.groupBy}` : ''}
        </dd>
        <dt>Started</dt>
        <dd>
          {m.startedAt}, took {(m.elapsedMs / 1000).toFixed(1)} s
        </dd>
        <dt>Constraints</dt>
        <dd>
          {Object.entries(m.constraintCounts)
            .map(([k, v]) => `${k}: ${v}`)
            .join('; ')}
        </dd>
      </dl>
      {m.notes.length > 0 && (
        <ul className="notes">
          {m.notes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      )}
    </details>
  );
}
