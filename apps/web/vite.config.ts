import { defineConfig } from 'vite';

// Built to apps/web/dist, which `vixshield serve` serves at /. `npm run dev -w apps/web` proxies the
// API to a `vixshield serve` on port 8787.
export default defineConfig({
  base: './',
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 1000 },
  server: { proxy: { '/api': 'http://127.0.0.1:8787' } },
});
