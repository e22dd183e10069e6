// Vitest: unit, server (app.inject) and browser (headless Chromium) tests. Browser tests need
// `vite build` first, which `npm test` runs.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    // Generous: Argon2id and a throttled browser on a busy 2-core machine; a timeout is a guard, not a measure.
    testTimeout: 180_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Two cores here: browser tests in parallel with Argon2id-heavy tests only slow each other.
    fileParallelism: true,
    maxWorkers: 2,
  },
});
