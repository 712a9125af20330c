/**
 * The ReservationCenter port on the reservation center's kiosk client (electron/center/client.ts).
 *
 * Ids: the port's reservationId is the center's bookingId. The authorization id is the request id
 * of the authorize call, fresh per attempt; the confirm's request id is derived from it, so a kiosk
 * that confirms again after a crash (from its journal) repeats the very same request and the
 * center answers it as a replay instead of refusing a second confirm.
 */
import crypto from 'node:crypto';
import { CenterClientError, type KioskCenterApi } from '../../center/client';
import type { Reason } from '../../center/schemas';
import type { ResetKind } from '../../domain/passwords';
import { CenterError, type AuthorizationRef, type ReleaseReason, type ReservationCenter, type ReservationCheck, type ReservationRefusal, type ResetAuthorization } from '../ports';

/**
 * The one mapping from the center's reasons to the kiosk's refusals (whose names are the guidance
 * screens' reasons, electron/kiosk/guidance.ts); null: not a refusal the citizen can act on here,
 * so the kiosk says the service is unavailable. Every center reason is listed: a new one does not
 * compile until it is placed.
 */
export const REFUSAL_OF_CENTER_REASON: Readonly<Record<Reason, ReservationRefusal | null>> = {
  'no-booking': 'no-reservation',
  'kind-mismatch': 'no-reservation',
  expired: 'reservation-expired',
  used: 'reservation-used',
  'app-locked': 'app-locked',
  maintenance: null,
  'identity-check-failed': null,
  'face-check-required': null,
  'not-authorized': null,
  'request-id-reused': null,
  'not-expirable': null,
  'receipt-invalid': null,
};

function refusalOf(reason: string | undefined): ReservationRefusal | undefined {
  return (reason !== undefined && Object.hasOwn(REFUSAL_OF_CENTER_REASON, reason) ? REFUSAL_OF_CENTER_REASON[reason as Reason] : null) ?? undefined;
}

/** Maps a client error to the port's: refusals the citizen can act on, everything else "unavailable". */
function portError(err: unknown, what: string): CenterError {
  if (err instanceof CenterClientError && err.code === 'REFUSED') {
    const refusal = refusalOf(err.reason);
    if (refusal !== undefined) return new CenterError('CENTER_REFUSED', `${what}: ${refusal}`, refusal, { cause: err });
  }
  // UNREACHABLE, TIMEOUT, UNAUTHORIZED (a misconfigured key), PROTOCOL, maintenance: the service is
  // unavailable for this citizen now, and nothing was changed.
  const code = err instanceof CenterClientError ? err.code : 'UNKNOWN';
  return new CenterError('CENTER_UNAVAILABLE', `${what}: center ${code}`, undefined, { cause: err });
}

export function confirmRequestId(authorizationId: string): string {
  return `cf-${authorizationId}`;
}

export function releaseRequestId(authorizationId: string): string {
  return `rl-${authorizationId}`;
}

export class CenterAdapter implements ReservationCenter {
  constructor(private readonly client: KioskCenterApi) {}

  async check(req: { cardId: string; kind: ResetKind; receipt?: Uint8Array }): Promise<ReservationCheck> {
    let r;
    try {
      const evidence = req.receipt === undefined ? undefined : { receipt: req.receipt, requestId: `ck-${crypto.randomUUID()}` };
      r = await this.client.check(req.cardId, req.kind, evidence);
    } catch (err) {
      throw portError(err, 'check');
    }
    if (r.status === 'usable' && r.bookingId !== undefined) return { status: 'usable', reservationId: r.bookingId };
    const refusal = refusalOf(r.reason === 'usable' ? undefined : r.reason) ?? (r.status === 'locked' ? 'app-locked' : 'no-reservation');
    return r.resetOnCard === true ? { status: 'refused', refusal, resetOnCard: true } : { status: 'refused', refusal };
  }

  async authorize(req: { cardId: string; kind: ResetKind; reservationId: string; challenge: Uint8Array; receipt: Uint8Array }): Promise<ResetAuthorization> {
    const requestId = `az-${crypto.randomUUID()}`;
    let r;
    try {
      r = await this.client.authorize({ cardId: req.cardId, kind: req.kind, challenge: req.challenge, receipt: req.receipt, requestId });
    } catch (err) {
      throw portError(err, 'authorize');
    }
    // The center authorizes the card's current booking; it must be the one this session checked.
    if (r.bookingId !== req.reservationId) throw new CenterError('CENTER_REFUSED', 'authorize: a different booking answered', 'reservation-used');
    return { authorizationId: requestId, mac: r.mac };
  }

  async confirm(req: AuthorizationRef): Promise<void> {
    try {
      await this.client.confirm({ bookingId: req.reservationId, requestId: confirmRequestId(req.authorizationId), authorizationRequestId: req.authorizationId });
    } catch (err) {
      if (err instanceof CenterClientError && err.code === 'REFUSED' && err.reason === 'used') {
        throw new CenterError('CENTER_REFUSED', 'confirm: already used', 'already-confirmed');
      }
      throw portError(err, 'confirm');
    }
  }

  async release(req: AuthorizationRef & { reason: ReleaseReason }): Promise<void> {
    try {
      await this.client.release({ bookingId: req.reservationId, authorizationRequestId: req.authorizationId, requestId: releaseRequestId(req.authorizationId), reason: req.reason });
    } catch (err) {
      if (err instanceof CenterClientError && err.code === 'REFUSED' && err.reason === 'used') {
        throw new CenterError('CENTER_REFUSED', 'release: already used', 'already-confirmed');
      }
      throw portError(err, 'release');
    }
  }
}
