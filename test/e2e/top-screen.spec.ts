import { test, expect } from '@playwright/test';
import { startBrowserHostForTest } from './host';

test('the browser host shows the multicopier top screen with 行政サービス enabled', async ({ page }) => {
  const host = await startBrowserHostForTest();
  try {
    await page.goto(host.url);
    const top = page.locator('[data-screen="top"]');
    await expect(top).toBeVisible();
    await expect(top.getByRole('button', { name: '行政サービス' })).toBeEnabled();
    await expect(top.getByRole('button', { name: 'コピー' })).toBeDisabled();
  } finally {
    await host.stop();
  }
});
