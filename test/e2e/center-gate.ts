/**
 * A pass-through in front of the reservation center that can hold one kind of request for a
 * moment, so the screens the kiosk shows while it waits for the center (予約確認中, 手続きの承認中 —
 * over in a few milliseconds otherwise) can be looked at and photographed. Nothing is changed on
 * the way: requests and answers pass byte for byte.
 */
import http from 'node:http';
import type net from 'node:net';

interface Hold {
  readonly path: string;
  readonly reached: () => void;
  readonly released: Promise<void>;
}

export class CenterGate {
  #holds: Hold[] = [];

  private constructor(
    private readonly server: http.Server,
    readonly url: string,
  ) {}

  static async open(target: string): Promise<CenterGate> {
    const server = http.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const gate = new CenterGate(server, `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`);
    server.on('request', (req, res) => void gate.#forward(target, req, res));
    return gate;
  }

  /**
   * Holds the next request to `path` (e.g. /v1/kiosk/check). `reached` resolves when it arrives;
   * it goes on to the center at `release()`. Keep a hold short: the kiosk's client gives the center
   * 2 s per attempt before it tries again.
   */
  hold(path: string): { reached: Promise<void>; release: () => void } {
    let reached!: () => void;
    let release!: () => void;
    const reachedP = new Promise<void>((r) => (reached = r));
    const released = new Promise<void>((r) => (release = r));
    this.#holds.push({ path, reached, released });
    return { reached: reachedP, release };
  }

  async #forward(target: string, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const i = this.#holds.findIndex((h) => req.url === h.path);
    if (i >= 0) {
      const [h] = this.#holds.splice(i, 1);
      h!.reached();
      await h!.released;
    }
    try {
      const headers: Record<string, string> = {};
      for (const name of ['authorization', 'content-type', 'x-request-id']) {
        const v = req.headers[name];
        if (typeof v === 'string') headers[name] = v;
      }
      const body = chunks.length > 0 ? Buffer.concat(chunks) : undefined;
      const r = await fetch(`${target}${req.url ?? '/'}`, { method: req.method ?? 'GET', headers, ...(body && { body }) });
      res.writeHead(r.status, { 'content-type': r.headers.get('content-type') ?? 'application/json' });
      res.end(Buffer.from(await r.arrayBuffer()));
    } catch {
      res.writeHead(502).end();
    }
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
