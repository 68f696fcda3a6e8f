/**
 * Transfer cell: per group, a template W0 from the complement and the group's metric fine-tuned from it
 * (W0-RITML), against RITML from scratch — one γ, no inner CV, so it is quick. Shows how far W moved from W0.
 */
import type { GroupMetrics } from '../../core/experiment-types';
import { pct } from '../export';
import type { CellOf } from '../model';
import { groupByFor, setParams, statusOf, useLab } from '../store';
import { NumberField } from '../components/common';
import { ProvenanceView, ResultExports, ResultsTable, TemplateNote } from '../components/Results';
import { CellFrame } from './CellFrame';

/** ‖W − W0‖_F / ‖W0‖_F and the share of off-diagonal energy in W0 and W. */
export function transferStats(m: GroupMetrics): { change: number; offW0: number; offW: number } | null {
  if (!m.W || !m.W0) return null;
  const d = m.d;
  let dn = 0;
  let n0 = 0;
  let o0 = 0;
  let t0 = 0;
  let o1 = 0;
  let t1 = 0;
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) {
      const a = m.W0[i * d + j];
      const b = m.W[i * d + j];
      dn += (b - a) ** 2;
      n0 += a * a;
      t0 += a * a;
      t1 += b * b;
      if (i !== j) {
        o0 += a * a;
        o1 += b * b;
      }
    }
  }
  return { change: Math.sqrt(dn / (n0 || 1)), offW0: t0 ? o0 / t0 : 0, offW: t1 ? o1 / t1 : 0 };
}

export function TransferCell({ cell, index, count }: { cell: CellOf<'transfer'>; index: number; count: number }) {
  const p = cell.params;
  const groupBy = useLab((s) => groupByFor(s.cells, index));
  const saved = useLab((s) => s.runs[cell.id]?.saved?.result);
  const status = useLab((s) => statusOf(s, cell.id));
  const set = (patch: Partial<typeof p>) => setParams<'transfer'>(cell.id, patch);
  return (
    <CellFrame cell={cell} index={index} count={count}>
      <p className="hint">
        For each group{groupBy ? ` of ${groupBy}` : ''}: W0 is learned by RITML on the complement (prior I), then fine-tuned on the group with prior W0
        (W0-RITML). The LogDet regulariser keeps W close to W0 unless the group's data pulls it away; γ sets how far.
      </p>
      <div className="row">
        <NumberField label="γ" value={p.gamma} min={1e-6} onChange={(v) => set({ gamma: v })} />
        <NumberField label="Folds" value={p.folds} integer min={2} max={50} onChange={(v) => set({ folds: v })} />
        <NumberField label="Seed" value={p.seed} integer onChange={(v) => set({ seed: v })} />
        <NumberField label="PCA dimensions" value={p.pca} integer min={0} onChange={(v) => set({ pca: v })} hint="0 = off" />
      </div>
      {saved && (
        <div className={status === 'stale' || status === 'cancelled' ? 'output dim' : 'output'} data-testid="transfer-output">
          {status === 'cancelled' && (
            <p className="hint" data-testid="cancelled-earlier">
              The run was cancelled: these are the results of the earlier run, kept as they were.
            </p>
          )}
          <div className="table-wrap">
            <table>
              <caption>Template W0 vs fine-tuned W per group</caption>
              <thead>
                <tr>
                  <th scope="col">Group</th>
                  <th scope="col">complement constraints</th>
                  <th scope="col">‖W − W0‖ / ‖W0‖</th>
                  <th scope="col">off-diagonal share W0</th>
                  <th scope="col">off-diagonal share W</th>
                  <th scope="col">RITML → W0-RITML (%)</th>
                </tr>
              </thead>
              <tbody>
                {saved.metrics.map((m) => {
                  const st = transferStats(m);
                  const r0 = saved.rows.find((r) => r.group === m.group && r.method === 'ritml');
                  const r1 = saved.rows.find((r) => r.group === m.group && r.method === 'w0-ritml');
                  return (
                    <tr key={m.group}>
                      <th scope="row">{m.group}</th>
                      <td>{saved.meta.constraintCounts[`${m.group} (complement)`] ?? '–'}</td>
                      <td>{st ? st.change.toFixed(3) : '–'}</td>
                      <td>{st ? `${(100 * st.offW0).toFixed(1)}%` : '–'}</td>
                      <td>{st ? `${(100 * st.offW).toFixed(1)}%` : '–'}</td>
                      <td>{r0 && r1 ? `${pct(r0.mean)} → ${pct(r1.mean)}` : '–'}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          <ResultsTable result={saved} />
          <TemplateNote result={saved} />
          <ResultExports result={saved} name="transfer" />
          <ProvenanceView result={saved} />
        </div>
      )}
    </CellFrame>
  );
}
