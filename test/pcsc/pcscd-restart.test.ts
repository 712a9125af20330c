/**
 * pcscd going away and coming back, with no restart of this test process: the service reports
 * `pcscd-unavailable` (never throws), fails commands with PCSCD_NOT_RUNNING, and finds its reader
 * and card again once pcscd runs. pcscd is always restarted afterwards for the other tests.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ensurePcscd, stopPcscd } from '../../native/pcscd/pcscd';
import { PcscError } from '../../native/pcsc/errors';
import { insertIntoSlot, removeFromSlot, SlotError } from '../../native/vpcd/slots';
import { JPKI_AID } from '../../native/vpcd/test-cards';
import { cleanUp, insert, openService, READER, requireEmptySlot, SLOT, waitStatus } from './helpers';

const LOG = '/tmp/kiosk-sim-pcscd-test.log';
const SELECT_JPKI = { cla: 0x00, ins: 0xa4, p1: 0x04, p2: 0x0c, data: JPKI_AID };

async function rejection(p: Promise<unknown>): Promise<{ code?: string }> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(Error);
  return err as { code?: string };
}

beforeAll(requireEmptySlot);
afterEach(async () => {
  await ensurePcscd({ logFile: LOG });
  await cleanUp();
});
afterAll(async () => {
  await ensurePcscd({ logFile: LOG });
});

describe('pcscd restarts', () => {
  it('a service made while pcscd is down reports it, and comes back by itself when pcscd starts', async () => {
    await stopPcscd();
    const svc = openService();
    await svc.ready();
    expect(svc.state.status).toBe('pcscd-unavailable');
    expect(svc.readers()).toEqual([]);
    expect(((await rejection(svc.connect())) as PcscError).code).toBe('PCSCD_NOT_RUNNING');
    expect(((await rejection(svc.listReaders())) as PcscError).code).toBe('PCSCD_NOT_RUNNING');

    await ensurePcscd({ logFile: LOG });
    await waitStatus(svc, 'no-card');
    expect((await svc.listReaders()).map((r) => r.name)).toContain(READER);
  });

  it('pcscd killed mid-session: typed errors, then a working reader again in the same process', async () => {
    const svc = openService();
    const states: string[] = [];
    svc.on('state', (s) => states.push(s.status));
    await insert(svc);
    const ch = await svc.connect();
    expect((await ch.send(SELECT_JPKI)).sw).toBe(0x9000);

    await stopPcscd({ signal: 'SIGKILL' });
    await waitStatus(svc, 'pcscd-unavailable');
    expect(((await rejection(ch.send(SELECT_JPKI))) as PcscError).code).toBe('PCSCD_NOT_RUNNING');
    expect(((await rejection(svc.connect())) as PcscError).code).toBe('PCSCD_NOT_RUNNING');

    await ensurePcscd({ logFile: LOG });
    await waitStatus(svc, 'no-card');
    // vpcd dropped the card's connection with pcscd; put the card back as a person would.
    await insert(svc, undefined, 5000);
    const again = await svc.connect();
    expect((await again.send(SELECT_JPKI)).sw).toBe(0x9000);
    expect(states).toEqual(expect.arrayContaining(['connected', 'pcscd-unavailable', 'no-card', 'card-present']));
  });

  it('a slot daemon keeps its card across a pcscd restart; insert refuses while pcscd is down', async () => {
    const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiosk-sim-run-'));
    try {
      const svc = openService();
      await insertIntoSlot({ slot: SLOT, card: 'minimal', runDir, service: svc });
      await stopPcscd();
      const err = await rejection(insertIntoSlot({ slot: 1, card: 'minimal', runDir }));
      expect(err).toBeInstanceOf(SlotError);
      expect(err.code).toBe('PCSCD_UNAVAILABLE');

      await ensurePcscd({ logFile: LOG });
      await waitStatus(svc, 'card-present', 15_000);
      const ch = await svc.connect();
      expect((await ch.send(SELECT_JPKI)).sw).toBe(0x9000);
      await ch.disconnect();
      expect(await removeFromSlot({ slot: SLOT, runDir, service: svc })).toMatchObject({ removed: true });
    } finally {
      await removeFromSlot({ slot: SLOT, runDir }).catch(() => undefined);
      fs.rmSync(runDir, { recursive: true, force: true });
    }
  });
});
