/**
 * Keys and X.509 certificates for simulator cards, under the simulator's own TEST CAs.
 *
 * Two CAs, as on real cards (a user-authentication CA and a digital-signature CA), each clearly a
 * test CA: "kiosk-sim TEST CA …, not J-LIS" (see simulator-marker.ts). Their keys are made on first
 * use and kept, sealed, in `<card dir>/test-ca.json`, so every card of one card directory chains
 * to the same two CAs. Every card gets its own RSA-2048 key pairs.
 */
// @peculiar/x509 resolves its algorithms through tsyringe, which needs a Reflect polyfill loaded first.
import 'reflect-metadata';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import * as x509 from '@peculiar/x509';
import { TEST_CA_NAME_PREFIX } from '../jpki/simulator-marker';
import type { SimulatorKey } from './simulator-key';
import { CardFileError } from './card-state';
import { writeFileAtomic } from './card-file';

type CryptoKey = crypto.webcrypto.CryptoKey;
type CryptoKeyPair = crypto.webcrypto.CryptoKeyPair;

const subtle = crypto.webcrypto.subtle;
x509.cryptoProvider.set(crypto.webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

const RSA: crypto.webcrypto.RsaHashedKeyGenParams = {
  name: 'RSASSA-PKCS1-v1_5',
  modulusLength: 2048,
  publicExponent: new Uint8Array([1, 0, 1]),
  hash: 'SHA-256',
};

export type CaKind = 'auth' | 'sign';

export const TEST_CA_FILE = 'test-ca.json';
const TEST_CA_FORMAT = 'kiosk-sim/test-ca@1';

export const TEST_CA_SUBJECT: Readonly<Record<CaKind, string>> = {
  auth: `CN=${TEST_CA_NAME_PREFIX} for user authentication, OU=TEST CA - not J-LIS, O=kiosk-sim simulator, C=JP`,
  sign: `CN=${TEST_CA_NAME_PREFIX} for digital signature, OU=TEST CA - not J-LIS, O=kiosk-sim simulator, C=JP`,
};

export interface TestCa {
  readonly kind: CaKind;
  readonly certDer: Buffer;
  readonly cert: x509.X509Certificate;
  readonly privateKey: CryptoKey;
}

export type TestCas = Readonly<Record<CaKind, TestCa>>;

export async function generateRsaKeyPair(): Promise<CryptoKeyPair> {
  return subtle.generateKey(RSA, true, ['sign', 'verify']);
}

export async function exportPkcs8(key: CryptoKey): Promise<Buffer> {
  return Buffer.from(await subtle.exportKey('pkcs8', key));
}

async function importSigningKey(pkcs8: Uint8Array): Promise<CryptoKey> {
  return subtle.importKey('pkcs8', pkcs8, RSA, false, ['sign']);
}

/** A positive serial of `bytes` bytes whose first byte is 0x10–0x7F, so its hex never loses a digit. */
function randomSerialHex(bytes: number): string {
  const b = crypto.randomBytes(bytes);
  b[0] = 0x10 + (b[0]! % 0x70);
  return b.toString('hex').toUpperCase();
}

const CA_NOT_BEFORE = new Date(Date.UTC(2010, 0, 1));
const CA_NOT_AFTER = new Date(Date.UTC(2060, 0, 1));

async function createCa(kind: CaKind): Promise<{ certDer: Buffer; pkcs8: Buffer }> {
  const keys = await generateRsaKeyPair();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerialHex(8),
    name: TEST_CA_SUBJECT[kind],
    notBefore: CA_NOT_BEFORE,
    notAfter: CA_NOT_AFTER,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { certDer: Buffer.from(cert.rawData), pkcs8: await exportPkcs8(keys.privateKey) };
}

interface TestCaFile {
  format: typeof TEST_CA_FORMAT;
  notice: string;
  auth: { cert: string; key: string };
  sign: { cert: string; key: string };
}

const caAad = (kind: CaKind) => `kiosk-sim test CA ${kind}`;

/** Loads the directory's test CAs, creating them on first use (safe against a concurrent creator). */
export async function loadOrCreateTestCas(dir: string, simKey: SimulatorKey): Promise<TestCas> {
  const file = path.join(dir, TEST_CA_FILE);
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const [auth, sign] = await Promise.all([createCa('auth'), createCa('sign')]);
    const content: TestCaFile = {
      format: TEST_CA_FORMAT,
      notice: 'kiosk-sim TEST CAs: for simulator cards only, never a real certification authority',
      auth: { cert: auth.certDer.toString('base64'), key: simKey.seal(auth.pkcs8, caAad('auth')) },
      sign: { cert: sign.certDer.toString('base64'), key: simKey.seal(sign.pkcs8, caAad('sign')) },
    };
    try {
      writeFileAtomic(file, Buffer.from(JSON.stringify(content, null, 2) + '\n'), undefined, { exclusive: true });
    } catch (err) {
      // Another process made them first: use theirs, so all cards share one pair of CAs.
      if (!(err instanceof CardFileError && err.code === 'CARD_FILE_EXISTS')) throw err;
    }
  }
  const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as TestCaFile;
  if (parsed.format !== TEST_CA_FORMAT) throw new CardFileError('CARD_FILE_INVALID', `${file} is not a kiosk-sim test CA file`);
  const load = async (kind: CaKind): Promise<TestCa> => {
    const certDer = Buffer.from(parsed[kind].cert, 'base64');
    return {
      kind,
      certDer,
      cert: new x509.X509Certificate(certDer),
      privateKey: await importSigningKey(simKey.unseal(parsed[kind].key, caAad(kind))),
    };
  };
  const [auth, sign] = await Promise.all([load('auth'), load('sign')]);
  return { auth, sign };
}

export interface IssuedCertificate {
  readonly certDer: Buffer;
  readonly serialHex: string;
  readonly pkcs8: Buffer;
}

export interface IssueParams {
  readonly kind: CaKind;
  readonly ca: TestCa;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** For the CN; real JPKI certificates carry no readable name in the auth certificate either. */
  readonly label: string;
}

/** A fresh RSA-2048 key pair and its certificate under `ca`. */
export async function issueCertificate(p: IssueParams): Promise<IssuedCertificate> {
  const keys = await generateRsaKeyPair();
  const serialHex = randomSerialHex(8);
  const usage =
    p.kind === 'auth'
      ? x509.KeyUsageFlags.digitalSignature
      : x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation;
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serialHex,
    subject: `CN=${p.label}, OU=simulator card - not a real My Number card, O=kiosk-sim simulator, C=JP`,
    issuer: p.ca.cert.subject,
    notBefore: p.notBefore,
    notAfter: p.notAfter,
    publicKey: keys.publicKey,
    signingKey: p.ca.privateKey,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(usage, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(p.ca.cert),
    ],
  });
  return { certDer: Buffer.from(cert.rawData), serialHex, pkcs8: await exportPkcs8(keys.privateKey) };
}

/** RSASSA-PKCS1-v1_5 / SHA-256 with a CA key (visual AP signatures). */
export async function caSign(ca: TestCa, data: Uint8Array): Promise<Buffer> {
  return Buffer.from(await subtle.sign('RSASSA-PKCS1-v1_5', ca.privateKey, data));
}

/** The CA's public key, SPKI DER. */
export function caPublicKeySpki(ca: TestCa): Buffer {
  return Buffer.from(ca.cert.publicKey.rawData);
}
