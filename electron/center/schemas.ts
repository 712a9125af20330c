/**
 * The reservation center's HTTP API: every request and response schema, and the route table the
 * server registers and the OpenAPI document is generated from. One source for the wire format, the
 * server's validation, the TypeScript types (Static<…>) and the kiosk client's response checks.
 *
 * Times on the wire are epoch milliseconds of the center's clock (real time + the trainer's offset).
 */
import Type, { type Static, type TSchema } from 'typebox';

// ---------------------------------------------------------------------------------------------
// Building blocks

/**
 * A closed set of strings as `{ type: 'string', enum: [...] }`: the same TypeScript union as a
 * Union of Literals, but fast-json-stringify writes it directly, where an `anyOf` makes it run a
 * validator per alternative on every response (a third of the check route's CPU).
 */
const oneOf = <const T extends string[]>(values: readonly [...T], options: { description?: string } = {}) => Type.Enum<T>(values, { type: 'string', ...options });

/** The auth certificate's serial number in hex: how the center names a card (docs/reset-protocol.md). */
export const CardId = Type.String({ pattern: '^[0-9A-Fa-f]{2,64}$', description: 'auth certificate serial number, hex' });
export const Kind = oneOf(['sign', 'auth'], {
  description: 'sign = 署名用パスワード, auth = 利用者証明用暗証番号 (the password to be reset)',
});
/** A kiosk's idempotency key for one authorize or confirm. */
export const RequestId = Type.String({ pattern: '^[A-Za-z0-9._:-]{8,64}$' });
export const BookingId = Type.String({ pattern: '^bk_[0-9a-f]{32}$' });
/** Epoch ms, bounded so that nonsense dates are a 400, not a broken record. */
export const EpochMs = Type.Integer({ minimum: 0, maximum: 8_640_000_000_000_000 });
export const Challenge = Type.String({ pattern: '^[0-9A-Fa-f]{16}$', description: 'the card’s 8-byte challenge, hex' });
export const Mac = Type.String({ pattern: '^[0-9A-F]{32}$', description: 'one-time reset MAC, 16 bytes hex' });
export const Receipt = Type.String({
  pattern: '^[0-9A-Fa-f]{76}$',
  description: 'the card’s reset receipt (GET RESET RECEIPT), 38 bytes hex: see docs/reset-protocol.md',
});
export const StoredState = oneOf(['booked', 'authorized', 'used', 'expired', 'replaced']);

/**
 * Why something was refused (or, for a check, why the booking is not usable). The kiosk and the app
 * map these to guidance screens (docs/kiosk-flow.md §3).
 */
export const Reason = oneOf([
  'no-booking',
  'kind-mismatch',
  'expired',
  'used',
  'app-locked',
  'maintenance',
  'identity-check-failed',
  'face-check-required',
  'not-authorized',
  'request-id-reused',
  'not-expirable',
  'receipt-invalid',
]);
export type Reason = Static<typeof Reason>;

export const ErrorBody = Type.Object(
  {
    error: oneOf(['invalid-request', 'unauthorized', 'not-found', 'refused', 'payload-too-large', 'unsupported-media-type', 'internal']),
    reason: Type.Optional(Reason),
    message: Type.String(),
    requestId: Type.String(),
    /** For `maintenance`: when the center is available again. */
    until: Type.Optional(EpochMs),
  },
  { additionalProperties: false },
);
export type ErrorBody = Static<typeof ErrorBody>;

const obj = <P extends Record<string, TSchema>>(props: P) => Type.Object(props, { additionalProperties: false });

const errors = (...codes: number[]) => Object.fromEntries(codes.map((c) => [c, ErrorBody]));

// ---------------------------------------------------------------------------------------------
// Kiosk side

export const CheckRequest = obj({
  cardId: CardId,
  kind: Kind,
  /** The card's receipt for `kind`: an earlier authorization it proves used or unused is settled first. */
  receipt: Type.Optional(Receipt),
  /** Names the check in the center's records when the receipt settles something. */
  requestId: Type.Optional(RequestId),
});
export type CheckRequest = Static<typeof CheckRequest>;

export const CheckResponse = obj({
  status: oneOf(['usable', 'none', 'expired', 'used', 'locked']),
  reason: oneOf(['usable', 'no-booking', 'kind-mismatch', 'expired', 'used', 'app-locked']),
  cardId: CardId,
  kind: Kind,
  bookingId: Type.Optional(BookingId),
  expiresAt: Type.Optional(EpochMs),
  /** With a receipt: the card carries this used booking's reset (the citizen's new password is set). */
  resetOnCard: Type.Optional(Type.Boolean()),
  centerNow: EpochMs,
});
export type CheckResponse = Static<typeof CheckResponse>;

export const AuthorizeRequest = obj({
  cardId: CardId,
  kind: Kind,
  challenge: Challenge,
  requestId: RequestId,
  /** The card's receipt for `kind`, read while the card held `challenge`. */
  receipt: Receipt,
});
export type AuthorizeRequest = Static<typeof AuthorizeRequest>;

export const AuthorizeResponse = obj({
  bookingId: BookingId,
  mac: Mac,
  authorizedAt: EpochMs,
  /** True when this answers a repeat of the same request (same kiosk, request id and challenge). */
  replayed: Type.Boolean(),
});
export type AuthorizeResponse = Static<typeof AuthorizeResponse>;

export const ConfirmRequest = obj({
  bookingId: BookingId,
  requestId: RequestId,
  /** The authorize request id this confirm is for; another authorization of the booking is refused. */
  authorizationRequestId: Type.Optional(RequestId),
});
export type ConfirmRequest = Static<typeof ConfirmRequest>;

export const ConfirmResponse = obj({
  bookingId: BookingId,
  state: Type.Literal('used'),
  usedAt: EpochMs,
  replayed: Type.Boolean(),
});
export type ConfirmResponse = Static<typeof ConfirmResponse>;

export const ReleaseRequest = obj({
  bookingId: BookingId,
  /** The authorize request id of the authorization given back. */
  authorizationRequestId: RequestId,
  requestId: RequestId,
  /** `not-sent`: the kiosk never sent the card the reset; `card-refused`: the card answered an error. */
  reason: oneOf(['not-sent', 'card-refused']),
});
export type ReleaseRequest = Static<typeof ReleaseRequest>;

export const ReleaseResponse = obj({
  bookingId: BookingId,
  /** False when the authorization was no longer held (released before, or replaced): nothing changed. */
  released: Type.Boolean(),
  state: StoredState,
});
export type ReleaseResponse = Static<typeof ReleaseResponse>;

// ---------------------------------------------------------------------------------------------
// App side (the 「JPKI暗証番号リセット」 simulator)

export const IdentityCheck = obj({
  /** Birth date, expiry and security code from the card front matched the card's text/visual AP. */
  cardFront: Type.Boolean(),
  /** The *other* password was verified on the card. */
  otherPassword: Type.Boolean(),
  /** Face match against the chip photo; required for `sign` only. */
  faceCheck: oneOf(['passed', 'failed', 'not-required']),
});

export const BookingRequest = obj({ cardId: CardId, kind: Kind, identity: IdentityCheck });
export type BookingRequest = Static<typeof BookingRequest>;

export const BookingReceipt = obj({
  bookingId: BookingId,
  cardId: CardId,
  kind: Kind,
  completedAt: EpochMs,
  expiresAt: EpochMs,
  /** The earlier booking of the same card and kind that this one replaced, if any. */
  replaced: Type.Union([BookingId, Type.Null()]),
});
export type BookingReceipt = Static<typeof BookingReceipt>;

export const FaceCheckRequest = obj({ cardId: CardId, passed: Type.Boolean() });
export type FaceCheckRequest = Static<typeof FaceCheckRequest>;

export const LockView = obj({
  cardId: CardId,
  consecutiveFailures: Type.Integer({ minimum: 0 }),
  failuresBeforeLock: Type.Integer({ minimum: 0 }),
  locked: Type.Boolean(),
  lockedAt: Type.Union([EpochMs, Type.Null()]),
});
export type LockView = Static<typeof LockView>;

export const CardIdParams = obj({ cardId: CardId });

export const MaintenanceWindow = obj({ from: EpochMs, until: EpochMs, note: Type.Optional(Type.String({ maxLength: 200 })) });

export const AppCardStatus = obj({
  cardId: CardId,
  lock: LockView,
  /** The maintenance window in force now, if any: bookings are refused until its end. */
  maintenance: Type.Union([MaintenanceWindow, Type.Null()]),
  centerNow: EpochMs,
});
export type AppCardStatus = Static<typeof AppCardStatus>;

// ---------------------------------------------------------------------------------------------
// Admin (trainers)

export const HistoryEntry = obj({
  state: StoredState,
  at: EpochMs,
  kioskId: Type.Optional(Type.String()),
  requestId: Type.Optional(Type.String()),
  note: Type.Optional(Type.String()),
});

export const BookingView = obj({
  bookingId: BookingId,
  cardId: CardId,
  kind: Kind,
  /** The state as the rules see it now: a `booked` booking past its 24 h reads `expired`. */
  state: StoredState,
  via: oneOf(['app', 'admin']),
  completedAt: EpochMs,
  expiresAt: EpochMs,
  history: Type.Array(HistoryEntry),
});
export type BookingView = Static<typeof BookingView>;

export const BookingList = obj({ bookings: Type.Array(BookingView), centerNow: EpochMs });
export type BookingList = Static<typeof BookingList>;

export const BookingListQuery = obj({
  cardId: Type.Optional(CardId),
  limit: Type.Optional(Type.String({ pattern: '^[1-9][0-9]{0,3}$', description: '1–9999, default 100' })),
});

export const AdminCreateBooking = obj({
  cardId: CardId,
  kind: Kind,
  /** Back-date a booking to show expiry; defaults to the center's now. */
  completedAt: Type.Optional(EpochMs),
});
export type AdminCreateBooking = Static<typeof AdminCreateBooking>;

export const BookingIdParams = obj({ bookingId: BookingId });

export const ClockView = obj({ now: EpochMs, offsetMs: Type.Integer() });
export type ClockView = Static<typeof ClockView>;
/** ±10 years is plenty for a training room and keeps the arithmetic far from overflow. */
export const ClockSet = obj({ offsetMs: Type.Integer({ minimum: -315_576_000_000, maximum: 315_576_000_000 }) });

export const MaintenanceList = obj({ windows: Type.Array(MaintenanceWindow, { maxItems: 100 }) });
export type MaintenanceList = Static<typeof MaintenanceList>;

export const Health = obj({ ok: Type.Literal(true), centerNow: EpochMs });

// ---------------------------------------------------------------------------------------------
// Routes

export type Auth = 'none' | 'kiosk' | 'app' | 'admin';

export interface RouteDef {
  readonly method: 'GET' | 'POST' | 'PUT';
  readonly url: string;
  readonly auth: Auth;
  readonly summary: string;
  readonly schema: {
    readonly body?: TSchema;
    readonly params?: TSchema;
    readonly querystring?: TSchema;
    readonly response: Readonly<Record<number, TSchema>>;
  };
}

const route = <const R extends RouteDef>(r: R): R => r;

/** Every route of the center. The server registers exactly these (a test checks it). */
export const ROUTES = {
  health: route({
    method: 'GET',
    url: '/health',
    auth: 'none',
    summary: 'Liveness and the center’s clock',
    schema: { response: { 200: Health } },
  }),
  check: route({
    method: 'POST',
    url: '/v1/kiosk/check',
    auth: 'kiosk',
    summary:
      'Does this card have a usable booking of this kind? With the card’s receipt, an earlier authorization the card proves used or unused is settled first. Safe to retry.',
    schema: { body: CheckRequest, response: { 200: CheckResponse, ...errors(400, 401, 409, 413, 415) } },
  }),
  authorize: route({
    method: 'POST',
    url: '/v1/kiosk/authorize',
    auth: 'kiosk',
    summary:
      'One-time reset MAC over the card’s challenge; marks the booking authorized. The card’s receipt must name the same challenge; a booking still authorized for an earlier challenge is authorized anew only when the receipt proves that one unused. The same kiosk, request id and challenge get the same answer again.',
    schema: { body: AuthorizeRequest, response: { 200: AuthorizeResponse, ...errors(400, 401, 409, 413, 415) } },
  }),
  confirm: route({
    method: 'POST',
    url: '/v1/kiosk/confirm',
    auth: 'kiosk',
    summary: 'Marks an authorized booking used, exactly once; idempotent for the same kiosk and request id',
    schema: { body: ConfirmRequest, response: { 200: ConfirmResponse, ...errors(400, 401, 404, 409, 413, 415) } },
  }),
  release: route({
    method: 'POST',
    url: '/v1/kiosk/release',
    auth: 'kiosk',
    summary:
      'Gives back an authorization the card never used (the reset was not sent, or the card refused it): the booking is usable again at once. Idempotent.',
    schema: { body: ReleaseRequest, response: { 200: ReleaseResponse, ...errors(400, 401, 404, 409, 413, 415) } },
  }),
  appCard: route({
    method: 'GET',
    url: '/v1/app/cards/:cardId',
    auth: 'app',
    summary: 'The app side’s view of a card: face-check lock and maintenance',
    schema: { params: CardIdParams, response: { 200: AppCardStatus, ...errors(400, 401) } },
  }),
  faceCheck: route({
    method: 'POST',
    url: '/v1/app/face-checks',
    auth: 'app',
    summary: 'Records one face-check result; 5 failures in a row lock the app side for the card',
    schema: { body: FaceCheckRequest, response: { 200: LockView, ...errors(400, 401, 409, 413, 415) } },
  }),
  book: route({
    method: 'POST',
    url: '/v1/app/bookings',
    auth: 'app',
    summary: 'Books a reset (valid 24 h); replaces an earlier booking of the same card and kind',
    schema: { body: BookingRequest, response: { 201: BookingReceipt, ...errors(400, 401, 409, 413, 415) } },
  }),
  adminList: route({
    method: 'GET',
    url: '/v1/admin/bookings',
    auth: 'admin',
    summary: 'Bookings, newest first, with their state history',
    schema: { querystring: BookingListQuery, response: { 200: BookingList, ...errors(400, 401) } },
  }),
  adminCreate: route({
    method: 'POST',
    url: '/v1/admin/bookings',
    auth: 'admin',
    summary: 'Creates a booking without the app (may be back-dated); replaces as the app would',
    schema: { body: AdminCreateBooking, response: { 201: BookingView, ...errors(400, 401, 413, 415) } },
  }),
  adminExpire: route({
    method: 'POST',
    url: '/v1/admin/bookings/:bookingId/expire',
    auth: 'admin',
    summary: 'Expires a booked (not yet authorized) booking now',
    schema: { params: BookingIdParams, response: { 200: BookingView, ...errors(400, 401, 404, 409) } },
  }),
  adminCard: route({
    method: 'GET',
    url: '/v1/admin/cards/:cardId',
    auth: 'admin',
    summary: 'The face-check lock of a card',
    schema: { params: CardIdParams, response: { 200: LockView, ...errors(400, 401) } },
  }),
  adminClearLock: route({
    method: 'POST',
    url: '/v1/admin/cards/:cardId/clear-lock',
    auth: 'admin',
    summary: 'Clears the face-check lock and failure count of a card',
    schema: { params: CardIdParams, response: { 200: LockView, ...errors(400, 401) } },
  }),
  adminClock: route({
    method: 'GET',
    url: '/v1/admin/clock',
    auth: 'admin',
    summary: 'The center’s simulated clock',
    schema: { response: { 200: ClockView, ...errors(401) } },
  }),
  adminSetClock: route({
    method: 'PUT',
    url: '/v1/admin/clock',
    auth: 'admin',
    summary: 'Sets the simulated clock’s offset from real time (ms); all reservation rules use it',
    schema: { body: ClockSet, response: { 200: ClockView, ...errors(400, 401, 413, 415) } },
  }),
  adminMaintenance: route({
    method: 'GET',
    url: '/v1/admin/maintenance',
    auth: 'admin',
    summary: 'Configured maintenance windows',
    schema: { response: { 200: MaintenanceList, ...errors(401) } },
  }),
  adminSetMaintenance: route({
    method: 'PUT',
    url: '/v1/admin/maintenance',
    auth: 'admin',
    summary: 'Replaces the maintenance windows (bookings, checks and authorizations are refused inside one)',
    schema: { body: MaintenanceList, response: { 200: MaintenanceList, ...errors(400, 401, 413, 415) } },
  }),
} as const;

export type RouteName = keyof typeof ROUTES;
