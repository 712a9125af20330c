/**
 * vue-i18n set-up: Japanese first, English complete. The language itself is the core's (it is part
 * of the session snapshot, reset to the store's default for every new citizen); the renderer only
 * follows it. Screens use `useText()`, whose keys are checked at compile time against ja.ts.
 */
import { createI18n, useI18n } from 'vue-i18n';
import type { Language } from '@contract/schema';
import { en } from './en';
import { ja } from './ja';
import type { Message, MessageKey, MessageParams } from './message';

export type TextKey = MessageKey<typeof ja>;

export const MESSAGES = { ja, en } as const;

type Tree = { readonly [key: string]: Message | Tree };

/**
 * Every plain string becomes a constant message function. The bundle carries vue-i18n without its
 * message compiler (__INTLIFY_DROP_MESSAGE_COMPILER__), and that build reads a string message as a
 * precompiled AST — so the messages it is given must all be functions already.
 */
export function asMessageFunctions<T extends Tree>(tree: T): T {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(tree)) {
    out[key] = typeof value === 'string' ? () => value : typeof value === 'function' ? value : asMessageFunctions(value);
  }
  return out as T;
}

export function createKioskI18n(language: Language = 'ja') {
  return createI18n({
    legacy: false,
    locale: language,
    fallbackLocale: 'ja',
    // Every key exists in both languages (type + unit test): a missing one is a bug, not a fallback.
    missingWarn: false,
    fallbackWarn: false,
    messages: { ja: asMessageFunctions(ja), en: asMessageFunctions(en as Tree) },
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
