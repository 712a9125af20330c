/**
 * This machine's TCP sockets as the kernel lists them (/proc/net/tcp and tcp6, Linux), to tell
 * where vpcd waits for virtual cards: on the loopback interface only, or reachable from elsewhere.
 */
import fs from 'node:fs';

export interface TcpEndpoint {
  /** Dotted IPv4 ("127.0.0.1") or full IPv6 ("0000:…:0001", eight groups of four hex digits). */
  readonly address: string;
  readonly port: number;
}

export interface TcpSocket {
  readonly local: TcpEndpoint;
  readonly remote: TcpEndpoint;
  /** The kernel's state (include/net/tcp_states.h); the two this project looks for are named. */
  readonly state: 'LISTEN' | 'ESTABLISHED' | `0x${string}`;
}

const STATES: Record<string, TcpSocket['state']> = { '01': 'ESTABLISHED', '0A': 'LISTEN' };

/** "0100007F:8C7B" → 127.0.0.1:35963. Addresses are 32-bit words in host (little-endian) order. */
function endpoint(field: string): TcpEndpoint {
  const [hexAddress = '', hexPort = ''] = field.split(':');
  const words = hexAddress.match(/.{8}/g) ?? [];
  const bytes = words.flatMap((w) => [w.slice(6, 8), w.slice(4, 6), w.slice(2, 4), w.slice(0, 2)].map((b) => Number.parseInt(b, 16)));
  const address =
    bytes.length === 4
      ? bytes.join('.')
      : Array.from({ length: 8 }, (_, i) => ((bytes[2 * i]! << 8) | bytes[2 * i + 1]!).toString(16).padStart(4, '0')).join(':');
  return { address, port: Number.parseInt(hexPort, 16) };
}

/** Parses the text of /proc/net/tcp or /proc/net/tcp6. */
export function parseProcNetTcp(text: string): TcpSocket[] {
  return text
    .split('\n')
    .slice(1)
    .map((line) => line.trim().split(/\s+/))
    .filter((f) => f.length > 3 && f[1]!.includes(':'))
    .map((f) => ({ local: endpoint(f[1]!), remote: endpoint(f[2]!), state: STATES[f[3]!.toUpperCase()] ?? `0x${f[3]!}` }));
}

/** Every TCP socket on this machine (in this network namespace). */
export function tcpSockets(): TcpSocket[] {
  return ['/proc/net/tcp', '/proc/net/tcp6'].flatMap((file) => {
    try {
      return parseProcNetTcp(fs.readFileSync(file, 'utf8'));
    } catch {
      return []; // no IPv6, or not Linux
    }
  });
}

/** 127.0.0.0/8, ::1, or 127.x mapped into IPv6 (::ffff:127.x.y.z). */
export function isLoopback(address: string): boolean {
  if (/^\d+\.\d+\.\d+\.\d+$/.test(address)) return address.startsWith('127.');
  const groups = address.split(':').map((g) => Number.parseInt(g, 16));
  if (groups.length !== 8) return false;
  const zeroPrefix = groups.slice(0, 5).every((g) => g === 0);
  return (zeroPrefix && groups[5] === 0 && groups[6] === 0 && groups[7] === 1) || (zeroPrefix && groups[5] === 0xffff && groups[6]! >> 8 === 127);
}

/** Sockets listening on one of `ports` on an address other machines can reach. */
export function exposedListeners(ports: readonly number[], sockets: readonly TcpSocket[] = tcpSockets()): TcpSocket[] {
  return sockets.filter((s) => s.state === 'LISTEN' && ports.includes(s.local.port) && !isLoopback(s.local.address));
}

/** "0.0.0.0:35963", "[0000:…:0000]:35963". */
export function formatEndpoint(e: TcpEndpoint): string {
  return e.address.includes(':') ? `[${e.address}]:${e.port}` : `${e.address}:${e.port}`;
}
