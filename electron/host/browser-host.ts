/**
 * The browser host's server: the built renderer over HTTP and the window.kiosk contract over a
 * WebSocket on the same origin, each handler guarded so that no request ends the process.
 * start.ts runs it with the production kiosk core; the tests run this very wiring with fakes.
 */
import http from 'node:http';
import type net from 'node:net';
import { describeFault, stderrLog, type HostLog } from './faults';
import { guardRequests, guardServer } from './http-guard';
import type { AppBackend, KioskBackend, TrainerBackend } from '../contract/backends';
import { attachKioskWebSocket, type KioskWs } from './kiosk-ws';
import { serveStatic } from './static-files';

export interface BrowserHostOptions {
  /** The built renderer (out/renderer). */
  readonly rendererDir: string;
  readonly core: KioskBackend;
  /** 0 picks a free port (tests). */
  readonly port: number;
  readonly trainer?: TrainerBackend;
  readonly app?: AppBackend;
  readonly log?: HostLog;
}

export interface BrowserHost {
  /** http://127.0.0.1:<port>: the page's origin, the only one the WebSocket accepts. */
  readonly origin: string;
  readonly server: http.Server;
  readonly ws: KioskWs;
  close(): Promise<void>;
}

/** Listens on 127.0.0.1 only: the kiosk is driven from this machine's screen, never the network. */
export async function startBrowserHost(opts: BrowserHostOptions): Promise<BrowserHost> {
  const log = opts.log ?? stderrLog;
  const server = http.createServer(guardRequests((req, res) => serveStatic(opts.rendererDir, req, res, log), log));
  guardServer(server);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  // After listening, an error is one failed accept (out of file descriptors): log it and go on.
  server.on('error', (err) => log(`browser host: ${describeFault(err)}`));
  // Attached once the port (and so the origin) is known; no connection is taken before this runs.
  const origin = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
  const ws = attachKioskWebSocket(server, opts.core, {
    allowedOrigins: [origin],
    log,
    ...(opts.trainer !== undefined && { trainer: opts.trainer }),
    ...(opts.app !== undefined && { app: opts.app }),
  });
  return {
    origin,
    server,
    ws,
    async close() {
      await ws.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
