/**
 * The CardReader / CardSession ports on the PC/SC reader service (native/pcsc) and the JPKI client
 * (electron/jpki). The JPKI client is the second guard for real cards: it refuses every changing
 * command until it has identified a simulator card, whatever the core does.
 *
 * What a real kiosk would learn from the center or the card face (card expiry, a certificate that
 * lapsed after a move, the signature certificate's expiry) the simulator card carries in its
 * simulator-only AP; the JPKI client reads it into the card profile.
 */
import type { ReaderStatus } from '../../contract/kiosk';
import type { ResetKind } from '../../domain/passwords';
import { certificateState, JpkiClient, JpkiError, type CardChannel as JpkiChannel, type CardProfile } from '../../jpki';
import { isPcscError, type PcscReaderService, type ReaderState } from '../../../native/pcsc';
import { CardError, type CardInfo, type CardReader, type CardSession, type VerifyOutcome } from '../ports';

const JST_OFFSET_MS = 9 * 3600_000;

/** The reader as the place-card screen shows it. */
export function readerStatusOf(state: ReaderState): ReaderStatus {
  switch (state.status) {
    case 'starting':
    case 'pcscd-unavailable':
    case 'closed':
      return { state: 'unavailable', name: null };
    case 'no-reader':
      return { state: 'no-reader', name: null };
    case 'no-card':
      return { state: 'empty', name: state.reader };
    case 'card-mute':
    case 'card-present':
    case 'connected':
      // A mute card is on the reader too: reading it fails and the core says so.
      return { state: 'card-present', name: state.reader };
  }
}

/** End of the printed expiry day (the card is valid through that day), Japan time. */
export function endOfJstDay(isoDate: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  if (!m) return null;
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + 1) - JST_OFFSET_MS;
}

/** CardInfo from what the JPKI client read, at simulated time `now`. */
export function cardInfoOf(profile: CardProfile, now: number): CardInfo {
  const id = profile.identity;
  return {
    isMyNumberCard: true,
    isSimulatorCard: id.kind === 'simulator',
    cardId: id.cardId,
    cardExpiresAt: profile.cardExpiry === undefined ? null : endOfJstDay(profile.cardExpiry),
    certificates: { auth: certificateState(profile.certificates.auth, now), sign: certificateState(profile.certificates.sign, now) },
    triesLeft: { auth: profile.triesLeft.auth, sign: profile.triesLeft.sign },
  };
}

const NOT_A_MY_NUMBER_CARD: CardInfo = {
  isMyNumberCard: false,
  isSimulatorCard: false,
  cardId: null,
  cardExpiresAt: null,
  certificates: { auth: 'absent', sign: 'absent' },
  triesLeft: { auth: 0, sign: 0 },
};

/** The port's error for a JPKI client or reader service failure. */
export function cardErrorOf(err: unknown): CardError {
  if (err instanceof CardError) return err;
  const pcsc = err instanceof JpkiError && err.code === 'TRANSPORT' ? err.cause : err;
  if (isPcscError(pcsc)) {
    switch (pcsc.code) {
      case 'CARD_REMOVED':
      case 'CARD_RESET':
      case 'NO_CARD':
      case 'CHANNEL_CLOSED':
        return new CardError('CARD_REMOVED', pcsc.message, { cause: err });
      case 'PCSCD_NOT_RUNNING':
      case 'PCSC_LIBRARY_MISSING':
      case 'NO_READER':
      case 'READER_REMOVED':
      case 'SERVICE_CLOSED':
        return new CardError('READER_UNAVAILABLE', pcsc.message, { cause: err });
      default:
        return new CardError('CARD_ERROR', pcsc.message, { cause: err });
    }
  }
  if (err instanceof JpkiError) {
    switch (err.code) {
      case 'REAL_CARD_READ_ONLY':
        return new CardError('NOT_SIMULATOR_CARD', err.message, { cause: err });
      // The card answered with an error status, or the client refused to send: no effect.
      case 'AUTH_FAILED':
      case 'CONDITIONS_NOT_SATISFIED':
      case 'WRONG_DATA':
      case 'MEMORY_FAILURE':
      case 'SECURITY_STATUS':
      case 'PIN_LOCKED':
      case 'INVALID_INPUT':
        return new CardError('CARD_REFUSED', err.message, { cause: err });
      default:
        return new CardError('CARD_ERROR', err.message, { cause: err });
    }
  }
  return new CardError('CARD_ERROR', err instanceof Error ? err.message : String(err), { cause: err });
}

async function mapped<T>(p: Promise<T>): Promise<T> {
  try {
    return await p;
  } catch (err) {
    throw cardErrorOf(err);
  }
}

/** A channel the JPKI client can use, and that can be released. */
export interface ReleasableChannel extends JpkiChannel {
  disconnect(): Promise<void>;
}

export class JpkiCardSession implements CardSession {
  readonly #client: JpkiClient;

  constructor(
    private readonly channel: ReleasableChannel,
    private readonly now: () => number,
  ) {
    this.#client = new JpkiClient(channel);
  }

  async readCardInfo(): Promise<CardInfo> {
    try {
      return cardInfoOf(await this.#client.readCardProfile(), this.now());
    } catch (err) {
      if (err instanceof JpkiError && err.code === 'NOT_JPKI') return NOT_A_MY_NUMBER_CARD;
      throw cardErrorOf(err);
    }
  }

  async verify(password: ResetKind, value: string): Promise<VerifyOutcome> {
    return mapped(this.#client.verify(password, value));
  }

  getChallenge(): Promise<Uint8Array> {
    return mapped(this.#client.getChallenge());
  }

  readResetReceipt(kind: ResetKind): Promise<Uint8Array> {
    return mapped(this.#client.readResetReceipt(kind));
  }

  externalAuthenticate(kind: ResetKind, mac: Uint8Array): Promise<void> {
    return mapped(this.#client.externalAuthenticate(kind, mac));
  }

  resetRetryCounter(kind: ResetKind, newValue: string): Promise<void> {
    return mapped(this.#client.resetRetryCounter(kind, newValue));
  }

  async close(): Promise<void> {
    await this.channel.disconnect().catch(() => undefined);
  }
}

/** What the adapter uses of the reader service (PcscReaderService has it; tests pass a stand-in). */
export interface ReaderServiceLike {
  readonly state: ReaderState;
  on(event: 'state', listener: (state: ReaderState) => void): unknown;
  off(event: 'state', listener: (state: ReaderState) => void): unknown;
  connect(): Promise<ReleasableChannel>;
}
const _pcscFits: PcscReaderService extends ReaderServiceLike ? true : never = true;
void _pcscFits;

export class PcscCardReader implements CardReader {
  constructor(
    private readonly service: ReaderServiceLike,
    /** The simulated clock: certificate and card expiry are judged against it. */
    private readonly now: () => number,
  ) {}

  status(): ReaderStatus {
    return readerStatusOf(this.service.state);
  }

  onStatus(listener: (s: ReaderStatus) => void): () => void {
    let last = JSON.stringify(this.status());
    const handler = (state: ReaderState) => {
      const s = readerStatusOf(state);
      // 'card-present' → 'connected' is the same for the kiosk: only real changes go out.
      const key = JSON.stringify(s);
      if (key === last) return;
      last = key;
      listener(s);
    };
    this.service.on('state', handler);
    return () => {
      this.service.off('state', handler);
    };
  }

  async open(): Promise<CardSession> {
    const channel = await mapped(this.service.connect());
    return new JpkiCardSession(channel, this.now);
  }
}
