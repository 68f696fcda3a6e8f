/*
 * Similarity Lab service worker (production builds only): makes the static site work offline once loaded.
 * On install it caches the app (every file of the build, listed in precache.json by the build) and the default
 * notebook's data set (the synthetic votes, ≈ 0.2 MB) — nothing else: the other data sets and the clip sets'
 * audio are cached when they are first used (every successful same-origin GET is kept), and a page that opens
 * a clip set asks for the whole set at once (message {type: 'cache-urls', urls}) so it plays offline later.
 * Afterwards it answers network-first (so a new deployment shows at once) and falls back to the cache when
 * offline. Scope: the folder the site is served from, whatever the sub-path.
 */
const CACHE = 'similarity-lab-v2';
const DATA = ['data/synthetic/features.csv', 'data/synthetic/votes.csv', 'data/synthetic/users.csv', 'data/synthetic/SOURCE.md'];

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

/** A page opening a clip set: keep every file of it (those already cached are not fetched again). */
self.addEventListener('message', (event) => {
  const msg = event.data;
  if (!msg || msg.type !== 'cache-urls' || !Array.isArray(msg.urls)) return;
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    const urls = msg.urls.filter((u) => typeof u === 'string' && new URL(u, self.registration.scope).origin === self.location.origin);
    let done = 0;
    await Promise.all(urls.map(async (u) => {
      if (!(await cache.match(u))) await cache.add(u).catch(() => undefined);
      done++;
    }));
    event.source?.postMessage({ type: 'cached-urls', count: done });
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
