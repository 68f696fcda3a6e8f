import { defineConfig, type Plugin } from 'vite';

/**
 * Lists every file of the build in precache.json for the service worker (public/sw.js) to cache on install —
 * the pages too (index.html, play.html): 'post' runs after Vite has emitted them.
 */
function precacheList(): Plugin {
  return {
    name: 'similarity-lab-precache',
    apply: 'build',
    enforce: 'post',
    generateBundle(_options, bundle) {
      this.emitFile({ type: 'asset', fileName: 'precache.json', source: JSON.stringify(Object.keys(bundle).sort()) });
    },
  };
}
import react from '@vitejs/plugin-react';

// base './' so the built site works from any sub-path and from a plain static server.
export default defineConfig({
  base: './',
  plugins: [react(), precacheList()],
  worker: { format: 'es' },
  // two pages: the lab (index.html) and the listening game (play.html, light: no tfjs, no plotly)
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 6000,
    rollupOptions: { input: { lab: 'index.html', play: 'play.html' } },
  },
});
