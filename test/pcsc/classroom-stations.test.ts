/**
 * A classroom at the limit: sixteen stations on one pcscd (our reader.conf, eight vpcd entries).
 * The trainer's console gives each station its own card; each card lands on that station's own
 * reader and each kiosk core sees only its own; a 署名用 reset on the first and on the last station
 * goes through PC/SC and really changes their cards, and no other card. A seventeenth station is
 * refused with the reason.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminCenterClient } from '../../electron/center/client';
import type { Snapshot } from '../../electron/contract/kiosk';
import { startClassroom, type Classroom } from '../../electron/classroom/start';
import type { Station } from '../../electron/classroom/station';
import { directChannel, JpkiClient } from '../../electron/jpki';
import { cardFilePath, MemoryCardStore, readCardFile } from '../../native/card/card-file';
import { loadCard } from '../../native/card/card-module';
import { createCard } from '../../native/card/issue';
import { PERSONAS } from '../../native/card/personas';
import { ensurePcscd, stopPcscd, vpcdListening } from '../../native/pcscd/pcscd';
import { defaultRunDir, liveSlotState } from '../../native/vpcd/slots';
import { virtualReaderName } from '../../native/vpcd/transport';

const STATIONS = 16;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'classroom-pcsc-'));
let room: Classroom;
const cardIds: string[] = [];
/** The stations whose card's 署名用 password this file reset, and to what. */
const resetTo = new Map<number, string>();

beforeAll(async () => {
  // Debian's configuration has two virtual readers: restart pcscd with the classroom's sixteen.
  if (!vpcdListening(STATIONS - 1)) {
    await stopPcscd();
    await ensurePcscd({ slots: STATIONS, logFile: '/tmp/kiosk-sim-pcscd-test.log' });
  }
  const rendererDir = path.join(dir, 'renderer');
  fs.mkdirSync(rendererDir);
  fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>kiosk</title>');
  room = await startClassroom({ stations: STATIONS, dir: path.join(dir, 'room'), rendererDir, port: 0, log: () => undefined });
  // Each station's own card, in its own tray.
  for (let n = 1; n <= STATIONS; n++) {
    const made = await createCard('adult', { dir: path.join(dir, 'room', `station-${String(n).padStart(2, '0')}`, 'cards'), name: 'adult' });
    cardIds.push(made.state.cardId);
  }
  // Inside service hours whatever time the test runs: 10:00 JST today on every station's clock.
  const tenJst = Date.parse(`${new Date(Date.now() + 9 * 3600_000).toISOString().slice(0, 10)}T10:00:00+09:00`);
  expect(await room.console.act(range(), { type: 'set-clock', offsetMs: tenJst - Date.now() })).toMatchObject({ ok: true });
}, 120_000);

afterAll(async () => {
  await room?.close();
  fs.rmSync(dir, { recursive: true, force: true });
}, 60_000);

function range(): number[] {
  return Array.from({ length: STATIONS }, (_, i) => i + 1);
}

function station(n: number): Station {
  return room.stations[n - 1] as Station;
}

async function until(s: Station, pred: (snap: Snapshot) => boolean, what: string, timeoutMs = 15_000): Promise<Snapshot> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const snap = s.snapshot();
    if (pred(snap)) return snap;
    if (Date.now() > deadline) throw new Error(`station ${s.n}: timed out waiting for ${what}; screen is ${JSON.stringify(snap.screen)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

function send(s: Station, intent: Parameters<Station['kiosk']['send']>[0]): void {
  expect(s.kiosk.send(intent)).toEqual({ accepted: true });
}

describe('sixteen stations on one pcscd', () => {
  it('puts each station’s card on its own reader, and each kiosk sees only its own', async () => {
    const placed = await room.console.act(range(), { type: 'place-card', name: 'adult' });
    expect(placed).toMatchObject({ ok: true });
    for (let n = 1; n <= STATIONS; n++) {
      const s = station(n);
      const snap = await until(s, (x) => x.reader.state === 'card-present', 'its card');
      expect(snap.reader).toEqual({ state: 'card-present', name: virtualReaderName(n - 1) });
      // The slot daemon of this station's reader runs this station's card file, no other.
      const held = liveSlotState(defaultRunDir(), n - 1);
      expect(path.dirname(held?.arg ?? '')).toBe(path.join(dir, 'room', `station-${String(n).padStart(2, '0')}`, 'cards'));
      expect(s.trayView()).toEqual({ cards: ['adult'], placed: 'adult' });
    }
    const view = room.console.view();
    expect(view.stations.map((v) => v.placed)).toEqual(range().map(() => 'adult'));
  }, 120_000);

  it.each([1, STATIONS])('station %i resets its card’s 署名用 password over PC/SC; the other cards are untouched', async (n) => {
    const s = station(n);
    const admin = new AdminCenterClient({ baseUrl: room.center.url, token: room.center.adminToken });
    await admin.create({ cardId: cardIds[n - 1] as string, kind: 'sign' });
    send(s, { type: 'choose-service', service: 'admin' });
    send(s, { type: 'choose-admin-item', item: 'my-number-card' });
    send(s, { type: 'choose-card-option', option: 'reset-sign' });
    send(s, { type: 'agree' });
    await until(s, (x) => x.screen.id === 'other-password', 'the other-password screen');
    send(s, { type: 'submit-other-password', value: PERSONAS.adult.pins.auth as string });
    await until(s, (x) => x.screen.id === 'new-password', 'the new-password screen');
    const fresh = `STATION${n}A`;
    send(s, { type: 'submit-new-password', value: fresh });
    send(s, { type: 'submit-new-password', value: fresh });
    await until(s, (x) => x.screen.id === 'done', 'the done screen', 30_000);

    resetTo.set(n, fresh);
    // Every card file holds what it should: this station's the new password, the others theirs
    // (read in-process from a copy of each file's state, through no reader).
    for (let m = 1; m <= STATIONS; m++) {
      const file = cardFilePath(path.join(dir, 'room', `station-${String(m).padStart(2, '0')}`, 'cards'), 'adult');
      expect(readCardFile(file).cardId).toBe(cardIds[m - 1]);
      const client = new JpkiClient(directChannel(loadCard(file, { store: new MemoryCardStore(), lock: false })));
      await client.identify();
      expect(await client.verify('sign', resetTo.get(m) ?? (PERSONAS.adult.pins.sign as string)), `card of station ${m}`).toEqual({ result: 'verified' });
    }
    send(s, { type: 'acknowledge' });
    expect(room.console.view().stations[n - 1]?.snapshot?.screen.id).toBe('take-card');
  }, 90_000);

  it('refuses a seventeenth station, saying why', async () => {
    await expect(startClassroom({ stations: STATIONS + 1, dir: path.join(dir, 'too-many'), rendererDir: dir, port: 0 })).rejects.toThrow(/1 to 16.*pcscd holds 16 readers/);
  });
});
