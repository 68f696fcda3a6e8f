/**
 * Loading data in the browser: bundled sets (fetched from the site itself), the user's files (file
 * picker, drag-and-drop, URL). Each slot (features / judgments / users) is parsed on its own; a file
 * that fails keeps what was loaded before and reports the parser's located message. The files of a set
 * are checked against each other, never against the set they replace.
 */
import { attribute } from '../core/constraints';
import { joinUsers, parseFeatures, parseJudgments, parseUsers, type UserJoinReport } from '../core/parse';
import type { LabData } from '../core/experiment';
import type { FeatureSet, JudgmentSet } from '../core/types';
import type { AudioManifest } from './audio-manifest';

/** Bundled data sets (public/data/...). */
export type PresetId = 'synthetic' | 'poster' | 'timbre-spectrum' | 'timbre-encodec' | 'timbre-mert' | 'instruments' | 'tones';
export interface BundledSet {
  readonly id: PresetId;
  readonly label: string;
  readonly features: string;
  /** absent for a clip set whose judgments come from the listening game */
  readonly judgments?: string;
  readonly users?: string;
  readonly credit?: string;
  /** a clip set: path of its clips.csv (id,file,…); the audio files lie in the same folder */
  readonly clips?: string;
}
export const BUNDLED: readonly BundledSet[] = [
  {
    id: 'synthetic',
    label: 'Synthetic CASimIR-like votes (age groups)',
    features: 'synthetic/features.csv',
    judgments: 'synthetic/votes.csv',
    users: 'synthetic/users.csv',
  },
  {
    id: 'poster',
    label: 'Poster-sized CASimIR-like votes (Euclidean ≈ 60 %)',
    features: 'poster/features.csv',
    judgments: 'poster/votes.csv',
    users: 'poster/users.csv',
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
  {
    id: 'instruments',
    label: 'Instrument clips (FluidR3 GM, 36 instruments) — features from audio',
    features: 'instruments/features.csv',
    clips: 'instruments/clips.csv',
    credit: 'Rendered from the FluidR3_GM SoundFont by Frank Wen (MIT licence); see data/instruments/SOURCE.md.',
  },
  {
    id: 'tones',
    label: 'Synthetic tones (attack × brightness × flux), simulated listeners',
    features: 'tones/features.csv',
    judgments: 'tones/votes.csv',
    users: 'tones/users.csv',
    clips: 'tones/clips.csv',
  },
];

/** What a bundled set without judgments (a clip set for the listening game) says instead of a usable set. */
export const NO_JUDGMENTS_YET = 'no judgments yet: play this clip set in the listening game or add a judgments file';

export type Slot = 'features' | 'judgments' | 'users';
export const SLOTS: readonly Slot[] = ['features', 'judgments', 'users'];

export interface FileText {
  readonly name: string;
  readonly text: string;
  /** set by fetchBundled on the features of a bundled clip set that has no judgments (yet) */
  readonly noJudgmentsYet?: boolean;
  /** a features file made from the user's audio: the window, and each clip's id, stored bytes' key, table row or error */
  readonly audio?: AudioManifest;
}
export type DataFiles = Partial<Record<Slot, FileText>>;

export interface LoadedData {
  readonly files: DataFiles;
  readonly features: FeatureSet | null;
  /** judgments as parsed on their own (before the check against the features and the users join) */
  readonly judgments: JudgmentSet | null;
  readonly users: ReadonlyMap<string, Readonly<Record<string, string>>> | null;
  /** features + judgments (users joined) when the files form a complete, consistent set */
  readonly lab: LabData | null;
  readonly join: UserJoinReport | null;
  /** message of the last refused file per slot (file, line, column); what the slot held before is kept */
  readonly errors: Partial<Record<Slot, string>>;
  /** why the set cannot be used (a file missing, files that disagree); null when `lab` is set */
  readonly problem: string | null;
}

const NO_FILES = 'No files yet: load a features file and a judgments file (a users file is optional).';

export const EMPTY_DATA: LoadedData = { files: {}, features: null, judgments: null, users: null, lab: null, join: null, errors: {}, problem: NO_FILES };

function msg(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

const ids3 = (ids: readonly string[]) =>
  `${ids
    .slice(0, 3)
    .map((x) => `"${x}"`)
    .join(', ')}${ids.length > 3 ? ', …' : ''}`;

/** What a set lacks: the missing files, and the files loaded so far. */
function missingProblem(d: LoadedData): string {
  if (d.features && !d.judgments && d.files.features?.noJudgmentsYet) return `${d.files.features.name}: ${NO_JUDGMENTS_YET}.`;
  const missing = [
    !d.features && 'a features file (id, then one column per feature)',
    !d.judgments && 'a judgments file (votes a,b,c,odd[,user] or constraints anchor,near,far)',
  ].filter(Boolean);
  const have = SLOTS.flatMap((s) => (d.files[s] ? [`${s}: ${d.files[s]!.name}`] : []));
  return have.length ? `Missing ${missing.join(' and ')} (loaded so far: ${have.join(', ')}).` : NO_FILES;
}

/**
 * Check the files of a set against each other (never against a set they replace): every clip of the
 * judgments is in the features, and the users file joins the votes. Returns the joined data or the problem,
 * naming both files and the first offending clip / user.
 */
function combine(d: LoadedData): LoadedData {
  const f = d.files;
  if (!d.features || !d.judgments || !f.features || !f.judgments) return { ...d, lab: null, join: null, problem: missingProblem(d) };
  let js: JudgmentSet;
  try {
    js = parseJudgments(f.judgments.text, f.judgments.name, { knownIds: d.features.ids });
  } catch (e) {
    const problem = `${f.judgments.name} and ${f.features.name} do not belong together: ${msg(e)}; ${f.features.name} has the clips ${ids3(d.features.ids)}. Load the matching file.`;
    return { ...d, lab: null, join: null, problem };
  }
  let join: UserJoinReport | null = null;
  if (d.users && f.users) {
    try {
      const joined = joinUsers(js, d.users, f.users.name);
      join = joined.join;
      js = joined;
    } catch (e) {
      const problem = `${f.users.name} and ${f.judgments.name} do not belong together: ${msg(e)}. Load the matching users file, or remove it.`;
      return { ...d, lab: null, join: null, problem };
    }
  }
  return { ...d, lab: { features: d.features, judgments: js }, join, problem: null };
}

/** Parse one file on its own (judgments are checked against the features of their set later, in combine). */
type Parsed = Partial<Pick<LoadedData, 'features' | 'judgments' | 'users'>>;
function parseSlot(slot: Slot, file: FileText): Parsed {
  if (slot === 'features') return { features: parseFeatures(file.text, file.name) };
  if (slot === 'judgments') return { judgments: parseJudgments(file.text, file.name) };
  return { users: parseUsers(file.text, file.name) };
}

/**
 * Load one file into a slot of the set. A file that cannot be read is refused: every slot keeps what it
 * had and the located error is recorded for that slot. A file that reads is taken, and the set is checked
 * anew (its `problem` says what is missing or which files disagree).
 */
export function loadSlot(prev: LoadedData, slot: Slot, file: FileText): LoadedData {
  let parsed: Parsed;
  try {
    parsed = parseSlot(slot, file);
  } catch (e) {
    return { ...prev, errors: { ...prev.errors, [slot]: msg(e) } };
  }
  const errors = { ...prev.errors };
  delete errors[slot];
  return combine({ ...prev, ...parsed, files: { ...prev.files, [slot]: file }, errors });
}

/** The set without the file of `slot`. */
export function removeSlot(prev: LoadedData, slot: Slot): LoadedData {
  const files = { ...prev.files };
  delete files[slot];
  const errors = { ...prev.errors };
  delete errors[slot];
  return combine({ ...prev, files, errors, [slot]: null });
}

/** Load a whole set of files (bundled set, restored notebook). */
export function loadFiles(files: DataFiles): LoadedData {
  let d = EMPTY_DATA;
  for (const s of SLOTS) {
    const f = files[s];
    if (f) d = loadSlot(d, s, f);
  }
  return d;
}

/** A saved group-by that the loaded data lacks, said plainly (never kept silently). */
export function groupByProblem(d: LoadedData | null, groupBy: string): string | null {
  if (!groupBy || !d?.lab) return null;
  const columns = d.lab.judgments.attributeColumns;
  if (columns.includes(groupBy)) return null;
  const files = [d.files.users?.name, d.lab.judgments.source].filter(Boolean).join(' or ');
  const choose = columns.length ? `choose one of ${columns.join(', ')}, or no groups` : 'this data has no attributes: choose no groups';
  return `column ${groupBy} is not in ${files}; ${choose}.`;
}

/** A short name of a set of files: "features.csv, votes.csv, users.csv". */
export function filesLabel(files: DataFiles): string {
  return SLOTS.flatMap((s) => (files[s] ? [files[s]!.name] : [])).join(', ') || 'no files';
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
  const opt = (path?: string) => (path ? get(path) : Promise.resolve(undefined));
  const [features, judgments, users] = await Promise.all([get(b.features), opt(b.judgments), opt(b.users)]);
  if (!judgments) return { features: { ...features, noJudgmentsYet: true }, ...(users ? { users } : {}) };
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
