/**
 * Fakes for the renderer's trainer tools: a window.kiosk whose settings a test can read back (the
 * panel's changes, as patches), and a window.kiosk.app that answers with whatever view a test
 * queued — the app's decisions are the core's (test/unit/app-simulator.test.ts); here the question
 * is only "does this view show the right phone screen, and does this touch send the right intent".
 * Test-only: never part of the renderer bundle.
 */
import type { AppApi } from '../../electron/contract/api';
import type { AppCard, AppIntent, AppProblem, AppResult, AppState, AppView } from '../../electron/contract/app';
import type { Snapshot } from '../../electron/contract/kiosk';
import type { CenterDeskPatch, CenterDeskResult, CenterDeskView, SettingsPatch, SettingsProblem, SettingsResult, SettingsView } from '../../electron/contract/trainer';
import { FakeKioskApi } from './renderer-kiosk';

export const ADULT_CARD: AppCard = { name: 'adult', holderName: '番号 花子', birthDate: '1990-01-02', cardExpiry: '2034-01-02', securityCode: '4321' };

/** A view of the phone showing `state`. */
export function appView(state: AppState, busy = false): AppView {
  return { state, busy, reader: 'Virtual PCD 00 01' };
}

export class FakeAppApi implements AppApi {
  /** Every intent the page sent, in order. */
  readonly sent: AppIntent[] = [];
  view: AppView = appView({ step: 'idle' });
  /** Answers to the next sends, in order: the view the core moved to, or a refusal. Empty: the current view. */
  readonly replies: (AppView | AppProblem)[] = [];
  /** The center as the trainer sees it; null: this host has no trainer access to it. */
  center: CenterDeskView | null = { now: Date.UTC(2026, 10, 25, 1, 0), offsetMs: 0, maintenance: [] };
  readonly centerPatches: CenterDeskPatch[] = [];

  sentOf<T extends AppIntent['type']>(type: T): Extract<AppIntent, { type: T }>[] {
    return this.sent.filter((i): i is Extract<AppIntent, { type: T }> => i.type === type);
  }

  async getState(): Promise<AppView> {
    return this.view;
  }

  async send(intent: AppIntent): Promise<AppResult> {
    this.sent.push(intent);
    const r = this.replies.shift();
    if (r === undefined) return { ok: true, view: this.view };
    if (typeof r === 'string') return { ok: false, problem: r };
    this.view = r;
    return { ok: true, view: r };
  }

  async getCenter(): Promise<CenterDeskResult> {
    return this.center === null ? { ok: false, problem: 'unavailable' } : { ok: true, center: this.center };
  }

  async updateCenter(patch: CenterDeskPatch): Promise<CenterDeskResult> {
    this.centerPatches.push(patch);
    if (this.center === null) return { ok: false, problem: 'unavailable' };
    this.center = {
      now: patch.offsetMs === undefined ? this.center.now : this.center.now - this.center.offsetMs + patch.offsetMs,
      offsetMs: patch.offsetMs ?? this.center.offsetMs,
      maintenance: patch.maintenance ?? this.center.maintenance,
    };
    return { ok: true, center: this.center };
  }
}

/** A kiosk with the trainer's tools: virtual cards, settings that a test can read back, and the phone app. */
export class FakeTrainerKiosk extends FakeKioskApi {
  settings: SettingsView = {
    chain: 'seven-eleven',
    clock: { mode: 'system' },
    readerName: '',
    centerUrl: '',
    centerKeySet: false,
    timeouts: { inactivitySeconds: 60, warningSeconds: 20, takeCardSeconds: 30 },
    language: 'ja',
    maintenance: [],
  };
  /** Every settings change the panel asked for, in order. */
  readonly patches: SettingsPatch[] = [];
  /** Make the next updateSettings refuse with this problem (as the core's checks would). */
  refuseWith: SettingsProblem | null = null;
  app?: FakeAppApi;

  constructor(first?: Snapshot) {
    super(first);
    this.withTrainer();
  }

  withApp(): this {
    this.app = new FakeAppApi();
    return this;
  }

  override async getSettings(): Promise<SettingsView> {
    return this.settings;
  }

  override async updateSettings(patch: SettingsPatch): Promise<SettingsResult> {
    this.patches.push(patch);
    if (this.refuseWith !== null) {
      const problem = this.refuseWith;
      this.refuseWith = null;
      return { ok: false, problem };
    }
    const { centerKey: _key, ...visible } = patch;
    this.settings = { ...this.settings, ...visible };
    return { ok: true, settings: this.settings };
  }
}
