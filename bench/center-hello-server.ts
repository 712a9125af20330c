/**
 * The ceiling for bench/center.bench.ts: bare Fastify routes, same framework and version as the
 * center, no validation, no auth, no storage. Prints its URL like `npm run center` does.
 *
 * GET /hello is the ceiling the issue names. The POST routes take the kiosk's own requests (same
 * paths, same JSON bodies) and answer a constant of the same shape: the cost of the request shape
 * itself (a body to read and parse, a bigger answer), so the bench can say how much of the gap
 * to /hello is HTTP+JSON and how much is the center's work.
 */
import Fastify from 'fastify';

const app = Fastify({ logger: false });
app.get('/hello', async () => ({ hello: 'world' }));
const bookingId = `bk_${'0'.repeat(32)}`;
app.post('/v1/kiosk/check', async () => ({ status: 'usable', reason: 'usable', cardId: '0A', kind: 'auth', bookingId, expiresAt: 0, centerNow: 0 }));
app.post('/v1/kiosk/authorize', async () => ({ bookingId, mac: '00'.repeat(16), authorizedAt: 0, replayed: false }));
app.post('/v1/kiosk/confirm', async () => ({ bookingId, state: 'used', usedAt: 0, replayed: false }));
app.listen({ host: '127.0.0.1', port: 0 }).then(
  (url) => console.log(`hello listening on ${url}`),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
