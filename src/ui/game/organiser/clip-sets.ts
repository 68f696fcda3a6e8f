/**
 * The clip sets a game session can use: the bundled sets that have audio (src/ui/data.ts BUNDLED entries with
 * `clips`), and the user's own audio from the lab through `registerClipSetProvider` (../own-audio.ts: a provider
 * lists sets with their clip ids and features text inline). Bundled sets travel in a join link without their
 * clip ids (every device has them); own sets do not, and only the device that holds their audio can play them.
 */
import Papa from 'papaparse';
import type { AudioManifest } from '../../audio-manifest';
import { BUNDLED } from '../../data';

export interface GameClipSet {
  readonly id: string;
  readonly label: string;
  readonly kind: 'bundled' | 'own';
  /** bundled: path of clips.csv under data/ */
  readonly clipsCsv?: string;
  /** bundled: path of features.csv under data/ */
  readonly featuresCsv?: string;
  /** own sets: the clip ids and the features file, computed in the browser */
  readonly clipIds?: readonly string[];
  readonly featuresText?: string;
  /** own sets: the lab's audio manifest (handed to the lab with the features, so its clip table plays them) */
  readonly audio?: AudioManifest;
  /** why the set cannot be played now (e.g. its audio was erased from this browser) */
  readonly problem?: string;
}

export const BUNDLED_CLIP_SETS: readonly GameClipSet[] = BUNDLED.filter((b) => b.clips).map((b) => ({
  id: b.id,
  label: b.label,
  kind: 'bundled' as const,
  clipsCsv: b.clips,
  featuresCsv: b.features,
}));

type Provider = () => Promise<readonly GameClipSet[]>;
const providers: Provider[] = [];

/** Hook for the lab's own audio: a provider of the organiser's own clip sets (called each time the list is shown). */
export function registerClipSetProvider(p: Provider): () => void {
  providers.push(p);
  return () => {
    const i = providers.indexOf(p);
    if (i >= 0) providers.splice(i, 1);
  };
}

/** Every clip set a session can use now: bundled first, then the providers' own sets. */
export async function listClipSets(): Promise<GameClipSet[]> {
  const own = await Promise.all(providers.map((p) => p().catch(() => [] as GameClipSet[])));
  return [...BUNDLED_CLIP_SETS, ...own.flat().map((s) => ({ ...s, kind: 'own' as const }))];
}

export const isBundledClipSet = (id: string): boolean => BUNDLED_CLIP_SETS.some((s) => s.id === id);

/** The clip ids of a clips.csv (column `id`), in file order; throws naming the file when it has none. */
export function clipIdsFromCsv(text: string, file: string): string[] {
  const res = Papa.parse<Record<string, string>>(text.trim(), { header: true, skipEmptyLines: true });
  const ids = res.data.map((r) => (r.id ?? '').trim()).filter(Boolean);
  if (!res.meta.fields?.includes('id')) throw new Error(`${file}: no "id" column`);
  if (ids.length === 0) throw new Error(`${file}: lists no clips`);
  return ids;
}

async function fetchText(url: string, what: string): Promise<string> {
  let res: Response;
  try {
    res = await fetch(url);
  } catch (e) {
    throw new Error(`could not fetch ${what} (${(e as Error).message})`);
  }
  if (!res.ok) throw new Error(`could not fetch ${what}: HTTP ${res.status}`);
  return res.text();
}

const base = (): string => (typeof import.meta !== 'undefined' && import.meta.env?.BASE_URL) || './';

/** The clip ids of a set (bundled: fetched from its clips.csv). */
export async function clipIdsOf(set: GameClipSet): Promise<string[]> {
  if (set.problem) throw new Error(set.problem);
  if (set.clipIds) return [...set.clipIds];
  if (!set.clipsCsv) throw new Error(`clip set "${set.id}" lists no clips`);
  return clipIdsFromCsv(await fetchText(`${base()}data/${set.clipsCsv}`, set.clipsCsv), set.clipsCsv);
}

/** The features file of a set, named `<set>-features.csv` for the lab (own sets: `own-<hash>-features.csv`, with their audio manifest). */
export async function featuresOf(set: GameClipSet): Promise<{ name: string; text: string; audio?: AudioManifest }> {
  const name = `${set.id.replace(/[^\w.-]+/g, '-')}-features.csv`;
  if (set.featuresText !== undefined) return { name, text: set.featuresText, ...(set.audio ? { audio: set.audio } : {}) };
  if (!set.featuresCsv) throw new Error(`clip set "${set.id}" has no features file`);
  return { name, text: await fetchText(`${base()}data/${set.featuresCsv}`, set.featuresCsv) };
}
