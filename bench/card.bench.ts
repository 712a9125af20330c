/**
 * The virtual card (issue 4):
 * - creation from a persona, RSA-2048 key generation and certificates included: target ≤ 1000 ms
 *   (p95 over two cards of every persona, in a card directory whose test CAs already exist; the
 *   one-off cost of a new directory — the two CA key pairs — is reported separately);
 * - what the kiosk reads right after a card is placed, through pcscd: connect, SELECT the JPKI AP,
 *   read the auth certificate, and both tries-left values: target ≤ 20 ms (p95 over 20 insertions;
 *   the clock starts when pcscd reports the card present).
 * Uses vpcd slot 1, or 0 when 1 is busy.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { JpkiClient } from '../electron/jpki';
import { loadCard } from '../native/card/card-module';
import { createCard } from '../native/card/issue';
import { PERSONA_IDS } from '../native/card/personas';
import { ensurePcscd } from '../native/pcscd/pcscd';
import { PcscReaderService } from '../native/pcsc/reader-service';
import { quickAckAvailable } from '../native/quickack/quickack';
import { defaultRunDir, liveSlotState } from '../native/vpcd/slots';
import { virtualReaderName } from '../native/vpcd/transport';
import { insertUntilSeen } from '../test/pcsc/card-helpers';
import type { BenchResult } from './run';

export const name = 'card';

const INSERTIONS = 20;

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)]!;
}

const round = (ms: number) => Math.round(ms * 100) / 100;

async function creation(dir: string): Promise<{ firstInNewDirMs: number; perPersona: Record<string, number[]>; all: number[] }> {
  let t = performance.now();
  await createCard('adult', { dir, name: 'warm-up' });
  const firstInNewDirMs = performance.now() - t;
  const perPersona: Record<string, number[]> = {};
  const all: number[] = [];
  for (let round = 0; round < 2; round++) {
    for (const id of PERSONA_IDS) {
      t = performance.now();
      await createCard(id, { dir });
      const ms = performance.now() - t;
      (perPersona[id] ??= []).push(Math.round(ms));
      all.push(ms);
    }
  }
  return { firstInNewDirMs, perPersona, all };
}

async function freeSlot(): Promise<number> {
  const svc = new PcscReaderService({ reader: { prefix: 'Virtual PCD' } });
  try {
    const readers = await svc.listReaders();
    for (const slot of [1, 0]) {
      const r = readers.find((x) => x.name === virtualReaderName(slot));
      if (r && !r.card.present && !liveSlotState(defaultRunDir(), slot)) return slot;
    }
  } finally {
    await svc.close();
  }
  throw new Error('both vpcd slots hold a card (npm run card -- remove --slot N); free one to run this benchmark');
}

/** Failures that mean pcscd or the reader went away under the sample, not that the card is slow. */
const DISRUPTIONS = new Set(['PCSCD_NOT_RUNNING', 'CARD_REMOVED', 'READER_REMOVED', 'TRANSPORT', 'CHANNEL_CLOSED']);

async function readAfterInsert(dir: string): Promise<{ slot: number; totals: number[]; connects: number[]; reads: number[]; disrupted: number }> {
  await ensurePcscd({ logFile: '/tmp/kiosk-sim-pcscd-bench.log' });
  const slot = await freeSlot();
  const reader = virtualReaderName(slot);
  const { file } = await createCard('adult', { dir, name: 'bench-insert' });
  const card = loadCard(file);
  const svc = new PcscReaderService({ reader: { name: reader } });
  const totals: number[] = [];
  const connects: number[] = [];
  const reads: number[] = [];
  let disrupted = 0;
  try {
    await svc.ready();
    // One uncounted insertion first: the first connect and transmit load code paths once.
    for (let i = -1; i < INSERTIONS; ) {
      const conn = await insertUntilSeen(svc, card, slot);
      try {
        const t0 = performance.now();
        const ch = await svc.connect();
        const t1 = performance.now();
        const client = new JpkiClient(ch);
        await client.selectAp('jpki');
        const cert = await client.readCertificate('auth');
        const auth = await client.triesLeft('auth');
        const sign = await client.triesLeft('sign');
        const t2 = performance.now();
        if (cert.serialHex !== card.state.cardId || auth !== 3 || sign !== 5) throw new Error('read-after-insert read the wrong card');
        if (i >= 0) {
          totals.push(t2 - t0);
          connects.push(t1 - t0);
          reads.push(t2 - t1);
        }
        i++;
        await ch.disconnect('leave');
      } catch (err) {
        // pcscd is shared: another process restarting it (recovery tests do) spoils this sample,
        // which then measures nothing about the card. Count it and take the sample again.
        const code = (err as { code?: string }).code ?? (err as { cause?: { code?: string } }).cause?.code;
        if (!DISRUPTIONS.has(code ?? '') || ++disrupted > 10) throw err;
      } finally {
        await conn.remove();
        await svc.waitForState((s) => s.status !== 'card-present', { timeoutMs: 10_000 }).catch(() => undefined);
      }
    }
  } finally {
    await svc.close();
    card.release();
  }
  return { slot, totals, connects, reads, disrupted };
}

export async function run(): Promise<BenchResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiosk-sim-card-bench-'));
  const load = os.loadavg().map((l) => Math.round(l * 100) / 100);
  try {
    const c = await creation(dir);
    const r = await readAfterInsert(dir);
    const creationP95 = round(percentile(c.all, 0.95));
    const readP95 = round(percentile(r.totals, 0.95));
    return {
      figures: {
        // Other work on this machine skews both figures (RSA key generation above all); recorded so
        // a reader can tell a slow machine from a slow card.
        loadAverageAtStart: load,
        creation: {
          firstCardInNewDirectoryMs: Math.round(c.firstInNewDirMs),
          p50Ms: round(percentile(c.all, 0.5)),
          p95Ms: creationP95,
          maxMs: round(Math.max(...c.all)),
          perPersonaMs: c.perPersona,
        },
        readAfterInsert: {
          slot: r.slot,
          quickAck: quickAckAvailable,
          insertions: INSERTIONS,
          samplesRetakenAfterPcscdDisruption: r.disrupted,
          apdus: 'SELECT AP, SELECT 000A, READ BINARY ×8 (7-byte header, then ≤256-byte chunks), SELECT 0018 + VERIFY(empty), SELECT 001B + VERIFY(empty)',
          samplesMs: r.totals.map(round),
          totalP50Ms: round(percentile(r.totals, 0.5)),
          totalP95Ms: readP95,
          connectP50Ms: round(percentile(r.connects, 0.5)),
          readsP50Ms: round(percentile(r.reads, 0.5)),
        },
      },
      targets: [
        { what: 'card creation from a persona, p95 (ms)', value: creationP95, max: 1000 },
        { what: 'connect + auth certificate + both tries-left via pcscd after insertion, p95 (ms)', value: readP95, max: 20 },
      ],
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
