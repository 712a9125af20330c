/**
 * `npm run screens`: the end-to-end setup, running only screens.capture.ts, which writes the
 * pictures of every screen to docs/screens/ (they are committed, so this is not part of npm test).
 */
import { defineConfig } from '@playwright/test';
import base from './playwright.config';

export default defineConfig({
  ...base,
  testMatch: 'screens.capture.ts',
  outputDir: './.results/screens',
});
