import { defineConfig } from 'vitest/config';

// End-to-end tests: a real chromium (Debian's) driven by playwright-core against a running server (CANDLEBOX_URL).
export default defineConfig({
  test: {
    environment: 'node',
    include: ['e2e/**/*.e2e.ts'],
    testTimeout: 180_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    sequence: { concurrent: false },
    reporters: ['verbose'],
  },
});
