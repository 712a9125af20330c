/**
 * The scenario set-up's reservation center over the center's HTTP API, with the three roles it
 * needs: a trainer (admin: clock, bookings), the app (face checks) and a kiosk of its own (to use a
 * reservation up, or to interrupt a reset, the way another store's kiosk would).
 */
import type { AdminCenterClient, AppCenterClient, KioskCenterApi } from '../center/client';
import type { ResetKind } from '../domain/passwords';
import type { ScenarioCenter } from './scenario-setup';

export interface CenterRoles {
  readonly admin: Pick<AdminCenterClient, 'clock' | 'create'>;
  readonly app: Pick<AppCenterClient, 'faceCheck'>;
  /** A kiosk id of the center's own, not a station's: its bookings are "used at another kiosk". */
  readonly kiosk: Pick<KioskCenterApi, 'authorize' | 'confirm'>;
}

export class HttpScenarioCenter implements ScenarioCenter {
  constructor(private readonly roles: CenterRoles) {}

  async now(): Promise<number> {
    return (await this.roles.admin.clock()).now;
  }

  async book(cardId: string, kind: ResetKind, completedAt: number): Promise<{ bookingId: string }> {
    const b = await this.roles.admin.create({ cardId, kind, completedAt });
    return { bookingId: b.bookingId };
  }

  async authorize(req: { cardId: string; kind: ResetKind; challenge: Uint8Array; receipt: Uint8Array; requestId: string }): Promise<{ bookingId: string; mac: Uint8Array }> {
    const a = await this.roles.kiosk.authorize(req);
    return { bookingId: a.bookingId, mac: a.mac };
  }

  async confirm(req: { bookingId: string; requestId: string }): Promise<void> {
    await this.roles.kiosk.confirm(req);
  }

  async failFaceCheck(cardId: string): Promise<void> {
    await this.roles.app.faceCheck(cardId, false);
  }
}
