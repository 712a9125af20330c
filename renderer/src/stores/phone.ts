/**
 * The smartphone-app page's store: a mirror of the app session the core runs (window.kiosk.app),
 * plus the intents the phone's touches become. Like the kiosk's store it decides nothing — each
 * answer carries the next state — and it never holds a password: the typed value stays in the
 * password pad until it is submitted, once.
 */
import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import type { AppApi } from '@contract/api';
import type { AppIntent, AppProblem, AppView } from '@contract/app';
import type { Language } from '@contract/schema';
import type { ResetKind } from '@domain/passwords';

/** Why the last touch did nothing: the core's refusal, or the core could not be reached. */
export type PhoneProblem = AppProblem | 'unreachable';

export const usePhoneStore = defineStore('phone', () => {
  const view = shallowRef<AppView | null>(null);
  /** A touch is on its way to the core (the page shows it is working and takes no other). */
  const pending = ref(false);
  const problem = ref<PhoneProblem | null>(null);
  /** The phone's own language (the kiosk's belongs to the citizen at the kiosk). */
  const language = ref<Language>('ja');
  let api: AppApi | null = null;

  async function connect(app: AppApi | null): Promise<void> {
    api = app;
    view.value = null;
    problem.value = null;
    if (app !== null) await refresh();
  }

  async function refresh(): Promise<void> {
    if (api === null) return;
    try {
      view.value = await api.getState();
    } catch {
      problem.value = 'unreachable';
    }
  }

  /** Sends one intent; the answer's view replaces the shown one. A refusal changes nothing but the message. */
  async function send(intent: AppIntent): Promise<boolean> {
    if (api === null || pending.value) return false;
    pending.value = true;
    problem.value = null;
    try {
      const r = await api.send(intent);
      if (r.ok) {
        view.value = r.view;
        return true;
      }
      problem.value = r.problem;
      // The session may have moved on elsewhere (another trainer window): show where it is.
      if (r.problem === 'not-now') await refresh();
      return false;
    } catch {
      problem.value = 'unreachable';
      return false;
    } finally {
      pending.value = false;
    }
  }

  return {
    view,
    pending,
    problem,
    language,
    toggleLanguage: () => void (language.value = language.value === 'ja' ? 'en' : 'ja'),
    connect,
    refresh,
    start: (card: string) => send({ type: 'start', card }),
    consent: (agree: boolean) => send({ type: 'consent', agree }),
    chooseKind: (kind: ResetKind) => send({ type: 'choose-kind', kind }),
    submitCardFront: (front: { birthDate: string; cardExpiry: string; securityCode: string }) => send({ type: 'submit-card-front', ...front }),
    submitOtherPassword: (value: string) => send({ type: 'submit-other-password', value }),
    faceCheck: (passed: boolean) => send({ type: 'face-check', passed }),
    cancel: () => send({ type: 'cancel' }),
    close: () => send({ type: 'close' }),
  };
});

export type PhoneStore = ReturnType<typeof usePhoneStore>;
