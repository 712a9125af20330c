import { defineConfig } from '@playwright/test';

// The Electron shell end to end (Playwright's _electron), run by test/electron/run.ts only where an
// Electron binary exists. Same machine rules as test/e2e: one worker (one pcscd, one vpcd slot),
// the same persona-card global setup.
export default defineConfig({
  testDir: '.',
  testMatch: '*.spec.ts',
  outputDir: './.results',
  globalSetup: '../e2e/global-setup.ts',
  fullyParallel: false,
  workers: 1,
  reporter: [['list']],
  // Each test starts Electron with its own kiosk data, then walks a session by touch.
  timeout: 90_000,
  expect: { timeout: 15_000 },
});
