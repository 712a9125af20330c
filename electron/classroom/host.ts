/**
 * A classroom's browser host: the built renderer for every station's page (`/s/<n>/`) and for the
 * trainer's console (`/console/`), and a WebSocket for each, on one origin. Who may open what is
 * access.ts's rule; this file carries it out.
 *
 * Loopback by default: only this machine's browsers reach it. With `lan`, it listens on every
 * interface and a station's page needs its join code; the console always needs the trainer's
 * token. Failed joins are rate-limited per address, so a code cannot be guessed by flooding.
 */
import http from 'node:http';
import type net from 'node:net';
import os from 'node:os';
import type { Duplex } from 'node:stream';
import { describeFault, stderrLog, type HostLog } from '../host/faults';
import { guardRequests, guardServer } from '../host/http-guard';
import { kioskWsEndpoint, refuseUpgrade, routeUpgrades, type KioskWsEndpoint } from '../host/kiosk-ws';
import { admit, fullBucket, type Bucket, type RateLimit } from '../host/rate-limit';
import { serveStatic } from '../host/static-files';
import { routeRequest, type AccessConfig, type RefusalReason, type Route } from './access';
import type { ClassroomConsole } from './console';
import type { Station } from './station';

export interface ClassroomHostOptions {
  readonly rendererDir: string;
  readonly stations: readonly Station[];
  readonly console: ClassroomConsole;
  readonly trainerToken: string;
  readonly joinCodes: readonly string[];
  /** Serve the LAN (every interface), with join codes; default loopback only. */
  readonly lan?: boolean;
  /** 0 picks a free port (tests). */
  readonly port: number;
  readonly log?: HostLog;
}

export interface ClassroomHost {
  /** The origin this machine's browser uses (http://127.0.0.1:<port>). */
  readonly origin: string;
  /** Every origin a page may come from (the LAN addresses too on a LAN host). */
  readonly origins: readonly string[];
  readonly port: number;
  /** The console's address, token included (in the fragment: never sent in a request). */
  consoleUrl(origin?: string): string;
  /** Station n's address (with its join code on a LAN host). */
  stationUrl(n: number, origin?: string): string;
  close(): Promise<void>;
}

/** Failed joins an address may make at once, then one every few seconds. */
export const JOIN_ATTEMPTS: RateLimit = { burst: 10, perSecond: 0.2 };

/** This machine's IPv4 addresses other machines can reach. */
export function lanAddresses(): string[] {
  return Object.values(os.networkInterfaces())
    .flat()
    .filter((a): a is os.NetworkInterfaceInfo => a !== undefined && a.family === 'IPv4' && !a.internal)
    .map((a) => a.address);
}

const REFUSAL_TEXT: Record<RefusalReason, { readonly ja: string; readonly en: string }> = {
  'not-found': { ja: 'このページはありません。', en: 'There is no such page.' },
  'no-such-station': { ja: 'この番号の端末はありません。講師に端末の番号を確かめてください。', en: 'There is no station with this number. Ask the trainer for your station number.' },
  'join-code-needed': { ja: '参加コードが必要です。講師が表示しているQRコードを読み取るか、参加コードを入力してください。', en: 'A join code is needed. Scan the QR code the trainer shows, or enter the join code.' },
  'wrong-join-code': { ja: '参加コードが違います。講師が表示している、この端末のコードを確かめてください。', en: 'The join code is not right. Check the code the trainer shows for this station.' },
  'trainer-token-needed': { ja: '講師用のトークンが必要です。', en: "The trainer's token is needed." },
  'wrong-trainer-token': { ja: '講師用のトークンが違います。', en: "The trainer's token is not right." },
};

/** A page a trainee can read, with a form to type the code where a code is what is missing. */
function refusalPage(reason: RefusalReason, n: number | null): string {
  const t = REFUSAL_TEXT[reason];
  const form =
    n !== null && (reason === 'join-code-needed' || reason === 'wrong-join-code')
      ? `<form method="get" action="/s/${n}/"><label>参加コード / Join code <input name="code" autocomplete="off" autocapitalize="characters" maxlength="12" required></label> <button>参加する / Join</button></form>`
      : '';
  return `<!doctype html><html lang="ja"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>kiosk-sim</title>
<style>body{font:20px/1.6 system-ui,sans-serif;margin:3em auto;max-width:40em;padding:0 1em}input,button{font:inherit;padding:.3em .6em}</style></head>
<body><h1>マルチコピー機シミュレータ</h1><p data-refusal="${reason}">${t.ja}</p><p lang="en">${t.en}</p>${form}</body></html>`;
}

export async function startClassroomHost(opts: ClassroomHostOptions): Promise<ClassroomHost> {
  const log = opts.log ?? stderrLog;
  const cfg: AccessConfig = { stations: opts.stations.length, lan: opts.lan === true, trainerToken: opts.trainerToken, joinCodes: opts.joinCodes };
  const byNumber = new Map(opts.stations.map((s) => [s.n, s]));
  const failedJoins = new Map<string, Bucket>();

  /** Whether `remote` may still try (counts this failure); false: too many failed attempts. */
  const mayTryAgain = (remote: string): boolean => {
    const now = performance.now();
    const r = admit(JOIN_ATTEMPTS, failedJoins.get(remote) ?? fullBucket(JOIN_ATTEMPTS, now), now);
    failedJoins.set(remote, r.bucket);
    if (failedJoins.size > 10_000) failedJoins.clear();
    return r.admission === 'pass';
  };
  const tooMany = (remote: string) => {
    const b = failedJoins.get(remote);
    return b !== undefined && b.tokens < 1 && admit(JOIN_ATTEMPTS, b, performance.now()).admission !== 'pass';
  };

  const routeOf = (req: http.IncomingMessage, socket: boolean): { route: Route; n: number | null } => {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = (q < 0 ? url : url.slice(0, q)).replace(/#.*$/s, '');
    const query = new URLSearchParams(q < 0 ? '' : url.slice(q + 1).replace(/#.*$/s, ''));
    const m = /^\/s\/(\d{1,2})(?:\/|$)/.exec(path);
    return { route: routeRequest(path, query, socket, cfg), n: m ? Number(m[1]) : null };
  };

  const server = http.createServer(
    guardRequests(async (req, res) => {
      const remote = req.socket.remoteAddress ?? '';
      if (tooMany(remote)) {
        res.writeHead(429, { 'content-type': 'text/plain; charset=utf-8', 'retry-after': '10' }).end('too many attempts: wait a little');
        return;
      }
      const { route, n } = routeOf(req, false);
      switch (route.kind) {
        case 'redirect':
          res.writeHead(302, { location: route.location }).end();
          return;
        case 'static':
          req.url = route.path;
          return serveStatic(opts.rendererDir, req, res, log);
        case 'station-page':
          req.url = route.path;
          return serveStatic(opts.rendererDir, req, res, log);
        case 'refused': {
          if (route.reason === 'wrong-join-code' || route.reason === 'wrong-trainer-token') mayTryAgain(remote);
          res.writeHead(route.status, { 'content-type': 'text/html; charset=utf-8', 'x-content-type-options': 'nosniff', 'cache-control': 'no-store' }).end(refusalPage(route.reason, n));
          return;
        }
        default:
          res.writeHead(404).end();
      }
    }, log),
  );
  guardServer(server);
  const host = opts.lan === true ? '0.0.0.0' : '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (err) => log(`classroom host: ${describeFault(err)}`));
  const port = (server.address() as net.AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;
  const origins = [origin, ...(opts.lan === true ? lanAddresses().map((a) => `http://${a}:${port}`) : [])];

  const stationEndpoints = new Map<number, KioskWsEndpoint>();
  for (const s of opts.stations) {
    stationEndpoints.set(s.n, kioskWsEndpoint(s.kiosk, { allowedOrigins: origins, trainer: s.tray, app: s.app, audiences: () => new Set(['kiosk', 'tray', 'app']), log }));
  }
  // The console's socket also pushes a snapshot on connect (the endpoint's way): the first station's.
  const first = opts.stations[0];
  if (first === undefined) throw new RangeError('a classroom needs at least one station');
  const consoleEndpoint = kioskWsEndpoint(first.kiosk, { allowedOrigins: origins, console: opts.console, audiences: () => new Set(['console']), log });

  routeUpgrades(
    server,
    (_path, req) => {
      const remote = req.socket.remoteAddress ?? '';
      if (tooMany(remote)) return { upgrade: (_r: http.IncomingMessage, socket: Duplex) => refuseUpgrade(socket, 429) };
      const { route } = routeOf(req, true);
      if (route.kind === 'station-socket') return stationEndpoints.get(route.n);
      if (route.kind === 'console-socket') return consoleEndpoint;
      if (route.kind === 'refused') {
        if (route.reason === 'wrong-join-code' || route.reason === 'wrong-trainer-token') mayTryAgain(remote);
        return { upgrade: (_r: http.IncomingMessage, socket: Duplex) => refuseUpgrade(socket, route.status) };
      }
      return undefined;
    },
    log,
  );

  const withCode = (n: number) => (opts.lan === true ? `?code=${opts.joinCodes[n - 1] ?? ''}` : '');
  return {
    origin,
    origins,
    port,
    consoleUrl: (o = origin) => `${o}/console/#token=${opts.trainerToken}`,
    stationUrl: (n, o = origin) => {
      if (!byNumber.has(n)) throw new RangeError(`no station ${n}`);
      return `${o}/s/${n}/${withCode(n)}`;
    },
    async close() {
      await Promise.all([...stationEndpoints.values(), consoleEndpoint].map((e) => e.close()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
