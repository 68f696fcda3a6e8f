/**
 * The lab's side of "Analyse in the lab" (issue 14): the listening game hands over its votes, users and the
 * clip set's features (src/ui/game/db.ts LabHandoff, read once at boot when the address has ?from=game); this
 * builds the notebook that opens on them — a note with what was left out, a Data cell holding the three files
 * as own files, Constraints & groups by a questionnaire attribute, an Experiment (Euclidean, RITML, W0-RITML,
 * SVM, MLR) and Heatmaps. Pure (no DOM), so it is unit tested.
 *
 * The experiment is set light, as the lab's default notebook: 5 folds, one γ and one C (no inner CV), a RITML
 * template (a full W0 whose couplings the heatmaps show), and the
 * features reduced to their first HANDOFF_PCA principal components (after standardising) when there are more:
 * a workshop's clip set has a few dozen clips, too few to learn a metric on dozens of features, and a 6×6
 * heatmap can be read. The simulated players of the organiser's demo hear the clips by the same components.
 */
import { parseFeatures } from '../core/parse/features';
import { preprocess } from '../core/preprocess';
import type { LabHandoff } from './game/db';
import { type Cell, makeCell } from './model';
import type { NotebookSnapshot } from './notebook-file';

/** The handoff experiment's PCA dimensions: at most this many. */
export const HANDOFF_PCA = 6;

/**
 * PCA dimensions for a features file: min(HANDOFF_PCA, clips − 1) (centred, n clips span n − 1 dimensions)
 * when the file has more usable features than HANDOFF_PCA
 * (zero-variance features aside), else 0 (off: the standardised features themselves). 0 also when the file
 * cannot be read (the Data cell then says why).
 */
export function handoffPca(featuresText: string): number {
  try {
    const fs = preprocess(parseFeatures(featuresText, 'features.csv'), { standardise: true }).features;
    const k = Math.min(HANDOFF_PCA, fs.X.rows - 1);
    return fs.X.cols > HANDOFF_PCA && k >= 1 ? k : 0;
  } catch {
    return 0;
  }
}

export function handoffSnapshot(h: LabHandoff): Pick<NotebookSnapshot, 'cells' | 'runs' | 'files' | 'dataVersion'> {
  const data = makeCell('data', { source: 'files' });
  const groupBy = h.files.users ? (h.groupBy ?? '') : '';
  const pca = handoffPca(h.files.features.text);
  const when = new Date(h.at).toISOString().slice(0, 16).replace('T', ' ');
  const cells: Cell[] = [
    makeCell('note', {
      text:
        `## ${h.title}\nVotes collected with the listening game (session \`${h.session}\`, clip set \`${h.clipSetId}\`, handed over ${when} UTC). ` +
        `${h.excludedNote}\n\n` +
        (groupBy
          ? `Groups are the players' answers to **${groupBy}**; choose another questionnaire attribute in Constraints & groups. `
          : 'No questionnaire attribute has two groups yet: the experiment runs on everyone together. ') +
        (pca
          ? `The experiment reduces the clip set's features to their first ${pca} principal components (set PCA to 0 in the Experiment cell for all of them). `
          : '') +
        'Press **Run all**. With few votes per group the scores vary a lot between folds: collect more rounds before reading much into them. ' +
        'In **Metric heatmaps**, the *Correlation* view shows best which feature pairs a group hears differently from the others (the template).',
    }),
    data,
    makeCell('constraints', { groupBy }),
    // a RITML template: a full W0, so the heatmaps show couplings in the template and in ΔW (a diagonal SVM
    // template, which the lab's inner CV may choose, holds none)
    makeCell('experiment', { methods: ['euclidean', 'ritml', 'w0-ritml', 'svm', 'mlr'], folds: 5, pca, gammaGrid: [1], cGrid: [1], template: 'ritml' }),
    makeCell('heatmaps', { group: '' }),
  ];
  const files = {
    features: h.files.features,
    judgments: h.files.judgments,
    ...(h.files.users ? { users: h.files.users } : {}),
  };
  return { cells, runs: {}, files: { [data.id]: files }, dataVersion: {} };
}
