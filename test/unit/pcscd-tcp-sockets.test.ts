/** Reading where sockets listen from the kernel's tables (native/pcscd/tcp-sockets.ts). */
import { describe, expect, it } from 'vitest';
import { exposedListeners, formatEndpoint, isLoopback, parseProcNetTcp } from '../../native/pcscd/tcp-sockets';

// As Linux prints them: Debian's vpcd on every interface, the project's on 127.0.0.1, a card's connection.
const TCP = `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 00000000:8C7B 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 12776 1 00000000e1043cb2 100 0 0 10 0
   1: 0100007F:8C7C 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 12777 1 00000000376531f8 100 0 0 10 0
   2: 0100007F:D344 0100007F:8C7B 01 00000000:00000000 00:00000000 00000000     0        0 31337 1 0000000000000000 20 4 30 10 -1
   3: 020200C0:8C7B 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 12778 1 0000000000000000 100 0 0 10 0
`;
const TCP6 = `  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 00000000000000000000000000000000:8C7B 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1 0 100 0 0 10 0
   1: 00000000000000000000000001000000:8C7C 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 2 1 0 100 0 0 10 0
   2: 0000000000000000FFFF00000100007F:8C7D 00000000000000000000000000000000:0000 06 00000000:00000000 00:00000000 00000000     0        0 3 1 0 100 0 0 10 0
`;

describe('TCP sockets from /proc/net/tcp and tcp6', () => {
  it('reads addresses, ports and states', () => {
    expect(parseProcNetTcp(TCP)).toEqual([
      { local: { address: '0.0.0.0', port: 35963 }, remote: { address: '0.0.0.0', port: 0 }, state: 'LISTEN' },
      { local: { address: '127.0.0.1', port: 35964 }, remote: { address: '0.0.0.0', port: 0 }, state: 'LISTEN' },
      { local: { address: '127.0.0.1', port: 54084 }, remote: { address: '127.0.0.1', port: 35963 }, state: 'ESTABLISHED' },
      { local: { address: '192.0.2.2', port: 35963 }, remote: { address: '0.0.0.0', port: 0 }, state: 'LISTEN' },
    ]);
    expect(parseProcNetTcp(TCP6).map((s) => [formatEndpoint(s.local), s.state])).toEqual([
      ['[0000:0000:0000:0000:0000:0000:0000:0000]:35963', 'LISTEN'],
      ['[0000:0000:0000:0000:0000:0000:0000:0001]:35964', 'LISTEN'],
      ['[0000:0000:0000:0000:0000:ffff:7f00:0001]:35965', '0x06'],
    ]);
  });

  it('tells loopback addresses from the ones other machines reach', () => {
    expect(['127.0.0.1', '127.1.2.3', '0000:0000:0000:0000:0000:0000:0000:0001', '0000:0000:0000:0000:0000:ffff:7f00:0001'].map(isLoopback)).toEqual([true, true, true, true]);
    expect(['0.0.0.0', '192.0.2.2', '0000:0000:0000:0000:0000:0000:0000:0000', 'fd00:0000:0000:0000:0000:0000:0000:0002', '0000:0000:0000:0000:0000:ffff:c000:0202'].map(isLoopback)).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
  });

  it('lists the listeners on given ports that are not on loopback', () => {
    const sockets = [...parseProcNetTcp(TCP), ...parseProcNetTcp(TCP6)];
    expect(exposedListeners([35963, 35964], sockets).map((s) => formatEndpoint(s.local))).toEqual([
      '0.0.0.0:35963',
      '192.0.2.2:35963',
      '[0000:0000:0000:0000:0000:0000:0000:0000]:35963',
    ]);
    expect(exposedListeners([35964], sockets)).toEqual([]);
  });
});
