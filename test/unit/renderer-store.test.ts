/**
 * The renderer's store: it mirrors the newest valid snapshot and turns touches into intents. It
 * refuses malformed or out-of-order snapshots, reports a lost link, and never keeps a password.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { judgeSnapshot, screenKey } from '../../renderer/src/stores/snapshot';
import { useKioskStore } from '../../renderer/src/stores/kiosk';
import { FakeKioskApi, snapshotOf, TOP_SCREEN } from '../fakes/renderer-kiosk';
import type { Screen } from '../../electron/contract/kiosk';

const OTHER_PIN: Screen = {
  id: 'other-password',
  kind: 'sign',
  password: 'auth',
  inputMode: 'numeric',
  minLength: 4,
  maxLength: 4,
  triesLeft: 3,
  maxTries: 3,
  problem: null,
};

describe('judgeSnapshot', () => {
  it('takes the first valid snapshot and then only newer ones', () => {
    const first = snapshotOf(TOP_SCREEN, { seq: 5 });
    expect(judgeSnapshot(null, first)).toEqual({ take: true, snapshot: first });
    expect(judgeSnapshot(first, snapshotOf(TOP_SCREEN, { seq: 5 }))).toEqual({ take: false, why: 'stale' });
    expect(judgeSnapshot(first, snapshotOf(TOP_SCREEN, { seq: 4 }))).toEqual({ take: false, why: 'stale' });
    expect(judgeSnapshot(first, snapshotOf(TOP_SCREEN, { seq: 6 })).take).toBe(true);
  });

  it('refuses a malformed snapshot, naming only paths and keywords', () => {
    const bad = { ...snapshotOf(OTHER_PIN), screen: { ...OTHER_PIN, triesLeft: -1, secret: '1234' } };
    const verdict = judgeSnapshot(null, bad);
    expect(verdict.take).toBe(false);
    expect(JSON.stringify(verdict)).not.toContain('1234');
  });

  it('a countdown tick keeps the screen key; a new question changes it', () => {
    const a = snapshotOf(OTHER_PIN, { seq: 1, timeout: { secondsLeft: 60, warning: false } });
    const tick = snapshotOf(OTHER_PIN, { seq: 2, timeout: { secondsLeft: 59, warning: false } });
    const wrong = snapshotOf({ ...OTHER_PIN, triesLeft: 2, problem: 'wrong-password' }, { seq: 3 });
    expect(screenKey(tick)).toBe(screenKey(a));
    expect(screenKey(wrong)).not.toBe(screenKey(a));
  });
});

describe('useKioskStore', () => {
  let api: FakeKioskApi;
  beforeEach(() => {
    setActivePinia(createPinia());
    api = new FakeKioskApi();
  });

  it('shows the core snapshot on connect and follows pushes', async () => {
    const store = useKioskStore();
    expect(store.link).toBe('connecting');
    await store.connect(api);
    expect(store.link).toBe('ready');
    expect(store.screen?.id).toBe('top');
    api.show(OTHER_PIN, { language: 'en' });
    expect(store.screen?.id).toBe('other-password');
    expect(store.language).toBe('en');
  });

  it('ignores a push older than what it shows, and a malformed one', async () => {
    const store = useKioskStore();
    await store.connect(api);
    api.show(OTHER_PIN, { seq: 10 });
    api.pushRaw(snapshotOf(TOP_SCREEN, { seq: 9 }));
    api.pushRaw({ seq: 11, screen: { id: 'nope' } });
    expect(store.screen?.id).toBe('other-password');
    expect(store.snapshot?.seq).toBe(10);
  });

  it('says the terminal is unavailable when there is no core, or it does not answer', async () => {
    const store = useKioskStore();
    await store.connect(null);
    expect(store.link).toBe('unavailable');
    const broken = new FakeKioskApi();
    broken.getSnapshot = () => Promise.reject(new Error('down'));
    await store.connect(broken);
    expect(store.link).toBe('unavailable');
  });

  it('turns touches into the contract intents', async () => {
    const store = useKioskStore();
    await store.connect(api);
    await store.chooseService('admin');
    await store.chooseAdminItem('my-number-card');
    await store.chooseCardOption('reset-auth');
    await store.agree();
    await store.back();
    await store.cancel();
    await store.keepGoing();
    await store.acknowledge();
    await store.dontKnowOtherPassword();
    await store.toggleLanguage();
    expect(api.sent).toEqual([
      { type: 'choose-service', service: 'admin' },
      { type: 'choose-admin-item', item: 'my-number-card' },
      { type: 'choose-card-option', option: 'reset-auth' },
      { type: 'agree' },
      { type: 'back' },
      { type: 'cancel' },
      { type: 'continue' },
      { type: 'acknowledge' },
      { type: 'dont-know-other-password' },
      { type: 'set-language', language: 'en' },
    ]);
  });

  it('key activity carries nothing; a submitted password goes out once and is not kept', async () => {
    const store = useKioskStore();
    await store.connect(api);
    api.show(OTHER_PIN);
    store.inputActivity();
    await store.submitOtherPassword('4821');
    expect(api.sent).toEqual([{ type: 'input-activity' }, { type: 'submit-other-password', value: '4821' }]);
    expect(JSON.stringify(store.$state)).not.toContain('4821');
  });

  it('a refused tap (not-now) is silent; an undeliverable one is reported until the next snapshot', async () => {
    const store = useKioskStore();
    await store.connect(api);
    api.answer = { accepted: false, reason: 'not-now' };
    expect(await store.agree()).toEqual({ accepted: false, reason: 'not-now' });
    expect(store.sendFailed).toBe(false);
    api.answer = new Error('socket closed');
    expect(await store.agree()).toBeNull();
    expect(store.sendFailed).toBe(true);
    api.show(TOP_SCREEN);
    expect(store.sendFailed).toBe(false);
  });
});
