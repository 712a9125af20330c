/**
 * Binds the window.kiosk IPC channels to the kiosk core. Every invoke passes three checks before
 * the core sees it (Electron security checklist item 17):
 *  1. the sender: one of the windows this shell made, from that window's main frame (no iframe,
 *     no other web contents), showing our own origin app://kiosk;
 *  2. the method is allowed for that window's role (the trainer's tools and settings only where
 *     the trainer API is exposed, see window.ts trainerApiIn);
 *  3. the arguments: exactly the method's arguments, each valid against the contract's schema
 *     (electron/contract/). The core validates again: it trusts no transport.
 * A refusal rejects the renderer's promise with a message that names the check, never a value
 * (an intent may carry a password).
 */
import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent, type WebContents } from 'electron';
import Type, { type TSchema } from 'typebox';
import type { KioskMethod } from '../contract/api';
import { AppIntentSchema } from '../contract/app';
import { KIOSK_IPC } from '../contract/ipc-channels';
import { IntentSchema } from '../contract/kiosk';
import { check, ContractError, type ContractProblem } from '../contract/schema';
import { CenterDeskPatchSchema, SettingsPatchSchema } from '../contract/trainer';
import type { AppBackend, KioskBackend, TrainerBackend } from '../host/kiosk-ws';
import { isAppUrl } from './security';
import type { ShellConfig } from './shell-config';
import { trainerApiIn, type WindowRole } from './window';

/** The same card-name rule as the WebSocket contract's placeCard. */
const CardNameSchema = Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$' });

/** Each method's arguments, in order. */
export const IPC_ARGUMENTS: Readonly<Record<KioskMethod, readonly TSchema[]>> = {
  getSnapshot: [],
  send: [IntentSchema],
  getSettings: [],
  updateSettings: [SettingsPatchSchema],
  listCards: [],
  placeCard: [CardNameSchema],
  removeCard: [],
  getAppState: [],
  sendApp: [AppIntentSchema],
  getCenter: [],
  updateCenter: [CenterDeskPatchSchema],
};

const TRAINER_METHODS: ReadonlySet<KioskMethod> = new Set([
  'getSettings',
  'updateSettings',
  'listCards',
  'placeCard',
  'removeCard',
  'getAppState',
  'sendApp',
  'getCenter',
  'updateCenter',
]);

export type IpcRefusal = 'unknown-sender' | 'not-main-frame' | 'foreign-origin' | 'not-allowed-for-window' | 'unsupported';

export class KioskIpcError extends Error {
  readonly code: 'IPC_SENDER_REFUSED' | 'IPC_NOT_ALLOWED' | 'UNSUPPORTED';
  constructor(readonly refusal: IpcRefusal) {
    super(`kiosk IPC refused: ${refusal}`);
    this.name = 'KioskIpcError';
    this.code = refusal === 'not-allowed-for-window' ? 'IPC_NOT_ALLOWED' : refusal === 'unsupported' ? 'UNSUPPORTED' : 'IPC_SENDER_REFUSED';
  }
}

/** Whether a window of `role` may call `method`. */
export function methodAllowed(method: KioskMethod, role: WindowRole, cfg: ShellConfig): boolean {
  return !TRAINER_METHODS.has(method) || trainerApiIn(role, cfg);
}

/** Checks an invoke's arguments against the method's schemas: count first, then each value. */
export function checkIpcArguments(method: KioskMethod, args: readonly unknown[]): { ok: true } | { ok: false; problems: ContractProblem[] } {
  const schemas = IPC_ARGUMENTS[method];
  if (args.length !== schemas.length) return { ok: false, problems: [{ path: '', keyword: 'arguments' }] };
  const problems: ContractProblem[] = [];
  schemas.forEach((schema, i) => {
    const r = check(schema, args[i]);
    if (!r.ok) problems.push(...r.problems.map((p) => ({ path: `/${i}${p.path}`, keyword: p.keyword })));
  });
  return problems.length === 0 ? { ok: true } : { ok: false, problems };
}

/** What identifies a sender: the parts of IpcMainInvokeEvent the check reads. */
export type IpcSender = Pick<IpcMainInvokeEvent, 'sender' | 'senderFrame'>;

/** The role of the window that sent `event`, or the reason it is refused. */
export function senderRole(event: IpcSender, windows: ReadonlyMap<WebContents, WindowRole>): WindowRole | IpcRefusal {
  const role = windows.get(event.sender);
  if (role === undefined) return 'unknown-sender';
  const frame = event.senderFrame;
  // null once the frame navigated away or was destroyed: nothing to answer to.
  if (frame === null || frame !== event.sender.mainFrame) return 'not-main-frame';
  if (!isAppUrl(frame.url)) return 'foreign-origin';
  return role;
}

const CHANNEL_OF: Readonly<Record<KioskMethod, string>> = {
  getSnapshot: KIOSK_IPC.getSnapshot,
  send: KIOSK_IPC.send,
  getSettings: KIOSK_IPC.getSettings,
  updateSettings: KIOSK_IPC.updateSettings,
  listCards: KIOSK_IPC.listCards,
  placeCard: KIOSK_IPC.placeCard,
  removeCard: KIOSK_IPC.removeCard,
  getAppState: KIOSK_IPC.getAppState,
  sendApp: KIOSK_IPC.sendApp,
  getCenter: KIOSK_IPC.getCenter,
  updateCenter: KIOSK_IPC.updateCenter,
};

export interface KioskIpcOptions {
  readonly core: KioskBackend;
  /** The simulator's virtual cards; absent where the shell has none (packaged terminal). */
  readonly trainer?: TrainerBackend;
  /** The smartphone-app simulator and the center's clock; absent where the shell has no virtual cards. */
  readonly app?: AppBackend;
  readonly cfg: ShellConfig;
  /** Refusals are logged by kind and channel only. */
  readonly log?: (line: string) => void;
}

/** The IPC side of window.kiosk for every window of the shell. */
export class KioskIpc {
  readonly #opts: KioskIpcOptions;
  readonly #windows = new Map<WebContents, WindowRole>();
  readonly #detach = new Set<() => void>();
  #disposed = false;

  constructor(opts: KioskIpcOptions) {
    this.#opts = opts;
    for (const method of Object.keys(CHANNEL_OF) as KioskMethod[]) {
      ipcMain.handle(CHANNEL_OF[method], (event, ...args: unknown[]) => this.#invoke(method, event, args));
    }
  }

  /** Lets `win` use window.kiosk as `role`, and pushes snapshots to it. Returns the detach function. */
  attach(win: BrowserWindow, role: WindowRole): () => void {
    const contents = win.webContents;
    this.#windows.set(contents, role);
    const unsubscribe = this.#opts.core.onSnapshot((snapshot) => {
      if (!win.isDestroyed() && !contents.isDestroyed()) contents.send(KIOSK_IPC.snapshot, snapshot);
    });
    const detach = () => {
      unsubscribe();
      this.#windows.delete(contents);
      this.#detach.delete(detach);
    };
    this.#detach.add(detach);
    win.once('closed', detach);
    return detach;
  }

  /** Removes every handler and push: after this no message reaches the core. */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    for (const d of [...this.#detach]) d();
    for (const channel of Object.values(CHANNEL_OF)) ipcMain.removeHandler(channel);
  }

  #refuse(refusal: IpcRefusal, method: KioskMethod): never {
    this.#opts.log?.(`kiosk IPC refused (${refusal}) on ${CHANNEL_OF[method]}`);
    throw new KioskIpcError(refusal);
  }

  async #invoke(method: KioskMethod, event: IpcMainInvokeEvent, args: unknown[]): Promise<unknown> {
    const role = senderRole(event, this.#windows);
    if (role !== 'kiosk' && role !== 'trainer') return this.#refuse(role, method);
    if (!methodAllowed(method, role, this.#opts.cfg)) return this.#refuse('not-allowed-for-window', method);
    const checked = checkIpcArguments(method, args);
    if (!checked.ok) throw new ContractError(`${method} arguments`, checked.problems);
    const { core, trainer, app } = this.#opts;
    switch (method) {
      case 'getSnapshot':
        return core.snapshot();
      case 'send':
        return core.send(args[0]);
      case 'getSettings':
        return core.getSettings();
      case 'updateSettings':
        return core.updateSettings(args[0]);
      case 'listCards':
      case 'placeCard':
      case 'removeCard':
        if (trainer === undefined) return this.#refuse('unsupported', method);
        if (method === 'listCards') return trainer.listCards();
        if (method === 'placeCard') return trainer.placeCard(args[0] as string);
        return trainer.removeCard();
      case 'getAppState':
      case 'sendApp':
      case 'getCenter':
      case 'updateCenter':
        if (app === undefined) return this.#refuse('unsupported', method);
        if (method === 'getAppState') return app.view();
        if (method === 'sendApp') return app.send(args[0]);
        if (method === 'getCenter') return app.getCenter();
        return app.updateCenter(args[0]);
    }
  }
}
