/**
 * The citizen's screen in the window.kiosk contract: intents, screens and the snapshot. The
 * contract is the one API between the renderer (which shows) and the kiosk core (which decides);
 * its methods are declared once in methods.ts, and both transports validate every message against
 * these schemas (schema.ts). TypeBox + pure TypeScript only: the renderer imports this file.
 *
 * Shape:
 *  - Intents (renderer → core): what the citizen touched. The renderer never changes screens by
 *    itself; it sends an intent and shows the next snapshot. An intent that does not fit the
 *    current screen (a stale double tap) is refused with `not-now` and changes nothing.
 *  - Snapshots (core → renderer): the whole visible state, pushed after every change and once a
 *    second while a countdown runs. `screen` is a discriminated union on `id` carrying what that
 *    screen needs (tries left, which password is asked, problem codes, guidance reason + next step…).
 *
 * Passwords — decision: the renderer keeps the characters being typed on its own keypad and
 * submits the full value ONCE, in the single intent that submits it (`submit-other-password`,
 * `submit-new-password`). Keystrokes are not sent to the core. Why:
 *  - a password then crosses the boundary once, in one message the transports never log, instead
 *    of once per key (and a per-key protocol would make the core hold and echo partial secrets);
 *  - the renderer still has no authority: the core re-checks the format, the retry state and the
 *    confirmation on every submission, and decides the next screen. Live format hints while typing
 *    come from the same pure rules (electron/domain/passwords), imported by both sides;
 *  - typing must still keep the session alive, so the keypad sends `input-activity` (no content,
 *    not even the length) at most once per key press; the core only resets its inactivity timer.
 * Snapshots never carry a password, its length, or whether two entries matched beyond the
 * `mismatch` problem code. Transports must not log intents (or log only `type`).
 */
import Type, { type Static } from 'typebox';
import { BilingualSchema, ChainIdSchema, check, Closed, EpochMs, LanguageSchema, PASSWORD_WIRE_MAX, PasswordFieldProps, PasswordFormatProblemSchema, ResetKindSchema, Seconds, type Checked } from './schema';

// ---------------------------------------------------------------------------------------------
// Menus

/** The multicopier's services on the top menu. Only `admin` (行政サービス) leads anywhere here. */
export const ServiceIdSchema = Type.Enum(['copy', 'print', 'photo', 'scan', 'fax', 'admin']);
export type ServiceId = Static<typeof ServiceIdSchema>;

/** Items of the 行政サービス menu. Only `my-number-card` is built; 証明書交付 is shown disabled. */
export const AdminItemSchema = Type.Enum(['certificates', 'my-number-card']);
export type AdminItem = Static<typeof AdminItemSchema>;

/**
 * Options of the マイナンバーカード menu. `reset-juki` / `reset-text` exist so a citizen looking for
 * the 住基 / 券面事項入力補助 PIN learns that only the municipal counter resets those.
 */
export const CardMenuOptionSchema = Type.Enum(['reset-sign', 'reset-auth', 'reset-juki', 'reset-text']);
export type CardMenuOption = Static<typeof CardMenuOptionSchema>;

// ---------------------------------------------------------------------------------------------
// (a) Intents: renderer → core

export const IntentSchema = Type.Union([
  /** Top menu tile. */
  Closed({ type: Type.Literal('choose-service'), service: ServiceIdSchema }),
  /** 行政サービス menu item. */
  Closed({ type: Type.Literal('choose-admin-item'), item: AdminItemSchema }),
  /** マイナンバーカード menu option (a reset, or one of the counter-only PINs). */
  Closed({ type: Type.Literal('choose-card-option'), option: CardMenuOptionSchema }),
  /** 同意する on the notice screen. */
  Closed({ type: Type.Literal('agree') }),
  /** 戻る on a menu or the notice (one screen back; nothing has touched the card yet). */
  Closed({ type: Type.Literal('back') }),
  /** やめる: end the session (refused while the card is being written). */
  Closed({ type: Type.Literal('cancel') }),
  /** 続ける on the inactivity countdown. */
  Closed({ type: Type.Literal('continue') }),
  /** A key was pressed on an on-screen keypad. Carries nothing: it only keeps the session alive. */
  Closed({ type: Type.Literal('input-activity') }),
  /** The other password (the one NOT being reset), submitted once. */
  Closed({ type: Type.Literal('submit-other-password'), value: Type.String({ maxLength: PASSWORD_WIRE_MAX }) }),
  /** "I do not know this password either" on the other-password screen. */
  Closed({ type: Type.Literal('dont-know-other-password') }),
  /** The new password: first entry or confirmation, as the screen's `step` says. */
  Closed({ type: Type.Literal('submit-new-password'), value: Type.String({ maxLength: PASSWORD_WIRE_MAX }) }),
  /** 日本語 / English. */
  Closed({ type: Type.Literal('set-language'), language: LanguageSchema }),
  /** 確認 / 次へ on a guidance, done or take-card screen. */
  Closed({ type: Type.Literal('acknowledge') }),
]);
export type Intent = Static<typeof IntentSchema>;
export type IntentType = Intent['type'];

/** What `send` answers. Refusals change nothing. */
export const SendResultSchema = Type.Union([
  Closed({ accepted: Type.Literal(true) }),
  Closed({
    accepted: Type.Literal(false),
    /** `invalid-intent`: malformed; `not-now`: does not fit the current screen (stale tap). */
    reason: Type.Enum(['invalid-intent', 'not-now']),
  }),
]);
export type SendResult = Static<typeof SendResultSchema>;

// ---------------------------------------------------------------------------------------------
// (b) Session snapshot: core → renderer

/** Where a waiting step is: shown on the progress screen. */
export const ProgressStepSchema = Type.Enum([
  /** Reading the JPKI AP: certificates, expiry, tries left. */
  'reading-card',
  /** Asking the center whether this card has a usable booking of this kind. */
  'checking-reservation',
  /** VERIFY of the other password on the card. */
  'verifying-password',
  /** Center authorization for this card (do not remove the card from here on). */
  'authorizing',
  /** The card is being written. */
  'writing-card',
  /** Telling the center the reset completed. */
  'confirming',
]);
export type ProgressStep = Static<typeof ProgressStepSchema>;

/** The citizen's journey, for a step indicator (①②③④). */
export const JourneyStepSchema = Type.Enum(['notice', 'card', 'verify', 'new-password', 'done']);
export type JourneyStep = Static<typeof JourneyStepSchema>;

/** Why a session ended on a guidance screen. Each has a message and a next step (guidance.ts). */
export const GuidanceReasonSchema = Type.Enum([
  'outside-hours',
  'maintenance',
  'no-reservation',
  'reservation-expired',
  'reservation-used',
  'app-locked',
  'chain-does-not-offer',
  'other-password-locked',
  'both-passwords-locked',
  'both-passwords-unknown',
  'no-signature-certificate',
  'certificate-revoked',
  'certificate-expired',
  'card-expired',
  'not-my-number-card',
  'real-card',
  'counter-only-pin',
  'card-removed',
  'reader-unavailable',
  'center-unavailable',
  'card-error',
  /** The card's receipt shows the reset of this reservation done, by an earlier interrupted try. */
  'reset-already-done',
]);
export type GuidanceReason = Static<typeof GuidanceReasonSchema>;

/** Where to go next, shown on every guidance screen. */
export const NextStepSchema = Type.Enum([
  /** Come back from 06:30 (`opensAt`). */
  'come-back-when-open',
  /** Book in the 「JPKI暗証番号リセット」 app, then come back within 24 h. */
  'book-in-app',
  /** A store of a chain that offers this reset (`chains`), or the municipal counter. */
  'other-store-or-counter',
  /** The municipal counter. */
  'municipal-counter',
  /** The municipal counter with the card and a photo ID. */
  'municipal-counter-with-id',
  /** The municipal counter, to have the certificate (re-)issued. */
  'municipal-counter-reissue',
  /** Nothing to do: there is nothing to reset. */
  'nothing-to-do',
  /** This simulator only works with its virtual (simulator) cards. */
  'use-simulator-card',
  /** Place the card again and start over. */
  'start-again',
  /** Try again later or ask the store staff. */
  'try-later-or-ask-staff',
]);
export type NextStep = Static<typeof NextStepSchema>;

/**
 * What happened to the card's password, said truthfully when a session ends early:
 * `nothing` (not changed), `not-written` (a reset began but the card did not take it: not changed,
 * and the reservation was not used, so the citizen can try again), `reset-completed` (the new
 * password is set), `unknown` (the card left the reader while it was being written: placing it
 * again tells, from the card's receipt).
 */
export const CardChangeSchema = Type.Enum(['nothing', 'not-written', 'reset-completed', 'unknown']);
export type CardChange = Static<typeof CardChangeSchema>;

export const ScreenSchema = Type.Union([
  Closed({
    id: Type.Literal('top'),
    services: Type.Array(Closed({ service: ServiceIdSchema, enabled: Type.Boolean() })),
  }),
  Closed({
    id: Type.Literal('admin-menu'),
    items: Type.Array(Closed({ item: AdminItemSchema, enabled: Type.Boolean() })),
  }),
  Closed({
    id: Type.Literal('card-menu'),
    /**
     * `offered: false` for reset-auth where the chain does not offer it (the renderer may hide or
     * disable it; if touched anyway the core explains), and for the counter-only PINs.
     */
    options: Type.Array(Closed({ option: CardMenuOptionSchema, offered: Type.Boolean() })),
  }),
  Closed({ id: Type.Literal('notice'), kind: ResetKindSchema }),
  Closed({ id: Type.Literal('place-card'), kind: ResetKindSchema }),
  Closed({
    id: Type.Literal('progress'),
    kind: ResetKindSchema,
    step: ProgressStepSchema,
    /** True from authorization on: show 「カードを取り出さないでください」, no cancel. */
    doNotRemoveCard: Type.Boolean(),
  }),
  Closed({
    id: Type.Literal('other-password'),
    /** The password being reset. */
    kind: ResetKindSchema,
    ...PasswordFieldProps,
    triesLeft: Type.Integer({ minimum: 0 }),
    maxTries: Type.Integer({ minimum: 1 }),
    /** Problem with the last submission: a format problem (no try used) or `wrong-password`. */
    problem: Type.Union([PasswordFormatProblemSchema, Type.Literal('wrong-password'), Type.Null()]),
  }),
  Closed({
    id: Type.Literal('new-password'),
    kind: ResetKindSchema,
    ...PasswordFieldProps,
    /** `first` entry, then `confirm` (確認のためもう一度). */
    step: Type.Enum(['first', 'confirm']),
    /** Problem with the last submission; `mismatch` sends the citizen back to `first`. */
    problem: Type.Union([PasswordFormatProblemSchema, Type.Literal('mismatch'), Type.Null()]),
  }),
  Closed({ id: Type.Literal('done'), kind: ResetKindSchema }),
  Closed({
    id: Type.Literal('take-card'),
    /** Why the session is ending: after a reset, a refusal, a cancel or a timeout. */
    after: Type.Enum(['completed', 'refused', 'cancelled', 'timed-out']),
  }),
  Closed({
    id: Type.Literal('guidance'),
    reason: GuidanceReasonSchema,
    next: NextStepSchema,
    /** The reset the citizen chose, when one was chosen. */
    kind: Type.Union([ResetKindSchema, Type.Null()]),
    /** Whether the card was changed; null where no card was involved. */
    changed: Type.Union([CardChangeSchema, Type.Null()]),
    /** For come-back-when-open: when the service opens again (epoch ms, simulated clock). */
    opensAt: Type.Union([EpochMs, Type.Null()]),
    /** For other-store-or-counter: the chains that offer this reset. */
    chains: Type.Array(ChainIdSchema),
  }),
]);
export type Screen = Static<typeof ScreenSchema>;
export type ScreenId = Screen['id'];
/** The screen variant with id `I`. */
export type ScreenOf<I extends ScreenId> = Extract<Screen, { id: I }>;

/** The reader as the place-card screen shows it, live. */
export const ReaderStatusSchema = Closed({
  state: Type.Enum([
    /** pcscd or the reader service is not answering. */
    'unavailable',
    /** pcscd answers but the configured reader is not there. */
    'no-reader',
    'empty',
    'card-present',
  ]),
  /** The reader in use, when one is. */
  name: Type.Union([Type.String(), Type.Null()]),
});
export type ReaderStatus = Static<typeof ReaderStatusSchema>;

export const ClockModeSchema = Type.Enum(['system', 'offset', 'fixed']);

export const SnapshotSchema = Closed({
  /** Increases with every snapshot the core emits; a renderer ignores an older one. */
  seq: Type.Integer({ minimum: 0 }),
  /** The session (one citizen, from leaving the top menu back to it); null on the top menu. */
  sessionId: Type.Union([Type.String(), Type.Null()]),
  screen: ScreenSchema,
  language: LanguageSchema,
  chain: ChainIdSchema,
  reader: ReaderStatusSchema,
  /** The simulated clock: `now` when this snapshot was made; `offsetMs` = simulated − real time. */
  clock: Closed({ mode: ClockModeSchema, now: EpochMs, offsetMs: Type.Number() }),
  /** Inactivity countdown on this screen, or null where none runs (top menu, card being written). */
  timeout: Type.Union([
    Closed({
      secondsLeft: Seconds,
      /** True in the last `warningSeconds`: show the countdown prominently with 「続ける」. */
      warning: Type.Boolean(),
    }),
    Type.Null(),
  ]),
  /** Whether 「やめる」 is allowed now (never while the card is written, nor once the session has ended). */
  canCancel: Type.Boolean(),
  /** Whether 「戻る」 is allowed now. */
  canGoBack: Type.Boolean(),
  /** Step indicator, null outside a reset. */
  journey: Type.Union([JourneyStepSchema, Type.Null()]),
  /**
   * A classroom station's part (absent on a lone kiosk): its number, whether the trainer paused it
   * (「講師の説明中です」: the screen takes no touch), and the task the trainee was given.
   */
  station: Type.Optional(
    Closed({
      n: Type.Integer({ minimum: 1, maximum: 64 }),
      paused: Type.Boolean(),
      task: Type.Union([BilingualSchema, Type.Null()]),
    }),
  ),
});
export type Snapshot = Static<typeof SnapshotSchema>;

export const checkIntent = (value: unknown): Checked<Intent> => check(IntentSchema, value);
export const checkSnapshot = (value: unknown): Checked<Snapshot> => check(SnapshotSchema, value);

/** A loggable description of an intent: its type only, never its fields (a value may be a password). */
export function describeIntent(intent: Intent): IntentType {
  return intent.type;
}
