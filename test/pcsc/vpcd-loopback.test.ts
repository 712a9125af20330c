/**
 * Virtual readers reachable from this machine only: with the pcscd this project starts, vpcd waits
 * for virtual cards on 127.0.0.1, not on every interface as with Debian's own configuration, and a
 * card inserted here talks to it over the loopback interface. Read from the kernel's socket tables.
 */
import net from 'node:net';
import os from 'node:os';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SW } from '../../native/apdu/status';
import { VPCD_PORTS } from '../../native/pcscd/pcscd';
import { formatEndpoint, isLoopback, tcpSockets } from '../../native/pcscd/tcp-sockets';
import { JPKI_AID } from '../../native/vpcd/test-cards';
import { cleanUp, insert, openService, requireEmptySlot } from './helpers';

const NOT_OURS = 'is the running pcscd one this project did not start? (npm run pcscd -- stop && npm run pcscd -- start)';

/** This machine's addresses on its network interfaces (not loopback; link-local v6 needs a scope). */
function interfaceAddresses(): string[] {
  return Object.values(os.networkInterfaces())
    .flat()
    .filter((a) => a !== undefined && !a.internal && !a.address.startsWith('fe80:'))
    .map((a) => a!.address);
}

/** How a TCP connection to host:port ends: 'connected' or the error code (ECONNREFUSED…). */
function tryConnect(host: string, port: number): Promise<string> {
  return new Promise((resolve) => {
    const s = net.createConnection({ host, port, timeout: 2000 });
    s.once('connect', () => {
      s.destroy();
      resolve('connected');
    });
    s.once('timeout', () => {
      s.destroy();
      resolve('timeout');
    });
    s.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
  });
}

beforeAll(requireEmptySlot);
afterEach(cleanUp);

describe("vpcd's card side with the project's pcscd", () => {
  it('listens on 127.0.0.1 only, so no other machine can insert a card', async () => {
    const listening = tcpSockets().filter((s) => s.state === 'LISTEN' && (VPCD_PORTS as readonly number[]).includes(s.local.port));
    expect(listening.map((s) => formatEndpoint(s.local)).sort(), NOT_OURS).toEqual(['127.0.0.1:35963', '127.0.0.1:35964']);

    // What another machine would see: the ports are closed on this machine's own addresses.
    for (const address of interfaceAddresses()) {
      for (const port of VPCD_PORTS) expect(`${address} port ${port}: ${await tryConnect(address, port)}`).toBe(`${address} port ${port}: ECONNREFUSED`);
    }
  });

  it('carries an inserted card over the loopback interface, and the card answers', async () => {
    const svc = openService();
    await insert(svc);
    const cardLinks = tcpSockets().filter((s) => s.state === 'ESTABLISHED' && (s.remote.port === VPCD_PORTS[0] || s.local.port === VPCD_PORTS[0]));
    // Both ends of the card's connection are in this process's view: the card's and vpcd's.
    expect(cardLinks.length).toBeGreaterThanOrEqual(2);
    for (const s of cardLinks) expect([s.local.address, s.remote.address].every(isLoopback)).toBe(true);

    const ch = await svc.connect();
    expect((await ch.send({ cla: 0x00, ins: 0xa4, p1: 0x04, p2: 0x0c, data: JPKI_AID })).sw).toBe(SW.OK);
  });
});
