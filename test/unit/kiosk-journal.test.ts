/**
 * The in-flight reset journal: a kiosk that dies between the card reset and the center confirm
 * settles on restart, so the reservation ends up used exactly once; an entry the card did not take
 * gives the reservation back; an entry whose card left mid-write waits for the card's receipt; torn
 * lines from a crash mid-append are ignored; nothing in the journal is a password.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { entryOutcome, FileResetJournal, settleJournal } from '../../electron/kiosk/journal';
import { encodeResetReceipt } from '../../native/jpki/reset-receipt';
import { MemoryEventRecord } from '../../electron/kiosk/record';
import { KioskCore } from '../../electron/kiosk/session';
import { SettingsStore } from '../../electron/kiosk/settings';
import { FakeCard, FakeCenter, FakeReader, FakeScheduler, flush } from '../fakes/kiosk';

const JST = 9 * 3600_000;
const AT_10 = Date.UTC(2026, 10, 25, 10, 0) - JST;

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});
function tmp(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'kiosk-journal-'));
  dirs.push(d);
  return d;
}

const CHALLENGE = '00112233445566AA';
const REQ = { cardId: '0A1B2C3D', kind: 'sign' as const, reservationId: 'R-1', authorizationId: 'A-R-1', challenge: CHALLENGE, resetCount: 2, challengeSeq: 7 };
const KEY = Buffer.alloc(32, 1); // the kiosk reads receipts without the key: any key makes a well-formed one
const receipt = (resetCount: number, lastChallenge: string | null, challengeSeq: number) =>
  encodeResetReceipt(KEY, 'sign', { resetCount, lastChallenge, currentChallenge: 'FFEEDDCCBBAA9988', challengeSeq });

describe('journal file', () => {
  it('keeps the latest state of each entry; writing, card-reset and not-reset are unsettled', async () => {
    const j = new FileResetJournal(path.join(tmp(), 'j.jsonl'));
    const a = await j.begin(REQ);
    const b = await j.begin({ ...REQ, reservationId: 'R-2' });
    const c = await j.begin({ ...REQ, reservationId: 'R-3' });
    await j.mark(b.entryId, 'card-reset');
    await j.mark(c.entryId, 'not-reset');
    expect((await j.unsettled()).map((e) => [e.reservationId, e.state])).toEqual([
      ['R-1', 'writing'],
      ['R-2', 'card-reset'],
      ['R-3', 'not-reset'],
    ]);
    await j.mark(a.entryId, 'confirmed');
    await j.mark(b.entryId, 'confirmed');
    await j.mark(c.entryId, 'released');
    expect(await j.unsettled()).toEqual([]);
    // What a restart needs to settle from the card's receipt is on disk with the entry.
    expect((await j.all())[0]).toMatchObject({ challenge: CHALLENGE, resetCount: 2, challengeSeq: 7 });
  });

  it('reads an entry from before receipts existed (no challenge): only a confirm can settle it', async () => {
    const file = path.join(tmp(), 'j.jsonl');
    fs.writeFileSync(file, JSON.stringify({ entryId: 'old-1', cardId: '0A1B2C3D', kind: 'sign', reservationId: 'R-1', authorizationId: 'A-R-1', state: 'writing', at: 1 }) + '\n');
    const j = new FileResetJournal(file);
    const [e] = await j.unsettled();
    expect(e).toMatchObject({ entryId: 'old-1', state: 'writing', challenge: '', resetCount: null, challengeSeq: null });
    expect(entryOutcome(e!, receipt(3, CHALLENGE, 9))).toBeNull();
  });

  it.each<[string, Uint8Array, 'card-reset' | 'not-reset' | null]>([
    ['the card’s last reset used the entry’s challenge', receipt(3, CHALLENGE, 8), 'card-reset'],
    ['a later challenge, no reset since', receipt(2, 'ABABABABABABABAB', 8), 'not-reset'],
    ['a later challenge, one reset since with another challenge', receipt(3, 'ABABABABABABABAB', 9), 'not-reset'],
    ['a receipt not newer than the entry’s challenge', receipt(2, 'ABABABABABABABAB', 7), null],
    ['two resets since, the last with another challenge', receipt(4, 'ABABABABABABABAB', 12), null],
    ['a malformed receipt', Buffer.alloc(10), null],
  ])('the card’s receipt settles an entry left writing: %s → %s', (_what, r, outcome) => {
    const entry = { ...REQ, entryId: 'e', state: 'writing' as const, at: 0 };
    expect(entryOutcome(entry, r)).toBe(outcome);
  });

  it('ignores a torn last line and appends cleanly after it', async () => {
    const file = path.join(tmp(), 'j.jsonl');
    const j = new FileResetJournal(file);
    const a = await j.begin(REQ);
    fs.appendFileSync(file, '{"entryId":"' + a.entryId + '","state":"confi'); // crash mid-append
    expect((await j.unsettled()).map((e) => e.state)).toEqual(['writing']);
    await j.mark(a.entryId, 'card-reset');
    expect((await j.unsettled()).map((e) => e.state)).toEqual(['card-reset']);
  });

  it('compaction keeps only unsettled entries', async () => {
    const file = path.join(tmp(), 'j.jsonl');
    const j = new FileResetJournal(file);
    const a = await j.begin(REQ);
    const b = await j.begin({ ...REQ, reservationId: 'R-2' });
    await j.mark(a.entryId, 'confirmed');
    await j.compact();
    expect(fs.readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(1);
    expect((await j.unsettled()).map((e) => e.entryId)).toEqual([b.entryId]);
  });

  it('settleJournal confirms card-reset entries; a center that already has it counts as settled; an unavailable one is retried', async () => {
    const j = new FileResetJournal(path.join(tmp(), 'j.jsonl'));
    const center = new FakeCenter(() => AT_10);
    const r1 = center.book('0A1B2C3D', 'sign', AT_10);
    r1.state = 'authorized';
    r1.authorizationId = 'A-R-1';
    const e = await j.begin(REQ);
    await j.mark(e.entryId, 'card-reset');
    center.available = false;
    expect(await settleJournal(j, center)).toEqual({ confirmed: 0, released: 0, pending: 1, awaitingCard: 0 });
    center.available = true;
    expect(await settleJournal(j, center)).toEqual({ confirmed: 1, released: 0, pending: 0, awaitingCard: 0 });
    expect(r1.state).toBe('used');
    // Nothing left in flight: the settled history was compacted away.
    expect(await j.all()).toEqual([]);
    // A duplicate (e.g. a second kiosk process racing) is harmless.
    const dup = await j.begin(REQ);
    await j.mark(dup.entryId, 'card-reset');
    expect(await settleJournal(j, center)).toEqual({ confirmed: 1, released: 0, pending: 0, awaitingCard: 0 });
    expect(await j.unsettled()).toEqual([]);
  });

  it('settleJournal gives back not-reset entries, and leaves writing entries for the card’s receipt', async () => {
    const j = new FileResetJournal(path.join(tmp(), 'j.jsonl'));
    const center = new FakeCenter(() => AT_10);
    const r1 = center.book('0A1B2C3D', 'sign', AT_10);
    Object.assign(r1, { state: 'authorized', authorizationId: 'A-R-1' });
    const r2 = center.book('0A1B2C3D', 'auth', AT_10);
    Object.assign(r2, { state: 'authorized', authorizationId: 'A-R-2' });
    const e = await j.begin(REQ);
    await j.mark(e.entryId, 'not-reset');
    await j.begin({ ...REQ, kind: 'auth', reservationId: 'R-2', authorizationId: 'A-R-2' });
    expect(await settleJournal(j, center)).toEqual({ confirmed: 0, released: 1, pending: 0, awaitingCard: 1 });
    expect(r1.state).toBe('booked');
    // The kiosk cannot tell what the card did: the reservation is neither spent nor given back.
    expect(r2.state).toBe('authorized');
    expect((await j.unsettled()).map((x) => x.state)).toEqual(['writing']);
  });
});

describe('crash between the card reset and the center confirm', () => {
  it('the next start-up confirms the reservation from the journal', async () => {
    const dir = tmp();
    const settings = new SettingsStore(null, { clock: { mode: 'fixed', at: AT_10 } });
    const center = new FakeCenter(() => AT_10);
    const card = new FakeCard();
    center.book(card.cardId, 'sign', AT_10 - 3600_000);

    // Run 1: the confirm never answers — the process "dies" there.
    center.hang.add('confirm');
    const reader1 = new FakeReader();
    const core1 = new KioskCore({
      reader: reader1,
      center,
      journal: new FileResetJournal(path.join(dir, 'journal.jsonl')),
      events: new MemoryEventRecord(),
      settings,
      scheduler: new FakeScheduler(),
    });
    await core1.start();
    for (const intent of [
      { type: 'choose-service', service: 'admin' },
      { type: 'choose-admin-item', item: 'my-number-card' },
      { type: 'choose-card-option', option: 'reset-sign' },
      { type: 'agree' },
    ] as const) {
      core1.send(intent);
      await flush();
    }
    reader1.insert(card);
    await flush();
    core1.send({ type: 'submit-other-password', value: '1234' });
    await flush();
    core1.send({ type: 'submit-new-password', value: 'CRASH1PW' });
    core1.send({ type: 'submit-new-password', value: 'CRASH1PW' });
    await flush();
    expect(core1.snapshot().screen).toMatchObject({ id: 'progress', step: 'confirming' });
    expect(card.pins.sign).toBe('CRASH1PW');
    expect(center.reservations[0]?.state).toBe('authorized');
    core1.stop(); // the crash: nothing after this point of run 1 happens

    // Run 2: a fresh process with the same journal file.
    center.hang.clear();
    const journal2 = new FileResetJournal(path.join(dir, 'journal.jsonl'));
    expect((await journal2.unsettled()).map((e) => e.state)).toEqual(['card-reset']);
    const core2 = new KioskCore({ reader: new FakeReader(), center, journal: journal2, events: new MemoryEventRecord(), settings, scheduler: new FakeScheduler() });
    expect(await core2.start()).toEqual({ confirmed: 1, released: 0, pending: 0, awaitingCard: 0 });
    expect(center.reservations[0]?.state).toBe('used');
    expect(await journal2.unsettled()).toEqual([]);
    expect(fs.readFileSync(path.join(dir, 'journal.jsonl'), 'utf8')).not.toContain('CRASH1PW');
    core2.stop();
  });
});
