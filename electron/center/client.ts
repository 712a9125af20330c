/**
 * Typed HTTP clients of the reservation center: the kiosk's (check → authorize → confirm), the
 * app simulator's and the trainers'. Every call has a timeout (AbortController); only idempotent
 * calls are retried, a bounded number of times. Every answer is checked against the same schemas
 * the server uses, so a kiosk never acts on a malformed or partial answer: a call either returns a
 * validated result or throws a CenterClientError, and a slow or dead center can never lead to a reset.
 *
 * Idempotent here: check and the reads (a check with the card's receipt settles only what that
 * receipt proves, the same each time); authorize, confirm and release, because the center answers a
 * repeat of the same request id (and, for authorize, the same challenge) with the same result
 * instead of acting twice. Not idempotent: booking and face-check results from the app (a
 * repeated failed face check would count twice), so those are never retried.
 */
import type { TSchema } from 'typebox';
import { Value } from 'typebox/value';
import type { ResetKind } from '../domain/passwords';
import {
  AppCardStatus,
  AuthorizeResponse,
  BookingList,
  BookingReceipt,
  BookingView,
  CheckResponse,
  ClockView,
  ConfirmResponse,
  ErrorBody,
  ReleaseResponse,
  LockView,
  MaintenanceList,
  type BookingRequest,
  type Reason,
} from './schemas';
import type { MaintenanceWindow } from '../domain/hours';
import type { Static } from 'typebox';

export type CenterErrorCode = 'UNREACHABLE' | 'TIMEOUT' | 'UNAUTHORIZED' | 'REFUSED' | 'PROTOCOL';

export class CenterClientError extends Error {
  constructor(
    readonly code: CenterErrorCode,
    message: string,
    readonly details: {
      /** For REFUSED: why, as a code the screens map to guidance. */
      readonly reason?: Reason;
      /** For REFUSED maintenance: when the center is available again. */
      readonly until?: number;
      readonly status?: number;
      readonly attempts?: number;
    } = {},
  ) {
    super(message);
    this.name = 'CenterClientError';
  }

  get reason(): Reason | undefined {
    return this.details.reason;
  }
}

export interface CenterClientOptions {
  /** e.g. http://127.0.0.1:5178 */
  readonly baseUrl: string;
  readonly token: string;
  /** Per attempt, including reading the body (default 2000 ms). */
  readonly timeoutMs?: number;
  /** Extra attempts for idempotent calls (default 2, so at most 3 attempts). */
  readonly retries?: number;
  /** Wait before the first retry, doubled for each further one (default 100 ms). */
  readonly retryDelayMs?: number;
  readonly fetch?: typeof fetch;
}

interface CallOptions<S extends TSchema> {
  readonly method: 'GET' | 'POST' | 'PUT';
  readonly path: string;
  readonly body?: unknown;
  readonly response: S;
  readonly idempotent: boolean;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Network failures undici reports as TypeError('fetch failed') with a cause. */
function networkCause(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (err instanceof Error ? err.message : String(err));
}

class CenterHttp {
  private readonly baseUrl: string;
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly retryDelayMs: number;
  private readonly fetchFn: typeof fetch;

  constructor(private readonly options: CenterClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? 2000;
    this.retries = Math.max(0, Math.floor(options.retries ?? 2));
    this.retryDelayMs = options.retryDelayMs ?? 100;
    this.fetchFn = options.fetch ?? fetch;
  }

  async call<S extends TSchema>(o: CallOptions<S>): Promise<Static<S>> {
    const attempts = o.idempotent ? this.retries + 1 : 1;
    let last: CenterClientError | undefined;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      if (attempt > 1) await sleep(this.retryDelayMs * 2 ** (attempt - 2));
      try {
        return await this.once(o);
      } catch (err) {
        if (!(err instanceof CenterClientError)) throw err;
        last = new CenterClientError(err.code, err.message, { ...err.details, attempts: attempt });
        if (!retryable(err)) throw last;
      }
    }
    throw last ?? new CenterClientError('PROTOCOL', 'no attempt was made');
  }

  private async once<S extends TSchema>(o: CallOptions<S>): Promise<Static<S>> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.timeoutMs);
    const what = `${o.method} ${o.path}`;
    try {
      let res: Response;
      try {
        res = await this.fetchFn(this.baseUrl + o.path, {
          method: o.method,
          headers: {
            authorization: `Bearer ${this.options.token}`,
            ...(o.body !== undefined && { 'content-type': 'application/json' }),
          },
          ...(o.body !== undefined && { body: JSON.stringify(o.body) }),
          signal: controller.signal,
        });
      } catch (err) {
        if (controller.signal.aborted) throw new CenterClientError('TIMEOUT', `${what}: no answer within ${this.timeoutMs} ms`);
        throw new CenterClientError('UNREACHABLE', `${what}: ${networkCause(err)}`);
      }
      let text: string;
      try {
        text = await res.text();
      } catch (err) {
        if (controller.signal.aborted) throw new CenterClientError('TIMEOUT', `${what}: answer not complete within ${this.timeoutMs} ms`, { status: res.status });
        throw new CenterClientError('UNREACHABLE', `${what}: connection lost while reading the answer (${networkCause(err)})`, { status: res.status });
      }
      let json: unknown;
      try {
        json = text === '' ? undefined : JSON.parse(text);
      } catch {
        throw new CenterClientError('PROTOCOL', `${what}: answer is not JSON (HTTP ${res.status})`, { status: res.status });
      }
      if (res.ok) {
        if (!Value.Check(o.response, json)) throw new CenterClientError('PROTOCOL', `${what}: answer does not match the API schema`, { status: res.status });
        return json as Static<S>;
      }
      const err = Value.Check(ErrorBody, json) ? json : undefined;
      if (res.status === 401 || res.status === 403) throw new CenterClientError('UNAUTHORIZED', `${what}: the center refused our credentials`, { status: res.status });
      if ((err?.error === 'refused' || err?.error === 'not-found') && err.reason !== undefined) {
        throw new CenterClientError('REFUSED', `${what}: ${err.message}`, { reason: err.reason, status: res.status, ...(err.until !== undefined && { until: err.until }) });
      }
      if (res.status === 503) throw new CenterClientError('UNREACHABLE', `${what}: the center is unavailable (HTTP 503)`, { status: res.status });
      throw new CenterClientError('PROTOCOL', `${what}: HTTP ${res.status}${err ? ` ${err.error}: ${err.message}` : ''}`, { status: res.status });
    } finally {
      clearTimeout(timer);
    }
  }
}

/** Worth another attempt of an idempotent call: the center may not have seen it, or failed. */
function retryable(err: CenterClientError): boolean {
  if (err.code === 'UNREACHABLE' || err.code === 'TIMEOUT') return true;
  return err.code === 'PROTOCOL' && err.details.status !== undefined && err.details.status >= 500;
}

// ---------------------------------------------------------------------------------------------
// Kiosk

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex').toUpperCase();

export type CheckResult = Static<typeof CheckResponse>;

export interface Authorization {
  readonly bookingId: string;
  /** The one-time MAC for EXTERNAL AUTHENTICATE (16 bytes). */
  readonly mac: Buffer;
  readonly authorizedAt: number;
  readonly replayed: boolean;
}

export interface Confirmation {
  readonly bookingId: string;
  readonly usedAt: number;
  readonly replayed: boolean;
}

/** What the kiosk core needs from the center (the core's center port, docs/architecture.md). */
export interface KioskCenterApi {
  /**
   * Whether the card has a usable booking of `kind`; REFUSED(maintenance) while the center is in
   * maintenance. With the card's receipt, an earlier authorization it proves used or unused is settled first.
   */
  check(cardId: string, kind: ResetKind, evidence?: { readonly receipt: Uint8Array; readonly requestId: string }): Promise<CheckResult>;
  /** The MAC for the card's challenge; the booking is then authorized until confirmed or released. */
  authorize(req: { cardId: string; kind: ResetKind; challenge: Uint8Array; receipt: Uint8Array; requestId: string }): Promise<Authorization>;
  /** Marks the authorized booking used; repeat with the same request id after a crash. */
  confirm(req: { bookingId: string; requestId: string; authorizationRequestId?: string }): Promise<Confirmation>;
  /** Gives back an authorization the card never used. */
  release(req: { bookingId: string; authorizationRequestId: string; requestId: string; reason: 'not-sent' | 'card-refused' }): Promise<Release>;
}

export type Release = Static<typeof ReleaseResponse>;

export class KioskCenterClient implements KioskCenterApi {
  private readonly http: CenterHttp;
  constructor(options: CenterClientOptions) {
    this.http = new CenterHttp(options);
  }

  check(cardId: string, kind: ResetKind, evidence?: { readonly receipt: Uint8Array; readonly requestId: string }): Promise<CheckResult> {
    const body = evidence === undefined ? { cardId, kind } : { cardId, kind, receipt: hex(evidence.receipt), requestId: evidence.requestId };
    return this.http.call({ method: 'POST', path: '/v1/kiosk/check', body, response: CheckResponse, idempotent: true });
  }

  async authorize(req: { cardId: string; kind: ResetKind; challenge: Uint8Array; receipt: Uint8Array; requestId: string }): Promise<Authorization> {
    const body = { cardId: req.cardId, kind: req.kind, challenge: hex(req.challenge), receipt: hex(req.receipt), requestId: req.requestId };
    const r = await this.http.call({ method: 'POST', path: '/v1/kiosk/authorize', body, response: AuthorizeResponse, idempotent: true });
    return { bookingId: r.bookingId, mac: Buffer.from(r.mac, 'hex'), authorizedAt: r.authorizedAt, replayed: r.replayed };
  }

  async confirm(req: { bookingId: string; requestId: string; authorizationRequestId?: string }): Promise<Confirmation> {
    const r = await this.http.call({ method: 'POST', path: '/v1/kiosk/confirm', body: req, response: ConfirmResponse, idempotent: true });
    return { bookingId: r.bookingId, usedAt: r.usedAt, replayed: r.replayed };
  }

  release(req: { bookingId: string; authorizationRequestId: string; requestId: string; reason: 'not-sent' | 'card-refused' }): Promise<Release> {
    return this.http.call({ method: 'POST', path: '/v1/kiosk/release', body: req, response: ReleaseResponse, idempotent: true });
  }
}

// ---------------------------------------------------------------------------------------------
// App simulator

export class AppCenterClient {
  private readonly http: CenterHttp;
  constructor(options: CenterClientOptions) {
    this.http = new CenterHttp(options);
  }

  cardStatus(cardId: string): Promise<Static<typeof AppCardStatus>> {
    return this.http.call({ method: 'GET', path: `/v1/app/cards/${encodeURIComponent(cardId)}`, response: AppCardStatus, idempotent: true });
  }

  faceCheck(cardId: string, passed: boolean): Promise<Static<typeof LockView>> {
    return this.http.call({ method: 'POST', path: '/v1/app/face-checks', body: { cardId, passed }, response: LockView, idempotent: false });
  }

  book(req: BookingRequest): Promise<Static<typeof BookingReceipt>> {
    return this.http.call({ method: 'POST', path: '/v1/app/bookings', body: req, response: BookingReceipt, idempotent: false });
  }
}

// ---------------------------------------------------------------------------------------------
// Trainers

export class AdminCenterClient {
  private readonly http: CenterHttp;
  constructor(options: CenterClientOptions) {
    this.http = new CenterHttp(options);
  }

  list(query: { cardId?: string; limit?: number } = {}): Promise<Static<typeof BookingList>> {
    const q = new URLSearchParams();
    if (query.cardId !== undefined) q.set('cardId', query.cardId);
    if (query.limit !== undefined) q.set('limit', String(query.limit));
    const qs = q.size > 0 ? `?${q}` : '';
    return this.http.call({ method: 'GET', path: `/v1/admin/bookings${qs}`, response: BookingList, idempotent: true });
  }

  create(req: { cardId: string; kind: ResetKind; completedAt?: number }): Promise<Static<typeof BookingView>> {
    return this.http.call({ method: 'POST', path: '/v1/admin/bookings', body: req, response: BookingView, idempotent: false });
  }

  expire(bookingId: string): Promise<Static<typeof BookingView>> {
    return this.http.call({ method: 'POST', path: `/v1/admin/bookings/${encodeURIComponent(bookingId)}/expire`, response: BookingView, idempotent: true });
  }

  lock(cardId: string): Promise<Static<typeof LockView>> {
    return this.http.call({ method: 'GET', path: `/v1/admin/cards/${encodeURIComponent(cardId)}`, response: LockView, idempotent: true });
  }

  clearLock(cardId: string): Promise<Static<typeof LockView>> {
    return this.http.call({ method: 'POST', path: `/v1/admin/cards/${encodeURIComponent(cardId)}/clear-lock`, response: LockView, idempotent: true });
  }

  clock(): Promise<Static<typeof ClockView>> {
    return this.http.call({ method: 'GET', path: '/v1/admin/clock', response: ClockView, idempotent: true });
  }

  setClockOffset(offsetMs: number): Promise<Static<typeof ClockView>> {
    return this.http.call({ method: 'PUT', path: '/v1/admin/clock', body: { offsetMs }, response: ClockView, idempotent: true });
  }

  maintenance(): Promise<Static<typeof MaintenanceList>> {
    return this.http.call({ method: 'GET', path: '/v1/admin/maintenance', response: MaintenanceList, idempotent: true });
  }

  setMaintenance(windows: readonly MaintenanceWindow[]): Promise<Static<typeof MaintenanceList>> {
    return this.http.call({ method: 'PUT', path: '/v1/admin/maintenance', body: { windows }, response: MaintenanceList, idempotent: true });
  }
}
