/**
 * A small in-memory window.kiosk for renderer tests: it shows whatever snapshot a test pushes and
 * records the intents the screens send. It decides nothing — the real decisions are the core's and
 * are tested there; here the question is only "does this snapshot show the right screen, and does
 * this touch send the right intent". Test-only: never part of the renderer bundle.
 */
import type { KioskApi, TrainerApi } from '../../electron/contract/api';
import type { Intent, Screen, SendResult, Snapshot } from '../../electron/contract/kiosk';
import type { SettingsPatch, SettingsResult, SettingsView, TrainerResult, VirtualCardsView } from '../../electron/contract/trainer';

/** A valid snapshot showing `screen`, with everyday defaults a test can override. */
export function snapshotOf(screen: Screen, overrides: Partial<Omit<Snapshot, 'screen'>> = {}): Snapshot {
  return {
    seq: 1,
    sessionId: screen.id === 'top' ? null : 'session-1',
    screen,
    language: 'ja',
    chain: 'seven-eleven',
    reader: { state: 'empty', name: 'Virtual PCD 00 00' },
    // 2026-11-25 10:00 in Japan.
    clock: { mode: 'fixed', now: Date.UTC(2026, 10, 25, 1, 0), offsetMs: 0 },
    timeout: screen.id === 'top' ? null : { secondsLeft: 90, warning: false },
    // As the core: nothing to cancel at the top or once the session has ended.
    canCancel: !['top', 'done', 'guidance', 'take-card'].includes(screen.id),
    canGoBack: screen.id === 'admin-menu' || screen.id === 'card-menu' || screen.id === 'notice' || screen.id === 'place-card',
    journey: null,
    ...overrides,
  };
}

export const TOP_SCREEN: Screen = {
  id: 'top',
  services: [
    { service: 'copy', enabled: false },
    { service: 'print', enabled: false },
    { service: 'photo', enabled: false },
    { service: 'scan', enabled: false },
    { service: 'fax', enabled: false },
    { service: 'admin', enabled: true },
  ],
};

const SETTINGS: SettingsView = {
  chain: 'seven-eleven',
  clock: { mode: 'system' },
  readerName: '',
  centerUrl: '',
  centerKeySet: false,
  timeouts: { inactivitySeconds: 120, warningSeconds: 20, takeCardSeconds: 30 },
  language: 'ja',
  maintenance: [],
};

/** Virtual cards on a fake tray: placing one shows the kiosk a card on its reader (a pushed snapshot). */
export class FakeTrainer implements TrainerApi {
  readonly calls: string[] = [];
  available = true;
  placed: string | null = null;

  constructor(
    private readonly kiosk: FakeKioskApi,
    readonly cards: VirtualCardsView['cards'] = [
      { name: 'adult', persona: 'adult', holderName: '番号 花子' },
      { name: 'sign-locked', persona: 'sign-locked', holderName: '鍵田 一郎' },
    ],
  ) {}

  #view(): VirtualCardsView {
    return { available: this.available, cards: this.cards, placed: this.placed };
  }

  async listCards(): Promise<VirtualCardsView> {
    this.calls.push('list');
    return this.#view();
  }

  async placeCard(name: string): Promise<TrainerResult> {
    this.calls.push(`place ${name}`);
    if (!this.available) return { ok: false, problem: 'reader-unavailable' };
    if (!this.cards.some((c) => c.name === name)) return { ok: false, problem: 'no-such-card' };
    this.placed = name;
    this.kiosk.update({ reader: { state: 'card-present', name: 'Virtual PCD 00 00' } });
    return { ok: true, cards: this.#view() };
  }

  async removeCard(): Promise<TrainerResult> {
    this.calls.push('remove');
    this.placed = null;
    this.kiosk.update({ reader: { state: 'empty', name: 'Virtual PCD 00 00' } });
    return { ok: true, cards: this.#view() };
  }
}

export class FakeKioskApi implements KioskApi {
  readonly host = 'browser' as const;
  /** Every intent the renderer sent, in order. */
  readonly sent: Intent[] = [];
  /** What `send` answers; a test may set `not-now` or make it throw. */
  answer: SendResult | Error = { accepted: true };
  /** Set with `withTrainer()`: a host with virtual cards. */
  trainer?: FakeTrainer;
  #snapshot: Snapshot;
  readonly #listeners = new Set<(s: Snapshot) => void>();

  constructor(first: Snapshot = snapshotOf(TOP_SCREEN)) {
    this.#snapshot = first;
  }

  withTrainer(cards?: VirtualCardsView['cards']): this {
    this.trainer = new FakeTrainer(this, cards);
    return this;
  }

  /** Pushes the next snapshot (seq increases by itself unless given). */
  show(screen: Screen, overrides: Partial<Omit<Snapshot, 'screen'>> = {}): Snapshot {
    this.#snapshot = snapshotOf(screen, { seq: this.#snapshot.seq + 1, ...overrides });
    for (const l of this.#listeners) l(this.#snapshot);
    return this.#snapshot;
  }

  /** Pushes the current snapshot again with changes (e.g. a countdown tick). */
  update(overrides: Partial<Omit<Snapshot, 'screen'>>): Snapshot {
    return this.show(this.#snapshot.screen, { ...this.#snapshot, seq: this.#snapshot.seq + 1, ...overrides });
  }

  /** Pushes anything, e.g. a malformed message. */
  pushRaw(value: unknown): void {
    for (const l of this.#listeners) l(value as Snapshot);
  }

  get current(): Snapshot {
    return this.#snapshot;
  }

  /** Intents of one type. */
  sentOf<T extends Intent['type']>(type: T): Extract<Intent, { type: T }>[] {
    return this.sent.filter((i): i is Extract<Intent, { type: T }> => i.type === type);
  }

  async getSnapshot(): Promise<Snapshot> {
    return this.#snapshot;
  }

  async send(intent: Intent): Promise<SendResult> {
    this.sent.push(intent);
    if (this.answer instanceof Error) throw this.answer;
    return this.answer;
  }

  onSnapshot(listener: (snapshot: Snapshot) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async getSettings(): Promise<SettingsView> {
    return SETTINGS;
  }

  async updateSettings(_patch: SettingsPatch): Promise<SettingsResult> {
    return { ok: true, settings: SETTINGS };
  }
}
