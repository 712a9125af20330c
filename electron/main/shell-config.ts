/**
 * How this Electron shell runs, decided once at start from the command line and the environment.
 * Pure (no `electron` import) so tests assert every combination.
 *
 * Two builds:
 *  - `production`: a packaged app (or KIOSK_SIM_SHELL=production). Fullscreen kiosk window, no menu,
 *    no reload/zoom/devtools keys, no devtools at all; the trainer's tools only behind the
 *    protected shortcut, in their own window.
 *  - `development`: `npm run electron` from a checkout. An ordinary 1280×800 window with the default
 *    menu and devtools, and the simulator's card tray in the kiosk window, as in the browser host.
 */

export type ShellBuild = 'production' | 'development';

/**
 * Where the trainer's tools (virtual cards, settings) are reachable:
 *  - `tray`: in the kiosk window itself (the simulator as a training-room tool);
 *  - `window`: only in a separate trainer window opened by the protected shortcut;
 *  - `off`: nowhere (a vendor's terminal with a physical reader only).
 */
export type TrainerAccess = 'tray' | 'window' | 'off';

export interface ShellConfig {
  readonly build: ShellBuild;
  /** Fullscreen kiosk mode (no frame, cannot be left by the window manager's usual means). */
  readonly kiosk: boolean;
  readonly trainer: TrainerAccess;
  /** Devtools may be opened (never in production: they are a full JavaScript console). */
  readonly devTools: boolean;
}

export interface ShellConfigInput {
  readonly argv: readonly string[];
  readonly env: Readonly<Record<string, string | undefined>>;
  /** `app.isPackaged`. */
  readonly isPackaged: boolean;
}

export class ShellConfigError extends Error {
  readonly code = 'SHELL_CONFIG_INVALID';
  constructor(message: string) {
    super(message);
    this.name = 'ShellConfigError';
  }
}

const TRAINER_VALUES: readonly TrainerAccess[] = ['tray', 'window', 'off'];

function flag(argv: readonly string[], name: string): boolean {
  return argv.includes(`--${name}`);
}

function option(argv: readonly string[], name: string): string | undefined {
  const prefix = `--${name}=`;
  const hit = argv.find((a) => a.startsWith(prefix));
  return hit?.slice(prefix.length);
}

function parseBool(name: string, v: string): boolean {
  if (v === '1' || v === 'true' || v === 'on') return true;
  if (v === '0' || v === 'false' || v === 'off') return false;
  throw new ShellConfigError(`${name} must be 1 or 0, not "${v}"`);
}

/**
 * Command line wins over the environment; both win over the build's defaults.
 *   KIOSK_SIM_SHELL=production|development   (default: production when packaged)
 *   --kiosk / --windowed, KIOSK_SIM_KIOSK=1|0  (default: on in production)
 *   --trainer=tray|window|off, KIOSK_SIM_TRAINER (default: window in production, tray in development)
 */
export function readShellConfig(input: ShellConfigInput): ShellConfig {
  const { argv, env } = input;
  const forced = env.KIOSK_SIM_SHELL;
  if (forced !== undefined && forced !== '' && forced !== 'production' && forced !== 'development') {
    throw new ShellConfigError(`KIOSK_SIM_SHELL must be production or development, not "${forced}"`);
  }
  const build: ShellBuild = forced === 'production' || forced === 'development' ? forced : input.isPackaged ? 'production' : 'development';

  let kiosk = build === 'production';
  if (env.KIOSK_SIM_KIOSK !== undefined && env.KIOSK_SIM_KIOSK !== '') kiosk = parseBool('KIOSK_SIM_KIOSK', env.KIOSK_SIM_KIOSK);
  if (flag(argv, 'kiosk')) kiosk = true;
  if (flag(argv, 'windowed')) kiosk = false;

  const trainerRaw = option(argv, 'trainer') ?? (env.KIOSK_SIM_TRAINER || undefined);
  let trainer: TrainerAccess = build === 'production' ? 'window' : 'tray';
  if (trainerRaw !== undefined) {
    if (!(TRAINER_VALUES as readonly string[]).includes(trainerRaw)) {
      throw new ShellConfigError(`trainer access must be one of ${TRAINER_VALUES.join(', ')}, not "${trainerRaw}"`);
    }
    trainer = trainerRaw as TrainerAccess;
  }

  return { build, kiosk, trainer, devTools: build === 'development' };
}
