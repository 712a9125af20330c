/**
 * Virtual-card slots (slots.ts, slot-daemon.ts, `npm run vcard`) on slot 0, with a run dir of
 * their own so a developer's own inserted cards are never touched.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { hex } from '../../native/apdu/apdu';
import { insertIntoSlot, isAlive, readSlotState, removeFromSlot, SlotError, slotStatus } from '../../native/vpcd/slots';
import { JPKI_AID, MINIMAL_ATR } from '../../native/vpcd/test-cards';
import { cleanUp, insert, openService, READER, requireEmptySlot, SLOT, waitStatus } from './helpers';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const run = promisify(execFile);
let runDir: string;

async function slotError(p: Promise<unknown>): Promise<SlotError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(SlotError);
  return err as SlotError;
}

beforeAll(async () => {
  await requireEmptySlot();
  runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiosk-sim-run-'));
});
afterEach(async () => {
  await removeFromSlot({ slot: SLOT, runDir }).catch(() => undefined);
  await cleanUp();
});
afterAll(() => {
  fs.rmSync(runDir, { recursive: true, force: true });
});

describe('virtual-card slots', () => {
  it('insert returns with the card in pcscd; the card stays until remove', async () => {
    const state = await insertIntoSlot({ slot: SLOT, card: 'minimal', runDir });
    expect(state).toMatchObject({ slot: SLOT, reader: READER, card: 'minimal', status: 'inserted', atr: hex(MINIMAL_ATR) });
    expect(isAlive(state.pid)).toBe(true);

    // Another client sees the card and can talk to it.
    const svc = openService();
    await waitStatus(svc, 'card-present');
    const ch = await svc.connect();
    expect((await ch.send({ cla: 0, ins: 0xa4, p1: 4, p2: 0x0c, data: JPKI_AID })).sw).toBe(0x9000);
    await ch.disconnect();

    const [slot0] = await slotStatus({ runDir });
    expect(slot0).toMatchObject({ slot: SLOT, reader: READER, daemon: { pid: state.pid }, card: { present: true } });

    expect((await slotError(insertIntoSlot({ slot: SLOT, card: 'minimal', runDir }))).code).toBe('SLOT_BUSY');

    expect(await removeFromSlot({ slot: SLOT, runDir, service: svc })).toMatchObject({ removed: true });
    expect(svc.state.status).toBe('no-card');
    expect(isAlive(state.pid)).toBe(false);
    expect(readSlotState(runDir, SLOT)).toBeUndefined();
    expect(await removeFromSlot({ slot: SLOT, runDir })).toEqual({ removed: false });
  });

  it('loads a card module by path with its argument', async () => {
    const module = path.join(runDir, 'echo-arg-card.ts');
    fs.writeFileSync(
      module,
      `import { MinimalJpkiCard } from ${JSON.stringify(path.join(root, 'native/vpcd/test-cards.ts'))};
       import { encodeResponse } from ${JSON.stringify(path.join(root, 'native/apdu/apdu.ts'))};
       export async function createVirtualCard(arg: string) {
         const card = new MinimalJpkiCard();
         return Object.assign(card, { transmit: () => encodeResponse(Buffer.from(arg), 0x9000) });
       }\n`,
    );
    const state = await insertIntoSlot({ slot: SLOT, card: module, arg: 'hello', runDir });
    expect(state).toMatchObject({ card: module, module, arg: 'hello' });
    const svc = openService();
    await waitStatus(svc, 'card-present');
    const ch = await svc.connect();
    expect((await ch.send({ cla: 0, ins: 0xca, p1: 0, p2: 0 })).data.toString()).toBe('hello');
  });

  it('says why a card cannot be inserted or removed', async () => {
    const broken = path.join(runDir, 'broken-card.ts');
    fs.writeFileSync(broken, `export async function createVirtualCard() { throw new Error('no such persona'); }\n`);
    const loadErr = await slotError(insertIntoSlot({ slot: SLOT, card: broken, runDir }));
    expect(loadErr.code).toBe('CARD_LOAD_FAILED');
    expect(loadErr.message).toContain('no such persona');
    expect(readSlotState(runDir, SLOT)).toBeUndefined();
    expect((await slotError(insertIntoSlot({ slot: SLOT, card: 'no/such/module.ts', runDir }))).code).toBe('CARD_LOAD_FAILED');
    expect((await slotError(insertIntoSlot({ slot: 16, card: 'minimal', runDir }))).code).toBe('BAD_SLOT');

    // A card that is not a daemon's: insert will not stack a second card on it, remove will not touch it.
    const svc = openService();
    await insert(svc);
    expect((await slotError(insertIntoSlot({ slot: SLOT, card: 'minimal', runDir, service: svc }))).code).toBe('SLOT_BUSY');
    expect((await slotError(removeFromSlot({ slot: SLOT, runDir, service: svc }))).code).toBe('NOT_INSERTED_HERE');
  });

  it('npm run vcard: insert, status, remove', async () => {
    const env = { ...process.env, KIOSK_SIM_RUN_DIR: runDir };
    const vcard = (...args: string[]) => run(process.execPath, ['--import', 'tsx', 'native/vpcd/cli.ts', ...args], { cwd: root, env });

    const inserted = await vcard('insert', '--slot', String(SLOT), 'minimal');
    expect(inserted.stdout).toContain(`into slot ${SLOT} (${READER})`);
    const status = await vcard('status', '--json');
    const slots = JSON.parse(status.stdout) as Array<{ slot: number; daemon?: { card: string }; card?: { present: boolean; atr?: string } }>;
    expect(slots[SLOT]).toMatchObject({ daemon: { card: 'minimal' }, card: { present: true, atr: hex(MINIMAL_ATR) } });

    const busy = await vcard('insert', '--slot', String(SLOT)).then(
      () => undefined,
      (e: { code: number; stderr: string }) => e,
    );
    expect(busy?.code).toBe(1);
    expect(busy?.stderr).toContain('SLOT_BUSY');

    expect((await vcard('remove', '--slot', String(SLOT))).stdout).toContain(`removed minimal from slot ${SLOT}`);
    expect((await vcard('status')).stdout).toMatch(new RegExp(`slot ${SLOT}  ${READER}  empty`));
  });
});
