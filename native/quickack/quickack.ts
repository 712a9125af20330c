/**
 * Loads the quick-ACK addon (see quickack.c for why it exists) and applies it to Node sockets.
 * If the addon is missing (not built yet), everything still works, only ~40 ms slower per APDU
 * through Debian's vpcd; `quickAckAvailable` says which case we are in.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type net from 'node:net';

interface QuickAckAddon {
  quickAck(fd: number): void;
  noDelay(fd: number): void;
}

const here = path.dirname(fileURLToPath(import.meta.url));

function load(): QuickAckAddon | undefined {
  const require = createRequire(import.meta.url);
  for (const candidate of [
    path.join(here, 'build', 'Release', 'quickack.node'),
    path.join(here, '..', '..', 'native', 'quickack', 'build', 'Release', 'quickack.node'),
  ]) {
    try {
      return require(candidate) as QuickAckAddon;
    } catch {
      /* try the next location */
    }
  }
  return undefined;
}

const addon = process.platform === 'linux' ? load() : undefined;

export const quickAckAvailable = addon !== undefined;

/** The OS file descriptor behind a connected Node TCP socket (Unix only). */
function socketFd(socket: net.Socket): number | undefined {
  const handle = (socket as unknown as { _handle?: { fd?: number } })._handle;
  return typeof handle?.fd === 'number' && handle.fd >= 0 ? handle.fd : undefined;
}

/** Re-arms TCP_QUICKACK; Linux clears it by itself, so call after every read. */
export function armQuickAck(socket: net.Socket): void {
  if (!addon) return;
  const fd = socketFd(socket);
  if (fd !== undefined) addon.quickAck(fd);
}
