/**
 * Binds the window.kiosk IPC channels to the kiosk core, for one window. Every invoke is checked:
 * it must come from that window's own main frame (no other window, no iframe), and its payload is
 * validated against the contract by the core (KioskBackend), which trusts no transport.
 * Type-checked here; running it needs the Electron binary (the hardened shell is its own issue).
 */
import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import { check, KIOSK_IPC } from '../contract/kiosk-api';
import type { KioskBackend, TrainerBackend } from '../host/kiosk-ws';
import Type from 'typebox';

const CardName = Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$' });

export class IpcSenderError extends Error {
  readonly code = 'IPC_SENDER_REFUSED';
  constructor() {
    super('kiosk IPC from a frame other than the kiosk window');
    this.name = 'IpcSenderError';
  }
}

/** Binds the channels; returns a function that unbinds them. */
export function bindKioskIpc(win: BrowserWindow, core: KioskBackend, trainer?: TrainerBackend): () => void {
  const fromKioskWindow = (event: IpcMainInvokeEvent): void => {
    if (event.sender !== win.webContents || event.senderFrame !== win.webContents.mainFrame) throw new IpcSenderError();
  };
  ipcMain.handle(KIOSK_IPC.getSnapshot, (event) => {
    fromKioskWindow(event);
    return core.snapshot();
  });
  ipcMain.handle(KIOSK_IPC.send, (event, intent: unknown) => {
    fromKioskWindow(event);
    return core.send(intent);
  });
  ipcMain.handle(KIOSK_IPC.getSettings, (event) => {
    fromKioskWindow(event);
    return core.getSettings();
  });
  ipcMain.handle(KIOSK_IPC.updateSettings, (event, patch: unknown) => {
    fromKioskWindow(event);
    return core.updateSettings(patch);
  });
  if (trainer !== undefined) {
    ipcMain.handle(KIOSK_IPC.listCards, (event) => {
      fromKioskWindow(event);
      return trainer.listCards();
    });
    ipcMain.handle(KIOSK_IPC.placeCard, (event, name: unknown) => {
      fromKioskWindow(event);
      if (!check(CardName, name).ok) return { ok: false, problem: 'no-such-card' };
      return trainer.placeCard(name as string);
    });
    ipcMain.handle(KIOSK_IPC.removeCard, (event) => {
      fromKioskWindow(event);
      return trainer.removeCard();
    });
  }
  const unsubscribe = core.onSnapshot((snapshot) => {
    if (!win.isDestroyed()) win.webContents.send(KIOSK_IPC.snapshot, snapshot);
  });
  return () => {
    unsubscribe();
    for (const channel of Object.values(KIOSK_IPC)) if (channel !== KIOSK_IPC.snapshot) ipcMain.removeHandler(channel);
  };
}
