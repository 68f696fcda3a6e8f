/** A whole session in the game's export formats (src/game/export, share), for the organiser's `export` frame. */
import { toCountsCsv, toJsPsychCsv, toJsPsychJson, toLabCsv } from '../game/export';
import { votesToJson } from '../game/share';
import type { Player, SessionSettings, VoteRecord } from '../game/types';
import type { ExportFormat } from '../game/protocol';

export interface ExportFile {
  readonly name: string;
  readonly text: string;
}

/** The files of one export, named after the session, and what the lab export left out. */
export function exportSession(
  settings: SessionSettings,
  votes: readonly VoteRecord[],
  players: readonly Player[],
  format: ExportFormat,
): { files: ExportFile[]; excluded?: unknown } {
  const base = settings.id;
  switch (format) {
    case 'lab': {
      const lab = toLabCsv(settings, votes, players);
      const files = [{ name: `${base}-votes.csv`, text: lab.votesCsv }];
      if (lab.usersCsv) files.push({ name: `${base}-users.csv`, text: lab.usersCsv });
      return { files, excluded: lab.excluded };
    }
    case 'jspsych-csv':
      return { files: [{ name: `${base}-jspsych.csv`, text: toJsPsychCsv(votes) }] };
    case 'jspsych-json':
      return { files: [{ name: `${base}-jspsych.json`, text: toJsPsychJson(votes) }] };
    case 'counts': {
      const c = toCountsCsv(votes);
      return { files: [{ name: `${base}-counts.csv`, text: c.csv }], excluded: c.excluded };
    }
    case 'votes-json':
      return { files: [{ name: `${base}-votes.json`, text: votesToJson(settings.id, votes, players) }] };
  }
}
