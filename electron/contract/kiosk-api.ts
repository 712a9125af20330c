/**
 * The window.kiosk contract: the one API between the renderer (which shows) and the kiosk core
 * (which decides). Both transports — Electron IPC (preload) and the browser host's WebSocket —
 * carry exactly these messages, and both validate every message with the helpers at the end of
 * this file. TypeBox + pure TypeScript only: the renderer imports this file (no Node APIs here).
 *
 * Shape:
 *  - Intents (renderer → core): what the citizen touched. The renderer never changes screens by
 *    itself; it sends an intent and shows the next snapshot. An intent that does not fit the
 *    current screen (a stale double tap) is refused with `not-now` and changes nothing.
 *  - Snapshots (core → renderer): the whole visible state, pushed after every change and once a
 *    second while a countdown runs. `screen` is a discriminated union on `id` carrying what that
 *    screen needs (tries left, which password is asked, problem codes, guidance reason + next step…).
 *  - KioskApi: what `window.kiosk` implements, plus the trainer's settings.
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
import Type, { type Static, type TSchema } from 'typebox';
import { Value } from 'typebox/value';
import type { ChainId } from '../domain/chains';
import type { PasswordFormatProblem, ResetKind } from '../domain/passwords';
import { KIOSK_IPC } from './ipc-channels';

// ---------------------------------------------------------------------------------------------
// Small building blocks

/** Objects on the wire are closed: an unknown field is a malformed message, not something to ignore. */
function Closed<P extends Parameters<typeof Type.Object>[0]>(properties: P) {
  return Type.Object(properties, { additionalProperties: false });
}

/** Compile-time check that a schema's static type and a domain type are the same set of values. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
function assertSame<_T extends true>(): void {}

export const ResetKindSchema = Type.Enum(['sign', 'auth']);
assertSame<Same<Static<typeof ResetKindSchema>, ResetKind>>();

export const ChainIdSchema = Type.Enum(['seven-eleven', 'familymart', 'lawson', 'ministop', 'aeon', 'other-fujifilm']);
assertSame<Same<Static<typeof ChainIdSchema>, ChainId>>();

export const LanguageSchema = Type.Enum(['ja', 'en']);
export type Language = Static<typeof LanguageSchema>;

export const PasswordFormatProblemSchema = Type.Enum([
  'empty',
  'too-short',
  'too-long',
  'digits-only-allowed',
  'invalid-character',
  'needs-letter',
  'needs-digit',
]);
assertSame<Same<Static<typeof PasswordFormatProblemSchema>, PasswordFormatProblem>>();

/** Epoch milliseconds (simulated clock where it says so). */
const EpochMs = Type.Number({ minimum: 0 });
const Seconds = Type.Integer({ minimum: 0, maximum: 86_400 });
/** Longest value any password field accepts on the wire; the core checks the real format. */
const PASSWORD_WIRE_MAX = 32;

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

const InputModeSchema = Type.Enum(['numeric', 'alphanumeric']);

/** The password shown on a password screen, with the limits the keypad needs. */
const PasswordFieldProps = {
  /** Which password is asked (label + keypad: 'auth' = 4 digits, 'sign' = 6–16 A–Z/0–9). */
  password: ResetKindSchema,
  inputMode: InputModeSchema,
  minLength: Type.Integer({ minimum: 1 }),
  maxLength: Type.Integer({ minimum: 1 }),
};

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
});
export type Snapshot = Static<typeof SnapshotSchema>;

// ---------------------------------------------------------------------------------------------
// Trainer settings

export const ClockSettingSchema = Type.Union([
  Closed({ mode: Type.Literal('system') }),
  /** Real time shifted by `offsetMs` (runs). */
  Closed({ mode: Type.Literal('offset'), offsetMs: Type.Integer() }),
  /** Frozen at `at` (epoch ms). */
  Closed({ mode: Type.Literal('fixed'), at: Type.Integer({ minimum: 0 }) }),
]);
export type ClockSetting = Static<typeof ClockSettingSchema>;

export const TimeoutSettingsSchema = Closed({
  /** Inactivity on an ordinary screen before the session ends. */
  inactivitySeconds: Type.Integer({ minimum: 10, maximum: 600 }),
  /** The last part of that, during which the countdown is shown prominently. */
  warningSeconds: Type.Integer({ minimum: 3, maximum: 120 }),
  /** How long the take-card screen waits for the card to be removed before going back to the top. */
  takeCardSeconds: Type.Integer({ minimum: 5, maximum: 600 }),
});
export type TimeoutSettings = Static<typeof TimeoutSettingsSchema>;

export const MaintenanceWindowSchema = Closed({
  from: Type.Integer({ minimum: 0 }),
  until: Type.Integer({ minimum: 0 }),
  note: Type.Optional(Type.String({ maxLength: 200 })),
});

/** Settings as the trainer sees them. The center key is never sent out, only whether it is set. */
export const SettingsViewSchema = Closed({
  chain: ChainIdSchema,
  clock: ClockSettingSchema,
  /** PC/SC reader name; '' = the first reader that has a card (or the first reader). */
  readerName: Type.String({ maxLength: 200 }),
  /** Reservation center base URL; '' = the embedded center on loopback. */
  centerUrl: Type.String({ maxLength: 500 }),
  centerKeySet: Type.Boolean(),
  timeouts: TimeoutSettingsSchema,
  /** Language a new session starts in. */
  language: LanguageSchema,
  maintenance: Type.Array(MaintenanceWindowSchema, { maxItems: 50 }),
});
export type SettingsView = Static<typeof SettingsViewSchema>;

/** A change to settings: any subset. `centerKey: ''` clears the key. */
export const SettingsPatchSchema = Closed({
  chain: Type.Optional(ChainIdSchema),
  clock: Type.Optional(ClockSettingSchema),
  readerName: Type.Optional(Type.String({ maxLength: 200 })),
  centerUrl: Type.Optional(Type.String({ maxLength: 500 })),
  centerKey: Type.Optional(Type.String({ maxLength: 500 })),
  timeouts: Type.Optional(TimeoutSettingsSchema),
  language: Type.Optional(LanguageSchema),
  maintenance: Type.Optional(Type.Array(MaintenanceWindowSchema, { maxItems: 50 })),
});
export type SettingsPatch = Static<typeof SettingsPatchSchema>;

/**
 * When a changed setting reaches the kiosk, as the core applies it (kiosk-setting-effects.test.ts
 * holds the core to this table; the trainer panel shows it next to each setting):
 *  - `now`: the very next snapshot and touch use it (the menus offer by the new chain, the clock
 *    moves, a maintenance window refuses the next step);
 *  - `next-countdown`: a running inactivity countdown keeps its length; the next screen or touch
 *    starts one with the new length;
 *  - `next-session`: the citizen in front of the kiosk keeps theirs; the next one gets it (applies
 *    at once when nobody is using the kiosk);
 *  - `next-start`: read when the simulator starts.
 */
export const SettingEffectSchema = Type.Enum(['now', 'next-countdown', 'next-session', 'next-start']);
export type SettingEffect = Static<typeof SettingEffectSchema>;

export const SETTING_EFFECTS: Readonly<Record<keyof SettingsPatch, SettingEffect>> = {
  chain: 'now',
  clock: 'now',
  maintenance: 'now',
  timeouts: 'next-countdown',
  language: 'next-session',
  readerName: 'next-start',
  centerUrl: 'next-start',
  centerKey: 'next-start',
};

/** Why `updateSettings` refused a patch (the schema passed but the values do not fit together). */
export const SettingsProblemSchema = Type.Enum(['warning-longer-than-inactivity', 'maintenance-window-empty', 'center-url-invalid']);
export type SettingsProblem = Static<typeof SettingsProblemSchema>;

export const SettingsResultSchema = Type.Union([
  Closed({ ok: Type.Literal(true), settings: SettingsViewSchema }),
  Closed({ ok: Type.Literal(false), problem: SettingsProblemSchema }),
]);
export type SettingsResult = Static<typeof SettingsResultSchema>;

// ---------------------------------------------------------------------------------------------
// Trainer: the simulator's virtual cards (placing one on the reader stands in for the citizen's hand)

export const VirtualCardSchema = Closed({
  /** The card file's name, e.g. "adult", "under15-2". */
  name: Type.String({ maxLength: 100 }),
  /** The persona it was made from (native/card/personas.ts). */
  persona: Type.String({ maxLength: 100 }),
  /** The holder's (fictitious) name, as on the card face. */
  holderName: Type.String({ maxLength: 200 }),
});
export type VirtualCard = Static<typeof VirtualCardSchema>;

export const VirtualCardsViewSchema = Closed({
  /** False when the virtual reader cannot be used (pcscd or vpcd missing): placing will fail. */
  available: Type.Boolean(),
  cards: Type.Array(VirtualCardSchema, { maxItems: 500 }),
  /** The card now on the kiosk's virtual reader, if one of these. */
  placed: Type.Union([Type.String({ maxLength: 100 }), Type.Null()]),
});
export type VirtualCardsView = Static<typeof VirtualCardsViewSchema>;

export const TrainerResultSchema = Type.Union([
  Closed({ ok: Type.Literal(true), cards: VirtualCardsViewSchema }),
  Closed({ ok: Type.Literal(false), problem: Type.Enum(['no-such-card', 'reader-unavailable', 'failed']) }),
]);
export type TrainerResult = Static<typeof TrainerResultSchema>;

const CardName = Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$' });

// ---------------------------------------------------------------------------------------------
// Trainer: the smartphone-app simulator (the 「JPKI暗証番号リセット」 app, docs/kiosk-flow.md §6).
// The core runs the booking flow of electron/booking — the same one as `npm run app` — on the card
// in the phone's reader (vpcd slot 1 while the kiosk uses slot 0), against the kiosk's reservation
// center.
//
// Like the kiosk, the page decides nothing: it sends one AppIntent and shows the AppView the core
// answers with. The other password crosses once, in `submit-other-password`, and no view ever
// carries it; the card-front data is the card's printed face, which the trainer holds anyway.

/** Why the app refused to book (electron/booking/flow.ts BookingRefusal; the host checks they match). */
export const BookingRefusalSchema = Type.Enum([
  'maintenance',
  'app-locked',
  'real-card',
  'no-sign-certificate',
  'no-other-password',
  'card-front-blocked',
  'password-locked',
  'card-unavailable',
  'center-unavailable',
  'center-refused',
]);
export type BookingRefusal = Static<typeof BookingRefusalSchema>;

/** The card-front field that cannot be right as typed (electron/booking/card-front.ts). */
export const CardFrontFieldSchema = Type.Enum(['birth-date', 'card-expiry', 'security-code']);
export type CardFrontField = Static<typeof CardFrontFieldSchema>;

const IsoDate = Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' });

/** The card the citizen holds, as printed on its face (what the app's camera would read). */
export const AppCardSchema = Closed({
  name: CardName,
  holderName: Type.String({ maxLength: 200 }),
  birthDate: IsoDate,
  cardExpiry: IsoDate,
  securityCode: Type.String({ pattern: '^[0-9]{4}$' }),
});
export type AppCard = Static<typeof AppCardSchema>;

/** The app's screen: one per step of the booking flow, plus `idle` (no card in hand yet). */
export const AppStateSchema = Type.Union([
  Closed({ step: Type.Literal('idle') }),
  /** 同意事項: the citizen agrees (or not) before anything is read. */
  Closed({ step: Type.Literal('consent'), card: AppCardSchema }),
  /** Which password to reset. */
  Closed({ step: Type.Literal('choose-kind'), card: AppCardSchema }),
  Closed({
    step: Type.Literal('card-front'),
    card: AppCardSchema,
    kind: ResetKindSchema,
    /** Why the last entry was not accepted: a field that cannot be right, or the card disagreed. */
    problem: Type.Union([
      Closed({ field: CardFrontFieldSchema }),
      Closed({ mismatch: Type.Literal(true), triesLeft: Type.Integer({ minimum: 0 }) }),
      Type.Null(),
    ]),
  }),
  Closed({
    step: Type.Literal('other-password'),
    card: AppCardSchema,
    /** The password being reset. */
    kind: ResetKindSchema,
    /** The password asked for now (shown every time: the 4-digit PINs may differ). */
    ...PasswordFieldProps,
    triesLeft: Type.Integer({ minimum: 0 }),
    maxTries: Type.Integer({ minimum: 1 }),
    problem: Type.Union([PasswordFormatProblemSchema, Type.Literal('wrong-password'), Type.Null()]),
  }),
  Closed({
    step: Type.Literal('face-check'),
    card: AppCardSchema,
    kind: ResetKindSchema,
    consecutiveFailures: Type.Integer({ minimum: 0 }),
    /** Failures left before the app locks for this card (5 in a row lock it). */
    failuresBeforeLock: Type.Integer({ minimum: 0 }),
    lastFailed: Type.Boolean(),
  }),
  Closed({
    step: Type.Literal('booked'),
    card: AppCardSchema,
    kind: ResetKindSchema,
    bookingId: Type.String({ maxLength: 100 }),
    completedAt: EpochMs,
    /** Valid until (center clock): 24 h after completion. */
    expiresAt: EpochMs,
    /** The card's earlier booking of this kind that this one replaced. */
    replaced: Type.Union([Type.String({ maxLength: 100 }), Type.Null()]),
  }),
  Closed({
    step: Type.Literal('refused'),
    card: AppCardSchema,
    reason: BookingRefusalSchema,
    kind: Type.Union([ResetKindSchema, Type.Null()]),
    /** For maintenance: when bookings are possible again (center clock). */
    until: Type.Union([EpochMs, Type.Null()]),
    /** For center-refused: the center's reason code. */
    centerReason: Type.Union([Type.String({ maxLength: 100 }), Type.Null()]),
    /** For trainers: which step failed (names steps and error codes, never a value). */
    detail: Type.Union([Type.String({ maxLength: 500 }), Type.Null()]),
  }),
  Closed({ step: Type.Literal('cancelled'), card: AppCardSchema }),
]);
export type AppState = Static<typeof AppStateSchema>;
export type AppStep = AppState['step'];
export type AppStateOf<S extends AppStep> = Extract<AppState, { step: S }>;

export const AppViewSchema = Closed({
  state: AppStateSchema,
  /** A step is running (the card being read, the center answering): the page waits. */
  busy: Type.Boolean(),
  /** The phone's PC/SC reader. */
  reader: Type.String({ maxLength: 200 }),
});
export type AppView = Static<typeof AppViewSchema>;

export const AppIntentSchema = Type.Union([
  /** The citizen opens the app holding this virtual card: it goes onto the phone's reader. */
  Closed({ type: Type.Literal('start'), card: CardName }),
  Closed({ type: Type.Literal('consent'), agree: Type.Boolean() }),
  Closed({ type: Type.Literal('choose-kind'), kind: ResetKindSchema }),
  /** The card front as read off the photo (typed or "photographed" in the simulator). */
  Closed({
    type: Type.Literal('submit-card-front'),
    birthDate: Type.String({ maxLength: 10 }),
    cardExpiry: Type.String({ maxLength: 10 }),
    securityCode: Type.String({ maxLength: 4 }),
  }),
  /** The other password, submitted once; verified on the card (a wrong one costs a try). */
  Closed({ type: Type.Literal('submit-other-password'), value: Type.String({ maxLength: PASSWORD_WIRE_MAX }) }),
  /** The face match against the chip photo, as the trainer decides it. */
  Closed({ type: Type.Literal('face-check'), passed: Type.Boolean() }),
  /** The app's やめる: the session ends as cancelled (card taken off the phone). */
  Closed({ type: Type.Literal('cancel') }),
  /** Leave the app: back to idle, card taken off the phone (cancels a session still running). */
  Closed({ type: Type.Literal('close') }),
]);
export type AppIntent = Static<typeof AppIntentSchema>;

/**
 * Why an app intent was not taken (nothing changed): `not-now` (wrong step or a step still
 * running), `no-such-card`, `card-in-use` (the card is on the kiosk's reader or in another
 * process), `reader-busy` (the phone's reader holds a card this host did not put there),
 * `reader-unavailable` (pcscd / vpcd), `center-unavailable` (no app access to the center), `failed`.
 */
export const AppProblemSchema = Type.Enum(['not-now', 'no-such-card', 'card-in-use', 'reader-busy', 'reader-unavailable', 'center-unavailable', 'failed']);
export type AppProblem = Static<typeof AppProblemSchema>;

export const AppResultSchema = Type.Union([Closed({ ok: Type.Literal(true), view: AppViewSchema }), Closed({ ok: Type.Literal(false), problem: AppProblemSchema })]);
export type AppResult = Static<typeof AppResultSchema>;

/** The loggable part of an app intent: its type, never its fields (a value may be a password). */
export function describeAppIntent(intent: AppIntent): AppIntent['type'] {
  return intent.type;
}

// The reservation center as a trainer sets it: its clock (bookings expire 24 h after completion by
// this clock, not the kiosk's) and its maintenance windows (the app refuses to book during one).

export const CenterDeskViewSchema = Closed({
  /** The center's time now (epoch ms) and its offset from real time. */
  now: EpochMs,
  offsetMs: Type.Integer(),
  maintenance: Type.Array(MaintenanceWindowSchema, { maxItems: 100 }),
});
export type CenterDeskView = Static<typeof CenterDeskViewSchema>;

/** Ten years either way: what the center accepts. */
const CENTER_OFFSET_MAX = 315_576_000_000;

export const CenterDeskPatchSchema = Closed({
  offsetMs: Type.Optional(Type.Integer({ minimum: -CENTER_OFFSET_MAX, maximum: CENTER_OFFSET_MAX })),
  maintenance: Type.Optional(Type.Array(MaintenanceWindowSchema, { maxItems: 50 })),
});
export type CenterDeskPatch = Static<typeof CenterDeskPatchSchema>;

export const CenterDeskResultSchema = Type.Union([
  Closed({ ok: Type.Literal(true), center: CenterDeskViewSchema }),
  /** `unavailable`: this host has no trainer access to the center (an external one without its admin token), or it is down. */
  Closed({ ok: Type.Literal(false), problem: Type.Enum(['unavailable', 'maintenance-window-empty']) }),
]);
export type CenterDeskResult = Static<typeof CenterDeskResultSchema>;

// ---------------------------------------------------------------------------------------------
// (c) The API window.kiosk implements

export interface KioskApi {
  /** Which transport this is. */
  readonly host: 'electron' | 'browser';
  /** The current snapshot (also pushed through onSnapshot). */
  getSnapshot(): Promise<Snapshot>;
  /** Sends one intent; the answer says whether the core took it. The new state arrives as a snapshot. */
  send(intent: Intent): Promise<SendResult>;
  /** Subscribes to snapshots; returns the unsubscribe function. */
  onSnapshot(listener: (snapshot: Snapshot) => void): () => void;
  /** Trainer: current settings. */
  getSettings(): Promise<SettingsView>;
  /** Trainer: change settings; each takes effect as SETTING_EFFECTS says (at once, or from the next session…). */
  updateSettings(patch: SettingsPatch): Promise<SettingsResult>;
  /** Trainer: the virtual cards; absent where the host has none (e.g. a kiosk with a real reader only). */
  readonly trainer?: TrainerApi;
  /** Trainer: the smartphone-app simulator and the center's clock; present where `trainer` is. */
  readonly app?: AppApi;
}

export interface AppApi {
  /** The phone's booking session as it stands. */
  getState(): Promise<AppView>;
  /** One step of the app; the answer is the state after it (the card and center have answered). */
  send(intent: AppIntent): Promise<AppResult>;
  /** The reservation center's clock and maintenance windows. */
  getCenter(): Promise<CenterDeskResult>;
  updateCenter(patch: CenterDeskPatch): Promise<CenterDeskResult>;
}

export interface TrainerApi {
  listCards(): Promise<VirtualCardsView>;
  /** Places the named virtual card on the kiosk's reader (taking off any other first). */
  placeCard(name: string): Promise<TrainerResult>;
  /** Takes the virtual card off the reader. */
  removeCard(): Promise<TrainerResult>;
}

/** The methods callable over a transport (everything but onSnapshot, which is a push). */
export type KioskMethod =
  | 'getSnapshot'
  | 'send'
  | 'getSettings'
  | 'updateSettings'
  | 'listCards'
  | 'placeCard'
  | 'removeCard'
  | 'getAppState'
  | 'sendApp'
  | 'getCenter'
  | 'updateCenter';

/** Electron IPC channel names (preload ↔ main); kept in their own import-free file for the preload. */
export { KIOSK_IPC } from './ipc-channels';
assertSame<Same<keyof typeof KIOSK_IPC, KioskMethod | 'snapshot'>>();

// ---------------------------------------------------------------------------------------------
// WebSocket framing (browser host). One JSON message per frame.

/** The path the browser host serves the WebSocket on. */
export const KIOSK_WS_PATH = '/kiosk';

const CallId = Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER });

/** Client → server. */
export const ClientMessageSchema = Type.Union([
  Closed({ type: Type.Literal('call'), id: CallId, method: Type.Literal('getSnapshot') }),
  Closed({ type: Type.Literal('call'), id: CallId, method: Type.Literal('send'), intent: IntentSchema }),
  Closed({ type: Type.Literal('call'), id: CallId, method: Type.Literal('getSettings') }),
  Closed({ type: Type.Literal('call'), id: CallId, method: Type.Literal('updateSettings'), patch: SettingsPatchSchema }),
  Closed({ type: Type.Literal('call'), id: CallId, method: Type.Literal('listCards') }),
  Closed({ type: Type.Literal('call'), id: CallId, method: Type.Literal('placeCard'), name: CardName }),
  Closed({ type: Type.Literal('call'), id: CallId, method: Type.Literal('removeCard') }),
  Closed({ type: Type.Literal('call'), id: CallId, method: Type.Literal('getAppState') }),
  Closed({ type: Type.Literal('call'), id: CallId, method: Type.Literal('sendApp'), intent: AppIntentSchema }),
  Closed({ type: Type.Literal('call'), id: CallId, method: Type.Literal('getCenter') }),
  Closed({ type: Type.Literal('call'), id: CallId, method: Type.Literal('updateCenter'), patch: CenterDeskPatchSchema }),
]);
export type ClientMessage = Static<typeof ClientMessageSchema>;

/**
 * `UNSUPPORTED`: the host has no such facility (e.g. no virtual cards, no app simulator).
 * `RATE_LIMITED`: the connection sent more than the host takes (too many messages in a short
 * time, or too many calls still running); the call was not carried out, nothing was recorded.
 */
export const WireErrorCodeSchema = Type.Enum(['INVALID_MESSAGE', 'INTERNAL', 'UNSUPPORTED', 'RATE_LIMITED']);
export type WireErrorCode = Static<typeof WireErrorCodeSchema>;

/** Server → client. `value` is checked by the client against the method's result schema. */
export const ServerMessageSchema = Type.Union([
  Closed({ type: Type.Literal('snapshot'), snapshot: SnapshotSchema }),
  Closed({ type: Type.Literal('reply'), id: CallId, ok: Type.Literal(true), value: Type.Unknown() }),
  Closed({
    type: Type.Literal('reply'),
    /** null when the request was too malformed to have an id. */
    id: Type.Union([CallId, Type.Null()]),
    ok: Type.Literal(false),
    error: Closed({ code: WireErrorCodeSchema, message: Type.String({ maxLength: 500 }) }),
  }),
]);
export type ServerMessage = Static<typeof ServerMessageSchema>;

/** Result schema per method, for the receiving side of a reply. */
export const METHOD_RESULT_SCHEMAS = {
  getSnapshot: SnapshotSchema,
  send: SendResultSchema,
  getSettings: SettingsViewSchema,
  updateSettings: SettingsResultSchema,
  listCards: VirtualCardsViewSchema,
  placeCard: TrainerResultSchema,
  removeCard: TrainerResultSchema,
  getAppState: AppViewSchema,
  sendApp: AppResultSchema,
  getCenter: CenterDeskResultSchema,
  updateCenter: CenterDeskResultSchema,
} as const satisfies Record<KioskMethod, TSchema>;

/** Largest WebSocket / IPC message either side accepts (a snapshot is ~1 KiB). */
export const MAX_MESSAGE_BYTES = 64 * 1024;

// ---------------------------------------------------------------------------------------------
// Validation at the boundary (used by the WebSocket server and client, and by IPC handlers)

/**
 * Where and why a value failed its schema: JSON pointers and JSON Schema keywords only. Never the
 * offending value — a malformed intent may carry a password.
 */
export interface ContractProblem {
  readonly path: string;
  readonly keyword: string;
}

export type Checked<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problems: readonly ContractProblem[] };

export class ContractError extends Error {
  readonly code = 'INVALID_MESSAGE';
  constructor(
    readonly what: string,
    readonly problems: readonly ContractProblem[],
  ) {
    // Paths and keywords only: safe to log.
    super(`invalid ${what}: ${problems.map((p) => `${p.path || '/'} ${p.keyword}`).join('; ')}`);
    this.name = 'ContractError';
  }
}

/**
 * Checks `value` against `schema`. Uses TypeBox's interpreting checker (Value.Check), not the JIT
 * compiler: the renderer runs under a CSP without 'unsafe-eval', and these messages are small.
 */
export function check<S extends TSchema>(schema: S, value: unknown): Checked<Static<S>> {
  if (Value.Check(schema, value)) return { ok: true, value: value as Static<S> };
  const problems = Value.Errors(schema, value)
    .slice(0, 10)
    .map((e) => ({ path: e.instancePath, keyword: e.keyword }));
  return { ok: false, problems: problems.length > 0 ? problems : [{ path: '', keyword: 'schema' }] };
}

/** Like `check`, but throws a ContractError (code INVALID_MESSAGE). */
export function parse<S extends TSchema>(what: string, schema: S, value: unknown): Static<S> {
  const r = check(schema, value);
  if (!r.ok) throw new ContractError(what, r.problems);
  return r.value;
}

export const checkIntent = (value: unknown): Checked<Intent> => check(IntentSchema, value);
export const checkSnapshot = (value: unknown): Checked<Snapshot> => check(SnapshotSchema, value);
export const checkSettingsPatch = (value: unknown): Checked<SettingsPatch> => check(SettingsPatchSchema, value);
export const checkClientMessage = (value: unknown): Checked<ClientMessage> => check(ClientMessageSchema, value);
export const checkServerMessage = (value: unknown): Checked<ServerMessage> => check(ServerMessageSchema, value);

/** Parses one text frame as JSON, refusing oversized input before parsing it. */
export function decodeFrame(text: string): Checked<unknown> {
  if (text.length > MAX_MESSAGE_BYTES) return { ok: false, problems: [{ path: '', keyword: 'maxLength' }] };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, problems: [{ path: '', keyword: 'json' }] };
  }
}

/** A loggable description of an intent: its type only, never its fields (a value may be a password). */
export function describeIntent(intent: Intent): IntentType {
  return intent.type;
}
