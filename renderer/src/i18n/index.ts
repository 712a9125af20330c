/**
 * vue-i18n set-up: Japanese first, English complete. The language itself is the core's (it is part
 * of the session snapshot, reset to the store's default for every new citizen); the renderer only
 * follows it. Screens use `useText()`, whose keys are checked at compile time against ja.ts.
 */
import { createI18n, useI18n } from 'vue-i18n';
import type { Language } from '../../../electron/contract/kiosk-api';
import { en } from './en';
import { ja } from './ja';
import type { MessageKey, MessageParams } from './message';

export type TextKey = MessageKey<typeof ja>;

export const MESSAGES = { ja, en } as const;

export function createKioskI18n(language: Language = 'ja') {
  return createI18n({
    legacy: false,
    locale: language,
    fallbackLocale: 'ja',
    // Every key exists in both languages (type + unit test): a missing one is a bug, not a fallback.
    missingWarn: false,
    fallbackWarn: false,
    messages: MESSAGES,
  });
}

export type KioskI18n = ReturnType<typeof createKioskI18n>;

export function setLanguage(i18n: KioskI18n, language: Language): void {
  i18n.global.locale.value = language;
}

/** The translation function for screens, with checked keys. */
export function useText() {
  const { t, locale } = useI18n({ useScope: 'global' });
  return {
    t: (key: TextKey, params?: MessageParams): string => (params === undefined ? t(key) : t(key, params)),
    locale,
  };
}
