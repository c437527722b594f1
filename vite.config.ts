import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The renderer is built once and served as files: by Electron's app:// protocol or by the browser host.
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  build: { outDir: '../dist/renderer', emptyOutDir: true, chunkSizeWarningLimit: 2000 },
});
