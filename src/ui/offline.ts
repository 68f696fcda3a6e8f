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
