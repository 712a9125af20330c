/**
 * The session state machine on its own (pure transitions): every path through the menus, every
 * refusal and the guidance it leads to, what each screen shows, and the reset invariant.
 */
import { describe, expect, it } from 'vitest';
import type { GuidanceReason, NextStep, ReaderStatus, Screen } from '../../electron/contract/kiosk';
import type { ChainId } from '../../electron/domain/chains';
import type { ResetKind } from '../../electron/domain/passwords';
import {
  canCancel,
  cardRefusal,
  INITIAL_STATE,
  mayReset,
  screenOf,
  step,
  type FlowContext,
  type FlowEvent,
  type FlowIntent,
  type FlowState,
} from '../../electron/kiosk/flow';
import { guidance, nextStepFor } from '../../electron/kiosk/guidance';
import type { CardInfo } from '../../electron/kiosk/ports';

const JST = 9 * 3600_000;
const at = (h: number, m: number) => Date.UTC(2026, 10, 25, h, m) - JST;
const EMPTY: ReaderStatus = { state: 'empty', name: 'R' };
const PRESENT: ReaderStatus = { state: 'card-present', name: 'R' };

let op = 0;
function ctx(over: Partial<FlowContext> = {}): FlowContext {
  return { now: at(10, 0), chain: 'seven-eleven', maintenance: [], reader: EMPTY, op: ++op, ...over };
}

function info(over: Partial<CardInfo> = {}): CardInfo {
  return {
    isMyNumberCard: true,
    isSimulatorCard: true,
    cardId: 'C1',
    cardExpiresAt: at(10, 0) + 365 * 86_400_000,
    certificates: { sign: 'valid', auth: 'valid' },
    triesLeft: { sign: 5, auth: 3 },
    ...over,
  };
}

/** Runs intents from a state; fails the test if one is refused. */
function run(state: FlowState, intents: FlowIntent[], c: Partial<FlowContext> = {}): FlowState {
  let s = state;
  for (const intent of intents) {
    const r = step(s, { type: 'intent', intent }, ctx(c));
    expect(r, `intent ${intent.type} from ${s.tag}`).not.toBeNull();
    s = r!.state;
  }
  return s;
}

function ev(state: FlowState, event: FlowEvent, c: Partial<FlowContext> = {}) {
  const r = step(state, event, ctx(c));
  expect(r, `${event.type} from ${state.tag}`).not.toBeNull();
  return r!;
}

const toNotice = (kind: ResetKind, c: Partial<FlowContext> = {}) =>
  run(INITIAL_STATE, [
    { type: 'choose-service', service: 'admin' },
    { type: 'choose-admin-item', item: 'my-number-card' },
    { type: 'choose-card-option', option: kind === 'sign' ? 'reset-sign' : 'reset-auth' },
  ], c);

function reading(kind: ResetKind): Extract<FlowState, { tag: 'reading-card' }> {
  const s = ev(toNotice(kind), { type: 'intent', intent: { type: 'agree' } }, { reader: PRESENT }).state;
  expect(s.tag).toBe('reading-card');
  return s as Extract<FlowState, { tag: 'reading-card' }>;
}

function afterRead(kind: ResetKind, card: CardInfo = info()) {
  const r = reading(kind);
  return ev(r, { type: 'card-read', op: r.op, result: { ok: true, info: card } });
}

function otherPasswordScreen(kind: ResetKind) {
  const checking = afterRead(kind).state as Extract<FlowState, { tag: 'checking-reservation' }>;
  expect(checking.tag).toBe('checking-reservation');
  return ev(checking, { type: 'reservation-checked', op: checking.op, result: { status: 'usable', reservationId: 'R1' } }).state;
}

function verified(kind: ResetKind) {
  const pwd = kind === 'sign' ? '1234' : 'ABC123';
  const v = ev(otherPasswordScreen(kind), { type: 'intent', intent: { type: 'submit-other-password', value: pwd } }).state as Extract<FlowState, { tag: 'verifying' }>;
  expect(v.tag).toBe('verifying');
  return ev(v, { type: 'password-verified', op: v.op, result: { result: 'verified' } }).state;
}

function guidanceOf(s: FlowState): Extract<Screen, { id: 'guidance' }> {
  expect(s.tag).toBe('guidance');
  return screenOf(s, { chain: 'seven-eleven' }) as Extract<Screen, { id: 'guidance' }>;
}

describe('flow: menus', () => {
  it('top menu shows 行政サービス enabled and the other services disabled', () => {
    const top = screenOf(INITIAL_STATE, { chain: 'lawson' });
    expect(top).toMatchObject({ id: 'top' });
    if (top.id !== 'top') throw new Error();
    expect(top.services.filter((s) => s.enabled).map((s) => s.service)).toEqual(['admin']);
    expect(top.services.length).toBeGreaterThan(3);
  });

  it('refuses disabled services and items (a stale tap changes nothing)', () => {
    expect(step(INITIAL_STATE, { type: 'intent', intent: { type: 'choose-service', service: 'copy' } }, ctx())).toBeNull();
    const admin = run(INITIAL_STATE, [{ type: 'choose-service', service: 'admin' }]);
    expect(step(admin, { type: 'intent', intent: { type: 'choose-admin-item', item: 'certificates' } }, ctx())).toBeNull();
    expect(step(INITIAL_STATE, { type: 'intent', intent: { type: 'submit-new-password', value: 'ABC123' } }, ctx())).toBeNull();
  });

  it.each<[ChainId, boolean]>([
    ['seven-eleven', true],
    ['aeon', true],
    ['lawson', false],
    ['familymart', false],
    ['ministop', false],
    ['other-fujifilm', false],
  ])('card menu at %s offers 利用者証明用: %s', (chain, offered) => {
    const menu = run(INITIAL_STATE, [{ type: 'choose-service', service: 'admin' }, { type: 'choose-admin-item', item: 'my-number-card' }], { chain });
    const screen = screenOf(menu, { chain });
    expect(screen).toMatchObject({
      id: 'card-menu',
      options: [
        { option: 'reset-sign', offered: true },
        { option: 'reset-auth', offered },
        { option: 'reset-juki', offered: false },
        { option: 'reset-text', offered: false },
      ],
    });
  });

  it('back goes one screen back until the card is read', () => {
    const notice = toNotice('sign');
    const card = run(notice, [{ type: 'back' }]);
    expect(card.tag).toBe('card-menu');
    expect(run(card, [{ type: 'back' }]).tag).toBe('admin-menu');
    expect(run(card, [{ type: 'back' }, { type: 'back' }]).tag).toBe('top');
    const place = run(notice, [{ type: 'agree' }]);
    expect(place.tag).toBe('place-card');
    expect(run(place, [{ type: 'back' }]).tag).toBe('notice');
  });

  it('agree with a card already on the reader reads it at once; without one waits for it', () => {
    expect(run(toNotice('sign'), [{ type: 'agree' }]).tag).toBe('place-card');
    const r = ev(toNotice('sign'), { type: 'intent', intent: { type: 'agree' } }, { reader: PRESENT });
    expect(r.state.tag).toBe('reading-card');
    expect(r.effects.map((e) => e.type)).toEqual(['read-card']);
    const placed = ev(run(toNotice('auth'), [{ type: 'agree' }]), { type: 'card-placed' });
    expect(placed.state.tag).toBe('reading-card');
  });
});

describe('flow: the whole happy path, both resets', () => {
  it.each<[ResetKind, ResetKind, string]>([
    ['sign', 'auth', 'NEW1PASS'],
    ['auth', 'sign', '9876'],
  ])('reset %s: asks the %s password, then the new one twice, then writes, then done', (kind, other, newPwd) => {
    const otherScreen = screenOf(otherPasswordScreen(kind), { chain: 'seven-eleven' });
    expect(otherScreen).toMatchObject({ id: 'other-password', kind, password: other, triesLeft: other === 'auth' ? 3 : 5, maxTries: other === 'auth' ? 3 : 5 });
    expect(otherScreen).toMatchObject({ inputMode: other === 'auth' ? 'numeric' : 'alphanumeric' });

    const first = verified(kind);
    expect(screenOf(first, { chain: 'seven-eleven' })).toMatchObject({ id: 'new-password', kind, password: kind, step: 'first', problem: null });
    const confirm = ev(first, { type: 'intent', intent: { type: 'submit-new-password', value: newPwd } }).state;
    expect(screenOf(confirm, { chain: 'seven-eleven' })).toMatchObject({ id: 'new-password', step: 'confirm' });
    const w = ev(confirm, { type: 'intent', intent: { type: 'submit-new-password', value: newPwd } });
    expect(w.state.tag).toBe('writing');
    expect(w.effects).toHaveLength(1);
    expect(w.effects[0]).toMatchObject({ type: 'reset-card', kind, reservation: { cardId: 'C1', kind, reservationId: 'R1' }, verified: { cardId: 'C1', password: other } });
    expect(screenOf(w.state, { chain: 'seven-eleven' })).toMatchObject({ id: 'progress', step: 'authorizing', doNotRemoveCard: true });
    const writing = w.state as Extract<FlowState, { tag: 'writing' }>;
    expect(step(writing, { type: 'intent', intent: { type: 'cancel' } }, ctx())).toBeNull();
    const done = ev(writing, { type: 'reset-finished', op: writing.op, outcome: { result: 'reset', confirmed: true } }).state;
    expect(done).toEqual({ tag: 'done', kind });
    const take = ev(done, { type: 'intent', intent: { type: 'acknowledge' } }, { reader: PRESENT }).state;
    expect(take).toEqual({ tag: 'take-card', after: 'completed' });
    expect(ev(take, { type: 'card-removed' }).state).toEqual({ tag: 'top' });
  });

  it('the snapshot of the writing step and of new-password never holds the password', () => {
    const confirm = ev(verified('sign'), { type: 'intent', intent: { type: 'submit-new-password', value: 'SECRET9' } }).state;
    expect(JSON.stringify(confirm)).not.toContain('SECRET9');
    expect(JSON.stringify(screenOf(confirm, { chain: 'seven-eleven' }))).not.toContain('SECRET9');
    const w = ev(confirm, { type: 'intent', intent: { type: 'submit-new-password', value: 'SECRET9' } });
    expect(JSON.stringify(w)).not.toContain('SECRET9');
    expect(String((w.effects[0] as { newPassword: unknown }).newPassword)).not.toContain('SECRET9');
  });
});

describe('flow: password screens', () => {
  it('a badly formed other password is not sent to the card (no try used)', () => {
    const s = ev(otherPasswordScreen('sign'), { type: 'intent', intent: { type: 'submit-other-password', value: '12' } });
    expect(s.effects).toEqual([]);
    expect(screenOf(s.state, { chain: 'seven-eleven' })).toMatchObject({ id: 'other-password', problem: 'too-short', triesLeft: 3 });
  });

  it('a wrong other password shows the tries left; the last wrong one locks and sends to the counter', () => {
    let s = otherPasswordScreen('sign');
    for (const left of [2, 1]) {
      const v = ev(s, { type: 'intent', intent: { type: 'submit-other-password', value: '0000' } }).state as Extract<FlowState, { tag: 'verifying' }>;
      s = ev(v, { type: 'password-verified', op: v.op, result: { result: 'wrong', triesLeft: left } }).state;
      expect(screenOf(s, { chain: 'seven-eleven' })).toMatchObject({ id: 'other-password', problem: 'wrong-password', triesLeft: left });
    }
    const v = ev(s, { type: 'intent', intent: { type: 'submit-other-password', value: '0000' } }).state as Extract<FlowState, { tag: 'verifying' }>;
    const locked = ev(v, { type: 'password-verified', op: v.op, result: { result: 'wrong', triesLeft: 0 } }).state;
    expect(guidanceOf(locked)).toMatchObject({ reason: 'other-password-locked', next: 'municipal-counter-with-id', changed: 'nothing' });
  });

  it('"I do not know it either" ends on the both-unknown guidance', () => {
    const s = ev(otherPasswordScreen('auth'), { type: 'intent', intent: { type: 'dont-know-other-password' } }).state;
    expect(guidanceOf(s)).toMatchObject({ reason: 'both-passwords-unknown', next: 'municipal-counter-with-id' });
  });

  it.each<[ResetKind, string, string]>([
    ['sign', 'abc123', 'invalid-character'],
    ['sign', 'ABCDEF', 'needs-digit'],
    ['sign', '123456', 'needs-letter'],
    ['sign', 'A1', 'too-short'],
    ['sign', 'A1234567890123456', 'too-long'],
    ['auth', '12a4', 'digits-only-allowed'],
    ['auth', '123', 'too-short'],
    ['auth', '', 'empty'],
  ])('new %s password %j → %s, stays on the first entry', (kind, value, problem) => {
    const s = ev(verified(kind), { type: 'intent', intent: { type: 'submit-new-password', value } }).state;
    expect(screenOf(s, { chain: 'seven-eleven' })).toMatchObject({ id: 'new-password', step: 'first', problem });
  });

  it('a confirmation that does not match goes back to the first entry with `mismatch`', () => {
    const confirm = ev(verified('sign'), { type: 'intent', intent: { type: 'submit-new-password', value: 'NEW1PASS' } }).state;
    const s = ev(confirm, { type: 'intent', intent: { type: 'submit-new-password', value: 'NEW1PASX' } });
    expect(s.effects).toEqual([]);
    expect(screenOf(s.state, { chain: 'seven-eleven' })).toMatchObject({ id: 'new-password', step: 'first', problem: 'mismatch' });
  });
});

describe('flow: every refusal ends on guidance with a next step', () => {
  const year = 365 * 86_400_000;
  it.each<[string, ResetKind, Partial<CardInfo>, GuidanceReason]>([
    ['not a My Number card', 'sign', { isMyNumberCard: false, cardId: null }, 'not-my-number-card'],
    ['a real (non-simulator) card', 'sign', { isSimulatorCard: false }, 'real-card'],
    ['an expired card', 'sign', { cardExpiresAt: at(10, 0) - 1 }, 'card-expired'],
    ['under 15: no signature certificate (sign reset)', 'sign', { certificates: { sign: 'absent', auth: 'valid' } }, 'no-signature-certificate'],
    ['under 15: no signature certificate (auth reset)', 'auth', { certificates: { sign: 'absent', auth: 'valid' } }, 'no-signature-certificate'],
    ['signature certificate revoked after a move', 'sign', { certificates: { sign: 'revoked', auth: 'valid' } }, 'certificate-revoked'],
    ['signature certificate expired', 'sign', { certificates: { sign: 'expired', auth: 'valid' } }, 'certificate-expired'],
    ['auth certificate expired', 'auth', { certificates: { sign: 'valid', auth: 'expired' } }, 'certificate-expired'],
    ['other password locked (sign reset, auth locked)', 'sign', { triesLeft: { sign: 2, auth: 0 } }, 'other-password-locked'],
    ['other password locked (auth reset, sign locked)', 'auth', { triesLeft: { sign: 0, auth: 3 } }, 'other-password-locked'],
    ['both locked', 'sign', { triesLeft: { sign: 0, auth: 0 } }, 'both-passwords-locked'],
  ])('%s', (_what, kind, over, reason) => {
    const card = info(over);
    expect(cardRefusal(card, kind, at(10, 0))).toBe(reason);
    const g = guidanceOf(afterRead(kind, card).state);
    expect(g).toMatchObject({ reason, next: nextStepFor(reason, kind), kind, changed: 'nothing' });
  });

  it('a locked target password is the normal reason to come: not a refusal', () => {
    expect(cardRefusal(info({ triesLeft: { sign: 0, auth: 3 } }), 'sign', at(10, 0))).toBeNull();
    expect(cardRefusal(info({ cardExpiresAt: at(10, 0) + year }), 'auth', at(10, 0))).toBeNull();
  });

  it.each<[string, number, GuidanceReason, number]>([
    ['06:29 is closed', at(6, 29), 'outside-hours', at(6, 30)],
    ['23:00 is closed', at(23, 0), 'outside-hours', at(6, 30) + 86_400_000],
  ])('hours: %s', (_what, now, reason, opensAt) => {
    const s = run(INITIAL_STATE, [{ type: 'choose-service', service: 'admin' }, { type: 'choose-admin-item', item: 'my-number-card' }], { now });
    expect(guidanceOf(s)).toMatchObject({ reason, next: 'come-back-when-open', opensAt, changed: null });
  });

  it('hours: 06:30 and 22:59 are open; the notice re-checks at 同意', () => {
    expect(toNotice('sign', { now: at(6, 30) }).tag).toBe('notice');
    expect(toNotice('sign', { now: at(22, 59) }).tag).toBe('notice');
    const late = run(toNotice('sign', { now: at(22, 59) }), [{ type: 'agree' }], { now: at(23, 0) });
    expect(guidanceOf(late)).toMatchObject({ reason: 'outside-hours' });
  });

  it('maintenance window', () => {
    const maintenance = [{ from: at(9, 0), until: at(11, 0) }];
    const s = run(INITIAL_STATE, [{ type: 'choose-service', service: 'admin' }, { type: 'choose-admin-item', item: 'my-number-card' }], { maintenance });
    expect(guidanceOf(s)).toMatchObject({ reason: 'maintenance', opensAt: at(11, 0) });
  });

  it('a chain without 利用者証明用 explains and names the chains that have it', () => {
    const s = run(INITIAL_STATE, [
      { type: 'choose-service', service: 'admin' },
      { type: 'choose-admin-item', item: 'my-number-card' },
      { type: 'choose-card-option', option: 'reset-auth' },
    ], { chain: 'lawson' });
    expect(guidanceOf(s)).toMatchObject({ reason: 'chain-does-not-offer', next: 'other-store-or-counter', kind: 'auth', chains: ['seven-eleven', 'aeon'] });
  });

  it.each(['reset-juki', 'reset-text'] as const)('%s is counter-only', (option) => {
    const s = run(INITIAL_STATE, [{ type: 'choose-service', service: 'admin' }, { type: 'choose-admin-item', item: 'my-number-card' }, { type: 'choose-card-option', option }]);
    expect(guidanceOf(s)).toMatchObject({ reason: 'counter-only-pin', next: 'municipal-counter' });
  });

  it.each([
    ['no-reservation', 'book-in-app'],
    ['reservation-expired', 'book-in-app'],
    ['reservation-used', 'book-in-app'],
    ['app-locked', 'municipal-counter'],
  ] as const)('center: %s → %s', (refusal, next) => {
    const checking = afterRead('sign').state as Extract<FlowState, { tag: 'checking-reservation' }>;
    const s = ev(checking, { type: 'reservation-checked', op: checking.op, result: { status: 'refused', refusal } }).state;
    expect(guidanceOf(s)).toMatchObject({ reason: refusal, next, changed: 'nothing' });
  });

  it('center unavailable and reader unavailable', () => {
    const checking = afterRead('sign').state as Extract<FlowState, { tag: 'checking-reservation' }>;
    const s = ev(checking, { type: 'reservation-checked', op: checking.op, result: { status: 'unavailable' } }).state;
    expect(guidanceOf(s)).toMatchObject({ reason: 'center-unavailable', next: 'try-later-or-ask-staff', changed: 'nothing' });
    const r = run(toNotice('sign'), [{ type: 'agree' }], { reader: { state: 'unavailable', name: null } });
    expect(guidanceOf(r)).toMatchObject({ reason: 'reader-unavailable', next: 'try-later-or-ask-staff' });
    const failed = reading('sign');
    expect(guidanceOf(ev(failed, { type: 'card-read', op: failed.op, result: { ok: false, failure: 'reader-unavailable' } }).state)).toMatchObject({ reason: 'reader-unavailable' });
  });

  it('every guidance reason has a next step', () => {
    const reasons: GuidanceReason[] = [
      'outside-hours', 'maintenance', 'no-reservation', 'reservation-expired', 'reservation-used', 'app-locked', 'chain-does-not-offer',
      'other-password-locked', 'both-passwords-locked', 'both-passwords-unknown', 'no-signature-certificate', 'certificate-revoked',
      'certificate-expired', 'card-expired', 'not-my-number-card', 'real-card', 'counter-only-pin', 'card-removed', 'reader-unavailable',
      'center-unavailable', 'card-error',
    ];
    const seen = new Set<NextStep>();
    for (const r of reasons) for (const k of ['sign', 'auth'] as const) seen.add(guidance(r, { kind: k }).next);
    expect(seen.size).toBeGreaterThan(8);
  });
});

describe('flow: card removed at every step', () => {
  const states: [string, () => FlowState][] = [
    ['reading the card', () => reading('sign')],
    ['checking the reservation', () => afterRead('sign').state],
    ['other password', () => otherPasswordScreen('sign')],
    ['verifying', () => ev(otherPasswordScreen('sign'), { type: 'intent', intent: { type: 'submit-other-password', value: '1234' } }).state],
    ['new password', () => verified('sign')],
    ['new password confirmation', () => ev(verified('sign'), { type: 'intent', intent: { type: 'submit-new-password', value: 'NEW1PASS' } }).state],
  ];
  it.each(states)('%s → "nothing was changed"', (_what, make) => {
    const s = ev(make(), { type: 'card-removed' }).state;
    expect(guidanceOf(s)).toMatchObject({ reason: 'card-removed', changed: 'nothing', next: 'start-again' });
  });

  it.each(states)('%s, reader lost → reader unavailable, nothing changed', (_what, make) => {
    expect(guidanceOf(ev(make(), { type: 'reader-lost' }).state)).toMatchObject({ reason: 'reader-unavailable', changed: 'nothing' });
  });

  function writing() {
    const confirm = ev(verified('sign'), { type: 'intent', intent: { type: 'submit-new-password', value: 'NEW1PASS' } }).state;
    return ev(confirm, { type: 'intent', intent: { type: 'submit-new-password', value: 'NEW1PASS' } }).state as Extract<FlowState, { tag: 'writing' }>;
  }

  it.each([
    ['the reset completed', { result: 'reset', confirmed: false }, 'reset-completed'],
    ['the card was not written (the reservation is not spent)', { result: 'not-reset', cause: 'card-removed' }, 'not-written'],
    ['the write was cut off', { result: 'unknown', cause: 'card-removed' }, 'unknown'],
  ] as const)('while writing, the screen waits for the outcome and says truthfully: %s', (_what, outcome, changed) => {
    const w = writing();
    const removed = ev(w, { type: 'card-removed' }).state as Extract<FlowState, { tag: 'writing' }>;
    expect(removed.tag).toBe('writing');
    const s = ev(removed, { type: 'reset-finished', op: w.op, outcome }).state;
    expect(guidanceOf(s)).toMatchObject({ reason: 'card-removed', changed });
  });

  it('menus and the place-card screen ignore a card leaving; done and take-card go back to the top', () => {
    expect(step(toNotice('sign'), { type: 'card-removed' }, ctx())).toBeNull();
    expect(step(run(toNotice('sign'), [{ type: 'agree' }]), { type: 'card-removed' }, ctx())).toBeNull();
    expect(ev({ tag: 'done', kind: 'sign' }, { type: 'card-removed' }).state).toEqual({ tag: 'top' });
    expect(ev({ tag: 'take-card', after: 'refused' }, { type: 'card-removed' }).state).toEqual({ tag: 'top' });
  });
});

describe('flow: stale results and cancel', () => {
  it('a result for an older operation is ignored', () => {
    const r = reading('sign');
    expect(step(r, { type: 'card-read', op: r.op - 1, result: { ok: true, info: info() } }, ctx())).toBeNull();
  });

  it('cancel ends the session: take-card with a card on the reader, else the top; never while writing or verifying', () => {
    expect(ev(toNotice('sign'), { type: 'intent', intent: { type: 'cancel' } }).state).toEqual({ tag: 'top' });
    expect(ev(otherPasswordScreen('sign'), { type: 'intent', intent: { type: 'cancel' } }, { reader: PRESENT }).state).toEqual({ tag: 'take-card', after: 'cancelled' });
    const verifying = ev(otherPasswordScreen('sign'), { type: 'intent', intent: { type: 'submit-other-password', value: '1234' } }).state;
    expect(step(verifying, { type: 'intent', intent: { type: 'cancel' } }, ctx())).toBeNull();
    expect(step(INITIAL_STATE, { type: 'intent', intent: { type: 'cancel' } }, ctx())).toBeNull();
  });

  it('no やめる once the session has ended (done, guidance, take-card): their own button closes them', () => {
    const refused = run(INITIAL_STATE, [
      { type: 'choose-service', service: 'admin' },
      { type: 'choose-admin-item', item: 'my-number-card' },
      { type: 'choose-card-option', option: 'reset-juki' },
    ]);
    expect(refused.tag).toBe('guidance');
    const ended: FlowState[] = [refused, { tag: 'done', kind: 'sign' }, { tag: 'take-card', after: 'completed' }];
    for (const state of ended) {
      expect(canCancel(state)).toBe(false);
      expect(step(state, { type: 'intent', intent: { type: 'cancel' } }, ctx({ reader: PRESENT }))).toBeNull();
    }
    expect(canCancel(toNotice('sign'))).toBe(true);
  });

  it('timeouts end the session on ordinary screens; none while the kiosk works', () => {
    expect(ev(otherPasswordScreen('sign'), { type: 'timeout' }, { reader: PRESENT }).state).toEqual({ tag: 'take-card', after: 'timed-out' });
    expect(ev(toNotice('auth'), { type: 'timeout' }).state).toEqual({ tag: 'top' });
    expect(ev({ tag: 'take-card', after: 'completed' }, { type: 'timeout' }, { reader: PRESENT }).state).toEqual({ tag: 'top' });
    expect(step(reading('sign'), { type: 'timeout' }, ctx())).toBeNull();
    expect(step(INITIAL_STATE, { type: 'timeout' }, ctx())).toBeNull();
  });

  it('take-card: 確認 only once the card is off the reader', () => {
    const t: FlowState = { tag: 'take-card', after: 'refused' };
    expect(step(t, { type: 'intent', intent: { type: 'acknowledge' } }, ctx({ reader: PRESENT }))).toBeNull();
    expect(ev(t, { type: 'intent', intent: { type: 'acknowledge' } }).state).toEqual({ tag: 'top' });
  });
});

describe('flow: the reset invariant', () => {
  it('mayReset holds only for the writing state of this card, this kind, with the other password verified', () => {
    const confirm = ev(verified('sign'), { type: 'intent', intent: { type: 'submit-new-password', value: 'NEW1PASS' } }).state;
    const w = ev(confirm, { type: 'intent', intent: { type: 'submit-new-password', value: 'NEW1PASS' } }).state as Extract<FlowState, { tag: 'writing' }>;
    expect(mayReset(w, 'C1', 'sign')).toBe(true);
    expect(mayReset(w, 'C2', 'sign')).toBe(false);
    expect(mayReset(w, 'C1', 'auth')).toBe(false);
    expect(mayReset({ ...w, verified: { cardId: 'C1', password: 'sign' } }, 'C1', 'sign')).toBe(false);
    expect(mayReset({ ...w, verified: { cardId: 'C2', password: 'auth' } }, 'C1', 'sign')).toBe(false);
    expect(mayReset({ ...w, reservation: { ...w.reservation, cardId: 'C2' } }, 'C1', 'sign')).toBe(false);
    expect(mayReset(confirm, 'C1', 'sign')).toBe(false);
  });

  it('no event sequence reaches writing without passing verification: only new-password leads there', () => {
    // Every state that could emit reset-card: try submitting a new password from each.
    const candidates: FlowState[] = [INITIAL_STATE, toNotice('sign'), reading('sign'), afterRead('sign').state, otherPasswordScreen('sign')];
    for (const s of candidates) {
      const r = step(s, { type: 'intent', intent: { type: 'submit-new-password', value: 'NEW1PASS' } }, ctx({ reader: PRESENT }));
      expect(r?.effects.some((e) => e.type === 'reset-card') ?? false).toBe(false);
    }
  });
});
