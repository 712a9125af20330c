/**
 * A classroom's pages alone (`npx playwright test -c test/e2e/classroom.config.ts`): they run on a
 * fake classroom, or a classroom host over fake readers and center, so they need neither pcscd nor
 * the persona cards the global setup of playwright.config.ts makes. The full end-to-end run (playwright.config.ts) includes them too.
 */
import { defineConfig } from '@playwright/test';
import base from './playwright.config';

export default defineConfig({
  ...base,
  globalSetup: undefined,
  testMatch: ['classroom-pages.spec.ts', 'classroom-host.spec.ts'],
  outputDir: './.results/classroom',
});
