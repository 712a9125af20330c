/**
 * The reservation center: a Fastify app over a CenterStorage. `buildCenter` returns the app without
 * listening (tests use `inject`; main.ts and embedded.ts listen on loopback).
 *
 * Time: every rule uses the center's clock, real time plus an offset a trainer sets through the
 * admin API (persisted with the data). Bookings, expiry and maintenance are the center's business,
 * so the app and the kiosks both get their answers in center time (`centerNow` in responses). The
 * kiosk keeps its own simulated clock for its 06:30–23:00 hours.
 */
import Fastify, { LogController, type FastifyReply, type FastifyRequest, type FastifyServerOptions } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import crypto from 'node:crypto';
import { diversifyResetKey, normalizeCardId, resetMac } from '../../native/jpki/reset-mac';
import { verifyResetReceipt, type ResetReceipt } from '../../native/jpki/reset-receipt';
import { guardConnections } from './connection-guard';
import { buildOpenApi } from './openapi';
import {
  activeMaintenance,
  checkReservation,
  decideAdminBooking,
  decideAuthorize,
  decideBooking,
  decideClearLock,
  decideCheck,
  decideConfirm,
  decideExpire,
  decideRelease,
  decideFaceCheck,
  effectiveHistory,
  effectiveState,
  lockView,
} from './rules';
import { ROUTES, type Auth, type BookingView, type ErrorBody, type Reason } from './schemas';
import type { BookingWithHistory, CenterStorage, Settings } from './storage';

declare module 'fastify' {
  interface FastifyRequest {
    /** The kiosk a kiosk-route request authenticated as ('' on other routes). */
    kioskId: string;
  }
}

export interface CenterClock {
  /** Real time, epoch ms (the trainer's offset is added on top). */
  now(): number;
}

export const systemClock: CenterClock = { now: () => Date.now() };

export interface CenterOptions {
  readonly storage: CenterStorage;
  readonly clock?: CenterClock;
  /** The center master key the per-card reset keys are diversified from (32 bytes). */
  readonly masterKey: Uint8Array;
  /** kiosk id → that kiosk's bearer token. */
  readonly kioskKeys: Readonly<Record<string, string>>;
  /** Bearer token of the smartphone-app simulator. */
  readonly appToken: string;
  /** Bearer token of the trainers' admin API. */
  readonly adminToken: string;
  /** Fastify/pino logger options; false in tests. Request ids are logged; bodies never are. */
  readonly logger?: FastifyServerOptions['logger'];
  /** Largest request body in bytes (default 16 KiB; every valid body is far smaller). */
  readonly bodyLimit?: number;
  /** How long a client may take to send a whole request before a 408 closes it (ms; default 10 s). */
  readonly requestTimeoutMs?: number;
  /** How long an answer may sit unread before its connection is closed (ms; default 10 s). */
  readonly stallMs?: number;
}

export class CenterConfigError extends Error {
  readonly code = 'CENTER_CONFIG';
  constructor(message: string) {
    super(message);
    this.name = 'CenterConfigError';
  }
}

/**
 * Tokens are compared by their SHA-256, so lookup time says nothing about a token's prefix.
 * crypto.hash, the one-shot form (Node 20.12+), because this runs on every request: it costs a
 * third of createHash's object, update and digest.
 */
const tokenHash = (token: string) => crypto.hash('sha256', token, 'hex');
type Principal = { readonly auth: Auth; readonly kioskId?: string };
const MIN_TOKEN_LENGTH = 16;
const KIOSK_ID = /^[A-Za-z0-9._-]{1,64}$/;
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/** English text for logs and developers; screens map the reason code, not this text. */
export const REASON_MESSAGES: Readonly<Record<Reason, string>> = {
  'no-booking': 'there is no reservation for this card',
  'kind-mismatch': 'the reservation is for the other password',
  expired: 'the reservation is more than 24 hours old',
  used: 'the reservation has already been used',
  'app-locked': 'the app is locked for this card after 5 failed face checks',
  maintenance: 'the reservation service is under maintenance',
  'identity-check-failed': 'the identity check was not completed',
  'face-check-required': 'a passed face check is required to reserve a signature password reset',
  'not-authorized': 'the reservation was not authorized by this kiosk',
  'request-id-reused': 'this request id was already used with another challenge',
  'not-expirable': 'only a reservation that is booked and not yet authorized can be expired',
  'receipt-invalid': 'the card receipt is not this card’s, not for this password, or not for this challenge',
};

export function buildCenter(options: CenterOptions) {
  const { storage, masterKey } = options;
  const clock = options.clock ?? systemClock;
  const requestTimeoutMs = options.requestTimeoutMs ?? 10_000;
  if (masterKey.length !== 32) throw new CenterConfigError('the master key must be 32 bytes');

  const principals = new Map<string, Principal>();
  const addToken = (token: string, p: Principal, what: string) => {
    if (token.length < MIN_TOKEN_LENGTH) throw new CenterConfigError(`${what} token must be at least ${MIN_TOKEN_LENGTH} characters`);
    const h = tokenHash(token);
    if (principals.has(h)) throw new CenterConfigError(`${what} token is already used by another client`);
    principals.set(h, p);
  };
  for (const [kioskId, token] of Object.entries(options.kioskKeys)) {
    if (!KIOSK_ID.test(kioskId)) throw new CenterConfigError(`kiosk id ${JSON.stringify(kioskId)} must match ${KIOSK_ID}`);
    addToken(token, { auth: 'kiosk', kioskId }, `kiosk ${kioskId}`);
  }
  addToken(options.appToken, { auth: 'app' }, 'app');
  addToken(options.adminToken, { auth: 'admin' }, 'admin');

  // A request id names a request in the logs; it is no secret, so this center's random prefix and
  // a counter make it unique, where a random UUID per request cost 5 % of the bytes a request
  // allocates (Node builds the UUID's text piece by piece).
  const instance = crypto.randomBytes(4).toString('hex');
  let requestCount = 0;
  const bodyLimit = options.bodyLimit ?? 16 * 1024;
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit,
    logController: new LogController({ requestIdLogLabel: 'requestId' }),
    genReqId: (req) => {
      const h = req.headers['x-request-id'];
      return typeof h === 'string' && REQUEST_ID.test(h) ? h : `${instance}-${(++requestCount).toString(36)}`;
    },
    // Strict: no silent coercion or stripping; a wrong type or an unknown field is a 400.
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, allErrors: false } },
    // Slow or stalled clients must not tie the center up: a request (headers and body) must arrive
    // within requestTimeoutMs, checked every second by Node; an answer left unread is the
    // connection guard's (below). No socket inactivity timeout: it re-arms a timer on every read
    // and write of every request (see connection-guard.ts).
    requestTimeout: requestTimeoutMs,
    http: { headersTimeout: requestTimeoutMs, connectionsCheckingInterval: Math.min(1000, requestTimeoutMs) },
  }).withTypeProvider<TypeBoxTypeProvider>();

  const guard = guardConnections(app.server, {
    stallMs: options.stallMs ?? 10_000,
    onClose: (socket) => app.log.warn({ remote: socket.remoteAddress }, 'closed a connection that stopped reading its answers'),
  });
  app.addHook('onClose', (_app, done) => {
    guard.stop();
    done();
  });

  // The authenticated kiosk rides on the request itself (a decoration Fastify puts on the request
  // prototype): a WeakMap keyed by short-lived requests costs the GC ephemeron work on every request.
  app.decorateRequest('kioskId', '');

  const fail = (reply: FastifyReply, status: number, body: Omit<ErrorBody, 'requestId'>) =>
    reply.code(status).send({ ...body, requestId: reply.request.id } satisfies ErrorBody);

  /** 409 with a reason; for a booking id that names nothing (confirm, expire), 404. */
  const refuse = (reply: FastifyReply, reason: Reason, until?: number, byId = false) =>
    fail(reply, byId && reason === 'no-booking' ? 404 : 409, {
      error: byId && reason === 'no-booking' ? 'not-found' : 'refused',
      reason,
      message: REASON_MESSAGES[reason],
      ...(until !== undefined && { until }),
    });

  /** The token's client, by its hash (see tokenHash); undefined for anything else. */
  const principalOf = (header: string | undefined) => {
    const m = typeof header === 'string' ? /^Bearer ([\x21-\x7E]{1,256})$/.exec(header) : null;
    return m?.[1] !== undefined ? principals.get(tokenHash(m[1])) : undefined;
  };

  // Synchronous (callback) hooks: they run on every request and need no promise.
  const requireAuth = (auth: Auth) => (req: FastifyRequest, reply: FastifyReply, done: () => void) => {
    if (auth === 'none') return done();
    const p = principalOf(req.headers.authorization);
    if (p === undefined || p.auth !== auth) {
      reply.header('www-authenticate', 'Bearer realm="kiosk-sim-center"');
      fail(reply, 401, { error: 'unauthorized', message: `a valid ${auth} bearer token is required` });
      return;
    }
    if (p.kioskId !== undefined) req.kioskId = p.kioskId;
    done();
  };

  /** The center's time under `settings` (real time + the trainer's offset). */
  const nowOf = (settings: Settings) => clock.now() + settings.clockOffsetMs;

  const centerTime = async () => {
    const settings = await storage.readSettings();
    return { now: clock.now() + settings.clockOffsetMs, settings };
  };

  const bookingView = ({ booking: b, history }: BookingWithHistory, now: number): BookingView => ({
    bookingId: b.id,
    cardId: b.cardId,
    kind: b.kind,
    state: effectiveState(b, now),
    via: b.via,
    completedAt: b.completedAt,
    expiresAt: b.expiresAt,
    history: effectiveHistory(b, history, now).map((e) => ({ ...e })),
  });

  const newBookingId = () => `bk_${crypto.randomBytes(16).toString('hex')}`;

  app.addHook('onRequest', (req, reply, done) => {
    reply.header('x-request-id', req.id);
    done();
  });

  app.setNotFoundHandler((req, reply) => fail(reply, 404, { error: 'not-found', message: `no route ${req.method} ${req.url.split('?')[0]}` }));

  app.setErrorHandler((err: Error & { statusCode?: number; validation?: unknown; code?: string }, req, reply) => {
    if (err.validation !== undefined) return fail(reply, 400, { error: 'invalid-request', message: err.message });
    const status = err.statusCode ?? 500;
    if (status === 413) return fail(reply, 413, { error: 'payload-too-large', message: 'request body too large' });
    if (status === 415) return fail(reply, 415, { error: 'unsupported-media-type', message: 'send application/json' });
    if (status >= 400 && status < 500) {
      // JSON.parse messages quote the body; say what is wrong without echoing what was sent.
      const message = err instanceof SyntaxError ? 'body is not valid JSON' : err.message;
      return fail(reply, status, { error: 'invalid-request', message });
    }
    req.log.error({ err }, 'request failed');
    return fail(reply, 500, { error: 'internal', message: 'internal error' });
  });

  // ---- public
  app.get('/openapi.json', async () => buildOpenApi());

  app.route({
    ...ROUTES.health,
    onRequest: requireAuth(ROUTES.health.auth),
    handler: async () => ({ ok: true as const, centerNow: (await centerTime()).now }),
  });

  // ---- kiosk
  app.route({
    ...ROUTES.check,
    onRequest: requireAuth(ROUTES.check.auth),
    handler: async (req, reply) => {
      const cardId = normalizeCardId(req.body.cardId);
      const { kind, receipt } = req.body;
      let evidence: ResetReceipt | null = null;
      if (receipt !== undefined) {
        evidence = verifyResetReceipt(diversifyResetKey(masterKey, cardId), kind, Buffer.from(receipt, 'hex'));
        if (evidence === null) return refuse(reply, 'receipt-invalid');
      }
      const answer = (v: ReturnType<typeof checkReservation>, now: number, resetOnCard?: boolean) => ({
        status: v.status,
        reason: v.reason,
        cardId,
        kind,
        ...('booking' in v && { bookingId: v.booking.id, expiresAt: v.booking.expiresAt }),
        ...(resetOnCard !== undefined && { resetOnCard }),
        centerNow: now,
      });
      const { kioskId } = req;
      const env = (now: number) => ({ now, kioskId, requestId: req.body.requestId ?? `ck-${req.id}` });
      // A read: only when the card's receipt settles an earlier authorization does the check write,
      // and then it decides again under the write lock.
      const { card, settings } = await storage.readCardWithSettings(cardId);
      const now = nowOf(settings);
      const window = activeMaintenance(settings.maintenance, now);
      if (window) return refuse(reply, 'maintenance', window.until);
      const seen = decideCheck(card, kind, evidence, env(now));
      let verdict = seen.result;
      let at = now;
      if (seen.changes.length > 0 && evidence !== null) {
        const ev = evidence;
        ({ verdict, at } = await storage.updateCard(cardId, (c, s) => {
          const d = decideCheck(c, kind, ev, env(nowOf(s)));
          return { result: { verdict: d.result, at: nowOf(s) }, changes: d.changes };
        }));
        req.log.info({ cardId, kind, kioskId, outcome: verdict.reason, resetOnCard: verdict.resetOnCard }, 'check settled an earlier authorization');
      }
      return answer(verdict, at, evidence === null ? undefined : verdict.resetOnCard);
    },
  });

  app.route({
    ...ROUTES.authorize,
    onRequest: requireAuth(ROUTES.authorize.auth),
    handler: async (req, reply) => {
      const cardId = normalizeCardId(req.body.cardId);
      const { kind, requestId } = req.body;
      const challenge = req.body.challenge.toUpperCase();
      const { kioskId } = req;
      const cardKey = diversifyResetKey(masterKey, cardId);
      const evidence = verifyResetReceipt(cardKey, kind, Buffer.from(req.body.receipt, 'hex'));
      if (evidence === null) return refuse(reply, 'receipt-invalid');
      const out = await storage.updateCard(cardId, (card, settings) =>
        decideAuthorize(card, { kind, kioskId, requestId, challenge, evidence }, { now: nowOf(settings), maintenance: settings.maintenance }),
      );
      req.log.info({ cardId, kind, kioskId, outcome: out.ok ? (out.replayed ? 'replayed' : 'authorized') : out.reason }, 'authorize');
      if (!out.ok) return refuse(reply, out.reason, out.until);
      const mac = resetMac(cardKey, kind, Buffer.from(challenge, 'hex'));
      return { bookingId: out.booking.id, mac: mac.toString('hex').toUpperCase(), authorizedAt: out.authorizedAt, replayed: out.replayed };
    },
  });

  app.route({
    ...ROUTES.confirm,
    onRequest: requireAuth(ROUTES.confirm.auth),
    handler: async (req, reply) => {
      const { bookingId, requestId, authorizationRequestId } = req.body;
      const { kioskId } = req;
      const input = authorizationRequestId === undefined ? { kioskId, requestId } : { kioskId, requestId, authorizationRequestId };
      const out = await storage.updateBooking(bookingId, (b, settings) => decideConfirm(b, input, { now: nowOf(settings) }));
      req.log.info({ bookingId, kioskId, outcome: out.ok ? (out.replayed ? 'replayed' : 'used') : out.reason }, 'confirm');
      if (!out.ok) return refuse(reply, out.reason, undefined, true);
      return { bookingId, state: 'used' as const, usedAt: out.usedAt, replayed: out.replayed };
    },
  });

  app.route({
    ...ROUTES.release,
    onRequest: requireAuth(ROUTES.release.auth),
    handler: async (req, reply) => {
      const { bookingId, authorizationRequestId, reason } = req.body;
      const { kioskId } = req;
      const out = await storage.updateBooking(bookingId, (b, settings) => decideRelease(b, { kioskId, authorizationRequestId, reason }, { now: nowOf(settings) }));
      req.log.info({ bookingId, kioskId, reason, outcome: out.ok ? (out.released ? 'released' : 'not-held') : out.reason }, 'release');
      if (!out.ok) return refuse(reply, out.reason, undefined, true);
      return { bookingId, released: out.released, state: out.state };
    },
  });

  // ---- app
  app.route({
    ...ROUTES.appCard,
    onRequest: requireAuth(ROUTES.appCard.auth),
    handler: async (req) => {
      const cardId = normalizeCardId(req.params.cardId);
      const { card, settings } = await storage.readCardWithSettings(cardId);
      const now = nowOf(settings);
      return { cardId, lock: lockView(cardId, card.lock), maintenance: activeMaintenance(settings.maintenance, now) ?? null, centerNow: now };
    },
  });

  app.route({
    ...ROUTES.faceCheck,
    onRequest: requireAuth(ROUTES.faceCheck.auth),
    handler: async (req, reply) => {
      const cardId = normalizeCardId(req.body.cardId);
      const out = await storage.updateCard(cardId, (card, settings) =>
        decideFaceCheck(card, req.body.passed, { now: nowOf(settings), maintenance: settings.maintenance }),
      );
      req.log.info({ cardId, passed: req.body.passed, outcome: out.ok ? (out.lock.lockedAt !== null ? 'locked' : 'recorded') : out.reason }, 'face check');
      if (!out.ok) return refuse(reply, out.reason, out.until);
      return lockView(cardId, out.lock);
    },
  });

  app.route({
    ...ROUTES.book,
    onRequest: requireAuth(ROUTES.book.auth),
    handler: async (req, reply) => {
      const cardId = normalizeCardId(req.body.cardId);
      const { kind, identity } = req.body;
      const out = await storage.updateCard(cardId, (card, settings) =>
        decideBooking(card, { cardId, kind, identity }, { now: nowOf(settings), maintenance: settings.maintenance, newId: newBookingId() }),
      );
      req.log.info({ cardId, kind, outcome: out.ok ? 'booked' : out.reason }, 'booking');
      if (!out.ok) return refuse(reply, out.reason, out.until);
      const b = out.booking;
      return reply.code(201).send({ bookingId: b.id, cardId, kind, completedAt: b.completedAt, expiresAt: b.expiresAt, replaced: out.replaced });
    },
  });

  // ---- admin
  app.route({
    ...ROUTES.adminList,
    onRequest: requireAuth(ROUTES.adminList.auth),
    handler: async (req) => {
      const { now } = await centerTime();
      const cardId = req.query.cardId !== undefined ? normalizeCardId(req.query.cardId) : undefined;
      const limit = req.query.limit !== undefined ? Number(req.query.limit) : 100;
      const rows = await storage.listBookings({ ...(cardId !== undefined && { cardId }), limit });
      return { bookings: rows.map((r) => bookingView(r, now)), centerNow: now };
    },
  });

  app.route({
    ...ROUTES.adminCreate,
    onRequest: requireAuth(ROUTES.adminCreate.auth),
    handler: async (req, reply) => {
      const cardId = normalizeCardId(req.body.cardId);
      const { now } = await centerTime();
      const out = await storage.updateCard(cardId, (card) =>
        decideAdminBooking(card, req.body.kind, { now, completedAt: req.body.completedAt ?? now, newId: newBookingId() }),
      );
      req.log.info({ cardId, kind: req.body.kind }, 'admin booking');
      const row = await storage.readBooking(out.booking.id);
      if (!row) throw new Error('a booking just written cannot be read back');
      return reply.code(201).send(bookingView(row, now));
    },
  });

  app.route({
    ...ROUTES.adminExpire,
    onRequest: requireAuth(ROUTES.adminExpire.auth),
    handler: async (req, reply) => {
      const { bookingId } = req.params;
      const { now } = await centerTime();
      const out = await storage.updateBooking(bookingId, (b) => decideExpire(b, { now }));
      if (!out.ok) return refuse(reply, out.reason, undefined, true);
      const row = await storage.readBooking(bookingId);
      if (!row) return refuse(reply, 'no-booking', undefined, true);
      return bookingView(row, now);
    },
  });

  app.route({
    ...ROUTES.adminCard,
    onRequest: requireAuth(ROUTES.adminCard.auth),
    handler: async (req) => {
      const cardId = normalizeCardId(req.params.cardId);
      return lockView(cardId, (await storage.readCard(cardId)).lock);
    },
  });

  app.route({
    ...ROUTES.adminClearLock,
    onRequest: requireAuth(ROUTES.adminClearLock.auth),
    handler: async (req) => {
      const cardId = normalizeCardId(req.params.cardId);
      const out = await storage.updateCard(cardId, () => decideClearLock());
      req.log.info({ cardId }, 'lock cleared');
      return lockView(cardId, out.lock);
    },
  });

  app.route({
    ...ROUTES.adminClock,
    onRequest: requireAuth(ROUTES.adminClock.auth),
    handler: async () => {
      const { now, settings } = await centerTime();
      return { now, offsetMs: settings.clockOffsetMs };
    },
  });

  app.route({
    ...ROUTES.adminSetClock,
    onRequest: requireAuth(ROUTES.adminSetClock.auth),
    handler: async (req) => {
      const settings = await storage.writeSettings({ clockOffsetMs: req.body.offsetMs });
      req.log.info({ offsetMs: settings.clockOffsetMs }, 'clock set');
      return { now: clock.now() + settings.clockOffsetMs, offsetMs: settings.clockOffsetMs };
    },
  });

  app.route({
    ...ROUTES.adminMaintenance,
    onRequest: requireAuth(ROUTES.adminMaintenance.auth),
    handler: async () => ({ windows: [...(await storage.readSettings()).maintenance] }),
  });

  app.route({
    ...ROUTES.adminSetMaintenance,
    onRequest: requireAuth(ROUTES.adminSetMaintenance.auth),
    handler: async (req, reply) => {
      const bad = req.body.windows.find((w) => w.until <= w.from);
      if (bad) return fail(reply, 400, { error: 'invalid-request', message: 'a maintenance window must end after it starts' });
      const settings = await storage.writeSettings({ maintenance: req.body.windows });
      req.log.info({ windows: settings.maintenance.length }, 'maintenance set');
      return { windows: [...settings.maintenance] };
    },
  });

  return app;
}

export type CenterApp = ReturnType<typeof buildCenter>;
