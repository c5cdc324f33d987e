import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/** `npm run build:designer` → designer/dist, which the server serves at / (api/create-app.ts). */
const root = fileURLToPath(new URL('.', import.meta.url));
export default defineConfig({
  root,
  base: '/',
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 2000 },
  // `npx vite --config designer/vite.config.ts` for development, next to `npm run serve` on :3000.
  server: { proxy: { '/api': 'http://127.0.0.1:3000' } },
});
