import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: './',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../dist/renderer', import.meta.url)),
    emptyOutDir: true,
    // plotly (about 1.2 MB) is its own lazily loaded chunk, on purpose: only the Figures page loads it.
    chunkSizeWarningLimit: 1500,
  },
  server: { host: '127.0.0.1', port: 5179 },
});
