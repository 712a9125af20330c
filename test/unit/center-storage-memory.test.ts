/**
 * What the SQLite storage answers is always what is stored: after random mixes of every kind of
 * write, in batches like the center's, a fresh connection reads the same; a rolled-back batch and
 * another process's commit are never served from memory (it remembers the settings).
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import {
  decideAdminBooking,
  decideAuthorize,
  decideBooking,
  decideClearLock,
  decideConfirm,
  decideExpire,
  decideFaceCheck,
} from '../../electron/center/rules';
import { openSqliteStorage, type SqliteStorage } from '../../electron/center/sqlite-storage';
import type { BookingRecord, Decision } from '../../electron/center/storage';
import { IDENTITY_AUTH, IDENTITY_SIGN, tempDir } from './center-fixture';
import { prng } from './prng';

/** What a card that never reset says while holding `challenge` (its first). */
const freshReceipt = (challenge: string) => ({ resetCount: 0, lastChallenge: null, currentChallenge: challenge, challengeSeq: 1 });

const HOUR = 3_600_000;


/** The booking as the storage hands it to a decision (from memory when it remembers it). */
const bookingSeenBy = (st: SqliteStorage, id: string) =>
  st.updateBooking(id, (b): Decision<BookingRecord | undefined> => ({ result: b, changes: [] }));

describe('storage memory', () => {
  it('after 600 random writes in batches, every card and booking reads the same from a fresh connection', async () => {
    const file = path.join(tempDir(), 'memory.sqlite');
    const st = openSqliteStorage(file);
    const rand = prng(7);
    const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
    const cards = ['0A01', '0A02', '0A03', '0A04', '0A05'];
    const ids: string[] = [];
    let now = 1_000_000;
    let n = 0;
    const newId = () => `bk_${(n++).toString(16).padStart(32, '0')}`;
    const op = (): Promise<unknown> => {
      const cardId = pick(cards);
      const kind = rand() < 0.5 ? 'sign' : 'auth';
      const kioskId = pick(['kiosk-01', 'kiosk-02']);
      const requestId = `req-${Math.floor(rand() * 40)}`;
      switch (Math.floor(rand() * 8)) {
        case 0:
          return st.updateCard(cardId, (card) => {
            const d = decideBooking(card, { cardId, kind, identity: kind === 'sign' ? IDENTITY_SIGN : IDENTITY_AUTH }, { now, maintenance: [], newId: newId() });
            if (d.result.ok) ids.push(d.result.booking.id);
            return d;
          });
        case 1:
          return st.updateCard(cardId, (card) => {
            const d = decideAdminBooking(card, kind, { now, completedAt: now - Math.floor(rand() * 30) * HOUR, newId: newId() });
            ids.push(d.result.booking.id);
            return d;
          });
        case 2:
        case 3:
          return st.updateCard(cardId, (card) => decideAuthorize(card, { kind, kioskId, requestId, challenge: '0011223344556677', evidence: freshReceipt('0011223344556677') }, { now, maintenance: [] }));
        case 4:
        case 5:
          return ids.length > 0 ? st.updateBooking(pick(ids), (b) => decideConfirm(b, { kioskId, requestId }, { now })) : Promise.resolve();
        case 6:
          return rand() < 0.8 ? st.updateCard(cardId, (card) => decideFaceCheck(card, rand() < 0.5, { now, maintenance: [] })) : st.updateCard(cardId, () => decideClearLock());
        default:
          return ids.length > 0 ? st.updateBooking(pick(ids), (b) => decideExpire(b, { now })) : Promise.resolve();
      }
    };
    try {
      for (let round = 0; round < 60; round++) {
        // Ten writes in one event-loop turn: one batch, as under load.
        await Promise.all(Array.from({ length: 10 }, op));
        now += Math.floor(rand() * 3) * HOUR;
        if (round % 10 !== 9) continue;
        const fresh = openSqliteStorage(file);
        try {
          for (const c of cards) expect(await st.readCard(c), `card ${c}`).toEqual(await fresh.readCard(c));
          for (const id of ids) expect(await bookingSeenBy(st, id), `booking ${id}`).toEqual((await fresh.readBooking(id))?.booking);
        } finally {
          await fresh.close();
        }
      }
      // The mix did exercise every state.
      const db = new Database(file, { readonly: true });
      const states = db.prepare('SELECT DISTINCT state FROM bookings ORDER BY state').pluck().all();
      db.close();
      expect(states).toEqual(['authorized', 'booked', 'expired', 'replaced', 'used']);
    } finally {
      await st.close();
    }
  });

  it('forgets a batch that rolled back: the failed write is not remembered, the others are', async () => {
    const file = path.join(tempDir(), 'rollback.sqlite');
    const st = openSqliteStorage(file);
    const id = (c: string) => `bk_${c.repeat(32)}`;
    try {
      await st.updateCard('0B01', (card) => decideAdminBooking(card, 'sign', { now: 5, completedAt: 5, newId: id('1') }));
      expect((await st.readCard('0B01')).latest.sign?.state).toBe('booked');
      const results = await Promise.allSettled([
        st.updateCard('0B01', (card) => decideAuthorize(card, { kind: 'sign', kioskId: 'k', requestId: 'r', challenge: '00', evidence: freshReceipt('00') }, { now: 6, maintenance: [] })),
        // After it has written its booking, this write fails (a duplicate id): the batch rolls back.
        st.updateCard('0B02', (card) => decideAdminBooking(card, 'sign', { now: 6, completedAt: 6, newId: id('1') })),
      ]);
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected']);
      expect((await st.readCard('0B01')).latest.sign?.state).toBe('authorized');
      expect((await st.readCard('0B02')).latest.sign).toBeUndefined();
      expect(await bookingSeenBy(st, id('1'))).toMatchObject({ cardId: '0B01', state: 'authorized' });
    } finally {
      await st.close();
    }
  });

  it('a write by another connection is seen at once by a connection that remembered the card', async () => {
    const file = path.join(tempDir(), 'two.sqlite');
    const a = openSqliteStorage(file);
    const b = openSqliteStorage(file);
    const booking = `bk_${'d'.repeat(32)}`;
    const authorize = (st: SqliteStorage, kioskId: string) =>
      st.updateCard('0C01', (card) => decideAuthorize(card, { kind: 'auth', kioskId, requestId: `r-${kioskId}`, challenge: '11', evidence: freshReceipt('11') }, { now: 10, maintenance: [] }));
    try {
      await a.updateCard('0C01', (card) => decideAdminBooking(card, 'auth', { now: 5, completedAt: 5, newId: booking }));
      expect((await a.readCard('0C01')).latest.auth?.state).toBe('booked');
      expect(await bookingSeenBy(a, booking)).toMatchObject({ state: 'booked' });
      // The other process authorizes it; this one must not authorize it again from memory.
      expect(await authorize(b, 'kiosk-b')).toMatchObject({ ok: true, replayed: false });
      expect(await authorize(a, 'kiosk-a')).toEqual({ ok: false, reason: 'used' });
      expect(await bookingSeenBy(a, booking)).toMatchObject({ state: 'authorized', authorization: { kioskId: 'kiosk-b' } });
      expect((await a.readCard('0C01')).latest.auth?.state).toBe('authorized');
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('stays right past its size: the oldest cards are read again, not lost', async () => {
    const file = path.join(tempDir(), 'many.sqlite');
    const st = openSqliteStorage(file);
    const cardOf = (i: number) => (0xd0000 + i).toString(16).toUpperCase();
    const N = 10_000;
    try {
      await Promise.all(
        Array.from({ length: N }, (_, i) => st.updateCard(cardOf(i), (card) => decideAdminBooking(card, 'sign', { now: 5, completedAt: 5, newId: `bk_${i.toString(16).padStart(32, '0')}` }))),
      );
      for (const i of [0, 1, N - 1]) {
        const a = await st.updateCard(cardOf(i), (card) => decideAuthorize(card, { kind: 'sign', kioskId: 'k', requestId: `r${i}`, challenge: '22', evidence: freshReceipt('22') }, { now: 6, maintenance: [] }));
        expect(a).toMatchObject({ ok: true });
        if (!a.ok) continue;
        expect(await st.updateBooking(a.booking.id, (b) => decideConfirm(b, { kioskId: 'k', requestId: `r${i}` }, { now: 7 }))).toMatchObject({ ok: true, replayed: false });
      }
    } finally {
      await st.close();
    }
    const db = new Database(file, { readonly: true });
    expect(db.prepare("SELECT COUNT(*) FROM bookings WHERE state = 'used'").pluck().get()).toBe(3);
    expect(db.prepare('SELECT COUNT(*) FROM bookings').pluck().get()).toBe(N);
    db.close();
  });
});
