/** The workshop server's votes into the lab ("Analyse in the lab", the same handoff as the devices' votes) and into files. */
import { mergeBatches, parseVotesJson, type SessionSettings } from '../../../game';
import { download } from '../../components/common';
import { saveHandoff } from '../db';
import { labAddress } from './AnalysePanel';
import { featuresOf, listClipSets } from './clip-sets';
import { defaultGroupBy, groupingAttributes, labHandoff } from './lab-files';
import type { Host, LiveStats } from './live-host';
import { exportName } from './setup-form';

export type ExportFormatName = 'lab' | 'jspsych-csv' | 'jspsych-json' | 'counts' | 'votes-json';

/** Downloads the files of one export format; says what was saved. */
export async function saveExport(host: Host, format: ExportFormatName, name: string): Promise<string> {
  const f = await host.ask('export', { format });
  const files = f.files as { name: string; text: string }[];
  for (const x of files) download(exportName(name, new Date(), x.name), x.text, x.name.endsWith('.json') ? 'application/json' : 'text/csv');
  return `Saved ${files.map((x) => x.name).join(', ')}.`;
}

/** The session's votes from the server, merged and handed to the lab page, which opens with them in a Data cell. */
export async function liveAnalyse(host: Host, s: LiveStats): Promise<null> {
  const f = await host.ask('export', { format: 'votes-json' });
  const files = f.files as { name: string; text: string }[];
  const batch = parseVotesJson(files[0]?.text ?? '', 'the workshop server');
  const merged = mergeBatches(s.session.id as SessionSettings['id'], [{ ...batch, source: 'workshop server' }]);
  // the lab files need the session's id, name, clip set and questionnaire (the server keeps its seed to itself)
  const settings = { ...s.session, seed: '' } as unknown as SessionSettings;
  const set = (await listClipSets()).find((c) => c.id === s.session.clipSetId);
  if (!set) throw new Error(`the clips "${s.session.clipSetId}" are not a bundled set: export the lab CSV and load it into the lab with the clips' features`);
  const groupBy = defaultGroupBy(groupingAttributes(settings, merged.players));
  await saveHandoff(labHandoff(settings, merged, await featuresOf(set), { includeFlagged: false, ratherNotSayAsEmpty: false, groupBy }, new Date()));
  location.assign(labAddress(location.href));
  return null;
}
