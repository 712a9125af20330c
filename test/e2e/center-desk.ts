/**
 * The test's own window on the reservation center the kiosk uses. Like `npm run app`, it opens a
 * center instance on the same SQLite file as the kiosk's embedded center (the center is built for
 * several processes on one file), with tokens this test knows, and talks to it over HTTP through
 * the center's own clients: bookings as the app makes them, and what a trainer or another kiosk
 * can do (back-date, use up, lock the app side, read a booking's history).
 *
 * It can also stand alone as the kiosk's external center (`asKioskCenter`), so a test can take the
 * center down under a running kiosk.
 */
import crypto from 'node:crypto';
import type { ResetKind } from '../../electron/domain/passwords';
import { AdminCenterClient, AppCenterClient, KioskCenterClient } from '../../electron/center/client';
import { startEmbeddedCenter, type EmbeddedCenter } from '../../electron/center/embedded';
import { cardReceipt } from '../fakes/receipts';

const token = () => crypto.randomBytes(24).toString('base64url');
const DAY_MS = 24 * 3600_000;

export class CenterDesk {
  private constructor(
    private readonly center: EmbeddedCenter,
    private readonly kioskToken: string,
  ) {}

  /** A center instance on `dbPath` (the kiosk's database); `port` 0 = any. */
  static async open(dbPath: string, port = 0): Promise<CenterDesk> {
    const kioskToken = token();
    const center = await startEmbeddedCenter({ dbPath, port, appToken: token(), adminToken: token(), kioskKeys: { 'kiosk-01': kioskToken, 'e2e-other-kiosk': token() } });
    return new CenterDesk(center, kioskToken);
  }

  get url(): string {
    return this.center.url;
  }

  /** URL and key a kiosk configured with this center as its external one uses. */
  get asKioskCenter(): { url: string; key: string } {
    return { url: this.center.url, key: this.kioskToken };
  }

  private get app() {
    return new AppCenterClient({ baseUrl: this.center.url, token: this.center.appToken });
  }

  private get admin() {
    return new AdminCenterClient({ baseUrl: this.center.url, token: this.center.adminToken });
  }

  /** A reservation as the app completes it: card front read, other password verified, face matched (署名用). */
  async book(cardId: string, kind: ResetKind): Promise<string> {
    const r = await this.app.book({ cardId, kind, identity: { cardFront: true, otherPassword: true, faceCheck: kind === 'sign' ? 'passed' : 'not-required' } });
    return r.bookingId;
  }

  /** A reservation completed 25 hours ago (valid 24 h). */
  async bookExpired(cardId: string, kind: ResetKind): Promise<string> {
    const r = await this.admin.create({ cardId, kind, completedAt: Date.now() - DAY_MS - 3600_000 });
    return r.bookingId;
  }

  /** A reservation another kiosk already used (authorized for a card challenge, then confirmed). */
  async bookUsed(cardId: string, kind: ResetKind): Promise<string> {
    const bookingId = await this.book(cardId, kind);
    const otherKiosk = new KioskCenterClient({ baseUrl: this.center.url, token: this.center.kioskKeys['e2e-other-kiosk']! });
    const requestId = `e2e-${crypto.randomUUID()}`;
    const challenge = crypto.randomBytes(8);
    await otherKiosk.authorize({ cardId, kind, challenge, receipt: cardReceipt(cardId, kind, challenge), requestId });
    await otherKiosk.confirm({ bookingId, requestId: `${requestId}-confirm` });
    return bookingId;
  }

  /** Five failed face checks in a row: the app side is locked for this card. */
  async lockApp(cardId: string): Promise<void> {
    for (let i = 0; i < 5; i++) await this.app.faceCheck(cardId, false);
  }

  /** The booking's state as the center records it now. */
  async bookingState(cardId: string, bookingId: string): Promise<string | undefined> {
    const list = await this.admin.list({ cardId });
    return list.bookings.find((b) => b.bookingId === bookingId)?.state;
  }

  #closed: Promise<void> | undefined;

  /** Stops this instance (for an external center: the center is down). Closing twice is fine. */
  close(): Promise<void> {
    this.#closed ??= this.center.close();
    return this.#closed;
  }
}
