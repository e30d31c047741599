import path from 'node:path';
import { defineConfig } from 'vite';

/**
 * The dashboard: a Preact single-page app built into client-demo/dist, which the server
 * serves at `/`. `npm run dev:client` serves it with hot reload and proxies the API and
 * Socket.IO to a Quad on :3000 (QUAD_URL to change).
 */
const target = process.env.QUAD_URL ?? 'http://localhost:3000';

export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  publicDir: false,
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: path.join(import.meta.dirname, 'dist'),
    emptyOutDir: true,
    sourcemap: true,
    target: 'es2022',
  },
  server: {
    proxy: {
      '/api': target,
      '/socket.io': { target, ws: true },
    },
  },
});
