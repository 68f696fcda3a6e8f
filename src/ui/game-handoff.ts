/**
 * The lab's side of "Analyse in the lab" (issue 14): the listening game hands over its votes, users and the
 * clip set's features (src/ui/game/db.ts LabHandoff, read once at boot when the address has ?from=game); this
 * builds the notebook that opens on them — a note with what was left out, a Data cell holding the three files
 * as own files, Constraints & groups by a questionnaire attribute, an Experiment (Euclidean, RITML, W0-RITML,
 * SVM, MLR) and Heatmaps. Pure (no DOM), so it is unit tested.
 */
import type { LabHandoff } from './game/db';
import { type Cell, makeCell } from './model';
import type { NotebookSnapshot } from './notebook-file';

export function handoffSnapshot(h: LabHandoff): Pick<NotebookSnapshot, 'cells' | 'runs' | 'files' | 'dataVersion'> {
  const data = makeCell('data', { source: 'files' });
  const groupBy = h.files.users ? (h.groupBy ?? '') : '';
  const when = new Date(h.at).toISOString().slice(0, 16).replace('T', ' ');
  const cells: Cell[] = [
    makeCell('note', {
      text:
        `## ${h.title}\nVotes collected with the listening game (session \`${h.session}\`, clip set \`${h.clipSetId}\`, handed over ${when} UTC). ` +
        `${h.excludedNote}\n\n` +
        (groupBy
          ? `Groups are the players' answers to **${groupBy}**; choose another questionnaire attribute in Constraints & groups. `
          : 'No questionnaire attribute has two groups yet: the experiment runs on everyone together. ') +
        'Press **Run all**. With few votes per group the scores vary a lot between folds: collect more rounds before reading much into them.',
    }),
    data,
    makeCell('constraints', { groupBy }),
    makeCell('experiment', { methods: ['euclidean', 'ritml', 'w0-ritml', 'svm', 'mlr'], folds: 5, gammaGrid: [1], cGrid: [1] }),
    makeCell('heatmaps', { group: '' }),
  ];
  const files = {
    features: h.files.features,
    judgments: h.files.judgments,
    ...(h.files.users ? { users: h.files.users } : {}),
  };
  return { cells, runs: {}, files: { [data.id]: files }, dataVersion: {} };
}
