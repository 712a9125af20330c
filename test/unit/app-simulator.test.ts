/**
 * The smartphone-app simulator behind window.kiosk.app, with the booking flow on real virtual My
 * Number cards (in process, through the kiosk's JPKI client, behind a fake "phone reader") and a
 * real embedded center: what the app shows at each step, what the card spent, what the center
 * recorded — and that the kiosk side then finds the booking (or, 24 h later on the center's
 * clock, finds it expired).
 */
import path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AppIntent, AppResult, AppStateOf, AppView } from '../../electron/contract/app';
import { AdminCenterClient, AppCenterClient, KioskCenterClient } from '../../electron/center/client';
import { startEmbeddedCenter, type EmbeddedCenter } from '../../electron/center/embedded';
import { openSqliteStorage } from '../../electron/center/sqlite-storage';
import { JpkiBookingCard } from '../../electron/booking/jpki-card';
import type { BookingCard } from '../../electron/booking/ports';
import { kioskSlotOf, lazyApp, phoneReaderFor, phoneSlotFor } from '../../electron/host/phone';
import {
  AppSimulator,
  centerAccessFor,
  PhoneReaderError,
  type CenterAccess,
  type PhoneReader,
  type PhoneReaderProblem,
} from '../../electron/host/app-simulator';
import { directChannel, JpkiClient } from '../../electron/jpki';
import { MemoryCardStore, readCardFile } from '../../native/card/card-file';
import { loadCard, type LoadedCard } from '../../native/card/card-module';
import type { PersonaId } from '../../native/card/personas';
import { DEV_MASTER_KEY } from '../../native/jpki/reset-mac';
import { CardFactory } from './card-fixtures';
import { tempDir } from './center-fixture';

const DAY_MS = 24 * 3600_000;

/**
 * The phone's reader for these tests: a card placed on it is the card file loaded in this process
 * with changes kept in memory, so tries spent in one test stay on that card for the rest of the
 * test and never reach the file the next test starts from.
 */
class FakePhone implements PhoneReader {
  readonly name = 'Virtual PCD 00 01';
  readonly cards = new Map<string, LoadedCard>();
  placed: string | null = null;
  /** Make the next place() fail like the real reader would. */
  problem: PhoneReaderProblem | null = null;
  readonly events: string[] = [];

  async place(file: string): Promise<void> {
    if (this.problem !== null) throw new PhoneReaderError(this.problem, 'the reader refused');
    if (this.placed !== null) throw new Error('a card is already on the phone');
    let card = this.cards.get(file);
    if (card === undefined) {
      card = loadCard(file, { store: new MemoryCardStore(), lock: false });
      this.cards.set(file, card);
    }
    card.powerOn();
    this.placed = file;
    this.events.push(`place ${path.basename(file)}`);
  }

  card(): BookingCard {
    return new JpkiBookingCard(
      new JpkiClient({
        transmit: async (apdu) => {
          const card = this.placed === null ? undefined : this.cards.get(this.placed);
          if (card === undefined) throw new Error('no card on the phone');
          return card.transmit(apdu);
        },
      }),
    );
  }

  async remove(): Promise<void> {
    if (this.placed !== null) this.events.push('remove');
    this.placed = null;
  }

  async close(): Promise<void> {}

  /** The card's own count of tries left (read without spending one). */
  async triesLeft(file: string, kind: 'sign' | 'auth'): Promise<number> {
    const card = this.cards.get(file);
    if (card === undefined) throw new Error('that card was never placed');
    return new JpkiClient(directChannel(card)).triesLeft(kind);
  }
}

const cards = new CardFactory();
afterAll(() => cards.cleanup());

let center: EmbeddedCenter;
let phone: FakePhone;
let access: CenterAccess | null;
let sim: AppSimulator;
let log: string[];
beforeEach(async () => {
  center = await startEmbeddedCenter({ storage: openSqliteStorage(path.join(tempDir(), 'c.sqlite')), masterKey: DEV_MASTER_KEY });
  phone = new FakePhone();
  access = centerAccessFor({ url: center.url, embedded: center }, {});
  log = [];
  sim = new AppSimulator({ cardDir: cards.dir, phone, center: async () => access, log: (l) => log.push(l) });
});
afterEach(async () => {
  await sim.close();
  await center.close();
});

const kiosk = () => new KioskCenterClient({ baseUrl: center.url, token: center.kioskKeys['kiosk-01'] ?? '' });

async function send(intent: AppIntent): Promise<AppView> {
  const r = await sim.send(intent);
  if (!r.ok) throw new Error(`refused: ${r.problem}`);
  return r.view;
}

/** The persona's card file (named after the persona) and its printed face. */
async function cardOf(persona: PersonaId) {
  const file = await cards.file(persona);
  const h = readCardFile(file).holder;
  return { file, name: persona, cardId: readCardFile(file).cardId, front: { birthDate: h.birthDate, cardExpiry: h.cardExpiry, securityCode: h.securityCode } };
}

async function toOtherPassword(persona: PersonaId, kind: 'sign' | 'auth') {
  const c = await cardOf(persona);
  await send({ type: 'start', card: c.name });
  await send({ type: 'consent', agree: true });
  await send({ type: 'choose-kind', kind });
  const view = await send({ type: 'submit-card-front', ...c.front });
  return { ...c, view };
}

describe('app simulator: booking on the card in the phone', () => {
  it('books 署名用: consent, card face, the auth PIN on the card (a wrong one costs a try there), face check; the card leaves the phone; the kiosk finds the booking', async () => {
    const c = await cardOf('adult');
    expect(sim.view()).toEqual({ state: { step: 'idle' }, busy: false, reader: 'Virtual PCD 00 01' });

    const started = await send({ type: 'start', card: 'adult' });
    expect(started.busy).toBe(false);
    expect(started.state).toEqual({ step: 'consent', card: { name: 'adult', holderName: readCardFile(c.file).holder.name, ...c.front } });
    expect(phone.placed).toBe(c.file);
    expect((await send({ type: 'consent', agree: true })).state.step).toBe('choose-kind');
    expect((await send({ type: 'choose-kind', kind: 'sign' })).state).toMatchObject({ step: 'card-front', kind: 'sign', problem: null });

    const asked = (await send({ type: 'submit-card-front', ...c.front })).state;
    expect(asked).toMatchObject({ step: 'other-password', kind: 'sign', password: 'auth', inputMode: 'numeric', minLength: 4, maxLength: 4, triesLeft: 3, maxTries: 3, problem: null });

    const wrong = (await send({ type: 'submit-other-password', value: '9999' })).state;
    expect(wrong).toMatchObject({ step: 'other-password', triesLeft: 2, problem: 'wrong-password' });
    expect(await phone.triesLeft(c.file, 'auth')).toBe(2);

    expect((await send({ type: 'submit-other-password', value: '1234' })).state).toMatchObject({
      step: 'face-check',
      consecutiveFailures: 0,
      failuresBeforeLock: 5,
      lastFailed: false,
    });
    expect(await phone.triesLeft(c.file, 'auth')).toBe(3);
    expect((await send({ type: 'face-check', passed: false })).state).toMatchObject({ step: 'face-check', failuresBeforeLock: 4, lastFailed: true });
    const booked = (await send({ type: 'face-check', passed: true })).state as AppStateOf<'booked'>;
    expect(booked).toMatchObject({ step: 'booked', kind: 'sign', replaced: null });
    expect(booked.expiresAt - booked.completedAt).toBe(DAY_MS);

    // Off the phone at once, so the trainer can put it on the kiosk.
    expect(phone.placed).toBeNull();
    expect(phone.events).toEqual(['place adult.card.json', 'remove']);
    await expect(kiosk().check(c.cardId, 'sign')).resolves.toMatchObject({ status: 'usable', bookingId: booked.bookingId });

    // Leaving the app after the booking: back to idle.
    expect((await send({ type: 'close' })).state).toEqual({ step: 'idle' });
  });

  it('books 利用者証明用 with the signature password on the keyboard, no face check', async () => {
    const { view, cardId } = await toOtherPassword('adult', 'auth');
    expect(view.state).toMatchObject({ step: 'other-password', password: 'sign', inputMode: 'alphanumeric', minLength: 6, maxLength: 16, triesLeft: 5, maxTries: 5 });
    expect((await send({ type: 'submit-other-password', value: 'ABC123' })).state).toMatchObject({ step: 'booked', kind: 'auth' });
    await expect(kiosk().check(cardId, 'auth')).resolves.toMatchObject({ status: 'usable' });
  });

  it('a card front that cannot be right is caught before the card; one the card disagrees with costs a 照合番号B try', async () => {
    const c = await cardOf('adult');
    await send({ type: 'start', card: c.name });
    await send({ type: 'consent', agree: true });
    await send({ type: 'choose-kind', kind: 'sign' });
    expect((await send({ type: 'submit-card-front', ...c.front, securityCode: '12' })).state).toMatchObject({ step: 'card-front', problem: { field: 'security-code' } });
    const other = c.front.securityCode === '0000' ? '0001' : '0000';
    expect((await send({ type: 'submit-card-front', ...c.front, securityCode: other })).state).toMatchObject({ step: 'card-front', problem: { mismatch: true, triesLeft: 9 } });
    // Dates typed as on the card (1990/01/02) are read the same as 1990-01-02.
    expect((await send({ type: 'submit-card-front', ...c.front, birthDate: c.front.birthDate.replaceAll('-', '/') })).state.step).toBe('other-password');
  });

  it('five failed face checks in a row lock the app for the card; the refusal says so and the card leaves the phone', async () => {
    await toOtherPassword('adult', 'sign');
    await send({ type: 'submit-other-password', value: '1234' });
    let view: AppView | undefined;
    for (let i = 0; i < 5; i++) view = await send({ type: 'face-check', passed: false });
    expect(view?.state).toMatchObject({ step: 'refused', reason: 'app-locked', kind: 'sign' });
    expect(phone.placed).toBeNull();
    // Locked at the center: the next attempt with that card is refused before the card is asked anything.
    await send({ type: 'start', card: 'adult' });
    await send({ type: 'consent', agree: true });
    await send({ type: 'choose-kind', kind: 'auth' });
    const again = await send({ type: 'submit-card-front', ...(await cardOf('adult')).front });
    expect(again.state).toMatchObject({ step: 'refused', reason: 'app-locked' });
  });

  it('the locked other password and a card without a signature certificate are refused with their reasons', async () => {
    expect((await toOtherPassword('auth-locked', 'sign')).view.state).toMatchObject({ step: 'refused', reason: 'password-locked', kind: 'sign' });
    await send({ type: 'close' });
    expect((await toOtherPassword('under15', 'sign')).view.state).toMatchObject({ step: 'refused', reason: 'no-sign-certificate' });
  });

  it('during the center’s maintenance the app refuses and says until when', async () => {
    const now = Date.now();
    const r = await sim.updateCenter({ maintenance: [{ from: now - 60_000, until: now + 3600_000, note: 'test' }] });
    expect(r).toMatchObject({ ok: true, center: { maintenance: [{ from: now - 60_000, until: now + 3600_000 }] } });
    const { view } = await toOtherPassword('adult', 'sign');
    expect(view.state).toMatchObject({ step: 'refused', reason: 'maintenance', until: now + 3600_000 });
  });

  it('やめる ends the session as cancelled and takes the card off; the card was not asked for anything', async () => {
    await send({ type: 'start', card: 'adult' });
    await send({ type: 'consent', agree: true });
    expect((await send({ type: 'cancel' })).state).toMatchObject({ step: 'cancelled' });
    expect(phone.placed).toBeNull();
    expect(await sim.send({ type: 'cancel' })).toEqual({ ok: false, problem: 'not-now' });
    // Not agreeing ends it the same way.
    await send({ type: 'start', card: 'adult' });
    expect((await send({ type: 'consent', agree: false })).state.step).toBe('cancelled');
    expect(phone.placed).toBeNull();
  });

  it('refuses what does not fit, and changes nothing', async () => {
    const refused = (r: AppResult) => (r.ok ? 'accepted' : r.problem);
    expect(refused(await sim.send({ type: 'consent', agree: true }))).toBe('not-now');
    expect(refused(await sim.send({ type: 'start', card: 'nobody' }))).toBe('no-such-card');
    expect(refused(await sim.send({ type: 'start', card: '../adult' }))).toBe('failed');
    expect(refused(await sim.send({ type: 'submit-other-password', value: '1234', extra: 1 }))).toBe('failed');
    phone.problem = 'reader-busy';
    expect(refused(await sim.send({ type: 'start', card: 'adult' }))).toBe('reader-busy');
    phone.problem = null;
    await send({ type: 'start', card: 'adult' });
    expect(refused(await sim.send({ type: 'start', card: 'adult' }))).toBe('not-now');
    expect(refused(await sim.send({ type: 'face-check', passed: true }))).toBe('not-now');
    expect(sim.view().state.step).toBe('consent');
  });

  it('a host that cannot reach the center as the app says so before any card is placed', async () => {
    access = null;
    expect(await sim.send({ type: 'start', card: 'adult' })).toEqual({ ok: false, problem: 'center-unavailable' });
    expect(phone.events).toEqual([]);
    expect(await sim.getCenter()).toEqual({ ok: false, problem: 'unavailable' });
  });

  it('never shows or logs the other password', async () => {
    await toOtherPassword('adult', 'auth');
    const views: AppView[] = [];
    views.push(await send({ type: 'submit-other-password', value: 'WRONG9' }));
    views.push(await send({ type: 'submit-other-password', value: 'ABC123' }));
    expect(JSON.stringify(views) + log.join('\n')).not.toMatch(/WRONG9|ABC123/);
  });
});

describe('app simulator: the center’s clock for the trainer', () => {
  it('+24 h on the center’s clock makes the booking made just now expired at the kiosk; back to real time, usable again', async () => {
    const { cardId } = await toOtherPassword('adult', 'auth');
    await send({ type: 'submit-other-password', value: 'ABC123' });
    const before = await sim.getCenter();
    expect(before).toMatchObject({ ok: true, center: { offsetMs: 0, maintenance: [] } });
    const later = await sim.updateCenter({ offsetMs: DAY_MS });
    expect(later).toMatchObject({ ok: true, center: { offsetMs: DAY_MS } });
    if (later.ok) expect(later.center.now - Date.now()).toBeGreaterThan(DAY_MS - 60_000);
    await expect(kiosk().check(cardId, 'auth')).resolves.toMatchObject({ status: 'expired' });
    await sim.updateCenter({ offsetMs: 0 });
    await expect(kiosk().check(cardId, 'auth')).resolves.toMatchObject({ status: 'usable' });
  });

  it('refuses an empty maintenance window, and anything without trainer access', async () => {
    expect(await sim.updateCenter({ maintenance: [{ from: 10, until: 10 }] })).toEqual({ ok: false, problem: 'maintenance-window-empty' });
    access = { app: new AppCenterClient({ baseUrl: center.url, token: center.appToken }), admin: null };
    expect(await sim.updateCenter({ offsetMs: DAY_MS })).toEqual({ ok: false, problem: 'unavailable' });
    const admin = new AdminCenterClient({ baseUrl: center.url, token: center.adminToken });
    expect((await admin.clock()).offsetMs).toBe(0);
  });
});

describe('app simulator: wiring', () => {
  it('the phone uses the vpcd slot the kiosk does not', () => {
    expect(kioskSlotOf('')).toBe(0);
    expect(phoneSlotFor('')).toBe(1);
    expect(phoneSlotFor('Virtual PCD 00 00')).toBe(1);
    expect(phoneSlotFor('Virtual PCD 00 01')).toBe(0);
    expect(phoneReaderFor('')).toBe('Virtual PCD 00 01');
  });

  it('the hosts load the simulator on first use: idle until then, and closing an unloaded one loads nothing', async () => {
    let loads = 0;
    const lazy = lazyApp(async () => {
      loads++;
      return sim;
    }, 'Virtual PCD 00 01');
    expect(lazy.view()).toEqual({ state: { step: 'idle' }, busy: false, reader: 'Virtual PCD 00 01' });
    await lazy.close();
    expect(loads).toBe(0);
    expect(await lazy.send({ type: 'start', card: 'adult' })).toMatchObject({ ok: true, view: { state: { step: 'consent' } } });
    expect(lazy.view().state.step).toBe('consent');
    await lazy.getCenter();
    expect(loads).toBe(1);
  });

  it('center access: the embedded center’s own tokens, or the environment’s for an external one', () => {
    expect(centerAccessFor({ url: 'http://127.0.0.1:1', embedded: undefined }, {})).toBeNull();
    expect(centerAccessFor({ url: 'http://127.0.0.1:1', embedded: undefined }, { KIOSK_SIM_APP_TOKEN: 'a' })).toMatchObject({ admin: null });
    expect(centerAccessFor({ url: 'http://127.0.0.1:1', embedded: undefined }, { KIOSK_SIM_APP_TOKEN: 'a', KIOSK_SIM_ADMIN_TOKEN: 'b' })?.admin).not.toBeNull();
  });
});
