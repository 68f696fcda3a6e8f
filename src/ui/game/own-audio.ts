/**
 * "Your audio from the lab" in the game (issues 13 + 14): the clip sets the lab's saved notebook holds — every
 * Data cell whose features file was made from audio (its FileText carries an `audio` manifest), in the current
 * notebook and in the notebooks it replaced and keeps for restoring — offered as game clip sets, and their
 * clips' bytes read from the lab's clip store by content hash.
 *
 * Read straight from IndexedDB (the lab's 'similarity-lab'/'state' and 'similarity-lab-clips'/'clips'), without
 * the lab's modules (persist.ts pulls in the lab store and its checks): only the few fields used here are read,
 * each checked, and a damaged part is skipped. The game page stays light (no tfjs, no plotly).
 *
 * A set's id is `own:<hash of its clip ids and content hashes>`: the same audio gives the same id, so a
 * session file names it stably; when the lab drops or erases the audio the id is no longer found and the game
 * says so instead of playing silence.
 */
import { createStore, get } from 'idb-keyval';
import { type AudioManifest, checkManifest } from '../audio-manifest';
import { type ClipBackend, idbClips } from '../clip-store';
import { registerClipResolver } from './clip-source';
import { type GameClipSet, registerClipSetProvider } from './organiser/clip-sets';

export const OWN_PREFIX = 'own:';
export const isOwnClipSet = (id: string): boolean => id.startsWith(OWN_PREFIX);

/** What is read from the lab's storage: the saved notebook and the kept previous ones (raw, unchecked). */
export interface LabNotebookSource {
  notebook(): Promise<unknown>;
  previous(): Promise<unknown>;
}

let labDb: ReturnType<typeof createStore> | null = null;
const lab = () => (labDb ??= createStore('similarity-lab', 'state'));

/** The lab's autosave (src/ui/persist.ts keys 'notebook' and 'previous-notebook'). */
export const idbLabNotebook: LabNotebookSource = {
  notebook: () => get('notebook', lab()),
  previous: () => get('previous-notebook', lab()),
};

/** An own clip set with what the resolver needs: each clip id's content hash. */
export interface OwnClipSet extends GameClipSet {
  readonly hashes: ReadonlyMap<string, string>;
}

/** cyrb53 (a small, well-mixed 53-bit string hash; no crypto.subtle, which plain-HTTP pages lack), as 14 hex digits. */
export function hash53(s: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(16).padStart(14, '0');
}

/** The clip set id of a manifest: its playable clips' ids and content hashes, in order. */
export function ownClipSetId(m: AudioManifest): string {
  return OWN_PREFIX + hash53(m.clips.flatMap((c) => (c.id && c.hash ? [`${c.id}\t${c.hash}`] : [])).join('\n'));
}

type RawCell = { id?: unknown; kind?: unknown; title?: unknown };
type RawFeatures = { name?: unknown; text?: unknown; audio?: unknown };
type RawSnapshot = { format?: unknown; cells?: unknown; files?: Record<string, { features?: RawFeatures }> };

/** The own sets of one snapshot's Data cells (`where` is added to labels of kept earlier notebooks). */
function setsOfSnapshot(raw: unknown, where: string): OwnClipSet[] {
  const s = raw as RawSnapshot | null;
  if (!s || typeof s !== 'object' || s.format !== 'similarity-lab-notebook' || !Array.isArray(s.cells) || !s.files || typeof s.files !== 'object') return [];
  const out: OwnClipSet[] = [];
  (s.cells as RawCell[]).forEach((cell, i) => {
    if (cell?.kind !== 'data' || typeof cell.id !== 'string' || !Object.hasOwn(s.files!, cell.id)) return;
    const f = s.files![cell.id]?.features;
    if (!f || typeof f.name !== 'string' || typeof f.text !== 'string') return;
    const audio = checkManifest(f.audio);
    const clips = audio?.clips.filter((c) => c.id && c.hash) ?? [];
    if (!audio || clips.length < 3) return;
    const title = typeof cell.title === 'string' && cell.title.trim() ? cell.title.trim() : `Data cell ${i + 1}`;
    out.push({
      id: ownClipSetId(audio),
      label: `${title}: ${f.name}, ${clips.length} clips${where}`,
      kind: 'own',
      clipIds: clips.map((c) => c.id!),
      featuresText: f.text,
      audio,
      hashes: new Map(clips.map((c) => [c.id!, c.hash!])),
    });
  });
  return out;
}

/**
 * Every own clip set of the lab's saved notebook, then of its kept earlier notebooks (one entry per id). A set
 * whose audio is no longer in the clip store (erased, or dropped by the lab) says so in `problem`.
 */
export async function ownClipSets(src: LabNotebookSource, clips: Pick<ClipBackend, 'keys'>): Promise<OwnClipSet[]> {
  const [nb, prev] = await Promise.all([src.notebook().catch(() => null), src.previous().catch(() => null)]);
  const all = [
    ...setsOfSnapshot(nb, ''),
    ...(Array.isArray(prev) ? prev.flatMap((p) => setsOfSnapshot((p as { snapshot?: unknown })?.snapshot, ' (an earlier notebook)')) : []),
  ];
  if (!all.length) return [];
  const stored = new Set(await clips.keys().catch(() => [] as string[]));
  const seen = new Set<string>();
  return all.flatMap((set) => {
    if (seen.has(set.id)) return [];
    seen.add(set.id);
    const missing = [...set.hashes].filter(([, h]) => !stored.has(h)).map(([id]) => id);
    if (!missing.length) return [set];
    const which =
      missing.length === set.hashes.size
        ? 'none of its clips'
        : `${missing.length} of its ${set.hashes.size} clips (${missing.slice(0, 3).join(', ')}${missing.length > 3 ? ', …' : ''})`;
    return [{ ...set, problem: `the audio of ${which} is no longer in this browser (erased?): load the audio files in the lab again.` }];
  });
}

/** The resolver of own clips: `own:` sets only; an unknown set or a clip whose bytes are gone is an error that says so. */
export function ownClipResolver(
  src: LabNotebookSource,
  clips: Pick<ClipBackend, 'get' | 'keys'>,
): (setId: string, clipId: string) => Promise<ArrayBuffer> | undefined {
  let known: Promise<OwnClipSet[]> | null = null;
  const find = async (setId: string, fresh: boolean): Promise<OwnClipSet | undefined> => {
    if (fresh || !known) known = ownClipSets(src, clips);
    return (await known).find((s) => s.id === setId);
  };
  return (setId, clipId) => {
    if (!isOwnClipSet(setId)) return undefined;
    return (async () => {
      const set = (await find(setId, false)) ?? (await find(setId, true));
      if (!set)
        throw new Error(
          `this session plays your own audio ("${setId}"), which is not in the lab's notebook in this browser: own audio plays only on the device whose lab analysed it (open the lab there, or load the audio files in this browser's lab)`,
        );
      const hash = set.hashes.get(clipId);
      if (!hash) throw new Error(`clip "${clipId}" is not in your audio set "${set.label}"`);
      const blob = await clips.get(hash);
      if (!blob) throw new Error(`the audio of clip "${clipId}" is no longer in this browser (erased?): load the audio files in the lab again`);
      return blob.arrayBuffer();
    })();
  };
}

/** The game page's hooks: own sets in the clip set lists, own clips played from the clip store. */
export function registerOwnAudio(src: LabNotebookSource = idbLabNotebook, clips: ClipBackend = idbClips): () => void {
  const offProvider = registerClipSetProvider(() => ownClipSets(src, clips));
  const offResolver = registerClipResolver(ownClipResolver(src, clips));
  return () => {
    offProvider();
    offResolver();
  };
}
