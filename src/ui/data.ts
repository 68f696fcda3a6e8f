/**
 * Loading data in the browser: bundled sets (fetched from the site itself), the user's files (file
 * picker, drag-and-drop, URL). Each slot (features / judgments / users) is parsed on its own; a file
 * that fails keeps what was loaded before and reports the parser's located message.
 */
import { attribute } from '../core/constraints';
import { joinUsers, parseFeatures, parseJudgments, parseUsers, type UserJoinReport } from '../core/parse';
import type { LabData } from '../core/experiment';
import type { FeatureSet, JudgmentSet } from '../core/types';

/** Bundled data sets (public/data/...). */
export type PresetId = 'synthetic' | 'timbre-spectrum' | 'timbre-encodec' | 'timbre-mert';
export interface BundledSet {
  readonly id: PresetId;
  readonly label: string;
  readonly features: string;
  readonly judgments: string;
  readonly users?: string;
  readonly credit?: string;
}
export const BUNDLED: readonly BundledSet[] = [
  {
    id: 'synthetic',
    label: 'Synthetic CASimIR-like votes (age groups)',
    features: 'synthetic/features.csv',
    judgments: 'synthetic/votes.csv',
    users: 'synthetic/users.csv',
  },
  ...(['spectrum', 'encodec', 'mert'] as const).map((f) => ({
    id: `timbre-${f}` as PresetId,
    label: `Timbre studies: ${f} features`,
    features: `timbre/features_${f}.csv`,
    judgments: 'timbre/constraints.csv',
    credit:
      'Human timbre-dissimilarity ratings from Grey 1977; Grey & Gordon 1978; Iverson & Krumhansl 1993; McAdams et al. 1995; ' +
      'Lakatos 2000; Barthet et al. 2010; Patil et al. 2012; Siedenburg et al. 2016, gathered by Thoret, Caramiaux, Depalle & ' +
      'McAdams (Nature Human Behaviour 5, 2021); features by Pascal & Lagrange (HAL hal-04501973). Licence CeCILL-B.',
  })),
];

export type Slot = 'features' | 'judgments' | 'users';
export const SLOTS: readonly Slot[] = ['features', 'judgments', 'users'];

export interface FileText {
  readonly name: string;
  readonly text: string;
}
export type DataFiles = Partial<Record<Slot, FileText>>;

export interface LoadedData {
  readonly files: DataFiles;
  readonly features: FeatureSet | null;
  /** judgments as parsed (before the users join) */
  readonly judgments: JudgmentSet | null;
  readonly users: ReadonlyMap<string, Readonly<Record<string, string>>> | null;
  /** features + judgments (users joined) when both are there and consistent */
  readonly lab: LabData | null;
  readonly join: UserJoinReport | null;
  /** message of the last failed load per slot (file, line, column) */
  readonly errors: Partial<Record<Slot | 'data', string>>;
}

export const EMPTY_DATA: LoadedData = { files: {}, features: null, judgments: null, users: null, lab: null, join: null, errors: {} };

function msg(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Re-derive the joined LabData after a slot changed; judgments are re-checked against the features' ids. */
function combine(d: LoadedData): LoadedData {
  const errors = { ...d.errors };
  delete errors.data;
  let lab: LabData | null = null;
  let join: UserJoinReport | null = null;
  if (d.features && d.judgments) {
    try {
      let js = d.judgments;
      if (d.users && d.files.users) {
        const joined = joinUsers(js, d.users, d.files.users.name);
        join = joined.join;
        js = joined;
      }
      lab = { features: d.features, judgments: js };
    } catch (e) {
      errors.data = msg(e);
    }
  }
  return { ...d, lab, join, errors };
}

/**
 * Load one file into a slot. On a parse error the earlier contents of every slot stay as they were and
 * the error is recorded for that slot.
 */
export function loadSlot(prev: LoadedData, slot: Slot, file: FileText): LoadedData {
  try {
    if (slot === 'features') {
      const features = parseFeatures(file.text, file.name);
      let judgments = prev.judgments;
      const errors = { ...prev.errors };
      delete errors.features;
      // judgments loaded earlier must still refer to known ids: re-parse them against the new features
      if (prev.files.judgments) {
        try {
          judgments = parseJudgments(prev.files.judgments.text, prev.files.judgments.name, { knownIds: features.ids });
          delete errors.judgments;
        } catch (e) {
          throw new Error(`${msg(e)} — the judgments loaded earlier do not match these features; nothing was changed`);
        }
      }
      return combine({ ...prev, files: { ...prev.files, features: file }, features, judgments, errors });
    }
    if (slot === 'judgments') {
      const judgments = parseJudgments(file.text, file.name, prev.features ? { knownIds: prev.features.ids } : {});
      const errors = { ...prev.errors };
      delete errors.judgments;
      return combine({ ...prev, files: { ...prev.files, judgments: file }, judgments, errors });
    }
    const users = parseUsers(file.text, file.name);
    const errors = { ...prev.errors };
    delete errors.users;
    return combine({ ...prev, files: { ...prev.files, users: file }, users, errors });
  } catch (e) {
    return { ...prev, errors: { ...prev.errors, [slot]: msg(e) } };
  }
}

/** Load a whole set of files (bundled set, restored notebook) in dependency order. */
export function loadFiles(files: DataFiles): LoadedData {
  let d = EMPTY_DATA;
  for (const s of SLOTS) {
    const f = files[s];
    if (f) d = loadSlot(d, s, f);
  }
  return d;
}

export function bundledSet(id: PresetId) {
  const b = BUNDLED.find((x) => x.id === id);
  if (!b) throw new Error(`unknown bundled data set "${id}"`);
  return b;
}

async function fetchText(url: string, what: string): Promise<string> {
  let res: Response;
  try {
    res = await fetch(url);
  } catch (e) {
    throw new Error(`could not fetch ${what} from ${url}: ${msg(e)}`);
  }
  if (!res.ok) throw new Error(`could not fetch ${what} from ${url}: HTTP ${res.status} ${res.statusText}`);
  return res.text();
}

/** Fetch the files of a bundled set from the site (works from any sub-path via BASE_URL). */
export async function fetchBundled(id: PresetId, base: string): Promise<DataFiles> {
  const b = bundledSet(id);
  const get = async (path: string): Promise<FileText> => ({ name: path.split('/').pop()!, text: await fetchText(`${base}data/${path}`, path) });
  const [features, judgments, users] = await Promise.all([get(b.features), get(b.judgments), b.users ? get(b.users) : Promise.resolve(undefined)]);
  return { features, judgments, ...(users ? { users } : {}) };
}

/** Fetch a file the user named by URL; the name is the last path segment. */
export async function fetchUrl(url: string): Promise<FileText> {
  let u: URL;
  try {
    u = new URL(url, typeof location !== 'undefined' ? location.href : undefined);
  } catch {
    throw new Error(`"${url}" is not a valid URL`);
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new Error(`only http(s) URLs can be loaded, not ${u.protocol}`);
  const text = await fetchText(u.href, 'the file');
  return { name: decodeURIComponent(u.pathname.split('/').pop() || 'download.csv'), text };
}

/** Guess the slot of a dropped file from its name and header. */
export function guessSlot(file: FileText): Slot {
  const head = file.text.slice(0, 400).split(/\r?\n/, 1)[0].toLowerCase();
  const cols = head.split(/[,\t]/).map((s) => s.trim().replace(/^"|"$/g, ''));
  if (cols[0] === 'user' && !cols.includes('odd')) return 'users';
  if (cols.includes('anchor') || cols.includes('odd') || cols.includes('clip1_id')) return 'judgments';
  if (cols[0] === 'id' || file.text.trimStart().startsWith('{')) return 'features';
  const n = file.name.toLowerCase();
  if (n.includes('user')) return 'users';
  if (/vote|judg|constraint|comparison/.test(n)) return 'judgments';
  return 'features';
}

/** Attribute values and vote counts for the preview. */
export function attributeSummary(js: JudgmentSet): { column: string; values: { value: string; records: number }[] }[] {
  return js.attributeColumns.map((column) => {
    const counts = new Map<string, number>();
    for (const j of js.judgments) {
      const v = attribute(j, column);
      if (v !== undefined && v !== '') counts.set(v, (counts.get(v) ?? 0) + 1);
    }
    return { column, values: [...counts].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([value, records]) => ({ value, records })) };
  });
}
