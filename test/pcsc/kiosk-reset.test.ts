/**
 * The whole kiosk through the real PC/SC stack: the production runtime (reader service, JPKI
 * client, embedded reservation center on a temp SQLite file, journal, record) with a virtual My
 * Number card in vpcd slot 0. A booked 署名用 reset goes through every screen and really changes
 * the card; the center records the booking used; taking the card returns to the top menu.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminCenterClient } from '../../electron/center/client';
import type { Intent, Snapshot } from '../../electron/contract/kiosk';
import { directChannel, JpkiClient } from '../../electron/jpki';
import { startKioskRuntime, type KioskRuntime } from '../../electron/kiosk/runtime';
import { MemoryCardStore } from '../../native/card/card-file';
import { loadCard } from '../../native/card/card-module';
import { createCard } from '../../native/card/issue';
import { PERSONAS } from '../../native/card/personas';
import { insertVirtualCard } from '../../native/vpcd/transport';
import { requireEmptySlot, SLOT } from './helpers';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiosk-pcsc-'));
let runtime: KioskRuntime;

beforeAll(async () => {
  await requireEmptySlot();
  runtime = await startKioskRuntime({ dataDir: path.join(dir, 'kiosk'), centerDbPath: path.join(dir, 'center.sqlite'), log: () => undefined });
  // Inside service hours whatever time the test runs: 10:00 JST today on the kiosk's clock.
  const tenJst = Date.parse(`${new Date(Date.now() + 9 * 3600_000).toISOString().slice(0, 10)}T10:00:00+09:00`);
  runtime.core.updateSettings({ clock: { mode: 'offset', offsetMs: tenJst - Date.now() } });
});

afterAll(async () => {
  await runtime?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function until(pred: (s: Snapshot) => boolean, what: string, timeoutMs = 10_000): Promise<Snapshot> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const s = runtime.core.snapshot();
    if (pred(s)) return s;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; screen is ${JSON.stringify(s.screen)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function send(intent: Intent): void {
  expect(runtime.core.send(intent)).toEqual({ accepted: true });
}

describe('kiosk over pcscd + vpcd with a virtual card and the embedded center', () => {
  it('署名用 reset end to end', async () => {
    const created = await createCard('adult', { dir: path.join(dir, 'cards') });
    const card = loadCard(created.file, { store: new MemoryCardStore(), lock: false });
    const center = await runtime.center;
    const admin = new AdminCenterClient({ baseUrl: center.url, token: center.embedded!.adminToken });
    const booking = await admin.create({ cardId: created.state.cardId, kind: 'sign' });

    send({ type: 'choose-service', service: 'admin' });
    send({ type: 'choose-admin-item', item: 'my-number-card' });
    send({ type: 'choose-card-option', option: 'reset-sign' });
    send({ type: 'agree' });
    await until((s) => s.screen.id === 'place-card' && s.reader.state === 'empty', 'the place-card screen');

    const conn = await insertVirtualCard(card, { slot: SLOT });
    try {
      const other = await until((s) => s.screen.id !== 'place-card' && s.screen.id !== 'progress', 'the card to be read');
      expect(other.screen).toMatchObject({ id: 'other-password', password: 'auth', triesLeft: 3, maxTries: 3 });
      expect(other.reader).toEqual({ state: 'card-present', name: 'Virtual PCD 00 00' });

      send({ type: 'submit-other-password', value: PERSONAS.adult.pins.auth as string });
      await until((s) => s.screen.id === 'new-password', 'the new-password screen');
      send({ type: 'submit-new-password', value: 'KIOSK2026' });
      send({ type: 'submit-new-password', value: 'KIOSK2026' });
      await until((s) => s.screen.id === 'done', 'the done screen');

      // The card: the new password verifies (read back in-process, not through the kiosk).
      const client = new JpkiClient(directChannel(card));
      await client.identify();
      expect(await client.verify('sign', 'KIOSK2026')).toEqual({ result: 'verified' });
      const after = (await admin.list({ cardId: created.state.cardId })).bookings.find((b: { bookingId: string }) => b.bookingId === booking.bookingId);
      expect(after?.state).toBe('used');

      send({ type: 'acknowledge' });
      await until((s) => s.screen.id === 'take-card', 'the take-card screen');
    } finally {
      await conn.remove();
    }
    await until((s) => s.screen.id === 'top' && s.sessionId === null, 'the top menu after the card is taken');
    const record = fs.readFileSync(path.join(dir, 'kiosk', 'record', 'sessions.jsonl'), 'utf8');
    expect(record).not.toContain('KIOSK2026');
    expect(record).not.toContain(PERSONAS.adult.pins.auth as string);
  });
});
