/**
 * A training card that presents itself as one the kiosk must refuse (native/card/presentation.ts):
 * the slot daemon's entry point wraps the card as its file says, the kiosk's JPKI client then sees
 * a real card (and refuses to change it), no My Number card, or a card whose reads fail — and a
 * card file with a presentation the card does not know is refused.
 */
import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { directChannel, JpkiClient, JpkiError } from '../../electron/jpki';
import { readCardFile, serializeCardFile, writeFileAtomic } from '../../native/card/card-file';
import { createVirtualCard } from '../../native/card/card-module';
import { CardFileError, validateCardFile } from '../../native/card/card-state';
import { createCardFrom } from '../../native/card/issue';
import { PERSONAS } from '../../native/card/personas';
import type { CardPresentation } from '../../native/card/presentation';
import { tempCardDir } from './card-fixtures';

const dir = tempCardDir('card-presentation-');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function cardPresentedAs(how: CardPresentation | undefined, name: string) {
  const { file, state } = await createCardFrom(PERSONAS.adult, { dir, name });
  if (how !== undefined) writeFileAtomic(file, serializeCardFile({ ...state, presentAs: how }));
  const card = await createVirtualCard(file);
  card.powerOn();
  return { card, client: new JpkiClient(directChannel(card)), file };
}

describe('how a card presents itself', () => {
  it('ordinary: identified as a simulator card', async () => {
    const { card, client } = await cardPresentedAs(undefined, 'plain');
    expect((await client.identify()).kind).toBe('simulator');
    card.release();
  });

  it('real-card: identified as a real card, and every changing command is refused before it is sent', async () => {
    const { card, client } = await cardPresentedAs('real-card', 'real');
    expect((await client.identify()).kind).toBe('real');
    await expect(client.verify('auth', '1234')).rejects.toMatchObject({ code: 'REAL_CARD_READ_ONLY' });
    await expect(client.externalAuthenticate('sign', Buffer.alloc(16))).rejects.toMatchObject({ code: 'REAL_CARD_READ_ONLY' });
    await expect(client.resetRetryCounter('sign', 'NEWPASS1')).rejects.toMatchObject({ code: 'REAL_CARD_READ_ONLY' });
    await expect(client.readResetReceipt('sign')).rejects.toMatchObject({ code: 'REAL_CARD_READ_ONLY' });
    card.release();
  });

  it('other-ic-card: no JPKI application', async () => {
    const { card, client } = await cardPresentedAs('other-ic-card', 'transit');
    await expect(client.readCardProfile()).rejects.toMatchObject({ code: 'NOT_JPKI' });
    card.release();
  });

  it('faulty-card: reads fail with an unexpected status', async () => {
    const { card, client } = await cardPresentedAs('faulty-card', 'faulty');
    const err = await client.readCardProfile().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(JpkiError);
    expect(err).toMatchObject({ code: 'UNEXPECTED_SW', sw: 0x6f00 });
    card.release();
  });

  it('a presentation the card does not know makes the file invalid', async () => {
    const { file } = await cardPresentedAs(undefined, 'odd');
    const raw = { ...readCardFile(file), presentAs: 'passport' };
    expect(() => validateCardFile(raw, 'odd')).toThrow(CardFileError);
    expect(() => validateCardFile(raw, 'odd')).toThrow('odd.presentAs must be one of real-card, other-ic-card, faulty-card');
  });
});
