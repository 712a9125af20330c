/**
 * The phone's reader as a phone has it: NFC, not PC/SC. The card runs in this process, loaded from
 * its file with the file's lock (so it cannot be on a kiosk's reader at the same time), and the
 * booking flow talks to it through the same JPKI client as over a reader.
 *
 * Why not a vpcd slot as the single kiosk uses: a classroom's pcscd holds sixteen readers, one per
 * station's kiosk, and a smartphone never used PC/SC. Each station gets a phone of its own, so a
 * trainee's card never lands on another trainee's reader.
 */
import path from 'node:path';
import { JpkiBookingCard } from '../booking/jpki-card';
import type { BookingCard } from '../booking/ports';
import { directChannel, JpkiClient } from '../jpki';
import { CardFileError } from '../../native/card/card-state';
import { loadCard, type LoadedCard } from '../../native/card/card-module';
import { PhoneReaderError, type PhoneReader } from './app-simulator';

export class NfcPhoneReader implements PhoneReader {
  readonly name: string;
  #card: LoadedCard | undefined;

  constructor(name: string) {
    this.name = name;
  }

  async place(cardFile: string): Promise<void> {
    await this.remove();
    try {
      this.#card = loadCard(cardFile);
    } catch (err) {
      if (err instanceof CardFileError && err.code === 'CARD_FILE_LOCKED') throw new PhoneReaderError('card-in-use', `${path.basename(cardFile)} is in use`);
      throw new PhoneReaderError('failed', err instanceof Error ? err.message : String(err));
    }
  }

  card(): BookingCard {
    const client = new JpkiClient({
      transmit: async (apdu) => {
        const card = this.#card;
        if (card === undefined) throw new Error(`no card on ${this.name}`);
        return directChannel(card).transmit(apdu);
      },
    });
    return new JpkiBookingCard(client);
  }

  async remove(): Promise<void> {
    this.#card?.release();
    this.#card = undefined;
  }

  async close(): Promise<void> {
    await this.remove();
  }
}
