/**
 * Every interruption of a reset, from a table, against the real pieces: the virtual My Number card
 * (in process, behind a stand-in for the PC/SC reader service), the JPKI client and card adapter,
 * the reservation center (Fastify + SQLite over real HTTP, behind a fault proxy), the kiosk core and
 * its journal file. docs/reset-protocol.md is the protocol under test; its promise is the oracle:
 *
 *   a reservation is spent if and only if the card took the new password.
 *
 * Each case interrupts a first try, then heals the fault (the center resumes or comes back, the
 * kiosk restarts) and lets the citizen do what the screen said: place the card again. Checked each
 * time: what the screen said, the card's password, the booking's state, and the journal; at the end
 * the booking is used exactly once and the card holds the password of the try that reached it.
 *
 * The proxy stands in for the center's failures as a kiosk sees them: `stop` holds requests and
 * lets the center process them after the kiosk gave up (a SIGSTOPped center); `slow` answers after
 * the kiosk's timeout; `kill` lets the center commit, then cuts the answer and refuses everything
 * until restarted (a center killed after its commit: the worst case for the kiosk); `5xx` answers 503
 * without the center seeing the request. The center's own crash safety is center-crash.test.ts.
 */
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Intent, Screen } from '../../electron/contract/kiosk';
import { AdminCenterClient, KioskCenterClient } from '../../electron/center/client';
import { startEmbeddedCenter, type EmbeddedCenter } from '../../electron/center/embedded';
import { openSqliteStorage } from '../../electron/center/sqlite-storage';
import { directChannel, JpkiClient } from '../../electron/jpki';
import { PcscCardReader, type ReleasableChannel } from '../../electron/kiosk/adapters/card-reader';
import { CenterAdapter } from '../../electron/kiosk/adapters/center';
import { systemScheduler } from '../../electron/kiosk/adapters/system';
import { FileResetJournal } from '../../electron/kiosk/journal';
import type { JournalBegin, JournalEntry, JournalState, ResetJournal } from '../../electron/kiosk/ports';
import { MemoryEventRecord } from '../../electron/kiosk/record';
import { KioskCore } from '../../electron/kiosk/session';
import { SettingsStore } from '../../electron/kiosk/settings';
import { MemoryCardStore } from '../../native/card/card-file';
import { loadCard, type LoadedCard } from '../../native/card/card-module';
import { createCard } from '../../native/card/issue';
import { DEV_MASTER_KEY } from '../../native/jpki/reset-mac';
import { PcscError, type ReaderState } from '../../native/pcsc';
import { tempCardDir } from './card-fixtures';

const READER = 'Virtual PCD 00 00';
const OTHER = '1234'; // the adult persona's 利用者証明用 PIN: the other password for a 署名用 reset
const OLD = 'ABC123';
const FIRST = 'FIRST1PW';
const SECOND = 'SECOND2PW';
/** Inside 06:30–23:00 Japan time, so the test runs at any hour. */
const AT_10_JST = Date.parse('2026-11-25T10:00:00+09:00');

const dir = tempCardDir('reset-interruptions-');
let cardFile: string;
beforeAll(async () => {
  cardFile = (await createCard('adult', { dir, masterKey: DEV_MASTER_KEY })).file;
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

// ---------------------------------------------------------------------------------------------
// The reader: the real card adapter over a stand-in for the PC/SC service, with a hand that can
// pull the card before the card sees an APDU, or after it answered and before the answer arrives.

type Pull = { readonly at: number; readonly when: 'before' | 'after' };

class Reader extends EventEmitter<{ state: [ReaderState] }> {
  state: ReaderState = { status: 'no-card', reader: READER };
  card: LoadedCard | null = null;
  /** APDUs (hex, header only) sent since `count()` was armed. */
  readonly sent: string[] = [];
  #counting = false;
  #pull: Pull | null = null;

  insert(card: LoadedCard): void {
    card.powerOn();
    this.card = card;
    this.#set({ status: 'card-present', reader: READER, atr: Buffer.from(card.atr) });
  }
  remove(): void {
    this.card?.powerOff();
    this.card = null;
    this.#set({ status: 'no-card', reader: READER });
  }
  /** From now on, count APDUs; pull the card at the `at`-th one (0-based), if given. */
  arm(pull: Pull | null): void {
    this.sent.length = 0;
    this.#counting = true;
    this.#pull = pull;
  }
  #set(s: ReaderState): void {
    this.state = s;
    this.emit('state', s);
  }
  async connect(): Promise<ReleasableChannel> {
    const card = this.card;
    if (card === null) throw new PcscError('NO_CARD', 'no card');
    return {
      transmit: async (apdu: Buffer) => {
        if (this.card !== card) throw new PcscError('CARD_REMOVED', 'card removed');
        const index = this.sent.length;
        if (this.#counting) this.sent.push(apdu.subarray(0, 4).toString('hex').toUpperCase());
        const pull = this.#counting && this.#pull?.at === index ? this.#pull : null;
        if (pull?.when === 'before') {
          this.remove();
          throw new PcscError('CARD_REMOVED', 'card removed');
        }
        const answer = card.transmit(apdu);
        if (pull?.when === 'after') {
          this.remove();
          throw new PcscError('CARD_REMOVED', 'card removed before its answer arrived');
        }
        return answer;
      },
      disconnect: async () => undefined,
    };
  }
}

// ---------------------------------------------------------------------------------------------
// The center behind a fault proxy

type Route = 'check' | 'authorize' | 'confirm' | 'release';
type Fault = 'stop' | 'slow' | 'kill' | '5xx';

class FaultProxy {
  readonly server: http.Server;
  faults = new Map<Route, Fault>();
  #down = false;
  #held: (() => void)[] = [];
  #inFlight = new Set<Promise<void>>();
  url = '';

  constructor(private readonly target: string) {
    this.server = http.createServer((req, res) => {
      const done = this.#handle(req, res).catch(() => void res.destroy());
      this.#inFlight.add(done);
      void done.finally(() => this.#inFlight.delete(done));
    });
  }

  async listen(): Promise<void> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    const a = this.server.address();
    if (a === null || typeof a === 'string') throw new Error('no address');
    this.url = `http://127.0.0.1:${a.port}`;
  }

  /** The center is healthy again: held requests go through (after the kiosk gave up on them). */
  async heal(): Promise<void> {
    this.faults.clear();
    this.#down = false;
    for (const go of this.#held.splice(0)) go();
    while (this.#inFlight.size > 0) await Promise.all([...this.#inFlight]);
  }

  async close(): Promise<void> {
    await this.heal();
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  async #handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    if (this.#down) return void res.destroy();
    const route = /\/v1\/kiosk\/(\w+)$/.exec(req.url ?? '')?.[1] as Route | undefined;
    const fault = route === undefined ? undefined : this.faults.get(route);
    const forward = () =>
      fetch(this.target + (req.url ?? ''), { method: req.method ?? 'GET', headers: { authorization: req.headers.authorization ?? '', 'content-type': 'application/json' }, ...(body.length > 0 && { body }) });
    switch (fault) {
      case undefined: {
        const r = await forward();
        res.writeHead(r.status, { 'content-type': r.headers.get('content-type') ?? 'application/json' }).end(Buffer.from(await r.arrayBuffer()));
        return;
      }
      case '5xx':
        res.writeHead(503, { 'content-type': 'text/plain' }).end('unavailable');
        return;
      case 'stop':
        await new Promise<void>((go) => this.#held.push(go));
        await forward();
        res.destroy();
        return;
      case 'slow':
        await new Promise((r) => setTimeout(r, 700));
        await forward();
        res.destroy();
        return;
      case 'kill':
        await forward(); // committed by the center …
        this.#down = true; // … which then dies: nothing answers until it is back
        res.destroy();
        return;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// The kiosk's journal, with a host that can die right after a journal step

type KillAt = 'before-begin' | JournalState;

class DyingJournal implements ResetJournal {
  constructor(
    readonly inner: FileResetJournal,
    private readonly killAt: KillAt | null,
    private readonly die: () => void,
  ) {}
  #dead(): Promise<never> {
    this.die();
    return new Promise<never>(() => undefined);
  }
  async begin(req: JournalBegin): Promise<JournalEntry> {
    if (this.killAt === 'before-begin') return this.#dead();
    const e = await this.inner.begin(req);
    return this.killAt === 'writing' ? this.#dead() : e;
  }
  async mark(entryId: string, state: Exclude<JournalState, 'writing'>): Promise<void> {
    await this.inner.mark(entryId, state);
    if (this.killAt === state) return this.#dead();
  }
  unsettled(): Promise<JournalEntry[]> {
    return this.inner.unsettled();
  }
  compact(): Promise<void> {
    return this.inner.compact();
  }
}

// ---------------------------------------------------------------------------------------------
// One kiosk, one card, one center

interface World {
  readonly card: LoadedCard;
  readonly reader: Reader;
  readonly center: EmbeddedCenter;
  readonly proxy: FaultProxy;
  readonly journalFile: string;
  readonly bookingId: string;
  readonly cardId: string;
  core: KioskCore;
  dead: boolean;
}

const worlds: World[] = [];
afterEach(async () => {
  for (const w of worlds.splice(0)) {
    w.core.stop();
    await w.proxy.close();
    await w.center.close();
  }
});

function newCore(w: Pick<World, 'reader' | 'proxy' | 'center' | 'journalFile'>, killAt: KillAt | null, onDie: () => void): KioskCore {
  const settings = new SettingsStore(null, { clock: { mode: 'offset', offsetMs: AT_10_JST - Date.now() } });
  const client = new KioskCenterClient({ baseUrl: w.proxy.url, token: w.center.kioskKeys['kiosk-01'] ?? '', timeoutMs: 250, retries: 2, retryDelayMs: 20 });
  const journal = new DyingJournal(new FileResetJournal(w.journalFile), killAt, onDie);
  return new KioskCore({
    reader: new PcscCardReader(w.reader, () => AT_10_JST),
    center: new CenterAdapter(client),
    journal,
    events: new MemoryEventRecord(),
    settings,
    scheduler: systemScheduler,
    operationTimeoutMs: 3000,
  });
}

async function world(killAt: KillAt | null = null): Promise<World> {
  const card = loadCard(cardFile, { store: new MemoryCardStore(), lock: false });
  const reader = new Reader();
  const storageDir = fs.mkdtempSync(path.join(dir, 'center-'));
  const center = await startEmbeddedCenter({ storage: openSqliteStorage(path.join(storageDir, 'center.sqlite')), masterKey: DEV_MASTER_KEY, kioskKeys: { 'kiosk-01': 'kiosk-01-token-for-tests' } });
  const proxy = new FaultProxy(center.url);
  await proxy.listen();
  // The card id the center knows the card by: its auth certificate's serial.
  card.powerOn();
  const { cardId } = await new JpkiClient(directChannel(card)).identify();
  card.powerOff();
  if (cardId === null) throw new Error('the card has no id');
  const admin = new AdminCenterClient({ baseUrl: center.url, token: center.adminToken });
  const { bookingId } = await admin.create({ cardId, kind: 'sign', completedAt: (await admin.clock()).now - 60_000 });
  const journalFile = path.join(storageDir, 'journal.jsonl');
  const w: World = { card, reader, center, proxy, journalFile, bookingId, cardId, dead: false, core: undefined as unknown as KioskCore };
  w.core = newCore(w, killAt, () => {
    w.dead = true;
  });
  await w.core.start();
  worlds.push(w);
  return w;
}

const screen = (w: World): Screen => w.core.snapshot().screen;

async function until(what: string, cond: () => boolean, ms = 8000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

async function send(w: World, ...intents: Intent[]): Promise<void> {
  for (const i of intents) {
    const r = w.core.send(i);
    if (!r.accepted) throw new Error(`${i.type} refused on ${screen(w).id}: ${r.reason}`);
  }
}

const settled = (w: World) => w.dead || !['progress'].includes(screen(w).id);

/** From the top screen to the card on the reader and the check done. */
async function toCheck(w: World): Promise<void> {
  await send(w, { type: 'choose-service', service: 'admin' }, { type: 'choose-admin-item', item: 'my-number-card' }, { type: 'choose-card-option', option: 'reset-sign' }, { type: 'agree' });
  w.reader.insert(w.card);
  await until('the check', () => settled(w));
}

/** The other password, then (`beforeNew`: the hand gets ready) the new one twice; waits for the outcome. */
async function enterPasswords(w: World, value: string, beforeNew: () => void = () => undefined): Promise<void> {
  await send(w, { type: 'submit-other-password', value: OTHER });
  await until('the other password', () => settled(w));
  expect(screen(w)).toMatchObject({ id: 'new-password', step: 'first' });
  beforeNew();
  await send(w, { type: 'submit-new-password', value }, { type: 'submit-new-password', value });
  await until('the reset', () => w.dead || settled(w));
}

/** The card's password, asked the card itself (a right guess costs nothing). */
async function cardHas(w: World, value: string): Promise<boolean> {
  w.card.powerOn();
  try {
    const client = new JpkiClient(directChannel(w.card));
    await client.identify();
    return (await client.verify('sign', value)).result === 'verified';
  } finally {
    w.card.powerOff();
  }
}

async function booking(w: World) {
  const b = await w.center.storage.readBooking(w.bookingId);
  if (b === undefined) throw new Error('booking lost');
  return b;
}

/** The citizen does as the screen says: takes the card, and the kiosk is back on the top screen. */
async function walkAway(w: World): Promise<void> {
  if (w.reader.card !== null) w.reader.remove();
  for (let i = 0; i < 3 && screen(w).id !== 'top'; i++) {
    const s = screen(w);
    if (s.id === 'guidance') w.core.send({ type: 'acknowledge' });
    else if (s.id === 'done') w.core.send({ type: 'acknowledge' });
    await until('the top screen', () => screen(w).id !== s.id || screen(w).id === 'top', 2000).catch(() => undefined);
  }
}

/** After the fault: the center heals, a dead kiosk restarts on its journal, the citizen walks away. */
async function heal(w: World): Promise<void> {
  await w.proxy.heal();
  if (w.dead) {
    w.core.stop();
    w.reader.remove(); // pcscd resets the card when the dying process lets it go
    w.core = newCore(w, null, () => undefined);
    w.dead = false;
    await w.core.start();
  } else {
    await walkAway(w);
  }
  await w.core.settle();
}

/**
 * The second try, as the first one's screen told the citizen: the reset goes through if the card
 * still has its old password; if the first try reached the card, the kiosk says so and stops.
 */
async function secondTry(w: World, firstReachedCard: boolean): Promise<void> {
  await toCheck(w);
  if (firstReachedCard) {
    expect(screen(w)).toMatchObject({ id: 'guidance', reason: 'reset-already-done', changed: 'reset-completed', next: 'nothing-to-do' });
  } else {
    expect(screen(w)).toMatchObject({ id: 'other-password' });
    await enterPasswords(w, SECOND);
    expect(screen(w)).toEqual({ id: 'done', kind: 'sign' });
  }
}

/** The promise, at the end: used exactly once, and the card has the password of the try that reached it. */
async function expectSpentOnce(w: World, firstReachedCard: boolean): Promise<void> {
  const b = await booking(w);
  expect(b.booking.state).toBe('used');
  expect(b.history.filter((h) => h.state === 'used')).toHaveLength(1);
  expect(await cardHas(w, firstReachedCard ? FIRST : SECOND)).toBe(true);
  expect(await new FileResetJournal(w.journalFile).unsettled()).toEqual([]);
  // No PIN value in the journal, whatever happened. The short ones could occur inside a random id or
  // a challenge's hex by chance, so those are looked for as whole values; the new passwords hold
  // letters that no hex or UUID has, so anywhere.
  const journal = fs.existsSync(w.journalFile) ? fs.readFileSync(w.journalFile, 'utf8') : '';
  for (const v of [FIRST, SECOND]) expect(journal).not.toContain(v);
  const values = journal
    .split('\n')
    .filter((l) => l.trim() !== '')
    .flatMap((l) => Object.values(JSON.parse(l) as Record<string, unknown>));
  for (const v of [OLD, OTHER]) expect(values).not.toContain(v);
}

/**
 * After the first try was cut off: the card holds what it reached, nothing is spent for nothing
 * before or after the fault heals (a reset that reached the card is confirmed by then), and the
 * second try ends the way the screen promised, with the reservation spent exactly once.
 */
async function thenTheCitizenComesBack(w: World, reached: boolean): Promise<void> {
  expect(await cardHas(w, reached ? FIRST : OLD)).toBe(true);
  await expectNeverSpentForNothing(w);
  await heal(w);
  await expectNeverSpentForNothing(w);
  if (reached) expect((await booking(w)).booking.state).toBe('used');
  await secondTry(w, reached);
  await expectSpentOnce(w, reached);
}

/** While the first try's outcome is settled or unknown: never spent with the old password on the card. */
async function expectNeverSpentForNothing(w: World): Promise<void> {
  if ((await booking(w)).booking.state === 'used') expect(await cardHas(w, FIRST)).toBe(true);
}

// ---------------------------------------------------------------------------------------------

/**
 * The commands of a reset after the new password is entered, by INS, in order (docs/reset-protocol.md,
 * "One reset"): the uninterrupted case checks the client sends exactly these, so the table below
 * interrupts every one of them.
 */
const RESET_APDUS = [
  ['84', 'GET CHALLENGE'],
  ['CA', 'GET RESET RECEIPT'],
  ['82', 'EXTERNAL AUTHENTICATE'],
  ['2C', 'RESET RETRY COUNTER'],
] as const;

describe('reset interruptions (docs/reset-protocol.md)', { timeout: 30_000 }, () => {
  it('an uninterrupted reset: done, the card has the new password, the booking is used once', async () => {
    const w = await world();
    await toCheck(w);
    expect(screen(w)).toMatchObject({ id: 'other-password' });
    await enterPasswords(w, FIRST, () => w.reader.arm(null));
    expect(screen(w)).toEqual({ id: 'done', kind: 'sign' });
    expect(w.reader.sent.map((h) => h.slice(2, 4))).toEqual(RESET_APDUS.map(([ins]) => ins));
    await heal(w);
    await expectSpentOnce(w, true);
  });

  describe('the card pulled at each APDU of the reset', () => {
    it.each(RESET_APDUS.flatMap(([ins, name], at) => (['before', 'after'] as const).map((when) => [name, when, at, ins] as const)))(
      '%s, pulled %s the card saw it / answered',
      async (_name, when, at, ins) => {
        const w = await world();
        await toCheck(w);
        await enterPasswords(w, FIRST, () => w.reader.arm({ at, when }));
        const isWrite = ins === '2C';
        const reached = isWrite && when === 'after';
        expect(screen(w)).toMatchObject({ id: 'guidance', reason: 'card-removed', changed: isWrite ? 'unknown' : 'not-written' });
        expect(await cardHas(w, reached ? FIRST : OLD)).toBe(true);
        await expectNeverSpentForNothing(w);
        // Not written for sure: given back at once, the citizen can try again.
        if (!isWrite) expect((await booking(w)).booking.state).toBe('booked');
        // Cannot tell: neither spent nor given back until the card says.
        if (isWrite) expect((await booking(w)).booking.state).toBe('authorized');
        await heal(w);
        await expectNeverSpentForNothing(w);
        await secondTry(w, reached);
        await expectSpentOnce(w, reached);
      },
    );
  });

  describe('the center fails', () => {
    it.each<[Route, Fault]>([
      ['check', 'stop'],
      ['check', 'slow'],
      ['check', 'kill'],
      ['check', '5xx'],
      ['authorize', 'stop'],
      ['authorize', 'slow'],
      ['authorize', 'kill'],
      ['authorize', '5xx'],
      ['confirm', 'stop'],
      ['confirm', 'slow'],
      ['confirm', 'kill'],
      ['confirm', '5xx'],
    ])('at %s: %s', async (route, fault) => {
      const w = await world();
      if (route === 'check') {
        w.proxy.faults.set('check', fault);
        await toCheck(w);
        expect(screen(w)).toMatchObject({ id: 'guidance', reason: 'center-unavailable', changed: 'nothing' });
      } else {
        await toCheck(w);
        w.proxy.faults.set(route, fault);
        await enterPasswords(w, FIRST);
      }
      const reached = route === 'confirm';
      if (route === 'authorize') expect(screen(w)).toMatchObject({ id: 'guidance', reason: 'center-unavailable', changed: 'not-written' });
      // The card is written; the kiosk confirms from its journal later.
      if (route === 'confirm') expect(screen(w)).toEqual({ id: 'done', kind: 'sign' });
      await thenTheCitizenComesBack(w, reached);
    });
  });

  describe('the kiosk host dies at each journal step', () => {
    it.each<[KillAt, boolean, string]>([
      ['before-begin', false, 'authorized, nothing journaled, the card untouched'],
      ['writing', false, 'journaled, the card not yet written'],
      ['card-reset', true, 'the card took it, the confirm not sent'],
      ['confirmed', true, 'all done'],
    ])('%s (%s: %s)', async (killAt, reached, _what) => {
      const w = await world(killAt);
      await toCheck(w);
      await enterPasswords(w, FIRST);
      expect(w.dead).toBe(true);
      await thenTheCitizenComesBack(w, reached);
    });

    it('not-reset (the card pulled before EXTERNAL AUTHENTICATE, the host dies as it journals that): given back at restart', async () => {
      const w = await world('not-reset');
      await toCheck(w);
      const at = RESET_APDUS.findIndex(([ins]) => ins === '82');
      await enterPasswords(w, FIRST, () => w.reader.arm({ at, when: 'before' }));
      expect(w.dead).toBe(true);
      expect((await booking(w)).booking.state).toBe('authorized');
      await heal(w);
      // The restart gave it back before anyone placed a card.
      expect((await booking(w)).booking.state).toBe('booked');
      await secondTry(w, false);
      await expectSpentOnce(w, false);
    });
  });
});
