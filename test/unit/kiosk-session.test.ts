/**
 * The kiosk core with fake ports: what a citizen would see (screens), what happens to the card
 * (its passwords and tries) and to the center (reservation state), for the happy paths, wrong
 * passwords, card removal at every step, timeouts on a fake clock, and the safety invariants.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Intent, Screen, Snapshot } from '../../electron/contract/kiosk';
import type { ChainId } from '../../electron/domain/chains';
import type { ResetKind } from '../../electron/domain/passwords';
import { FileResetJournal } from '../../electron/kiosk/journal';
import { MemoryEventRecord } from '../../electron/kiosk/record';
import { KioskCore } from '../../electron/kiosk/session';
import { SettingsStore, simulatedNow } from '../../electron/kiosk/settings';
import { CHANGING_COMMANDS, FakeCard, FakeCenter, FakeReader, FakeScheduler, flush, type FakeCardSpec } from '../fakes/kiosk';

const JST = 9 * 3600_000;
const AT_10 = Date.UTC(2026, 10, 25, 10, 0) - JST;

const dirs: string[] = [];
const cores: KioskCore[] = [];
afterEach(() => {
  for (const c of cores.splice(0)) c.stop();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

interface Rig {
  core: KioskCore;
  reader: FakeReader;
  center: FakeCenter;
  card: FakeCard;
  scheduler: FakeScheduler;
  settings: SettingsStore;
  journal: FileResetJournal;
  events: MemoryEventRecord;
  snapshots: Snapshot[];
  send(intent: Intent): Promise<ReturnType<KioskCore['send']>>;
  screen(): Screen;
}

async function rig(opts: { chain?: ChainId; card?: FakeCardSpec; book?: ResetKind | null; journalDir?: string; center?: FakeCenter } = {}): Promise<Rig> {
  const dir = opts.journalDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'kiosk-session-'));
  if (!opts.journalDir) dirs.push(dir);
  const settings = new SettingsStore(null, { clock: { mode: 'fixed', at: AT_10 }, chain: opts.chain ?? 'seven-eleven' });
  const scheduler = new FakeScheduler();
  const reader = new FakeReader();
  const center = opts.center ?? new FakeCenter(() => simulatedNow(settings.get().clock, Date.now()));
  const card = new FakeCard(opts.card);
  if (opts.book !== null) center.book(card.cardId, opts.book ?? 'sign', AT_10 - 3600_000);
  const journal = new FileResetJournal(path.join(dir, 'journal.jsonl'));
  const events = new MemoryEventRecord();
  const core = new KioskCore({ reader, center, journal, events, settings, scheduler, operationTimeoutMs: 5000 });
  cores.push(core);
  const snapshots: Snapshot[] = [];
  core.onSnapshot((s) => snapshots.push(s));
  await core.start();
  return {
    core,
    reader,
    center,
    card,
    scheduler,
    settings,
    journal,
    events,
    snapshots,
    async send(intent) {
      const r = core.send(intent);
      await flush();
      return r;
    },
    screen: () => core.snapshot().screen,
  };
}

async function toPlaceCard(r: Rig, kind: ResetKind): Promise<void> {
  await r.send({ type: 'choose-service', service: 'admin' });
  await r.send({ type: 'choose-admin-item', item: 'my-number-card' });
  await r.send({ type: 'choose-card-option', option: kind === 'sign' ? 'reset-sign' : 'reset-auth' });
  await r.send({ type: 'agree' });
}

async function placeCard(r: Rig): Promise<void> {
  r.reader.insert(r.card);
  await flush();
}

async function toOtherPassword(r: Rig, kind: ResetKind): Promise<void> {
  await toPlaceCard(r, kind);
  expect(r.screen()).toMatchObject({ id: 'place-card', kind });
  await placeCard(r);
  expect(r.screen()).toMatchObject({ id: 'other-password', kind });
}

const OTHER = { sign: '1234', auth: 'OLD1PASS' } as const;
const NEW = { sign: 'NEW2PASS', auth: '5678' } as const;

async function toNewPassword(r: Rig, kind: ResetKind): Promise<void> {
  await toOtherPassword(r, kind);
  await r.send({ type: 'submit-other-password', value: OTHER[kind] });
  expect(r.screen()).toMatchObject({ id: 'new-password', step: 'first' });
}

async function submitNew(r: Rig, kind: ResetKind, value: string = NEW[kind]): Promise<void> {
  await r.send({ type: 'submit-new-password', value });
  await r.send({ type: 'submit-new-password', value });
}

describe('kiosk core: happy paths', () => {
  it.each<ResetKind>(['sign', 'auth'])('reset %s: the card takes the new password, the reservation is used, the journal settled', async (kind) => {
    const r = await rig({ book: kind });
    expect(r.screen().id).toBe('top');
    await toNewPassword(r, kind);
    await submitNew(r, kind);
    expect(r.screen()).toEqual({ id: 'done', kind });
    // The card: new password set, full tries.
    expect(r.card.pins[kind]).toBe(NEW[kind]);
    expect(r.card.tries[kind]).toBe(kind === 'sign' ? 5 : 3);
    // The other password is untouched.
    expect(r.card.pins[kind === 'sign' ? 'auth' : 'sign']).toBe(OTHER[kind]);
    expect(r.center.reservations[0]?.state).toBe('used');
    expect(await r.journal.unsettled()).toEqual([]);
    expect((await r.journal.all()).map((e) => e.state)).toEqual(['confirmed']);

    await r.send({ type: 'acknowledge' });
    expect(r.screen()).toEqual({ id: 'take-card', after: 'completed' });
    r.reader.remove();
    await flush();
    expect(r.screen().id).toBe('top');
    expect(r.core.snapshot().sessionId).toBeNull();
  });

  it('shows progress steps while writing, with no cancel and "do not remove the card"', async () => {
    const r = await rig();
    await toNewPassword(r, 'sign');
    await submitNew(r, 'sign');
    const progress = r.snapshots.filter((s) => s.screen.id === 'progress' && s.screen.doNotRemoveCard);
    const steps = [...new Set(progress.map((s) => (s.screen.id === 'progress' ? s.screen.step : '')))];
    expect(steps).toEqual(['authorizing', 'writing-card', 'confirming']);
    expect(progress.every((s) => !s.canCancel && s.timeout === null)).toBe(true);
  });

  it('snapshots carry the session, journey, chain, reader and simulated clock', async () => {
    const r = await rig({ chain: 'aeon' });
    await toOtherPassword(r, 'sign');
    const s = r.core.snapshot();
    expect(s.sessionId).not.toBeNull();
    expect(s).toMatchObject({ chain: 'aeon', journey: 'verify', reader: { state: 'card-present' }, clock: { mode: 'fixed', now: AT_10 }, canCancel: true });
    expect(s.timeout).toMatchObject({ secondsLeft: 60, warning: false });
    const seqs = r.snapshots.map((x) => x.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
  });

  it('language switches for the session and returns to the default afterwards', async () => {
    const r = await rig();
    await r.send({ type: 'choose-service', service: 'admin' });
    await r.send({ type: 'set-language', language: 'en' });
    expect(r.core.snapshot().language).toBe('en');
    await r.send({ type: 'cancel' });
    expect(r.core.snapshot()).toMatchObject({ language: 'ja', screen: { id: 'top' } });
  });
});

describe('kiosk core: passwords', () => {
  it('wrong other password costs a try on the card and shows tries left; the last locks it', async () => {
    const r = await rig();
    await toOtherPassword(r, 'sign');
    for (const left of [2, 1]) {
      await r.send({ type: 'submit-other-password', value: '0000' });
      expect(r.screen()).toMatchObject({ id: 'other-password', triesLeft: left, problem: 'wrong-password' });
      expect(r.card.tries.auth).toBe(left);
    }
    await r.send({ type: 'submit-other-password', value: '0000' });
    expect(r.screen()).toMatchObject({ id: 'guidance', reason: 'other-password-locked', next: 'municipal-counter-with-id', changed: 'nothing' });
    expect(r.card.tries.auth).toBe(0);
    expect(r.card.pins.sign).toBe('OLD1PASS');
    expect(r.center.reservations[0]?.state).toBe('booked');
  });

  it('a correct other password after a wrong one resets its counter on the card', async () => {
    const r = await rig();
    await toOtherPassword(r, 'sign');
    await r.send({ type: 'submit-other-password', value: '0000' });
    await r.send({ type: 'submit-other-password', value: '1234' });
    expect(r.screen()).toMatchObject({ id: 'new-password' });
    expect(r.card.tries.auth).toBe(3);
  });

  it('a badly formed other password never reaches the card', async () => {
    const r = await rig({ book: 'auth' });
    await toOtherPassword(r, 'auth');
    await r.send({ type: 'submit-other-password', value: 'abc' });
    expect(r.screen()).toMatchObject({ id: 'other-password', problem: 'invalid-character', triesLeft: 5 });
    expect(r.card.commands.filter((c) => c.startsWith('verify'))).toEqual([]);
  });

  it('mismatched confirmation asks again and does not touch the card', async () => {
    const r = await rig();
    await toNewPassword(r, 'sign');
    await r.send({ type: 'submit-new-password', value: 'NEW2PASS' });
    await r.send({ type: 'submit-new-password', value: 'NEW2PASZ' });
    expect(r.screen()).toMatchObject({ id: 'new-password', step: 'first', problem: 'mismatch' });
    expect(r.card.commands).not.toContain('reset:sign');
  });
});

describe('kiosk core: refusals reach guidance and leave the card alone', () => {
  it.each<[string, Partial<Parameters<typeof rig>[0]>, string]>([
    ['no reservation', { book: null }, 'no-reservation'],
    ['reservation for the other password', { book: 'auth' }, 'no-reservation'],
    ['real card', { card: { simulator: false } }, 'real-card'],
    ['expired card', { card: { expiresAt: AT_10 - 1 } }, 'card-expired'],
    ['under 15', { card: { certificates: { sign: 'absent' } } }, 'no-signature-certificate'],
    ['certificate revoked', { card: { certificates: { sign: 'revoked' } } }, 'certificate-revoked'],
    ['other password locked', { card: { tries: { auth: 0 } } }, 'other-password-locked'],
  ])('%s', async (_what, opts, reason) => {
    const r = await rig(opts);
    await toPlaceCard(r, 'sign');
    await placeCard(r);
    expect(r.screen()).toMatchObject({ id: 'guidance', reason });
    expect(r.card.commands.filter((c) => CHANGING_COMMANDS.includes(c))).toEqual([]);
  });

  it('an expired reservation (24 h) sends the citizen to the app', async () => {
    const r = await rig({ book: null });
    r.center.book(r.card.cardId, 'sign', AT_10 - 24 * 3600_000);
    await toPlaceCard(r, 'sign');
    await placeCard(r);
    expect(r.screen()).toMatchObject({ id: 'guidance', reason: 'reservation-expired', next: 'book-in-app' });
  });

  it('a real card is never sent a changing command, even if the guard were bypassed upstream', async () => {
    const r = await rig({ card: { simulator: false } });
    await toPlaceCard(r, 'sign');
    await placeCard(r);
    expect(r.card.commands).toEqual(['read']);
    await r.send({ type: 'submit-other-password', value: '1234' });
    expect(r.card.commands).toEqual(['read']);
  });

  it('center unavailable at the check → guidance, nothing changed', async () => {
    const r = await rig();
    r.center.available = false;
    await toPlaceCard(r, 'sign');
    await placeCard(r);
    expect(r.screen()).toMatchObject({ id: 'guidance', reason: 'center-unavailable', next: 'try-later-or-ask-staff', changed: 'nothing' });
  });

  it('center refuses at authorization (booking used meanwhile) → the card is not reset', async () => {
    const r = await rig();
    await toNewPassword(r, 'sign');
    r.center.reservations[0]!.state = 'used';
    await submitNew(r, 'sign');
    expect(r.screen()).toMatchObject({ id: 'guidance', reason: 'reservation-used', changed: 'nothing' });
    expect(r.card.pins.sign).toBe('OLD1PASS');
    expect(r.card.commands).not.toContain('reset:sign');
  });

  it('center unavailable at authorization → the card is not reset, and the citizen is told the reservation was not used', async () => {
    const r = await rig();
    await toNewPassword(r, 'sign');
    r.center.available = false;
    await submitNew(r, 'sign');
    expect(r.screen()).toMatchObject({ id: 'guidance', reason: 'center-unavailable', changed: 'not-written' });
    expect(r.card.pins.sign).toBe('OLD1PASS');
    expect(await r.journal.all()).toEqual([]);
  });

  it('a hung center call ends at the operation deadline with guidance', async () => {
    const r = await rig();
    r.center.hang.add('check');
    await toPlaceCard(r, 'sign');
    await placeCard(r);
    expect(r.screen()).toMatchObject({ id: 'progress', step: 'checking-reservation' });
    await r.scheduler.advance(5000);
    expect(r.screen()).toMatchObject({ id: 'guidance', reason: 'center-unavailable' });
  });

  it('reader unavailable when the card is asked for → guidance', async () => {
    const r = await rig();
    r.reader.lose();
    await toPlaceCard(r, 'sign');
    expect(r.screen()).toMatchObject({ id: 'guidance', reason: 'reader-unavailable' });
  });

  it('guidance → 確認 → take-card → card removed → top', async () => {
    const r = await rig({ book: null });
    await toPlaceCard(r, 'sign');
    await placeCard(r);
    await r.send({ type: 'acknowledge' });
    expect(r.screen()).toEqual({ id: 'take-card', after: 'refused' });
    expect((await r.send({ type: 'acknowledge' })).accepted).toBe(false);
    r.reader.remove();
    await flush();
    expect(r.screen().id).toBe('top');
  });
});

describe('kiosk core: card removed at every step', () => {
  type Op = Parameters<NonNullable<FakeReader['beforeOp']>>[0];
  // `armed`: the step of the session from which the removal hook fires — the reservation check (the
  // card's receipt is read there too) or the reset itself.
  it.each<[string, 'check' | 'reset', Op, string, string]>([
    ['while reading', 'check', 'read', 'card-removed', 'nothing'],
    ['while reading the receipt for the check', 'check', 'receipt', 'card-removed', 'nothing'],
    ['while verifying', 'check', 'verify', 'card-removed', 'nothing'],
    // Once a reset began, the citizen is told the reservation was not used and can try again.
    ['before the challenge', 'reset', 'get-challenge', 'card-removed', 'not-written'],
    ['before the receipt', 'reset', 'receipt', 'card-removed', 'not-written'],
    ['before external authenticate', 'reset', 'external-auth', 'card-removed', 'not-written'],
    // Gone while the reset command was on its way: the kiosk cannot know whether the card wrote.
    ['during the reset command', 'reset', 'reset', 'card-removed', 'unknown'],
  ])('%s → %s, %s changed', async (_what, armed, op, reason, changed) => {
    const r = await rig();
    const pull = () => {
      r.reader.beforeOp = (o) => {
        if (o === op) r.reader.remove();
      };
    };
    await toPlaceCard(r, 'sign');
    if (armed === 'check') pull();
    await placeCard(r);
    if (r.screen().id === 'other-password') await r.send({ type: 'submit-other-password', value: '1234' });
    if (armed === 'reset') pull();
    if (r.screen().id === 'new-password') await submitNew(r, 'sign');
    expect(r.screen()).toMatchObject({ id: 'guidance', reason, changed });
    expect(r.card.pins.sign).toBe('OLD1PASS');
    // The promise: the reservation is spent if and only if the card took the new password.
    expect(r.center.reservations[0]?.state).not.toBe('used');
    if (changed === 'not-written') expect(r.center.reservations[0]?.state).toBe('booked');
  });

  it('after external authenticate, before the reset command → not written; the reservation is given back', async () => {
    const r = await rig();
    await toNewPassword(r, 'sign');
    r.reader.afterOp = (o) => {
      if (o === 'external-auth') r.reader.remove();
    };
    await submitNew(r, 'sign');
    expect(r.screen()).toMatchObject({ id: 'guidance', reason: 'card-removed', changed: 'not-written' });
    expect(r.card.commands).not.toContain('reset:sign');
    expect(r.center.reservations[0]?.state).toBe('booked');
    expect(r.center.calls).toContain('release');
    expect(await r.journal.unsettled()).toEqual([]);
  });

  it('after the card took the new password but before its answer → "cannot tell"; placing the card again tells, and the reservation is spent once', async () => {
    const r = await rig();
    await toNewPassword(r, 'sign');
    r.reader.afterOp = (o) => {
      if (o === 'reset') r.reader.remove();
    };
    await submitNew(r, 'sign');
    // The kiosk never saw the answer: it says it does not know, truthfully; the journal remains.
    expect(r.screen()).toMatchObject({ id: 'guidance', reason: 'card-removed', changed: 'unknown' });
    expect(r.card.pins.sign).toBe('NEW2PASS');
    expect((await r.journal.unsettled()).map((e) => e.state)).toEqual(['writing']);
    // Without the card nobody can tell: the settle before the next citizen does not guess.
    r.reader.afterOp = null;
    await r.send({ type: 'acknowledge' });
    expect(r.center.reservations[0]?.state).toBe('authorized');
    // The citizen places the card again: its receipt shows the reset, and the screen says so.
    await toPlaceCard(r, 'sign');
    await placeCard(r);
    expect(r.screen()).toMatchObject({ id: 'guidance', reason: 'reset-already-done', changed: 'reset-completed', next: 'nothing-to-do' });
    expect(r.center.reservations[0]?.state).toBe('used');
    expect(await r.journal.unsettled()).toEqual([]);
  });

  it('pulled as the reset command was sent, before the card saw it → "cannot tell"; placing the card again finds it unchanged and the reset goes through', async () => {
    const r = await rig();
    await toNewPassword(r, 'sign');
    r.reader.beforeOp = (o) => {
      if (o === 'reset') r.reader.remove();
    };
    await submitNew(r, 'sign');
    expect(r.screen()).toMatchObject({ id: 'guidance', reason: 'card-removed', changed: 'unknown' });
    expect(r.card.pins.sign).toBe('OLD1PASS');
    r.reader.beforeOp = null;
    await r.send({ type: 'acknowledge' });
    await toNewPassword(r, 'sign');
    expect(r.center.reservations[0]?.state).toBe('booked');
    expect(await r.journal.unsettled()).toEqual([]);
    await submitNew(r, 'sign');
    expect(r.screen()).toMatchObject({ id: 'done' });
    expect(r.card.pins.sign).toBe('NEW2PASS');
    expect(r.center.reservations[0]?.state).toBe('used');
  });

  it('removed during the center confirm → "the change completed"', async () => {
    const r = await rig();
    await toNewPassword(r, 'sign');
    r.center.hang.add('confirm');
    await submitNew(r, 'sign');
    expect(r.screen()).toMatchObject({ id: 'progress', step: 'confirming' });
    r.reader.remove();
    await r.scheduler.advance(5000);
    expect(r.screen()).toMatchObject({ id: 'guidance', reason: 'card-removed', changed: 'reset-completed' });
    expect(r.card.pins.sign).toBe('NEW2PASS');
  });

  it('on the new-password screen → nothing changed; placing the card again starts over', async () => {
    const r = await rig();
    await toNewPassword(r, 'sign');
    r.reader.remove();
    await flush();
    expect(r.screen()).toMatchObject({ id: 'guidance', reason: 'card-removed', changed: 'nothing' });
    r.reader.insert(r.card);
    await flush();
    // The guidance stays; nothing proceeds with the re-placed card.
    expect(r.screen()).toMatchObject({ id: 'guidance' });
    expect(r.card.commands.filter((c) => c === 'read')).toHaveLength(1);
  });
});

describe('kiosk core: inactivity timeouts (fake clock)', () => {
  it('counts down once a second, warns in the last seconds, 続ける restarts it', async () => {
    const r = await rig();
    await r.send({ type: 'choose-service', service: 'admin' });
    expect(r.core.snapshot().timeout).toEqual({ secondsLeft: 60, warning: false });
    await r.scheduler.advance(41_000);
    expect(r.core.snapshot().timeout).toEqual({ secondsLeft: 19, warning: true });
    expect(r.snapshots.at(-1)?.timeout).toEqual({ secondsLeft: 19, warning: true });
    await r.send({ type: 'continue' });
    expect(r.core.snapshot().timeout).toEqual({ secondsLeft: 60, warning: false });
  });

  it('typing keeps the session alive', async () => {
    const r = await rig();
    await toOtherPassword(r, 'sign');
    await r.scheduler.advance(50_000);
    await r.send({ type: 'input-activity' });
    await r.scheduler.advance(50_000);
    expect(r.screen().id).toBe('other-password');
  });

  it.each<[string, (r: Rig) => Promise<void>, string]>([
    ['admin menu, no card', async (r) => void (await r.send({ type: 'choose-service', service: 'admin' })), 'top'],
    ['notice, no card', async (r) => {
      await r.send({ type: 'choose-service', service: 'admin' });
      await r.send({ type: 'choose-admin-item', item: 'my-number-card' });
      await r.send({ type: 'choose-card-option', option: 'reset-sign' });
    }, 'top'],
    ['place card', async (r) => toPlaceCard(r, 'sign'), 'top'],
    ['other password, card on the reader', async (r) => toOtherPassword(r, 'sign'), 'take-card'],
    ['new password, card on the reader', async (r) => toNewPassword(r, 'sign'), 'take-card'],
  ])('on %s the session ends (%s)', async (_what, reach, end) => {
    const r = await rig();
    await reach(r);
    await r.scheduler.advance(60_000);
    expect(r.screen().id).toBe(end);
    if (end === 'take-card') {
      expect(r.screen()).toEqual({ id: 'take-card', after: 'timed-out' });
      // The take-card screen has its own countdown, then back to the top.
      await r.scheduler.advance(30_000);
      expect(r.screen().id).toBe('top');
    }
    expect(r.card.pins.sign).toBe('OLD1PASS');
  });

  it('no countdown on the top menu or while the card is written', async () => {
    const r = await rig();
    expect(r.core.snapshot().timeout).toBeNull();
    await toNewPassword(r, 'sign');
    r.center.hang.add('confirm');
    await submitNew(r, 'sign');
    expect(r.core.snapshot().timeout).toBeNull();
  });

  it('timeouts follow the settings', async () => {
    const r = await rig();
    r.core.updateSettings({ timeouts: { inactivitySeconds: 15, warningSeconds: 5, takeCardSeconds: 10 } });
    await r.send({ type: 'choose-service', service: 'admin' });
    await r.scheduler.advance(15_000);
    expect(r.screen().id).toBe('top');
  });
});

describe('kiosk core: the reset invariant', () => {
  it('a card swapped for another after verification is never reset', async () => {
    const r = await rig();
    await toNewPassword(r, 'sign');
    const other = new FakeCard({ cardId: 'FFEE0011' });
    r.reader.remove();
    r.reader.insert(other);
    await flush();
    await submitNew(r, 'sign');
    expect(other.commands).toEqual([]);
    expect(r.card.pins.sign).toBe('OLD1PASS');
  });

  it('writes the journal entry before the card and settles it after the confirm', async () => {
    const r = await rig();
    await toNewPassword(r, 'sign');
    const seen: string[] = [];
    r.reader.beforeOp = (o) => {
      if (o === 'external-auth' || o === 'reset') seen.push(`${o}:${fs.existsSync(r.journal.file) ? 'journal' : 'no-journal'}`);
    };
    await submitNew(r, 'sign');
    expect(seen).toEqual(['external-auth:journal', 'reset:journal']);
    expect(await r.journal.unsettled()).toEqual([]);
  });

  it('the record and the snapshots never contain a password', async () => {
    const r = await rig();
    await toOtherPassword(r, 'sign');
    await r.send({ type: 'submit-other-password', value: '9999' });
    await r.send({ type: 'submit-other-password', value: '1234' });
    await submitNew(r, 'sign', 'ZQ7XK2PW');
    expect(r.card.pins.sign).toBe('ZQ7XK2PW');
    const all = JSON.stringify(r.events.events) + JSON.stringify(r.snapshots) + fs.readFileSync(r.journal.file, 'utf8');
    for (const secret of ['9999', '1234', 'ZQ7XK2PW']) expect(all).not.toContain(secret);
  });

  it('refuses malformed intents and intents that do not fit the screen', async () => {
    const r = await rig();
    expect(r.core.send({ type: 'agree', value: '1234' })).toEqual({ accepted: false, reason: 'invalid-intent' });
    expect(r.core.send({ type: 'submit-new-password', value: 'ABC123' })).toEqual({ accepted: false, reason: 'not-now' });
    expect(r.core.send({ type: 'continue' })).toEqual({ accepted: false, reason: 'not-now' });
    expect(r.screen().id).toBe('top');
  });
});
