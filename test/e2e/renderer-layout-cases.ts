/**
 * The screens renderer-layout.spec.ts lays out: the busiest variant of each (longest texts, alerts
 * shown), so the layout is tested at its fullest.
 */
import type { Screen, Snapshot } from '../../electron/contract/kiosk';

const PIN_ENTRY: Screen = {
  id: 'other-password',
  kind: 'sign',
  password: 'auth',
  inputMode: 'numeric',
  minLength: 4,
  maxLength: 4,
  triesLeft: 1,
  maxTries: 3,
  problem: 'wrong-password',
};

const SIGN_ENTRY: Screen = {
  id: 'other-password',
  kind: 'auth',
  password: 'sign',
  inputMode: 'alphanumeric',
  minLength: 6,
  maxLength: 16,
  triesLeft: 4,
  maxTries: 5,
  problem: 'wrong-password',
};

export type LayoutCase = {
  readonly name: string;
  readonly screen: Screen;
  readonly snapshot?: Partial<Omit<Snapshot, 'screen'>>;
  /** Open the simulator's card tray (trainer tool) on this view before measuring. */
  readonly openTray?: 'cards' | 'settings';
};

/** The busiest variant of each screen (longest texts, alerts shown), so the layout is tested at its fullest. */
export const LAYOUT_CASES: readonly LayoutCase[] = [
  {
    name: 'top',
    screen: {
      id: 'top',
      services: (['copy', 'print', 'photo', 'scan', 'fax', 'admin'] as const).map((service) => ({ service, enabled: service === 'admin' })),
    },
    snapshot: { timeout: null, canCancel: false },
  },
  { name: 'admin-menu', screen: { id: 'admin-menu', items: [{ item: 'certificates', enabled: false }, { item: 'my-number-card', enabled: true }] } },
  {
    name: 'card-menu',
    screen: {
      id: 'card-menu',
      options: [
        { option: 'reset-sign', offered: true },
        { option: 'reset-auth', offered: false },
        { option: 'reset-juki', offered: false },
        { option: 'reset-text', offered: false },
      ],
    },
  },
  { name: 'notice', screen: { id: 'notice', kind: 'auth' }, snapshot: { journey: 'notice', canGoBack: true } },
  { name: 'place-card', screen: { id: 'place-card', kind: 'sign' }, snapshot: { journey: 'card', canGoBack: true } },
  {
    name: 'progress-writing',
    screen: { id: 'progress', kind: 'sign', step: 'writing-card', doNotRemoveCard: true },
    snapshot: { journey: 'new-password', timeout: null, canCancel: false },
  },
  { name: 'other-password-pin', screen: PIN_ENTRY, snapshot: { journey: 'verify' } },
  { name: 'other-password-sign', screen: SIGN_ENTRY, snapshot: { journey: 'verify' } },
  {
    name: 'new-password-sign',
    screen: { id: 'new-password', kind: 'sign', password: 'sign', inputMode: 'alphanumeric', minLength: 6, maxLength: 16, step: 'first', problem: 'mismatch' },
    snapshot: { journey: 'new-password' },
  },
  {
    name: 'new-password-pin-confirm',
    screen: { id: 'new-password', kind: 'auth', password: 'auth', inputMode: 'numeric', minLength: 4, maxLength: 4, step: 'confirm', problem: null },
    snapshot: { journey: 'new-password' },
  },
  { name: 'done', screen: { id: 'done', kind: 'auth' }, snapshot: { journey: 'done', canCancel: false } },
  { name: 'take-card', screen: { id: 'take-card', after: 'timed-out' }, snapshot: { reader: { state: 'card-present', name: 'Virtual PCD 00 00' }, canCancel: false } },
  {
    name: 'guidance-chains',
    screen: { id: 'guidance', reason: 'chain-does-not-offer', next: 'other-store-or-counter', kind: 'auth', changed: null, opensAt: null, chains: ['seven-eleven', 'aeon'] },
  },
  {
    name: 'guidance-removed-unknown',
    screen: { id: 'guidance', reason: 'card-removed', next: 'start-again', kind: 'sign', changed: 'unknown', opensAt: null, chains: [] },
  },
  {
    name: 'guidance-locked',
    screen: { id: 'guidance', reason: 'both-passwords-unknown', next: 'municipal-counter-with-id', kind: 'auth', changed: 'nothing', opensAt: null, chains: [] },
  },
  { name: 'card-tray', screen: { id: 'place-card', kind: 'auth' }, snapshot: { journey: 'card', canGoBack: true }, openTray: 'cards' },
  { name: 'tray-settings', screen: PIN_ENTRY, snapshot: { journey: 'verify' }, openTray: 'settings' },
  { name: 'timeout-dialog', screen: { id: 'notice', kind: 'sign' }, snapshot: { timeout: { secondsLeft: 9, warning: true }, canGoBack: true } },
];

