/**
 * The per-connection message limit (electron/host/rate-limit.ts) as a table: message arrival
 * times in, what the connection gets out. The browser host's own numbers (KIOSK_MESSAGE_LIMIT)
 * are checked against how people and the renderer send.
 */
import { describe, expect, it } from 'vitest';
import { admit, fullBucket, messageGate, type Admission, type RateLimit } from '../../electron/host/rate-limit';
import { KIOSK_MESSAGE_LIMIT } from '../../electron/host/kiosk-ws';

const LIMIT: RateLimit = { burst: 4, perSecond: 2 };

/** Feeds messages at `times` (ms) into a fresh bucket made at 0 and tells what each got; nothing passes a close. */
function run(limit: RateLimit, times: readonly number[]): Admission[] {
  let bucket = fullBucket(limit, 0);
  const out: Admission[] = [];
  for (const t of times) {
    const r = admit(limit, bucket, t);
    bucket = r.bucket;
    out.push(r.admission);
    if (r.admission === 'close') break;
  }
  return out;
}

const at = (n: number, t = 0) => Array.from({ length: n }, () => t);
const every = (n: number, gapMs: number, from = 0) => Array.from({ length: n }, (_, i) => from + i * gapMs);
const count = (xs: readonly Admission[], a: Admission) => xs.filter((x) => x === a).length;

describe('admit: a token bucket with patience for refusals', () => {
  it.each<[string, number[], Admission[]]>([
    ['a burst the size of the bucket passes', at(4), ['pass', 'pass', 'pass', 'pass']],
    ['past the burst, messages are refused', at(6), ['pass', 'pass', 'pass', 'pass', 'refuse', 'refuse']],
    ['a further bucketful of refusals closes the connection', at(12), [...at(4).map(() => 'pass' as const), ...at(4).map(() => 'refuse' as const), 'close']],
    ['half a second refills one message at 2/s', [...at(4), 500], ['pass', 'pass', 'pass', 'pass', 'pass']],
    ['less than that refills nothing yet', [...at(4), 499], ['pass', 'pass', 'pass', 'pass', 'refuse']],
    ['a long pause refills the burst, not more', [...at(4), ...at(5, 60_000)], [...at(8).map(() => 'pass' as const), 'refuse']],
    ['a clock that steps back refills nothing', [...at(4, 1000), 0], ['pass', 'pass', 'pass', 'pass', 'refuse']],
  ])('%s', (_what, times, expected) => {
    expect(run(LIMIT, times)).toEqual(expected);
  });

  it('a sender at the sustained rate is never refused', () => {
    expect(count(run(LIMIT, every(600, 500)), 'pass')).toBe(600);
  });

  it('a sender above the rate loses some messages but is not closed below twice the rate', () => {
    const got = run(LIMIT, every(600, 1000 / 3)); // 3/s for 200 s
    expect(count(got, 'close')).toBe(0);
    expect(count(got, 'refuse')).toBeGreaterThan(150);
  });

  it('a sender above twice the rate is closed', () => {
    const got = run(LIMIT, every(600, 1000 / 5)); // 5/s
    expect(got.at(-1)).toBe('close');
    expect(got.length).toBeLessThan(100);
  });

  it('messageGate keeps the bucket between calls on its own clock', () => {
    let now = 0;
    const gate = messageGate(LIMIT, () => now);
    expect([gate(), gate(), gate(), gate(), gate()]).toEqual(['pass', 'pass', 'pass', 'pass', 'refuse']);
    now = 1000;
    expect([gate(), gate(), gate()]).toEqual(['pass', 'pass', 'refuse']);
  });
});

describe("the browser host's limit (KIOSK_MESSAGE_LIMIT)", () => {
  it('never refuses a citizen typing as fast as a finger can (10 taps a second, for a minute)', () => {
    expect(count(run(KIOSK_MESSAGE_LIMIT, every(600, 100)), 'pass')).toBe(600);
  });

  it('takes the longest screen sequence at once: a 16-character password typed twice with its submits, a PIN and the menus', () => {
    // 4 menu touches, 4 PIN keys + 確定, 16 keys + 確定 twice: 39 messages with no time between them.
    expect(count(run(KIOSK_MESSAGE_LIMIT, at(39)), 'pass')).toBe(39);
  });

  it('closes a flood within two bucketfuls', () => {
    const got = run(KIOSK_MESSAGE_LIMIT, at(1000));
    expect(got.at(-1)).toBe('close');
    expect(count(got, 'pass')).toBe(KIOSK_MESSAGE_LIMIT.burst);
    expect(got.length).toBe(2 * KIOSK_MESSAGE_LIMIT.burst + 1);
  });
});
