/**
 * The smartphone app page's part of the window.kiosk contract (the 「JPKI暗証番号リセット」 app
 * simulator, a trainer tool).
 */
import Type, { type Static } from 'typebox';
import { CardNameSchema, Closed, EpochMs, PASSWORD_WIRE_MAX, PasswordFieldProps, PasswordFormatProblemSchema, ResetKindSchema } from './schema';

// ---------------------------------------------------------------------------------------------
// Trainer: the smartphone-app simulator (the 「JPKI暗証番号リセット」 app, docs/kiosk-flow.md §6).
// The core runs the booking flow of electron/booking — the same one as `npm run app` — on the card
// in the phone's reader (vpcd slot 1 while the kiosk uses slot 0), against the kiosk's reservation
// center.
//
// Like the kiosk, the page decides nothing: it sends one AppIntent and shows the AppView the core
// answers with. The other password crosses once, in `submit-other-password`, and no view ever
// carries it; the card-front data is the card's printed face, which the trainer holds anyway.

/** Why the app refused to book: the one list (electron/booking/flow.ts takes its refusals from it). */
export const BookingRefusalSchema = Type.Enum([
  'maintenance',
  'app-locked',
  'real-card',
  'no-sign-certificate',
  'no-other-password',
  'card-front-locked',
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
  name: CardNameSchema,
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
  Closed({ type: Type.Literal('start'), card: CardNameSchema }),
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
