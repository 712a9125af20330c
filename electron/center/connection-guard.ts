/**
 * Closes connections whose client has stopped reading the center's answers.
 *
 * Node's own limits cover a client that is slow to *send*: headersTimeout and requestTimeout (a
 * request not complete in time gets a 408 and the connection closes), and keepAliveTimeout closes
 * a connection idle after its answer. What they miss is a client that sends and never reads: once
 * the socket's buffers are full the answer never finishes, so no keep-alive timer starts and the
 * connection holds its socket forever. A socket inactivity timeout (Fastify's connectionTimeout)
 * covers that too, but it re-arms a timer on every request and every read and write. This sweep
 * looks at each connection a few
 * times per `stallMs` instead, and only at what is waiting in its write buffer.
 */
import type { Server } from 'node:http';
import type { Socket } from 'node:net';

export interface ConnectionGuard {
  /** Stops the sweep (the server's close ends the connections themselves). */
  stop(): void;
}

interface Watch {
  /** socket.writableLength and bytesWritten at the last sweep. */
  queued: number;
  written: number;
  /** When its write buffer last drained or moved. */
  since: number;
}

export function guardConnections(server: Server, options: { readonly stallMs: number; readonly onClose?: (socket: Socket) => void; readonly now?: () => number }): ConnectionGuard {
  const now = options.now ?? Date.now;
  const watched = new Map<Socket, Watch>();
  const onConnection = (socket: Socket) => {
    watched.set(socket, { queued: 0, written: 0, since: now() });
    socket.once('close', () => watched.delete(socket));
  };
  server.on('connection', onConnection);
  const sweep = () => {
    const t = now();
    for (const [socket, w] of watched) {
      const queued = socket.writableLength;
      const written = socket.bytesWritten;
      // What left the write buffer since the last sweep: what was there, plus what was written
      // since, minus what is there now.
      const drained = w.queued + (written - w.written) - queued;
      if (queued === 0 || drained > 0) {
        w.since = t;
      } else if (t - w.since >= options.stallMs) {
        watched.delete(socket);
        options.onClose?.(socket);
        socket.destroy();
        continue;
      }
      w.queued = queued;
      w.written = written;
    }
  };
  const timer = setInterval(sweep, Math.max(10, Math.floor(options.stallMs / 4)));
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      server.off('connection', onConnection);
    },
  };
}
