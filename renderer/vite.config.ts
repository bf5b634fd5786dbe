import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * Builds the visitor UI into renderer/dist for both shells. Relative base: the Electron shell
 * serves it from its own protocol, the browser shell from its loopback host, both at any path.
 */
export default defineConfig({
  root: import.meta.dirname,
  base: './',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Electron 45 and Debian's Chromium are both newer than this.
    target: 'chrome120',
    // Chromium 120 preloads modules natively; the polyfill would only add code.
    modulePreload: { polyfill: false },
    // Keep every asset a file: the CSP allows data: only for images.
    assetsInlineLimit: 0,
  },
});
