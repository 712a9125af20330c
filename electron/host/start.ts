/**
 * `npm start`: the simulator without an Electron binary. Makes sure pcscd runs, builds the renderer
 * if needed, starts the kiosk core (with the embedded reservation center unless a center URL is
 * set), serves the renderer on 127.0.0.1 with the window.kiosk contract over a same-origin
 * WebSocket, and makes the virtual cards ready for the trainer to place on the reader.
 */
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ensurePcscd } from '../../native/pcscd/pcscd';
import { cardDir } from '../../native/card/card-file';
import { startKioskRuntime } from '../kiosk/runtime';
import { startBrowserHost } from './browser-host';
import type { TrainerBackend } from '../contract/backends';
import { lazyApp, phoneReaderFor } from './phone';
import type { VirtualCardDesk } from './virtual-cards';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const rendererDir = path.join(repo, 'out/renderer');

/**
 * The virtual-card desk, loaded after the URL is printed: card issuing pulls in X.509 libraries
 * that would add about half a second to the cold start.
 */
function lazyTrainer(load: () => Promise<VirtualCardDesk>): TrainerBackend & { ready: Promise<VirtualCardDesk> } {
  let ready: Promise<VirtualCardDesk> | undefined;
  const desk = () => (ready ??= load());
  return {
    get ready() {
      return desk();
    },
    listCards: async () => (await desk()).listCards(),
    placeCard: async (name) => (await desk()).placeCard(name),
    removeCard: async () => (await desk()).removeCard(),
  };
}

/** The vpcd slot behind a reader name ("Virtual PCD 00 01" → 1); the default reader is slot 0. */
function slotOf(readerName: string): number {
  return /^=?Virtual PCD 00 01$/.test(readerName) ? 1 : 0;
}

async function buildRendererIfNeeded(): Promise<void> {
  if (!fs.existsSync(path.join(rendererDir, 'index.html')) || process.env.KIOSK_REBUILD === '1') {
    console.log('building the renderer…');
    execFileSync('npx', ['electron-vite', 'build'], { cwd: repo, stdio: 'inherit' });
  }
}

async function main(): Promise<void> {
  // A classroom (`--stations N`) is its own host, loaded only when asked for: a lone kiosk's cold
  // start does not pay for it.
  if (process.argv.includes('--stations')) {
    await buildRendererIfNeeded();
    const classroom = await import('../classroom/start');
    return classroom.main(process.argv.slice(2), rendererDir);
  }
  const port = Number(process.env.KIOSK_PORT ?? 5177);
  try {
    const r = await ensurePcscd({ logFile: path.join(repo, 'out/pcscd.log') });
    console.log(r.startedByUs ? `pcscd started (pid ${r.pid})` : `pcscd running (pid ${r.pid})`);
  } catch (err) {
    // Without pcscd the kiosk still shows its screens; the reader status says what is wrong.
    console.error(`warning: ${(err as Error).message}`);
  }
  await buildRendererIfNeeded();

  const runtime = await startKioskRuntime();
  const slot = slotOf(runtime.settings.get().readerName);
  const desk = lazyTrainer(async () => new (await import('./virtual-cards')).VirtualCardDesk({ cardDir: cardDir(), slot, service: runtime.reader }));
  // The smartphone-app simulator, on the virtual slot the kiosk does not read; loaded after the
  // URL is printed like the card desk (the cold start is the kiosk's).
  const kioskReaderName = runtime.settings.get().readerName;
  const app = lazyApp(
    async () =>
      (await import('./app-simulator')).createAppSimulator({
        cardDir: cardDir(),
        kioskReaderName,
        center: runtime.center,
        log: (line) => console.error(`warning: ${line}`),
      }),
    phoneReaderFor(kioskReaderName),
  );
  const host = await startBrowserHost({ rendererDir, core: runtime.core, port, trainer: desk, app });

  const stop = async () => {
    await host.close();
    // A card left on the phone's reader would stay locked to a daemon: take it off.
    await app.close().catch(() => undefined);
    await runtime.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());

  console.log(`kiosk data (settings, reset journal, session record): ${runtime.dataDir}`);
  console.log(`kiosk-sim browser host: ${host.origin}/`);
  runtime.center.then(
    (c) => console.log(`reservation center: ${c.embedded ? `embedded, ${c.url}` : c.url}`),
    (err: unknown) => console.error(`warning: reservation center: ${(err as Error).message}`),
  );
  app.load().catch((err: unknown) => console.error(`warning: app simulator: ${(err as Error).message}`));
  // After the URL: creating the persona cards takes a moment on the very first start only.
  desk.ready.then((d) => d.ensurePersonaCards()).then(
    (made) => {
      console.log(`virtual cards ready in ${cardDir()}${made.length > 0 ? ` (created: ${made.join(', ')})` : ''}`);
      // What a trainer does next (README, "Trying it out").
      console.log('  place a card: the カード置き場 tab on the screen, or: npm run card -- insert adult');
      console.log('  book a reset for it first: npm run app (README, "Trying it out")');
    },
    (err: unknown) => console.error(`warning: virtual cards: ${(err as Error).message}`),
  );
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
