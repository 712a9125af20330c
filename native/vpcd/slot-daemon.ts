/**
 * The process that keeps a virtual card in a vpcd slot (see slots.ts, which starts it as
 * `node --import tsx native/vpcd/slot-daemon.ts '<DaemonConfig JSON>'`, detached).
 *
 * It claims the slot's state file, loads the card module, connects the card to vpcd and tells its
 * parent over IPC ('inserted' or 'error'). It then holds the card until SIGTERM/SIGINT, when it
 * takes the card out, lets the card finish the command in hand, deletes its state file and exits 0.
 * If vpcd goes away (pcscd stopped), it reconnects as soon as vpcd listens again.
 */
import fs from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { DaemonConfig, DaemonMessage, SlotErrorCode, SlotState } from './slots';
import { insertVirtualCard, virtualReaderName, type VpcdCardConnection } from './transport';
import type { VirtualCard } from './virtual-card';

const RECONNECT_MS = 250;

function log(msg: string): void {
  process.stdout.write(`${new Date().toISOString()} slot-daemon[${process.pid}] ${msg}\n`);
}

function tell(msg: DaemonMessage): void {
  if (process.send && process.connected) process.send(msg);
}

class Failure extends Error {
  constructor(
    readonly code: SlotErrorCode,
    message: string,
  ) {
    super(message);
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function main(config: DaemonConfig): Promise<void> {
  const file = `${config.runDir}/slot-${config.slot}.json`;
  let state: SlotState = {
    slot: config.slot,
    pid: process.pid,
    reader: virtualReaderName(config.slot),
    card: config.card,
    module: config.module,
    arg: config.arg,
    status: 'starting',
    startedAt: new Date().toISOString(),
  };
  claim(file, state);
  const write = (next: Partial<SlotState>) => {
    state = { ...state, ...next };
    fs.writeFileSync(`${file}.tmp-${process.pid}`, JSON.stringify(state, null, 2) + '\n');
    fs.renameSync(`${file}.tmp-${process.pid}`, file);
  };
  const release = () => {
    try {
      const onDisk = JSON.parse(fs.readFileSync(file, 'utf8')) as SlotState;
      if (onDisk.pid === process.pid) fs.rmSync(file, { force: true });
    } catch {
      /* already gone */
    }
  };

  let conn: VpcdCardConnection | undefined;
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: removing the card`);
    try {
      await conn?.remove();
      await conn?.whenIdle();
    } finally {
      release();
      process.exit(0);
    }
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('disconnect', () => {
    /* the parent has what it needed; keep running */
  });

  let card: VirtualCard;
  try {
    const mod = (await import(pathToFileURL(config.module).href)) as { createVirtualCard?: (arg: string) => Promise<VirtualCard> };
    if (typeof mod.createVirtualCard !== 'function') throw new Error(`${config.module} does not export createVirtualCard(arg)`);
    card = await mod.createVirtualCard(config.arg);
  } catch (err) {
    release();
    throw new Failure('CARD_LOAD_FAILED', `cannot load card ${config.card}: ${err instanceof Error ? err.message : String(err)}`);
  }

  const connect = async (retryForMs: number): Promise<VpcdCardConnection> => {
    const c = await insertVirtualCard(card, { slot: config.slot, retryForMs });
    c.on('error', (err) => log(`card error: ${err.message}`));
    c.on('closed', (why) => {
      if (stopping || why === 'removed') return;
      log('vpcd went away (pcscd stopped?); waiting for it to come back');
      write({ status: 'waiting-for-vpcd' });
      void reconnect();
    });
    return c;
  };
  const reconnect = async () => {
    for (;;) {
      if (stopping) return;
      try {
        conn = await connect(0);
        write({ status: 'inserted' });
        log('reconnected to vpcd');
        return;
      } catch {
        await new Promise((r) => setTimeout(r, RECONNECT_MS));
      }
    }
  };

  try {
    conn = await connect(2000);
  } catch (err) {
    release();
    throw new Failure('VPCD_UNREACHABLE', err instanceof Error ? err.message : String(err));
  }
  const atr = Buffer.from(card.atr).toString('hex').toUpperCase();
  write({ status: 'inserted', atr });
  log(`inserted ${config.card}${config.arg ? ` (${config.arg})` : ''} into slot ${config.slot}, ATR ${atr}`);
  tell({ type: 'inserted', atr });
}

/** Takes the state file, or fails with SLOT_BUSY when a live daemon holds it. */
function claim(file: string, state: SlotState): void {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(file, JSON.stringify(state, null, 2) + '\n', { flag: 'wx' });
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      let holder: SlotState | undefined;
      try {
        holder = JSON.parse(fs.readFileSync(file, 'utf8')) as SlotState;
      } catch {
        /* unreadable: stale */
      }
      if (holder && holder.pid !== process.pid && isAlive(holder.pid)) {
        throw new Failure('SLOT_BUSY', `slot ${state.slot} is held by daemon pid ${holder.pid} (${holder.card})`);
      }
      fs.rmSync(file, { force: true });
    }
  }
  throw new Failure('SLOT_BUSY', `could not claim ${file}`);
}

const config = JSON.parse(process.argv[2] ?? '{}') as DaemonConfig;
main(config).catch((err: unknown) => {
  const code: SlotErrorCode = err instanceof Failure ? err.code : 'DAEMON_FAILED';
  const message = err instanceof Error ? err.message : String(err);
  log(`failed: ${code} ${message}`);
  tell({ type: 'error', code, message });
  // Let the IPC message leave before exiting.
  setTimeout(() => process.exit(1), 50);
});
