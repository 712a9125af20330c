/**
 * The trainer's window: the same screens as the kiosk window plus the trainer's tools (virtual
 * cards, settings through window.kiosk), opened only by a protected shortcut. Protected because a
 * citizen has no way to press it: the kiosk is used by touch, the chord needs a hardware keyboard
 * (which staff attach for maintenance), and it is caught in the main process before the page sees
 * any key. It is a separate window, so the citizen's screen never shows the tools in production.
 */
import type { BrowserWindow, Input } from 'electron';
import type { ShellConfig } from './shell-config';

/** Ctrl+Alt+Shift+T, as a human-readable name for the README and logs. */
export const TRAINER_SHORTCUT = 'Ctrl+Alt+Shift+T';

/** Whether a key press is the trainer chord (exactly Ctrl+Alt+Shift+T, no Meta, key down). */
export function isTrainerShortcut(input: Pick<Input, 'type' | 'key' | 'control' | 'meta' | 'alt' | 'shift'>): boolean {
  return input.type === 'keyDown' && input.control && input.alt && input.shift && !input.meta && input.key.toLowerCase() === 't';
}

/** Whether the trainer window may be opened at all with this configuration. */
export function trainerWindowAllowed(cfg: ShellConfig): boolean {
  return cfg.trainer !== 'off';
}

/** Opens the trainer window on demand, at most one at a time. */
export class TrainerWindow {
  #win: BrowserWindow | null = null;

  constructor(
    private readonly cfg: ShellConfig,
    private readonly open: () => BrowserWindow,
  ) {}

  /** Handles a key press seen by the kiosk window; true when it was the trainer shortcut. */
  onKey(input: Input): boolean {
    if (!isTrainerShortcut(input)) return false;
    this.show();
    return true;
  }

  /** Opens the trainer window, or brings it forward. Returns it, or null when trainer access is off. */
  show(): BrowserWindow | null {
    if (!trainerWindowAllowed(this.cfg)) return null;
    if (this.#win !== null && !this.#win.isDestroyed()) {
      this.#win.focus();
      return this.#win;
    }
    const win = this.open();
    this.#win = win;
    win.once('closed', () => {
      if (this.#win === win) this.#win = null;
    });
    return win;
  }

  get window(): BrowserWindow | null {
    return this.#win !== null && !this.#win.isDestroyed() ? this.#win : null;
  }
}
