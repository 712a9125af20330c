/**
 * Interoperability with software we did not write: Debian's OpenSC (0.23) must treat the virtual
 * card as a JPKI card, as it would a real one, with its default configuration.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadCard, type LoadedCard } from '../../native/card/card-module';
import { ATR } from '../../native/jpki/constants';
import { createCard } from '../../native/card/issue';
import type { PersonaId } from '../../native/card/personas';
import { ensurePcscd } from '../../native/pcscd/pcscd';
import type { PcscReaderService } from '../../native/pcsc/reader-service';
import type { VpcdCardConnection } from '../../native/vpcd/transport';
import type { VirtualCard } from '../../native/vpcd/virtual-card';
import { CARD_READER, insertInProcess, openCardService, removeInProcess, run } from './card-helpers';

const PKCS11_MODULE = '/usr/lib/x86_64-linux-gnu/pkcs11/opensc-pkcs11.so';
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiosk-sim-opensc-'));
let svc: PcscReaderService;
let inserted: { card: LoadedCard; conn: VpcdCardConnection } | undefined;

beforeAll(async () => {
  await ensurePcscd({ logFile: '/tmp/kiosk-sim-pcscd-test.log' });
  svc = openCardService();
});

afterEach(async () => {
  if (inserted) {
    await removeInProcess(svc, inserted.conn);
    inserted.card.release();
    inserted = undefined;
  }
});

afterAll(async () => {
  await svc.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A fresh card of `persona`, persisting to its file, inserted into slot 1 from this process. */
async function insertPersona(persona: PersonaId): Promise<LoadedCard> {
  const { file } = await createCard(persona, { dir });
  const card = loadCard(file);
  inserted = { card, conn: await insertInProcess(svc, card) };
  return card;
}

const reader = ['--reader', CARD_READER];

async function pkcs15(...args: string[]) {
  return run('pkcs15-tool', [...reader, ...args]);
}

/** Tries left per PIN label, from `pkcs15-tool --list-pins`. */
async function listedTries(): Promise<Record<string, number>> {
  const r = await pkcs15('--list-pins');
  expect(r.code, r.stderr).toBe(0);
  const out: Record<string, number> = {};
  for (const m of r.stdout.matchAll(/PIN \[([^\]]+)\][\s\S]*?Tries left\s*:\s*(\d+)/g)) out[m[1]!] = Number(m[2]);
  return out;
}

/** The PKCS#11 slot id of our reader's token with this label (slot 0's reader may hold other cards). */
async function pkcs11Slot(tokenLabel: string): Promise<string> {
  const r = await run('pkcs11-tool', ['--module', PKCS11_MODULE, '--list-slots']);
  for (const block of r.stdout.split(/\n(?=Slot )/)) {
    const m = /^Slot \d+ \((0x[0-9a-f]+)\): (.*)$/m.exec(block);
    if (m && m[2]!.startsWith(CARD_READER) && block.includes(`token label        : ${tokenLabel}`)) return m[1]!;
  }
  throw new Error(`no PKCS#11 slot with token ${tokenLabel} in ${CARD_READER}:\n${r.stdout}`);
}

function certOf(card: LoadedCard, which: 'auth' | 'sign'): crypto.X509Certificate {
  return new crypto.X509Certificate(Buffer.from(card.state.certificates[which].cert!, 'base64'));
}

describe('OpenSC 0.23 with its default configuration', () => {
  it('opensc-tool identifies the card as jpki', async () => {
    await insertPersona('adult');
    const name = await run('opensc-tool', [...reader, '--name']);
    expect(name.stdout.trim()).toBe('jpki');
    const atr = await run('opensc-tool', [...reader, '--atr']);
    expect(atr.stdout.trim()).toBe('3b:e0:00:ff:81:31:fe:45:14');
  });

  it('is recognised by its answers alone: with a real My Number card ATR that OpenSC has no entry for, every driver probes and jpki wins', async () => {
    const { file } = await createCard('adult', { dir });
    const card = loadCard(file);
    // Same card, other ATR: OpenSC's drivers before jpki send their probe APDUs (PIV, openpgp, …);
    // the card answers 6A82 to their AIDs like a real card, so only jpki's AID probe succeeds.
    const asRealAtr: VirtualCard = {
      atr: ATR.MY_NUMBER_CONTACT_2017,
      powerOn: () => card.powerOn(),
      powerOff: () => card.powerOff(),
      reset: () => card.reset(),
      transmit: (apdu) => card.transmit(apdu),
    };
    inserted = { card, conn: await insertInProcess(svc, asRealAtr) };
    const name = await run('opensc-tool', [...reader, '--name']);
    expect(name.stdout.trim()).toBe('jpki');
    expect(await listedTries()).toEqual({ 'User Authentication PIN': 3, 'Digital Signature PIN': 5 });
  });

  it('pkcs15-tool lists both JPKI PINs with their tries left and the four certificates', async () => {
    const card = await insertPersona('adult');
    const r = await pkcs15('--list-pins', '--list-certificates');
    expect(r.code, r.stderr).toBe(0);
    for (const label of ['User Authentication Certificate', 'Digital Signature Certificate', 'User Authentication Certificate CA', 'Digital Signature Certificate CA']) {
      expect(r.stdout).toContain(`X.509 Certificate [${label}]`);
    }
    // The auth certificate's serial is the card id.
    expect(r.stdout).toMatch(new RegExp(`Encoded serial : 02 08 ${card.state.cardId}`));
    expect(await listedTries()).toEqual({ 'User Authentication PIN': 3, 'Digital Signature PIN': 5 });
  });

  it('reads the signature certificate only with the signature password', async () => {
    const card = await insertPersona('adult');
    const without = await pkcs15('--read-certificate', '02');
    expect(without.code).not.toBe(0);
    expect(without.stdout).not.toContain('BEGIN CERTIFICATE');
    const withPin = await pkcs15('--read-certificate', '02', '--auth-id', '02', '--verify-pin', '--pin', 'ABC123');
    expect(withPin.code, withPin.stderr).toBe(0);
    expect(new crypto.X509Certificate(withPin.stdout).raw.equals(certOf(card, 'sign').raw)).toBe(true);
  });

  it('pkcs11-tool logs in with the auth PIN and signs; the signature verifies with the auth certificate (openssl)', async () => {
    const card = await insertPersona('adult');
    const work = fs.mkdtempSync(path.join(dir, 'sig-'));
    const msg = path.join(work, 'msg.bin');
    const sig = path.join(work, 'sig.bin');
    const pub = path.join(work, 'auth.pub.pem');
    fs.writeFileSync(msg, 'マイナポータル login, 2026');
    const slotId = await pkcs11Slot('JPKI (User Authentication PIN)');
    const s = await run('pkcs11-tool', ['--module', PKCS11_MODULE, '--slot', slotId, '--login', '--pin', '1234', '--sign', '--id', '01', '-m', 'SHA256-RSA-PKCS', '--input-file', msg, '--output-file', sig]);
    expect(s.code, s.stderr).toBe(0);
    // The public key OpenSC reads from the card (auth certificate 01), verified by openssl.
    const cert = await pkcs15('--read-certificate', '01');
    fs.writeFileSync(pub, new crypto.X509Certificate(cert.stdout).publicKey.export({ type: 'spki', format: 'pem' }));
    const v = await run('openssl', ['dgst', '-sha256', '-verify', pub, '-signature', sig, msg]);
    expect(v.stdout.trim()).toBe('Verified OK');
    expect(crypto.verify('sha256', fs.readFileSync(msg), certOf(card, 'auth').publicKey, fs.readFileSync(sig))).toBe(true);
  });

  it('wrong PINs decrement the counters the next listing shows, and are on the card file', async () => {
    const card = await insertPersona('adult');
    const slotId = await pkcs11Slot('JPKI (User Authentication PIN)');
    const bad = await run('pkcs11-tool', ['--module', PKCS11_MODULE, '--slot', slotId, '--login', '--pin', '9999', '--list-objects']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr + bad.stdout).toMatch(/CKR_PIN_INCORRECT/);
    const badSign = await pkcs15('--auth-id', '02', '--verify-pin', '--pin', 'WRONG99', '--list-pins');
    expect(badSign.stdout + badSign.stderr).toMatch(/incorrect|PIN code verification failed/i);
    expect(await listedTries()).toEqual({ 'User Authentication PIN': 2, 'Digital Signature PIN': 4 });
    expect(card.state.pins.auth?.triesLeft).toBe(2);
    expect(card.state.pins.sign?.triesLeft).toBe(4);
  });

  it('lists a blocked password with 0 tries left, and still binds', async () => {
    await insertPersona('sign-locked');
    expect(await listedTries()).toEqual({ 'User Authentication PIN': 3, 'Digital Signature PIN': 0 });
  });

  it('binds an under-15 card (no signature certificate) and lists its auth certificate', async () => {
    const card = await insertPersona('under15');
    const r = await pkcs15('--list-certificates');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`Encoded serial : 02 08 ${card.state.cardId}`));
    expect(await listedTries()).toEqual({ 'User Authentication PIN': 3, 'Digital Signature PIN': 0 });
  });
});
