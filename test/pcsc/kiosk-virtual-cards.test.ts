/**
 * The trainer's virtual-card desk of the browser host: persona cards are made once, and placing one
 * puts it in vpcd slot 0 through a slot daemon, where pcscd (and so the kiosk) sees it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { VirtualCardDesk } from '../../electron/host/virtual-cards';
import { PERSONA_IDS } from '../../native/card/personas';
import { PcscReaderService } from '../../native/pcsc';
import { READER, requireEmptySlot, SLOT } from './helpers';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiosk-desk-'));
const service = new PcscReaderService({ reader: { name: READER } });
const desk = new VirtualCardDesk({ cardDir: path.join(dir, 'cards'), slot: SLOT, service, runDir: path.join(dir, 'run') });

afterAll(async () => {
  await desk.removeCard();
  await service.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('virtual-card desk', () => {
  it('makes the persona cards once, places one on the reader and takes it off', async () => {
    await requireEmptySlot();
    expect(await desk.ensurePersonaCards()).toEqual([...PERSONA_IDS]);
    expect(await desk.ensurePersonaCards()).toEqual([]);
    const view = await desk.listCards();
    expect(view.cards.map((c) => c.name).sort()).toEqual([...PERSONA_IDS].sort());
    expect(view.placed).toBeNull();

    expect(await desk.placeCard('no-such')).toEqual({ ok: false, problem: 'no-such-card' });
    const placed = await desk.placeCard('adult');
    expect(placed).toMatchObject({ ok: true, cards: { placed: 'adult', available: true } });
    await service.waitForState((s) => s.status === 'card-present' || s.status === 'connected', { timeoutMs: 10_000 });

    // Another card replaces it.
    expect(await desk.placeCard('under15')).toMatchObject({ ok: true, cards: { placed: 'under15' } });

    expect(await desk.removeCard()).toMatchObject({ ok: true, cards: { placed: null } });
    await service.waitForState((s) => s.status === 'no-card', { timeoutMs: 10_000 });
  });
});
