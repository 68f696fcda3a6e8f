/**
 * "Analyse in the lab" as plain data (pure): the lab's three files from the merged votes (toLabCsv: catch
 * trials and timeouts never, players flagged by catch trials left out unless asked), what was left out in
 * words, and the questionnaire attribute to group by.
 */
import { type Exclusions, type MergeResult, type Player, RATHER_NOT_SAY, type SessionSettings, toLabCsv } from '../../../game';
import type { LabHandoff } from '../db';
import { exportName } from './setup-form';

export interface LabOptions {
  readonly includeFlagged: boolean;
  readonly ratherNotSayAsEmpty: boolean;
  readonly groupBy: string;
}

/** What the lab note says was left out. */
export function exclusionNote(ex: Exclusions, exported: number, includeFlagged: boolean): string {
  const n = (k: number, w: string) => `${k} ${w}${k === 1 ? '' : 's'}`;
  const flagged = ex.flaggedPlayers.length;
  const lines = [
    `**${n(exported, 'vote')}** ${exported === 1 ? 'goes' : 'go'} into the analysis.`,
    `Left out: ${n(ex.catchTrials, 'catch trial')} (two identical clips are never a triplet), ${n(ex.timeouts, 'timeout')}` +
      (includeFlagged ? '.' : `, and ${n(ex.flaggedVotes, 'vote')} of ${n(flagged, 'player')} who failed a catch trial.`),
  ];
  if (includeFlagged && flagged)
    lines.push(`${n(flagged, 'player')} who failed a catch trial ${flagged === 1 ? 'is' : 'are'} included (users file column \`flagged\`).`);
  return lines.join(' ');
}

/** Questionnaire attributes with the number of distinct answers (rather-not-say aside) among players who voted. */
export function groupingAttributes(settings: SessionSettings, players: readonly Player[]): { id: string; label: string; groups: number }[] {
  return settings.questionnaire.questions.map((q) => {
    const values = new Set(players.map((p) => p.answers[q.id]).filter((v) => v !== undefined && v !== RATHER_NOT_SAY && v !== ''));
    return { id: q.id, label: q.label, groups: values.size };
  });
}

/** The default group-by: age when it has two groups, else the first attribute with two or more, else none. */
export function defaultGroupBy(attrs: readonly { id: string; groups: number }[]): string {
  if (attrs.some((a) => a.id === 'age' && a.groups >= 2)) return 'age';
  return attrs.find((a) => a.groups >= 2)?.id ?? '';
}

/** The handoff for the lab (db.ts saveHandoff), from the merged votes and the clip set's features file. */
export function labHandoff(settings: SessionSettings, m: MergeResult, features: LabHandoff['files']['features'], opts: LabOptions, now: Date): LabHandoff {
  const lab = toLabCsv(settings, m.votes, m.players, { includeFlagged: opts.includeFlagged, ratherNotSayAsEmpty: opts.ratherNotSayAsEmpty });
  return {
    session: settings.id,
    title: settings.name,
    files: {
      features,
      judgments: { name: exportName(settings.name, now, 'votes.csv'), text: lab.votesCsv },
      ...(lab.usersCsv ? { users: { name: exportName(settings.name, now, 'users.csv'), text: lab.usersCsv } } : {}),
    },
    clipSetId: settings.clipSetId,
    groupBy: lab.usersCsv ? opts.groupBy : '',
    excludedNote: exclusionNote(lab.excluded, lab.exported, opts.includeFlagged),
    at: now.getTime(),
  };
}
