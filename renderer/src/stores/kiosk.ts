/**
 * The renderer's one store: a mirror of the core's latest session snapshot, plus the intents a
 * citizen's touches become. It decides nothing — every screen change arrives as a snapshot — and it
 * never holds a password: those stay in the password screen until submitted (input/password-entry).
 */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { AppApi, KioskApi, TrainerApi } from '@contract/api';
import type { AdminItem, CardMenuOption, Intent, SendResult, ServiceId, Snapshot } from '@contract/kiosk';
import type { Language } from '@contract/schema';
import type { SettingsPatch, SettingsResult, SettingsView } from '@contract/trainer';
import { judgeSnapshot } from './snapshot';

/** The link to the core, as the screens need to know it. */
export type LinkState = 'connecting' | 'ready' | 'unavailable';

export const useKioskStore = defineStore('kiosk', () => {
  const snapshot = shallowRef<Snapshot | null>(null);
  const link = ref<LinkState>('connecting');
  /** The last intent could not be delivered (transport error): the screen says so until the next snapshot. */
  const sendFailed = ref(false);
  /** The simulator's virtual cards (the trainer's hand), where the host has them. */
  const trainer = shallowRef<TrainerApi | null>(null);
  /** The smartphone-app simulator and the center's clock: trainer tools, so only where `trainer` is. */
  const app = shallowRef<AppApi | null>(null);

  let api: KioskApi | null = null;
  let unsubscribe: (() => void) | null = null;

  function receive(raw: unknown): void {
    const verdict = judgeSnapshot(snapshot.value, raw);
    if (verdict.take) {
      snapshot.value = verdict.snapshot;
      link.value = 'ready';
      sendFailed.value = false;
    } else if (verdict.why === 'invalid') {
      // Paths and schema keywords only (ContractProblem): never a value.
      console.warn('kiosk: snapshot refused', verdict.problems);
    }
  }

  /** Starts mirroring `kiosk` (null: no core on this page, the screen says the terminal is unavailable). */
  async function connect(kiosk: KioskApi | null): Promise<void> {
    disconnect();
    if (kiosk === null) {
      link.value = 'unavailable';
      return;
    }
    api = kiosk;
    trainer.value = kiosk.trainer ?? null;
    app.value = kiosk.trainer !== undefined ? (kiosk.app ?? null) : null;
    link.value = 'connecting';
    unsubscribe = kiosk.onSnapshot(receive);
    try {
      receive(await kiosk.getSnapshot());
    } catch {
      if (snapshot.value === null) link.value = 'unavailable';
    }
  }

  function disconnect(): void {
    unsubscribe?.();
    unsubscribe = null;
    api = null;
    trainer.value = null;
    app.value = null;
  }

  /** Trainer: the kiosk's settings (the panel is shown only where `trainer` is). */
  function getSettings(): Promise<SettingsView> {
    return api === null ? Promise.reject(new Error('no kiosk core')) : api.getSettings();
  }

  function updateSettings(patch: SettingsPatch): Promise<SettingsResult> {
    return api === null ? Promise.reject(new Error('no kiosk core')) : api.updateSettings(patch);
  }

  /**
   * Sends one intent. A refusal (`not-now`: a stale double tap) changes nothing and needs no
   * message; a transport failure does.
   */
  async function send(intent: Intent): Promise<SendResult | null> {
    if (api === null) return null;
    try {
      return await api.send(intent);
    } catch {
      sendFailed.value = true;
      return null;
    }
  }

  /** The language before the core has said one (connecting / unavailable screens). */
  const localLanguage = ref<Language>('ja');

  const screen = computed(() => snapshot.value?.screen ?? null);
  const language = computed<Language>(() => snapshot.value?.language ?? localLanguage.value);

  /** 日本語 / English: the session's language is the core's; without a core, only this screen's. */
  function toggleLanguage(): Promise<SendResult | null> {
    const next: Language = language.value === 'ja' ? 'en' : 'ja';
    if (snapshot.value === null) {
      localLanguage.value = next;
      return Promise.resolve(null);
    }
    return send({ type: 'set-language', language: next });
  }

  return {
    snapshot,
    link,
    sendFailed,
    trainer,
    app,
    screen,
    language,
    connect,
    disconnect,
    receive,
    send,
    getSettings,
    updateSettings,
    chooseService: (service: ServiceId) => send({ type: 'choose-service', service }),
    chooseAdminItem: (item: AdminItem) => send({ type: 'choose-admin-item', item }),
    chooseCardOption: (option: CardMenuOption) => send({ type: 'choose-card-option', option }),
    agree: () => send({ type: 'agree' }),
    back: () => send({ type: 'back' }),
    cancel: () => send({ type: 'cancel' }),
    keepGoing: () => send({ type: 'continue' }),
    acknowledge: () => send({ type: 'acknowledge' }),
    dontKnowOtherPassword: () => send({ type: 'dont-know-other-password' }),
    submitOtherPassword: (value: string) => send({ type: 'submit-other-password', value }),
    submitNewPassword: (value: string) => send({ type: 'submit-new-password', value }),
    /** A keypad key was pressed: keeps the session alive, carries nothing (not even a length). */
    inputActivity: () => void send({ type: 'input-activity' }),
    toggleLanguage,
  };
});

export type KioskStore = ReturnType<typeof useKioskStore>;
