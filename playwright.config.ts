import { defineConfig } from '@playwright/test';

/**
 * End-to-end tests drive Debian's Chromium against the production build that `bin/lms test` starts: every spec at
 * desktop size, and the main journeys and the page sweep again on a phone (390×844, touch). Screenshots are kept in
 * artifacts/ for CI.
 */
export default defineConfig({
  testDir: 'e2e',
  timeout: 120_000,
  expect: { timeout: 30_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  outputDir: 'test-results',
  use: {
    baseURL: process.env.E2E_BASE_URL ?? 'http://localhost:3100',
    screenshot: 'only-on-failure',
    trace: 'off',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  projects: [
    { name: 'desktop', testIgnore: /phone\.spec\.ts$/, grepInvert: /@phone-only/ },
    {
      name: 'phone',
      testMatch: /(pages|phone)\.spec\.ts$/,
      grepInvert: /@desktop-only/,
      use: { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true },
    },
  ],
});
