/**
 * Connects a VirtualCard to vpcd (the vsmartcard PC/SC driver loaded by pcscd) over TCP.
 *
 * Inserting a virtual card = opening this connection; removing it = closing it. pcscd then sees the
 * card appear and disappear in the reader "Virtual PCD 00 0<slot>" exactly as a physical card would,
 * so the kiosk's code path is the same for both.
 */
import net from 'node:net';
import { EventEmitter } from 'node:events';
import { encodeFrame, FrameDecoder, VPCD_DEFAULT_PORT } from './framing';
import type { VirtualCard } from './virtual-card';
import { APDU_HEADER_LENGTH, encodeResponse } from '../apdu/apdu';
import { SW } from '../apdu/status';
import { armQuickAck } from '../quickack/quickack';

export interface VpcdConnectOptions {
  host?: string;
  /** TCP port of the slot; defaults to 35963 + slot. */
  port?: number;
  /** 0 or 1: Debian's vpcd offers two slots. */
  slot?: number;
  /** How long to keep trying while vpcd is not listening yet (pcscd starting). Default 0: one try. */
  retryForMs?: number;
  /** Disable the quick-ACK workaround (only to measure what it buys). */
  quickAck?: boolean;
}

export class VpcdConnectionError extends Error {
  constructor(
    readonly code: 'VPCD_UNREACHABLE' | 'VPCD_CLOSED',
    message: string,
  ) {
    super(message);
    this.name = 'VpcdConnectionError';
  }
}

/**
 * Virtual slots on one pcscd: Debian's pcscd holds at most 16 readers (PCSCLITE_MAX_READERS_CONTEXTS),
 * and each vpcd entry of its reader.conf gives two. Debian's own configuration has one entry (slots
 * 0 and 1); the classroom's (native/pcscd/reader-config.ts) has eight.
 */
export const MAX_VPCD_SLOTS = 16;

/**
 * The reader name pcscd gives a vpcd slot. Slots 0 and 1 are Debian's entry, FRIENDLYNAME
 * "Virtual PCD"; each further pair is an entry of its own name ("Virtual PCD 01" for slots 2 and 3):
 * pcscd numbers two entries of the same name alike, so distinct names keep every reader distinct.
 */
export function virtualReaderName(slot: number): string {
  slotPort(slot);
  const pair = slot >> 1;
  return pair === 0 ? `Virtual PCD 00 0${slot}` : `Virtual PCD ${String(pair).padStart(2, '0')} 00 0${slot & 1}`;
}

/** The TCP port on which vpcd waits for the card of `slot` (an entry's CHANNELID is its first slot's). */
export function slotPort(slot: number): number {
  if (!Number.isInteger(slot) || slot < 0 || slot >= MAX_VPCD_SLOTS) throw new RangeError(`vpcd slot must be 0 to ${MAX_VPCD_SLOTS - 1}, got ${slot}`);
  return VPCD_DEFAULT_PORT + slot;
}

export interface VpcdEvents {
  /** pcscd powered the card on/off or reset it. */
  control: [control: 'power-on' | 'power-off' | 'reset' | 'get-atr'];
  apdu: [command: Buffer, response: Buffer];
  /** The connection ended (removed by us or by vpcd going away). */
  closed: [reason: 'removed' | 'vpcd-gone'];
  error: [error: Error];
}

/** A virtual card sitting in a vpcd slot. `remove()` takes it out. */
export class VpcdCardConnection extends EventEmitter<VpcdEvents> {
  private removed = false;
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly socket: net.Socket,
    private readonly card: VirtualCard,
    private readonly useQuickAck: boolean,
  ) {
    super();
    const decoder = new FrameDecoder();
    socket.setNoDelay(true);
    socket.on('data', (chunk) => {
      if (this.useQuickAck) armQuickAck(socket);
      for (const msg of decoder.push(chunk)) {
        // Messages are handled strictly in order; vpcd sends the next one only after our reply.
        this.chain = this.chain.then(() => this.handle(msg)).catch((err: unknown) => {
          this.emit('error', err instanceof Error ? err : new Error(String(err)));
        });
      }
    });
    socket.on('close', () => {
      this.emit('closed', this.removed ? 'removed' : 'vpcd-gone');
    });
    socket.on('error', () => {
      /* 'close' follows; a reset by vpcd is reported there. */
    });
  }

  private async handle(msg: ReturnType<FrameDecoder['push']>[number]): Promise<void> {
    if (msg.kind === 'control') {
      this.emit('control', msg.control);
      switch (msg.control) {
        case 'power-on':
          this.card.powerOn();
          return;
        case 'power-off':
          this.card.powerOff();
          return;
        case 'reset':
          this.card.reset();
          return;
        case 'get-atr':
          this.write(this.card.atr);
          return;
      }
    }
    const response = await this.answer(msg.apdu);
    this.emit('apdu', msg.apdu, response);
    this.write(response);
  }

  private async answer(apdu: Buffer): Promise<Buffer> {
    // vpcd holds the reader until an APDU is answered: one shorter than its header is answered
    // here, whatever the card would make of it.
    if (apdu.length < APDU_HEADER_LENGTH) return encodeResponse(undefined, SW.WRONG_LENGTH);
    try {
      return await this.card.transmit(apdu);
    } catch (err) {
      // A card bug must not hang pcscd: answer like a card with no precise diagnosis.
      this.emit('error', err instanceof Error ? err : new Error(String(err)));
      return encodeResponse(undefined, SW.NO_PRECISE_DIAGNOSIS);
    }
  }

  private write(payload: Uint8Array): void {
    if (this.socket.destroyed) return;
    this.socket.write(encodeFrame(payload));
    // Sending right after receiving puts Linux back in delayed-ACK ("pingpong") mode; leaving it
    // now lets the kernel ACK vpcd's next length prefix as soon as libuv reads it, before our
    // JavaScript runs, so vpcd's Nagle-held payload follows sooner.
    if (this.useQuickAck) armQuickAck(this.socket);
  }

  get connected(): boolean {
    return !this.socket.destroyed;
  }

  /** Resolves when the card has finished the messages received so far (e.g. before exiting). */
  whenIdle(): Promise<void> {
    return this.chain;
  }

  /** Takes the card out of the reader. Resolves when the socket is closed. */
  async remove(): Promise<void> {
    if (this.socket.destroyed) return;
    this.removed = true;
    await new Promise<void>((resolve) => {
      this.socket.once('close', () => resolve());
      this.socket.end();
      // vpcd may not close its side promptly; do not wait on it.
      setTimeout(() => this.socket.destroy(), 200).unref();
    });
  }
}

function connectOnce(host: string, port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.createConnection({ host, port });
    const onError = (err: Error) => {
      s.destroy();
      reject(err);
    };
    s.once('error', onError);
    s.once('connect', () => {
      s.off('error', onError);
      resolve(s);
    });
  });
}

/** Inserts `card` into a vpcd slot. */
export async function insertVirtualCard(card: VirtualCard, opts: VpcdConnectOptions = {}): Promise<VpcdCardConnection> {
  const host = opts.host ?? '127.0.0.1';
  const port = opts.port ?? slotPort(opts.slot ?? 0);
  const deadline = Date.now() + (opts.retryForMs ?? 0);
  for (;;) {
    try {
      const socket = await connectOnce(host, port);
      return new VpcdCardConnection(socket, card, opts.quickAck ?? true);
    } catch (err) {
      if (Date.now() >= deadline) {
        const why = err instanceof Error ? err.message : String(err);
        throw new VpcdConnectionError(
          'VPCD_UNREACHABLE',
          `cannot reach vpcd at ${host}:${port} (${why}); is pcscd running with vsmartcard-vpcd installed?`,
        );
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
