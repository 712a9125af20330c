/**
 * Binds the window.kiosk IPC channels to the kiosk core. Every invoke passes three checks before
 * the core sees it (Electron security checklist item 17):
 *  1. the sender: one of the windows this shell made, from that window's main frame (no iframe,
 *     no other web contents), showing our own origin app://kiosk;
 *  2. the method is for an audience that window has (the trainer's tools and settings, and the app
 *     page's methods, only where the trainer API is exposed, see window.ts trainerApiIn);
 *  3. the arguments: exactly the method's arguments, each valid against the contract's schema
 *     (the method table, electron/contract/methods.ts). The core validates again: it trusts no transport.
 * A refusal rejects the renderer's promise with a message that names the check, never a value
 * (an intent may carry a password). Channels, checks and dispatch all come from the method table.
 */
import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { audienceAllows, checkArguments, dispatch, type AppBackend, type KioskBackend, type TrainerBackend } from '../contract/backends';
import { KIOSK_IPC, KIOSK_METHODS, type Audience, type KioskMethod } from '../contract/methods';
import { ContractError, type ContractProblem } from '../contract/schema';
import { isAppUrl } from './security';
import type { ShellConfig } from './shell-config';
import { trainerApiIn, type WindowRole } from './window';

export type IpcRefusal = 'unknown-sender' | 'not-main-frame' | 'foreign-origin' | 'not-allowed-for-window' | 'unsupported';

export class KioskIpcError extends Error {
  readonly code: 'IPC_SENDER_REFUSED' | 'IPC_NOT_ALLOWED' | 'UNSUPPORTED';
  constructor(readonly refusal: IpcRefusal) {
    super(`kiosk IPC refused: ${refusal}`);
    this.name = 'KioskIpcError';
    this.code = refusal === 'not-allowed-for-window' ? 'IPC_NOT_ALLOWED' : refusal === 'unsupported' ? 'UNSUPPORTED' : 'IPC_SENDER_REFUSED';
  }
}

const CITIZEN: ReadonlySet<Audience> = new Set(['kiosk']);
const WITH_TRAINER_API: ReadonlySet<Audience> = new Set(['kiosk', 'tray', 'trainer', 'app']);

/** The audiences a window of `role` serves: the citizen's always; the trainer's and the app page's where it has the trainer API. */
export function audiencesOf(role: WindowRole, cfg: ShellConfig): ReadonlySet<Audience> {
  return trainerApiIn(role, cfg) ? WITH_TRAINER_API : CITIZEN;
}

/** Whether a window of `role` may call `method`. */
export function methodAllowed(method: KioskMethod, role: WindowRole, cfg: ShellConfig): boolean {
  return audienceAllows(method, audiencesOf(role, cfg));
}

/** Checks an invoke's arguments against the method's schemas: count first, then each value. */
export function checkIpcArguments(method: KioskMethod, args: readonly unknown[]): { ok: true } | { ok: false; problems: ContractProblem[] } {
  return checkArguments(method, args);
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
    for (const method of KIOSK_METHODS) {
      ipcMain.handle(KIOSK_IPC[method], (event, ...args: unknown[]) => this.#invoke(method, event, args));
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
    for (const method of KIOSK_METHODS) ipcMain.removeHandler(KIOSK_IPC[method]);
  }

  #refuse(refusal: IpcRefusal, method: KioskMethod): never {
    this.#opts.log?.(`kiosk IPC refused (${refusal}) on ${KIOSK_IPC[method]}`);
    throw new KioskIpcError(refusal);
  }

  async #invoke(method: KioskMethod, event: IpcMainInvokeEvent, args: unknown[]): Promise<unknown> {
    const role = senderRole(event, this.#windows);
    if (role !== 'kiosk' && role !== 'trainer') return this.#refuse(role, method);
    if (!methodAllowed(method, role, this.#opts.cfg)) return this.#refuse('not-allowed-for-window', method);
    const checked = checkArguments(method, args);
    if (!checked.ok) throw new ContractError(`${method} arguments`, checked.problems);
    const { core, trainer, app } = this.#opts;
    const answer = dispatch(method, args, { core, trainer, app });
    if (!answer.ok) return this.#refuse('unsupported', method);
    return answer.value;
  }
}
