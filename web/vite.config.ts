import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

// The API server the dev server forwards to (the Java server's default port).
const apiTarget = process.env.CANDLEBOX_API ?? 'http://127.0.0.1:8000';

export default defineConfig({
  plugins: [react()],
  base: '/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // the app is served from the jar on loopback: no CDN, no remote fonts; sourcemaps stay out of the jar
    sourcemap: false,
    // three vendor chunks (editor, charts, react) cached apart from the app's own code
    chunkSizeWarningLimit: 500,
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [
            { name: 'editor', test: /node_modules[\\/](@codemirror|@lezer|codemirror|crelt|style-mod|w3c-keyname)/ },
            { name: 'charts', test: /node_modules[\\/](lightweight-charts|fancy-canvas)/ },
            { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler)[\\/]/ },
          ],
        },
      },
    },
  },
  server: {
    port: 5173,
    // the HTTP API page renders the repository's README (imported with ?raw)
    fs: { allow: ['..'] },
    proxy: {
      '/api': { target: apiTarget, changeOrigin: false },
      '/health': { target: apiTarget },
    },
  },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.{ts,tsx}'],
    setupFiles: ['src/test/setup.ts'],
    css: false,
  },
});
