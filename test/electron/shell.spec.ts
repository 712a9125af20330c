/**
 * The production shell as Electron really runs it: what the unit tests assert as configuration
 * (test/unit/electron-*.test.ts), observed in the running app.
 */
import { expect, test } from './fixtures';

test('the kiosk window serves app://kiosk with the CSP header, and the page has window.kiosk and no Node or Electron', async ({ electronKiosk }) => {
  const page = await electronKiosk.app.firstWindow();
  expect(page.url()).toBe('app://kiosk/index.html');
  const seen = await page.evaluate(async () => {
    const w = globalThis as unknown as Record<string, unknown>;
    const res = await fetch('/index.html');
    return {
      csp: res.headers.get('content-security-policy'),
      require: typeof w.require,
      process: typeof w.process,
      ipcRenderer: typeof w.ipcRenderer,
      kioskKeys: Object.keys((w.kiosk ?? {}) as object).sort(),
    };
  });
  expect(seen.csp).toContain("script-src 'self'");
  expect(seen.require).toBe('undefined');
  expect(seen.process).toBe('undefined');
  expect(seen.ipcRenderer).toBe('undefined');
  // trainer=off: no virtual-card tools on the citizen's screen.
  expect(seen.kioskKeys).toEqual(['getSettings', 'getSnapshot', 'host', 'onSnapshot', 'send', 'updateSettings']);
});

test('the page cannot navigate away, open windows, or reach the network', async ({ electronKiosk }) => {
  const page = await electronKiosk.app.firstWindow();
  const opened = await page.evaluate(() => (globalThis as unknown as { open(url: string): unknown }).open('https://example.com/') === null);
  expect(opened).toBe(true);
  const fetched = await page.evaluate(() =>
    fetch('http://127.0.0.1:9/').then(
      () => 'reached',
      () => 'blocked',
    ),
  );
  expect(fetched).toBe('blocked');
  await page.evaluate(() => {
    (globalThis as unknown as { location: { href: string } }).location.href = 'https://example.com/';
  });
  await expect(page.locator('[data-screen="top"]')).toBeVisible();
  expect(page.url()).toBe('app://kiosk/index.html');
  expect(electronKiosk.app.windows()).toHaveLength(1);
});

test('settings are refused to the citizen window in production (trainer tools live in their own window)', async ({ electronKiosk }) => {
  const page = await electronKiosk.app.firstWindow();
  const answer = await page.evaluate(() =>
    (globalThis as unknown as { kiosk: { getSettings(): Promise<unknown> } }).kiosk.getSettings().then(
      () => 'answered',
      (e: Error) => e.message,
    ),
  );
  expect(answer).toContain('not-allowed-for-window');
});

test('a malformed intent is refused before the core, naming no value', async ({ electronKiosk }) => {
  const page = await electronKiosk.app.firstWindow();
  const answer = await page.evaluate(() =>
    (globalThis as unknown as { kiosk: { send(i: unknown): Promise<unknown> } }).kiosk.send({ type: 'submit-other-password', value: 'SECRET1234', extra: 1 }).then(
      () => 'accepted',
      (e: Error) => e.message,
    ),
  );
  expect(answer).toContain('invalid send arguments');
  expect(answer).not.toContain('SECRET1234');
});
