/**
 * Electron main process: the thin, hardened shell around the plain-Node kiosk core. Each concern
 * is its own module; this file only wires them, in the order Electron requires:
 *   before `ready`: shell config, privileged scheme, Chromium switches, web-contents guards,
 *                   single-instance lock;
 *   after `ready`:  hardened session (app:// protocol, no permissions, no network), per-runtime
 *                   native modules, the kiosk runtime, IPC, the kiosk window, the trainer
 *                   shortcut, graceful shutdown.
 * Type-checked everywhere; running it needs the Electron binary (README "Running as Electron").
 */
import { app, Menu, protocol, session, type BrowserWindow } from 'electron';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { KioskRuntime } from '../kiosk/runtime';
import type { TrainerBackend } from '../contract/backends';
import type { VirtualCardDesk } from '../host/virtual-cards';
import { lazyApp, phoneReaderFor } from '../host/phone';
import { KioskIpc } from './kiosk-ipc';
import { checkoutNativeRoot, electronNativeTag, installNativeRedirect } from './native-modules';
import { guardAllWebContents, hardenSession, privilegedSchemes } from './security';
import { readShellConfig, type ShellConfig } from './shell-config';
import { kioskShutdownSteps, onceShutdown } from './shutdown';
import { claimSingleInstance } from './single-instance';
import { TRAINER_SHORTCUT, TrainerWindow } from './trainer';
import { chromiumSwitches, KIOSK_PARTITION, openWindow, type WindowPaths } from './window';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../..');
const paths: WindowPaths = { preload: path.join(here, '../preload/index.cjs') };
const rendererRoot = path.join(here, '../renderer');
const log = (line: string) => console.log(line);

function nativeRoot(): string {
  // A packaged app carries its Electron builds as extra resources (electron/packaging/builder-config.ts).
  if (app.isPackaged) return path.join(process.resourcesPath, 'native');
  return checkoutNativeRoot(repoRoot, electronNativeTag(process.versions.electron ?? 'unknown', process.platform, process.arch));
}

/** The virtual-card desk, loaded on first use (card issuing pulls in X.509 libraries). */
function lazyDesk(load: () => Promise<VirtualCardDesk>): TrainerBackend & { ready: () => Promise<VirtualCardDesk> } {
  let ready: Promise<VirtualCardDesk> | undefined;
  const desk = () => (ready ??= load());
  return {
    ready: desk,
    listCards: async () => (await desk()).listCards(),
    placeCard: async (name) => (await desk()).placeCard(name),
    removeCard: async () => (await desk()).removeCard(),
  };
}

/**
 * The simulator's virtual cards need a checkout: a card runs in a slot daemon started with
 * `tsx` and ELECTRON_RUN_AS_NODE, which the production fuses switch off. A packaged terminal
 * uses a physical reader (or cards inserted with `npm run card` from a checkout).
 */
async function virtualCards(cfg: ShellConfig, runtime: KioskRuntime): Promise<(TrainerBackend & { ready: () => Promise<VirtualCardDesk> }) | undefined> {
  if (cfg.trainer === 'off' || app.isPackaged) return undefined;
  const { cardDir } = await import('../../native/card/card-file');
  const slot = /^=?Virtual PCD 00 01$/.test(runtime.settings.get().readerName) ? 1 : 0;
  return lazyDesk(async () => new (await import('../host/virtual-cards')).VirtualCardDesk({ cardDir: cardDir(), slot, service: runtime.reader }));
}

let kioskWindow: BrowserWindow | null = null;

async function start(cfg: ShellConfig): Promise<void> {
  await app.whenReady();
  // No menu in production: no reload, zoom or devtools accelerators (window.ts blocks the keys too).
  if (cfg.build === 'production') Menu.setApplicationMenu(null);
  hardenSession(session.fromPartition(KIOSK_PARTITION), { rendererRoot });

  // Before anything loads pcsclite or better-sqlite3 (the runtime is imported only now).
  installNativeRedirect(nativeRoot());
  if (cfg.build === 'development') {
    const { ensurePcscd } = await import('../../native/pcscd/pcscd');
    await ensurePcscd().catch((err: unknown) => log(`warning: ${(err as Error).message}`));
  }
  const { startKioskRuntime } = await import('../kiosk/runtime');
  const runtime = await startKioskRuntime({ log });
  const desk = await virtualCards(cfg, runtime);
  // The smartphone-app simulator needs the virtual cards too (a card on the phone's vpcd slot);
  // loaded at its first use, so the kiosk window does not wait for it.
  const kioskReaderName = runtime.settings.get().readerName;
  const phoneApp =
    desk === undefined
      ? undefined
      : lazyApp(
          async () =>
            (await import('../host/app-simulator')).createAppSimulator({
              cardDir: (await import('../../native/card/card-file')).cardDir(),
              kioskReaderName,
              center: runtime.center,
              log,
            }),
          phoneReaderFor(kioskReaderName),
        );
  const ipc = new KioskIpc({ core: runtime.core, ...(desk !== undefined && { trainer: desk }), ...(phoneApp !== undefined && { app: phoneApp }), cfg, log });

  let quitting = false;
  const trainer = new TrainerWindow(cfg, () => {
    const win = openWindow({ role: 'trainer', cfg, paths });
    ipc.attach(win, 'trainer');
    return win;
  });
  const win = openWindow({
    role: 'kiosk',
    cfg,
    paths,
    onKey: (input) => trainer.onKey(input),
    // In kiosk mode the window goes only with the app (Alt+F4 and the like are refused).
    mayClose: () => quitting || !cfg.kiosk,
  });
  kioskWindow = win;
  ipc.attach(win, 'kiosk');
  if (cfg.trainer !== 'off') log(`trainer window: ${TRAINER_SHORTCUT}`);

  const shutdown = onceShutdown(
    () =>
      kioskShutdownSteps({
        stopInput: () => ipc.dispose(),
        core: runtime.core,
        // A card left on the phone's reader is taken off before the runtime goes.
        closeRuntime: async () => {
          await phoneApp?.close();
          await runtime.close();
        },
      }),
    log,
  );
  let exiting = false;
  app.on('before-quit', (event) => {
    if (exiting) return;
    event.preventDefault();
    quitting = true;
    void shutdown().then(() => {
      exiting = true;
      app.exit(0);
    });
  });
  process.once('SIGTERM', () => app.quit());
  process.once('SIGINT', () => app.quit());
  app.on('window-all-closed', () => app.quit());

  runtime.center.then(
    (c) => log(`reservation center: ${c.embedded ? `embedded, ${c.url}` : c.url}`),
    (err: unknown) => log(`warning: reservation center: ${(err as Error).message}`),
  );
  void desk
    ?.ready()
    .then((d) => d.ensurePersonaCards())
    .catch((err: unknown) => log(`warning: virtual cards: ${(err as Error).message}`));
}

function main(): void {
  let cfg: ShellConfig;
  try {
    cfg = readShellConfig({ argv: process.argv, env: process.env, isPackaged: app.isPackaged });
  } catch (err) {
    console.error((err as Error).message);
    app.exit(2);
    return;
  }
  // Checklist item 4 for every renderer, whatever its options say (our windows set sandbox: true too).
  app.enableSandbox();
  protocol.registerSchemesAsPrivileged(privilegedSchemes());
  // A switch without a value is appended without one (an explicit undefined is not "no value").
  for (const [name, value] of chromiumSwitches(cfg)) {
    if (value === undefined) app.commandLine.appendSwitch(name);
    else app.commandLine.appendSwitch(name, value);
  }
  guardAllWebContents(app);
  if (claimSingleInstance(app, () => kioskWindow) === 'secondary') return;
  start(cfg).catch((err: unknown) => {
    console.error(`kiosk-sim could not start: ${err instanceof Error ? err.message : String(err)}`);
    app.exit(1);
  });
}

main();
