/**
 * The renderer's layout check alone (`npx playwright test -c test/e2e/layout.config.ts`): it feeds
 * snapshots to a fake window.kiosk, so it needs neither pcscd nor the persona cards the global
 * setup of playwright.config.ts makes.
 */
import { defineConfig } from '@playwright/test';
import base from './playwright.config';

export default defineConfig({
  ...base,
  globalSetup: undefined,
  testMatch: 'renderer-layout.spec.ts',
  outputDir: './.results/layout',
});
