/**
 * The kiosk core against the real reservation center (embedded, SQLite in a temp dir) through the
 * center adapter: a reset marks the booking used, refusals map to the right guidance, and a kiosk
 * that dies before confirming settles from its journal on restart with the very same request.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AdminCenterClient, KioskCenterClient } from '../../electron/center/client';
import { startEmbeddedCenter, type EmbeddedCenter } from '../../electron/center/embedded';
import type { Intent } from '../../electron/contract/kiosk';
import type { ResetKind } from '../../electron/domain/passwords';
import { CenterAdapter } from '../../electron/kiosk/adapters/center';
import { FileResetJournal } from '../../electron/kiosk/journal';
import type { ReservationCenter } from '../../electron/kiosk/ports';
import { MemoryEventRecord } from '../../electron/kiosk/record';
import { KioskCore } from '../../electron/kiosk/session';
import { SettingsStore } from '../../electron/kiosk/settings';
import { DEV_MASTER_KEY } from '../../native/jpki/reset-mac';
import { FakeCard, FakeReader, FakeScheduler, flush } from '../fakes/kiosk';

const T0 = Date.parse('2026-11-25T10:00:00+09:00');
const KIOSK_TOKEN = 'kiosk-01-token-aaaaaaaa';

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function center(): Promise<{ embedded: EmbeddedCenter; admin: AdminCenterClient; adapter: CenterAdapter; dir: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiosk-center-'));
  const embedded = await startEmbeddedCenter({ dbPath: path.join(dir, 'center.sqlite'), masterKey: DEV_MASTER_KEY, kioskKeys: { 'kiosk-01': KIOSK_TOKEN }, clock: { now: () => T0 } });
  cleanup.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  cleanup.push(() => embedded.close());
  const admin = new AdminCenterClient({ baseUrl: embedded.url, token: embedded.adminToken });
  const adapter = new CenterAdapter(new KioskCenterClient({ baseUrl: embedded.url, token: KIOSK_TOKEN, retryDelayMs: 1 }));
  return { embedded, admin, adapter, dir };
}

function kiosk(c: ReservationCenter, dir: string) {
  const reader = new FakeReader();
  const core = new KioskCore({
    reader,
    center: c,
    journal: new FileResetJournal(path.join(dir, 'journal.jsonl')),
    events: new MemoryEventRecord(),
    settings: new SettingsStore(null, { clock: { mode: 'fixed', at: T0 } }),
    scheduler: new FakeScheduler(),
  });
  cleanup.push(() => core.stop());
  const send = async (...intents: Intent[]) => {
    for (const i of intents) {
      core.send(i);
      await waitIdle();
    }
  };
  return { core, reader, send };
}

/** Real HTTP round trips: let them finish. */
async function waitIdle(): Promise<void> {
  for (let i = 0; i < 5; i++) {
    await flush();
    await new Promise((r) => setTimeout(r, 5));
  }
}

async function until(pred: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !pred(); i++) await waitIdle();
}

async function toOtherPassword(k: ReturnType<typeof kiosk>, card: FakeCard, kind: ResetKind) {
  await k.core.start();
  await k.send(
    { type: 'choose-service', service: 'admin' },
    { type: 'choose-admin-item', item: 'my-number-card' },
    { type: 'choose-card-option', option: kind === 'sign' ? 'reset-sign' : 'reset-auth' },
    { type: 'agree' },
  );
  k.reader.insert(card);
  await until(() => k.core.snapshot().screen.id !== 'progress');
}

describe('kiosk core + center adapter + embedded center', () => {
  it('a sign reset: card changed, booking used', async () => {
    const c = await center();
    const card = new FakeCard();
    const booking = await c.admin.create({ cardId: card.cardId, kind: 'sign', completedAt: T0 - 3600_000 });
    const k = kiosk(c.adapter, c.dir);
    await toOtherPassword(k, card, 'sign');
    expect(k.core.snapshot().screen).toMatchObject({ id: 'other-password' });
    await k.send({ type: 'submit-other-password', value: '1234' }, { type: 'submit-new-password', value: 'REAL1CTR' }, { type: 'submit-new-password', value: 'REAL1CTR' });
    await until(() => k.core.snapshot().screen.id === 'done');
    expect(k.core.snapshot().screen).toEqual({ id: 'done', kind: 'sign' });
    expect(card.pins.sign).toBe('REAL1CTR');
    const list = await c.admin.list({ cardId: card.cardId });
    expect(list.bookings.find((b: { bookingId: string }) => b.bookingId === booking.bookingId)).toMatchObject({ state: 'used' });
  });

  it.each([
    ['no booking', null, 'no-reservation'],
    ['booking for the other password', 'auth', 'no-reservation'],
  ] as const)('%s → %s guidance', async (_what, kind, reason) => {
    const c = await center();
    const card = new FakeCard();
    if (kind !== null) await c.admin.create({ cardId: card.cardId, kind, completedAt: T0 - 60_000 });
    const k = kiosk(c.adapter, c.dir);
    await toOtherPassword(k, card, 'sign');
    expect(k.core.snapshot().screen).toMatchObject({ id: 'guidance', reason });
  });

  it('expired booking (over 24 h) → book in the app', async () => {
    const c = await center();
    const card = new FakeCard();
    await c.admin.create({ cardId: card.cardId, kind: 'sign', completedAt: T0 - 24 * 3600_000 - 1 });
    const k = kiosk(c.adapter, c.dir);
    await toOtherPassword(k, card, 'sign');
    expect(k.core.snapshot().screen).toMatchObject({ id: 'guidance', reason: 'reservation-expired', next: 'book-in-app' });
  });

  it('a wrong kiosk key is "center unavailable", not a crash', async () => {
    const c = await center();
    const card = new FakeCard();
    const bad = new CenterAdapter(new KioskCenterClient({ baseUrl: c.embedded.url, token: 'wrong-token-xxxxxxxx', retries: 0 }));
    const k = kiosk(bad, c.dir);
    await toOtherPassword(k, card, 'sign');
    expect(k.core.snapshot().screen).toMatchObject({ id: 'guidance', reason: 'center-unavailable' });
  });

  it('crash before confirm: the restarted kiosk confirms from its journal (same request, replay-safe)', async () => {
    const c = await center();
    const card = new FakeCard();
    const booking = await c.admin.create({ cardId: card.cardId, kind: 'auth', completedAt: T0 - 60_000 });
    // A center link that dies at the confirm, as the kiosk process would.
    let confirms = 0;
    const dying: ReservationCenter = {
      check: (r) => c.adapter.check(r),
      authorize: (r) => c.adapter.authorize(r),
      confirm: () => {
        confirms++;
        return new Promise<never>(() => undefined);
      },
      release: (r) => c.adapter.release(r),
    };
    const k1 = kiosk(dying, c.dir);
    await toOtherPassword(k1, card, 'auth');
    await k1.send({ type: 'submit-other-password', value: 'OLD1PASS' }, { type: 'submit-new-password', value: '8642' }, { type: 'submit-new-password', value: '8642' });
    await until(() => confirms > 0);
    expect(card.pins.auth).toBe('8642');
    k1.core.stop();
    let b = (await c.admin.list({ cardId: card.cardId })).bookings.find((x: { bookingId: string }) => x.bookingId === booking.bookingId);
    expect(b?.state).toBe('authorized');

    const k2 = kiosk(c.adapter, c.dir);
    expect(await k2.core.start()).toEqual({ confirmed: 1, released: 0, pending: 0, awaitingCard: 0 });
    b = (await c.admin.list({ cardId: card.cardId })).bookings.find((x: { bookingId: string }) => x.bookingId === booking.bookingId);
    expect(b?.state).toBe('used');
    // Settling again (another restart) is harmless: nothing is left.
    expect(await k2.core.settle()).toEqual({ confirmed: 0, released: 0, pending: 0, awaitingCard: 0 });
  });
});
