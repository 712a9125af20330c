/**
 * Electron main process: the thin shell. Everything else runs in plain-Node modules that never
 * import `electron`, so tests and the browser host run the same code: here the kiosk core
 * (electron/kiosk/runtime.ts) is started and bound to the window over IPC (kiosk-ipc.ts).
 * Type-checked only on machines without the Electron binary; the hardened shell is its own issue.
 */
import { app, BrowserWindow } from 'electron';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startKioskRuntime, type KioskRuntime } from '../kiosk/runtime';
import { bindKioskIpc } from './kiosk-ipc';

const here = path.dirname(fileURLToPath(import.meta.url));

function createWindow(runtime: KioskRuntime): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 800,
    show: false,
    autoHideMenuBar: true,
    webPreferences: {
      preload: path.join(here, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
    },
  });
  const unbind = bindKioskIpc(win, runtime.core);
  win.once('closed', unbind);
  win.once('ready-to-show', () => win.show());
  void win.loadFile(path.join(here, '../renderer/index.html'));
  return win;
}

void app.whenReady().then(async () => {
  const runtime = await startKioskRuntime();
  app.once('will-quit', () => void runtime.close());
  createWindow(runtime);
});

app.on('window-all-closed', () => app.quit());
