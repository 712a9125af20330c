/**
 * The card adapter (reader service + JPKI client → CardReader port) with the simulator's virtual
 * My Number cards in-process: each persona leads the kiosk core to the outcome it is made for, a
 * reset really changes the card, and reader states and errors map to what the screens need.
 */
import { EventEmitter } from 'node:events';
import { afterAll, describe, expect, it } from 'vitest';
import type { Intent } from '../../electron/contract/kiosk';
import type { ResetKind } from '../../electron/domain/passwords';
import { JpkiError } from '../../electron/jpki';
import { cardErrorOf, endOfJstDay, PcscCardReader, readerStatusOf, type ReleasableChannel } from '../../electron/kiosk/adapters/card-reader';
import { FileResetJournal } from '../../electron/kiosk/journal';
import { MemoryEventRecord } from '../../electron/kiosk/record';
import { KioskCore } from '../../electron/kiosk/session';
import { SettingsStore } from '../../electron/kiosk/settings';
import { MemoryCardStore } from '../../native/card/card-file';
import { loadCard, type LoadedCard } from '../../native/card/card-module';
import { createCard } from '../../native/card/issue';
import { PERSONAS, type PersonaId } from '../../native/card/personas';
import { DEV_MASTER_KEY } from '../../native/jpki/reset-mac';
import { PcscError, type ReaderState } from '../../native/pcsc';
import { FakeCenter, FakeScheduler, flush } from '../fakes/kiosk';
import { tempCardDir } from './card-fixtures';
import fs from 'node:fs';
import path from 'node:path';

const READER = 'Virtual PCD 00 00';
const dir = tempCardDir('kiosk-card-adapter-');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const files = new Map<PersonaId, Promise<string>>();
async function freshCard(persona: PersonaId): Promise<LoadedCard> {
  let f = files.get(persona);
  if (f === undefined) {
    f = createCard(persona, { dir, masterKey: DEV_MASTER_KEY }).then((c) => c.file);
    files.set(persona, f);
  }
  return loadCard(await f, { store: new MemoryCardStore(), lock: false });
}

/** Stands in for PcscReaderService: one reader, a card that can be placed and taken away. */
class StandInService extends EventEmitter<{ state: [ReaderState] }> {
  state: ReaderState = { status: 'no-card', reader: READER };
  card: LoadedCard | null = null;
  insert(card: LoadedCard): void {
    card.powerOn();
    this.card = card;
    this.set({ status: 'card-present', reader: READER, atr: Buffer.from(card.atr) });
  }
  remove(): void {
    this.card = null;
    this.set({ status: 'no-card', reader: READER });
  }
  set(s: ReaderState): void {
    this.state = s;
    this.emit('state', s);
  }
  async connect(): Promise<ReleasableChannel> {
    const card = this.card;
    if (card === null) throw new PcscError('NO_CARD', 'no card');
    return {
      transmit: async (apdu: Buffer) => {
        if (this.card !== card) throw new PcscError('CARD_REMOVED', 'card removed');
        return card.transmit(apdu);
      },
      disconnect: async () => undefined,
    };
  }
}

async function kioskWith(persona: PersonaId) {
  const card = await freshCard(persona);
  const service = new StandInService();
  const settings = new SettingsStore(null);
  const center = new FakeCenter(() => Date.now());
  const core = new KioskCore({
    reader: new PcscCardReader(service, () => Date.now()),
    center,
    journal: new FileResetJournal(path.join(dir, `journal-${persona}-${Math.random()}.jsonl`)),
    events: new MemoryEventRecord(),
    settings,
    scheduler: new FakeScheduler(),
  });
  await core.start();
  const send = async (...intents: Intent[]) => {
    for (const i of intents) {
      core.send(i);
      await flush();
    }
  };
  return { card, service, center, core, send, book: (kind: ResetKind, cardId: string) => center.book(cardId, kind, Date.now() - 60_000) };
}

async function placeFor(k: Awaited<ReturnType<typeof kioskWith>>, kind: ResetKind) {
  // Hours: a fixed simulated time inside 06:30–23:00 so the test runs at any hour.
  k.core.updateSettings({ clock: { mode: 'offset', offsetMs: Date.parse('2026-11-25T10:00:00+09:00') - Date.now() } });
  await k.send({ type: 'choose-service', service: 'admin' }, { type: 'choose-admin-item', item: 'my-number-card' }, { type: 'choose-card-option', option: kind === 'sign' ? 'reset-sign' : 'reset-auth' }, { type: 'agree' });
  k.service.insert(k.card);
  for (let i = 0; i < 50 && k.core.snapshot().screen.id === 'progress'; i++) await flush();
}

function pin(persona: PersonaId, which: ResetKind): string {
  const v = PERSONAS[persona].pins[which];
  if (typeof v !== 'string') throw new Error('no known PIN');
  return v;
}

describe('card adapter with virtual cards', () => {
  it('adult, 署名用 reset: the card takes the new password (VERIFY with it then succeeds)', async () => {
    const k = await kioskWith('adult');
    // Book for the card id the center will see: the auth certificate serial, read through the adapter.
    const probe = new PcscCardReader(k.service, () => Date.now());
    k.service.insert(k.card);
    const session = await probe.open();
    const info = await session.readCardInfo();
    k.service.remove();
    expect(info).toMatchObject({ isMyNumberCard: true, isSimulatorCard: true, certificates: { auth: 'valid', sign: 'valid' }, triesLeft: { auth: 3, sign: 5 } });
    k.book('sign', info.cardId!);

    await placeFor(k, 'sign');
    expect(k.core.snapshot().screen).toMatchObject({ id: 'other-password', password: 'auth', triesLeft: 3 });
    await k.send({ type: 'submit-other-password', value: pin('adult', 'auth') }, { type: 'submit-new-password', value: 'FRESH42' }, { type: 'submit-new-password', value: 'FRESH42' });
    for (let i = 0; i < 50 && k.core.snapshot().screen.id === 'progress'; i++) await flush();
    expect(k.core.snapshot().screen).toEqual({ id: 'done', kind: 'sign' });
    // The card itself: the new password verifies.
    const check = await new PcscCardReader(k.service, () => Date.now()).open();
    await check.readCardInfo();
    expect(await check.verify('sign', 'FRESH42')).toEqual({ result: 'verified' });
    k.core.stop();
  });

  it.each<[PersonaId, ResetKind, string]>([
    ['under15', 'sign', 'no-signature-certificate'],
    ['under15', 'auth', 'no-signature-certificate'],
    ['sign-lapsed', 'sign', 'certificate-revoked'],
    ['cert-expired', 'sign', 'certificate-expired'],
    ['card-expired', 'sign', 'card-expired'],
    ['auth-locked', 'sign', 'other-password-locked'],
    ['sign-locked', 'auth', 'other-password-locked'],
  ])('%s, %s reset → %s', async (persona, kind, reason) => {
    const k = await kioskWith(persona);
    await placeFor(k, kind);
    expect(k.core.snapshot().screen).toMatchObject({ id: 'guidance', reason, changed: 'nothing' });
    k.core.stop();
  });

  it('a locked target password is what the kiosk is for: auth-locked, 利用者証明用 reset reaches the password screen', async () => {
    const k = await kioskWith('auth-locked');
    const probe = new PcscCardReader(k.service, () => Date.now());
    k.service.insert(k.card);
    const info = await (await probe.open()).readCardInfo();
    k.service.remove();
    k.book('auth', info.cardId!);
    await placeFor(k, 'auth');
    expect(k.core.snapshot().screen).toMatchObject({ id: 'other-password', password: 'sign', triesLeft: 5 });
    k.core.stop();
  });
});

describe('card adapter mappings', () => {
  it('reader states', () => {
    expect(readerStatusOf({ status: 'starting' })).toEqual({ state: 'unavailable', name: null });
    expect(readerStatusOf({ status: 'pcscd-unavailable', detail: 'x' })).toEqual({ state: 'unavailable', name: null });
    expect(readerStatusOf({ status: 'no-reader', selector: { name: READER } })).toEqual({ state: 'no-reader', name: null });
    expect(readerStatusOf({ status: 'no-card', reader: READER })).toEqual({ state: 'empty', name: READER });
    expect(readerStatusOf({ status: 'card-mute', reader: READER })).toEqual({ state: 'card-present', name: READER });
  });

  it('errors', () => {
    const transport = (code: ConstructorParameters<typeof PcscError>[0]) => new JpkiError('TRANSPORT', 'x', undefined, { cause: new PcscError(code, 'y') });
    expect(cardErrorOf(transport('CARD_REMOVED')).code).toBe('CARD_REMOVED');
    expect(cardErrorOf(transport('PCSCD_NOT_RUNNING')).code).toBe('READER_UNAVAILABLE');
    expect(cardErrorOf(transport('TIMEOUT')).code).toBe('CARD_ERROR');
    expect(cardErrorOf(new JpkiError('REAL_CARD_READ_ONLY', 'x')).code).toBe('NOT_SIMULATOR_CARD');
    expect(cardErrorOf(new JpkiError('AUTH_FAILED', 'x', 0x6300)).code).toBe('CARD_REFUSED');
    expect(cardErrorOf(new PcscError('READER_REMOVED', 'x')).code).toBe('READER_UNAVAILABLE');
  });

  it('card expiry: valid through the printed day, Japan time', () => {
    expect(endOfJstDay('2030-03-31')).toBe(Date.parse('2030-04-01T00:00:00+09:00'));
    expect(endOfJstDay('garbage')).toBeNull();
  });
});
