import { defineConfig } from 'vitest/config';

// End-to-end tests: a real chromium (Debian's) driven by playwright-core against the real server
// (CANDLEBOX_URL, or server/target/candlebox.jar started by e2e/server.ts).
export default defineConfig({
  test: {
    environment: 'node',
    include: ['e2e/**/*.e2e.ts'],
    globalSetup: ['e2e/server.ts'],
    testTimeout: 180_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    sequence: { concurrent: false },
    reporters: ['verbose'],
  },
});
