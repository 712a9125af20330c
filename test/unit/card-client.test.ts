/**
 * The kiosk-side JPKI client against the virtual card in-process: what the kiosk flow and the
 * smartphone-app simulator rely on (identification, PINs, the center-authorized reset, signatures).
 */
import crypto from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { diversifyResetKey, masterKeyFromEnv, resetMac } from '../../native/jpki/reset-mac';
import { verifyResetReceipt } from '../../native/jpki/reset-receipt';
import { directChannel, JpkiClient, JpkiError, parseResetReceipt, RECEIPT_LENGTH, type CardChannel } from '../../electron/jpki';
import { SIMULATOR_AID } from '../../native/jpki/simulator-marker';
import { CardFactory, pinOf } from './card-fixtures';

const cards = new CardFactory();
afterAll(() => cards.cleanup());

/** Records every APDU, so tests can say what was (not) sent to a card. */
function recording(target: { transmit(a: Buffer): Buffer }): { channel: CardChannel; sent: Buffer[] } {
  const sent: Buffer[] = [];
  return {
    sent,
    channel: {
      transmit: async (apdu) => {
        sent.push(apdu);
        return target.transmit(apdu);
      },
    },
  };
}

/** A stand-in for a real card: the same card, minus the simulator-only AP (a real card answers 6A82). */
function withoutSimulatorAp(target: { transmit(a: Buffer): Buffer }): { transmit(a: Buffer): Buffer } {
  return {
    transmit: (apdu) =>
      apdu.subarray(0, 2).equals(Buffer.from([0x00, 0xa4])) && apdu.subarray(5).equals(SIMULATOR_AID) ? Buffer.from([0x6a, 0x82]) : target.transmit(apdu),
  };
}

async function client(persona: Parameters<CardFactory['fresh']>[0]) {
  const { card, store } = await cards.fresh(persona);
  const c = new JpkiClient(directChannel(card));
  return { card, store, c, identity: await c.identify() };
}

function sha256DigestInfo(message: Buffer): Buffer {
  const prefix = Buffer.from('3031300d060960864801650304020105000420', 'hex');
  return Buffer.concat([prefix, crypto.createHash('sha256').update(message).digest()]);
}

function centerMac(cardId: string, kind: 'sign' | 'auth', challenge: Buffer): Buffer {
  return resetMac(diversifyResetKey(masterKeyFromEnv(), cardId), kind, challenge);
}

describe('identification', () => {
  it('a simulator card is identified by its TEST CA issuer and simulator AP, with the auth serial as card id', async () => {
    const { card, c, identity } = await client('adult');
    expect(identity.kind).toBe('simulator');
    expect(identity.cardId).toBe(card.state.cardId);
    expect(identity.authCertificate.issuedByTestCa).toBe(true);
    expect(identity.authCertificate.issuer).toMatch(/kiosk-sim TEST CA/);
    expect(identity.authCertificate.issuer).not.toMatch(/J-LIS$|Japan Agency/);
    expect(c.isProvenSimulator).toBe(true);
  });

  it('a card without the simulator AP is treated as real: no command that could change it, nor a simulator-only one, is sent', async () => {
    const { card } = await cards.fresh('adult');
    const { channel, sent } = recording(withoutSimulatorAp(card));
    const c = new JpkiClient(channel);
    const identity = await c.identify();
    expect(identity.kind).toBe('real');
    const before = sent.length;
    for (const attempt of [
      () => c.verify('auth', '1234'),
      () => c.changePin('auth', '1111'),
      () => c.externalAuthenticate('auth', Buffer.alloc(16)),
      () => c.resetRetryCounter('auth', '1111'),
      () => c.readResetReceipt('auth'),
    ]) {
      await expect(attempt()).rejects.toMatchObject({ code: 'REAL_CARD_READ_ONLY' });
    }
    expect(sent.length).toBe(before);
    // Reading stays possible, so the kiosk can say why it will not go on.
    expect(await c.triesLeft('auth')).toBe(3);
  });

  it('a card answering the simulator AID with something other than 6A82 is still just a real card', async () => {
    const { card } = await cards.fresh('adult');
    for (const answer of ['6A86', '6D00', '6F00']) {
      const odd = {
        transmit: (apdu: Buffer) => (apdu.subarray(5).equals(SIMULATOR_AID) ? Buffer.from(answer, 'hex') : card.transmit(apdu)),
      };
      const c = new JpkiClient(directChannel(odd));
      expect((await c.identify()).kind).toBe('real');
      expect(c.isProvenSimulator).toBe(false);
    }
  });

  it('refuses a card that has no JPKI AP', async () => {
    const c = new JpkiClient(directChannel({ transmit: () => Buffer.from([0x6a, 0x82]) }));
    await expect(c.identify()).rejects.toMatchObject({ code: 'NOT_JPKI' });
  });

  it('reports a dead channel as TRANSPORT with the reader error as cause', async () => {
    const removed = Object.assign(new Error('card removed'), { code: 'CARD_REMOVED' });
    const c = new JpkiClient({ transmit: () => Promise.reject(removed) });
    const err = await c.identify().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(JpkiError);
    expect(err).toMatchObject({ code: 'TRANSPORT', cause: removed });
  });

  it('accepts a channel that answers parsed responses (the PC/SC reader service does)', async () => {
    const { card } = await cards.fresh('adult');
    const c = new JpkiClient({
      transmit: async (apdu) => {
        const raw = card.transmit(apdu);
        return { data: raw.subarray(0, -2), sw: raw.readUInt16BE(raw.length - 2) };
      },
    });
    expect((await c.identify()).kind).toBe('simulator');
  });
});

describe('PINs', () => {
  it('verify: wrong values count down, a right one restores the count, the last wrong one blocks', async () => {
    const { c } = await client('adult');
    expect(await c.verify('auth', '0000')).toEqual({ result: 'wrong', triesLeft: 2 });
    expect(await c.triesLeft('auth')).toBe(2);
    expect(await c.verify('auth', pinOf('adult', 'auth'))).toEqual({ result: 'verified' });
    expect(await c.triesLeft('auth')).toBe(3);
    expect(await c.verify('auth', '0000')).toEqual({ result: 'wrong', triesLeft: 2 });
    expect(await c.verify('auth', '0001')).toEqual({ result: 'wrong', triesLeft: 1 });
    expect(await c.verify('auth', '0002')).toEqual({ result: 'locked' });
    expect(await c.verify('auth', pinOf('adult', 'auth'))).toEqual({ result: 'locked' });
    expect(await c.triesLeft('auth')).toBe(0);
  });

  it('refuses values no keypad would produce before they reach the card', async () => {
    const { card } = await cards.fresh('adult');
    const { channel, sent } = recording(card);
    const c = new JpkiClient(channel);
    await c.identify();
    const before = sent.length;
    for (const [pin, value] of [['auth', '12345'], ['auth', '12a4'], ['sign', 'abc123'], ['sign', 'AB1'], ['text', '']] as const) {
      await expect(c.verify(pin, value)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    }
    expect(sent.length).toBe(before);
  });

  it('changes a password after verifying it', async () => {
    const { c } = await client('adult');
    expect(await c.verify('sign', pinOf('adult', 'sign'))).toEqual({ result: 'verified' });
    await c.changePin('sign', 'NEWPASS9');
    await c.selectAp('jpki');
    expect(await c.verify('sign', 'NEWPASS9')).toEqual({ result: 'verified' });
    await expect(c.changePin('sign', 'NOPE')).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('the four passwords live in their own APs, with their own counters', async () => {
    const { c } = await client('sign-lapsed');
    expect(await c.triesLeft('text')).toBe(3);
    expect(await c.triesLeft('juki')).toBe(3);
    // sign-lapsed's 入力補助 PIN differs from its auth PIN: trying the auth PIN costs a try there.
    expect(await c.verify('text', pinOf('sign-lapsed', 'auth'))).toEqual({ result: 'wrong', triesLeft: 2 });
    expect(await c.triesLeft('auth')).toBe(3);
  });
});

describe("the simulator's center-authorized reset (docs/reset-protocol.md)", () => {
  it('resets a locked signature password with the center MAC: new value, full counter, once', async () => {
    const { c, identity, store } = await client('sign-locked');
    expect(await c.triesLeft('sign')).toBe(0);
    const challenge = await c.getChallenge();
    await c.externalAuthenticate('sign', centerMac(identity.cardId, 'sign', challenge));
    await c.resetRetryCounter('sign', 'FRESH2024');
    // Two writes: the card's count of challenges given out, then the new password.
    expect(store.commits).toHaveLength(2);
    expect(store.commits[0]!.challengesIssued).toBe(1);
    expect(await c.triesLeft('sign')).toBe(5);
    expect(await c.verify('sign', 'FRESH2024')).toEqual({ result: 'verified' });
    // The authorization was single-use.
    await expect(c.resetRetryCounter('sign', 'AGAIN2024')).rejects.toMatchObject({ code: 'SECURITY_STATUS' });
  });

  it('resets a locked auth PIN the same way', async () => {
    const { c, identity } = await client('auth-locked');
    const challenge = await c.getChallenge();
    await c.externalAuthenticate('auth', centerMac(identity.cardId, 'auth', challenge));
    await c.resetRetryCounter('auth', '2468');
    expect(await c.verify('auth', '2468')).toEqual({ result: 'verified' });
  });

  const refusals: Array<[string, (cardId: string, challenge: Buffer) => Buffer, 'sign' | 'auth']> = [
    ['a MAC for the other password', (id, ch) => centerMac(id, 'auth', ch), 'sign'],
    ['a MAC under another card\'s key', (_id, ch) => centerMac('0123456789ABCDEF', 'sign', ch), 'sign'],
    ['a MAC over another challenge', (id) => centerMac(id, 'sign', Buffer.alloc(8)), 'sign'],
    ['a MAC under another master key', (id, ch) => resetMac(diversifyResetKey(Buffer.alloc(32, 7), id), 'sign', ch), 'sign'],
  ];
  it.each(refusals)('refuses %s and changes no password', async (_name, mac, kind) => {
    const { card, c, identity, store } = await client('sign-locked');
    const pinsBefore = card.state.pins;
    const challenge = await c.getChallenge();
    await expect(c.externalAuthenticate(kind, mac(identity.cardId, challenge))).rejects.toMatchObject({ code: 'AUTH_FAILED', sw: 0x6300 });
    await expect(c.resetRetryCounter('sign', 'FRESH2024')).rejects.toMatchObject({ code: 'SECURITY_STATUS' });
    // The one write is the challenge's count; the password and its counter are untouched.
    expect(store.commits).toHaveLength(1);
    expect(store.commits[0]!.pins).toBe(pinsBefore);
    expect(store.commits[0]!.challengesIssued).toBe(1);
    expect(await c.triesLeft('sign')).toBe(0);
  });

  it('refuses a replayed MAC: a new challenge makes the old MAC worthless', async () => {
    const { c, identity } = await client('sign-locked');
    const first = await c.getChallenge();
    const mac = centerMac(identity.cardId, 'sign', first);
    await c.getChallenge();
    await expect(c.externalAuthenticate('sign', mac)).rejects.toMatchObject({ code: 'AUTH_FAILED' });
  });

  it('keeps the authorization through a refused format, so the holder\'s reservation is not wasted', async () => {
    const { card, c, identity } = await client('sign-locked');
    await c.externalAuthenticate('sign', centerMac(identity.cardId, 'sign', await c.getChallenge()));
    // The client refuses a bad value itself; sent raw, the card answers 6A80 and keeps the authorization.
    const raw = Buffer.from('002C029B08' + Buffer.from('ABCDEFGH').toString('hex'), 'hex');
    expect(card.transmit(raw).toString('hex')).toBe('6a80');
    await c.resetRetryCounter('sign', 'GOOD2024');
    expect(await c.verify('sign', 'GOOD2024')).toEqual({ result: 'verified' });
  });

  it('reads the reset receipt: none, then the current challenge and its number (the challenge stays good), then the reset it authorized', async () => {
    const { c, identity } = await client('sign-locked');
    const key = diversifyResetKey(masterKeyFromEnv(), identity.cardId);
    const before = await c.readResetReceipt('sign');
    expect(before).toHaveLength(38);
    expect(verifyResetReceipt(key, 'sign', before)).toEqual({ resetCount: 0, lastChallenge: null, currentChallenge: null, challengeSeq: 0 });
    const challenge = await c.getChallenge();
    const hex = challenge.toString('hex').toUpperCase();
    expect(verifyResetReceipt(key, 'sign', await c.readResetReceipt('sign'))).toEqual({ resetCount: 0, lastChallenge: null, currentChallenge: hex, challengeSeq: 1 });
    expect(verifyResetReceipt(key, 'auth', await c.readResetReceipt('auth'))).toEqual({ resetCount: 0, lastChallenge: null, currentChallenge: hex, challengeSeq: 1 });
    await c.externalAuthenticate('sign', centerMac(identity.cardId, 'sign', challenge));
    await c.resetRetryCounter('sign', 'FRESH2024');
    const after = await c.readResetReceipt('sign');
    expect(verifyResetReceipt(key, 'sign', after)).toEqual({ resetCount: 1, lastChallenge: hex, currentChallenge: null, challengeSeq: 1 });
    expect(parseResetReceipt(after)).toEqual(verifyResetReceipt(key, 'sign', after));
    expect(verifyResetReceipt(key, 'auth', after)).toBeNull();
    expect(verifyResetReceipt(diversifyResetKey(masterKeyFromEnv(), '0123456789ABCDEF'), 'sign', after)).toBeNull();
  });

  it('sends GET RESET RECEIPT only once the card is proven a simulator card, and maps the card\'s refusals', async () => {
    const { card } = await cards.fresh('under15');
    const { channel, sent } = recording(card);
    const c = new JpkiClient(channel);
    await expect(c.readResetReceipt('auth')).rejects.toMatchObject({ code: 'REAL_CARD_READ_ONLY' });
    expect(sent).toHaveLength(0);
    await c.identify();
    expect(await c.readResetReceipt('auth')).toHaveLength(RECEIPT_LENGTH);
    expect(sent.at(-1)?.toString('hex')).toBe('80ca009826');
    await expect(c.readResetReceipt('sign')).rejects.toMatchObject({ code: 'UNEXPECTED_SW', sw: 0x6a88 });
    const short = new JpkiClient(directChannel({ transmit: (apdu) => (apdu[1] === 0xca ? Buffer.from('00019000', 'hex') : card.transmit(apdu)) }));
    await short.identify();
    await expect(short.readResetReceipt('auth')).rejects.toMatchObject({ code: 'BAD_RESPONSE' });
  });

  it('an under-15 card has no signature password to reset', async () => {
    const { c } = await client('under15');
    await c.getChallenge();
    await expect(c.externalAuthenticate('sign', Buffer.alloc(16))).rejects.toMatchObject({ code: 'UNEXPECTED_SW', sw: 0x6a88 });
  });
});

describe('certificates and signatures', () => {
  it('signs a DigestInfo with the auth key; the signature verifies with the auth certificate', async () => {
    const { c, identity } = await client('adult');
    expect(await c.verify('auth', pinOf('adult', 'auth'))).toEqual({ result: 'verified' });
    const message = Buffer.from('マイナポータル login challenge');
    const signature = await c.sign('auth', sha256DigestInfo(message));
    expect(signature).toHaveLength(256);
    expect(crypto.verify('sha256', message, identity.authCertificate.publicKey, signature)).toBe(true);
  });

  it('the signature certificate is readable, and its key usable, only after the signature password', async () => {
    const { c } = await client('adult');
    await expect(c.readCertificate('sign')).rejects.toMatchObject({ code: 'SECURITY_STATUS' });
    await expect(c.sign('sign', sha256DigestInfo(Buffer.from('x')))).rejects.toMatchObject({ code: 'SECURITY_STATUS' });
    expect(await c.verify('sign', pinOf('adult', 'sign'))).toEqual({ result: 'verified' });
    const cert = await c.readCertificate('sign');
    expect(cert.issuer).toMatch(/kiosk-sim TEST CA for digital signature/);
    const message = Buffer.from('e-Tax return');
    const signature = await c.sign('sign', sha256DigestInfo(message));
    expect(crypto.verify('sha256', message, cert.publicKey, signature)).toBe(true);
  });

  it('both certificates chain to their test CA certificates on the card', async () => {
    const { c } = await client('adult');
    expect(await c.verify('sign', pinOf('adult', 'sign'))).toEqual({ result: 'verified' });
    for (const [leaf, ca] of [['auth', 'auth-ca'], ['sign', 'sign-ca']] as const) {
      const leafCert = new crypto.X509Certificate(await c.readCertificateDer(leaf));
      const caCert = new crypto.X509Certificate(await c.readCertificateDer(ca));
      expect(leafCert.checkIssued(caCert)).toBe(true);
      expect(leafCert.verify(caCert.publicKey)).toBe(true);
      expect(caCert.ca).toBe(true);
      expect(caCert.subject).toMatch(/OU=TEST CA - not J-LIS/);
    }
  });
});

describe('text AP', () => {
  it('reads the basic 4 info and the my number with the 入力補助 PIN', async () => {
    const { card, c } = await client('adult');
    expect(await c.readBasicInfo(pinOf('adult', 'text'))).toEqual({
      name: '番号 花子',
      address: card.state.holder.address,
      birthDate: '1985-06-15',
      sex: '2',
    });
    expect(await c.readMyNumber(pinOf('adult', 'text'))).toBe(card.state.holder.myNumber);
  });

  it('a wrong 入力補助 PIN costs a try and reads nothing', async () => {
    const { c } = await client('adult');
    await expect(c.readBasicInfo('0000')).rejects.toMatchObject({ code: 'SECURITY_STATUS' });
    expect(await c.triesLeft('text')).toBe(2);
  });
});
