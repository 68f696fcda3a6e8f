/** The CLI's lines on each group's template W0 (result.templates), for experiments and learning curves. */
import type { ExperimentResult } from '../core/experiment-types';
import { templateInfoLabel } from '../core/template';

/** What each group's template W0 is and carries (result.templates), one line a group; '' without templates. */
export function formatTemplates(result: Pick<ExperimentResult, 'templates'>, heldOut = true): string {
  const ts = result.templates ?? [];
  if (!ts.length) return '';
  const pct = (x: number) => `${(100 * x).toFixed(2)} %`;
  const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const lines = ts.map((t) => {
    const what = templateInfoLabel(t);
    const verdict = t.identity ? ' (W0 = I: W0-RITML = RITML)' : '';
    const alone = heldOut ? `; W0 alone held out ${pct(mean(t.heldOut))}` : '';
    return `  ${t.group}: ${what}; on its ${t.complementConstraints} complement constraints W0 ${pct(t.trainFulfilment)} vs Euclidean ${pct(t.euclideanTrain)}${verdict}${alone}`;
  });
  return `templates W0 (trained on each group's complement):\n${lines.join('\n')}\n`;
}
