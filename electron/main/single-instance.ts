/**
 * One kiosk per terminal: a second start (a double-click on the icon, an autostart racing a
 * maintenance start) must not open a second window on the same reader, nor a second writer of
 * the reset journal. The second process quits at once; the first brings its window forward.
 */
import type { App, BrowserWindow } from 'electron';

export type InstanceClaim = 'primary' | 'secondary';

/**
 * Claims the single-instance lock. For a secondary instance the app is told to quit and nothing
 * else may be started. For the primary, a later start focuses `window()` (restored if minimised).
 */
export function claimSingleInstance(app: Pick<App, 'requestSingleInstanceLock' | 'quit' | 'on'>, window: () => BrowserWindow | null): InstanceClaim {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return 'secondary';
  }
  app.on('second-instance', () => {
    const win = window();
    if (win === null || win.isDestroyed()) return;
    if (win.isMinimized()) win.restore();
    win.show();
    win.focus();
  });
  return 'primary';
}
