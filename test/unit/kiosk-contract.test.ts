/**
 * The window.kiosk contract at the boundary: well-formed messages pass, malformed ones are refused
 * with problems that name paths and keywords only (never the offending value, which may be a PIN).
 */
import { describe, expect, it } from 'vitest';
import { checkIntent, checkSnapshot, IntentSchema, type Snapshot } from '../../electron/contract/kiosk';
import { ContractError, parse } from '../../electron/contract/schema';
import { checkSettingsPatch } from '../../electron/contract/trainer';
import { checkClientMessage, checkServerMessage, decodeFrame } from '../../electron/contract/wire';

const PIN = '4071';

const snapshot: Snapshot = {
  seq: 3,
  sessionId: 's-1',
  screen: {
    id: 'other-password',
    kind: 'sign',
    password: 'auth',
    inputMode: 'numeric',
    minLength: 4,
    maxLength: 4,
    triesLeft: 2,
    maxTries: 3,
    problem: 'wrong-password',
  },
  language: 'ja',
  chain: 'seven-eleven',
  reader: { state: 'card-present', name: 'Virtual PCD 00 00' },
  clock: { mode: 'fixed', now: 1_764_000_000_000, offsetMs: -5000 },
  timeout: { secondsLeft: 42, warning: false },
  canCancel: true,
  canGoBack: false,
  journey: 'verify',
};

describe('kiosk contract: intents', () => {
  it.each([
    [{ type: 'choose-service', service: 'admin' }],
    [{ type: 'choose-admin-item', item: 'my-number-card' }],
    [{ type: 'choose-card-option', option: 'reset-auth' }],
    [{ type: 'agree' }],
    [{ type: 'cancel' }],
    [{ type: 'continue' }],
    [{ type: 'input-activity' }],
    [{ type: 'submit-other-password', value: PIN }],
    [{ type: 'submit-new-password', value: 'ABC123' }],
    [{ type: 'set-language', language: 'en' }],
    [{ type: 'acknowledge' }],
  ])('accepts %j', (intent) => {
    expect(checkIntent(intent).ok).toBe(true);
  });

  it.each([
    ['unknown type', { type: 'reset-card-now' }],
    ['not an object', 'agree'],
    ['null', null],
    ['unknown service', { type: 'choose-service', service: 'atm' }],
    ['extra field (a PIN smuggled into a touch)', { type: 'agree', value: PIN }],
    ['password not a string', { type: 'submit-other-password', value: 4071 }],
    ['password missing', { type: 'submit-other-password' }],
    ['oversized password', { type: 'submit-new-password', value: 'A1'.repeat(40) }],
    ['unknown language', { type: 'set-language', language: 'fr' }],
    ['keystroke content on input-activity', { type: 'input-activity', key: '4' }],
  ])('refuses %s', (_what, intent) => {
    const r = checkIntent(intent);
    expect(r.ok).toBe(false);
  });

  it('never echoes the offending value in problems or error messages', () => {
    const bad = { type: 'submit-other-password', value: PIN, extra: PIN };
    const r = checkIntent(bad);
    expect(r.ok).toBe(false);
    expect(JSON.stringify(r)).not.toContain(PIN);
    let thrown: unknown;
    try {
      parse('intent', IntentSchema, bad);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(ContractError);
    expect((thrown as ContractError).code).toBe('INVALID_MESSAGE');
    expect((thrown as Error).message).not.toContain(PIN);
  });
});

describe('kiosk contract: snapshots and wire messages', () => {
  it('accepts a full snapshot and refuses one with an unknown screen or extra field', () => {
    expect(checkSnapshot(snapshot).ok).toBe(true);
    expect(checkSnapshot({ ...snapshot, screen: { id: 'secret-admin' } }).ok).toBe(false);
    expect(checkSnapshot({ ...snapshot, enteredPin: PIN }).ok).toBe(false);
    expect(checkSnapshot({ ...snapshot, screen: { ...snapshot.screen, value: PIN } }).ok).toBe(false);
  });

  it('checks client calls per method', () => {
    expect(checkClientMessage({ type: 'call', id: 1, method: 'getSnapshot' }).ok).toBe(true);
    expect(checkClientMessage({ type: 'call', id: 2, method: 'send', intent: { type: 'agree' } }).ok).toBe(true);
    expect(checkClientMessage({ type: 'call', id: 2, method: 'send', intent: { type: 'nope' } }).ok).toBe(false);
    expect(checkClientMessage({ type: 'call', id: -1, method: 'getSnapshot' }).ok).toBe(false);
    expect(checkClientMessage({ type: 'call', id: 3, method: 'eval', code: '1' }).ok).toBe(false);
    expect(checkClientMessage({ type: 'call', id: 4, method: 'updateSettings', patch: { chain: 'lawson' } }).ok).toBe(true);
  });

  it('checks server messages', () => {
    expect(checkServerMessage({ type: 'snapshot', snapshot }).ok).toBe(true);
    expect(checkServerMessage({ type: 'reply', id: 1, ok: true, value: { accepted: true } }).ok).toBe(true);
    expect(checkServerMessage({ type: 'reply', id: null, ok: false, error: { code: 'INVALID_MESSAGE', message: 'x' } }).ok).toBe(true);
    expect(checkServerMessage({ type: 'reply', id: 1, ok: false, error: { code: 'TEAPOT', message: 'x' } }).ok).toBe(false);
  });

  it('checks settings patches', () => {
    expect(checkSettingsPatch({ clock: { mode: 'offset', offsetMs: -3_600_000 } }).ok).toBe(true);
    expect(checkSettingsPatch({ clock: { mode: 'fixed' } }).ok).toBe(false);
    expect(checkSettingsPatch({ timeouts: { inactivitySeconds: 1, warningSeconds: 3, takeCardSeconds: 30 } }).ok).toBe(false);
    expect(checkSettingsPatch({ chain: 'circle-k' }).ok).toBe(false);
  });

  it('decodes frames: refuses non-JSON and oversized text', () => {
    expect(decodeFrame('{"type":"call"}').ok).toBe(true);
    expect(decodeFrame('{nope').ok).toBe(false);
    expect(decodeFrame('"' + 'x'.repeat(70_000) + '"').ok).toBe(false);
  });
});
