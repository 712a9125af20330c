/**
 * One vocabulary from card to screen: the center's refusal reasons reach the guidance screens
 * through one table (electron/kiosk/adapters/center.ts), and card failures reach the flow with the
 * low-level error kept only as `cause`.
 */
import { describe, expect, it } from 'vitest';
import { CenterClientError } from '../../electron/center/client';
import { Reason as ReasonSchema } from '../../electron/center/schemas';
import { cardErrorOf } from '../../electron/kiosk/adapters/card-reader';
import { CenterAdapter, REFUSAL_OF_CENTER_REASON } from '../../electron/kiosk/adapters/center';
import { guidance } from '../../electron/kiosk/guidance';
import { CardError, CenterError } from '../../electron/kiosk/ports';
import { PcscError } from '../../native/pcsc';
import { JpkiError } from '../../electron/jpki';

const CENTER_REASONS = (ReasonSchema as unknown as { enum?: string[]; anyOf?: { const: string }[] }).enum ?? (ReasonSchema as unknown as { anyOf: { const: string }[] }).anyOf.map((s) => s.const);

describe('center reason → kiosk refusal → guidance screen', () => {
  it.each([
    ['no-booking', 'no-reservation', 'book-in-app'],
    ['kind-mismatch', 'no-reservation', 'book-in-app'],
    ['expired', 'reservation-expired', 'book-in-app'],
    ['used', 'reservation-used', 'book-in-app'],
    ['app-locked', 'app-locked', 'municipal-counter'],
    ['maintenance', null, null],
    ['receipt-invalid', null, null],
  ] as const)('%s → %s → next step %s', (reason, refusal, next) => {
    expect(REFUSAL_OF_CENTER_REASON[reason]).toBe(refusal);
    if (refusal !== null) expect(guidance(refusal).next).toBe(next);
  });

  it('lists every reason the center can give', () => {
    expect(CENTER_REASONS.length).toBeGreaterThan(5);
    expect(Object.keys(REFUSAL_OF_CENTER_REASON).sort()).toEqual([...CENTER_REASONS].sort());
  });

  it('the adapter answers a refusal in the kiosk’s words and keeps the client error as its cause', async () => {
    const refused = new CenterClientError('REFUSED', 'refused', { reason: 'expired' });
    const down = new CenterClientError('TIMEOUT', 'slow');
    const adapter = (err: Error) => new CenterAdapter({ check: () => Promise.reject(err) } as never);
    const e1 = await adapter(refused).check({ cardId: '0A', kind: 'sign' }).catch((e: unknown) => e);
    expect(e1).toBeInstanceOf(CenterError);
    expect(e1).toMatchObject({ code: 'CENTER_REFUSED', refusal: 'reservation-expired', cause: refused });
    const e2 = await adapter(down).check({ cardId: '0A', kind: 'sign' }).catch((e: unknown) => e);
    expect(e2).toMatchObject({ code: 'CENTER_UNAVAILABLE', cause: down });
    expect((e2 as CenterError).refusal).toBeUndefined();
  });
});

describe('card failures keep the low-level error only as cause', () => {
  it.each([
    [new PcscError('CARD_REMOVED', 'gone'), 'CARD_REMOVED'],
    [new PcscError('PCSCD_NOT_RUNNING', 'no pcscd'), 'READER_UNAVAILABLE'],
    [new JpkiError('AUTH_FAILED', 'MAC refused'), 'CARD_REFUSED'],
    [new JpkiError('REAL_CARD_READ_ONLY', 'real card'), 'NOT_SIMULATOR_CARD'],
    [new Error('odd'), 'CARD_ERROR'],
  ] as const)('%s → %s', (low, code) => {
    const e = cardErrorOf(low);
    expect(e).toBeInstanceOf(CardError);
    expect(e.code).toBe(code);
    expect(e.cause).toBe(low);
  });
});
