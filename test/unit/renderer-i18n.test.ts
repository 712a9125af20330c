/**
 * The kiosk's two languages: English has exactly the Japanese keys, every message renders, nothing
 * relies on the message compiler the bundle leaves out, and every code the core can send (screen
 * data, guidance reasons, next steps, problems…) has words in both languages.
 */
import { describe, expect, it } from 'vitest';
import { AdminItemSchema, CardChangeSchema, CardMenuOptionSchema, GuidanceReasonSchema, JourneyStepSchema, NextStepSchema, ProgressStepSchema, ReaderStatusSchema, ScreenSchema, ServiceIdSchema } from '../../electron/contract/kiosk';
import { ChainIdSchema, PasswordFormatProblemSchema } from '../../electron/contract/schema';
import { createKioskI18n, MESSAGES, type TextKey } from '../../renderer/src/i18n';
import type { Message } from '../../renderer/src/i18n/message';

type Tree = { readonly [key: string]: Message | Tree };

function flatten(tree: Tree, prefix = ''): Map<string, Message> {
  const out = new Map<string, Message>();
  for (const [k, v] of Object.entries(tree)) {
    if (typeof v === 'string' || typeof v === 'function') out.set(prefix + k, v);
    else for (const [kk, vv] of flatten(v, `${prefix}${k}.`)) out.set(kk, vv);
  }
  return out;
}

const ja = flatten(MESSAGES.ja as Tree);
const en = flatten(MESSAGES.en as Tree);

/** Renders a function message with every parameter named, as a fake vue-i18n context would. */
function render(m: Message): string {
  if (typeof m === 'string') return m;
  return m({ named: (name: string) => `«${name}»` } as never);
}

function enumValues(schema: { enum: readonly unknown[] }): string[] {
  return schema.enum.map(String);
}

describe('messages', () => {
  it('English has exactly the Japanese keys', () => {
    expect([...en.keys()].sort()).toEqual([...ja.keys()].sort());
  });

  it('a key is a string in one language only if it is a string in the other (same parameters shape)', () => {
    for (const [key, m] of ja) expect(typeof en.get(key), key).toBe(typeof m);
  });

  it.each([
    ['ja', ja],
    ['en', en],
  ])('every %s message renders to non-empty text without leftovers', (_lang, messages) => {
    for (const [key, m] of messages) {
      const text = render(m);
      expect(text.trim(), key).not.toBe('');
      expect(text, key).not.toMatch(/undefined|null|\[object/);
    }
  });

  it('plain strings carry no compiler syntax: the runtime-only build would show it as is', () => {
    for (const [key, m] of [...ja, ...en]) {
      if (typeof m === 'string') expect(m, key).not.toMatch(/[{}@|]/);
    }
  });

  it('a function message uses the same parameters in both languages', () => {
    const params = (m: Message) => [...render(m).matchAll(/«(\w+)»/g)].map((x) => x[1]).sort();
    for (const [key, m] of ja) {
      if (typeof m === 'function') expect(params(en.get(key) as Message), key).toEqual(params(m));
    }
  });
});

describe('every code the core sends has words', () => {
  const has = (key: string) => {
    expect(ja.has(key), `ja ${key}`).toBe(true);
    expect(en.has(key), `en ${key}`).toBe(true);
  };

  it('services, admin items and card menu options', () => {
    for (const s of enumValues(ServiceIdSchema)) has(`services.${s}`);
    for (const i of enumValues(AdminItemSchema)) has(`adminMenu.items.${i}.label`);
    for (const o of enumValues(CardMenuOptionSchema)) {
      has(`cardMenu.options.${o}.label`);
      has(`cardMenu.options.${o}.detail`);
    }
  });

  it('guidance reasons, next steps and what happened to the card', () => {
    for (const r of enumValues(GuidanceReasonSchema)) {
      has(`guidance.reason.${r}.title`);
      has(`guidance.reason.${r}.body`);
    }
    for (const n of enumValues(NextStepSchema)) has(`guidance.nextStep.${n}`);
    for (const c of enumValues(CardChangeSchema)) has(`guidance.changed.${c}`);
    for (const c of enumValues(ChainIdSchema)) has(`chains.${c}`);
  });

  it('progress steps, journey steps, reader states, take-card endings and format problems', () => {
    for (const s of enumValues(ProgressStepSchema)) has(`progress.step.${s}`);
    for (const s of enumValues(JourneyStepSchema)) has(`journey.${s}`);
    for (const s of enumValues(ReaderStatusSchema.properties.state)) has(`placeCard.reader.${s}`);
    const takeCard = ScreenSchema.anyOf.find((s) => s.properties.id.const === 'take-card');
    expect(takeCard).toBeDefined();
    for (const a of enumValues((takeCard as { properties: { after: { enum: unknown[] } } }).properties.after)) has(`takeCard.after.${a}`);
    for (const p of enumValues(PasswordFormatProblemSchema)) has(`entry.problem.${p}`);
  });
});

describe('the i18n instance (runtime-only vue-i18n, as bundled)', () => {
  it('is given functions only: the bundled vue-i18n (no compiler) would read a string as an AST and fail', () => {
    const i18n = createKioskI18n('ja');
    for (const language of ['ja', 'en'] as const) {
      const given = flatten(i18n.global.getLocaleMessage(language) as unknown as Tree);
      expect([...given.keys()].sort()).toEqual([...ja.keys()].sort());
      for (const [key, m] of given) expect(typeof m, `${language} ${key}`).toBe('function');
      // …and they say what the plain strings said.
      const source = language === 'ja' ? ja : en;
      for (const [key, m] of source) if (typeof m === 'string') expect(render(given.get(key) as Message), key).toBe(m);
    }
  });

  it('renders plain and parameterised messages in both languages and switches at once', () => {
    const i18n = createKioskI18n('ja');
    const t = (key: TextKey, params?: Record<string, unknown>) => (params ? i18n.global.t(key, params) : i18n.global.t(key));
    expect(t('placeCard.heading')).toBe('カードを置いてください');
    expect(t('otherPassword.triesLeft', { count: 3 })).toBe('残り入力回数 3回');
    i18n.global.locale.value = 'en';
    expect(t('placeCard.heading')).toBe('Please place your card');
    expect(t('otherPassword.triesLeft', { count: 3 })).toBe('Tries left: 3');
    expect(t('otherPassword.lock', { count: 1 })).toContain('1 more wrong try');
  });

  it('names the passwords exactly as the domain rules do', () => {
    const i18n = createKioskI18n('ja');
    expect(i18n.global.t('cardMenu.options.reset-sign.label')).toBe('署名用電子証明書のパスワードの初期化・再設定');
    expect(i18n.global.t('progress.doNotRemove')).toBe('処理中です。カードを取り外さないでください');
    expect(i18n.global.t('takeCard.heading')).toBe('カードをお取りください');
  });
});
