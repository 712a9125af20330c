/**
 * A classroom station without PC/SC, for scenario-*.test.ts: a real card folder, a real center
 * (embedded, on loopback, its own SQLite file), the kiosk's settings, and a reader that holds the
 * card in this process — the card as its file presents itself (card-module.ts), read through the
 * kiosk's own JPKI session, so the kiosk core sees what it would over pcscd.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ReaderStatus } from '../../electron/contract/kiosk';
import { AdminCenterClient, AppCenterClient, KioskCenterClient } from '../../electron/center/client';
import { startEmbeddedCenter, type EmbeddedCenter } from '../../electron/center/embedded';
import { CardFolder } from '../../electron/classroom/scenario-cards';
import { HttpScenarioCenter } from '../../electron/classroom/scenario-center';
import type { CenterFault, ReaderFault, ScenarioTarget } from '../../electron/classroom/scenario-setup';
import { SettingsStation, type StationFaults } from '../../electron/classroom/scenario-station';
import { CenterAdapter } from '../../electron/kiosk/adapters/center';
import { JpkiCardSession } from '../../electron/kiosk/adapters/card-reader';
import { CardError, type CardReader, type CardSession, type ReservationCenter } from '../../electron/kiosk/ports';
import { SettingsStore, simulatedNow } from '../../electron/kiosk/settings';
import { createVirtualCard } from '../../native/card/card-module';
import { DEV_MASTER_KEY } from '../../native/jpki/reset-mac';
import type { VirtualCard } from '../../native/vpcd/virtual-card';

const token = () => crypto.randomBytes(24).toString('base64url');

/** The station's reader: a card from the folder placed on it, or taken off; unplugged on a fault. */
export class InProcessReader implements CardReader {
  #card: (VirtualCard & { release(): void }) | null = null;
  #insertion = 0;
  #missing = false;
  readonly #listeners = new Set<(s: ReaderStatus) => void>();

  constructor(private readonly now: () => number) {}

  status(): ReaderStatus {
    if (this.#missing) return { state: 'no-reader', name: null };
    return { state: this.#card === null ? 'empty' : 'card-present', name: 'In-process reader 00' };
  }

  onStatus(listener: (s: ReaderStatus) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  setMissing(missing: boolean): void {
    this.#missing = missing;
    this.#emit();
  }

  async place(file: string): Promise<void> {
    if (this.#card !== null) throw new Error('a card is already on the reader');
    this.#card = await createVirtualCard(file);
    this.#card.powerOn();
    this.#insertion++;
    this.#emit();
  }

  remove(): void {
    this.#card?.release();
    this.#card = null;
    this.#insertion++;
    this.#emit();
  }

  async open(): Promise<CardSession> {
    if (this.#missing) throw new CardError('READER_UNAVAILABLE', 'no reader');
    const card = this.#card;
    if (card === null) throw new CardError('CARD_REMOVED', 'no card');
    const insertion = this.#insertion;
    const channel = {
      transmit: async (apdu: Buffer) => {
        if (this.#card !== card || this.#insertion !== insertion) throw new CardError('CARD_REMOVED', 'card removed');
        return Buffer.from(await card.transmit(apdu));
      },
      disconnect: async () => undefined,
    };
    return new JpkiCardSession(channel, this.now);
  }

  #emit(): void {
    const s = this.status();
    for (const l of this.#listeners) l(s);
  }
}

/** The kiosk's center port: the real center, or (fault) one nobody answers at. */
export class SwitchableCenter implements ReservationCenter {
  down = false;
  constructor(
    private readonly up: ReservationCenter,
    private readonly unreachable: ReservationCenter,
  ) {}
  #c(): ReservationCenter {
    return this.down ? this.unreachable : this.up;
  }
  check(req: Parameters<ReservationCenter['check']>[0]) {
    return this.#c().check(req);
  }
  authorize(req: Parameters<ReservationCenter['authorize']>[0]) {
    return this.#c().authorize(req);
  }
  confirm(req: Parameters<ReservationCenter['confirm']>[0]) {
    return this.#c().confirm(req);
  }
  release(req: Parameters<ReservationCenter['release']>[0]) {
    return this.#c().release(req);
  }
}

export interface Classroom {
  readonly dir: string;
  readonly cards: CardFolder;
  readonly center: EmbeddedCenter;
  readonly admin: AdminCenterClient;
  /** The station's own kiosk client (not the set-up's). */
  readonly stationKiosk: KioskCenterClient;
  readonly settings: SettingsStore;
  readonly reader: InProcessReader;
  readonly kioskCenter: SwitchableCenter;
  readonly faultsApplied: { reader: ReaderFault; center: CenterFault }[];
  readonly target: ScenarioTarget;
  /** The center's kiosk key for "another store's kiosk" (scenario set-ups use it). */
  readonly setupToken: string;
  simulatedNow(): number;
  close(): Promise<void>;
}

export async function openClassroom(): Promise<Classroom> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'classroom-'));
  const stationToken = token();
  const setupToken = token();
  const center = await startEmbeddedCenter({
    dbPath: path.join(dir, 'center.sqlite'),
    masterKey: DEV_MASTER_KEY,
    kioskKeys: { 'station-01': stationToken, 'classroom-setup': setupToken },
    logger: false,
  });
  const client = (t: string) => ({ baseUrl: center.url, token: t });
  const admin = new AdminCenterClient(client(center.adminToken));
  const stationKiosk = new KioskCenterClient(client(stationToken));
  const settings = new SettingsStore(null);
  const now = () => simulatedNow(settings.get().clock, Date.now());
  const reader = new InProcessReader(now);
  const kioskCenter = new SwitchableCenter(
    new CenterAdapter(stationKiosk),
    // Port 1 on loopback: nothing listens, the connection is refused at once.
    new CenterAdapter(new KioskCenterClient({ baseUrl: 'http://127.0.0.1:1', token: stationToken, retries: 0 })),
  );
  const faultsApplied: { reader: ReaderFault; center: CenterFault }[] = [];
  const faults: StationFaults = {
    async set(f) {
      faultsApplied.push({ ...f });
      reader.setMissing(f.reader === 'missing');
      kioskCenter.down = f.center === 'down';
    },
  };
  const cards = new CardFolder(path.join(dir, 'cards'), { masterKey: DEV_MASTER_KEY });
  const target: ScenarioTarget = {
    cards,
    center: new HttpScenarioCenter({ admin, app: new AppCenterClient(client(center.appToken)), kiosk: new KioskCenterClient(client(setupToken)) }),
    station: new SettingsStation(settings, faults),
  };
  return {
    dir,
    cards,
    center,
    admin,
    stationKiosk,
    settings,
    reader,
    kioskCenter,
    faultsApplied,
    target,
    setupToken,
    simulatedNow: now,
    async close() {
      reader.remove();
      await center.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
