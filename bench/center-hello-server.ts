/**
 * The ceiling for bench/center.bench.ts: a bare Fastify "hello" route, same framework and version
 * as the center, no validation, no auth, no storage. Prints its URL like `npm run center` does.
 */
import Fastify from 'fastify';

const app = Fastify({ logger: false });
app.get('/hello', async () => ({ hello: 'world' }));
app.listen({ host: '127.0.0.1', port: 0 }).then(
  (url) => console.log(`hello listening on ${url}`),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
