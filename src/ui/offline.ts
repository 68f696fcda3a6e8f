/**
 * Offline use of the static site (public/sw.js): the service worker caches the app and the default data on
 * install and every other file when it is first fetched. A clip set's audio is fetched clip by clip as it is
 * played, so on opening a set the page asks the worker to keep all of it at once. No service worker (dev
 * server, file://, a phone on plain HTTP): nothing happens and the lab works online as before.
 */
export function cacheForOffline(paths: readonly string[]): void {
  if (typeof navigator === 'undefined' || !('serviceWorker' in navigator)) return;
  const urls = paths.map((p) => new URL(p, document.baseURI).href);
  void navigator.serviceWorker.ready.then((reg) => reg.active?.postMessage({ type: 'cache-urls', urls })).catch(() => undefined);
}

/** What `clipSetPaths` needs of a bundled clip set (src/ui/data.ts BundledSet): paths under data/. */
export interface OfflineClipSet {
  /** clips.csv (id,file,…); the audio files and SOURCE.md lie in its folder */
  readonly clips: string;
  readonly features?: string;
  readonly judgments?: string;
  readonly users?: string;
}

/** Every file of a bundled clip set, relative to the page: clips.csv, its data files, SOURCE.md and each clip's audio file. */
export function clipSetPaths(set: OfflineClipSet, audioFiles: readonly string[]): string[] {
  const folder = set.clips.includes('/') ? set.clips.slice(0, set.clips.lastIndexOf('/') + 1) : '';
  const data = [set.clips, set.features, set.judgments, set.users, `${folder}SOURCE.md`].filter((p): p is string => !!p);
  const audio = audioFiles.map((f) => folder + f.split('/').map(encodeURIComponent).join('/'));
  return [...new Set([...data, ...audio])].map((p) => `data/${p}`);
}
