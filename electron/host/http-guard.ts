/**
 * Keeps one bad HTTP request from ending the browser host: a handler that throws (or rejects) is
 * logged and answered with 500; a request Node's parser refuses gets its 4xx and a closed socket;
 * CONNECT, which Node hands over as a bare socket, gets 405. The process keeps serving the rest.
 */
import http from 'node:http';
import type { Duplex } from 'node:stream';
import { describeFault, type HostLog } from './faults';

export type RequestHandler = (req: http.IncomingMessage, res: http.ServerResponse) => void | Promise<void>;

/** `handler` with its failures answered: 500 (or a cut connection once the answer has begun), and a log line without the request's content. */
export function guardRequests(handler: RequestHandler, log: HostLog): http.RequestListener {
  return (req, res) => {
    const fail = (err: unknown) => {
      log(`browser host: a ${req.method ?? '?'} request failed: ${describeFault(err)}`);
      try {
        if (res.headersSent) res.destroy();
        else res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end('internal error');
      } catch {
        res.destroy();
      }
    };
    try {
      const done = handler(req, res);
      if (done instanceof Promise) done.catch(fail);
    } catch (err) {
      fail(err);
    }
  };
}

/** The status for a request Node's HTTP parser refused, as Node itself would pick it. Pure. */
export function clientErrorStatus(code: string | undefined): 400 | 408 | 413 | 431 {
  switch (code) {
    case 'HPE_HEADER_OVERFLOW':
      return 431;
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return 413;
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return 408;
    default:
      return 400;
  }
}

/** A whole HTTP/1.1 answer without a body, for sockets Node hands over unparsed. */
export function bareAnswer(status: number, headers: Readonly<Record<string, string>> = {}): string {
  const lines = Object.entries({ ...headers, Connection: 'close', 'Content-Length': '0' }).map(([k, v]) => `${k}: ${v}\r\n`);
  return `HTTP/1.1 ${status} ${http.STATUS_CODES[status] ?? 'Error'}\r\n${lines.join('')}\r\n`;
}

/** A socket written to after the peer left raises EPIPE/ECONNRESET: nothing to do but drop it. */
export function dropOnError(socket: Duplex): void {
  socket.on('error', () => socket.destroy());
}

/** Answers what never reaches a request handler: parser errors (400/408/413/431) and CONNECT (405). */
export function guardServer(server: http.Server): void {
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    dropOnError(socket);
    // Only where no answer has begun: a status line in the middle of a response would corrupt it.
    if (err.code !== 'ECONNRESET' && socket.writable && (socket as { bytesWritten?: number }).bytesWritten === 0) {
      socket.write(bareAnswer(clientErrorStatus(err.code)));
    }
    socket.destroy();
  });
  server.on('connect', (_req: http.IncomingMessage, socket: Duplex) => {
    dropOnError(socket);
    socket.end(bareAnswer(405, { Allow: 'GET, HEAD' }));
  });
}
