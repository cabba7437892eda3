import { defineConfig } from 'vitest/config';
import path from 'node:path';

export default defineConfig({
  resolve: { alias: { '@': path.resolve(import.meta.dirname) } },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['lib/**/*.test.ts', 'grader-kit/**/*.test.ts', 'labs/**/*.test.ts', 'worker/**/*.test.ts', 'cli/**/*.test.ts', 'tests/unit/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          environment: 'node',
          testTimeout: 180_000,
          hookTimeout: 300_000,
          fileParallelism: false,
          // Lab gradings (describe.concurrent in labs.test.ts) run as many at once as a worker's slots.
          maxConcurrency: Number(process.env.WORKER_CONCURRENCY ?? 2),
          globalSetup: ['tests/integration/global-setup.ts'],
          env: { LMS_EXTRA_LABS_DIR: path.resolve(import.meta.dirname, 'tests/fixtures/labs') },
        },
      },
      {
        extends: true,
        test: {
          // Hostile input against the running production build (bin/lms test hostile starts it: HOSTILE_BASE_URL).
          name: 'hostile',
          include: ['tests/hostile/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
