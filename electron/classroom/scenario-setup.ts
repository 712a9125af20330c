/**
 * Setting an exercise up on a station: the persona's card as the scenario changes it (a fresh card,
 * so the center knows nothing of it yet), the reservation state at the center, and the station's
 * settings (chain, clock, language, maintenance, faults). The three parts are ports, so the same
 * steps run against a real card folder and center (scenario-targets.ts) and in tests.
 *
 * A reservation "used" or "interrupted" is made the way it happens for real: the card gives a
 * challenge and its receipt, another kiosk (this setup) is authorized by the center, and either
 * confirms without writing the card (used elsewhere) or writes the card and never confirms (an
 * interrupted try, which the card's receipt later proves done).
 */
import crypto from 'node:crypto';
import type { ClockSetting } from '../contract/trainer';
import type { ChainId } from '../domain/chains';
import type { MaintenanceWindow } from '../domain/hours';
import type { ResetKind } from '../domain/passwords';
import { simulatedNow } from '../kiosk/settings';
import { PERSONAS, type Persona } from '../../native/card/personas';
import type { CardPresentation } from '../../native/card/presentation';
import type { CardCounters } from './card-observation';
import { instantOf, parseLocalTime } from './local-time';
import type { Scenario } from './scenario';

// ---------------------------------------------------------------------------------------------
// Ports

export interface CardPlan {
  /** The persona as the scenario changes it. */
  readonly persona: Persona;
  /** The instant the card is issued at (the station's simulated clock): persona dates count from it. */
  readonly now: number;
  readonly presentAs?: CardPresentation;
}

/** The card side of the reset protocol, for making a reservation used or interrupted. */
export interface ScenarioCardSession {
  getChallenge(): Promise<Uint8Array>;
  readResetReceipt(kind: ResetKind): Promise<Uint8Array>;
  externalAuthenticate(kind: ResetKind, mac: Uint8Array): Promise<void>;
  resetRetryCounter(kind: ResetKind, newValue: string): Promise<void>;
  close(): Promise<void>;
}

export interface ScenarioCards {
  /** Issues card `name` afresh as `plan` says, replacing a card of that name. Resolves with its card id. */
  issue(name: string, plan: CardPlan): Promise<{ readonly cardId: string }>;
  /** Opens card `name` off any reader; what it commits is written to the card. */
  open(name: string): Promise<ScenarioCardSession>;
  /** The card's counters as its file holds them. */
  counters(name: string): Promise<CardCounters>;
}

export interface ScenarioCenter {
  /** The center's clock (epoch ms): reservations are timed by it. */
  now(): Promise<number>;
  /** A reservation completed at `completedAt` (center time), as a trainer books it. */
  book(cardId: string, kind: ResetKind, completedAt: number): Promise<{ readonly bookingId: string }>;
  /** As a kiosk: the MAC for the card's challenge. */
  authorize(req: { cardId: string; kind: ResetKind; challenge: Uint8Array; receipt: Uint8Array; requestId: string }): Promise<{ readonly bookingId: string; readonly mac: Uint8Array }>;
  /** As the kiosk that authorized: the reservation becomes used. */
  confirm(req: { bookingId: string; requestId: string }): Promise<void>;
  /** As the app: one failed face check for the card. */
  failFaceCheck(cardId: string): Promise<void>;
}

export type ReaderFault = 'none' | 'missing';
export type CenterFault = 'none' | 'down';

export interface StationSettings {
  readonly chain: ChainId;
  readonly clock: ClockSetting;
  readonly language: 'ja' | 'en';
  readonly maintenance: readonly MaintenanceWindow[];
  readonly faults: { readonly reader: ReaderFault; readonly center: CenterFault };
}

export interface ScenarioStation {
  /** Applies every setting (a scenario without faults clears earlier ones). */
  apply(settings: StationSettings): Promise<void>;
}

export interface ScenarioTarget {
  readonly cards: ScenarioCards;
  readonly center: ScenarioCenter;
  readonly station: ScenarioStation;
  /** Real time (epoch ms); default Date.now. */
  readonly realNow?: () => number;
}

/** What was set up: what the judge and the trainer console need afterwards. */
export interface ScenarioSetup {
  readonly scenarioId: string;
  readonly cardName: string;
  readonly cardId: string;
  /** Real time the exercise started (epoch ms): record events before it are not this exercise's. */
  readonly startedAt: number;
  /** The station's simulated clock at the start. */
  readonly simulatedStart: number;
  readonly settings: StationSettings;
  /** The booking the scenario made, if any. */
  readonly bookingId: string | null;
  /** The card's counters once set up (the judge compares the card's later counters with them). */
  readonly cardAtStart: CardCounters;
}

export type ScenarioSetupErrorCode = 'SETUP_CARD_FAILED' | 'SETUP_CENTER_FAILED' | 'SETUP_STATION_FAILED';

/** `cause`: the card, center or settings error it stands for. */
export class ScenarioSetupError extends Error {
  constructor(
    readonly code: ScenarioSetupErrorCode,
    message: string,
    options?: { readonly cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ScenarioSetupError';
  }
}

// ---------------------------------------------------------------------------------------------
// Pure parts

const HOUR_MS = 3600_000;

/** The station settings a scenario asks for, at real time `realNow`. */
export function stationSettingsOf(s: Scenario, realNow: number): StationSettings {
  let clock: ClockSetting = { mode: 'system' };
  if (s.clock !== undefined) {
    if ('offsetMinutes' in s.clock) clock = { mode: 'offset', offsetMs: s.clock.offsetMinutes * 60_000 };
    else {
      const t = parseLocalTime(s.clock.at);
      if (t === null) throw new RangeError(`clock.at of ${s.id} is not a time (a scenario is checked before set-up)`);
      const at = instantOf(t, realNow);
      clock = s.clock.frozen === true ? { mode: 'fixed', at } : { mode: 'offset', offsetMs: at - realNow };
    }
  }
  const day = simulatedNow(clock, realNow);
  const maintenance = (s.maintenance ?? []).map((w) => {
    const [from, until] = [parseLocalTime(w.from), parseLocalTime(w.until)];
    if (from === null || until === null) throw new RangeError(`a maintenance window of ${s.id} is not a time`);
    return { from: instantOf(from, day), until: instantOf(until, day), note: `scenario ${s.id}` };
  });
  return {
    chain: s.chain,
    clock,
    language: s.language ?? 'ja',
    maintenance,
    faults: { reader: s.faults?.reader ?? 'none', center: s.faults?.center ?? 'none' },
  };
}

/** The scenario's persona with its card changes. */
export function personaOf(s: Scenario): Persona {
  const base = PERSONAS[s.persona];
  const c = s.card ?? {};
  const triesLeft = { ...base.triesLeft, ...c.triesLeft };
  return {
    ...base,
    ...(Object.keys(triesLeft).length > 0 && { triesLeft }),
    certificates: {
      auth: c.certificates?.auth ?? base.certificates.auth,
      sign: base.certificates.sign === 'not-issued' ? 'not-issued' : (c.certificates?.sign ?? base.certificates.sign),
    },
    ...(c.certificatesExpireInDays !== undefined && { certExpiry: { days: c.certificatesExpireInDays } }),
    ...(c.cardExpiresInDays !== undefined && { cardExpiry: { days: c.cardExpiresInDays } }),
  };
}

// ---------------------------------------------------------------------------------------------
// Set-up

async function step<T>(code: ScenarioSetupErrorCode, what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof ScenarioSetupError) throw err;
    throw new ScenarioSetupError(code, `${what}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}

/**
 * Sets the exercise up on `target`. The card is named `cardName` (default the scenario id) and made
 * afresh, so whatever an earlier run did to it, and whatever the center knew of it, is gone.
 */
export async function setUpScenario(s: Scenario, target: ScenarioTarget, opts: { readonly cardName?: string } = {}): Promise<ScenarioSetup> {
  const realNow = target.realNow ?? Date.now;
  const startedAt = realNow();
  const settings = stationSettingsOf(s, startedAt);
  const simulatedStart = simulatedNow(settings.clock, startedAt);
  const cardName = opts.cardName ?? s.id;
  const plan: CardPlan = { persona: personaOf(s), now: simulatedStart, ...(s.card?.presentAs !== undefined && { presentAs: s.card.presentAs }) };
  const { cardId } = await step('SETUP_CARD_FAILED', `card ${cardName} of scenario ${s.id}`, () => target.cards.issue(cardName, plan));
  const bookingId = await step('SETUP_CENTER_FAILED', `reservation of scenario ${s.id}`, () => setUpReservation(s, target, cardName, cardId));
  const cardAtStart = await step('SETUP_CARD_FAILED', `card ${cardName} of scenario ${s.id}`, () => target.cards.counters(cardName));
  await step('SETUP_STATION_FAILED', `station settings of scenario ${s.id}`, () => target.station.apply(settings));
  return { scenarioId: s.id, cardName, cardId, startedAt, simulatedStart, settings, bookingId, cardAtStart };
}

async function setUpReservation(s: Scenario, target: ScenarioTarget, cardName: string, cardId: string): Promise<string | null> {
  const r = s.reservation ?? { state: 'none' as const };
  const { center } = target;
  switch (r.state) {
    case 'none':
      return null;
    case 'app-locked':
      // The app locks a card after five failed face checks in a row (docs/domain-rules.md §5).
      for (let i = 0; i < 5; i++) await center.failFaceCheck(cardId);
      return null;
    case 'booked':
    case 'expired': {
      const hoursAgo = r.hoursAgo ?? (r.state === 'booked' ? 1 : 26);
      return (await center.book(cardId, r.kind, (await center.now()) - hoursAgo * HOUR_MS)).bookingId;
    }
    case 'used':
    case 'interrupted': {
      const { bookingId } = await center.book(cardId, r.kind, (await center.now()) - HOUR_MS);
      // The center takes request ids of at most 64 characters: the scenario is named in the booking's card.
      const requestId = `sc-${crypto.randomUUID()}`;
      const card = await step('SETUP_CARD_FAILED', `card ${cardName} of scenario ${s.id}`, () => target.cards.open(cardName));
      try {
        const challenge = await card.getChallenge();
        const receipt = await card.readResetReceipt(r.kind);
        const auth = await center.authorize({ cardId, kind: r.kind, challenge, receipt, requestId });
        if (r.state === 'used') {
          await center.confirm({ bookingId: auth.bookingId, requestId: `${requestId}-confirm` });
        } else {
          await card.externalAuthenticate(r.kind, auth.mac);
          await card.resetRetryCounter(r.kind, r.newPassword);
        }
      } finally {
        await card.close();
      }
      return bookingId;
    }
  }
}
