import { defineConfig } from '@playwright/test';

// Debian's Chromium, never a downloaded browser. As root it needs --no-sandbox; the other flags
// keep it off this machine's closed network (see the env machine doc).
export default defineConfig({
  testDir: '.',
  outputDir: './.results',
  fullyParallel: false,
  workers: 1,
  reporter: [['list']],
  timeout: 30_000,
  use: {
    browserName: 'chromium',
    viewport: { width: 1280, height: 800 },
    hasTouch: true,
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
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
});
