/*
 * Similarity Lab service worker (production builds only): makes the static site work offline once loaded.
 * On install it caches the app (every file of the build, listed in precache.json by the build) and the
 * bundled default data; afterwards it answers network-first (so a new deployment shows at once) and falls
 * back to the cache when offline. Scope: the folder the site is served from, whatever the sub-path.
 */
const CACHE = 'similarity-lab-v1';
const DATA = [
  'data/synthetic/features.csv', 'data/synthetic/votes.csv', 'data/synthetic/users.csv', 'data/synthetic/SOURCE.md',
  'data/timbre/features_spectrum.csv', 'data/timbre/constraints.csv', 'data/timbre/items.csv', 'data/timbre/SOURCE.md',
];

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    let files = [];
    try {
      files = await (await fetch('precache.json', { cache: 'no-store' })).json();
    } catch {
      /* dev server or a partial copy: runtime caching below still works */
    }
    const urls = ['./', ...files.filter((f) => !f.endsWith('.map')), ...DATA];
    // one by one: a missing optional file must not abort the whole install
    await Promise.all(urls.map((u) => cache.add(u).catch(() => undefined)));
    await self.skipWaiting();
  })());
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const key of await caches.keys()) if (key !== CACHE) await caches.delete(key);
    await self.clients.claim();
  })());
});

self.addEventListener('fetch', (event) => {
  const req = event.request;
  if (req.method !== 'GET' || new URL(req.url).origin !== self.location.origin) return;
  event.respondWith((async () => {
    const cache = await caches.open(CACHE);
    try {
      const res = await fetch(req);
      if (res.ok) cache.put(req, res.clone()).catch(() => undefined);
      return res;
    } catch (err) {
      const hit = (await cache.match(req)) ?? (await cache.match(req, { ignoreSearch: true }));
      if (hit) return hit;
      if (req.mode === 'navigate') {
        const shell = await cache.match('./');
        if (shell) return shell;
      }
      throw err;
    }
  })());
});
