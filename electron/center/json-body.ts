/**
 * JSON request bodies, read without a stream pass when the body has already arrived.
 *
 * A kiosk's request (headers and a body of ≈100 bytes) arrives in one TCP segment. Node's HTTP
 * parser hands Fastify the request at "headers complete", before it has pushed the body from that
 * same segment into the request stream, so Fastify's own reader subscribes data/end/error
 * listeners, resumes the stream and waits for the next ticks to deliver the body and the end: a
 * stream round trip for bytes that were already in memory. By the first microtask after the
 * parser returns, it has pushed the body bytes it holds into the stream's buffer (it has not yet
 * flagged the message `complete`; that and the stream's end come later in the same parse), so when
 * the buffer holds exactly the declared length and nothing has read from it, the body is taken with
 * one `read()`. Anything else (a body still on its way, a chunked one, a test's injected request)
 * is read through the stream as before. A kiosk's request almost always takes the one-read path.
 *
 * Limits and errors are Fastify's own: a declared length over the limit is a 413 before anything
 * is read, a body that outgrows the limit is a 413, a body shorter or longer than its
 * content-length is a 400, and the text is parsed by Fastify's default JSON parser (prototype
 * poisoning refused).
 */
import { errorCodes, type FastifyInstance, type FastifyRequest } from 'fastify';
import type { IncomingMessage } from 'node:http';

type Done = (err: Error | null, body?: unknown) => void;
type ParseText = (req: FastifyRequest, body: Buffer, done: Done) => void;

/** Registers the reader for application/json on `app`, in place of Fastify's (`bodyLimit`: the app's). */
export function readJsonBodies(app: FastifyInstance, bodyLimit: number): void {
  const parse = app.getDefaultJsonParser('error', 'error') as unknown as ParseText;
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', (req: FastifyRequest, payload: IncomingMessage, done: Done) => {
    const declared = Number(req.headers['content-length']);
    if (declared > bodyLimit) return done(new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE());
    queueMicrotask(() => {
      // Whole message parsed and nothing of it read yet: take it in one piece.
      if (declared > 0 && payload.readableLength === declared && payload.readableDidRead === false) {
        const body = (payload.read() as Buffer | null) ?? Buffer.alloc(0);
        return parse(req, body, done);
      }
      readStream(payload, declared, bodyLimit, (err, body) => (err ? done(err) : parse(req, body as Buffer, done)));
    });
  });
}

/** The body through the stream: what Fastify's reader does, for bodies not yet in memory. */
function readStream(payload: IncomingMessage, declared: number, limit: number, done: (err: Error | null, body?: Buffer) => void): void {
  const chunks: Buffer[] = [];
  let received = 0;
  const cleanup = () => {
    payload.removeListener('data', onData);
    payload.removeListener('end', onEnd);
    payload.removeListener('error', onEnd);
  };
  function onData(chunk: Buffer | string) {
    const b = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    received += b.length;
    if (received > limit) {
      cleanup();
      return done(new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE());
    }
    chunks.push(b);
  }
  function onEnd(err?: Error & { statusCode?: number }) {
    cleanup();
    if (err) {
      if (!(typeof err.statusCode === 'number' && err.statusCode >= 400)) err.statusCode = 400;
      return done(err);
    }
    if (!Number.isNaN(declared) && received !== declared) return done(new errorCodes.FST_ERR_CTP_INVALID_CONTENT_LENGTH());
    done(null, Buffer.concat(chunks, received));
  }
  payload.on('data', onData);
  payload.on('end', onEnd);
  payload.on('error', onEnd);
  payload.resume();
}
