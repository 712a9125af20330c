/**
 * Every built-in scenario set up on a station made of a real card folder and a real center: the
 * card is the scenario's (counters, certificates, dates, how it presents itself — read by the
 * kiosk's own card session, whose refusal is the scenario's guidance where the card decides), the
 * center answers the station's reservation check as the scenario says, and the station's settings
 * are the scenario's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GuidanceReason } from '../../electron/contract/kiosk';
import { cardVerifies } from '../../electron/classroom/card-observation';
import { BUILT_IN_SCENARIO_DIR, loadScenarios, type Scenario } from '../../electron/classroom/scenario';
import { personaOf, setUpScenario, ScenarioSetupError } from '../../electron/classroom/scenario-setup';
import { formatJst } from '../../electron/domain/hours';
import { PASSWORD_RULES, type ResetKind } from '../../electron/domain/passwords';
import { CenterAdapter } from '../../electron/kiosk/adapters/center';
import { cardRefusal } from '../../electron/kiosk/flow';
import { CardError, type ReservationCheck } from '../../electron/kiosk/ports';
import { directChannel, JpkiClient } from '../../electron/jpki';
import { MemoryCardStore, readCardFile } from '../../native/card/card-file';
import { loadCard } from '../../native/card/card-module';
import { dateAfter } from '../../native/card/personas';
import { openClassroom, type Classroom } from './classroom-fixture';

const SCENARIOS = loadScenarios(BUILT_IN_SCENARIO_DIR).map((l) => l.scenario);

/** Refusals the kiosk decides from the card alone (flow.ts cardRefusal). */
const CARD_REASONS: readonly GuidanceReason[] = [
  'not-my-number-card',
  'real-card',
  'card-expired',
  'certificate-revoked',
  'certificate-expired',
  'no-signature-certificate',
  'other-password-locked',
  'both-passwords-locked',
];

const kindOf = (s: Scenario): ResetKind => {
  const r = s.reservation;
  if (r !== undefined && 'kind' in r) return r.kind;
  return 'reset' in s.success ? s.success.reset : 'sign';
};

/** What the station's reservation check must answer for the scenario's reservation state. */
function expectedCheck(s: Scenario): ReservationCheck['status'] | string {
  const r = s.reservation ?? { state: 'none' };
  switch (r.state) {
    case 'none':
      return 'no-reservation';
    case 'booked':
      return 'usable';
    case 'expired':
      return 'reservation-expired';
    case 'used':
      return 'reservation-used';
    case 'app-locked':
      return 'app-locked';
    case 'interrupted':
      return 'reservation-used:reset-on-card';
  }
}

/** The card's receipt for `kind`, read off a copy of the card (nothing committed). */
async function receiptOf(file: string, kind: ResetKind): Promise<Uint8Array> {
  const card = loadCard(file, { store: new MemoryCardStore(), lock: false });
  const client = new JpkiClient(directChannel(card));
  await client.identify();
  return client.readResetReceipt(kind);
}

let room: Classroom;
beforeAll(async () => {
  room = await openClassroom();
});
afterAll(async () => {
  await room?.close();
});

describe('setUpScenario on a real card folder and center', () => {
  it.each(SCENARIOS.map((s) => [s.id, s] as const))('%s', async (_id, s) => {
    const setup = await setUpScenario(s, room.target);
    const file = room.cards.file(setup.cardName);
    const state = readCardFile(file);
    const persona = personaOf(s);
    const kind = kindOf(s);

    // The card: a fresh one of the scenario's persona, changed as the scenario says.
    expect(setup.cardName).toBe(s.id);
    expect(state.cardId).toBe(setup.cardId);
    expect(state.persona).toBe(s.persona);
    expect(state.presentAs).toBe(s.card?.presentAs);
    expect(state.holder.cardExpiry).toBe(dateAfter(new Date(setup.simulatedStart), persona.cardExpiry.days));
    expect({ sign: state.certificates.sign.status, auth: state.certificates.auth.status }).toEqual(persona.certificates);
    const tries = (k: ResetKind) => (k === 'sign' && persona.pins.sign === null ? null : (persona.triesLeft?.[k] ?? PASSWORD_RULES[k].maxTries));
    const reset = (k: ResetKind) => (s.reservation?.state === 'interrupted' && s.reservation.kind === k ? 1 : 0);
    expect(setup.cardAtStart).toEqual({ triesLeft: { sign: tries('sign'), auth: tries('auth') }, resets: { sign: reset('sign'), auth: reset('auth') } });
    if (s.card?.triesLeft !== undefined) {
      for (const [k, n] of Object.entries(s.card.triesLeft)) expect(setup.cardAtStart.triesLeft[k as ResetKind]).toBe(n);
    }
    if (s.reservation?.state === 'interrupted') expect(await cardVerifies(file, s.reservation.kind, s.reservation.newPassword)).toBe(true);

    // The card as the kiosk reads it on the reader, at the station's clock.
    await room.reader.place(file);
    try {
      if (s.faults?.reader === 'missing') {
        // The station's reader is unplugged: the kiosk cannot reach any card.
        await expect(room.reader.open()).rejects.toMatchObject({ code: 'READER_UNAVAILABLE' });
        expect(room.reader.status().state).toBe('no-reader');
      } else if (s.card?.presentAs === 'faulty-card') {
        const session = await room.reader.open();
        await expect(session.readCardInfo()).rejects.toBeInstanceOf(CardError);
        await expect(session.readCardInfo()).rejects.toMatchObject({ code: 'CARD_ERROR' });
      } else {
        const session = await room.reader.open();
        const refusal = cardRefusal(await session.readCardInfo(), kind, room.simulatedNow());
        const want = 'guidance' in s.success && CARD_REASONS.includes(s.success.guidance) ? s.success.guidance : null;
        expect(refusal).toBe(want);
      }
    } finally {
      room.reader.remove();
    }

    // The reservation, as the station's check sees it with the card's receipt.
    // (A card without the password has no receipt for it; the kiosk refuses such a card before asking.)
    const receipt = state.pins[kind] === undefined ? undefined : await receiptOf(file, kind);
    const check = await new CenterAdapter(room.stationKiosk).check({ cardId: setup.cardId, kind, ...(receipt !== undefined && { receipt }) });
    const seen = check.status === 'usable' ? 'usable' : `${check.refusal}${check.resetOnCard === true ? ':reset-on-card' : ''}`;
    expect(seen).toBe(expectedCheck(s));
    if (s.reservation?.state === 'booked') expect(check).toMatchObject({ status: 'usable', reservationId: setup.bookingId });

    // The station.
    const settings = room.settings.get();
    expect(settings.chain).toBe(s.chain);
    expect(settings.language).toBe(s.language ?? 'ja');
    if (s.clock !== undefined && 'at' in s.clock) expect(formatJst(setup.simulatedStart).endsWith(s.clock.at)).toBe(true);
    else expect(settings.clock).toEqual({ mode: 'system' });
    expect(settings.maintenance.map((w) => [formatJst(w.from).slice(11), formatJst(w.until).slice(11)])).toEqual((s.maintenance ?? []).map((w) => [w.from, w.until]));
    if (s.faults?.center === 'down') await expect(room.kioskCenter.check({ cardId: setup.cardId, kind })).rejects.toMatchObject({ code: 'CENTER_UNAVAILABLE' });
    expect(room.faultsApplied.at(-1)).toEqual({ reader: s.faults?.reader ?? 'none', center: s.faults?.center ?? 'none' });
  }, 60_000);

  it('a second run starts afresh: a new card the center knows nothing of', async () => {
    const s = SCENARIOS.find((x) => x.id === 'reservation-used')!;
    const first = await setUpScenario(s, room.target);
    const second = await setUpScenario(s, room.target);
    expect(second.cardId).not.toBe(first.cardId);
    const bookings = await room.admin.list({ cardId: second.cardId });
    expect(bookings.bookings.map((b) => b.state)).toEqual(['used']);
  }, 60_000);

  it('refuses to replace a card that is on a reader, and says which step failed', async () => {
    const s = SCENARIOS.find((x) => x.id === 'no-reservation')!;
    await setUpScenario(s, room.target);
    await room.reader.place(room.cards.file(s.id));
    try {
      const err = await setUpScenario(s, room.target).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ScenarioSetupError);
      expect(err).toMatchObject({ code: 'SETUP_CARD_FAILED' });
      expect((err as Error).message).toMatch(/^card no-reservation of scenario no-reservation: card no-reservation is in use by process \d+/);
    } finally {
      room.reader.remove();
    }
  }, 60_000);
});
