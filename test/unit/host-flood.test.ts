/**
 * A flood of intents on one WebSocket connection: beyond the connection's bucket the intents are
 * refused (RATE_LIMITED) without reaching the core, so the session record grows by no more than
 * a bucketful; the flooding connection is closed (1008), and another connection is served all
 * the while. Also: calls still running per connection are capped.
 */
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { VirtualCardsView, TrainerResult } from '../../electron/contract/trainer';
import { createWsKiosk, KioskTransportError } from '../../electron/contract/ws-client';
import type { TrainerBackend } from '../../electron/contract/backends';
import { KIOSK_MESSAGE_LIMIT, MAX_CALLS_IN_FLIGHT } from '../../electron/host/kiosk-ws';
import { nextReply, startTestHost, stillServes, wsClient, type TestHost, type WsClient } from './host-fixture';

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function host(trainer?: TrainerBackend): Promise<TestHost> {
  const h = await startTestHost(trainer === undefined ? {} : { trainer });
  cleanup.push(() => h.close());
  return h;
}

async function client(h: TestHost): Promise<WsClient> {
  const c = await wsClient(h);
  cleanup.push(() => c.ws.terminate());
  await c.next(); // the first snapshot
  return c;
}

const intent = (id: number) => JSON.stringify({ type: 'call', id, method: 'send', intent: { type: 'set-language', language: id % 2 === 0 ? 'en' : 'ja' } });

describe('an intent flood on one connection', () => {
  it('is refused past the bucket, not recorded, closed with 1008; another connection keeps being served', async () => {
    const h = await host();
    const flooder = await client(h);
    const other = await client(h);
    const languageLines = () => h.record().filter((e) => e.action === 'set-language').length;
    expect(languageLines()).toBe(0);

    const t0 = performance.now();
    const N = 1000;
    // Every set-language the core takes is written to the record: the worst case for its growth.
    for (let id = 1; id <= N; id++) flooder.ws.send(intent(id));
    // While the flood is being taken in, another client's intent.
    other.ws.send(JSON.stringify({ type: 'call', id: 1, method: 'send', intent: { type: 'choose-service', service: 'admin' } }));
    expect(await flooder.closed).toBe(1008);
    const seconds = (performance.now() - t0) / 1000;

    const replies = flooder.queued.filter((m) => m.type === 'reply');
    const accepted = replies.filter((r) => r.ok);
    const refused = replies.filter((r) => !r.ok);
    expect(accepted.length).toBeGreaterThanOrEqual(KIOSK_MESSAGE_LIMIT.burst);
    const allowance = KIOSK_MESSAGE_LIMIT.burst + Math.ceil(seconds * KIOSK_MESSAGE_LIMIT.perSecond);
    expect(accepted.length).toBeLessThanOrEqual(allowance);
    expect(refused.length).toBeGreaterThan(0);
    for (const r of refused) expect(r).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' }, id: expect.any(Number) });
    // Answered in order, each with its own id: the first ones taken, the rest refused.
    expect(replies.map((r) => r.id)).toEqual(replies.map((_, i) => i + 1));
    // Far from all thousand got an answer: the connection was closed a bucketful (and its refill) after the refusals began.
    expect(replies.length).toBeLessThanOrEqual(2 * allowance);

    // The record grew by the intents taken, and nothing for those refused.
    expect(languageLines()).toBe(accepted.length);

    expect(await nextReply(other)).toEqual({ type: 'reply', id: 1, ok: true, value: { accepted: true } });
    other.ws.send(JSON.stringify({ type: 'call', id: 2, method: 'send', intent: { type: 'back' } }));
    expect(await nextReply(other)).toEqual({ type: 'reply', id: 2, ok: true, value: { accepted: true } });
    expect(h.logs).toEqual(['browser host: closed a kiosk WebSocket client that kept sending past its limit']);
    expect(await stillServes(h)).toMatchObject({ page: 200, snapshot: 'top' });
  });

  it('the renderer’s client sees RATE_LIMITED as a typed error past the burst, and is served again after a pause', async () => {
    const h = await host();
    class OriginWebSocket extends WebSocket {
      constructor(url: string) {
        super(url, { origin: h.origin });
      }
    }
    const api = createWsKiosk({ url: h.wsUrl, WebSocket: OriginWebSocket as unknown as typeof globalThis.WebSocket });
    cleanup.push(() => api.close());
    await api.getSnapshot(); // connected: one message of the bucket spent
    const t0 = performance.now();
    const burst = Array.from({ length: KIOSK_MESSAGE_LIMIT.burst + 10 }, () => api.send({ type: 'input-activity' }).then((r) => r.accepted !== undefined, (e: unknown) => e));
    const results = await Promise.all(burst);
    // What refilled while the burst was taken in (nothing, unless the machine stalls).
    const refill = Math.floor(((performance.now() - t0) / 1000) * KIOSK_MESSAGE_LIMIT.perSecond);
    const answered = results.filter((r) => r === true).length;
    const limited = results.filter((r) => r instanceof KioskTransportError && r.code === 'RATE_LIMITED').length;
    expect(answered).toBeGreaterThanOrEqual(KIOSK_MESSAGE_LIMIT.burst - 1);
    expect(answered).toBeLessThanOrEqual(KIOSK_MESSAGE_LIMIT.burst - 1 + refill);
    expect(answered + limited).toBe(results.length);
    await new Promise((r) => setTimeout(r, 1000 / KIOSK_MESSAGE_LIMIT.perSecond + 20));
    await expect(api.send({ type: 'choose-service', service: 'admin' })).resolves.toEqual({ accepted: true });
  });
});

describe('calls still running on one connection', () => {
  it(`are capped at ${MAX_CALLS_IN_FLIGHT}: one more is refused at once, and served once the others are answered`, async () => {
    const view: VirtualCardsView = { available: true, cards: [], placed: null };
    const waiting: (() => void)[] = [];
    const trainer: TrainerBackend = {
      listCards: async () => view,
      // A card placed through pcscd takes a while: here, until the test lets it finish.
      placeCard: (name) => new Promise<TrainerResult>((resolve) => waiting.push(() => resolve({ ok: true, cards: { ...view, placed: name } }))),
      removeCard: async () => ({ ok: true, cards: view }),
    };
    const h = await host(trainer);
    const c = await client(h);
    for (let id = 1; id <= MAX_CALLS_IN_FLIGHT + 2; id++) c.ws.send(JSON.stringify({ type: 'call', id, method: 'placeCard', name: 'adult' }));
    const refused = [await nextReply(c), await nextReply(c)];
    expect(refused.map((r) => [r.id, !r.ok && r.error.code])).toEqual([
      [MAX_CALLS_IN_FLIGHT + 1, 'RATE_LIMITED'],
      [MAX_CALLS_IN_FLIGHT + 2, 'RATE_LIMITED'],
    ]);
    expect(waiting).toHaveLength(MAX_CALLS_IN_FLIGHT);
    for (const done of waiting.splice(0)) done();
    const answered = await Promise.all(Array.from({ length: MAX_CALLS_IN_FLIGHT }, () => nextReply(c)));
    expect(answered.map((r) => r.ok)).toEqual(Array.from({ length: MAX_CALLS_IN_FLIGHT }, () => true));
    c.ws.send(JSON.stringify({ type: 'call', id: 99, method: 'listCards' }));
    expect(await nextReply(c)).toEqual({ type: 'reply', id: 99, ok: true, value: view });
  });
});
