/**
 * APDU round trip through the real PC/SC stack (issue 3): 1 000 SELECTs of the JPKI AP from the
 * reader service (pcsclite → pcscd → vpcd → an in-process virtual card over TCP) to the
 * MinimalJpkiCard, and, in the same run, the floor: the same 1 000 APDUs over the same path to a
 * BareResponder that answers 90 00 at once. Targets: p50 ≤ 0.3 ms, and p50 within 2× the floor.
 *
 * Uses whichever vpcd slot is free (0, then 1). The two cards take turns in blocks of 250 APDUs,
 * so that drift in the machine's load (2 shared cores) falls on both alike. The figures include
 * the service's own work per command (queueing, time limit, response parsing), as the kiosk pays it.
 */
import { ensurePcscd } from '../native/pcscd/pcscd';
import { PcscReaderService, requireSw } from '../native/pcsc/reader-service';
import { fromHex, hex } from '../native/apdu/apdu';
import { quickAckAvailable } from '../native/quickack/quickack';
import { liveSlotState, defaultRunDir, SLOTS } from '../native/vpcd/slots';
import { BareResponder, MinimalJpkiCard } from '../native/vpcd/test-cards';
import { insertVirtualCard, virtualReaderName } from '../native/vpcd/transport';
import type { VirtualCard } from '../native/vpcd/virtual-card';
import type { BenchResult } from './run';

export const name = 'apdu';

const APDUS = 1000;
const BLOCK = 250;
const WARMUP = 100;
/** SELECT the JPKI AP (docs/card.md §2). */
const SELECT_JPKI = fromHex('00 A4 04 0C 0A D392F000260100000001');

export interface LatencyFigures {
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly meanMs: number;
  readonly minMs: number;
  readonly maxMs: number;
  readonly totalMs: number;
}

/** Nearest-rank percentiles of round-trip times in milliseconds. */
export function summarize(times: readonly number[]): LatencyFigures {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)]!;
  const total = sorted.reduce((a, b) => a + b, 0);
  const r = (v: number) => Math.round(v * 10_000) / 10_000;
  return { p50Ms: r(at(0.5)), p99Ms: r(at(0.99)), meanMs: r(total / sorted.length), minMs: r(sorted[0]!), maxMs: r(sorted[sorted.length - 1]!), totalMs: r(total) };
}

async function freeSlot(): Promise<number> {
  const svc = new PcscReaderService({ reader: { prefix: 'Virtual PCD' } });
  try {
    const readers = await svc.listReaders();
    for (const slot of SLOTS) {
      const r = readers.find((x) => x.name === virtualReaderName(slot));
      if (r && !r.card.present && !liveSlotState(defaultRunDir(), slot)) return slot;
    }
  } finally {
    await svc.close();
  }
  throw new Error('both vpcd slots hold a card (npm run vcard -- status); free one to run this benchmark');
}

/** Inserts `card`, times `n` SELECTs after a warm-up, takes the card out. Round-trip times in ms. */
async function roundTrips(svc: PcscReaderService, slot: number, card: VirtualCard, n: number): Promise<number[]> {
  const reader = virtualReaderName(slot);
  const conn = await insertVirtualCard(card, { slot });
  try {
    await svc.waitForState((s) => s.status === 'card-present' && s.reader === reader, { timeoutMs: 5000 });
    const ch = await svc.connect();
    try {
      requireSw(await ch.transmit(SELECT_JPKI), 'SELECT JPKI AP');
      for (let i = 0; i < WARMUP; i++) await ch.transmit(SELECT_JPKI);
      const times = new Array<number>(n);
      for (let i = 0; i < n; i++) {
        const t0 = process.hrtime.bigint();
        await ch.transmit(SELECT_JPKI);
        times[i] = Number(process.hrtime.bigint() - t0) / 1e6;
      }
      return times;
    } finally {
      await ch.disconnect();
    }
  } finally {
    await conn.remove();
    await svc.waitForState((s) => s.status === 'no-card', { timeoutMs: 5000 });
  }
}

export async function run(): Promise<BenchResult> {
  await ensurePcscd({ logFile: '/tmp/kiosk-sim-pcscd.log' });
  const slot = await freeSlot();
  const svc = new PcscReaderService({ reader: { name: virtualReaderName(slot) } });
  try {
    const floorTimes: number[] = [];
    const cardTimes: number[] = [];
    for (let done = 0; done < APDUS; done += BLOCK) {
      floorTimes.push(...(await roundTrips(svc, slot, new BareResponder(), BLOCK)));
      cardTimes.push(...(await roundTrips(svc, slot, new MinimalJpkiCard(), BLOCK)));
    }
    const floor = summarize(floorTimes);
    const card = summarize(cardTimes);
    const ratio = Math.round((card.p50Ms / floor.p50Ms) * 100) / 100;
    return {
      figures: {
        apdus: APDUS,
        blocks: `${APDUS / BLOCK} × ${BLOCK} per card, taking turns, each after ${WARMUP} unmeasured`,
        apdu: hex(SELECT_JPKI),
        reader: virtualReaderName(slot),
        quickAck: quickAckAvailable,
        minimalJpkiCard: card,
        bareResponderFloor: floor,
        p50RatioToFloor: ratio,
      },
      targets: [
        { what: 'APDU round trip p50 through pcscd (ms)', value: card.p50Ms, max: 0.3 },
        { what: 'p50 / bare-responder floor p50', value: ratio, max: 2 },
      ],
    };
  } finally {
    await svc.close();
  }
}
