import { describe, expect, it } from 'vitest';
import { passwordFormatProblem, PASSWORD_RULES, otherPassword } from '../../electron/domain/passwords';
import { serviceHours, formatJst } from '../../electron/domain/hours';
import { chainOffers, chainsOffering } from '../../electron/domain/chains';
import { isReservationExpired } from '../../electron/domain/reservation';

const jst = (s: string) => Date.parse(`${s}+09:00`);

describe('password formats (docs/domain-rules.md §1, the four passwords)', () => {
  it.each([
    ['sign', 'ABC123', null],
    ['sign', 'A1B2C3D4E5F6G7H8', null],
    ['sign', 'ABC12', 'too-short'],
    ['sign', 'A1B2C3D4E5F6G7H8I', 'too-long'],
    ['sign', 'ABCDEF', 'needs-digit'],
    ['sign', '123456', 'needs-letter'],
    ['sign', 'abc123', 'invalid-character'],
    ['sign', 'ABC-123', 'invalid-character'],
    ['sign', '', 'empty'],
    ['auth', '1234', null],
    ['auth', '123', 'too-short'],
    ['auth', '12345', 'too-long'],
    ['auth', '12a4', 'digits-only-allowed'],
    ['juki', '0000', null],
    ['text', '99999', 'too-long'],
  ] as const)('%s %j → %s', (kind, value, problem) => {
    expect(passwordFormatProblem(kind, value)).toBe(problem);
  });

  it('has the retry limits and kiosk resettability of the card', () => {
    expect([PASSWORD_RULES.sign.maxTries, PASSWORD_RULES.auth.maxTries, PASSWORD_RULES.juki.maxTries, PASSWORD_RULES.text.maxTries]).toEqual([5, 3, 3, 3]);
    expect(Object.values(PASSWORD_RULES).filter((r) => r.resettableAtKiosk).map((r) => r.kind)).toEqual(['sign', 'auth']);
    expect(otherPassword('sign')).toBe('auth');
    expect(otherPassword('auth')).toBe('sign');
  });
});

describe('service hours 06:30–23:00 Japan time', () => {
  it.each([
    ['2026-11-25T06:29:59', false],
    ['2026-11-25T06:30:00', true],
    ['2026-11-25T22:59:59', true],
    ['2026-11-25T23:00:00', false],
    ['2026-11-26T00:10:00', false],
  ])('%s open=%s', (t, open) => {
    expect(serviceHours(jst(t)).open).toBe(open);
  });

  it('says when the service opens again, today or tomorrow', () => {
    const early = serviceHours(jst('2026-11-25T05:00:00'));
    expect(early.open === false && formatJst(early.opensAt)).toBe('2026-11-25 06:30');
    const late = serviceHours(jst('2026-11-25T23:30:00'));
    expect(late.open === false && formatJst(late.opensAt)).toBe('2026-11-26 06:30');
  });

  it('is closed during maintenance and reopens at its end', () => {
    const from = jst('2026-11-25T10:00:00');
    const until = jst('2026-11-25T11:00:00');
    const v = serviceHours(jst('2026-11-25T10:30:00'), [{ from, until }]);
    expect(v).toEqual({ open: false, reason: 'maintenance', opensAt: until });
    expect(serviceHours(until, [{ from, until }]).open).toBe(true);
  });
});

describe('chains and reservations', () => {
  it('offers 利用者証明用 only at Seven-Eleven and AEON', () => {
    expect(chainsOffering('auth').map((c) => c.id)).toEqual(['seven-eleven', 'aeon']);
    expect(chainOffers('lawson', 'sign')).toBe(true);
    expect(chainOffers('lawson', 'auth')).toBe(false);
  });

  it('keeps a reservation usable until 23:59:59 and expires it at 24:00:00', () => {
    const done = jst('2026-11-25T10:00:00');
    expect(isReservationExpired(done, done + 24 * 3600_000 - 1000)).toBe(false);
    expect(isReservationExpired(done, done + 24 * 3600_000)).toBe(true);
  });
});
