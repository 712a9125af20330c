/**
 * How many messages one connection may send: a token bucket (a burst at once, then a steady rate)
 * and a second bucket, "patience", for the messages refused over it. A connection that runs out
 * of patience too is flooding on purpose or by a bug, and is closed. Pure: the caller passes the
 * time in, so the rule is tested with a table rather than a clock.
 */

export interface RateLimit {
  /** Messages that may arrive at once (the bucket's size). */
  readonly burst: number;
  /** Messages per second the bucket refills with: the sustained rate. */
  readonly perSecond: number;
}

export interface Bucket {
  /** Messages that may pass now. */
  readonly tokens: number;
  /** Refusals still tolerated before the connection is closed. */
  readonly patience: number;
  /** When the bucket was last updated (ms, a monotonic clock). */
  readonly at: number;
}

/** `pass`: hand the message on; `refuse`: answer it with a refusal; `close`: close the connection. */
export type Admission = 'pass' | 'refuse' | 'close';

export function fullBucket(limit: RateLimit, now: number): Bucket {
  return { tokens: limit.burst, patience: limit.burst, at: now };
}

/**
 * Takes one message into `bucket` at `now`. Both buckets refill at `perSecond`, so a sender
 * above that rate gets some messages refused, and only one above twice the rate (whose refusals
 * outrun the refill of patience) is eventually closed. A clock that steps back refills nothing.
 */
export function admit(limit: RateLimit, bucket: Bucket, now: number): { readonly admission: Admission; readonly bucket: Bucket } {
  const refill = (Math.max(0, now - bucket.at) * limit.perSecond) / 1000;
  const tokens = Math.min(limit.burst, bucket.tokens + refill);
  const patience = Math.min(limit.burst, bucket.patience + refill);
  const at = Math.max(now, bucket.at);
  if (tokens >= 1) return { admission: 'pass', bucket: { tokens: tokens - 1, patience, at } };
  if (patience >= 1) return { admission: 'refuse', bucket: { tokens, patience: patience - 1, at } };
  return { admission: 'close', bucket: { tokens, patience, at } };
}

/** A bucket held for one connection, on the given clock. */
export function messageGate(limit: RateLimit, now: () => number): () => Admission {
  let bucket = fullBucket(limit, now());
  return () => {
    const r = admit(limit, bucket, now());
    bucket = r.bucket;
    return r.admission;
  };
}
