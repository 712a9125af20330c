/**
 * The smartphone-app simulator behind window.kiosk.app (issue 5): the 「JPKI暗証番号リセット」
 * app's booking, run by the host with the very session `npm run app` uses (electron/booking/:
 * flow.ts run by session.ts; the page is flow.ts's appStateOf), on the chosen virtual card in the
 * "phone's" reader — vpcd slot 1 while the kiosk reads slot 0 — through pcscd, and against the
 * kiosk's own reservation center. So a wrong other password costs a real try on the card, and the
 * booking is the one the kiosk then finds.
 *
 * The card goes onto the phone's reader when the citizen opens the app with it (`start`) and comes
 * off as soon as the session ends (booked, refused, cancelled, closed), so it can be placed on the
 * kiosk next. One session at a time; an intent that arrives while a step runs is refused
 * (`not-now`), never queued: a queued second 確定 would cost the card a second try.
 *
 * Passwords: the other password goes straight to the booking session (in a Secret from there on,
 * and to the card); it is not kept, logged, or put in any view or error. Intents are logged by
 * type only, if at all.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppIntentSchema, type AppCard, type AppIntent, type AppProblem, type AppResult, type AppView } from '../contract/app';
import { check } from '../contract/schema';
import { CenterDeskPatchSchema, type CenterDeskResult, type CenterDeskView } from '../contract/trainer';
import type { MaintenanceWindow } from '../domain/hours';
import { normalizeDate } from '../booking/card-front';
import { appStateOf, isFinal } from '../booking/flow';
import { BookingFlowError, BookingSession } from '../booking/session';
import { JpkiBookingCard } from '../booking/jpki-card';
import type { BookingCard, BookingCenter } from '../booking/ports';
import { AdminCenterClient, AppCenterClient } from '../center/client';
import { JpkiClient } from '../jpki';
import { cardFilePath, CardLock, isValidCardName, readCardFile } from '../../native/card/card-file';
import { PcscReaderService, type ReaderChannel } from '../../native/pcsc';
import { defaultRunDir, insertIntoSlot, liveSlotState, removeFromSlot, SlotError } from '../../native/vpcd/slots';
import { virtualReaderName } from '../../native/vpcd/transport';
import { phoneSlotFor } from './phone';

// ---------------------------------------------------------------------------------------------
// Ports

export type PhoneReaderProblem = 'reader-busy' | 'reader-unavailable' | 'card-in-use' | 'failed';

export class PhoneReaderError extends Error {
  constructor(
    readonly code: PhoneReaderProblem,
    message: string,
  ) {
    super(message);
    this.name = 'PhoneReaderError';
  }
}

/** The phone's card reader, as the app simulator uses it. */
export interface PhoneReader {
  /** The PC/SC reader name (shown to the trainer). */
  readonly name: string;
  /** Puts the card file on the reader; resolves once pcscd sees it. Throws PhoneReaderError. */
  place(cardFile: string): Promise<void>;
  /** The card on the reader, for the booking flow; connects at its first command. */
  card(): BookingCard;
  /** Drops the connection and takes the card off (nothing when the reader is empty). */
  remove(): Promise<void>;
  close(): Promise<void>;
}

/** The center's trainer side the simulator uses (AdminCenterClient fits it). */
export interface CenterAdmin {
  clock(): Promise<{ now: number; offsetMs: number }>;
  setClockOffset(offsetMs: number): Promise<{ now: number; offsetMs: number }>;
  maintenance(): Promise<{ windows: MaintenanceWindow[] }>;
  setMaintenance(windows: readonly MaintenanceWindow[]): Promise<{ windows: MaintenanceWindow[] }>;
}

export interface CenterAccess {
  /** The app's side of the center (AppCenterClient). */
  readonly app: BookingCenter;
  /** The trainer's side; null where this host has no admin token (an external center). */
  readonly admin: CenterAdmin | null;
}

// ---------------------------------------------------------------------------------------------
// The simulator

export interface AppSimulatorOptions {
  /** Where the virtual cards are (the trainer's card tray lists the same ones). */
  readonly cardDir: string;
  readonly phone: PhoneReader;
  /** The center, once reachable; null where this host cannot book (no app token for it). */
  readonly center: () => Promise<CenterAccess | null>;
  /** Problems taking a card off the phone (never a value). */
  readonly log?: (line: string) => void;
}

interface Session {
  readonly card: AppCard;
  readonly flow: BookingSession;
  /** The card is still on the phone's reader. */
  onPhone: boolean;
}

/** What the transports call (kiosk-ws.ts AppBackend; Electron IPC). */
export class AppSimulator {
  #session: Session | null = null;
  #busy = false;

  constructor(private readonly opts: AppSimulatorOptions) {}

  view(): AppView {
    const s = this.#session;
    return { state: s === null ? { step: 'idle' } : appStateOf(s.card, s.flow.state), busy: this.#busy, reader: this.opts.phone.name };
  }

  /** One app intent, validated again here (the core trusts no transport). */
  async send(raw: unknown): Promise<AppResult> {
    const checked = check(AppIntentSchema, raw);
    if (!checked.ok) return { ok: false, problem: 'failed' };
    const intent: AppIntent = checked.value;
    // Leaving the app is always possible: a running step's answer is then dropped by the flow.
    if (intent.type === 'close') return this.#close();
    if (intent.type === 'cancel') return this.#cancel();
    if (this.#busy) return { ok: false, problem: 'not-now' };
    this.#busy = true;
    let problem: AppProblem | null;
    try {
      problem = await this.#step(intent);
      if (problem === null) await this.#takeCardOffWhenDone();
    } finally {
      this.#busy = false;
    }
    // The view after the step, no longer busy.
    return problem === null ? { ok: true, view: this.view() } : { ok: false, problem };
  }

  async #step(intent: Exclude<AppIntent, { type: 'close' | 'cancel' }>): Promise<AppProblem | null> {
    if (intent.type === 'start') return this.#start(intent.card);
    const flow = this.#session?.flow;
    if (flow === undefined) return 'not-now';
    try {
      switch (intent.type) {
        case 'consent':
          flow.consent(intent.agree);
          break;
        case 'choose-kind':
          flow.chooseKind(intent.kind);
          break;
        case 'submit-card-front':
          await flow.submitCardFront({ birthDate: normalizeDate(intent.birthDate), cardExpiry: normalizeDate(intent.cardExpiry), securityCode: intent.securityCode.trim() });
          break;
        case 'submit-other-password':
          await flow.submitOtherPassword(intent.value);
          break;
        case 'face-check':
          await flow.submitFaceCheck(intent.passed);
          break;
      }
    } catch (err) {
      if (err instanceof BookingFlowError) return 'not-now';
      throw err;
    }
    return null;
  }

  async #start(name: string): Promise<AppProblem | null> {
    if (this.#session !== null && !isFinal(this.#session.flow.state)) return 'not-now';
    await this.#endSession();
    if (!isValidCardName(name)) return 'no-such-card';
    const file = cardFilePath(this.opts.cardDir, name);
    let card: AppCard;
    try {
      const { holder } = readCardFile(file);
      card = { name, holderName: holder.name, birthDate: holder.birthDate, cardExpiry: holder.cardExpiry, securityCode: holder.securityCode };
    } catch {
      return 'no-such-card';
    }
    let center: CenterAccess | null;
    try {
      center = await this.opts.center();
    } catch {
      center = null;
    }
    if (center === null) return 'center-unavailable';
    try {
      await this.opts.phone.place(file);
    } catch (err) {
      return err instanceof PhoneReaderError ? err.code : 'failed';
    }
    this.#session = { card, flow: new BookingSession(this.opts.phone.card(), center.app), onPhone: true };
    return null;
  }

  async #cancel(): Promise<AppResult> {
    const s = this.#session;
    if (s === null || isFinal(s.flow.state)) return { ok: false, problem: 'not-now' };
    s.flow.cancel();
    await this.#takeCardOffWhenDone();
    return { ok: true, view: this.view() };
  }

  async #close(): Promise<AppResult> {
    const s = this.#session;
    if (s !== null && !isFinal(s.flow.state)) s.flow.cancel();
    await this.#endSession();
    return { ok: true, view: this.view() };
  }

  /** Once the booking is over, the card leaves the phone (so it can go onto the kiosk). */
  async #takeCardOffWhenDone(): Promise<void> {
    const s = this.#session;
    if (s === null || !s.onPhone || !isFinal(s.flow.state)) return;
    s.onPhone = false;
    await this.opts.phone.remove().catch((err: unknown) => this.opts.log?.(`app simulator: could not take the card off ${this.opts.phone.name}: ${(err as Error).message}`));
  }

  async #endSession(): Promise<void> {
    await this.#takeCardOffWhenDone();
    const s = this.#session;
    this.#session = null;
    if (s?.onPhone) await this.opts.phone.remove().catch((err: unknown) => this.opts.log?.(`app simulator: could not take the card off: ${(err as Error).message}`));
  }

  // -------------------------------------------------------------------------------------------
  // The center as the trainer sets it

  async #admin(): Promise<CenterAdmin | null> {
    try {
      return (await this.opts.center())?.admin ?? null;
    } catch {
      return null;
    }
  }

  async getCenter(): Promise<CenterDeskResult> {
    const admin = await this.#admin();
    if (admin === null) return { ok: false, problem: 'unavailable' };
    try {
      return { ok: true, center: await centerView(admin) };
    } catch {
      return { ok: false, problem: 'unavailable' };
    }
  }

  async updateCenter(raw: unknown): Promise<CenterDeskResult> {
    const checked = check(CenterDeskPatchSchema, raw);
    if (!checked.ok) return { ok: false, problem: 'unavailable' };
    const patch = checked.value;
    if (patch.maintenance?.some((w) => w.until <= w.from)) return { ok: false, problem: 'maintenance-window-empty' };
    const admin = await this.#admin();
    if (admin === null) return { ok: false, problem: 'unavailable' };
    try {
      if (patch.offsetMs !== undefined) await admin.setClockOffset(patch.offsetMs);
      if (patch.maintenance !== undefined) await admin.setMaintenance(patch.maintenance);
      return { ok: true, center: await centerView(admin) };
    } catch {
      return { ok: false, problem: 'unavailable' };
    }
  }

  /** Ends a session still open and takes its card off the phone (host shutdown). */
  async close(): Promise<void> {
    await this.#close().catch(() => undefined);
    await this.opts.phone.close();
  }
}

async function centerView(admin: CenterAdmin): Promise<CenterDeskView> {
  const [clock, m] = await Promise.all([admin.clock(), admin.maintenance()]);
  return { now: clock.now, offsetMs: clock.offsetMs, maintenance: m.windows.slice(0, 100) };
}

// ---------------------------------------------------------------------------------------------
// Production parts: the phone's reader is a vpcd slot, the center the kiosk runtime's

const CARD_MODULE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../native/card/card-module.ts');

export interface VpcdPhoneReaderOptions {
  /** The vpcd slot of the phone's reader. */
  readonly slot: number;
  /** Cards of this directory are the host's own: one left on the phone is taken off before another goes on. */
  readonly cardDir: string;
  readonly runDir?: string;
  /** How long the flow waits for pcscd to see the card at its first command. */
  readonly cardTimeoutMs?: number;
}

/**
 * The phone's reader as a vpcd slot: the card runs in a slot daemon (native/vpcd/slots.ts), the
 * same way the trainer's tray puts cards on the kiosk's reader, and the flow talks to it through
 * pcscd like to any reader. A card someone else put in the slot is never taken out.
 */
export class VpcdPhoneReader implements PhoneReader {
  readonly name: string;
  #service: PcscReaderService | undefined;
  #channel: ReaderChannel | undefined;

  constructor(private readonly opts: VpcdPhoneReaderOptions) {
    this.name = virtualReaderName(opts.slot);
  }

  #svc(): PcscReaderService {
    return (this.#service ??= new PcscReaderService({ reader: { name: this.name } }));
  }

  /**
   * For placing and taking off: no long-lived service. A fresh one reads what pcscd sees now, so a
   * card someone put in the slot a moment ago is seen (and left alone) rather than missed while a
   * long-lived service still waits for pcscd's change event.
   */
  #slotOpts() {
    return { slot: this.opts.slot, runDir: this.opts.runDir ?? defaultRunDir() };
  }

  #ours(arg: string): boolean {
    return path.resolve(arg).startsWith(path.resolve(this.opts.cardDir) + path.sep);
  }

  async place(cardFile: string): Promise<void> {
    const slot = this.#slotOpts();
    try {
      const held = liveSlotState(slot.runDir, slot.slot);
      if (held !== undefined) {
        if (!this.#ours(held.arg)) throw new PhoneReaderError('reader-busy', `${this.name} holds a card this host did not put there`);
        await this.remove();
      }
      // On the kiosk's reader, or run by another process: one card cannot be in two places.
      if (CardLock.owner(cardFile) !== undefined) throw new PhoneReaderError('card-in-use', `${path.basename(cardFile)} is in use`);
      await insertIntoSlot({ ...slot, card: CARD_MODULE, arg: cardFile });
    } catch (err) {
      throw phoneError(err);
    }
  }

  card(): BookingCard {
    const client = new JpkiClient({
      transmit: async (apdu) => {
        if (this.#channel === undefined || this.#channel.closedReason !== undefined) {
          const svc = this.#svc();
          await svc.waitForState((s) => s.status === 'card-present', { timeoutMs: this.opts.cardTimeoutMs ?? 10_000 }).catch(() => {
            throw new Error(`no card in ${this.name}`);
          });
          this.#channel = await svc.connect();
        }
        return this.#channel.transmit(apdu);
      },
    });
    return new JpkiBookingCard(client);
  }

  async remove(): Promise<void> {
    const channel = this.#channel;
    this.#channel = undefined;
    await channel?.disconnect('reset').catch(() => undefined);
    const slot = this.#slotOpts();
    const held = liveSlotState(slot.runDir, slot.slot);
    if (held === undefined || !this.#ours(held.arg)) return;
    try {
      await removeFromSlot(slot);
    } catch (err) {
      throw phoneError(err);
    }
  }

  async close(): Promise<void> {
    await this.remove().catch(() => undefined);
    await this.#service?.close();
  }
}

function phoneError(err: unknown): PhoneReaderError {
  if (err instanceof PhoneReaderError) return err;
  if (err instanceof SlotError) {
    if (err.code === 'SLOT_BUSY') return new PhoneReaderError('reader-busy', err.message);
    if (err.code === 'PCSCD_UNAVAILABLE' || err.code === 'VPCD_UNREACHABLE') return new PhoneReaderError('reader-unavailable', err.message);
  }
  return new PhoneReaderError('failed', err instanceof Error ? err.message : String(err));
}

/**
 * The center's app and trainer sides for the kiosk runtime's center: the embedded one's own
 * tokens, or for an external center KIOSK_SIM_APP_TOKEN (and KIOSK_SIM_ADMIN_TOKEN for its clock).
 */
export function centerAccessFor(
  center: { readonly url: string; readonly embedded: { readonly appToken: string; readonly adminToken: string } | undefined },
  env: NodeJS.ProcessEnv = process.env,
): CenterAccess | null {
  const appToken = center.embedded?.appToken ?? env.KIOSK_SIM_APP_TOKEN;
  if (!appToken) return null;
  const adminToken = center.embedded?.adminToken ?? env.KIOSK_SIM_ADMIN_TOKEN;
  return {
    app: new AppCenterClient({ baseUrl: center.url, token: appToken }),
    admin: adminToken ? new AdminCenterClient({ baseUrl: center.url, token: adminToken }) : null,
  };
}

/** The app simulator of a kiosk runtime (the browser host's and the Electron shell's). */
export function createAppSimulator(opts: {
  readonly cardDir: string;
  readonly kioskReaderName: string;
  readonly center: Promise<{ readonly url: string; readonly embedded: { readonly appToken: string; readonly adminToken: string } | undefined }>;
  readonly log?: (line: string) => void;
}): AppSimulator {
  const phone = new VpcdPhoneReader({ slot: phoneSlotFor(opts.kioskReaderName), cardDir: opts.cardDir });
  let access: CenterAccess | null | undefined;
  return new AppSimulator({
    cardDir: opts.cardDir,
    phone,
    center: async () => (access ??= centerAccessFor(await opts.center)),
    ...(opts.log !== undefined && { log: opts.log }),
  });
}
