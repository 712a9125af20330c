import { defineConfig } from '@playwright/test';

// Debian's Chromium, never a downloaded browser. As root it needs --no-sandbox; the other flags
// keep it off this machine's closed network (see the env machine doc).
//
// One worker: every kiosk test uses the same vpcd slot of the machine's one pcscd.
export default defineConfig({
  testDir: '.',
  outputDir: './.results',
  globalSetup: './global-setup.ts',
  fullyParallel: false,
  workers: 1,
  reporter: [['list']],
  // A test starts its own browser host (a second or two) and walks a whole session by touch.
  timeout: 60_000,
  // Waits for what the kiosk shows next, which may follow a card read and a center round trip on a
  // busy two-core machine; a wait is not a timed assertion (speed is measured by npm run bench).
  expect: { timeout: 15_000 },
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
