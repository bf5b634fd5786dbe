import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * Builds the portal's pages into portal/web/dist: the counter console (`counter/`), the hall
 * display (`display/`), the citizen pages (`citizen/`) and the manager console (`manager/`),
 * sharing one assets folder. The portal serves them at /counter/, /display/, /citizen/ and
 * /manager/ (portal/pages). Relative base: the pages find their assets, the API and the voice clips relative to where they are served, so a reverse proxy
 * may mount the portal under a prefix.
 */
export default defineConfig({
  root: import.meta.dirname,
  base: './',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Debian's Chromium (the display's kiosk browser) and every current desktop browser.
    target: 'chrome120',
    modulePreload: { polyfill: false },
    // Every asset a file: the pages' CSP allows scripts and styles from the portal only.
    assetsInlineLimit: 0,
    rollupOptions: {
      input: {
        counter: `${import.meta.dirname}/counter/index.html`,
        display: `${import.meta.dirname}/display/index.html`,
        citizen: `${import.meta.dirname}/citizen/index.html`,
        manager: `${import.meta.dirname}/manager/index.html`,
      },
    },
  },
});
